// The resource block: production units (mines, oilfield blocks, forestry
// bureaus) producing their share of national demand (the market's
// utilisation of open capacity), closures at projected exhaustion
// (rescheduled whenever output changes), new units ordered by the market
// and built after a construction lag, Poisson discoveries, mine jobs as
// output / productivity by unit, and the caps and closures that policies
// impose.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <utility>

#include "model/city_model.hpp"

namespace regsim::model {

namespace {
// Monthly output of a unit, thousandths of a unit.
std::int64_t monthly_output(std::int64_t capacity_per_year, double cap, double use) {
  return static_cast<std::int64_t>(
      std::floor(static_cast<double>(capacity_per_year) * cap * use / 12.0));
}
}  // namespace

double CityModel::use_of(std::uint32_t c, std::size_t month) const {
  return utilisation(catalogue_.cities[c].primary_resource,
                     std::min<std::size_t>(month, config_->months - 1));
}

std::int64_t CityModel::target_workforce(std::uint32_t c, std::uint32_t unit, double use) const {
  const CityState& s = state_;
  return static_cast<std::int64_t>(
      std::llround(static_cast<double>(s.mine_capacity[unit]) / 1000.0 * s.cap_factor[c] * use *
                   s.mine_workers_per_unit[unit]));
}

std::int64_t CityModel::open_capacity(std::uint32_t c) const {
  std::int64_t open = 0;
  const auto [first, last] = units_of(c);
  for (std::uint32_t m = first; m < last; ++m)
    open += state_.mine_open[m] ? state_.mine_capacity[m] : 0;
  return open;
}

std::int64_t CityModel::extract(Scheduler& s, std::uint32_t c) {
  CityState& st = state_;
  const double use = use_of(c, month_of(s.now()));
  std::int64_t total = 0;
  const auto [first, last] = units_of(c);
  for (std::uint32_t m = first; m < last; ++m) {
    if (!st.mine_open[m]) continue;
    const std::int64_t out =
        std::min(st.mine_reserve[m], monthly_output(st.mine_capacity[m], st.cap_factor[c], use));
    st.mine_reserve[m] -= out;
    total += out;
    // Exhausted sooner than projected (utilisation rose): close next month.
    if (out > 0 && st.mine_reserve[m] == 0) {
      s.cancel(st.mine_closure[m]);
      st.mine_closure[m] = s.schedule_cancellable(
          std::floor(s.now()) + 1.0, CityEvent{CityEvent::Kind::closure, m, 0}, priority::closure);
    }
  }
  st.extracted[c] += total;
  st.production_month[c] = total;
  return total;
}

// The closure falls on the first month with nothing left to extract at
// this month's utilisation; it runs before that month's tick. The next tick
// still to come is this month's if it has not run yet, else next month's.
void CityModel::schedule_closure(Scheduler& s, std::uint32_t mine) {
  CityState& st = state_;
  st.mine_closure[mine] = des::EventHandle{};
  if (!st.mine_open[mine]) return;
  const std::uint32_t c = city_of_mine_[mine];
  const double now = s.now();
  const double next_tick = static_cast<double>(st.ticks_done[c]);
  const double use = use_of(c, month_of(now));
  const std::int64_t out = monthly_output(st.mine_capacity[mine], st.cap_factor[c], use);
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
  place_laid_off(c, laid_off, params()[Param::labour_layoff_market_share],
                 params()[Param::labour_layoff_retirement_share]);
  log(s.now(), c, LogKind::mine_closure, static_cast<double>(laid_off));
}

void CityModel::place_laid_off(std::uint32_t c, std::int64_t persons, double market_share,
                               double retirement_share) {
  CityState& s = state_;
  const double p[2] = {market_share, retirement_share};
  std::int64_t parts[2] = {0, 0};
  const std::int64_t redeployed = labour_rng_[c].multinomial(persons, p, parts);
  s.pools[Pool::unemployed_short][c] += parts[0];
  s.pools[Pool::retired][c] += parts[1];
  s.pools[Pool::reemployed][c] += redeployed;
  s.cumulative_reemployed[c] += redeployed;
}

// Each January: retirements, then each unit's workforce moves to its output
// over output per worker, which grows by resource.productivity_growth (cal
// §6.3). Units shed the excess (placed like any layoff) or hire: unemployed
// ex-miners first, then unemployed residents, then other residents.
void CityModel::adjust_mine_jobs(std::uint32_t c) {
  CityState& s = state_;
  des::RandomStream& rng = labour_rng_[c];
  const double use = use_of(c, static_cast<std::size_t>(s.ticks_done[c]));
  const double productivity = 1.0 + params()[Param::resource_productivity_growth];
  std::int64_t shed_total = 0;
  const auto [first, last] = units_of(c);
  for (std::uint32_t m = first; m < last; ++m) {
    if (!s.mine_open[m]) continue;
    const std::int64_t retiring =
        rng.binomial(s.mine_workforce[m], params()[Param::labour_retirement_rate]);
    s.mine_workforce[m] -= retiring;
    s.pools[Pool::retired][c] += retiring;
    s.mine_workers_per_unit[m] /= productivity;
    const std::int64_t target = target_workforce(c, m, use);
    if (s.mine_workforce[m] > target) {
      shed_total += s.mine_workforce[m] - target;
      s.mine_workforce[m] = target;
    } else {
      hire_miners(c, m, target - s.mine_workforce[m]);
    }
  }
  place_laid_off(c, shed_total, params()[Param::labour_layoff_market_share],
                 params()[Param::labour_layoff_retirement_share]);
}

void CityModel::hire_miners(std::uint32_t c, std::uint32_t unit, std::int64_t persons) {
  CityState& s = state_;
  for (std::vector<std::int64_t>* pool :
       {&s.pools[Pool::unemployed_short], &s.pools[Pool::unemployed_long],
        &s.pools[Pool::local_unemployed], &s.pools[Pool::others]}) {
    const std::int64_t take = std::min(persons, (*pool)[c]);
    (*pool)[c] -= take;
    s.mine_workforce[unit] += take;
    persons -= take;
  }
}

// What an open unit holds beyond new_unit_reserve_years of its own capacity.
namespace {
std::int64_t excess_reserve(const CityState& s, std::uint32_t m, double years) {
  if (!s.mine_open[m]) return 0;
  const auto keep = static_cast<std::int64_t>(static_cast<double>(s.mine_capacity[m]) * years);
  return std::max<std::int64_t>(0, s.mine_reserve[m] - keep);
}
}  // namespace

// Reserve a new unit could take: undeveloped reserves and the excess of the
// open units.
std::int64_t CityModel::developable_reserve(std::uint32_t c) const {
  const double years = params()[Param::resource_new_unit_reserve_years];
  std::int64_t developable = state_.undeveloped_reserve[c];
  const auto [first, last] = units_of(c);
  for (std::uint32_t m = first; m < last; ++m) developable += excess_reserve(state_, m, years);
  return developable;
}

void CityModel::report_capacity(std::uint32_t c, std::size_t month) {
  const CityState& s = state_;
  CapacityReport r;
  const auto [first, last] = units_of(c);
  for (std::uint32_t m = first; m < last; ++m) {
    if (s.mine_building[m]) r.building += s.mine_capacity[m];
  }
  r.capacity = static_cast<std::int64_t>(static_cast<double>(open_capacity(c)) * s.cap_factor[c]);
  // The market reads what could be built only in January (the report of
  // the month before the one before).
  if (s.cap_factor[c] > 0.0 && (month % 12 == 10 || month < 2)) {
    const double years = params()[Param::resource_new_unit_reserve_years];
    r.max_order = static_cast<std::int64_t>(static_cast<double>(developable_reserve(c)) / years);
    if (!s.approvals_open[c]) r.max_order = std::min(r.max_order, s.swap_credit[c]);
  }
  reports_[month % 2][c] = r;
}

// A capacity order from the market: a new modern unit in a free slot, with
// reserve moved (exactly) from undeveloped reserves and the excess of open
// units; while approvals are frozen only the swap credit may be rebuilt.
void CityModel::order_capacity(Scheduler& s, std::uint32_t c, std::int64_t capacity) {
  CityState& st = state_;
  if (st.cap_factor[c] <= 0.0) return;
  if (!st.approvals_open[c]) capacity = std::min(capacity, st.swap_credit[c]);
  const double years = params()[Param::resource_new_unit_reserve_years];
  const auto [first, last] = units_of(c);
  std::uint32_t slot = first;
  while (slot < last && (st.mine_open[slot] || st.mine_building[slot] ||
                         st.mine_reserve[slot] != 0 || st.mine_workforce[slot] != 0)) {
    ++slot;
  }
  capacity = std::min(
      capacity, static_cast<std::int64_t>(static_cast<double>(developable_reserve(c)) / years));
  if (slot == last || capacity <= 0) return;
  if (!st.approvals_open[c]) st.swap_credit[c] -= capacity;
  std::int64_t want = static_cast<std::int64_t>(static_cast<double>(capacity) * years);
  const std::int64_t from_undeveloped = std::min(want, st.undeveloped_reserve[c]);
  st.undeveloped_reserve[c] -= from_undeveloped;
  std::int64_t reserve = from_undeveloped;
  want -= from_undeveloped;
  for (std::uint32_t m = first; m < last && want > 0; ++m) {
    const std::int64_t take = std::min(want, excess_reserve(st, m, years));
    if (take <= 0) continue;
    st.mine_reserve[m] -= take;
    reserve += take;
    want -= take;
    reschedule_closure(s, m);
  }
  st.mine_capacity[slot] = capacity;
  st.mine_reserve[slot] = reserve;
  st.mine_building[slot] = 1;
  st.mine_workers_per_unit[slot] = params()[Param::resource_modern_workers_per_capacity];
  s.schedule(std::floor(s.now()) + std::round(params()[Param::resource_construction_months]),
             CityEvent{CityEvent::Kind::unit_opening, slot, 0}, priority::closure);
}

void CityModel::open_unit(Scheduler& s, std::uint32_t c, std::uint32_t unit) {
  CityState& st = state_;
  if (!st.mine_building[unit]) return;
  st.mine_building[unit] = 0;
  st.mine_open[unit] = 1;
  st.opened_capacity[c] += st.mine_capacity[unit];
  hire_miners(c, unit, target_workforce(c, unit, use_of(c, month_of(s.now()))));
  schedule_closure(s, unit);
  log(s.now(), c, LogKind::unit_opening, static_cast<double>(st.mine_capacity[unit]) / 1000.0);
}

void CityModel::set_approvals(std::uint32_t c, bool open) {
  state_.approvals_open.at(c) = open ? 1 : 0;
}

// The new level acts from the next discovery on (its waiting time is drawn
// with the level of its day).
double CityModel::set_exploration(std::uint32_t c, double yi_per_year) {
  return std::exchange(state_.exploration_yi.at(c), yi_per_year);
}

// Exploration spending raises the discovery rate in proportion to its size
// relative to the city's 2013 resource value added.
void CityModel::schedule_next_discovery(Scheduler& s, std::uint32_t c) {
  const double base_va = catalogue_.initial.resource_va_yi[c];
  const double effort = base_va > 0.0 ? state_.exploration_yi[c] / base_va : 0.0;
  const double rate = params()[Param::resource_discoveries_per_year] *
                      (1.0 + params()[Param::resource_exploration_elasticity] * effort);
  if (rate <= 0.0) return;
  const double gap_months = resource_rng_[c].exponential(12.0 / rate);
  s.schedule(s.now() + gap_months, CityEvent{CityEvent::Kind::discovery, 0, 0}, priority::closure);
}

// A discovery adds reserves to a random open unit (or, if none is open, to
// undeveloped reserves). Its mean size makes the expected additions per
// year equal to additions_to_production x the 2013 production.
void CityModel::discover(Scheduler& s, std::uint32_t c) {
  CityState& st = state_;
  double ratio = params()[Param::resource_additions_to_production];
  if (st.city_class[c] == Category::declining || st.city_class[c] == Category::regenerating) {
    ratio *= params()[Param::resource_declining_discovery_factor];
  }
  const double mean = ratio * static_cast<double>(catalogue_.initial.production_milli_per_year[c]) /
                      params()[Param::resource_discoveries_per_year];
  if (mean <= 0.0) return;
  des::RandomStream& rng = resource_rng_[c];
  const auto size = static_cast<std::int64_t>(std::llround(rng.exponential(mean)));
  if (size <= 0) return;
  std::vector<std::uint32_t> open;
  const auto [first, last] = units_of(c);
  for (std::uint32_t m = first; m < last; ++m) {
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
  const auto [first, last] = units_of(c);
  if (cap < old_cap && old_cap > 0.0) {
    const double keep = cap / old_cap;
    std::int64_t laid_off = 0;
    for (std::uint32_t m = first; m < last; ++m) {
      const auto kept =
          static_cast<std::int64_t>(std::floor(static_cast<double>(st.mine_workforce[m]) * keep));
      laid_off += st.mine_workforce[m] - kept;
      st.mine_workforce[m] = kept;
    }
    place_laid_off(c, laid_off, market_share, retirement_share);
  }
  for (std::uint32_t m = first; m < last; ++m) reschedule_closure(s, m);
}

// Capacity cuts close the smallest open units; the city may rebuild
// swap_ratio of the closed capacity as modern units (减量置换, cal §3.1)
// even while approvals are frozen.
void CityModel::close_smallest_mines(Scheduler& s, std::uint32_t c, std::int64_t capacity,
                                     double market_share, double retirement_share) {
  CityState& st = state_;
  std::vector<std::uint32_t> open;
  const auto [first, last] = units_of(c);
  for (std::uint32_t m = first; m < last; ++m) {
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
  st.swap_credit[c] +=
      static_cast<std::int64_t>(static_cast<double>(closed) * params()[Param::resource_swap_ratio]);
}

}  // namespace regsim::model
