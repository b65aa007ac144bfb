// The regsim subcommands. Each file in cli/ adds one subcommand to the app;
// its callback does the work and reports failure by throwing:
// scenario::InputError (exit 2), Mismatch (3), Stopped (128 + signal),
// RuntimeFailure or any other SystemFailure (exit 1); an InternalError or a
// std::logic_error is a bug in regsim (exit 70; cli/failure.hpp).
#pragma once

#include <stdexcept>
#include <string>

#include <CLI/CLI.hpp>

#include "support/errors.hpp"

namespace regsim::cli {

/// A run that failed for a reason other than bad input (exit code 1).
class RuntimeFailure : public SystemFailure {
 public:
  using SystemFailure::SystemFailure;
};

/// Recomputed results that differ from those a file stores (exit code 3).
class Mismatch : public RuntimeFailure {
 public:
  using RuntimeFailure::RuntimeFailure;
};

/// A run stopped by a signal (exit code 128 + the signal: 130, 143).
class Stopped : public RuntimeFailure {
 public:
  Stopped(int signal, const std::string& message) : RuntimeFailure(message), signal_(signal) {}
  int signal() const { return signal_; }

 private:
  int signal_;
};

/// Ends the command with an exit code, printing nothing: an MPI rank
/// other than 0 whose run failed (rank 0 says why).
class Silent : public std::exception {
 public:
  explicit Silent(int code) : code_(code) {}
  int code() const { return code_; }
  const char* what() const noexcept override { return "silent exit"; }

 private:
  int code_;
};

/// `command_line` is recorded in the file it writes.
void register_attribute(CLI::App& app, const std::string& command_line);
void register_calibrate(CLI::App& app);
void register_cities(CLI::App& app);
void register_compare(CLI::App& app);
void register_indicators(CLI::App& app);
void register_inspect(CLI::App& app);
void register_levers(CLI::App& app);
/// `command_line` is recorded in the file it writes.
void register_merge(CLI::App& app, const std::string& command_line);
/// `command_line` is recorded in the output file.
void register_run(CLI::App& app, const std::string& command_line);
/// `command_line` is recorded in the file it writes.
void register_replay(CLI::App& app, const std::string& command_line);
void register_schema(CLI::App& app);
void register_sensitivity(CLI::App& app);
void register_validate(CLI::App& app);
void register_verify(CLI::App& app);
void register_params(CLI::App& app);

}  // namespace regsim::cli
