// Demography: natural increase by province, and migration of residents
// between the city, the other cities of its province and the rest of
// China, driven by the labour market (cal §6.6), income growth relative to
// the nation, the hukou barrier and distance (cal §4.6), and a city effect
// drawn per replication (so cities of one class do not move in lock-step).
#include <algorithm>
#include <cmath>

#include "model/city_model.hpp"

namespace regsim::model {

// Per mille per year: the province's rate interpolated between 2013, 2016,
// 2019 and 2022 (seeds/provinces.csv), the 2022 rate after; 0 without one.
double CityModel::natural_increase(std::uint32_t c, std::size_t month) const {
  const ProvinceRates* p = catalogue_.province(c);
  if (!p) return 0.0;
  const double year = start_year + static_cast<double>(month) / 12.0;
  const auto& r = p->natural_increase;
  if (year >= 2022.0) return r[3];
  const double at = (year - 2013.0) / 3.0;
  const auto k = static_cast<std::size_t>(at);
  return r[k] + (r[k + 1] - r[k]) * (at - static_cast<double>(k));
}

// Every third month, for the three months (births and moves need no finer
// step, and it keeps the large-population draws few).
void CityModel::demography(Scheduler& sched, std::uint32_t c, std::size_t month) {
  constexpr std::size_t step_months = 3;
  if (month % step_months != 0) return;
  CityState& s = state_;
  const Parameters& p = params();
  des::RandomStream& rng = demography_rng_[c];
  const auto population = static_cast<double>(people(c));
  if (population <= 0.0 || s.pools[Pool::others][c] <= 0) return;

  // Natural increase, realised among the residents outside the mining pools.
  const double change = population * natural_increase(c, month) / 1000.0 / 12.0 * step_months;
  const double share =
      std::min(1.0, std::abs(change) / static_cast<double>(s.pools[Pool::others][c]));
  const std::int64_t n = rng.binomial(s.pools[Pool::others][c], share);
  s.pools[Pool::others][c] += change >= 0.0 ? n : -n;
  s.natural_change[c] += change >= 0.0 ? n : -n;

  // The drive of net migration, per year: labour-market slack beyond the
  // natural rate (negative when jobs outnumber residents: a pull), income
  // growth relative to the nation's, the city effect, and the baseline net
  // out-migration (higher in declining and forest cities). Moves from
  // outside the province respond less (hukou).
  const double labour = labour_force(c);
  const double ex_miners_unemployed =
      unemployed(c) - static_cast<double>(s.pools[Pool::local_unemployed][c]);
  const double slack =
      labour > 0.0 ? (ex_miners_unemployed + local_labour_force(c) - local_jobs_[c]) / labour : 0.0;
  const double excess = std::clamp(slack - p[Param::labour_natural_unemployment_rate], -0.2, 0.3);
  const double income = gdp(c, month) / population;
  const double relative_income =
      income0_[c] > 0.0 && income > 0.0
          ? std::log(income / income0_[c]) - std::log(growth_factor_[month])
          : 0.0;
  const double within = p[Param::migration_within_province_share];
  const double response = within + (1.0 - within) * (1.0 - p[Param::migration_hukou_barrier]);
  double baseline = p[Param::migration_out_rate];
  if (s.city_class[c] == Category::declining ||
      catalogue_.cities[c].primary_resource == Resource::forest) {
    baseline *= p[Param::migration_declining_factor];
  }
  const double drive = response * (-p[Param::migration_unemployment_response] * excess +
                                   p[Param::migration_income_response] * relative_income) +
                       s.attractiveness[c] - baseline;
  // Gross flows ride on a balanced base m0: out = m0 e^(-d / 2 m0), in =
  // m0 e^(d / 2 m0), so the net is ~d for small d.
  const double m0 = p[Param::migration_gross_rate];
  const double z = std::clamp(drive / (2.0 * m0), -4.0, 4.0);
  const auto per_step = [](double annual) {
    return 1.0 - std::pow(1.0 - std::min(1.0, annual), static_cast<double>(step_months) / 12.0);
  };
  const double out_rate = per_step(m0 * std::exp(-z));
  const double in_rate = per_step(m0 * std::exp(z));

  const std::int64_t arrivals = rng.binomial(static_cast<std::int64_t>(population), in_rate);
  s.pools[Pool::others][c] += arrivals;
  s.migrated_in[c] += arrivals;
  std::int64_t leaving = rng.binomial(s.pools[Pool::others][c], out_rate);
  s.pools[Pool::others][c] -= leaving;
  // The unemployed leave faster (the ex-miners' hazard, pushed by slack).
  const double push = 1.0 + p[Param::migration_unemployment_push] * std::max(0.0, excess);
  const std::int64_t unemployed_leaving =
      rng.binomial(s.pools[Pool::local_unemployed][c],
                   std::min(1.0, out_rate + static_cast<double>(step_months) *
                                                p[Param::migration_ex_miner_rate] * push));
  s.pools[Pool::local_unemployed][c] -= unemployed_leaving;
  leaving += unemployed_leaving;
  s.migrated_out[c] += leaving;

  // Some go to another city of the province, chosen by gravity.
  const auto& to = destinations_[c];
  if (leaving > 0 && !to.empty()) {
    const std::int64_t moving = rng.binomial(leaving, within);
    if (moving > 0) {
      const double u = rng.uniform01();
      std::size_t k = 0;
      while (k + 1 < to.size() && u >= to[k].second) ++k;
      sched.send(to[k].first, std::floor(sched.now()) + 1.0,
                 CityEvent{CityEvent::Kind::arrival,
                           static_cast<std::uint32_t>(ArrivalPool::residents), moving},
                 priority::arrival);
    }
  }
}

}  // namespace regsim::model
