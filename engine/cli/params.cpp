// `regsim params`: the model's parameter registry — dotted name, unit,
// default, valid range, source or assumption.
#include "model/params.hpp"

#include <iostream>
#include <string>

#include <fmt/format.h>

#include "cli/commands.hpp"

namespace regsim::cli {

namespace {

void print_table() {
  for (const auto& p : model::param_specs) {
    std::cout << fmt::format("{:<44} {:>8} [{}, {}] {}\n  {}\n", p.name, p.default_value, p.min,
                             p.max, p.unit, p.source);
  }
}

void print_markdown() {
  std::cout << "| parameter | unit | default | range | source or assumption |\n"
            << "| --- | --- | --- | --- | --- |\n";
  for (const auto& p : model::param_specs) {
    std::cout << fmt::format("| `{}` | {} | {} | {} – {} | {} |\n", p.name, p.unit, p.default_value,
                             p.min, p.max, p.source);
  }
}

}  // namespace

void register_params(CLI::App& app) {
  auto* cmd = app.add_subcommand("params",
                                 "List the model parameters with units, defaults, "
                                 "ranges and sources");
  auto markdown = std::make_shared<bool>(false);
  cmd->add_flag("--markdown", *markdown, "print a Markdown table (as in the README)");
  cmd->callback([markdown] { *markdown ? print_markdown() : print_table(); });
}

}  // namespace regsim::cli
