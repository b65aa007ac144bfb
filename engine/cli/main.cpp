// The `regsim` command: one subcommand per file in this folder.
#include <exception>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/failure.hpp"
#include "experiment/version.hpp"

int main(int argc, char** argv) {
  using namespace regsim;
  CLI::App app{"regsim — discrete-event simulation of China's resource-based cities", "regsim"};
  app.set_version_flag("--version", std::string(experiment::version_string()));
  app.require_subcommand(1);
  std::string command_line;
  for (int i = 0; i < argc; ++i) command_line += (i ? " " : "") + std::string(argv[i]);
  cli::register_run(app, command_line);
  cli::register_validate(app);
  cli::register_inspect(app);
  cli::register_compare(app);
  cli::register_verify(app);
  cli::register_replay(app, command_line);
  cli::register_merge(app, command_line);
  cli::register_sensitivity(app);
  cli::register_calibrate(app);
  cli::register_attribute(app, command_line);
  cli::register_cities(app);
  cli::register_levers(app);
  cli::register_params(app);
  cli::register_indicators(app);
  cli::register_schema(app);

  try {
    const int code = cli::parse_command_line(app, argc, argv);
    return code < 0 ? cli::exit_ok : code;
  } catch (...) {
    return cli::report_failure(std::current_exception(), std::cerr);
  }
}
