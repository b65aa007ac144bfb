// PHOLD on the regsim event core. Prints one JSON line.
//   phold --config B --threads 2 --queue bucket
#include <iostream>
#include <string>

#include <fmt/format.h>

#include "../common/bench_util.hpp"
#include "cli/exit_codes.hpp"
#include "des/bucket_queue.hpp"
#include "des/models/phold.hpp"
#include "des/sequential_executor.hpp"
#include "des/windowed_executor.hpp"

namespace {

using regsim::des::ExecutorOptions;
using regsim::des::RunStats;
using regsim::des::models::Phold;
using regsim::des::models::PholdConfig;

template <class E>
using MonthBuckets = regsim::des::BucketQueue<E>;

template <template <class, template <class> class> class Executor, template <class> class Queue>
RunStats run(const PholdConfig& config, const ExecutorOptions& options) {
  Phold model(config);
  Executor<Phold, Queue> executor(model, config.lps, options);
  return executor.run_until(config.end_time);
}

template <template <class, template <class> class> class Executor>
RunStats run_with_queue(const std::string& queue, const PholdConfig& c, const ExecutorOptions& o) {
  if (queue == "heap2") return run<Executor, regsim::des::BinaryHeap>(c, o);
  if (queue == "bucket") return run<Executor, MonthBuckets>(c, o);
  return run<Executor, regsim::des::QuaternaryHeap>(c, o);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"PHOLD benchmark on the regsim event core (ROSS models/phold semantics)", "phold"};
  std::string config_name = "D";
  std::string queue = "heap4";
  std::string executor = "windowed";
  ExecutorOptions options;
  bool trace = false;
  PholdConfig overrides;
  auto* lps =
      app.add_option("--lps", overrides.lps, "number of LPs")->check(CLI::Range(1u, 1u << 24));
  auto* start = app.add_option("--start-events", overrides.start_events, "initial events per LP")
                    ->check(CLI::Range(1u, 1000000u));
  auto* remote =
      app.add_option("--remote", overrides.remote, "probability an event goes to a random LP")
          ->check(CLI::Range(0.0, 1.0));
  auto* lookahead = app.add_option("--lookahead", overrides.lookahead, "minimum delay (> 0)")
                        ->check(CLI::PositiveNumber);
  auto* mean = app.add_option("--mean", overrides.mean, "mean delay (>= lookahead)")
                   ->check(CLI::PositiveNumber);
  auto* end =
      app.add_option("--end", overrides.end_time, "end time (> 0)")->check(CLI::PositiveNumber);
  auto* seed = app.add_option("--seed", overrides.seed, "random seed");
  app.add_option("--config", config_name, "configuration of DESIGN §2")
      ->check(CLI::IsMember({"D", "B", "M", "C"}));
  app.add_option("--threads", options.threads, "worker threads")->check(CLI::Range(1u, 256u));
  app.add_option("--queue", queue, "pending-event set")
      ->check(CLI::IsMember({"heap4", "heap2", "bucket"}));
  app.add_option("--executor", executor, "executor")
      ->check(CLI::IsMember({"windowed", "sequential"}));
  app.add_flag("--trace", trace, "also print a digest of every LP's event trace");
  if (const int code = regsim::cli::parse_command_line(app, argc, argv); code >= 0) return code;

  PholdConfig config = *regsim::des::models::phold_config(config_name);
  if (*lps) config.lps = overrides.lps;
  if (*start) config.start_events = overrides.start_events;
  if (*remote) config.remote = overrides.remote;
  if (*lookahead) config.lookahead = overrides.lookahead;
  if (*mean) config.mean = overrides.mean;
  if (*end) config.end_time = overrides.end_time;
  if (*seed) config.seed = overrides.seed;
  if (config.mean < config.lookahead) {
    std::cerr << fmt::format("phold: error: --mean must be >= --lookahead ({} < {})\n", config.mean,
                             config.lookahead);
    return regsim::cli::exit_invalid_input;
  }
  options.lookahead = config.lookahead;
  options.trace = trace;

  regsim::bench::Stopwatch clock;
  const RunStats stats =
      executor == "sequential"
          ? run_with_queue<regsim::des::SequentialExecutor>(queue, config, options)
          : run_with_queue<regsim::des::WindowedExecutor>(queue, config, options);
  const double wall = clock.seconds();

  regsim::bench::JsonLine json;
  json.add("bench", "phold");
  json.add("config", config.name);
  json.add("lps", config.lps);
  json.add("queue", queue);
  json.add("executor", executor);
  json.add("threads", options.threads);
  json.add("events", stats.events);
  json.add("messages", stats.messages);
  json.add("windows", stats.windows);
  json.add("wall_s", wall);
  json.add("events_per_s", static_cast<double>(stats.events) / wall);
  json.add("peak_rss_mb", regsim::bench::peak_rss_mb());
  if (trace) json.add("trace_digest", fmt::format("{:016x}", stats.trace_digest));
  std::cout << json.str() << "\n";
  return 0;
}
