// The type-7 quantiles of the run file's summaries and of calibration.
#include <cmath>
#include <random>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "scenario/statistics.hpp"

using regsim::scenario::quantile_of_sorted;
using regsim::scenario::quantiles_in_place;
using regsim::scenario::wilson90;
using regsim::scenario::z90;

TEST_CASE("scenario::quantile_of_sorted interpolates between order statistics (type 7)",
          "[statistics]") {
  const std::vector<double> v{1, 2, 3, 4};
  CHECK(quantile_of_sorted(v, 0.0) == 1.0);
  CHECK(quantile_of_sorted(v, 0.5) == 2.5);
  CHECK(quantile_of_sorted(v, 1.0) == 4.0);
  CHECK(quantile_of_sorted(v, 0.25) == Approx(1.75));
  CHECK(std::isnan(quantile_of_sorted({}, 0.5)));
}

TEST_CASE("scenario::quantiles_in_place selects what sorting would give, exactly", "[statistics]") {
  const double ps[] = {0.05, 0.25, 0.5, 0.75, 0.95};
  std::mt19937_64 rng(42);
  for (std::size_t n : {1u, 2u, 3u, 7u, 20u, 101u, 1000u}) {
    std::vector<float> values(n);
    // Few distinct values too, so that ties are common.
    std::uniform_int_distribution<int> small(0, 5);
    std::normal_distribution<float> normal(0.0f, 3.0f);
    for (auto& v : values) v = n % 2 ? static_cast<float>(small(rng)) : normal(rng);
    std::vector<double> sorted(values.begin(), values.end());
    std::sort(sorted.begin(), sorted.end());
    double out[5];
    quantiles_in_place(values, ps, 5, out);
    for (std::size_t q = 0; q < 5; ++q) CHECK(out[q] == quantile_of_sorted(sorted, ps[q]));
  }
  std::vector<float> none;
  double out[5];
  quantiles_in_place(none, ps, 5, out);
  CHECK(std::isnan(out[0]));
}

TEST_CASE("scenario::z90 is the two-sided 90 % normal quantile", "[statistics]") {
  CHECK(0.5 * std::erfc(-z90 / std::sqrt(2.0)) == Approx(0.95).epsilon(1e-15));
}

TEST_CASE("scenario::wilson90 bounds solve Wilson's score equation", "[statistics]") {
  // Each bound p0 satisfies (p - p0)^2 = z^2 p0 (1 - p0) / n, the score
  // test at the 10 % level; bounds stay in [0, 1].
  for (const auto& [k, n] : {std::pair{50.0, 100.0}, {3.0, 7.0}, {1.0, 1000.0}, {19.0, 20.0}}) {
    const auto [low, high] = wilson90(k, n);
    const double p = k / n;
    for (const double p0 : {low, high}) {
      CHECK((p - p0) * (p - p0) == Approx(z90 * z90 * p0 * (1 - p0) / n).epsilon(1e-9));
    }
    CHECK(low < p);
    CHECK(p < high);
  }
  CHECK(wilson90(0, 20).first == 0.0);
  CHECK(wilson90(20, 20).second == 1.0);
  CHECK(std::isnan(wilson90(0, 0).first));
}
