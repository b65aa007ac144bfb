// `regsim attribute SCENARIO.yaml`: each of the scenario's own policies'
// (or groups of them) Shapley share of the package's effect on each goal's
// probability and on chosen indicators (analysis/attribution.hpp). Every
// coalition runs in memory with the same replications and seed; the result
// is printed and written to an HDF5 file.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <unistd.h>

#include "analysis/attribution.hpp"
#include "analysis/attribution_file.hpp"
#include "cli/commands.hpp"
#include "model/groups.hpp"
#include "scenario/diagnostics.hpp"
#include "scenario/scenario.hpp"

namespace regsim::cli {

namespace {

namespace fs = std::filesystem;

struct AttributeOptions {
  std::string scenario, output;
  std::uint64_t replications = 0, seed = 0;
  unsigned threads = 1;
  std::vector<std::string> set, group_policies, indicators, at, groups;
  std::size_t permutations = 0;
  bool force = false, quiet = false;
  bool replications_given = false, seed_given = false;
};

[[noreturn]] void refuse(const std::string& what, const std::string& message,
                         const std::string& expected, const std::string& suggestion = {}) {
  scenario::Diagnostic d = scenario::file_problem(what, message, expected);
  d.suggestion = suggestion;
  throw scenario::InputError({std::move(d)});
}

// "a,b,c" -> {a, b, c}.
std::vector<std::string> split_names(const std::string& list) {
  std::vector<std::string> names;
  std::stringstream in(list);
  for (std::string name; std::getline(in, name, ',');) {
    if (name.empty())
      refuse("--group-policies", fmt::format("'{}' has an empty name", list), "a,b");
    names.push_back(name);
  }
  return names;
}

// The month index of "YYYY-MM" within the scenario's reported months.
std::uint32_t month_of(const std::string& text, const scenario::Scenario& s) {
  int year = 0, month = 0;
  char dash = 0, extra = 0;
  const auto expected = fmt::format("YYYY-MM from {} to {}", scenario::to_string(s.horizon.start),
                                    scenario::to_string(s.horizon.end));
  if (std::sscanf(text.c_str(), "%4d%c%2d%c", &year, &dash, &month, &extra) != 3 || dash != '-' ||
      month < 1 || month > 12) {
    refuse("--at", fmt::format("'{}' is not a month", text), expected);
  }
  const scenario::YearMonth ym{year, month};
  if (ym < s.horizon.start || ym > s.horizon.end) {
    refuse("--at", fmt::format("{} is outside the scenario's horizon", text), expected);
  }
  return scenario::month_index(ym);
}

// --indicator NAME [--at YYYY-MM] [--group G]: --at and --group given once
// apply to every indicator, or once per indicator in order.
std::vector<analysis::IndicatorAt> indicators_of(const AttributeOptions& o,
                                                 const experiment::Experiment& e) {
  const auto per_indicator = [&](const std::vector<std::string>& v, const char* flag) {
    if (v.size() > 1 && v.size() != o.indicators.size()) {
      refuse(
          flag,
          fmt::format("{} given {} times for {} --indicator", flag, v.size(), o.indicators.size()),
          fmt::format("{} once (for every indicator) or once per --indicator", flag));
    }
  };
  per_indicator(o.at, "--at");
  per_indicator(o.groups, "--group");
  const auto groups = model::make_groups(e.region);
  std::vector<std::string> group_names, indicator_names;
  for (const auto& g : groups) group_names.push_back(g.kind + ":" + g.name);
  for (const auto& spec : model::indicator_specs) indicator_names.emplace_back(spec.name);
  std::vector<analysis::IndicatorAt> out;
  for (std::size_t k = 0; k < o.indicators.size(); ++k) {
    const auto pick = [&](const std::vector<std::string>& v, std::string fallback) {
      return v.empty() ? fallback : v.size() == 1 ? v[0] : v[k];
    };
    analysis::IndicatorAt i;
    const auto id = model::find_indicator(o.indicators[k]);
    if (!id) {
      refuse("--indicator", fmt::format("unknown indicator '{}'", o.indicators[k]),
             "an indicator of `regsim indicators`",
             scenario::nearest_name(o.indicators[k], indicator_names));
    }
    i.indicator = *id;
    const std::string date = pick(o.at, scenario::to_string(e.scenario.horizon.end));
    i.month = month_of(date, e.scenario);
    const std::string group = pick(o.groups, "nation:all");
    const auto g = std::find(group_names.begin(), group_names.end(), group);
    if (g == group_names.end()) {
      refuse("--group", fmt::format("unknown group '{}'", group),
             "a group of the region as kind:name, e.g. nation:all, category:declining",
             scenario::nearest_name(group, group_names));
    }
    i.group = static_cast<std::size_t>(g - group_names.begin());
    i.label = fmt::format("{} {} {}", o.indicators[k], group, date);
    out.push_back(std::move(i));
  }
  return out;
}

// Progress on stderr: a line redrawn in place on a terminal, nothing otherwise.
class RunsProgress {
 public:
  explicit RunsProgress(bool quiet) : show_(!quiet && isatty(STDERR_FILENO) != 0) {}
  void operator()(std::uint64_t done, std::uint64_t total) {
    if (!show_) return;
    const double elapsed = seconds();
    if (done != total && elapsed - shown_ < 0.5) return;
    shown_ = elapsed;
    const double eta = static_cast<double>(total - done) * elapsed / static_cast<double>(done);
    std::cerr << fmt::format("\rregsim attribute: {}/{} runs ({:.0f} %)  ETA {:.0f} s ", done,
                             total, 100.0 * static_cast<double>(done) / static_cast<double>(total),
                             eta)
              << (done == total ? "\n" : "") << std::flush;
  }
  double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  bool show_;
  double shown_ = -1.0;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

// How a table shows its numbers: probabilities as they are; ratios (unit
// "1") in percentage points; other units as they are, one decimal.
struct Display {
  double scale = 1.0;
  int digits = 3;
  std::string unit;
};
Display display_for(const std::string& units) {
  if (units == "1") return {100.0, 4, "percentage points"};
  return {1.0, 1, units};
}

std::string signed_number(double x, const Display& d) {
  if (std::isnan(x)) return "n/a";
  x *= d.scale;
  // Round-off around zero (-1e-17) is shown as zero, not "-0.000".
  if (std::abs(x) < 0.5 * std::pow(10.0, -d.digits)) x = 0.0;
  return fmt::format("{:+.{}f}", x, d.digits);
}

// One table: the value without and with the package, then each player's
// share, its interval and its part of the whole effect.
void print_table(const analysis::Attributed& q, const std::vector<analysis::Player>& players,
                 const std::string& title, const Display& d) {
  const auto without = analysis::estimate(q.none), with = analysis::estimate(q.all);
  std::vector<double> effect(q.all.size());
  for (std::size_t r = 0; r < effect.size(); ++r) effect[r] = q.all[r] - q.none[r];
  const auto total = analysis::estimate(effect);
  std::cout << fmt::format("\n{}{}\n  {} without the package, {} with it: effect {} [{}, {}]\n",
                           title, d.unit.empty() ? "" : " (" + d.unit + ")",
                           signed_number(without.mean, d), signed_number(with.mean, d),
                           signed_number(total.mean, d), signed_number(total.low, d),
                           signed_number(total.high, d));
  std::cout << fmt::format("  {:<40} {:>12}  {:>27}  {:>10}\n", "player", "share", "90 % interval",
                           "% of total");
  const bool no_effect = signed_number(total.mean, d) == signed_number(0.0, d);
  double sum = 0.0;
  for (std::size_t i = 0; i < players.size(); ++i) {
    const auto s = analysis::estimate(q.shares[i]);
    sum += s.mean;
    const std::string part =
        no_effect ? "n/a" : fmt::format("{:.0f} %", 100.0 * s.mean / total.mean);
    std::cout << fmt::format("  {:<40} {:>12}  [{:>12}, {:>12}]  {:>10}\n", players[i].name,
                             signed_number(s.mean, d), signed_number(s.low, d),
                             signed_number(s.high, d), part);
  }
  std::cout << fmt::format("  {:<40} {:>12}\n", "sum of shares", signed_number(sum, d));
}

void print(const analysis::Attribution& a) {
  std::cout << fmt::format(
      "Shapley shares of {} players ({}, {} coalitions x {} replications)\n", a.players.size(),
      a.permutations == 0 ? "exact" : fmt::format("{} sampled permutations", a.permutations),
      a.coalitions, a.replications);
  for (std::size_t k = 0; k < a.met.size(); ++k) {
    print_table(a.met[k], a.players, fmt::format("goal {}: probability met", a.met[k].name),
                Display{1.0, 3, ""});
    print_table(a.margin[k], a.players,
                fmt::format("goal {}: margin (positive: met)", a.margin[k].name),
                display_for(a.margin[k].units));
  }
  for (const auto& i : a.indicators) {
    print_table(i, a.players, fmt::format("indicator {}", i.name), display_for(i.units));
  }
}

fs::path output_path(const AttributeOptions& o, const experiment::Experiment& e) {
  const fs::path out =
      o.output.empty() ? fs::path(fs::path(e.scenario.name).filename().string() + "-attribution.h5")
                       : fs::path(o.output);
  const fs::path parent = out.parent_path().empty() ? "." : out.parent_path();
  if (!fs::is_directory(parent)) {
    refuse(out.string(), fmt::format("no folder '{}' to write into", parent.string()),
           "-o in an existing folder");
  }
  if (fs::exists(out) && !fs::is_regular_file(out)) {
    refuse(out.string(), "not a regular file; not replacing it (even with --force)",
           "-o naming a file");
  }
  if (fs::exists(out) && !o.force) {
    refuse(out.string(), "output file exists; not replacing it",
           "a new file name, or --force to replace it");
  }
  return out;
}

void attribute(const AttributeOptions& o, const std::string& command_line) {
  std::vector<std::string> overrides = o.set;
  if (o.replications_given) {
    // -n fixes the count per coalition, also for a scenario with
    // replications: auto, whose precision: is then dropped.
    overrides.push_back("experiment.precision=");
    overrides.push_back(fmt::format("experiment.replications={}", o.replications));
  }
  if (o.seed_given) overrides.push_back(fmt::format("experiment.seed={}", o.seed));
  const experiment::Experiment e = experiment::prepare(
      scenario::load(o.scenario, overrides, REGSIM_DEFAULT_SEEDS_DIR), command_line);
  if (e.scenario.precision) {
    refuse(o.scenario,
           "regsim attribute runs a fixed count of replications per coalition, and this "
           "scenario has replications: auto",
           "-n N (replications per coalition)");
  }
  std::vector<std::vector<std::string>> groups;
  for (const auto& list : o.group_policies) groups.push_back(split_names(list));
  analysis::AttributionOptions options;
  options.players = analysis::players_of(e.scenario, groups);
  if (options.players.size() > analysis::max_players) {
    refuse(o.scenario,
           fmt::format("{} players; at most {}", options.players.size(), analysis::max_players),
           "fewer players: join policies with --group-policies a,b");
  }
  if (options.players.size() > analysis::exact_player_limit && o.permutations == 0) {
    refuse(o.scenario,
           fmt::format("{} players: exact Shapley values are computed for at most {} (2^n "
                       "coalitions)",
                       options.players.size(), analysis::exact_player_limit),
           "--permutations M to sample M orders, or fewer players with --group-policies a,b");
  }
  options.indicators = indicators_of(o, e);
  if (e.scenario.goals.empty() && options.indicators.empty()) {
    refuse(o.scenario, "nothing to attribute: the scenario has no goals",
           "a scenario with goals:, or --indicator NAME");
  }
  options.permutations = o.permutations;
  options.threads = o.threads;
  const fs::path out = output_path(o, e);
  RunsProgress progress(o.quiet);
  options.progress = [&progress](std::uint64_t done, std::uint64_t total) {
    progress(done, total);
  };
  const analysis::Attribution a = analysis::attribute(e, options);
  print(a);
  analysis::write_attribution(a, e, out);
  if (!o.quiet) {
    std::cerr << fmt::format("regsim: wrote {} ({} coalitions x {} replications, {:.1f} s)\n",
                             out.string(), a.coalitions, a.replications, progress.seconds());
  }
}

}  // namespace

void register_attribute(CLI::App& app, const std::string& command_line) {
  auto* cmd = app.add_subcommand(
      "attribute", "Shapley shares of a scenario's policy package in its goals and indicators");
  auto o = std::make_shared<AttributeOptions>();
  cmd->add_option("scenario", o->scenario, "scenario YAML file; its own policies are the package")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("-o,--output", o->output,
                  "output file (default: <scenario name>-attribution.h5)");
  cmd->add_option("-n,--replications", o->replications,
                  "replications per coalition (overrides the scenario)")
      ->check(CLI::Range(1ull, 100000000ull));
  cmd->add_option("-j,--threads", o->threads, "worker threads (default 1)")
      ->check(CLI::Range(1u, 1024u));
  cmd->add_option("--seed", o->seed, "random seed (overrides the scenario)");
  cmd->add_option("--set", o->set, "override a scenario key: --set horizon.end=2025-12")
      ->allow_extra_args(false);
  cmd->add_option("--group-policies", o->group_policies,
                  "policies switched on and off together as one player: a,b (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--indicator", o->indicators,
                  "also attribute this indicator (repeatable; see `regsim indicators`)")
      ->allow_extra_args(false);
  cmd->add_option("--at", o->at,
                  "the month of the indicators, YYYY-MM (once, or once per --indicator; "
                  "default: the horizon's end)")
      ->allow_extra_args(false);
  cmd->add_option("--group", o->groups,
                  "the cities of the indicators, kind:name (once, or once per --indicator; "
                  "default: nation:all)")
      ->allow_extra_args(false);
  cmd->add_option("--permutations", o->permutations,
                  "sample this many orders of the players instead of every coalition (needed "
                  "beyond 8 players)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100000}));
  cmd->add_flag("--force", o->force, "replace an existing output file");
  cmd->add_flag("-q,--quiet", o->quiet, "no progress output");
  cmd->callback([o, cmd, command_line] {
    o->replications_given = cmd->count("--replications") > 0;
    o->seed_given = cmd->count("--seed") > 0;
    attribute(*o, command_line);
  });
}

}  // namespace regsim::cli
