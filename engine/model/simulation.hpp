// One replication of the city model on the windowed executor.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "des/executor.hpp"
#include "model/city_model.hpp"

namespace regsim::model {

struct ReplicationResult {
  Trajectories trajectories;
  std::vector<LoggedEvent> events;
  des::RunStats stats;
};

/// Runs months [0, config.months) of one replication. `threads` as in
/// des::ExecutorOptions (1 = this thread; 0 = the caller's TBB arena).
ReplicationResult run_replication(const CityCatalogue& catalogue, const ModelConfig& config,
                                  ReplicationInputs inputs, unsigned threads = 1);

/// One replication of branches that share their past up to month
/// `fork_month` (0 < fork_month < every branch's months): months before it
/// run once, on branches[0], and each branch goes on from a copy of that
/// state (CityModel's branch constructor). Each result is bit-identical to
/// run_replication(catalogue, *branches[b], inputs) when the branches share
/// that past: the same inputs, the same policy actions before the fork
/// (scenario::check_shared_history) and the same market inputs
/// (market_difference); this function checks none of it.
std::vector<ReplicationResult> run_branches(const CityCatalogue& catalogue,
                                            std::span<const ModelConfig* const> branches,
                                            const ReplicationInputs& inputs,
                                            std::uint32_t fork_month, unsigned threads = 1);
/// As above, handing each branch's result to `take(b, result)` as soon as
/// it is done, so that only one branch's trajectories are held at a time.
void run_branches(const CityCatalogue& catalogue, std::span<const ModelConfig* const> branches,
                  const ReplicationInputs& inputs, std::uint32_t fork_month, unsigned threads,
                  const std::function<void(std::size_t, ReplicationResult&&)>& take);

/// What of the market a run of `branch` would read before `fork_month`
/// differently from a run of `history` with parameters `p`: price paths
/// and factors up to the fork month, demand up to it and the demand
/// planners foresee in each January before it. A description of the first
/// difference ("the coal price path in 2020-06 (month 89)"), or none.
std::optional<std::string> market_difference(const ModelConfig& history, const ModelConfig& branch,
                                             const Parameters& p, std::uint32_t fork_month);

}  // namespace regsim::model
