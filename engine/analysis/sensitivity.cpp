#include "analysis/sensitivity.hpp"

#include <algorithm>
#include <chrono>

#include <fmt/format.h>

#include "analysis/design_blocks.hpp"
#include "experiment/stored_run.hpp"
#include "scenario/diagnostics.hpp"

namespace regsim::analysis {

namespace {

[[noreturn]] void refuse(const std::string& file, const std::string& message,
                         const std::string& expected, const std::string& suggestion = {}) {
  scenario::Diagnostic d = scenario::file_problem(file, message, expected);
  d.suggestion = suggestion;
  throw scenario::InputError({d});
}

// The year and month of a time step ("days since 2013-01-01").
std::chrono::year_month_day date_of(double days) {
  using namespace std::chrono;
  const sys_days start{year{2013} / January / 1};
  return year_month_day{start + std::chrono::days{static_cast<int>(days)}};
}

std::string month_label(double days) {
  const auto ymd = date_of(days);
  return fmt::format("{:04}-{:02}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()));
}

// What analyse() needs of the run file, read once.
struct Run {
  std::string path;
  io::H5File file;
  scenario::Scenario scenario;
  DesignBlocks blocks;
  MorrisDesign morris;
  std::vector<double> days;
  std::vector<std::string> months;  // "YYYY-MM" per time step
  std::vector<std::string> groups;
};

Run read_run(const std::string& path) {
  Run run{path, experiment::open_run(path), {}, {}, {}, {}, {}, {}};
  run.scenario = experiment::embedded_scenario(run.file, path);
  run.blocks = design_blocks(run.scenario, run.file.read<std::int64_t>("/replicate"));
  if (!run.blocks.problem.empty()) {
    refuse(path, "cannot compute sensitivity indices: " + run.blocks.problem,
           "a whole run of `experiment.sampling: sobol` or `morris` (not a replay or a shard)");
  }
  if (run.scenario.sampling == scenario::Sampling::morris)
    run.morris = morris_design(run.scenario, run.blocks);
  run.days = run.file.read<double>("/time");
  for (const double d : run.days) run.months.push_back(month_label(d));
  run.groups = run.file.read<std::string>("/group");
  return run;
}

// The position of `wanted` among `names`, or InputError with the nearest name.
std::size_t find(const Run& run, const std::vector<std::string>& names, const std::string& wanted,
                 const std::string& what) {
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == wanted) return i;
  }
  const std::string expected = names.size() <= 12
                                   ? "one of: " + scenario::join(names)
                                   : fmt::format("one of the {} {}s of the file, {} ... {}",
                                                 names.size(), what, names.front(), names.back());
  refuse(run.path, fmt::format("no {} '{}' in the run", what, wanted), expected,
         scenario::nearest_name(wanted, names));
}

void compute(const Run& run, const std::vector<double>& by_row, const Bootstrap& bootstrap,
             AnalysedOutput& out) {
  const auto values = gather(run.blocks, by_row);
  if (run.scenario.sampling == scenario::Sampling::sobol) {
    out.sobol = sobol_indices(values, bootstrap);
  } else {
    out.morris =
        morris_effects(elementary_effects(run.morris, values, run.scenario.uncertainties.size()));
  }
}

void add_goals(const Run& run, const Bootstrap& bootstrap, std::vector<AnalysedOutput>& outputs) {
  const io::H5File& f = run.file;
  if (!f.exists("/goals/goal")) return;
  const auto goals = f.read<std::string>("/goals/goal");
  const auto met = f.read<double>("/goals/met");
  const auto margin = f.read<double>("/goals/margin");
  const bool described = f.exists("/goals/unit") && f.exists("/goals/aggregation");
  const auto units = described ? f.read<std::string>("/goals/unit") : std::vector<std::string>{};
  const auto aggregation =
      described ? f.read<std::string>("/goals/aggregation") : std::vector<std::string>{};
  const std::size_t ng = goals.size(), rows = met.size() / std::max<std::size_t>(ng, 1);
  for (std::size_t g = 0; g < ng; ++g) {
    std::vector<double> met_g(rows), margin_g(rows);
    for (std::size_t r = 0; r < rows; ++r) {
      met_g[r] = met[r * ng + g];
      margin_g[r] = margin[r * ng + g];
    }
    // A share_of_cities goal's margin is a share of cities.
    const std::string margin_units =
        described && aggregation[g] != "share_of_cities" ? units[g] : "1";
    AnalysedOutput m{goals[g] + ": met", "goal_met", goals[g], "1", {}, {}};
    compute(run, met_g, bootstrap, m);
    outputs.push_back(std::move(m));
    AnalysedOutput d{goals[g] + ": margin", "goal_margin", goals[g], margin_units, {}, {}};
    compute(run, margin_g, bootstrap, d);
    outputs.push_back(std::move(d));
  }
}

// /aggregates/<indicator>, checked, as [replicate, group, time] values.
std::vector<double> aggregate(const Run& run, const std::string& indicator) {
  if (run.file.kind("/aggregates") != io::ObjectKind::group) {
    refuse(run.path, "the run has no /aggregates to take indicators from",
           "a run with `outputs.aggregates: true`");
  }
  find(run, run.file.members("/aggregates"), indicator, "indicator");
  return run.file.read<double>("/aggregates/" + indicator);
}

std::vector<double> slice(const Run& run, const std::vector<double>& values, std::size_t group,
                          std::size_t step) {
  const std::size_t ng = run.groups.size(), nt = run.days.size();
  std::vector<double> out(values.size() / (ng * nt));
  for (std::size_t r = 0; r < out.size(); ++r) out[r] = values[(r * ng + group) * nt + step];
  return out;
}

void add_indicators(const Run& run, const SensitivityRequest& request,
                    std::vector<AnalysedOutput>& outputs) {
  std::vector<std::size_t> steps, groups;
  for (const auto& date : request.dates) steps.push_back(find(run, run.months, date, "month"));
  if (steps.empty()) steps.push_back(run.days.size() - 1);
  for (const auto& group : request.groups) groups.push_back(find(run, run.groups, group, "group"));
  if (groups.empty()) groups.push_back(0);
  for (const auto& indicator : request.indicators) {
    const auto values = aggregate(run, indicator);
    const auto units = run.file.attribute<std::string>("/aggregates/" + indicator, "units");
    for (const std::size_t g : groups) {
      for (const std::size_t t : steps) {
        AnalysedOutput out{fmt::format("{}, {}, {}", indicator, run.groups[g], run.months[t]),
                           "indicator",
                           indicator,
                           units,
                           {},
                           {}};
        compute(run, slice(run, values, g, t), request.bootstrap, out);
        outputs.push_back(std::move(out));
      }
    }
  }
}

OverTime over_time(const Run& run, const SensitivityRequest& request) {
  const auto values = aggregate(run, request.over_time);
  const std::size_t g =
      request.over_time_group.empty() ? 0 : find(run, run.groups, request.over_time_group, "group");
  OverTime out{request.over_time,
               run.groups[g],
               run.file.attribute<std::string>("/aggregates/" + request.over_time, "units"),
               {},
               {},
               {}};
  // Each year's last reported step: December in annual or monthly output.
  for (std::size_t t = 0; t < run.days.size(); ++t) {
    const int year = static_cast<int>(date_of(run.days[t]).year());
    const bool last =
        t + 1 == run.days.size() || static_cast<int>(date_of(run.days[t + 1]).year()) != year;
    if (!last) continue;
    AnalysedOutput step{fmt::format("{}, {}, {}", out.indicator, out.group, run.months[t]),
                        "indicator",
                        out.indicator,
                        out.units,
                        {},
                        {}};
    compute(run, slice(run, values, g, t), request.bootstrap, step);
    out.days.push_back(run.days[t]);
    out.years.push_back(year);
    out.steps.push_back(std::move(step));
  }
  return out;
}

}  // namespace

Sensitivity analyse(const std::string& run_file, const SensitivityRequest& request) {
  const Run run = read_run(run_file);
  Sensitivity result;
  result.method = std::string(scenario::to_string(run.scenario.sampling));
  for (const auto& u : run.scenario.uncertainties) result.factors.push_back(u.name);
  result.blocks = run.blocks.rows.size();
  result.bootstrap = request.bootstrap;
  add_goals(run, request.bootstrap, result.outputs);
  add_indicators(run, request, result.outputs);
  if (!request.over_time.empty()) result.over_time = over_time(run, request);
  if (result.outputs.empty() && !result.over_time) {
    refuse(run_file, "nothing to analyse: the run has no goals",
           "--indicator NAME (an indicator of /aggregates) or --over-time NAME");
  }
  return result;
}

}  // namespace regsim::analysis
