#include "model/indicators.hpp"

namespace regsim::model {

std::optional<Indicator> find_indicator(std::string_view name) {
  for (std::size_t i = 0; i < indicator_count; ++i) {
    if (indicator_specs[i].name == name) return static_cast<Indicator>(i);
  }
  return std::nullopt;
}

double Trajectories::aggregate(Indicator i, const std::vector<std::size_t>& cities,
                               std::size_t month) const {
  const IndicatorSpec& s = spec(i);
  double num = 0.0, den = 0.0;
  for (std::size_t c : cities) {  // city order: the same sum for any thread count
    num += at(s.numerator, c, month);
    if (s.is_ratio()) den += at(s.denominator, c, month);
  }
  if (!s.is_ratio()) return num;
  return den > 0.0 ? num / den : 0.0;
}

}  // namespace regsim::model
