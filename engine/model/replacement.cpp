// The replacement industry (接续替代产业): logistic growth of its value added
// toward a ceiling that investment and industrial parks raise (2013 plan
// §5(5)); its new jobs and turnover are the vacancies ex-miners compete for.
#include <algorithm>
#include <cmath>

#include "model/city_model.hpp"

namespace regsim::model {

// Logistic growth toward the ceiling; returns the month's replacement-
// industry vacancies (new jobs plus turnover), persons.
double CityModel::grow_replacement(std::uint32_t c) {
  CityState& s = state_;
  const double r = s.replacement_va[c];
  const double k = s.replacement_ceiling[c];
  const double g = params()[Param::replacement_growth_rate] / 12.0;
  const double next = k > 0.0 ? r + g * r * (1.0 - r / k) : r;
  s.replacement_va[c] = std::max(next, 0.0);
  const double jobs_per_yi = params()[Param::replacement_jobs_per_yi];
  const double new_jobs = std::max(0.0, (next - r) * jobs_per_yi);
  const double turnover = params()[Param::replacement_turnover] * next * jobs_per_yi;
  return new_jobs + turnover;
}

void CityModel::start_park(Scheduler& s, double ceiling_yi, double delay_months) {
  // The ceiling travels in the event as thousandths of 亿元 (integer payload).
  const auto amount = static_cast<std::int64_t>(std::llround(ceiling_yi * 1000.0));
  s.schedule(s.now() + std::max(0.0, delay_months),
             CityEvent{CityEvent::Kind::park_opening, 0, amount}, priority::action);
}

void CityModel::open_park(des::Time now, std::uint32_t c, double ceiling_yi) {
  state_.replacement_ceiling[c] += ceiling_yi;
  log(now, c, LogKind::park_opening, ceiling_yi);
}

void CityModel::invest(std::uint32_t c, double yi) {
  state_.replacement_ceiling[c] += yi * params()[Param::replacement_ceiling_per_investment];
  state_.spending[c] += yi;
}

}  // namespace regsim::model
