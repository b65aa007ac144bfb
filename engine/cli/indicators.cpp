// `regsim indicators`: what goals, triggers, predicates and outputs can
// name — each indicator with its unit, meaning and how groups aggregate it.
#include "model/indicators.hpp"

#include <iostream>
#include <string>

#include <fmt/format.h>

#include "cli/commands.hpp"

namespace regsim::cli {

void register_indicators(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "indicators", "List the indicators goals, triggers and outputs name, with units");
  cmd->callback([] {
    for (const auto& i : model::indicator_specs) {
      const std::string aggregation =
          i.is_ratio() ? fmt::format("ratio of sums: {} / {}", model::spec(i.numerator).name,
                                     model::spec(i.denominator).name)
                       : "sum over cities";
      std::cout << fmt::format("{:<32} {:<22} {}\n  groups: {}\n", i.name, i.unit, i.long_name,
                               aggregation);
    }
  });
}

}  // namespace regsim::cli
