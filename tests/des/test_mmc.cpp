// The M/M/c queue on the core against the Erlang-C formula (Kleinrock 1975,
// §3.5): the simulated mean wait must fall inside a batch-means confidence
// interval around the exact value, including heavy traffic (rho >= 0.9).
#include <cmath>
#include <numeric>

#include <catch2/catch.hpp>

#include "des/models/mmc.hpp"
#include "des/windowed_executor.hpp"

using namespace regsim::des;
using models::Mmc;
using models::MmcConfig;

TEST_CASE("des::models::erlang_c: known values", "[des][mmc]") {
  // M/M/1: Wq = rho / (mu - lambda).
  const auto m1 = models::erlang_c(0.5, 1.0, 1);
  CHECK(m1.wait_probability == Approx(0.5));
  CHECK(m1.mean_wait == Approx(1.0));
  // M/M/2, lambda = 1, mu = 1: C = 1/3, Wq = 1/3.
  const auto m2 = models::erlang_c(1.0, 1.0, 2);
  CHECK(m2.wait_probability == Approx(1.0 / 3.0));
  CHECK(m2.mean_wait == Approx(1.0 / 3.0));
  CHECK(m2.utilisation == Approx(0.5));
}

TEST_CASE("des::M/M/c: mean wait matches Erlang-C within a confidence bound",
          "[des][mmc][requirement]") {
  struct Case {
    std::uint32_t c;
    double rho;
    std::uint64_t customers;
  };
  for (const Case k : {Case{1, 0.5, 400000}, Case{2, 0.8, 1000000}, Case{4, 0.9, 2000000},
                       Case{8, 0.95, 4000000}}) {
    MmcConfig config;
    config.servers = k.c;
    config.service_rate = 1.0;
    config.arrival_rate = k.rho * k.c;
    config.customers = k.customers;
    config.warmup = k.customers / 20;
    config.seed = 17 + k.c;
    Mmc model(config, 20);
    WindowedExecutor<Mmc> ex(model, 1, ExecutorOptions{});
    ex.run_until(never);
    const auto r = model.results();
    const auto exact = models::erlang_c(config.arrival_rate, 1.0, k.c);
    // Batch means: 20 batches, t(19) at 99.9 % two-sided = 3.88.
    const auto& b = r.batch_means;
    REQUIRE(b.size() == 20);
    const double mean = std::accumulate(b.begin(), b.end(), 0.0) / 20.0;
    double var = 0;
    for (double x : b) var += (x - mean) * (x - mean);
    const double se = std::sqrt(var / 19.0 / 20.0);
    INFO("c=" << k.c << " rho=" << k.rho << " Wq sim=" << r.mean_wait
              << " exact=" << exact.mean_wait << " se=" << se);
    CHECK(std::abs(r.mean_wait - exact.mean_wait) < 3.88 * se);
    CHECK(r.utilisation == Approx(exact.utilisation).epsilon(0.02));
    CHECK(r.mean_queue_length == Approx(exact.mean_queue_length).epsilon(0.10));
  }
}
