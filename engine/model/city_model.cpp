// Set-up, event dispatch, the monthly tick, indicators and invariants.
// The blocks live beside this file: resource.cpp, labour.cpp, market.cpp.
#include "model/city_model.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include <fmt/format.h>

namespace regsim::model {

namespace {
constexpr std::uint64_t market_stream_key = std::uint64_t{1} << 40;  // no city id collides

// Great-circle distance between two cities, km.
double distance_km(const City& a, const City& b) {
  constexpr double rad = 3.14159265358979323846 / 180.0;
  const double dlat = (b.lat_deg - a.lat_deg) * rad, dlon = (b.lon_deg - a.lon_deg) * rad;
  const double h = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(a.lat_deg * rad) * std::cos(b.lat_deg * rad) * std::sin(dlon / 2) *
                       std::sin(dlon / 2);
  return 2.0 * 6371.0 * std::asin(std::sqrt(std::min(1.0, h)));
}
}  // namespace

CityModel::CityModel(const CityCatalogue& catalogue, const ModelConfig& config,
                     ReplicationInputs inputs)
    : catalogue_(catalogue),
      config_(&config),
      inputs_(std::move(inputs)),
      trajectories_(catalogue.size(), config.months),
      market_rng_(inputs_.seed, inputs_.replication, market_stream_key, "prices"),
      planning_rng_(inputs_.seed, inputs_.replication, market_stream_key, "capacity planning") {
  const std::size_t n = catalogue.size();
  const InitialConditions& in = catalogue.initial;
  CityState& s = state_;
  auto zeros = [n](auto& v) { v.assign(n, {}); };
  s.pools.assign(n);
  zeros(s.migrated_in), zeros(s.migrated_out), zeros(s.natural_change), zeros(s.ex_miner_arrivals);
  zeros(s.cumulative_reemployed), zeros(s.initial_people), zeros(s.undeveloped_reserve);
  zeros(s.extracted), zeros(s.discovered), zeros(s.ticks_done), zeros(s.initial_reserve),
      zeros(s.production_month);
  zeros(s.replacement_va), zeros(s.replacement_ceiling), zeros(s.other_va), zeros(s.va_per_unit);
  zeros(s.growth_offset), zeros(s.attractiveness);
  zeros(s.degraded_land), zeros(s.restored_land), zeros(s.degraded_ha_per_milli), zeros(s.seats),
      zeros(s.course_months);
  zeros(s.cap_factor), zeros(s.city_class), zeros(s.log), zeros(s.exploration_yi);
  zeros(s.transfers_received), zeros(s.spending);
  zeros(s.swap_credit), zeros(s.opened_capacity);
  s.approvals_open.assign(n, 1);
  s.completion_rate.assign(n, inputs_.params[Param::retraining_completion_rate]);
  s.placement_rate.assign(n, inputs_.params[Param::retraining_placement_rate]);
  s.job_finding_factor.assign(n, 1.0);
  others_labour_share_.assign(n, 0.0);
  others_assistance_share_.assign(n, 0.0);
  migration_targets_.assign(n, {});
  local_jobs_.assign(n, 0.0), miners_last_.assign(n, 0.0), local_va0_.assign(n, 0.0);
  income0_.assign(n, 0.0), induced_loss_.assign(n, 0.0), employment_rate0_.assign(n, 0.0);
  induced_va_.assign(n, 0.0), resource_va_last_.assign(n, 0.0);
  monthly_growth_.assign(n, 1.0);
  for (auto& r : reports_) r.assign(n, CapacityReport{});

  // Production units: the catalogue's, then `spare` empty slots per city
  // for new units (closed units are reused as slots too).
  constexpr std::uint32_t spare = 3;
  const Mines& mines = catalogue.mines;
  unit_first_.assign(n + 1, 0);
  for (std::size_t c = 0; c < n; ++c) {
    unit_first_[c + 1] = unit_first_[c] + static_cast<std::uint32_t>(mines.count(c)) + spare;
  }
  const std::size_t units = unit_first_[n];
  s.mine_reserve.assign(units, 0), s.mine_capacity.assign(units, 0);
  s.mine_workforce.assign(units, 0), s.mine_open.assign(units, 0);
  s.mine_building.assign(units, 0), s.mine_workers_per_unit.assign(units, 0.0);
  s.mine_closure.assign(units, des::EventHandle{});
  city_of_mine_.assign(units, 0);

  const Parameters& p = inputs_.params;
  rates_.multiplier_fade = std::pow(0.5, 1.0 / (12.0 * p[Param::economy_multiplier_half_life]));
  rates_.restoration = monthly(p[Param::environment_restoration_share]);
  rates_.retirement = monthly(p[Param::labour_retirement_rate]);
  rates_.social_assistance = monthly(p[Param::labour_social_assistance_rate]);
  placement_.assign(n, placement_hazards(p[Param::retraining_placement_rate]));
  for (std::size_t c = 0; c < n; ++c) {
    const City& city = catalogue.cities[c];
    const auto id = static_cast<std::uint64_t>(city.id);
    labour_rng_.emplace_back(inputs_.seed, inputs_.replication, id, "labour");
    resource_rng_.emplace_back(inputs_.seed, inputs_.replication, id, "resource");
    demography_rng_.emplace_back(inputs_.seed, inputs_.replication, id, "demography");
    const auto r = static_cast<std::size_t>(city.primary_resource);
    cities_of_resource_[r].push_back(static_cast<std::uint32_t>(c));
    s.pools[Pool::unemployed_long][c] =
        static_cast<std::int64_t>(std::floor(static_cast<double>(in.unemployed_ex_miners[c]) *
                                             p[Param::labour_initial_long_term_share]));
    s.pools[Pool::unemployed_short][c] =
        in.unemployed_ex_miners[c] - s.pools[Pool::unemployed_long][c];
    // Residents outside the mining pools: the unemployed among them (the
    // registered unemployed who are not ex-miners) and everyone else.
    const std::int64_t residents = std::max<std::int64_t>(
        0, in.population[c] - in.mining_employment[c] - in.unemployed_ex_miners[c]);
    const std::int64_t local_labour =
        in.labour_force[c] - in.mining_employment[c] - in.unemployed_ex_miners[c];
    s.pools[Pool::local_unemployed][c] =
        std::clamp<std::int64_t>(in.registered_unemployed[c] - in.unemployed_ex_miners[c], 0,
                                 std::max<std::int64_t>(0, local_labour));
    s.pools[Pool::others][c] = residents - s.pools[Pool::local_unemployed][c];
    if (residents > 0) {
      others_labour_share_[c] =
          std::clamp(static_cast<double>(local_labour) / static_cast<double>(residents), 0.0, 1.0);
      others_assistance_share_[c] = std::clamp(
          static_cast<double>(in.social_assistance_recipients[c]) / static_cast<double>(residents),
          0.0, 1.0);
    }
    std::int64_t reserve = 0;
    std::uint32_t u = unit_first_[c];
    for (std::uint32_t m = mines.first[c]; m < mines.first[c + 1]; ++m, ++u) {
      s.mine_reserve[u] = mines.reserve_milli[m];
      s.mine_capacity[u] = mines.capacity_milli_per_year[m];
      s.mine_workforce[u] = mines.workforce[m];
      s.mine_open[u] = s.mine_reserve[u] > 0 || s.mine_workforce[u] > 0 ? 1 : 0;
      reserve += s.mine_reserve[u];
    }
    for (std::uint32_t k = unit_first_[c]; k < unit_first_[c + 1]; ++k) {
      city_of_mine_[k] = static_cast<std::uint32_t>(c);
    }
    // Workers per unit of capacity at the city's 2013 utilisation: output
    // per worker differs by unit (small units need more workers per tonne).
    const std::int64_t capacity = open_capacity(static_cast<std::uint32_t>(c));
    const double use0 = capacity > 0
                            ? std::min(1.0, static_cast<double>(in.production_milli_per_year[c]) /
                                                static_cast<double>(capacity))
                            : 0.0;
    for (std::uint32_t k = unit_first_[c]; k < unit_first_[c + 1]; ++k) {
      const double used = static_cast<double>(s.mine_capacity[k]) / 1000.0 * use0;
      s.mine_workers_per_unit[k] =
          used > 0.0 ? static_cast<double>(s.mine_workforce[k]) / used : 0.0;
    }
    s.initial_reserve[c] = reserve;
    base_demand_[r] += static_cast<double>(in.production_milli_per_year[c]);
    // Resource VA per unit so that the 2013 output, at price index 1, gives
    // the seed's resource value added.
    const double output_units = static_cast<double>(in.production_milli_per_year[c]) / 1000.0;
    s.va_per_unit[c] = output_units > 0 ? in.resource_va_yi[c] / output_units : 0.0;
    s.degraded_ha_per_milli[c] = in.cumulative_milli[c] > 0
                                     ? static_cast<double>(in.degraded_land_ha[c]) /
                                           static_cast<double>(in.cumulative_milli[c])
                                     : 0.0;
    s.replacement_va[c] = in.replacement_va_yi[c];
    s.replacement_ceiling[c] = in.replacement_va_yi[c] * p[Param::replacement_ceiling_multiple];
    s.other_va[c] = in.other_va_yi[c];
    s.degraded_land[c] = static_cast<double>(in.degraded_land_ha[c]);
    s.restored_land[c] = static_cast<double>(in.restored_land_ha[c]);
    s.seats[c] = in.training_seats[c];
    s.course_months[c] = p[Param::retraining_course_months];
    s.cap_factor[c] = 1.0;
    s.city_class[c] = city.category;
    s.initial_people[c] = people(static_cast<std::uint32_t>(c));
    // The city's own effects, drawn once per replication.
    des::RandomStream& d = demography_rng_[c];
    s.growth_offset[c] = p[Param::economy_city_growth_sd] * d.normal();
    s.attractiveness[c] = p[Param::migration_city_effect_sd] * d.normal();
    miners_last_[c] = static_cast<double>(miners(static_cast<std::uint32_t>(c)));
    resource_va_last_[c] = in.resource_va_yi[c];
    local_va0_[c] = in.other_va_yi[c] + in.replacement_va_yi[c];
    const double labour0 = local_labour_force(static_cast<std::uint32_t>(c));
    local_jobs_[c] = labour0 - static_cast<double>(s.pools[Pool::local_unemployed][c]);
    employment_rate0_[c] = labour0 > 0.0 ? local_jobs_[c] / labour0 : 0.0;
    income0_[c] =
        in.population[c] > 0 ? catalogue.gdp_yi(c) / static_cast<double>(in.population[c]) : 0.0;
    for (std::size_t t = 0; t < n; ++t) {
      const City& other = catalogue.cities[t];
      if (t != c && other.category == Category::growing && other.province_en == city.province_en) {
        migration_targets_[c].push_back(static_cast<std::uint32_t>(t));
      }
    }
  }
  // Residents who move to another city of their province go by gravity:
  // its population x its attractiveness / distance^x (cal §4.6).
  destinations_.assign(n, {});
  for (std::size_t c = 0; c < n; ++c) {
    const City& a = catalogue.cities[c];
    double total = 0.0;
    for (std::size_t t = 0; t < n; ++t) {
      const City& b = catalogue.cities[t];
      if (t == c || b.province_en != a.province_en) continue;
      const double km = std::max(10.0, distance_km(a, b));
      const double w = static_cast<double>(in.population[t]) *
                       std::exp(s.attractiveness[t] * 10.0) /
                       std::pow(km, p[Param::migration_distance_exponent]);
      destinations_[c].emplace_back(static_cast<std::uint32_t>(t), w);
      total += w;
    }
    double cumulative = 0.0;
    for (auto& [t, w] : destinations_[c]) w = (cumulative += w / total);
  }
  ledger_.assign(static_cast<std::size_t>(config_->ledger_slots) * n, LedgerEntry{});
  set_up_triggers();
  for (std::uint32_t c = 0; c < n; ++c) report_capacity(c, 1);
  size_months();
  for (std::size_t r = 0; r < enum_count<Resource>; ++r) {
    if (!config_->price_paths[r].empty()) base_prices_[r][0] = config_->price_paths[r][0];
    prices_[r][0] = base_prices_[r][0] * price_factor(r, 0);
    const auto k = static_cast<double>(national_capacity(r, 1));  // the reports made above
    utilisation_[r][0] = k > 0.0 ? std::min(1.0, demand(static_cast<Resource>(r), 0) / k) : 0.0;
  }
}

CityModel::CityModel(const CityModel& history, const ModelConfig& branch, std::uint32_t fork_month)
    : CityModel(history) {
  become_branch(branch, fork_month);
}

CityModel::CityModel(CityModel&& history, const ModelConfig& branch, std::uint32_t fork_month)
    : CityModel(std::move(history)) {
  become_branch(branch, fork_month);
}

void CityModel::become_branch(const ModelConfig& branch, std::uint32_t fork_month) {
  config_ = &branch;
  resume_month_ = fork_month;
  if (trajectories_.months() != branch.months) {
    trajectories_ = trajectories_.resized(branch.months);
  }
  size_months();
  // The branch's ledger slots follow history's shared ones; those past them
  // belong to policies that have not acted yet, so they are empty.
  ledger_.resize(static_cast<std::size_t>(branch.ledger_slots) * catalogue_.size());
  set_up_triggers();
}

// Each trigger's state at the first month not yet checked, replayed from
// the recorded months: for a new model none, for a branch those before the
// fork, where the branch's own triggers have counted months as well.
void CityModel::set_up_triggers() {
  const std::size_t n = catalogue_.size();
  trigger_state_.assign(config_->triggers.size(), TriggerState{});
  triggers_of_city_.assign(n, {});
  for (std::uint32_t t = 0; t < config_->triggers.size(); ++t) {
    const Trigger& trigger = config_->triggers[t];
    const std::uint32_t c = trigger.action.city;
    triggers_of_city_.at(c).push_back(t);
    for (std::int64_t month = 0; month < state_.ticks_done[c]; ++month) {
      const auto m = static_cast<std::size_t>(month);
      step(trigger_state_[t], trigger, trajectories_.at(trigger.indicator, c, m),
           static_cast<des::Time>(month));
    }
  }
}

// Arrays by month, for this config's length: a branch keeps what history
// wrote (through its fork month) and starts the rest as a new model does.
void CityModel::size_months() {
  const std::size_t months = config_->months;
  growth_factor_.assign(months + 1, 1.0);
  for (std::size_t m = 1; m <= months; ++m) {
    growth_factor_[m] = growth_factor_[m - 1] * std::pow(1.0 + national_growth(m - 1), 1.0 / 12.0);
  }
  for (std::size_t r = 0; r < enum_count<Resource>; ++r) {
    base_prices_[r].resize(months + 1, 1.0);
    prices_[r].resize(months + 1, 1.0);
    utilisation_[r].resize(months + 1, 0.0);
  }
}

double CityModel::monthly(double annual_probability) {
  return 1.0 - std::pow(1.0 - std::clamp(annual_probability, 0.0, 1.0), 1.0 / 12.0);
}

// A share P of graduates would find work within a year (hazard h); the
// unplaced give up at h (1 - P) / P, so P is also the share eventually
// placed when vacancies are plentiful.
CityModel::PlacementHazards CityModel::placement_hazards(double placement_rate) {
  const double p = std::clamp(placement_rate, 0.0, 1.0);
  const double h = monthly(p);
  return PlacementHazards{h, p > 0.0 ? std::min(1.0, h * (1.0 - p) / p) : 1.0};
}

void CityModel::set_training_quality(std::uint32_t c, double completion_rate,
                                     double placement_rate) {
  state_.completion_rate.at(c) = completion_rate;
  state_.placement_rate.at(c) = placement_rate;
  placement_.at(c) = placement_hazards(placement_rate);
}

void CityModel::set_job_finding_factor(std::uint32_t c, double factor) {
  state_.job_finding_factor.at(c) = std::max(0.0, factor);
}

void CityModel::multiply_job_finding(std::uint32_t c, double factor) {
  set_job_finding_factor(c, state_.job_finding_factor.at(c) * factor);
}

void CityModel::divide_job_finding(std::uint32_t c, double factor) {
  set_job_finding_factor(c, state_.job_finding_factor.at(c) / factor);
}

void CityModel::receive_transfer(std::uint32_t c, double yi) {
  state_.transfers_received.at(c) += yi;
}

void CityModel::spend(std::uint32_t c, double yi) { state_.spending.at(c) += yi; }

void CityModel::init_lp(Scheduler& s, des::LpId lp) {
  if (lp == market_lp()) {
    s.schedule(0.0, CityEvent{CityEvent::Kind::price}, priority::price);
    return;
  }
  const auto c = static_cast<std::uint32_t>(lp);
  s.schedule(0.0, CityEvent{CityEvent::Kind::tick}, priority::tick);
  s.schedule(11.0, CityEvent{CityEvent::Kind::year_end}, priority::year_end);
  const auto [first, last] = units_of(c);
  for (std::uint32_t m = first; m < last; ++m) schedule_closure(s, m);
  schedule_next_discovery(s, c);
  schedule_actions(s, c, 0.0);
}

void CityModel::schedule_actions(Scheduler& s, std::uint32_t c, double from) {
  for (std::size_t a = 0; a < config_->actions.size(); ++a) {
    const Action& action = config_->actions[a];
    if (action.city == c && action.at_month >= from) {
      s.schedule(action.at_month, CityEvent{CityEvent::Kind::action, static_cast<std::uint32_t>(a)},
                 priority::action);
    }
  }
}

void CityModel::handle_event(Scheduler& s, des::LpId lp, const CityEvent& e) {
  const auto c = static_cast<std::uint32_t>(lp);
  const double now = s.now();
  switch (e.kind) {
    case CityEvent::Kind::tick:
      tick(s, c);
      s.schedule(now + 1.0, e, priority::tick);
      break;
    case CityEvent::Kind::price:
      set_prices(month_of(now));
      plan_capacity(s, month_of(now));
      s.schedule(now + 1.0, e, priority::price);
      break;
    case CityEvent::Kind::capacity_order:
      order_capacity(s, c, e.amount);
      break;
    case CityEvent::Kind::unit_opening:
      open_unit(s, c, e.index);
      break;
    case CityEvent::Kind::closure:
      close_mine(s, c, e.index);
      break;
    case CityEvent::Kind::discovery:
      discover(s, c);
      schedule_next_discovery(s, c);
      break;
    case CityEvent::Kind::graduation:
      graduate(c, e.amount);
      break;
    case CityEvent::Kind::arrival:
      arrive(c, static_cast<ArrivalPool>(e.index), e.amount);
      break;
    case CityEvent::Kind::action:
      config_->actions[e.index].apply(*this, s, c);
      log(now, c, LogKind::policy, static_cast<double>(config_->actions[e.index].policy));
      break;
    case CityEvent::Kind::park_opening:
      open_park(now, c, static_cast<double>(e.amount) / 1000.0);
      break;
    case CityEvent::Kind::year_end:
      classify(now, c);
      s.schedule(now + 12.0, e, priority::year_end);
      break;
  }
}

void CityModel::tick(Scheduler& s, std::uint32_t c) {
  const std::uint32_t month = month_of(s.now());
  const std::int64_t extracted = extract(s, c);
  if (month > 0 && month % 12 == 0) adjust_mine_jobs(c);
  const double vacancies = grow_replacement(c);
  if (month % 12 == 0) monthly_growth_[c] = std::pow(1.0 + growth_rate(c, month), 1.0 / 12.0);
  state_.other_va[c] *= monthly_growth_[c];
  labour_flows(s, c, vacancies);
  local_economy(c, month);
  demography(s, c, month);
  update_land(c, extracted);
  record(c, month);
  report_capacity(c, month);
  check_invariants(c);
  check_triggers(s, c, month);
  state_.ticks_done[c] = month + 1;
}

std::int64_t CityModel::people(std::uint32_t c) const {
  std::int64_t n = miners(c);
  for (const PoolSpec& p : pool_specs) n += state_.pools[p.pool][c];
  return n;
}

template <class Pred>
std::int64_t CityModel::count_pools(std::uint32_t c, Pred counted) const {
  std::int64_t n = 0;
  for (const PoolSpec& p : pool_specs) {
    if (counted(p)) n += state_.pools[p.pool][c];
  }
  return n;
}

std::int64_t CityModel::miners(std::uint32_t c) const {
  std::int64_t n = 0;
  const auto [first, last] = units_of(c);
  for (std::uint32_t m = first; m < last; ++m) n += state_.mine_workforce[m];
  return n;
}

std::int64_t CityModel::reserve(std::uint32_t c) const {
  std::int64_t r = state_.undeveloped_reserve[c];
  const auto [first, last] = units_of(c);
  for (std::uint32_t m = first; m < last; ++m) r += state_.mine_reserve[m];
  return r;
}

// Residents' labour force: a fixed share of the residents outside the
// mining pools (the unemployed among them included).
double CityModel::local_labour_force(std::uint32_t c) const {
  return static_cast<double>(state_.pools[Pool::others][c] +
                             state_.pools[Pool::local_unemployed][c]) *
         others_labour_share_[c];
}

double CityModel::labour_force(std::uint32_t c) const {
  const auto in_labour_force = [](const PoolSpec& p) { return p.ex_miners && p.labour_force; };
  return local_labour_force(c) + static_cast<double>(miners(c) + count_pools(c, in_labour_force));
}

double CityModel::unemployed(std::uint32_t c) const {
  return static_cast<double>(count_pools(c, [](const PoolSpec& p) { return p.unemployed; }));
}

double CityModel::unemployed_ex_miners(std::uint32_t c) const {
  const auto seeking = [](const PoolSpec& p) { return p.ex_miners && p.unemployed; };
  return static_cast<double>(count_pools(c, seeking));
}

double CityModel::resource_va_of(std::uint32_t c, std::size_t month) const {
  const CityState& s = state_;
  const Resource r = catalogue_.cities[c].primary_resource;
  const double production = static_cast<double>(s.production_month[c]) * 12.0 / 1000.0;
  return production * s.va_per_unit[c] * price(r, month);
}

double CityModel::gdp(std::uint32_t c, std::size_t month) const {
  return resource_va_of(c, month) + local_va(c);
}

void CityModel::record(std::uint32_t c, std::size_t month) {
  const CityState& s = state_;
  const double production = static_cast<double>(s.production_month[c]) * 12.0 / 1000.0;
  const double res_va = resource_va_of(c, month);
  const double gdp = res_va + local_va(c);
  const double reserve_units = static_cast<double>(reserve(c)) / 1000.0;
  const double cumulative =
      static_cast<double>(catalogue_.initial.cumulative_milli[c] + s.extracted[c]) / 1000.0;
  const double lf = labour_force(c);
  const double un = unemployed(c);
  const auto ratio = [](double a, double b) { return b > 0.0 ? a / b : 0.0; };
  auto put = [&](Indicator i, double v) { trajectories_.at(i, c, month) = v; };
  put(Indicator::population, static_cast<double>(people(c)));
  put(Indicator::labour_force, lf);
  put(Indicator::unemployed, un);
  put(Indicator::unemployment_rate, ratio(un, lf));
  put(Indicator::miners_employed, static_cast<double>(miners(c)));
  put(Indicator::unemployed_ex_miners, unemployed_ex_miners(c));
  put(Indicator::long_term_unemployed_ex_miners,
      static_cast<double>(s.pools[Pool::unemployed_long][c]));
  put(Indicator::trainees, static_cast<double>(s.pools[Pool::trainees][c]));
  put(Indicator::training_queue, static_cast<double>(s.pools[Pool::training_queue][c]));
  put(Indicator::cumulative_reemployed, static_cast<double>(s.cumulative_reemployed[c]));
  put(Indicator::social_assistance,
      static_cast<double>(s.pools[Pool::others][c]) * others_assistance_share_[c] +
          static_cast<double>(s.pools[Pool::assistance_ex_miners][c]));
  put(Indicator::cumulative_out_migrants, static_cast<double>(s.migrated_out[c]));
  put(Indicator::cumulative_in_migrants, static_cast<double>(s.migrated_in[c]));
  put(Indicator::natural_change, static_cast<double>(s.natural_change[c]));
  put(Indicator::local_unemployed, static_cast<double>(s.pools[Pool::local_unemployed][c]));
  put(Indicator::gdp, gdp);
  put(Indicator::resource_va, res_va);
  put(Indicator::replacement_va, s.replacement_va[c]);
  put(Indicator::resource_dependence, ratio(res_va, gdp));
  put(Indicator::replacement_share, ratio(s.replacement_va[c], gdp));
  put(Indicator::production, production);
  put(Indicator::capacity, static_cast<double>(open_capacity(c)) / 1000.0);
  put(Indicator::new_capacity, static_cast<double>(s.opened_capacity[c]) / 1000.0);
  put(Indicator::reserve, reserve_units);
  put(Indicator::reserve_to_production, ratio(reserve_units, production));
  put(Indicator::cumulative_extraction, cumulative);
  put(Indicator::ultimate_resource, cumulative + reserve_units);
  put(Indicator::exhaustion_fraction, ratio(cumulative, cumulative + reserve_units));
  put(Indicator::degraded_land, s.degraded_land[c]);
  put(Indicator::restored_land, s.restored_land[c]);
  put(Indicator::restoration_rate, ratio(s.restored_land[c], s.degraded_land[c]));
  put(Indicator::city_class, static_cast<double>(s.city_class[c]));
  put(Indicator::transfers_received, s.transfers_received[c]);
  put(Indicator::policy_spending, s.spending[c]);
}

void CityModel::check_invariants(std::uint32_t c) const {
  const CityState& s = state_;
  const std::int64_t expected =
      s.initial_people[c] + s.migrated_in[c] - s.migrated_out[c] + s.natural_change[c];
  const std::int64_t got = people(c);
  if (got != expected) {
    throw InvariantError(fmt::format("labour pools of city {} hold {} persons, expected {}",
                                     catalogue_.cities[c].id, got, expected));
  }
  const std::int64_t reserve_now = reserve(c);
  if (reserve_now + s.extracted[c] != s.initial_reserve[c] + s.discovered[c]) {
    throw InvariantError(fmt::format(
        "reserves of city {}: remaining {} + extracted {} != initial {} + discovered {}",
        catalogue_.cities[c].id, reserve_now, s.extracted[c], s.initial_reserve[c],
        s.discovered[c]));
  }
  for (const PoolSpec& p : pool_specs) {
    if (s.pools[p.pool][c] < 0) {
      throw InvariantError(fmt::format("negative pool in city {}", catalogue_.cities[c].id));
    }
  }
}

void CityModel::check_triggers(Scheduler& s, std::uint32_t c, std::size_t month) {
  for (std::uint32_t t : triggers_of_city_[c]) {
    const Trigger& trigger = config_->triggers[t];
    if (step(trigger_state_[t], trigger, trajectories_.at(trigger.indicator, c, month), s.now())) {
      const Action& action = trigger.action;
      log(s.now(), c, LogKind::trigger, static_cast<double>(action.policy));
      action.apply(*this, s, c);
    }
  }
}

bool CityModel::step(TriggerState& state, const Trigger& trigger, double value, des::Time now) {
  const bool holds = trigger.above ? value > trigger.threshold : value < trigger.threshold;
  state.run = holds ? state.run + 1 : 0;
  if (!holds && trigger.rearm) state.armed = true;
  const bool in_window = now >= trigger.from_month && now < trigger.until_month;
  if (in_window && state.armed && state.run >= trigger.for_months) {
    state.armed = false;
    return true;
  }
  return false;
}

void CityModel::log(des::Time at, std::uint32_t c, LogKind kind, double value) {
  state_.log[c].push_back(LoggedEvent{at, c, kind, value});
}

std::vector<LoggedEvent> CityModel::event_log() const {
  std::vector<LoggedEvent> all;
  for (const auto& city_log : state_.log) all.insert(all.end(), city_log.begin(), city_log.end());
  return all;
}

}  // namespace regsim::model
