// PHOLD, the standard parallel-DES benchmark, with ROSS's models/phold
// semantics: every executed event schedules exactly one new event, to a
// uniformly random LP (itself included) with probability `remote`, else to
// itself, at now + lookahead + Exp(mean − lookahead). Each LP starts with
// `start_events` events at lookahead + Exp(mean − lookahead).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "des/random_stream.hpp"

namespace regsim::des::models {

struct PholdConfig {
  std::string name = "D";
  std::uint32_t lps = 8;
  std::uint32_t start_events = 1;
  double remote = 0.25;
  double lookahead = 1.0;
  double mean = 1.0;  ///< mean total delay; mean == lookahead makes delays constant
  double end_time = 100000.0;
  std::uint64_t seed = 1;
};

/// The configurations of DESIGN §2: D (ROSS's default), B, M and C.
inline std::optional<PholdConfig> phold_config(std::string_view name) {
  if (name == "D") return PholdConfig{"D", 8, 1, 0.25, 1.0, 1.0, 100000.0, 1};
  if (name == "B") return PholdConfig{"B", 1024, 16, 0.25, 0.1, 1.0, 3000.0, 1};
  if (name == "M") return PholdConfig{"M", 16384, 16, 0.25, 0.1, 1.0, 100.0, 1};
  if (name == "C") return PholdConfig{"C", 262144, 16, 0.25, 0.1, 1.0, 4.0, 1};
  return std::nullopt;
}

class Phold {
 public:
  struct Event {};

  explicit Phold(const PholdConfig& config)
      : config_(config), extra_mean_(config.mean - config.lookahead) {
    rng_.reserve(config.lps);
    for (std::uint32_t lp = 0; lp < config.lps; ++lp)
      rng_.emplace_back(config.seed, 0, lp, "phold");
  }

  template <class Ctx>
  void init(Ctx& ctx) {
    RandomStream& r = rng_[ctx.self()];
    for (std::uint32_t i = 0; i < config_.start_events; ++i) ctx.schedule(delay(r), Event{});
  }

  template <class Ctx>
  void handle(Ctx& ctx, const Event&) {
    RandomStream& r = rng_[ctx.self()];
    auto to = ctx.self();
    if (r.uniform01() < config_.remote) to = static_cast<decltype(to)>(r.below(config_.lps));
    ctx.send(to, ctx.now() + delay(r), Event{});
  }

 private:
  double delay(RandomStream& r) {
    return config_.lookahead + (extra_mean_ > 0.0 ? r.exponential(extra_mean_) : 0.0);
  }

  PholdConfig config_;
  double extra_mean_;
  std::vector<RandomStream> rng_;  // one stream per LP
};

}  // namespace regsim::des::models
