// `regsim inspect OUT.h5`: what a run file holds — the run, the goal
// ledger, and headline indicators by 2013 category at 2020, 2025 and 2035.
#include <algorithm>
#include <cmath>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "experiment/replication.hpp"
#include "experiment/stored_run.hpp"
#include "io/h5_file.hpp"
#include "scenario/diagnostics.hpp"

namespace regsim::cli {

namespace {

// Index of the time step describing December of `year`, or -1.
long time_index(const std::vector<double>& days, int year) {
  // days since 2013-01-01 of Dec 1 of `year`: within +-2 days of 365.2425 * (year - 2013) + 334.
  const double target = 365.2425 * (year - 2013) + 334.0;
  for (std::size_t k = 0; k < days.size(); ++k) {
    if (std::abs(days[k] - target) < 3.0) return static_cast<long>(k);
  }
  return -1;
}

void inspect(const std::string& path) {
  io::H5File f = experiment::open_run(path);
  std::cout << fmt::format(
      "{}: regsim {} (git {}), created {}\n", path, f.attribute<std::string>("/", "regsim_version"),
      f.attribute<std::string>("/", "git_revision"), f.attribute<std::string>("/", "created"));
  std::cout << fmt::format("  scenario '{}', seed {}, {} replications\n  command: {}\n",
                           f.attribute<std::string>("/", "scenario"),
                           f.attribute<std::uint64_t>("/", "seed"),
                           f.attribute<std::uint64_t>("/", "replications"),
                           f.attribute<std::string>("/", "command_line"));
  if (f.has_attribute("/", "replications_stop_reason")) {
    // replications: auto (README, "Replications until precise").
    std::cout << fmt::format(
        "  replications: auto, {} (90 % half-width {:.4f}, asked {}; cap {}, batch {})\n"
        "  half-widths: {}\n",
        f.attribute<std::string>("/", "replications_stop_reason"),
        f.attribute<double>("/", "precision_half_width_achieved"),
        f.attribute<double>("/", "precision_half_width"),
        f.attribute<std::uint64_t>("/", "max_replications"),
        f.attribute<std::uint64_t>("/", "precision_batch"),
        f.attribute<std::string>("/", "precision_goals"));
  }
  const auto cities = f.shape("/city")[0];
  const auto days = f.read<double>("/time");
  std::cout << fmt::format("  {} cities, {} time steps, groups: {}\n", cities, days.size(),
                           f.shape("/group")[0]);
  if (f.exists("/uncertainties/design_row")) {
    // Which parameter sets of the design the replicates took.
    auto rows = f.read<std::int64_t>("/uncertainties/design_row");
    const std::size_t replicates = rows.size();
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    std::cout << fmt::format("  design: {}, {} distinct rows over {} replicates\n",
                             f.attribute<std::string>("/uncertainties/design_row", "design_file"),
                             rows.size(), replicates);
  }

  if (f.exists("/goals/probability")) {
    const auto names = f.read<std::string>("/goals/goal");
    const auto p = f.read<double>("/goals/probability");
    const auto lo = f.read<double>("/goals/probability_low");
    const auto hi = f.read<double>("/goals/probability_high");
    std::cout << "\ngoal attainment (share of replicates, 90 % interval)\n";
    // Files from before goal definitions and the ledger by place lack them.
    const bool defined = f.exists("/goals/comparison");
    const bool by_group = f.exists("/goals/probability_by_group");
    const auto groups = f.read<std::string>("/group");
    for (std::size_t g = 0; g < names.size(); ++g) {
      std::cout << fmt::format("  {:<44} {:6.3f}  [{:.3f}, {:.3f}]\n", names[g], p[g], lo[g],
                               hi[g]);
      if (defined) {
        const auto text = [&](const char* name) {
          return f.read<std::string>(std::string("/goals/") + name, {g}, {1})[0];
        };
        const auto number = [&](const char* name) {
          return f.read<double>(std::string("/goals/") + name, {g}, {1})[0];
        };
        std::string test =
            fmt::format("{} {} {:g}", text("indicator"), text("comparison"), number("threshold"));
        if (text("comparison") == "between") test += fmt::format(" and {:g}", number("upper"));
        std::string aggregation = text("aggregation");
        if (const double share = number("share"); !std::isnan(share))
          aggregation += fmt::format(" >= {:g} %", 100.0 * share);
        std::cout << fmt::format("      {} {} {}, {} over {}{}\n", test, text("timing"),
                                 text("date"), aggregation, text("where"),
                                 text("source").empty() ? "" : "  (" + text("source") + ")");
      }
      if (by_group) {
        const auto probability =
            f.read<double>("/goals/probability_by_group", {g, 0}, {1, groups.size()});
        std::string line;
        for (std::size_t k = 0; k < groups.size(); ++k) {
          if (groups[k].rfind("category:", 0) != 0 || std::isnan(probability[k])) continue;
          line += fmt::format("  {} {:.2f}", groups[k].substr(9), probability[k]);
        }
        if (!line.empty()) std::cout << "      by 2013 category:" << line << "\n";
      }
    }
  }

  const auto groups = f.read<std::string>("/group");
  std::vector<long> columns;
  std::vector<int> years;
  for (int y : {2020, 2025, 2035}) {
    if (const long k = time_index(days, y); k >= 0) {
      columns.push_back(k);
      years.push_back(y);
    }
  }
  if (!days.empty() && (columns.empty() || columns.back() + 1 != static_cast<long>(days.size()))) {
    columns.push_back(static_cast<long>(days.size()) - 1);  // and always the last step
    years.push_back(2013 + static_cast<int>(std::lround((days.back() - 334.0) / 365.2425)));
  }
  if (columns.empty()) return;
  std::cout << "\nheadline indicators, mean over replicates";
  for (int y : years) std::cout << fmt::format("  {:>12}", fmt::format("{}-12", y));
  std::cout << "\n";
  for (const char* var :
       {"unemployment_rate", "unemployed_ex_miners", "miners_employed", "replacement_share",
        "resource_dependence", "restoration_rate", "population"}) {
    const std::string path_var = std::string("/summary_groups/") + var;
    if (!f.exists(path_var)) continue;
    const auto values = f.read<float>(path_var, {0, 0, 0}, {1, groups.size(), days.size()});
    std::cout << fmt::format("  {}\n", var);
    for (std::size_t g = 0; g < groups.size(); ++g) {
      if (groups[g].rfind("nation:", 0) != 0 && groups[g].rfind("category:", 0) != 0) continue;
      std::cout << fmt::format("    {:<40}", groups[g]);
      for (long k : columns) {
        std::cout << fmt::format("  {:>12.5g}",
                                 values[g * days.size() + static_cast<std::size_t>(k)]);
      }
      std::cout << "\n";
    }
  }
}

}  // namespace

void register_inspect(CLI::App& app) {
  auto* cmd =
      app.add_subcommand("inspect", "Show what a run file holds: the run, goals, headlines");
  auto path = std::make_shared<std::string>();
  cmd->add_option("file", *path, "output of `regsim run`")->required();
  cmd->callback([path] { inspect(*path); });
}

}  // namespace regsim::cli
