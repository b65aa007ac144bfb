// `goals:`: each goal's indicator, cities, aggregation, date (`at` or
// `by`) and comparison. Their evaluation on a run's trajectories is in
// goal_evaluation.cpp.
#include <algorithm>
#include <limits>

#include <fmt/format.h>

#include "scenario/detail/sections.hpp"
#include "scenario/keys.hpp"
#include "scenario/text.hpp"

namespace regsim::scenario::detail {

namespace {

// name, source and indicator; false if the indicator is missing or unknown.
bool goal_names(Fields& f, const Tree& g, const std::string& path, Goal& goal) {
  bool ok = true;
  if (const Tree* x = g.find("name")) {
    goal.name = f.text(*x, path + ".name");
  } else {
    f.error(g.where, 1, "goal has no 'name'", path + ".name", "name: <goal name>");
  }
  if (const Tree* x = g.find("source")) goal.source = f.text(*x, path + ".source");
  if (const Tree* x = g.find("indicator")) {
    if (auto id = f.indicator(*x, path + ".indicator")) {
      goal.indicator = *id;
    } else {
      ok = false;
    }
  } else {
    f.error(g.where, 1, "goal has no 'indicator'", path + ".indicator",
            "indicator: <name> (see `regsim indicators`)");
    ok = false;
  }
  return ok;
}

// aggregation, and share (with share_of_cities only); false if the
// aggregation is unknown.
bool aggregation(Fields& f, const Tree& g, const std::string& path, Goal& goal) {
  static const std::vector<std::string> aggs(aggregation_names.begin(), aggregation_names.end());
  bool ok = true;
  if (const Tree* x = g.find("aggregation")) {
    const std::string a = f.text(*x, path + ".aggregation");
    const auto it = std::find(aggs.begin(), aggs.end(), a);
    if (it == aggs.end()) {
      if (x->is_scalar()) {
        f.error(*x, fmt::format("unknown aggregation '{}'", a), path + ".aggregation",
                "one of: " + join(aggs), nearest_name(a, aggs));
      }
      ok = false;
    } else {
      goal.aggregation = static_cast<Goal::Aggregation>(it - aggs.begin());
    }
  }
  if (const Tree* x = g.find("share")) {
    if (auto v = f.number(*x, path + ".share", 0.0, 1.0)) goal.share = *v;
    if (goal.aggregation != Goal::Aggregation::share_of_cities) {
      f.error(*x, "'share' is only used with aggregation: share_of_cities", path + ".share");
    }
  }
  return ok;
}

// at: YYYY-MM | by: YYYY-MM.
bool goal_date(Fields& f, const Tree& g, const std::string& path, Goal& goal) {
  const Tree* at = g.find("at");
  const Tree* by = g.find("by");
  if ((at != nullptr) == (by != nullptr)) {
    f.error(g.where, 1, "goal needs exactly one of 'at' and 'by'", path,
            "at: YYYY-MM (value at that month) or by: YYYY-MM (met at some month up to it)");
    return false;
  }
  if (auto d = f.date(at ? *at : *by, path + (at ? ".at" : ".by"))) {
    goal.date = *d;
    goal.by = by != nullptr;
    return true;
  }
  return false;
}

// below: x | above: x | between: [lo, hi].
bool comparison(Fields& f, const Tree& g, const std::string& path, Goal& goal) {
  const Tree* below = g.find("below");
  const Tree* above = g.find("above");
  const Tree* between = g.find("between");
  const int n = (below ? 1 : 0) + (above ? 1 : 0) + (between ? 1 : 0);
  const double inf = std::numeric_limits<double>::infinity();
  if (n != 1) {
    f.error(g.where, 1, "goal needs exactly one of 'below', 'above' and 'between'", path,
            "below: x, above: x or between: [lo, hi]");
    return false;
  }
  if (between) {
    goal.comparison = Goal::Comparison::between;
    if (!between->is_sequence() || between->items.size() != 2) {
      f.error(*between, "'between' needs [lo, hi]", path + ".between", "[lo, hi]");
      return false;
    }
    const auto lo = f.number(between->items[0], path + ".between", -inf, inf);
    const auto hi = f.number(between->items[1], path + ".between", -inf, inf);
    if (lo && hi && *lo <= *hi) {
      goal.threshold = *lo;
      goal.upper = *hi;
      return true;
    }
    if (lo && hi) f.error(*between, "'between' needs lo <= hi", path + ".between");
    return false;
  }
  goal.comparison = below ? Goal::Comparison::below : Goal::Comparison::above;
  if (auto v = f.number(below ? *below : *above, path + (below ? ".below" : ".above"), -inf, inf)) {
    goal.threshold = *v;
    return true;
  }
  return false;
}

}  // namespace

void read_goals(Fields& f, const Tree& t, Scenario& s) {
  if (t.kind == Tree::Kind::null) return;
  if (!t.is_sequence()) {
    f.error(t, fmt::format("'goals' must be a list, got {}", Fields::kind(t)), "goals",
            "a list of goals (- name: ..., indicator: ...)");
    return;
  }
  if (!f.within_limit(t, t.items.size(), limits::goals, "goals")) return;
  for (std::size_t i = 0; i < t.items.size(); ++i) {
    const Tree& g = t.items[i];
    const std::string path = fmt::format("goals[{}]", i);
    if (!f.require_map(g, path,
                       "a goal: {name, indicator, where, at | by, below | above | "
                       "between, aggregation, source}")) {
      continue;
    }
    f.check_keys(g, keys::names(keys::goal), path);
    Goal goal;
    goal.where = g.where;
    bool ok = goal_names(f, g, path, goal);
    if (const Tree* x = g.find("where")) {
      goal.selector_where = x->where;
      f.selector(*x, path + ".where", goal.selector, goal.names);
    } else {
      goal.selector_where = g.where;
    }
    ok = aggregation(f, g, path, goal) && ok;
    ok = goal_date(f, g, path, goal) && ok;
    ok = comparison(f, g, path, goal) && ok;
    if (ok) s.goals.push_back(std::move(goal));
  }
}

}  // namespace regsim::scenario::detail
