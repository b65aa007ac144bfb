// Morris elementary effects through the samplers' real Morris design: a
// linear function's effects are known exactly, and the ranking follows.
#include <cmath>

#include <catch2/catch.hpp>

#include "analysis/morris_effects.hpp"
#include "tests/analysis/design_points.hpp"

using namespace regsim;

TEST_CASE("analysis::morris_effects: linear function, mu* = |c| (b - a), sigma = 0",
          "[analysis][morris][requirement]") {
  // f = sum c_i x_i, x_i ~ U(a_i, b_i). Each step moves x_i by half its
  // range (dp = 0.5 in the unit cube), so every EE_i = c_i (b_i - a_i).
  const std::vector<double> c = {2.0, -5.0, 0.5, 0.0};
  const std::vector<std::pair<double, double>> range = {{0, 1}, {10, 12}, {-4, 4}, {0, 100}};
  std::vector<scenario::Uncertainty> us;
  for (std::size_t i = 0; i < c.size(); ++i) {
    us.push_back(test::uniform(test::factor_name(i), range[i].first, range[i].second));
  }
  const auto s = test::design(scenario::Sampling::morris, 20, us);
  const auto linear = [&](const std::vector<double>& x) {
    double y = 0;
    for (std::size_t i = 0; i < c.size(); ++i) y += c[i] * x[i];
    return y;
  };
  const auto e = test::evaluate(s, linear);
  REQUIRE(e.blocks.problem.empty());
  const auto design = analysis::morris_design(s, e.blocks);
  const auto effects = analysis::elementary_effects(design, e.values, c.size());
  const auto m = analysis::morris_effects(effects);
  REQUIRE(m.size() == c.size());
  for (std::size_t i = 0; i < c.size(); ++i) {
    const double expected = c[i] * (range[i].second - range[i].first);
    INFO("x" << i + 1);
    CHECK(effects[i].size() == 20);  // one effect per trajectory
    CHECK(m[i].mu_star == Approx(std::abs(expected)).margin(1e-9));
    CHECK(m[i].mu == Approx(expected).margin(1e-9));
    CHECK(m[i].sigma == Approx(0).margin(1e-9));
  }
  // Ranking by mu*: x2 (10), x3 (4), x1 (2), x4 (0).
  CHECK(m[1].mu_star > m[2].mu_star);
  CHECK(m[2].mu_star > m[0].mu_star);
  CHECK(m[0].mu_star > m[3].mu_star);
}

TEST_CASE("analysis::morris_effects: an interaction shows in sigma, not in a linear factor",
          "[analysis][morris]") {
  const auto s = test::design(
      scenario::Sampling::morris, 30,
      {test::uniform("x1", 0, 1), test::uniform("x2", 0, 1), test::uniform("x3", 0, 1)});
  const auto e =
      test::evaluate(s, [](const std::vector<double>& x) { return 3 * x[0] + 4 * x[1] * x[2]; });
  const auto m = analysis::morris_effects(
      analysis::elementary_effects(analysis::morris_design(s, e.blocks), e.values, 3));
  CHECK(m[0].sigma == Approx(0).margin(1e-9));
  CHECK(m[1].sigma > 0.1);
  CHECK(m[2].sigma > 0.1);
  // EE_2 = 4 x3 at x3 in {0.125, 0.375, 0.625, 0.875}: mean between 0.5 and 3.5.
  CHECK(m[1].mu_star > 0.5);
  CHECK(m[1].mu_star < 3.5);
}
