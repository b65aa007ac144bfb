// Goal evaluation on hand-made trajectories: at / by, below / above /
// between, and the aggregations.
#include <cmath>
#include <filesystem>

#include <catch2/catch.hpp>

#include "io/seeds_reader.hpp"
#include "scenario/scenario.hpp"

namespace fs = std::filesystem;
using namespace regsim;
using model::Indicator;
using scenario::Goal;

namespace {

const fs::path source_dir = REGSIM_SOURCE_DIR;

Goal goal(Goal::Aggregation agg, Goal::Comparison cmp, double threshold, scenario::YearMonth date,
          bool by = false) {
  Goal g;
  g.indicator = Indicator::unemployment_rate;
  g.aggregation = agg;
  g.comparison = cmp;
  g.threshold = threshold;
  g.date = date;
  g.by = by;
  return g;
}

}  // namespace

TEST_CASE("scenario::evaluate_goals: at, by and the aggregations", "[scenario][goals]") {
  const auto region = io::read_region(source_dir / "tests/data/regions/tiny");
  model::Trajectories t(3, 24);
  // Unemployment rate falls by 0.01 a month from 0.20 (city 0), 0.10 (1), 0.06 (2);
  // the labour force is 100 everywhere, so the ratio of sums is the mean.
  for (std::size_t m = 0; m < 24; ++m) {
    const double rates[3] = {0.20, 0.10, 0.06};
    for (std::size_t c = 0; c < 3; ++c) {
      const double rate = std::max(0.0, rates[c] - 0.01 * static_cast<double>(m));
      t.at(Indicator::unemployment_rate, c, m) = rate;
      t.at(Indicator::unemployed, c, m) = 100.0 * rate;
      t.at(Indicator::labour_force, c, m) = 100.0;
    }
  }
  scenario::Scenario s;
  using A = Goal::Aggregation;
  using C = Goal::Comparison;
  s.goals = {
      goal(A::sum, C::below, 0.05, {2013, 6}),              // mean 0.12 - 0.05 at month 5 = 0.07
      goal(A::every, C::below, 0.05, {2014, 12}),           // all zero by then
      goal(A::share_of_cities, C::below, 0.05, {2013, 3}),  // cities below 0.05 at month 2
      goal(A::mean, C::below, 0.05, {2014, 12}, true),      // by: first month met
      goal(A::sum, C::between, 0.02, {2013, 1}),
      goal(A::sum, C::above, 0.5, {2014, 12}, true),  // never met
      goal(A::sum, C::below, 0.05, {2016, 1}),        // beyond the run
  };
  s.goals[2].share = 0.3;
  s.goals[4].upper = 0.2;
  const auto r = scenario::evaluate_goals(s, region, t);
  REQUIRE(r.size() == 7);
  CHECK(!r[0].met);
  CHECK(r[0].margin == Approx(0.05 - (0.15 + 0.05 + 0.01) / 3));
  CHECK(r[1].met);
  CHECK(r[1].margin == Approx(0.05));
  CHECK(r[2].met);  // one city of three (0.04) meets it: share 1/3 >= 0.3
  CHECK(r[2].margin == Approx(1.0 / 3.0 - 0.3));
  CHECK(r[3].met);
  CHECK(r[3].first_month_met == 8);  // mean (0.12 + 0.02 + 0) / 3 = 0.047 < 0.05 at month 8
  CHECK(r[4].met);
  CHECK(!r[5].met);
  CHECK(r[5].first_month_met == -1);
  CHECK(!r[6].met);
  CHECK(std::isnan(r[6].margin));
}

TEST_CASE("scenario::evaluate_goal_breakdown: each goal within each group and city",
          "[scenario][goals]") {
  const auto region = io::read_region(source_dir / "tests/data/regions/tiny");
  const auto groups = model::make_groups(region);
  model::Trajectories t(3, 12);
  // Unemployment rates 0.09 (city 0, declining), 0.03 (1, mature), 0.04 (2, growing).
  const double rates[3] = {0.09, 0.03, 0.04};
  for (std::size_t m = 0; m < 12; ++m) {
    for (std::size_t c = 0; c < 3; ++c) {
      t.at(Indicator::unemployment_rate, c, m) = rates[c];
      t.at(Indicator::unemployed, c, m) = 100.0 * rates[c];
      t.at(Indicator::labour_force, c, m) = 100.0;
    }
  }
  scenario::Scenario s;
  s.goals = {goal(Goal::Aggregation::sum, Goal::Comparison::below, 0.05, {2013, 12}),
             goal(Goal::Aggregation::sum, Goal::Comparison::below, 0.05, {2013, 12})};
  // The second goal selects the declining city only.
  s.goals[1].selector.categories = {model::Category::declining};
  const auto b = scenario::evaluate_goal_breakdown(s, region, groups, t);
  REQUIRE(b.by_group.size() == 2 * groups.size());
  REQUIRE(b.by_city.size() == 2 * region.size());
  const auto group_outcome = [&](std::size_t goal_index, const std::string& name) {
    for (std::size_t k = 0; k < groups.size(); ++k) {
      if (groups[k].name == name) return b.by_group[goal_index * groups.size() + k];
    }
    FAIL("no group " << name);
    return std::uint8_t{99};
  };
  // Goal 0, all cities: the nation's rate (16 / 300) is not below 0.05.
  CHECK(group_outcome(0, "all") == 0);
  CHECK(group_outcome(0, "declining") == 0);
  CHECK(group_outcome(0, "mature") == 1);
  CHECK(group_outcome(0, "growing") == 1);
  CHECK(group_outcome(0, "Liaoning") == 1);
  CHECK(b.by_city == std::vector<std::uint8_t>{0, 1, 1, 0, 2, 2});
  // Goal 1 has no city outside the declining category.
  CHECK(group_outcome(1, "declining") == 0);
  CHECK(group_outcome(1, "mature") == scenario::GoalBreakdown::not_applicable);
  CHECK(group_outcome(1, "Shanxi") == 0);
}
