// The market LP: a price index per resource (1 = the start level), as a
// log Ornstein-Uhlenbeck process (cal §6.8: half-life 1-2 years, annual
// volatility 15-25 %), or a given path where one is supplied (a NaN month
// of a path follows the process, so a path may start after 2013-01), times
// the month's price factor (policies: price shocks keep the volatility). The
// price of month m + 1 is set at month m, so cities read it a window later.
// Also the yearly classification of cities.
#include <cmath>

#include "model/city_model.hpp"

namespace regsim::model {

void CityModel::set_prices(std::size_t month) {
  const std::size_t next = month + 1;
  if (next >= prices_[0].size()) return;
  const Parameters& p = params();
  const double dt = 1.0 / 12.0;
  const double theta = std::log(2.0) / p[Param::price_half_life];
  const double mu = std::log(p[Param::price_long_run]);
  const double sigma = p[Param::price_volatility];
  for (std::size_t r = 0; r < enum_count<Resource>; ++r) {
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

// Yearly re-evaluation (DESIGN §3): regenerating when resource dependence
// is low and the replacement share high; declining when cumulative
// extraction reaches the exhaustion threshold (70 %, cal §4.1); mature past
// the mature threshold. Classes only move forward.
void CityModel::classify(des::Time now, std::uint32_t c) {
  const Parameters& p = params();
  const auto month = static_cast<std::size_t>(now);
  const double exhaustion = trajectories_.at(Indicator::exhaustion_fraction, c, month);
  const double dependence = trajectories_.at(Indicator::resource_dependence, c, month);
  const double replacement = trajectories_.at(Indicator::replacement_share, c, month);
  Category next = Category::growing;
  if (dependence < p[Param::regenerating_dependence] &&
      replacement >= p[Param::regenerating_replacement]) {
    next = Category::regenerating;
  } else if (exhaustion >= p[Param::exhaustion_threshold]) {
    next = Category::declining;
  } else if (exhaustion >= p[Param::mature_threshold]) {
    next = Category::mature;
  }
  Category& current = state_.city_class[c];
  if (static_cast<int>(next) > static_cast<int>(current)) {
    current = next;
    log(now, c, LogKind::reclassification, static_cast<double>(next));
  }
}

}  // namespace regsim::model
