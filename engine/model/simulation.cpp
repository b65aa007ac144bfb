#include "model/simulation.hpp"

#include <utility>

#include "des/windowed_executor.hpp"

namespace regsim::model {

namespace {

des::ExecutorOptions executor_options(unsigned threads) {
  des::ExecutorOptions options;
  options.lookahead = 1.0;  // migration and prices travel one month
  options.threads = threads;
  options.grain = 8;
  return options;
}

}  // namespace

ReplicationResult run_replication(const CityCatalogue& catalogue, const ModelConfig& config,
                                  ReplicationInputs inputs, unsigned threads) {
  CityModel model(catalogue, config, std::move(inputs));
  des::WindowedExecutor<CityModel> executor(model, model.lp_count(), executor_options(threads));
  const des::RunStats stats = executor.run_until(static_cast<double>(config.months));
  return ReplicationResult{model.take_trajectories(), model.event_log(), stats};
}

std::vector<ReplicationResult> run_branches(const CityCatalogue& catalogue,
                                            std::span<const ModelConfig* const> branches,
                                            const ReplicationInputs& inputs,
                                            std::uint32_t fork_month, unsigned threads) {
  if (branches.empty()) return {};
  for (const ModelConfig* b : branches) {
    if (fork_month == 0 || fork_month >= b->months) {
      throw des::SchedulingError("a fork month must fall inside every branch's run");
    }
  }
  CityModel history(catalogue, *branches[0], inputs);
  des::WindowedExecutor<CityModel> past(history, history.lp_count(), executor_options(threads));
  past.run_until(static_cast<double>(fork_month));
  std::vector<ReplicationResult> results;
  results.reserve(branches.size());
  for (const ModelConfig* b : branches) {
    CityModel model(history, *b, fork_month);
    des::WindowedExecutor<CityModel> executor(past, model);
    const des::RunStats stats = executor.run_until(static_cast<double>(b->months));
    results.push_back(ReplicationResult{model.take_trajectories(), model.event_log(), stats});
  }
  return results;
}

}  // namespace regsim::model
