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
  g.id = Indicator::unemployment_rate;
  g.indicator = "unemployment_rate";
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
