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

#include "model/city_model.hpp"

namespace regsim::model {

// Open (capped) capacity of a resource's cities in the reports of a parity.
std::int64_t CityModel::national_capacity(std::size_t r, std::size_t parity) const {
  std::int64_t capacity = 0;
  for (const std::uint32_t c : cities_of_resource_[r]) capacity += reports_[parity][c].capacity;
  return capacity;
}

double CityModel::demand(Resource r, std::size_t month) const {
  const auto k = static_cast<std::size_t>(r);
  const auto& path = config_.demand_paths[k];
  double index =
      std::pow(1.0 + params()[Param::demand_growth_rate], static_cast<double>(month) / 12.0);
  if (!path.empty()) index = path[std::min(month, path.size() - 1)];
  const auto& f = config_.demand_factors[k];
  if (month < f.size()) index *= f[month];
  return base_demand_[k] * index;
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
    const auto& path = config_.price_paths[r];
    const double shock = market_rng_.normal();  // drawn for every resource: paths never shift draws
    if (next < path.size() && !std::isnan(path[next])) {
      base_prices_[r][next] = path[next];
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
  if (next % 12 != 0 || next >= config_.months) return;
  const Parameters& p = params();
  const auto& reports = reports_[(month + 1) % 2];
  const auto lag = static_cast<std::size_t>(std::round(p[Param::resource_construction_months]));
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
    const double future =
        demand(static_cast<Resource>(r), std::min<std::size_t>(next + lag, config_.months - 1));
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
