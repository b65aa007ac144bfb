#include "experiment/precision.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "io/h5_file.hpp"
#include "scenario/statistics.hpp"

namespace regsim::experiment {

std::uint64_t next_checkpoint(std::uint64_t n, const scenario::Precision& p) {
  const std::uint64_t cap = p.max_replications;
  if (n >= cap) return cap;
  return std::min(cap, (n / p.batch + 1) * p.batch);
}

double half_width90(std::uint64_t met, std::uint64_t n) {
  const auto [low, high] = scenario::wilson90(static_cast<double>(met), static_cast<double>(n));
  return (high - low) / 2.0;
}

PrecisionVerdict judge(const scenario::Scenario& s, const std::vector<std::uint64_t>& met,
                       std::uint64_t n) {
  const scenario::Precision& p = *s.precision;
  PrecisionVerdict v;
  v.precise = n > 0;
  for (const std::size_t g : p.goal_index) {
    const double h = half_width90(met.at(g), n);
    v.half_widths.push_back(h);
    if (v.widest_goal.empty() || h > v.widest) {
      v.widest = h;
      v.widest_goal = s.goals[g].name;
    }
    if (!(h <= p.half_width)) v.precise = false;
  }
  v.stop = v.precise || n >= p.max_replications;
  return v;
}

void count_goals_met(const std::vector<io::BlockHeader>& blocks, std::uint64_t from,
                     std::uint64_t to, std::vector<std::uint64_t>& met) {
  const std::size_t goals = met.size();
  if (goals == 0) return;
  for (const io::BlockHeader& b : blocks) {
    const std::uint64_t lo = std::max(from, b.first), hi = std::min(to, b.first + b.count);
    if (lo >= hi) continue;
    const io::H5File f = io::H5File::open(b.path);
    const auto rows = f.read<std::uint8_t>("/goals/met", {lo - b.first, 0}, {hi - lo, goals});
    for (std::size_t i = 0; i < rows.size(); ++i)
      if (rows[i] == 1) ++met[i % goals];
  }
}

io::StoppingRecord stopping_record(const scenario::Scenario& s, const PrecisionVerdict& v) {
  const scenario::Precision& p = *s.precision;
  io::StoppingRecord r;
  r.reason = v.precise ? "precision reached" : "cap reached";
  for (std::size_t i = 0; i < p.goal_index.size(); ++i) {
    r.goals += fmt::format("{}{}={:.4f}", r.goals.empty() ? "" : ", ",
                           s.goals[p.goal_index[i]].name, v.half_widths[i]);
  }
  r.target_half_width = p.half_width;
  r.achieved_half_width = v.widest;
  r.batch = p.batch;
  r.max_replications = p.max_replications;
  return r;
}

}  // namespace regsim::experiment
