#include "analysis/shapley.hpp"

#include <algorithm>
#include <bit>
#include <map>
#include <numeric>
#include <stdexcept>

#include "des/random_stream.hpp"

namespace regsim::analysis {

namespace {

// s! (n - s - 1)! / n!, the weight of a coalition of size s that player i
// joins, computed as a product of ratios so that it stays accurate.
double join_weight(std::size_t s, std::size_t n) {
  // 1 / (n * C(n-1, s))
  double w = 1.0 / static_cast<double>(n);
  for (std::size_t k = 1; k <= s; ++k) {
    w *= static_cast<double>(k) / static_cast<double>(n - k);
  }
  return w;
}

}  // namespace

ShapleyPlan exact_plan(std::size_t players) {
  if (players == 0 || players > exact_player_limit) {
    throw std::invalid_argument("exact_plan: players must be 1..exact_player_limit");
  }
  ShapleyPlan plan;
  plan.players = players;
  const Coalition all = full_coalition(players);
  for (Coalition s = 0; s <= all; ++s) plan.coalitions.push_back(s);
  plan.weights.assign(players, std::vector<double>(plan.coalitions.size(), 0.0));
  for (std::size_t i = 0; i < players; ++i) {
    const Coalition bit = Coalition{1} << i;
    for (Coalition s = 0; s <= all; ++s) {
      const auto size = static_cast<std::size_t>(std::popcount(s));
      // S holding i enters as v(S) with the weight of S - i; S without it
      // enters as -v(S) with its own.
      plan.weights[i][s] = (s & bit) ? join_weight(size - 1, players) : -join_weight(size, players);
    }
  }
  return plan;
}

ShapleyPlan sampled_plan(std::size_t players, std::size_t permutations, std::uint64_t seed) {
  if (players == 0 || players > max_players || permutations == 0) {
    throw std::invalid_argument("sampled_plan: players must be 1..64, permutations >= 1");
  }
  des::RandomStream rng(seed, 0, 0, "shapley-permutations");
  std::vector<std::size_t> order(players);
  // Coalition -> weight of v(coalition), per player.
  std::map<Coalition, std::vector<double>> weights;
  const double share = 1.0 / static_cast<double>(permutations);
  for (std::size_t m = 0; m < permutations; ++m) {
    std::iota(order.begin(), order.end(), std::size_t{0});
    for (std::size_t k = players - 1; k > 0; --k) {  // Fisher-Yates
      std::swap(order[k], order[rng.below(k + 1)]);
    }
    Coalition before = 0;
    for (const std::size_t i : order) {
      const Coalition after = before | (Coalition{1} << i);
      auto& w_after = weights.try_emplace(after, players, 0.0).first->second;
      w_after[i] += share;
      auto& w_before = weights.try_emplace(before, players, 0.0).first->second;
      w_before[i] -= share;
      before = after;
    }
  }
  ShapleyPlan plan;
  plan.players = players;
  plan.weights.assign(players, {});
  for (const auto& [coalition, w] : weights) {
    plan.coalitions.push_back(coalition);
    for (std::size_t i = 0; i < players; ++i) plan.weights[i].push_back(w[i]);
  }
  return plan;
}

std::vector<double> shapley_values(const ShapleyPlan& plan, const std::vector<double>& values) {
  if (values.size() != plan.coalitions.size()) {
    throw std::invalid_argument("shapley_values: one value per coalition of the plan");
  }
  std::vector<double> phi(plan.players, 0.0);
  for (std::size_t i = 0; i < plan.players; ++i) {
    for (std::size_t k = 0; k < values.size(); ++k) phi[i] += plan.weights[i][k] * values[k];
  }
  return phi;
}

}  // namespace regsim::analysis
