// Lever attribution: each player's (a policy's, or a group of policies
// switched together) Shapley share of a policy package's effect on each
// goal and on chosen indicators. The package is the scenario's own
// policies (not those it inherits through `extends`). Every coalition of
// players is run with the same replications and seed, so that each
// replicate's draws are common to all coalitions (random streams are keyed
// by seed, replication, LP and purpose, never by a policy), and the shares
// are computed replicate by replicate: their mean has a paired interval,
// and they add up, in every replicate, to the package's effect
// v(all) - v(none).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "analysis/shapley.hpp"
#include "experiment/experiment.hpp"
#include "model/indicators.hpp"

namespace regsim::analysis {

/// Policies switched on and off together.
struct Player {
  std::string name;                   ///< the policy's name, or the group's names joined by '+'
  std::vector<std::size_t> policies;  ///< indices into Scenario::policies, ascending
};

/// The scenario's own policies as players: each alone, except those named
/// together in one of `groups` (lists of policy names), which form one
/// player each. Throws InputError (one line each, with a did-you-mean) for
/// an unknown or inherited name, a name in two groups, or a scenario
/// without policies of its own.
std::vector<Player> players_of(const scenario::Scenario& s,
                               const std::vector<std::vector<std::string>>& groups);

/// An indicator over a group of cities at one month.
struct IndicatorAt {
  model::Indicator indicator = model::Indicator::unemployment_rate;
  std::size_t group = 0;    ///< index into model::make_groups(region)
  std::uint32_t month = 0;  ///< months since 2013-01
  std::string label;        ///< "unemployment_rate nation:all 2025-12"
};

struct AttributionOptions {
  std::vector<Player> players;
  std::vector<IndicatorAt> indicators;
  std::size_t permutations = 0;  ///< 0: exact values (players <= exact_player_limit)
  unsigned threads = 1;
  /// Called after each replication, from one thread at a time.
  std::function<void(std::uint64_t done, std::uint64_t total)> progress = {};
};

/// Mean over replicates and its 90 % interval (normal approximation).
struct Estimate {
  double mean = 0.0, low = 0.0, high = 0.0;
};
Estimate estimate(const std::vector<double>& per_replicate);

/// One quantity attributed: a goal's met (0/1), a goal's margin, or an
/// indicator value; per replicate, without and with the package, and each
/// player's share.
struct Attributed {
  std::string name, units;
  std::vector<double> none, all;            ///< [replicate]
  std::vector<std::vector<double>> shares;  ///< [player][replicate]
};

struct Attribution {
  std::vector<Player> players;
  std::size_t permutations = 0;  ///< 0: exact
  std::size_t coalitions = 0;    ///< coalitions run
  std::uint64_t replications = 0;
  std::vector<Attributed> met, margin;  ///< [goal]
  std::vector<Attributed> indicators;   ///< as AttributionOptions::indicators
};

/// Runs the coalitions the Shapley plan needs (each with the experiment's
/// replications 0..R-1, in parallel on `threads`, nothing written) and
/// attributes. The result does not depend on the thread count.
Attribution attribute(const experiment::Experiment& e, const AttributionOptions& o);

/// `e`'s scenario with only the players in `on` switched on (the inherited
/// policies stay).
scenario::Scenario with_players(const scenario::Scenario& s, const std::vector<Player>& players,
                                Coalition on);

}  // namespace regsim::analysis
