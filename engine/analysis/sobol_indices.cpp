#include "analysis/sobol_indices.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "des/random_stream.hpp"
#include "scenario/statistics.hpp"

namespace regsim::analysis {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

struct Point {
  std::vector<double> first_order, total_order;
};

// S1 and ST of every factor from the base samples `samples` (indices into
// f, repeated in a bootstrap resample); f is already centred.
Point estimate(const std::vector<std::vector<double>>& f, const std::vector<std::size_t>& samples,
               std::size_t k) {
  const auto n = static_cast<double>(samples.size());
  double sum = 0, sum_sq = 0;
  for (const std::size_t j : samples) {
    for (const double y : {f[j][0], f[j][k + 1]}) {
      sum += y;
      sum_sq += y * y;
    }
  }
  const double mean = sum / (2 * n);
  const double variance = (sum_sq - 2 * n * mean * mean) / (2 * n - 1);
  Point p{std::vector<double>(k, nan), std::vector<double>(k, nan)};
  if (!(variance > 0)) return p;
  for (std::size_t i = 0; i < k; ++i) {
    double v_first = 0, v_total = 0;
    for (const std::size_t j : samples) {
      const double a = f[j][0], ab = f[j][i + 1], b = f[j][k + 1];
      v_first += b * (ab - a);
      v_total += (a - ab) * (a - ab);
    }
    p.first_order[i] = v_first / n / variance;
    p.total_order[i] = v_total / (2 * n) / variance;
  }
  return p;
}

bool all_finite(const std::vector<std::vector<double>>& f) {
  for (const auto& row : f) {
    for (const double y : row) {
      if (!std::isfinite(y)) return false;
    }
  }
  return true;
}

}  // namespace

std::vector<std::size_t> bootstrap_draw(std::size_t n, std::size_t r, const Bootstrap& bootstrap) {
  des::RandomStream rng(bootstrap.seed, r, 0, "sensitivity:bootstrap");
  std::vector<std::size_t> draw(n);
  for (auto& j : draw) j = static_cast<std::size_t>(rng.below(n));
  return draw;
}

std::pair<double, double> percentile_interval(std::vector<double> values, double level) {
  std::erase_if(values, [](double v) { return !std::isfinite(v); });
  std::sort(values.begin(), values.end());
  return {scenario::quantile_of_sorted(values, (1 - level) / 2),
          scenario::quantile_of_sorted(values, (1 + level) / 2)};
}

SobolIndices sobol_indices(const std::vector<std::vector<double>>& f, const Bootstrap& bootstrap) {
  if (f.size() < 2 || f.front().size() < 3) {
    throw std::invalid_argument("sobol_indices: needs 2 base samples of k + 2 >= 3 values");
  }
  const std::size_t n = f.size(), k = f.front().size() - 2;
  SobolIndices out;
  out.first_order.assign(k, {nan, nan, nan});
  out.total_order.assign(k, {nan, nan, nan});
  out.variance = nan;
  if (!all_finite(f)) return out;

  double mean = 0;
  for (const auto& row : f) mean += row[0] + row[k + 1];
  mean /= static_cast<double>(2 * n);
  std::vector<std::vector<double>> centred = f;
  for (auto& row : centred) {
    for (double& y : row) y -= mean;
  }
  std::vector<std::size_t> all(n);
  for (std::size_t j = 0; j < n; ++j) all[j] = j;
  const Point point = estimate(centred, all, k);
  double sum_sq = 0;
  for (const auto& row : centred) sum_sq += row[0] * row[0] + row[k + 1] * row[k + 1];
  out.variance = sum_sq / static_cast<double>(2 * n - 1);
  if (!(out.variance > 0)) return out;

  std::vector<std::vector<double>> first(k), total(k);
  for (std::size_t r = 0; r < bootstrap.resamples; ++r) {
    const Point p = estimate(centred, bootstrap_draw(n, r, bootstrap), k);
    for (std::size_t i = 0; i < k; ++i) {
      first[i].push_back(p.first_order[i]);
      total[i].push_back(p.total_order[i]);
    }
  }
  for (std::size_t i = 0; i < k; ++i) {
    const auto [first_low, first_high] = percentile_interval(first[i], bootstrap.level);
    const auto [total_low, total_high] = percentile_interval(total[i], bootstrap.level);
    out.first_order[i] = {point.first_order[i], first_low, first_high};
    out.total_order[i] = {point.total_order[i], total_low, total_high};
  }
  return out;
}

}  // namespace regsim::analysis
