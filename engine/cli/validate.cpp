// `regsim validate SCENARIO.yaml`: every check `run` makes, nothing run.
// `regsim levers`: the lever registry with each lever's parameters.
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "io/seeds_reader.hpp"
#include "model/levers/registry.hpp"
#include "scenario/scenario.hpp"

namespace regsim::cli {

void register_validate(CLI::App& app) {
  auto* cmd = app.add_subcommand("validate", "Check a scenario file and its region; run nothing");
  struct Options {
    std::string file;
    std::vector<std::string> set;
    bool print_resolved = false;
  };
  auto o = std::make_shared<Options>();
  cmd->add_option("scenario", o->file, "scenario YAML file")->required()->check(CLI::ExistingFile);
  cmd->add_option("--set", o->set, "override a scenario key: --set horizon.end=2025-12");
  cmd->add_flag("--print-resolved", o->print_resolved,
                "print the scenario with `extends` and --set applied");
  cmd->callback([o] {
    const auto s = scenario::load(o->file, o->set, REGSIM_DEFAULT_SEEDS_DIR);
    const auto region = io::read_region(s.region);
    scenario::check_against_region(s, region);
    if (o->print_resolved) {
      std::cout << s.resolved_yaml;
      return;
    }
    // Under sampling: design the uncertainties are not sampled.
    const std::size_t sampled =
        s.sampling == scenario::Sampling::design ? 0 : s.uncertainties.size();
    const std::string design =
        scenario::has_design(s)
            ? fmt::format(", design {} ({} rows x {} parameters)", s.design_file.string(),
                          s.design_rows.size(), s.design_columns.size())
            : "";
    std::cout << fmt::format(
        "{}: ok: scenario '{}', {} to {}, {} cities, {} policies, {} uncertainties{}, {} goals, "
        "{}{} runs ({}{})\n",
        o->file, s.name, scenario::to_string(s.horizon.start), scenario::to_string(s.horizon.end),
        region.size(), s.policies.size(), sampled, design, s.goals.size(),
        s.precision ? "up to " : "", scenario::run_count(s), scenario::to_string(s.sampling),
        s.precision ? fmt::format(", replications: auto in batches of {} until every 90 % "
                                  "half-width <= {}",
                                  s.precision->batch, s.precision->half_width)
                    : "");
  });
}

void register_levers(CLI::App& app) {
  auto* cmd = app.add_subcommand("levers", "List the policy levers and their parameters");
  cmd->callback([] {
    for (const model::levers::Lever* lever : model::levers::all()) {
      std::cout << fmt::format("{}: {}\n", lever->key, lever->summary);
      for (const auto& p : lever->params) {
        std::cout << fmt::format(
            "    {:<28} {:<22} [{}, {}] {}\n", p.name, p.unit, p.min, p.max,
            p.required() ? std::string("required") : fmt::format("default {}", *p.default_value));
      }
    }
  });
}

}  // namespace regsim::cli
