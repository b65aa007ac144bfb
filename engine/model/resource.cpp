// The resource block: monthly extraction by production unit, closures at
// projected exhaustion (rescheduled whenever output changes), Poisson
// discoveries, annual job shedding from productivity growth and retirement,
// and the output caps and closures that policies impose.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "model/city_model.hpp"

namespace regsim::model {

namespace {
// Monthly output of a mine, thousandths of a unit.
std::int64_t monthly_output(std::int64_t capacity_per_year, double cap) {
  return static_cast<std::int64_t>(std::floor(static_cast<double>(capacity_per_year) * cap / 12.0));
}
}  // namespace

std::int64_t CityModel::extract(std::uint32_t c) {
  CityState& s = state_;
  const Mines& mines = catalogue_.mines;
  std::int64_t total = 0;
  for (std::uint32_t m = mines.first[c]; m < mines.first[c + 1]; ++m) {
    if (!s.mine_open[m]) continue;
    const std::int64_t out =
        std::min(s.mine_reserve[m], monthly_output(s.mine_capacity[m], s.cap_factor[c]));
    s.mine_reserve[m] -= out;
    total += out;
  }
  s.extracted[c] += total;
  s.production_month[c] = total;
  return total;
}

// The closure falls on the first month with nothing left to extract; it
// runs before that month's tick. The next tick still to come is this
// month's if it has not run yet, else next month's.
void CityModel::schedule_closure(Scheduler& s, std::uint32_t mine) {
  CityState& st = state_;
  st.mine_closure[mine] = des::EventHandle{};
  if (!st.mine_open[mine]) return;
  const std::uint32_t c = city_of_mine_[mine];
  const double now = s.now();
  const double next_tick = static_cast<double>(st.ticks_done[c]);
  const std::int64_t out = monthly_output(st.mine_capacity[mine], st.cap_factor[c]);
  double at;
  if (st.mine_reserve[mine] == 0) {
    at = std::max(now, next_tick);
  } else if (out > 0) {
    const std::int64_t months = (st.mine_reserve[mine] + out - 1) / out;
    at = std::max(now, next_tick + static_cast<double>(months));
  } else {
    return;  // idle (capped to zero): no exhaustion in sight
  }
  st.mine_closure[mine] =
      s.schedule_cancellable(at, CityEvent{CityEvent::Kind::closure, mine, 0}, priority::closure);
}

void CityModel::reschedule_closure(Scheduler& s, std::uint32_t mine) {
  s.cancel(state_.mine_closure[mine]);
  schedule_closure(s, mine);
}

void CityModel::close_mine(Scheduler& s, std::uint32_t c, std::uint32_t mine) {
  CityState& st = state_;
  st.mine_closure[mine] = des::EventHandle{};
  if (!st.mine_open[mine]) return;
  if (st.mine_reserve[mine] > 0) {  // output changed without a reschedule: try again later
    schedule_closure(s, mine);
    return;
  }
  st.mine_open[mine] = 0;
  const std::int64_t laid_off = st.mine_workforce[mine];
  st.mine_workforce[mine] = 0;
  place_laid_off(c, laid_off, params()[Param::layoff_market_share],
                 params()[Param::layoff_retirement_share]);
  log(s.now(), c, LogKind::mine_closure, static_cast<double>(laid_off));
}

void CityModel::place_laid_off(std::uint32_t c, std::int64_t persons, double market_share,
                               double retirement_share) {
  CityState& s = state_;
  const double p[2] = {market_share, retirement_share};
  std::int64_t parts[2] = {0, 0};
  const std::int64_t redeployed = labour_rng_[c].multinomial(persons, p, parts);
  s.unemployed_short[c] += parts[0];
  s.retired[c] += parts[1];
  s.reemployed[c] += redeployed;
  s.cumulative_reemployed[c] += redeployed;
}

// Once a year: retirements and productivity growth shed mine jobs.
void CityModel::shed_jobs(std::uint32_t c) {
  CityState& s = state_;
  const Mines& mines = catalogue_.mines;
  des::RandomStream& rng = labour_rng_[c];
  std::int64_t shed_total = 0;
  for (std::uint32_t m = mines.first[c]; m < mines.first[c + 1]; ++m) {
    if (!s.mine_open[m] || s.mine_workforce[m] == 0) continue;
    const std::int64_t retiring =
        rng.binomial(s.mine_workforce[m], params()[Param::retirement_rate]);
    const std::int64_t shed =
        rng.binomial(s.mine_workforce[m] - retiring, params()[Param::productivity_growth]);
    s.mine_workforce[m] -= retiring + shed;
    s.retired[c] += retiring;
    shed_total += shed;
  }
  place_laid_off(c, shed_total, params()[Param::layoff_market_share],
                 params()[Param::layoff_retirement_share]);
}

// Exploration spending raises the discovery rate in proportion to its size
// relative to the city's 2013 resource value added.
void CityModel::schedule_next_discovery(Scheduler& s, std::uint32_t c) {
  const double base_va = catalogue_.initial.resource_va_yi[c];
  const double effort = base_va > 0.0 ? state_.exploration_yi[c] / base_va : 0.0;
  const double rate = params()[Param::discoveries_per_year] *
                      (1.0 + params()[Param::exploration_elasticity] * effort);
  if (rate <= 0.0) return;
  const double gap_months = resource_rng_[c].exponential(12.0 / rate);
  s.schedule(s.now() + gap_months, CityEvent{CityEvent::Kind::discovery, 0, 0}, priority::closure);
}

// A discovery adds reserves to a random open mine (or, if none is open, to
// undeveloped reserves). Its mean size makes the expected additions per
// year equal to additions_to_production x the 2013 production.
void CityModel::discover(Scheduler& s, std::uint32_t c) {
  CityState& st = state_;
  double ratio = params()[Param::additions_to_production];
  if (st.city_class[c] == Category::declining || st.city_class[c] == Category::regenerating) {
    ratio *= params()[Param::declining_discovery_factor];
  }
  const double mean = ratio * static_cast<double>(catalogue_.initial.production_milli_per_year[c]) /
                      params()[Param::discoveries_per_year];
  if (mean <= 0.0) return;
  des::RandomStream& rng = resource_rng_[c];
  const auto size = static_cast<std::int64_t>(std::llround(rng.exponential(mean)));
  if (size <= 0) return;
  const Mines& mines = catalogue_.mines;
  std::vector<std::uint32_t> open;
  for (std::uint32_t m = mines.first[c]; m < mines.first[c + 1]; ++m) {
    if (st.mine_open[m] && st.mine_reserve[m] > 0) open.push_back(m);
  }
  st.discovered[c] += size;
  if (open.empty()) {
    st.undeveloped_reserve[c] += size;
  } else {
    const std::uint32_t m = open[rng.below(open.size())];
    st.mine_reserve[m] += size;
    reschedule_closure(s, m);
  }
  log(s.now(), c, LogKind::discovery, static_cast<double>(size) / 1000.0);
}

void CityModel::set_output_cap(Scheduler& s, std::uint32_t c, double cap, double market_share,
                               double retirement_share) {
  CityState& st = state_;
  const double old_cap = st.cap_factor[c];
  st.cap_factor[c] = cap;
  const Mines& mines = catalogue_.mines;
  if (cap < old_cap && old_cap > 0.0) {
    const double keep = cap / old_cap;
    std::int64_t laid_off = 0;
    for (std::uint32_t m = mines.first[c]; m < mines.first[c + 1]; ++m) {
      const auto kept =
          static_cast<std::int64_t>(std::floor(static_cast<double>(st.mine_workforce[m]) * keep));
      laid_off += st.mine_workforce[m] - kept;
      st.mine_workforce[m] = kept;
    }
    place_laid_off(c, laid_off, market_share, retirement_share);
  }
  for (std::uint32_t m = mines.first[c]; m < mines.first[c + 1]; ++m) reschedule_closure(s, m);
}

void CityModel::close_smallest_mines(Scheduler& s, std::uint32_t c, std::int64_t capacity,
                                     double market_share, double retirement_share) {
  CityState& st = state_;
  const Mines& mines = catalogue_.mines;
  std::vector<std::uint32_t> open;
  for (std::uint32_t m = mines.first[c]; m < mines.first[c + 1]; ++m) {
    if (st.mine_open[m]) open.push_back(m);
  }
  std::stable_sort(open.begin(), open.end(), [&](std::uint32_t a, std::uint32_t b) {
    return st.mine_capacity[a] < st.mine_capacity[b];
  });
  std::int64_t closed = 0;
  for (std::uint32_t m : open) {
    if (closed >= capacity) break;
    closed += st.mine_capacity[m];
    s.cancel(st.mine_closure[m]);
    st.mine_closure[m] = des::EventHandle{};
    st.mine_open[m] = 0;
    // Its remaining reserve is stranded but still counted as remaining.
    st.undeveloped_reserve[c] += st.mine_reserve[m];
    st.mine_reserve[m] = 0;
    const std::int64_t laid_off = st.mine_workforce[m];
    st.mine_workforce[m] = 0;
    place_laid_off(c, laid_off, market_share, retirement_share);
    log(s.now(), c, LogKind::mine_closure, static_cast<double>(laid_off));
  }
}

}  // namespace regsim::model
