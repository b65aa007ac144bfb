// The local economy: growth of the non-resource economy by province (and a
// city's own deviation), and the labour market of the residents who never
// mined. Their labour demand follows the city's growth relative to the
// nation's and falls by the job multiplier with every mining job lost
// (cal §4.4 / §6.5: lower local demand and fiscal revenue); local
// unemployment moves toward max(natural rate, labour force - demand), so a
// city that loses its mines sees its residents' unemployment rise, not only
// its miners'.
#include <algorithm>
#include <cmath>

#include "model/city_model.hpp"

namespace regsim::model {

namespace {
// Real GDP growth of China, %/year: 2013-2023 observed (NBS, via
// seeds/provinces.md "National real GDP growth"); from 2024 an assumption
// (5.0 to 2025, 4.5 to 2030, 3.5 after).
constexpr double national_growth_pct[] = {7.8, 7.4, 7.0, 6.8, 6.9, 6.7, 6.0, 2.3, 8.1, 3.0, 5.2};
constexpr int last_observed = 2023;

double assumed_growth_pct(int year) {
  if (year <= last_observed) return national_growth_pct[std::max(0, year - start_year)];
  if (year <= 2025) return 5.0;
  if (year <= 2030) return 4.5;
  return 3.5;
}

// The periods of provinces.csv's growth columns.
int growth_period(int year) { return year <= 2015 ? 0 : year <= 2019 ? 1 : 2; }

double national_period_pct(int period) {
  const int from[] = {2013, 2016, 2020}, to[] = {2015, 2019, 2023};
  double sum = 0.0;
  for (int y = from[period]; y <= to[period]; ++y) sum += assumed_growth_pct(y);
  return sum / (to[period] - from[period] + 1);
}
}  // namespace

double national_growth(std::size_t month) {
  return assumed_growth_pct(start_year + static_cast<int>(month / 12)) / 100.0;
}

// National growth plus the province's difference from the national average
// of the period (half of the 2020-2023 difference after 2023: an
// assumption), the scenario's shift and the city's own deviation.
double CityModel::growth_rate(std::uint32_t c, std::size_t month) const {
  const int year = start_year + static_cast<int>(month / 12);
  double g =
      national_growth(month) + params()[Param::economy_growth_shift] + state_.growth_offset[c];
  if (const ProvinceRates* p = catalogue_.province(c)) {
    const int period = growth_period(year);
    const double diff =
        (p->gdp_growth[static_cast<std::size_t>(period)] - national_period_pct(period)) / 100.0;
    g += year <= last_observed ? diff : 0.5 * diff;
  }
  return std::max(g, -0.5);
}

double CityModel::local_va(std::uint32_t c) const {
  return std::max(0.0, state_.other_va[c] + state_.replacement_va[c] - induced_va_[c]);
}

// Residents' labour demand: their 2013 employment rate, scaled by the
// city's non-resource value added relative to national growth (at the
// employment elasticity), times their labour force, less the induced job
// losses of the multiplier, which follow every change in mining jobs and
// fade with economy.multiplier_half_life.
void CityModel::local_economy(std::uint32_t c, std::size_t month) {
  CityState& s = state_;
  const Parameters& p = params();
  const double mining = static_cast<double>(miners(c));
  induced_loss_[c] = induced_loss_[c] * rates_.multiplier_fade +
                     p[Param::economy_job_multiplier] * (miners_last_[c] - mining);
  miners_last_[c] = mining;
  // Local demand and revenue follow the resource sector's value added too:
  // a share of its change moves the rest of the economy (and fades alike).
  const double resource_va = resource_va_of(c, month);
  induced_va_[c] = induced_va_[c] * rates_.multiplier_fade +
                   p[Param::economy_va_linkage] * (resource_va_last_[c] - resource_va);
  resource_va_last_[c] = resource_va;
  const double va = local_va(c);
  const double relative =
      local_va0_[c] > 0.0 && va > 0.0 ? va / local_va0_[c] / growth_factor_[month + 1] : 1.0;
  const double labour = local_labour_force(c);
  const double jobs =
      std::max(0.0, labour * employment_rate0_[c] *
                            std::pow(relative, p[Param::economy_employment_elasticity]) -
                        induced_loss_[c]);
  const double target =
      std::max(p[Param::labour_natural_unemployment_rate] * labour, labour - jobs);
  const double gap = target - static_cast<double>(s.pools[Pool::local_unemployed][c]);
  // A share of the gap closes each month; the fraction of a person is
  // rounded at random (unbiased, one uniform draw instead of a binomial).
  const double step = gap * p[Param::labour_local_adjustment];
  const auto moved =
      static_cast<std::int64_t>(std::floor(std::abs(step) + labour_rng_[c].uniform01()));
  if (step > 0.0) {
    const std::int64_t lose = std::min(moved, s.pools[Pool::others][c]);
    s.pools[Pool::others][c] -= lose;
    s.pools[Pool::local_unemployed][c] += lose;
  } else {
    const std::int64_t hired = std::min(moved, s.pools[Pool::local_unemployed][c]);
    s.pools[Pool::local_unemployed][c] -= hired;
    s.pools[Pool::others][c] += hired;
  }
  local_jobs_[c] = jobs;
}

}  // namespace regsim::model
