// Whether two replications gave the same result, bit for bit: every
// indicator of every city and month, and the event log.
#pragma once

#include <cmath>
#include <cstddef>

#include "model/simulation.hpp"

namespace regsim::testing {

inline bool same_result(const model::ReplicationResult& a, const model::ReplicationResult& b) {
  const auto& x = a.trajectories;
  const auto& y = b.trajectories;
  if (x.cities() != y.cities() || x.months() != y.months()) return false;
  for (std::size_t i = 0; i < model::indicator_count; ++i) {
    for (std::size_t c = 0; c < x.cities(); ++c) {
      for (std::size_t m = 0; m < x.months(); ++m) {
        const auto id = static_cast<model::Indicator>(i);
        const double p = x.at(id, c, m), q = y.at(id, c, m);
        if (p != q && !(std::isnan(p) && std::isnan(q))) return false;
      }
    }
  }
  if (a.events.size() != b.events.size()) return false;
  for (std::size_t e = 0; e < a.events.size(); ++e) {
    const auto &p = a.events[e], &q = b.events[e];
    if (p.time_months != q.time_months || p.city != q.city || p.kind != q.kind ||
        p.value != q.value) {
      return false;
    }
  }
  return a.stats.events == b.stats.events;
}

}  // namespace regsim::testing
