// The M/M/c queue on the event core: Poisson arrivals (rate λ), c servers
// with exponential service (rate μ), FIFO. One LP; checked against the
// Erlang-C formula (Kleinrock 1975, Queueing Systems vol. 1, §3.5).
#pragma once

#include <cstdint>
#include <deque>
#include <vector>

#include "des/random_stream.hpp"

namespace regsim::des::models {

struct MmcConfig {
  double arrival_rate = 0.9;  ///< λ, customers per time unit
  double service_rate = 1.0;  ///< μ per server
  std::uint32_t servers = 1;  ///< c
  std::uint64_t customers = 1000000;
  std::uint64_t warmup = 10000;  ///< customers left out of the statistics
  std::uint64_t seed = 1;
};

/// Exact steady-state figures for M/M/c (requires λ < cμ).
struct ErlangC {
  double wait_probability;   ///< C(c, a)
  double mean_wait;          ///< Wq
  double mean_queue_length;  ///< Lq = λ Wq
  double utilisation;        ///< ρ = λ / (cμ)
};

inline ErlangC erlang_c(double lambda, double mu, std::uint32_t c) {
  const double a = lambda / mu;
  const double rho = a / c;
  // Erlang B by the stable recursion B(k) = a B(k-1) / (k + a B(k-1)), then C from B.
  double b = 1.0;
  for (std::uint32_t k = 1; k <= c; ++k) b = a * b / (k + a * b);
  const double pw = b / (1.0 - rho * (1.0 - b));
  const double wq = pw / (c * mu - lambda);
  return ErlangC{pw, wq, lambda * wq, rho};
}

class Mmc {
 public:
  enum class Kind : std::uint8_t { arrival, departure };
  struct Event {
    Kind kind;
  };

  struct Results {
    std::uint64_t served = 0;         ///< customers in the statistics
    double mean_wait = 0.0;           ///< mean time in queue of those customers
    double mean_queue_length = 0.0;   ///< time-average number waiting
    double utilisation = 0.0;         ///< time-average busy servers / c
    double wait_sum_sq = 0.0;         ///< for batch statistics in tests
    std::vector<double> batch_means;  ///< mean wait per batch of customers
  };

  explicit Mmc(const MmcConfig& config, std::uint64_t batches = 20)
      : config_(config),
        rng_(config.seed, 0, 0, "mmc"),
        batch_size_((config.customers - config.warmup) / batches) {}

  template <class Ctx>
  void init(Ctx& ctx) {
    ctx.schedule(rng_.exponential(1.0 / config_.arrival_rate), Event{Kind::arrival});
  }

  template <class Ctx>
  void handle(Ctx& ctx, const Event& e) {
    const double now = ctx.now();
    accumulate_areas(now);
    if (e.kind == Kind::arrival) {
      ++arrived_;
      if (arrived_ < config_.customers) {
        ctx.schedule(now + rng_.exponential(1.0 / config_.arrival_rate), Event{Kind::arrival});
      }
      if (busy_ < config_.servers) {
        ++busy_;
        record_wait(0.0);
        ctx.schedule(now + rng_.exponential(1.0 / config_.service_rate), Event{Kind::departure});
      } else {
        waiting_.push_back(now);
      }
    } else if (!waiting_.empty()) {  // the freed server takes the next customer
      record_wait(now - waiting_.front());
      waiting_.pop_front();
      ctx.schedule(now + rng_.exponential(1.0 / config_.service_rate), Event{Kind::departure});
    } else {
      --busy_;
    }
  }

  Results results() const {
    Results r = results_;
    if (r.served > 0) r.mean_wait = wait_sum_ / static_cast<double>(r.served);
    const double span = last_time_ - stats_start_;
    if (span > 0) {
      r.mean_queue_length = queue_area_ / span;
      r.utilisation = busy_area_ / span / config_.servers;
    }
    return r;
  }

 private:
  void accumulate_areas(double now) {
    if (started_stats_) {
      const double dt = now - last_time_;
      queue_area_ += dt * static_cast<double>(waiting_.size());
      busy_area_ += dt * busy_;
    }
    last_time_ = now;
  }
  // Waits are recorded in service-start order, which is arrival order (FIFO).
  void record_wait(double w) {
    ++started_;
    if (started_ <= config_.warmup) return;
    if (!started_stats_) {
      started_stats_ = true;
      stats_start_ = last_time_;
    }
    ++results_.served;
    wait_sum_ += w;
    results_.wait_sum_sq += w * w;
    batch_sum_ += w;
    if (batch_size_ > 0 && ++batch_count_ == batch_size_) {
      results_.batch_means.push_back(batch_sum_ / static_cast<double>(batch_size_));
      batch_sum_ = 0.0;
      batch_count_ = 0;
    }
  }

  MmcConfig config_;
  RandomStream rng_;
  std::uint64_t batch_size_;
  std::deque<double> waiting_;  // arrival times of waiting customers
  std::uint32_t busy_ = 0;
  std::uint64_t arrived_ = 0;
  std::uint64_t started_ = 0;
  bool started_stats_ = false;
  double stats_start_ = 0.0;
  double last_time_ = 0.0;
  double queue_area_ = 0.0;
  double busy_area_ = 0.0;
  double wait_sum_ = 0.0;
  double batch_sum_ = 0.0;
  std::uint64_t batch_count_ = 0;
  Results results_;
};

}  // namespace regsim::des::models
