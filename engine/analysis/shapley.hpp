// Shapley values of a cooperative game (Shapley 1953), the arithmetic
// alone: which coalitions' values are needed and with which weights each
// player's value is a sum of them. A game's players are numbered 0..n-1; a
// coalition is a bit set (bit i: player i is in). Because the Shapley value
// is linear in the coalition values, a plan computed once serves every
// replicate and every quantity.
//
//     const ShapleyPlan plan = exact_plan(3);
//     std::vector<double> v;  // v(S) for S = plan.coalitions[k]
//     for (Coalition s : plan.coalitions) v.push_back(game(s));
//     std::vector<double> phi = shapley_values(plan, v);  // sums to v(N) - v(empty)
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace regsim::analysis {

using Coalition = std::uint64_t;

/// Exact values need all 2^n coalitions; beyond this many players, sample
/// permutations instead.
inline constexpr std::size_t exact_player_limit = 8;
/// Coalitions are 64-bit sets.
inline constexpr std::size_t max_players = 64;

struct ShapleyPlan {
  std::size_t players = 0;
  std::vector<Coalition> coalitions;  ///< ascending; always holds the empty and the full one
  /// weights[i][k]: player i's value is sum_k weights[i][k] * v(coalitions[k]).
  std::vector<std::vector<double>> weights;
};

inline Coalition full_coalition(std::size_t players) {
  return players == 64 ? ~Coalition{0} : (Coalition{1} << players) - 1;
}

/// Exact values: phi_i = sum over S not holding i of |S|! (n-|S|-1)! / n!
/// (v(S + i) - v(S)). 1 <= players <= exact_player_limit.
ShapleyPlan exact_plan(std::size_t players);

/// Values estimated from `permutations` orders of the players drawn
/// uniformly (Castro, Gomez & Tejada 2009): each player's mean added value
/// over the orders. Deterministic in `seed`. The estimate is efficient for
/// every sample (each order's added values telescope to v(N) - v(empty)).
/// 1 <= players <= max_players, permutations >= 1.
ShapleyPlan sampled_plan(std::size_t players, std::size_t permutations, std::uint64_t seed);

/// Each player's value, given v(coalitions[k]) in `values`.
std::vector<double> shapley_values(const ShapleyPlan& plan, const std::vector<double>& values);

}  // namespace regsim::analysis
