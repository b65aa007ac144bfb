// Exit codes shared by regsim and the benchmark programs (DESIGN §6), and
// CLI11 parsing that maps every flag error to exit code 2.
#pragma once

#include <iostream>

#include <CLI/CLI.hpp>

namespace regsim::cli {

constexpr int exit_ok = 0;
constexpr int exit_runtime_failure = 1;
constexpr int exit_invalid_input = 2;

/// Parses argv; on --help/--version prints and returns exit_ok, on a bad
/// flag prints one line naming it and returns exit_invalid_input; returns
/// -1 when parsing succeeded and the program should go on.
inline int parse_command_line(CLI::App& app, int argc, const char* const* argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << app.get_name() << ": error: " << e.what() << "\n";
    std::cerr << "run '" << app.get_name() << " --help' for the valid flags\n";
    return exit_invalid_input;
  }
  return -1;
}

}  // namespace regsim::cli
