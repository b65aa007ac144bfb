// From a validated scenario to what the model runs: the region check, the
// ModelConfig every replication shares (policies compiled by their levers
// in file order) and each replication's own inputs (seed, parameters,
// sampled values). Goal evaluation is in goal_evaluation.cpp.
#include <algorithm>
#include <cmath>
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

// Price paths from files: months before a file's first follow the price
// process (NaN, see market.cpp); month 0 without a value is the start
// level 1, as without a path. Demand paths: months before a file's first
// are at the 2013 level (1).
void index_paths(const Scenario& s, model::ModelConfig& config) {
  for (const PricePath& p : s.prices) {
    auto& path = config.price_paths[static_cast<std::size_t>(p.resource)];
    path.assign(month_index(p.first), std::numeric_limits<double>::quiet_NaN());
    if (!path.empty()) path[0] = 1.0;
    path.insert(path.end(), p.index.begin(), p.index.end());
  }
  for (const PricePath& p : s.demand) {
    auto& path = config.demand_paths[static_cast<std::size_t>(p.resource)];
    path.assign(month_index(p.first), 1.0);
    path.insert(path.end(), p.index.begin(), p.index.end());
  }
}

// A lever's price paths replace the configuration's; its price and demand
// factors multiply those of earlier levers (a missing month is 1).
void add_market(model::levers::LeverOutput& out, model::ModelConfig& config) {
  for (std::size_t r = 0; r < out.price_paths.size(); ++r) {
    if (!out.price_paths[r].empty()) config.price_paths[r] = std::move(out.price_paths[r]);
    const auto& add = out.price_factors[r];
    auto& factors = config.price_factors[r];
    if (factors.size() < add.size()) factors.resize(add.size(), 1.0);
    for (std::size_t t = 0; t < add.size(); ++t) factors[t] *= add[t];
    const auto& more = out.demand_factors[r];
    auto& demand = config.demand_factors[r];
    if (demand.size() < more.size()) demand.resize(more.size(), 1.0);
    for (std::size_t t = 0; t < more.size(); ++t) demand[t] *= more[t];
  }
}

// Indicator predicates, evaluated per city at activation on the month
// before it (the window's start, or the month a trigger fires): every
// action of the policy (reverts included) follows that one decision. A
// city reads only its own, already recorded row.
void gate_on_predicates(const Policy& p, double from, model::levers::LeverOutput& out) {
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

// Triggered: each city's action runs when its trigger fires, which it
// does only within the policy's window [from, until).
void add_triggered(const PolicyTrigger& trigger, double from, double until,
                   model::levers::LeverOutput& out, model::ModelConfig& config) {
  for (auto& a : out.actions) {
    model::Trigger t;
    t.action = std::move(a);
    t.indicator = trigger.indicator;
    t.above = trigger.above;
    t.threshold = trigger.threshold;
    t.for_months = trigger.for_months;
    t.rearm = trigger.rearm;
    t.from_month = from;
    t.until_month = until;
    config.triggers.push_back(std::move(t));
  }
}

// One policy (the `policy`-th) compiled by its lever into the configuration.
void add_policy(const Policy& p, std::uint32_t policy, const model::CityCatalogue& region,
                model::ModelConfig& config) {
  const model::levers::Lever& lever = *p.lever;  // never null once load() validated it
  const auto months = static_cast<double>(config.months);
  const std::vector<std::uint32_t> cities = p.selector.select(region);
  const double from = month_index(p.from);
  std::optional<double> to;
  if (p.to) to = static_cast<double>(month_index(*p.to) + 1);
  if (from >= months) return;  // starts after this run ends
  const model::levers::LeverContext ctx{
      region, cities, from, to, config.months, p.trigger.has_value(), p.args, config.ledger_slots};
  model::levers::LeverOutput out;
  lever.compile(ctx, out);
  config.ledger_slots += out.ledger_slots;
  for (auto& a : out.actions) a.policy = policy;
  add_market(out, config);
  if (!p.predicates.empty()) gate_on_predicates(p, from, out);
  if (!p.trigger) {
    for (auto& a : out.actions) {
      if (a.at_month < months) config.actions.push_back(std::move(a));
    }
    return;
  }
  add_triggered(*p.trigger, from, to.value_or(des::never), out, config);
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

model::ModelConfig compile(const Scenario& s, const model::CityCatalogue& region) {
  model::ModelConfig config;
  config.months = month_index(s.horizon.end) + 1;
  index_paths(s, config);
  for (std::uint32_t policy = 0; policy < s.policies.size(); ++policy) {
    add_policy(s.policies[policy], policy, region, config);
  }
  return config;
}

model::ReplicationInputs replication_inputs(const Scenario& s, std::uint64_t replication) {
  model::ReplicationInputs in;
  in.seed = s.seed;
  in.replication = replication;
  for (const auto& [param, value] : s.parameters) in.params.set(param, value);
  for (const auto& [param, value] : sample(s, replication)) in.params.set(param, value);
  return in;
}

}  // namespace regsim::scenario
