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

void run_branches(const CityCatalogue& catalogue, std::span<const ModelConfig* const> branches,
                  const ReplicationInputs& inputs, std::uint32_t fork_month, unsigned threads,
                  const std::function<void(std::size_t, ReplicationResult&&)>& take) {
  if (branches.empty()) return;
  for (const ModelConfig* b : branches) {
    if (fork_month == 0 || fork_month >= b->months) {
      throw des::SchedulingError("a fork month must fall inside every branch's run");
    }
  }
  CityModel history(catalogue, *branches[0], inputs);
  des::WindowedExecutor<CityModel> past(history, history.lp_count(), executor_options(threads));
  past.run_until(static_cast<double>(fork_month));
  for (std::size_t b = 0; b < branches.size(); ++b) {
    // The last branch takes the history's state; the others copy it.
    const bool last = b + 1 == branches.size();
    CityModel model = last ? CityModel(std::move(history), *branches[b], fork_month)
                           : CityModel(history, *branches[b], fork_month);
    des::WindowedExecutor<CityModel> executor(past, model);
    const des::RunStats stats = executor.run_until(static_cast<double>(branches[b]->months));
    take(b, ReplicationResult{model.take_trajectories(), model.event_log(), stats});
  }
}

std::vector<ReplicationResult> run_branches(const CityCatalogue& catalogue,
                                            std::span<const ModelConfig* const> branches,
                                            const ReplicationInputs& inputs,
                                            std::uint32_t fork_month, unsigned threads) {
  std::vector<ReplicationResult> results(branches.size());
  run_branches(catalogue, branches, inputs, fork_month, threads,
               [&](std::size_t b, ReplicationResult&& r) { results[b] = std::move(r); });
  return results;
}

}  // namespace regsim::model
