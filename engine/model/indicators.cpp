#include "model/indicators.hpp"

#include <algorithm>
#include <cstddef>

namespace regsim::model {

std::optional<Indicator> find_indicator(std::string_view name) {
  for (std::size_t i = 0; i < indicator_count; ++i) {
    if (indicator_specs[i].name == name) return static_cast<Indicator>(i);
  }
  return std::nullopt;
}

Trajectories Trajectories::resized(std::size_t months) const {
  Trajectories out(cities_, months);
  const std::size_t kept = std::min(months, months_);
  for (std::size_t row = 0; row < indicator_count * cities_; ++row) {
    std::copy_n(values_.begin() + static_cast<std::ptrdiff_t>(row * months_), kept,
                out.values_.begin() + static_cast<std::ptrdiff_t>(row * months));
  }
  return out;
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
