// One replication of the city model on the windowed executor.
#pragma once

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

}  // namespace regsim::model
