// The M/M/c queue on the regsim event core. Prints one JSON line with the
// simulated and the exact (Erlang-C) figures.
#include <iostream>

#include <fmt/format.h>

#include "../common/bench_util.hpp"
#include "cli/exit_codes.hpp"
#include "des/models/mmc.hpp"
#include "des/windowed_executor.hpp"

int main(int argc, char** argv) {
  using regsim::des::models::Mmc;
  using regsim::des::models::MmcConfig;
  CLI::App app{"M/M/c queue benchmark on the regsim event core", "mmc"};
  MmcConfig c;
  app.add_option("--lambda", c.arrival_rate, "arrival rate (> 0)")->check(CLI::PositiveNumber);
  app.add_option("--mu", c.service_rate, "service rate per server (> 0)")
      ->check(CLI::PositiveNumber);
  app.add_option("-c,--servers", c.servers, "servers")->check(CLI::Range(1u, 100000u));
  app.add_option("--customers", c.customers, "customers to simulate")
      ->check(CLI::Range(2ull, 1000000000000ull));
  app.add_option("--warmup", c.warmup, "customers left out of the statistics");
  app.add_option("--seed", c.seed, "random seed");
  if (const int code = regsim::cli::parse_command_line(app, argc, argv); code >= 0) return code;
  if (c.arrival_rate >= c.service_rate * c.servers) {
    std::cerr << fmt::format(
        "mmc: error: the queue is unstable: --lambda must be < --servers * --mu ({} >= {})\n",
        c.arrival_rate, c.service_rate * c.servers);
    return regsim::cli::exit_invalid_input;
  }
  if (c.warmup >= c.customers) {
    std::cerr << "mmc: error: --warmup must be < --customers\n";
    return regsim::cli::exit_invalid_input;
  }

  Mmc model(c);
  regsim::des::WindowedExecutor<Mmc> executor(model, 1, {});
  regsim::bench::Stopwatch clock;
  const auto stats = executor.run_until(regsim::des::never);
  const double wall = clock.seconds();
  const auto r = model.results();
  const auto exact = regsim::des::models::erlang_c(c.arrival_rate, c.service_rate, c.servers);

  regsim::bench::JsonLine json;
  json.add("bench", "mmc");
  json.add("lambda", c.arrival_rate);
  json.add("mu", c.service_rate);
  json.add("servers", c.servers);
  json.add("customers", r.served);
  json.add("mean_wait", r.mean_wait);
  json.add("mean_wait_exact", exact.mean_wait);
  json.add("mean_queue_length", r.mean_queue_length);
  json.add("mean_queue_length_exact", exact.mean_queue_length);
  json.add("utilisation", r.utilisation);
  json.add("utilisation_exact", exact.utilisation);
  json.add("events", stats.events);
  json.add("wall_s", wall);
  json.add("events_per_s", static_cast<double>(stats.events) / wall);
  json.add("peak_rss_mb", regsim::bench::peak_rss_mb());
  std::cout << json.str() << "\n";
  return 0;
}
