// Goal evaluation: each goal's margin and verdict on a run's trajectories
// (at a month, or by a month: the best margin up to it), for the whole
// selection, per city group and per city.
#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>

#include "scenario/scenario.hpp"

namespace regsim::scenario {

namespace {

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
      return share_met(g, t.aggregate(g.indicator, cities, month));
    case Goal::Aggregation::mean: {
      double sum = 0.0;
      for (const auto c : cities) sum += t.at(g.indicator, c, month);
      return share_met(g, cities.empty() ? 0.0 : sum / static_cast<double>(cities.size()));
    }
    case Goal::Aggregation::every: {
      double worst = std::numeric_limits<double>::infinity();
      for (const auto c : cities)
        worst = std::min(worst, share_met(g, t.at(g.indicator, c, month)));
      return cities.empty() ? 0.0 : worst;
    }
    case Goal::Aggregation::share_of_cities: {
      std::size_t met = 0;
      for (const auto c : cities) {
        if (share_met(g, t.at(g.indicator, c, month)) >= 0.0) ++met;
      }
      const double share =
          cities.empty() ? 0.0 : static_cast<double>(met) / static_cast<double>(cities.size());
      return share - g.share;
    }
  }
  return 0.0;
}

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
