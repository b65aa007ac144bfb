// Exit codes shared by regsim and the benchmark programs (DESIGN §6), and
// CLI11 parsing that maps every flag error to exit code 2.
#pragma once

#include <iostream>

#include <CLI/CLI.hpp>

namespace regsim::cli {

// The contract (README "Exit codes"), one test per row in
// tests/cli/test_exit_codes.py.
constexpr int exit_ok = 0;
constexpr int exit_runtime_failure = 1;        ///< the machine or a write failed
constexpr int exit_invalid_input = 2;          ///< any bad input: file, flag, --set, output path
constexpr int exit_verification_mismatch = 3;  ///< verify/replay: results differ from the file
constexpr int exit_internal_error = 70;        ///< a bug in regsim (sysexits' EX_SOFTWARE)
// 128 + the signal (130 SIGINT, 143 SIGTERM): stopped by a signal.

/// Makes every unsigned option of `app` and its subcommands take decimal
/// digits only: CLI11 reads an unsigned integer with strtoull in base 0, so
/// `--seed -5` would wrap round to 18446744073709551611, `0x10` be 16 and
/// `010` be 8.
inline void refuse_non_decimal_unsigned(CLI::App& app) {
  for (CLI::Option* opt : app.get_options()) {
    if (opt->get_type_name().rfind("UINT", 0) != 0) continue;  // "UINT:POSITIVE" etc.
    opt->check(CLI::Validator(
        [](std::string& value) {
          const auto first = value.find_first_not_of(" \t");
          const auto last = value.find_last_not_of(" \t");
          if (first == std::string::npos) return std::string("must be an integer, got nothing");
          if (value[first] == '-') return "must be a non-negative integer, got " + value;
          const std::string digits = value.substr(first, last - first + 1);
          const bool decimal = digits.find_first_not_of("0123456789") == std::string::npos &&
                               (digits.size() == 1 || digits[0] != '0');
          return decimal ? std::string() : "must be a decimal integer, got " + value;
        },
        "", "decimal"));
  }
  for (CLI::App* sub : app.get_subcommands({})) refuse_non_decimal_unsigned(*sub);
}

/// Parses argv; on --help/--version prints and returns exit_ok, on a bad
/// flag prints one line naming it and returns exit_invalid_input; returns
/// -1 when parsing succeeded and the program should go on.
inline int parse_command_line(CLI::App& app, int argc, const char* const* argv) {
  refuse_non_decimal_unsigned(app);
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
