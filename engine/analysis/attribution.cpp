#include "analysis/attribution.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <map>
#include <mutex>
#include <numeric>
#include <set>

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include "experiment/replication.hpp"
#include "model/groups.hpp"
#include "scenario/diagnostics.hpp"
#include "scenario/statistics.hpp"

namespace regsim::analysis {

namespace {

using scenario::z90;

[[noreturn]] void refuse(const std::string& what, const std::string& message,
                         const std::string& expected, const std::string& suggestion = {}) {
  scenario::Diagnostic d = scenario::file_problem(what, message, expected);
  d.suggestion = suggestion;
  throw scenario::InputError({std::move(d)});
}

std::string joined(const std::vector<std::string>& names, std::string_view separator) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : std::string(separator)) + n;
  return out;
}

}  // namespace

std::vector<Player> players_of(const scenario::Scenario& s,
                               const std::vector<std::vector<std::string>>& groups) {
  std::vector<std::string> own;
  std::map<std::string, std::size_t> index;
  for (std::size_t p = 0; p < s.policies.size(); ++p) {
    if (s.policies[p].inherited) continue;
    own.push_back(s.policies[p].name);
    index[s.policies[p].name] = p;
  }
  if (own.empty()) {
    refuse(s.file.string(), "the scenario declares no policy of its own: no package to attribute",
           "a scenario with policies: (those inherited through extends: are not its package)");
  }
  // Which group, if any, each own policy belongs to.
  std::map<std::size_t, std::size_t> group_of;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    for (const auto& name : groups[g]) {
      const auto it = index.find(name);
      if (it == index.end()) {
        const bool inherited = std::any_of(s.policies.begin(), s.policies.end(),
                                           [&](const auto& p) { return p.name == name; });
        refuse("--group-policies",
               inherited ? fmt::format("policy '{}' is inherited through extends, not part of "
                                       "the package",
                                       name)
                         : fmt::format("unknown policy '{}'", name),
               "one of the scenario's own policies: " + joined(own, ", "),
               inherited ? std::string() : scenario::nearest_name(name, own));
      }
      if (!group_of.emplace(it->second, g).second) {
        refuse("--group-policies", fmt::format("policy '{}' is named twice", name),
               "each policy in one group at most");
      }
    }
  }
  std::vector<Player> players;
  std::map<std::size_t, std::size_t> player_of_group;
  for (std::size_t p = 0; p < s.policies.size(); ++p) {
    if (s.policies[p].inherited) continue;
    const auto g = group_of.find(p);
    if (g == group_of.end()) {
      players.push_back({s.policies[p].name, {p}});
      continue;
    }
    // A group takes the place of its first policy in file order.
    auto [it, first] = player_of_group.emplace(g->second, players.size());
    if (first) players.push_back({joined(groups[g->second], "+"), {}});
    players[it->second].policies.push_back(p);
  }
  return players;
}

Estimate estimate(const std::vector<double>& x) {
  const auto n = static_cast<double>(x.size());
  if (x.empty()) return {NAN, NAN, NAN};
  const double mean = std::accumulate(x.begin(), x.end(), 0.0) / n;
  double squares = 0.0;
  for (const double v : x) squares += (v - mean) * (v - mean);
  const double half = x.size() > 1 ? z90 * std::sqrt(squares / (n - 1) / n) : NAN;
  return {mean, mean - half, mean + half};
}

scenario::Scenario with_players(const scenario::Scenario& s, const std::vector<Player>& players,
                                Coalition on) {
  std::vector<bool> keep(s.policies.size(), true);
  for (std::size_t i = 0; i < players.size(); ++i) {
    if (on & (Coalition{1} << i)) continue;
    for (const std::size_t p : players[i].policies) keep[p] = false;
  }
  scenario::Scenario out = s;
  out.policies.clear();
  for (std::size_t p = 0; p < s.policies.size(); ++p) {
    if (keep[p]) out.policies.push_back(s.policies[p]);
  }
  return out;
}

namespace {

// What one replication of one coalition gives: goals met (0/1), goal
// margins, then the indicators, in that order.
std::vector<double> quantities(const experiment::Replication& r,
                               const std::vector<model::CityGroup>& groups,
                               const std::vector<IndicatorAt>& indicators) {
  std::vector<double> q;
  for (const auto& g : r.goals) q.push_back(g.met ? 1.0 : 0.0);
  for (const auto& g : r.goals) q.push_back(g.margin);
  for (const auto& i : indicators) {
    q.push_back(r.result.trajectories.aggregate(i.indicator, groups[i.group].cities, i.month));
  }
  return q;
}

// Every (coalition, replicate) computed in parallel into its own slot:
// values[k][r] = quantities of coalition k, replicate r. Each replication
// runs on one thread (experiment::compute_replication), so the values do
// not depend on how the jobs are spread.
std::vector<std::vector<std::vector<double>>> run_coalitions(
    const experiment::Experiment& e, const std::vector<scenario::Scenario>& variants,
    const AttributionOptions& o) {
  const std::uint64_t replications = e.replications();
  const std::size_t jobs = variants.size() * replications;
  const auto groups = model::make_groups(e.region);
  std::vector<std::vector<std::vector<double>>> values(
      variants.size(), std::vector<std::vector<double>>(replications));
  std::vector<model::ModelConfig> configs;  // each coalition compiled once
  configs.reserve(variants.size());
  for (const auto& v : variants) configs.push_back(scenario::compile(v, e.region));
  std::mutex progress_lock;
  std::uint64_t done = 0;
  tbb::task_arena arena(static_cast<int>(std::max(1u, o.threads)));
  arena.execute([&] {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, jobs, 1), [&](const auto& range) {
      for (std::size_t job = range.begin(); job != range.end(); ++job) {
        const std::size_t k = job / replications, r = job % replications;
        const experiment::Replication rep =
            experiment::compute_replication(variants[k], e.region, configs[k], r);
        values[k][r] = quantities(rep, groups, o.indicators);
        if (o.progress) {
          const std::lock_guard lock(progress_lock);
          o.progress(++done, jobs);
        }
      }
    });
  });
  return values;
}

}  // namespace

Attribution attribute(const experiment::Experiment& e, const AttributionOptions& o) {
  const std::size_t n = o.players.size();
  const ShapleyPlan plan =
      o.permutations == 0 ? exact_plan(n) : sampled_plan(n, o.permutations, e.scenario.seed);
  std::vector<scenario::Scenario> variants;
  for (const Coalition c : plan.coalitions) {
    variants.push_back(with_players(e.scenario, o.players, c));
  }
  const auto values = run_coalitions(e, variants, o);

  Attribution a;
  a.players = o.players;
  a.permutations = o.permutations;
  a.coalitions = plan.coalitions.size();
  a.replications = e.replications();
  const std::size_t goals = e.scenario.goals.size();
  const std::size_t none = 0,
                    all = plan.coalitions.size() - 1;  // ascending: empty first, full last
  const std::size_t count = 2 * goals + o.indicators.size();
  for (std::size_t q = 0; q < count; ++q) {
    Attributed out;
    if (q < goals) {
      out.name = e.scenario.goals[q].name;
      out.units = "1";
    } else if (q < 2 * goals) {
      out.name = e.scenario.goals[q - goals].name;
      out.units = std::string(model::spec(e.scenario.goals[q - goals].indicator).unit);
    } else {
      const IndicatorAt& i = o.indicators[q - 2 * goals];
      out.name = i.label;
      out.units = std::string(model::spec(i.indicator).unit);
    }
    out.shares.assign(n, {});
    for (std::uint64_t r = 0; r < a.replications; ++r) {
      std::vector<double> v;
      for (std::size_t k = 0; k < plan.coalitions.size(); ++k) v.push_back(values[k][r][q]);
      out.none.push_back(v[none]);
      out.all.push_back(v[all]);
      const std::vector<double> phi = shapley_values(plan, v);
      for (std::size_t i = 0; i < n; ++i) out.shares[i].push_back(phi[i]);
    }
    (q < goals ? a.met : q < 2 * goals ? a.margin : a.indicators).push_back(std::move(out));
  }
  return a;
}

}  // namespace regsim::analysis
