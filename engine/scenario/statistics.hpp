// Small statistics shared by the run file (summaries, goal intervals),
// calibration, compare and the analyses: one version of each.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <utility>
#include <vector>

namespace regsim::scenario {

/// The p-quantile of values already sorted ascending: linear interpolation
/// between order statistics (Hyndman & Fan type 7); NaN if empty.
inline double quantile_of_sorted(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return std::numeric_limits<double>::quiet_NaN();
  const double h = p * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

/// The p-quantiles (type 7, as quantile_of_sorted) of `values`, for `ps`
/// ascending, into `out`; reorders `values`. Selects only the order
/// statistics it needs (std::nth_element on what is left above the last),
/// so it is linear where sorting is not. NaN if empty.
template <class T>
void quantiles_in_place(std::vector<T>& values, const double* ps, std::size_t n, double* out) {
  const std::size_t size = values.size();
  if (size == 0) {
    std::fill(out, out + n, std::numeric_limits<double>::quiet_NaN());
    return;
  }
  auto first = values.begin();  // everything before is in its sorted place
  const auto at = [&](std::size_t i) {
    const auto it = values.begin() + static_cast<std::ptrdiff_t>(i);
    if (it >= first) {
      std::nth_element(first, it, values.end());
      first = it + 1;
    }
    return static_cast<double>(*it);
  };
  for (std::size_t q = 0; q < n; ++q) {
    const double h = ps[q] * static_cast<double>(size - 1);
    const auto lo = static_cast<std::size_t>(std::floor(h));
    const std::size_t hi = std::min(lo + 1, size - 1);
    const double a = at(lo), b = at(hi);
    out[q] = a + (h - static_cast<double>(lo)) * (b - a);
  }
}

/// The two-sided 90 % quantile of the standard normal distribution, z with
/// P(|Z| < z) = 0.90: every 90 % interval regsim reports uses it.
inline constexpr double z90 = 1.6448536269514722;

/// Wilson's score interval (90 %) for a proportion of `successes` in `n`
/// trials, which stays inside [0, 1] and is sound at 0 and n successes;
/// NaN without trials.
inline std::pair<double, double> wilson90(double successes, double n) {
  if (n <= 0) return {std::nan(""), std::nan("")};
  const double z = z90, p = successes / n;
  const double denom = 1.0 + z * z / n;
  const double centre = (p + z * z / (2 * n)) / denom;
  const double half = z * std::sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom;
  return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

/// The same of unsorted values.
inline double quantile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  return quantile_of_sorted(values, p);
}

}  // namespace regsim::scenario
