// Shapley values on games whose values are known: an additive game, a
// symmetric game, a pure interaction; efficiency on random games; sampled
// permutations converge to the exact values and repeat themselves.
#include <bit>
#include <cmath>
#include <functional>
#include <numeric>
#include <vector>

#include <catch2/catch.hpp>

#include "analysis/shapley.hpp"
#include "des/random_stream.hpp"

using regsim::analysis::Coalition;
using regsim::analysis::ShapleyPlan;

namespace {

std::vector<double> values_of(const ShapleyPlan& plan, const std::function<double(Coalition)>& v) {
  std::vector<double> out;
  for (const Coalition s : plan.coalitions) out.push_back(v(s));
  return out;
}

std::vector<double> shapley(const ShapleyPlan& plan, const std::function<double(Coalition)>& v) {
  return regsim::analysis::shapley_values(plan, values_of(plan, v));
}

// A game with a value drawn for every coalition of n players.
std::vector<double> random_game(std::size_t n, std::uint64_t seed) {
  regsim::des::RandomStream rng(seed, 0, 0, "test-game");
  std::vector<double> v(std::size_t{1} << n);
  for (auto& x : v) x = rng.normal() * 10.0;
  return v;
}

}  // namespace

TEST_CASE("additive game: each player's value is its own effect", "[shapley]") {
  const std::vector<double> own{0.3, -1.25, 2.0, 0.0, 7.5};
  const auto plan = regsim::analysis::exact_plan(own.size());
  const auto phi = shapley(plan, [&](Coalition s) {
    double v = 10.0;  // v(empty) does not count
    for (std::size_t i = 0; i < own.size(); ++i) v += (s >> i & 1) ? own[i] : 0.0;
    return v;
  });
  for (std::size_t i = 0; i < own.size(); ++i) CHECK(phi[i] == Approx(own[i]).margin(1e-12));
}

TEST_CASE("symmetric game: every player gets an equal part", "[shapley]") {
  // v(S) = |S|^2: the players are interchangeable, so each gets n^2 / n.
  const std::size_t n = 6;
  const auto phi = shapley(regsim::analysis::exact_plan(n), [](Coalition s) {
    const double k = std::popcount(s);
    return k * k;
  });
  for (const double x : phi) CHECK(x == Approx(6.0).margin(1e-12));
}

TEST_CASE("interaction: v(S) = 1 if {a, b} in S splits 1/2, 1/2; a bystander gets 0", "[shapley]") {
  const auto phi = shapley(regsim::analysis::exact_plan(3),
                           [](Coalition s) { return (s & 0b011) == 0b011 ? 1.0 : 0.0; });
  CHECK(phi[0] == Approx(0.5).margin(1e-15));
  CHECK(phi[1] == Approx(0.5).margin(1e-15));
  CHECK(phi[2] == Approx(0.0).margin(1e-15));
}

TEST_CASE("a glove game has its textbook values", "[shapley]") {
  // Player 0 holds a left glove, players 1 and 2 a right one; a pair is
  // worth 1. Values: 2/3, 1/6, 1/6 (Osborne & Rubinstein 1994, 14.4).
  const auto phi = shapley(regsim::analysis::exact_plan(3),
                           [](Coalition s) { return (s & 1) && (s & 0b110) ? 1.0 : 0.0; });
  CHECK(phi[0] == Approx(2.0 / 3.0).margin(1e-15));
  CHECK(phi[1] == Approx(1.0 / 6.0).margin(1e-15));
  CHECK(phi[2] == Approx(1.0 / 6.0).margin(1e-15));
}

TEST_CASE("efficiency: values sum to v(N) - v(empty) on random games", "[shapley]") {
  for (std::size_t n = 1; n <= regsim::analysis::exact_player_limit; ++n) {
    const auto v = random_game(n, 100 + n);
    const auto plan = regsim::analysis::exact_plan(n);
    REQUIRE(plan.coalitions.size() == v.size());
    const auto phi = regsim::analysis::shapley_values(plan, v);
    const double sum = std::accumulate(phi.begin(), phi.end(), 0.0);
    CHECK(sum == Approx(v.back() - v.front()).margin(1e-12));
  }
}

TEST_CASE("sampled permutations: efficient, deterministic, converging to the exact values",
          "[shapley]") {
  const std::size_t n = 7;
  const auto v = random_game(n, 7);
  const auto at = [&](Coalition s) { return v[s]; };
  const auto exact = shapley(regsim::analysis::exact_plan(n), at);
  const auto few = regsim::analysis::sampled_plan(n, 20, 3);
  const auto phi_few = shapley(few, at);
  CHECK(std::accumulate(phi_few.begin(), phi_few.end(), 0.0) ==
        Approx(v.back() - v.front()).margin(1e-12));
  CHECK(shapley(regsim::analysis::sampled_plan(n, 20, 3), at) == phi_few);
  CHECK(shapley(regsim::analysis::sampled_plan(n, 20, 4), at) != phi_few);
  // The error shrinks roughly as 1/sqrt(M).
  const auto error = [&](std::size_t m) {
    const auto phi = shapley(regsim::analysis::sampled_plan(n, m, 5), at);
    double worst = 0.0;
    for (std::size_t i = 0; i < n; ++i) worst = std::max(worst, std::abs(phi[i] - exact[i]));
    return worst;
  };
  const double coarse = error(50), fine = error(100000);
  CHECK(fine < 0.2);
  CHECK(fine < coarse / 5.0);
}

TEST_CASE("sampled permutations beyond the exact limit: a sparse game's values", "[shapley]") {
  // 12 players; v(S) = sum of own effects + 2 if players 3 and 9 are both in.
  const std::size_t n = 12;
  const auto plan = regsim::analysis::sampled_plan(n, 4000, 1);
  CHECK(plan.coalitions.size() < (std::size_t{1} << n));
  const auto phi = shapley(plan, [](Coalition s) {
    double v = 0.0;
    for (std::size_t i = 0; i < 12; ++i) v += (s >> i & 1) ? static_cast<double>(i) : 0.0;
    return v + (((s >> 3) & 1) && ((s >> 9) & 1) ? 2.0 : 0.0);
  });
  for (std::size_t i = 0; i < n; ++i) {
    const double expected = static_cast<double>(i) + (i == 3 || i == 9 ? 1.0 : 0.0);
    CHECK(phi[i] == Approx(expected).margin(0.06));
  }
}
