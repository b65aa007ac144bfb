#include "model/simulation.hpp"

#include <utility>

#include "des/windowed_executor.hpp"

namespace regsim::model {

ReplicationResult run_replication(const CityCatalogue& catalogue, const ModelConfig& config,
                                  ReplicationInputs inputs, unsigned threads) {
  CityModel model(catalogue, config, std::move(inputs));
  des::ExecutorOptions options;
  options.lookahead = 1.0;  // migration and prices travel one month
  options.threads = threads;
  options.grain = 8;
  des::WindowedExecutor<CityModel> executor(model, model.lp_count(), options);
  const des::RunStats stats = executor.run_until(static_cast<double>(config.months));
  return ReplicationResult{model.take_trajectories(), model.event_log(), stats};
}

}  // namespace regsim::model
