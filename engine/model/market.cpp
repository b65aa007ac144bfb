// The market LP. Each month it sets, for the month ahead and each resource:
// - national demand (a path given by the scenario, or growth at
//   demand.growth_rate, times any lever's factors), relative to the region's
//   2013 output;
// - the utilisation of open capacity, demand / capacity (at most
//   resource.max_utilisation): every
//   open unit produces that share of its (capped) capacity, so closing some
//   units moves their output to the others as long as capacity is spare;
// - the price index: a log Ornstein-Uhlenbeck process (cal §6.8: half-life
//   1-2 years, annual volatility 15-25 %) whose long-run mean rises when
//   demand presses on capacity, or a given path where one is supplied (a
//   NaN month follows the process), times the month's price factor.
// Each January it orders new units where demand expected when they would
// open exceeds normal utilisation of the capacity open and being built,
// and the price pays for it. Capacity is what the cities reported a month
// earlier (CityModel::report_capacity).
#include <cmath>
#include <limits>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "model/city_model.hpp"
#include "model/simulation.hpp"

namespace regsim::model {

// Open (capped) capacity of a resource's cities in the reports of a parity.
std::int64_t CityModel::national_capacity(std::size_t r, std::size_t parity) const {
  std::int64_t capacity = 0;
  for (const std::uint32_t c : cities_of_resource_[r]) capacity += reports_[parity][c].capacity;
  return capacity;
}

namespace {

// National demand relative to 2013 in a month: the path (or growth), times
// the levers' factors.
double demand_index(const ModelConfig& config, const Parameters& p, std::size_t k,
                    std::size_t month) {
  const auto& path = config.demand_paths[k];
  double index = std::pow(1.0 + p[Param::demand_growth_rate], static_cast<double>(month) / 12.0);
  if (!path.empty()) index = path[std::min(month, path.size() - 1)];
  const auto& f = config.demand_factors[k];
  if (month < f.size()) index *= f[month];
  return index;
}

// Planning happens in month next - 1 when `next` opens a year of the run.
bool plans(const ModelConfig& config, std::size_t next) {
  return next % 12 == 0 && next < config.months;
}

// The month whose demand planners building in month `next` provide for.
std::size_t planned_month(const ModelConfig& config, const Parameters& p, std::size_t next) {
  const auto lag = static_cast<std::size_t>(std::round(p[Param::resource_construction_months]));
  return std::min<std::size_t>(next + lag, config.months - 1);
}

// How the market reads its paths, here once for the market itself and for
// market_difference. A price path's value in a month, NaN where the
// stochastic process sets it; month 0 is the start level, 1, without a path.
double path_value(const std::vector<double>& path, std::size_t month) {
  if (month == 0) return path.empty() ? 1.0 : path[0];
  return month < path.size() ? path[month] : std::numeric_limits<double>::quiet_NaN();
}

double factor_value(const std::vector<double>& factors, std::size_t month) {
  return month < factors.size() ? factors[month] : 1.0;
}

bool same(double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }

std::string month_name(std::size_t month) {
  return fmt::format("{:04}-{:02} (month {})", start_year + static_cast<int>(month / 12),
                     month % 12 + 1, month);
}

}  // namespace

double CityModel::price_factor(std::size_t r, std::size_t month) const {
  return factor_value(config_->price_factors[r], month);
}

double CityModel::demand(Resource r, std::size_t month) const {
  const auto k = static_cast<std::size_t>(r);
  return base_demand_[k] * demand_index(*config_, params(), k, month);
}

std::optional<std::string> market_difference(const ModelConfig& history, const ModelConfig& branch,
                                             const Parameters& p, std::uint32_t fork_month) {
  for (std::size_t k = 0; k < enum_count<Resource>; ++k) {
    const std::string_view r = to_string(static_cast<Resource>(k));
    // Set in month m - 1 for month m (month 0 at the start): up to the fork month.
    for (std::size_t m = 0; m <= fork_month; ++m) {
      if (!same(path_value(history.price_paths[k], m), path_value(branch.price_paths[k], m))) {
        return fmt::format("the {} price path in {}", r, month_name(m));
      }
      if (factor_value(history.price_factors[k], m) != factor_value(branch.price_factors[k], m)) {
        return fmt::format("the {} price factor in {}", r, month_name(m));
      }
      if (demand_index(history, p, k, m) != demand_index(branch, p, k, m)) {
        return fmt::format("{} demand in {}", r, month_name(m));
      }
    }
    for (std::size_t next = 12; next <= fork_month; next += 12) {
      if (plans(history, next) != plans(branch, next)) {
        return fmt::format("whether {} capacity is planned for {}", r, month_name(next));
      }
      if (!plans(history, next)) continue;
      const std::size_t h = planned_month(history, p, next), b = planned_month(branch, p, next);
      if (demand_index(history, p, k, h) != demand_index(branch, p, k, b)) {
        return fmt::format("the {} demand planners foresee in {} for {}", r, month_name(next - 1),
                           month_name(b));
      }
    }
  }
  return std::nullopt;
}

void CityModel::set_prices(std::size_t month) {
  const std::size_t next = month + 1;
  if (next >= prices_[0].size()) return;
  const Parameters& p = params();
  const double dt = 1.0 / 12.0;
  const double theta = std::log(2.0) / p[Param::prices_half_life_years];
  const double sigma = p[Param::prices_volatility];
  const std::size_t last_month = (month + 1) % 2;  // the parity of last month's reports
  for (std::size_t r = 0; r < enum_count<Resource>; ++r) {
    const double want = demand(static_cast<Resource>(r), next);
    const auto k = static_cast<double>(national_capacity(r, last_month));
    utilisation_[r][next] = k > 0.0 ? std::min(p[Param::resource_max_utilisation], want / k) : 0.0;
    const double tightness =
        k > 0.0 && want > 0.0 ? std::log(want / (p[Param::resource_normal_utilisation] * k)) : 0.0;
    const double mu = std::log(p[Param::prices_long_run_index]) +
                      p[Param::prices_tightness_elasticity] * std::clamp(tightness, -1.0, 1.0);
    const auto& path = config_->price_paths[r];
    const double shock = market_rng_.normal();  // drawn for every resource: paths never shift draws
    if (const double given = path_value(path, next); !std::isnan(given)) {
      base_prices_[r][next] = given;
    } else {
      const double x = std::log(base_prices_[r][month]);
      base_prices_[r][next] = std::exp(x + theta * (mu - x) * dt + sigma * std::sqrt(dt) * shock);
    }
    prices_[r][next] = base_prices_[r][next] * price_factor(r, next);
  }
}

// Orders go to cities that could build (approvals open, or swap credit
// while frozen, and reserve to develop), drawn with probability
// proportional to what each could build; each gets at most that. Planners
// know the scenario's demand path (an assumption: it is the plan).
void CityModel::plan_capacity(Scheduler& s, std::size_t month) {
  const std::size_t next = month + 1;
  if (!plans(*config_, next)) return;
  const Parameters& p = params();
  const auto& reports = reports_[(month + 1) % 2];
  for (std::size_t r = 0; r < enum_count<Resource>; ++r) {
    if (base_demand_[r] <= 0.0 || prices_[r][next] < p[Param::resource_entry_price_index]) continue;
    std::int64_t present = national_capacity(r, (month + 1) % 2);
    std::vector<std::uint32_t> candidates;
    std::vector<double> weights;
    for (const std::uint32_t c : cities_of_resource_[r]) {
      present += reports[c].building;
      if (reports[c].max_order > 0) {
        candidates.push_back(c);
        weights.push_back(static_cast<double>(reports[c].max_order));
      }
    }
    const double future = demand(static_cast<Resource>(r), planned_month(*config_, p, next));
    double gap = future / p[Param::resource_normal_utilisation] - static_cast<double>(present);
    while (gap >= 1.0 && !candidates.empty()) {
      double total = 0.0;
      for (const double w : weights) total += w;
      double pick = planning_rng_.uniform01() * total;
      std::size_t i = 0;
      while (i + 1 < weights.size() && pick >= weights[i]) pick -= weights[i++];
      const std::uint32_t c = candidates[i];
      const double order = std::min(gap, weights[i]);
      if (order >= 1.0) {
        s.send(c, static_cast<double>(next),
               CityEvent{CityEvent::Kind::capacity_order, 0, std::llround(order)},
               priority::action);
        gap -= order;
      }
      candidates.erase(candidates.begin() + static_cast<std::ptrdiff_t>(i));
      weights.erase(weights.begin() + static_cast<std::ptrdiff_t>(i));
    }
  }
}

}  // namespace regsim::model
