// `policies:`: each policy's name, lever, `where:`, `when:`, the lever's
// values under `set:` and an optional `trigger:`.
#include <algorithm>
#include <limits>
#include <set>

#include <fmt/format.h>

#include "model/levers/registry.hpp"
#include "scenario/detail/sections.hpp"
#include "scenario/keys.hpp"
#include "scenario/text.hpp"

namespace regsim::scenario::detail {

namespace {

using model::levers::Lever;

// name: a name used once in the scenario (`seen`).
void policy_name(Fields& f, const Tree& p, const std::string& path, std::set<std::string>& seen,
                 Policy& pol) {
  if (const Tree* x = p.find("name")) {
    pol.name = f.text(*x, path + ".name");
    if (!pol.name.empty() && !seen.insert(pol.name).second) {
      f.error(*x, fmt::format("duplicate policy name '{}'", pol.name), path + ".name",
              "a name used once (a child scenario replaces nothing: rename it)");
    }
  } else {
    f.error(p.key_where.empty() ? p.where : p.key_where[0], 1, "policy has no 'name'",
            path + ".name", "name: <policy name>");
  }
}

// lever: a key of the lever registry; nullptr if unknown or missing.
const Lever* policy_lever(Fields& f, const Tree& p, const std::string& path, Policy& pol) {
  const auto lever_keys = model::levers::keys();
  const Tree* x = p.find("lever");
  if (!x) {
    f.error(p.where, 1, "policy has no 'lever'", path + ".lever", "one of: " + join(lever_keys));
    return nullptr;
  }
  const std::string key = f.text(*x, path + ".lever");
  pol.lever = model::levers::find(key);
  if (!pol.lever && x->is_scalar()) {
    f.error(
        *x, fmt::format("unknown lever '{}'", key),
        fmt::format("{}.lever{}", path, pol.name.empty() ? "" : "  (policy '" + pol.name + "')"),
        "one of: " + join(lever_keys), nearest_name(key, lever_keys));
  }
  return pol.lever;
}

// when: {from: YYYY-MM, to: YYYY-MM}, `to` not before `from`.
void policy_window(Fields& f, const Tree& x, const std::string& path, Policy& pol) {
  if (!f.require_map(x, path + ".when", "{from: YYYY-MM, to: YYYY-MM}")) return;
  f.check_keys(x, keys::names(keys::window), path + ".when");
  if (const Tree* from = x.find("from")) {
    if (auto d = f.date(*from, path + ".when.from")) pol.from = *d;
  }
  if (const Tree* to = x.find("to")) {
    if (auto d = f.date(*to, path + ".when.to")) {
      pol.to = *d;
      if (*d < pol.from) {
        f.error(
            *to,
            fmt::format("when.to {} is before when.from {}", to_string(*d), to_string(pol.from)),
            path + ".when.to", "a month at or after when.from");
      }
    }
  }
}

// set: {parameter: value}: each a parameter of the lever, a number in its
// range or one of its words (stored as the word's index).
void given_values(Fields& f, const Tree& set, const Lever& lever, const std::string& spath,
                  Policy& pol) {
  std::vector<std::string> names;
  for (const auto& p : lever.params) names.emplace_back(p.name);
  for (std::size_t i = 0; i < set.entries.size(); ++i) {
    const std::string& key = set.entries[i].first;  // (a lambda below captures it)
    const Tree& value = set.entries[i].second;
    const auto it = std::find_if(lever.params.begin(), lever.params.end(),
                                 [&](const auto& p) { return p.name == key; });
    if (it == lever.params.end()) {
      f.error(set.key_where[i], code_points(key),
              fmt::format("lever '{}' has no parameter '{}'", lever.key, key), spath + "." + key,
              "one of: " + join(names), nearest_name(key, names));
      continue;
    }
    const model::levers::Slot slot{static_cast<std::size_t>(it - lever.params.begin())};
    if (!it->choices.empty()) {
      std::vector<std::string> choices(it->choices.begin(), it->choices.end());
      const auto c = std::find(choices.begin(), choices.end(), value.scalar);
      if (!value.is_scalar() || c == choices.end()) {
        f.error(
            value,
            fmt::format("'{}' must be one of the listed words, got {}", key, Fields::kind(value)),
            spath + "." + key, "one of: " + join(choices), nearest_name(value.scalar, choices));
        continue;
      }
      pol.set.push_back({key, slot, static_cast<double>(c - choices.begin()), value.where});
      continue;
    }
    if (auto v = f.number(value, spath + "." + key, it->min, it->max, std::string(it->unit))) {
      pol.set.push_back({key, slot, *v, value.where});
    }
  }
}

// A parameter that must exceed another (coal_demand_path: end_year >
// peak_year), compared with the defaults filled in.
void ordered_values(Fields& f, const Lever& lever, const std::string& spath, const Policy& pol) {
  for (const auto& p : lever.params) {
    if (p.after.empty()) continue;
    const auto value_of = [&](std::string_view name) -> std::pair<double, const LeverValue*> {
      for (const LeverValue& v : pol.set) {
        if (v.name == name) return {v.value, &v};
      }
      for (const auto& q : lever.params) {
        if (q.name == name && q.default_value) return {*q.default_value, nullptr};
      }
      return {0.0, nullptr};
    };
    const auto [value, given] = value_of(p.name);
    const auto [bound, bound_given] = value_of(p.after);
    if ((!given && !bound_given) || value > bound) continue;
    const LeverValue& at = given ? *given : *bound_given;
    f.error(at.where, 1,
            fmt::format("'{}' {}{} is not after '{}' {}{}", p.name, value,
                        given ? "" : " (the default)", p.after, bound,
                        bound_given ? "" : " (the default)"),
            spath + "." + (given ? std::string(p.name) : std::string(p.after)),
            fmt::format("{} > {}", p.name, p.after));
  }
}

// The lever's values: those given, their order, and the required ones.
void lever_values(Fields& f, const Tree* set, const Tree& policy, const Lever& lever,
                  const std::string& path, Policy& pol) {
  const std::string spath = path + ".set";
  if (set && set->kind != Tree::Kind::null) {
    if (!f.require_map(*set, spath, "{parameter: value, ...}")) return;
    given_values(f, *set, lever, spath, pol);
  }
  ordered_values(f, lever, spath, pol);
  pol.args = model::levers::LeverArgs(lever.params);
  for (const LeverValue& v : pol.set) pol.args.give(v.slot, v.value);
  for (const auto& p : lever.params) {
    if (!p.required()) continue;
    const bool given = std::any_of(pol.set.begin(), pol.set.end(),
                                   [&](const LeverValue& v) { return v.name == p.name; });
    const bool written = set && set->is_map() && set->find(p.name);
    if (!given && !written) {
      f.error(set ? *set : policy,
              fmt::format("lever '{}' needs '{}' ({})", lever.key, p.name, p.description),
              spath + "." + std::string(p.name),
              fmt::format("{}: a number in [{}, {}] {}", p.name, p.min, p.max, p.unit));
    }
  }
}

// trigger: {indicator, above | below, for_months, rearm}.
std::optional<PolicyTrigger> trigger(Fields& f, const Tree& t, const std::string& path) {
  if (!f.require_map(t, path, "{indicator: name, above: x | below: x, for_months: n}")) {
    return std::nullopt;
  }
  f.check_keys(t, keys::names(keys::trigger), path);
  PolicyTrigger tr;
  bool ok = true;
  if (const Tree* x = t.find("indicator")) {
    if (auto i = f.indicator(*x, path + ".indicator")) {
      tr.indicator = *i;
    } else {
      ok = false;
    }
  } else {
    f.error(t, "trigger has no 'indicator'", path + ".indicator", "indicator: <name>");
    ok = false;
  }
  const Tree* above = t.find("above");
  const Tree* below = t.find("below");
  const double inf = std::numeric_limits<double>::infinity();
  if ((above != nullptr) == (below != nullptr)) {
    f.error(t, "trigger needs exactly one of 'above' and 'below'", path, "above: x or below: x");
    ok = false;
  } else if (auto v = f.number(above ? *above : *below, path + (above ? ".above" : ".below"), -inf,
                               inf)) {
    tr.above = above != nullptr;
    tr.threshold = *v;
  } else {
    ok = false;
  }
  if (const Tree* x = t.find("for_months")) {
    if (auto v = f.integer(*x, path + ".for_months", 1, 600)) {
      tr.for_months = static_cast<std::uint32_t>(*v);
    } else {
      ok = false;
    }
  }
  if (const Tree* x = t.find("rearm")) {
    if (auto v = f.boolean(*x, path + ".rearm")) tr.rearm = *v;
  }
  if (!ok) return std::nullopt;
  return tr;
}

// One policy; std::nullopt if it cannot be run (every problem reported).
std::optional<Policy> policy(Fields& f, const Tree& p, const std::string& path,
                             std::set<std::string>& seen) {
  f.check_keys(p, keys::names(keys::policy), path);
  Policy pol;
  pol.where = p.where;
  bool ok = true;
  policy_name(f, p, path, seen, pol);
  const Lever* lever = policy_lever(f, p, path, pol);
  if (const Tree* x = p.find("source")) pol.source = f.text(*x, path + ".source");
  if (const Tree* x = p.find("where")) {
    pol.selector_where = x->where;
    f.selector(*x, path + ".where", pol.selector, pol.names, &pol.predicates);
  } else {
    pol.selector_where = p.where;
  }
  if (const Tree* x = p.find("when")) policy_window(f, *x, path, pol);
  if (!pol.predicates.empty() && pol.from == simulation_start) {
    f.error(key_location(*p.find("where"), "indicators"), 10,
            fmt::format("indicator predicates need a policy starting after {}: they are "
                        "evaluated on the month before activation",
                        to_string(simulation_start)),
            path + ".where.indicators", "when: {from: YYYY-MM} after 2013-01");
    ok = false;
  }
  if (lever) {
    lever_values(f, p.find("set"), p, *lever, path, pol);
  } else if (const Tree* x = p.find("set")) {
    f.require_map(*x, path + ".set", "{parameter: value, ...}");
  }
  if (const Tree* x = p.find("trigger")) {
    if (lever && !lever->triggerable) {
      f.error(key_location(p, "trigger"), 7,
              fmt::format("lever '{}' cannot carry a trigger", pol.lever->key), path + ".trigger",
              "a dated policy (when: {from, to})");
      ok = false;
    } else {
      pol.trigger = trigger(f, *x, path + ".trigger");
      ok = ok && pol.trigger.has_value();
    }
  }
  if (!ok) return std::nullopt;
  return pol;
}

}  // namespace

void read_policies(Fields& f, const Tree& t, Scenario& s) {
  if (t.kind == Tree::Kind::null) return;
  if (!t.is_sequence()) {
    f.error(t, fmt::format("'policies' must be a list, got {}", Fields::kind(t)), "policies",
            "a list of policies (- name: ..., lever: ...)");
    return;
  }
  if (!f.within_limit(t, t.items.size(), limits::policies, "policies")) return;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < t.items.size(); ++i) {
    const Tree& p = t.items[i];
    const std::string path = fmt::format("policies[{}]", i);
    if (!f.require_map(p, path, "a policy: {name, lever, where, when, set, trigger, source}")) {
      continue;
    }
    if (auto pol = policy(f, p, path, seen)) s.policies.push_back(std::move(*pol));
  }
}

}  // namespace regsim::scenario::detail
