// From a validated scenario to what the model runs: the region check, the
// per-run ModelConfig (parameters, sampled values, policies compiled by
// their levers in file order), and goal evaluation.
#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>

#include <fmt/format.h>

#include "model/levers/registry.hpp"
#include "model/params.hpp"
#include "scenario/detail/fields.hpp"
#include "scenario/detail/tree.hpp"
#include "scenario/samplers.hpp"
#include "scenario/scenario.hpp"

namespace regsim::scenario {

namespace detail {

void check_names(const std::vector<RegionName>& names, const model::Selector& sel,
                 const SourceLocation& sel_at, const std::string& what,
                 const model::CityCatalogue& region, const detail::Sources& sources,
                 Diagnostics& diags) {
  bool names_ok = true;
  for (const RegionName& n : names) {
    Diagnostic d;
    d.where = n.where;
    d.span = n.span;
    d.source_line = sources.line(n.where);
    d.key_path = what;
    if (n.kind == RegionName::Kind::province) {
      if (model::find_province(region, n.text)) continue;
      const auto provinces = model::province_names(region);
      d.message = fmt::format("no province '{}' in this region", n.text);
      d.expected = "one of: " + join(provinces) + " (or the Chinese name)";
      d.suggestion = nearest_name(n.text, provinces);
    } else {
      if (model::find_city(region, n.text)) continue;
      d.message = fmt::format("no city '{}' in this region", n.text);
      d.expected = "a city id or name (zh or en) from the region's cities.csv";
      std::vector<std::string> city_names;
      for (const auto& c : region.cities) city_names.push_back(c.name_en);
      d.suggestion = nearest_name(n.text, city_names);
    }
    names_ok = false;
    diags.add(std::move(d));
  }
  if (names_ok && !sel.all() && sel.select(region).empty()) {
    Diagnostic d;
    d.where = sel_at;
    d.source_line = sources.line(sel_at);
    d.message = "this selector matches no city in the region";
    d.key_path = what;
    d.expected = "criteria that at least one city meets (try `regsim cities --where ...`)";
    diags.add(std::move(d));
  }
}

}  // namespace detail

namespace {

// The date a trigger-only action is scheduled at: never reached (the model
// ignores an action's date when a trigger runs it).
constexpr double never = 1e12;

model::levers::LeverArgs lever_args(const Policy& p, const model::levers::Lever& lever) {
  model::levers::LeverArgs args;
  for (const auto& spec : lever.params) {
    const auto it = std::find_if(p.set.begin(), p.set.end(),
                                 [&](const LeverValue& v) { return v.name == spec.name; });
    if (it != p.set.end()) {
      args.set(spec.name, it->value);
      args.mark_given(spec.name);
    } else {
      args.set(spec.name, spec.default_value.value_or(0.0));
    }
  }
  return args;
}

double share_met(const Goal& g, double value) {
  switch (g.comparison) {
    case Goal::Comparison::below:
      return g.threshold - value;
    case Goal::Comparison::above:
      return value - g.threshold;
    case Goal::Comparison::between:
      return std::min(value - g.threshold, g.upper - value);
  }
  return 0.0;
}

// The goal's margin at one month (positive = met).
double margin_at(const Goal& g, const std::vector<std::size_t>& cities,
                 const model::Trajectories& t, std::size_t month) {
  switch (g.aggregation) {
    case Goal::Aggregation::sum:
      return share_met(g, t.aggregate(g.id, cities, month));
    case Goal::Aggregation::mean: {
      double sum = 0.0;
      for (const auto c : cities) sum += t.at(g.id, c, month);
      return share_met(g, cities.empty() ? 0.0 : sum / static_cast<double>(cities.size()));
    }
    case Goal::Aggregation::every: {
      double worst = std::numeric_limits<double>::infinity();
      for (const auto c : cities) worst = std::min(worst, share_met(g, t.at(g.id, c, month)));
      return cities.empty() ? 0.0 : worst;
    }
    case Goal::Aggregation::share_of_cities: {
      std::size_t met = 0;
      for (const auto c : cities) {
        if (share_met(g, t.at(g.id, c, month)) >= 0.0) ++met;
      }
      const double share =
          cities.empty() ? 0.0 : static_cast<double>(met) / static_cast<double>(cities.size());
      return share - g.share;
    }
  }
  return 0.0;
}

}  // namespace

void check_against_region(const Scenario& s, const model::CityCatalogue& region) {
  detail::Sources sources;
  for (const auto& o : s.overrides) sources.add_override(o);
  Diagnostics diags;
  for (std::size_t i = 0; i < s.policies.size(); ++i) {
    const Policy& p = s.policies[i];
    detail::check_names(p.names, p.selector, p.selector_where,
                        fmt::format("policies[{}].where  (policy '{}')", i, p.name), region,
                        sources, diags);
  }
  for (std::size_t i = 0; i < s.goals.size(); ++i) {
    const Goal& g = s.goals[i];
    detail::check_names(g.names, g.selector, g.selector_where,
                        fmt::format("goals[{}].where  (goal '{}')", i, g.name), region, sources,
                        diags);
  }
  diags.throw_if_any();
}

model::ModelConfig compile(const Scenario& s, const model::CityCatalogue& region,
                           std::uint64_t replication) {
  model::ModelConfig config;
  config.seed = s.seed;
  config.replication = replication;
  config.months = month_index(s.horizon.end) + 1;
  for (const auto& [name, value] : s.parameters) {
    config.params.set(*model::find_param(name), value);
  }
  for (const auto& [name, value] : sample(s, replication)) {
    config.params.set(*model::find_param(name), value);
  }
  // Price paths from files: months before a file's first follow the price
  // process (NaN, see market.cpp); month 0 without a value is the start
  // level 1, as without a path.
  for (const PricePath& p : s.prices) {
    auto& path = config.price_paths[static_cast<std::size_t>(p.resource)];
    path.assign(month_index(p.first), std::numeric_limits<double>::quiet_NaN());
    if (!path.empty()) path[0] = 1.0;
    path.insert(path.end(), p.index.begin(), p.index.end());
  }
  // Demand paths: months before a file's first are at the 2013 level (1).
  for (const PricePath& p : s.demand) {
    auto& path = config.demand_paths[static_cast<std::size_t>(p.resource)];
    path.assign(month_index(p.first), 1.0);
    path.insert(path.end(), p.index.begin(), p.index.end());
  }
  const auto months = static_cast<double>(config.months);
  for (std::uint32_t policy = 0; policy < s.policies.size(); ++policy) {
    const Policy& p = s.policies[policy];
    const model::levers::Lever* lever = model::levers::find(p.lever);
    if (!lever) continue;  // validated by load()
    const std::vector<std::uint32_t> cities = p.selector.select(region);
    const model::levers::LeverArgs args = lever_args(p, *lever);
    const double from = month_index(p.from);
    std::optional<double> to;
    if (p.to) to = static_cast<double>(month_index(*p.to) + 1);
    if (from >= months) continue;  // starts after this run ends
    const model::levers::LeverContext ctx{
        region, cities, from, to, config.months, p.trigger.has_value(), args, config.ledger_slots};
    model::levers::LeverOutput out;
    lever->compile(ctx, out);
    config.ledger_slots += out.ledger_slots;
    for (auto& a : out.actions) a.policy = policy;
    for (std::size_t r = 0; r < out.price_paths.size(); ++r) {
      if (!out.price_paths[r].empty()) config.price_paths[r] = std::move(out.price_paths[r]);
      // Factors of several levers multiply; a missing month is 1.
      const auto& add = out.price_factors[r];
      auto& factors = config.price_factors[r];
      if (factors.size() < add.size()) factors.resize(add.size(), 1.0);
      for (std::size_t t = 0; t < add.size(); ++t) factors[t] *= add[t];
      const auto& more = out.demand_factors[r];
      auto& demand = config.demand_factors[r];
      if (demand.size() < more.size()) demand.resize(more.size(), 1.0);
      for (std::size_t t = 0; t < more.size(); ++t) demand[t] *= more[t];
    }
    if (!p.predicates.empty()) {
      // Indicator predicates, evaluated per city at activation on the month
      // before it (the window's start, or the month a trigger fires): every
      // action of the policy (reverts included) follows that one decision.
      // A city reads only its own, already recorded row.
      const bool triggered = p.trigger.has_value();
      for (auto& a : out.actions) {
        a.apply = [apply = std::move(a.apply), preds = p.predicates, from, triggered](
                      model::CityModel& m, model::Scheduler& sched, std::uint32_t c) {
          const double activation = triggered ? std::floor(sched.now()) : from;
          if (activation < 1.0) return;  // rejected by load(): nothing recorded before
          const auto month = static_cast<std::size_t>(activation) - 1;
          for (const IndicatorPredicate& pred : preds) {
            if (!pred.holds(m.trajectories().at(pred.indicator, c, month))) return;
          }
          apply(m, sched, c);
        };
      }
    }
    if (!p.trigger) {
      for (auto& a : out.actions) {
        if (a.at_month < months) config.actions.push_back(std::move(a));
      }
      continue;
    }
    // Triggered: each city's action runs when its trigger fires, which it
    // does only within the policy's window.
    const double until = to.value_or(std::numeric_limits<double>::infinity());
    for (auto& a : out.actions) {
      a.at_month = never;
      model::Trigger t;
      t.city = a.city;
      t.indicator = p.trigger->indicator;
      t.above = p.trigger->above;
      t.threshold = p.trigger->threshold;
      t.for_months = p.trigger->for_months;
      t.rearm = p.trigger->rearm;
      t.from_month = from;
      t.until_month = until;
      t.action = static_cast<std::uint32_t>(config.actions.size());
      config.actions.push_back(std::move(a));
      config.triggers.push_back(t);
    }
  }
  return config;
}

namespace {

// One goal on the given cities (ascending indices).
GoalResult evaluate_goal(const Scenario& s, const Goal& g, const std::vector<std::size_t>& cities,
                         const model::Trajectories& t) {
  GoalResult r;
  const std::size_t month = month_index(g.date);
  if (month >= t.months() || cities.empty()) {
    r.margin = std::numeric_limits<double>::quiet_NaN();  // no city, or the run ended before
    return r;
  }
  if (!g.by) {
    r.margin = margin_at(g, cities, t, month);
    r.met = r.margin >= 0.0;
    return r;
  }
  // `by`: met at some month from the horizon's start up to the date; the
  // margin is the best one over those months.
  r.margin = -std::numeric_limits<double>::infinity();
  for (std::size_t m = month_index(s.horizon.start); m <= month; ++m) {
    const double margin = margin_at(g, cities, t, m);
    r.margin = std::max(r.margin, margin);
    if (margin >= 0.0 && r.first_month_met < 0) r.first_month_met = static_cast<std::int32_t>(m);
  }
  r.met = r.first_month_met >= 0;
  return r;
}

// In catalogue order, as select() returns them: ascending.
std::vector<std::size_t> selected_cities(const Goal& g, const model::CityCatalogue& region) {
  const auto selected = g.selector.select(region);
  return {selected.begin(), selected.end()};
}

}  // namespace

std::vector<GoalResult> evaluate_goals(const Scenario& s, const model::CityCatalogue& region,
                                       const model::Trajectories& t) {
  std::vector<GoalResult> out;
  for (const Goal& g : s.goals) out.push_back(evaluate_goal(s, g, selected_cities(g, region), t));
  return out;
}

GoalBreakdown evaluate_goal_breakdown(const Scenario& s, const model::CityCatalogue& region,
                                      const std::vector<model::CityGroup>& groups,
                                      const model::Trajectories& t) {
  GoalBreakdown out;
  out.by_group.reserve(s.goals.size() * groups.size());
  out.by_city.reserve(s.goals.size() * region.size());
  const auto outcome = [](const GoalResult& r) {
    return std::isnan(r.margin) ? GoalBreakdown::not_applicable
                                : (r.met ? GoalBreakdown::met : GoalBreakdown::missed);
  };
  for (const Goal& g : s.goals) {
    const std::vector<std::size_t> cities = selected_cities(g, region);
    for (const model::CityGroup& group : groups) {  // members ascending, as make_groups() builds
      std::vector<std::size_t> both;
      std::set_intersection(cities.begin(), cities.end(), group.cities.begin(), group.cities.end(),
                            std::back_inserter(both));
      out.by_group.push_back(outcome(evaluate_goal(s, g, both, t)));
    }
    std::size_t next = 0;  // walks `cities` alongside the city index
    for (std::size_t c = 0; c < region.size(); ++c) {
      const bool selected = next < cities.size() && cities[next] == c;
      if (selected) ++next;
      out.by_city.push_back(selected ? outcome(evaluate_goal(s, g, {c}, t))
                                     : GoalBreakdown::not_applicable);
    }
  }
  return out;
}

}  // namespace regsim::scenario
