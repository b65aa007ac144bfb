#include "analysis/attribution_file.hpp"

#include <cstdint>
#include <numeric>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "io/durable_rename.hpp"
#include "io/h5_file.hpp"

namespace regsim::analysis {

namespace {

// The units of a family of values: their common unit, or a pointer to the
// variable that holds each one's.
std::string common_units(const std::vector<Attributed>& values, const std::string& per_value) {
  for (const auto& v : values) {
    if (v.units != values.front().units) return "various: see " + per_value;
  }
  return values.front().units;
}

// One family of attributed values (goals met, goal margins, indicators)
// along dimension `dim`: each player's share with its interval, its share
// in every replicate, and the value without and with the package.
void write_family(io::H5File& f, const std::string& prefix, const std::string& dim,
                  const std::vector<Attributed>& values, const std::string& what,
                  const std::string& units) {
  const std::size_t players = values.front().shares.size(), nv = values.size();
  const std::size_t replicates = values.front().none.size();
  const std::string g = "/attribution/" + prefix;
  const auto variable = [&](const std::string& name, std::vector<std::string> dims,
                            const std::string& long_name, const std::vector<double>& data) {
    f.create_variable<double>(g + name, {dims}, {long_name, units});
    io::Extent count;
    for (const auto& d : dims) {
      count.push_back(d == "player" ? players : d == "replicate" ? replicates : nv);
    }
    f.write(g + name, io::Extent(count.size(), 0), count, data);
  };
  std::vector<double> share, low, high, by_replicate(replicates * players * nv);
  for (std::size_t i = 0; i < players; ++i) {
    for (std::size_t v = 0; v < nv; ++v) {
      const Estimate e = estimate(values[v].shares[i]);
      share.push_back(e.mean);
      low.push_back(e.low);
      high.push_back(e.high);
      for (std::size_t r = 0; r < replicates; ++r) {
        by_replicate[(r * players + i) * nv + v] = values[v].shares[i][r];
      }
    }
  }
  const std::string share_of = "Shapley share of the package's effect on " + what;
  variable("_share", {"player", dim}, share_of + " (mean over replicates)", share);
  variable("_share_low", {"player", dim}, share_of + ", 90 % interval, low", low);
  variable("_share_high", {"player", dim}, share_of + ", 90 % interval, high", high);
  variable("_share_by_replicate", {"replicate", "player", dim}, share_of + " in each replicate",
           by_replicate);
  std::vector<double> without, with, effect, effect_low, effect_high;
  for (const auto& v : values) {
    without.push_back(estimate(v.none).mean);
    with.push_back(estimate(v.all).mean);
    std::vector<double> difference(v.all.size());
    for (std::size_t r = 0; r < difference.size(); ++r) difference[r] = v.all[r] - v.none[r];
    const Estimate e = estimate(difference);
    effect.push_back(e.mean);
    effect_low.push_back(e.low);
    effect_high.push_back(e.high);
  }
  variable("_without", {dim}, what + " with none of the package's policies", without);
  variable("_with", {dim}, what + " with the whole package", with);
  variable("_effect", {dim}, "the package's effect on " + what + " (with - without)", effect);
  variable("_effect_low", {dim}, "the package's effect, 90 % interval, low", effect_low);
  variable("_effect_high", {dim}, "the package's effect, 90 % interval, high", effect_high);
}

void write_dimensions(io::H5File& f, const Attribution& a, const experiment::Experiment& e) {
  std::vector<std::string> names, policies;
  for (const Player& p : a.players) {
    names.push_back(p.name);
    std::string list;
    for (const std::size_t i : p.policies) {
      list += (list.empty() ? "" : ",") + e.scenario.policies[i].name;
    }
    policies.push_back(list);
  }
  f.add_dimension("/attribution/player", names,
                  {"player: a policy, or policies switched on and off together", ""});
  f.create_variable<std::string>("/attribution/player_policies", {{"player"}},
                                 {"the player's policies (comma-separated)", ""});
  f.write("/attribution/player_policies", {0}, {names.size()}, policies);
  std::vector<std::int64_t> replicates(a.replications);
  std::iota(replicates.begin(), replicates.end(), std::int64_t{0});
  f.add_dimension("/attribution/replicate", replicates, {"replication index", "1"});
  if (!a.met.empty()) {
    std::vector<std::string> goals, units;
    for (const auto& m : a.margin) {
      goals.push_back(m.name);
      units.push_back(m.units);
    }
    f.add_dimension("/attribution/goal", goals, {"goal", ""});
    f.create_variable<std::string>("/attribution/goal_unit", {{"goal"}},
                                   {"unit of the goal's indicator (and margin)", ""});
    f.write("/attribution/goal_unit", {0}, {goals.size()}, units);
  }
  if (!a.indicators.empty()) {
    std::vector<std::string> labels, units;
    for (const auto& i : a.indicators) {
      labels.push_back(i.name);
      units.push_back(i.units);
    }
    f.add_dimension("/attribution/indicator", labels,
                    {"indicator over a group of cities at a month (name group date)", ""});
    f.create_variable<std::string>("/attribution/indicator_unit", {{"indicator"}},
                                   {"unit of the indicator", ""});
    f.write("/attribution/indicator_unit", {0}, {labels.size()}, units);
  }
}

void write_contents(io::H5File& f, const Attribution& a, const experiment::Experiment& e) {
  f.set_attribute("/", "title", "regsim lever attribution (Shapley shares)");
  f.set_attribute("/", "regsim_version", e.meta.version);
  f.set_attribute("/", "git_revision", e.meta.git_revision);
  f.set_attribute("/", "command_line", e.meta.command_line);
  f.set_attribute("/", "scenario", e.meta.scenario_name);
  f.set_attribute("/", "scenario_yaml", e.meta.scenario_yaml);
  f.set_attribute("/", "seed", e.meta.seed);
  f.set_attribute("/", "replications", a.replications);
  f.set_attribute("/", "method", a.permutations == 0 ? "exact" : "sampled permutations");
  f.set_attribute("/", "permutations", static_cast<std::uint64_t>(a.permutations));
  f.set_attribute("/", "coalitions", static_cast<std::uint64_t>(a.coalitions));
  f.create_group("/attribution");
  write_dimensions(f, a, e);
  if (!a.met.empty()) {
    write_family(f, "met", "goal", a.met, "the probability that the goal is met", "1");
    write_family(f, "margin", "goal", a.margin, "the goal's margin (positive: met)",
                 common_units(a.margin, "goal_unit"));
  }
  if (!a.indicators.empty()) {
    write_family(f, "indicator", "indicator", a.indicators, "the indicator",
                 common_units(a.indicators, "indicator_unit"));
  }
}

}  // namespace

void write_attribution(const Attribution& a, const experiment::Experiment& e,
                       const std::filesystem::path& out) {
  const std::filesystem::path partial = out.string() + ".partial";
  try {
    io::H5File f = io::H5File::create(partial);
    write_contents(f, a, e);
    f.close();
    io::durable_rename(partial, out);
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(partial, ignored);
    throw;
  }
}

}  // namespace regsim::analysis
