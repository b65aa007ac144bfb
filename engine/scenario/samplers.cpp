#include "scenario/samplers.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <boost/math/distributions/normal.hpp>

#include "des/random_stream.hpp"
#include "model/params.hpp"

namespace regsim::scenario {

namespace {

using Dist = Uncertainty::Distribution;

constexpr double p_min = 1e-12;

double normal_quantile(double p) {
  return boost::math::quantile(boost::math::normal_distribution<double>(0.0, 1.0), p);
}
double normal_cdf(double x) {
  return boost::math::cdf(boost::math::normal_distribution<double>(0.0, 1.0), x);
}

double cdf(const Uncertainty& u, double x) {
  const auto& a = u.args;
  switch (u.distribution) {
    case Dist::uniform:
      return std::clamp((x - a[0]) / (a[1] - a[0]), 0.0, 1.0);
    case Dist::normal:
      return normal_cdf((x - a[0]) / a[1]);
    case Dist::lognormal:
      return x <= 0.0 ? 0.0 : normal_cdf((std::log(x) - a[0]) / a[1]);
    case Dist::triangular: {
      if (x <= a[0]) return 0.0;
      if (x >= a[2]) return 1.0;
      if (x <= a[1]) return (x - a[0]) * (x - a[0]) / ((a[2] - a[0]) * (a[1] - a[0]));
      return 1.0 - (a[2] - x) * (a[2] - x) / ((a[2] - a[0]) * (a[2] - a[1]));
    }
    case Dist::choice:
      return 0.0;
  }
  return 0.0;
}

double plain_quantile(const Uncertainty& u, double p) {
  const auto& a = u.args;
  switch (u.distribution) {
    case Dist::uniform:
      return a[0] + p * (a[1] - a[0]);
    case Dist::normal:
      return a[0] + a[1] * normal_quantile(p);
    case Dist::lognormal:
      return std::exp(a[0] + a[1] * normal_quantile(p));
    case Dist::triangular: {
      const double fc = (a[1] - a[0]) / (a[2] - a[0]);
      return p < fc ? a[0] + std::sqrt(p * (a[2] - a[0]) * (a[1] - a[0]))
                    : a[2] - std::sqrt((1.0 - p) * (a[2] - a[0]) * (a[2] - a[1]));
    }
    case Dist::choice: {
      const auto n = a.size();
      const auto i = std::min(n - 1, static_cast<std::size_t>(p * static_cast<double>(n)));
      return a[i];
    }
  }
  return 0.0;
}

// A keyed bijection of [0, n) (a 4-round Feistel network on the next even
// power of two, with cycle walking): the Latin hypercube's stratum order
// per uncertainty, O(1) per run.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::uint64_t permute(std::uint64_t i, std::uint64_t n, std::uint64_t key) {
  if (n <= 1) return 0;
  unsigned bits = 0;
  while ((std::uint64_t{1} << bits) < n) ++bits;
  if (bits % 2 == 1) ++bits;
  const unsigned half = bits / 2;
  const std::uint64_t mask = (std::uint64_t{1} << half) - 1;
  std::uint64_t x = i;
  do {
    std::uint64_t left = x >> half, right = x & mask;
    for (std::uint64_t round = 0; round < 4; ++round) {
      const std::uint64_t f = mix(key ^ (round << 56) ^ right) & mask;
      const std::uint64_t next = left ^ f;
      left = right;
      right = next;
    }
    x = (left << half) | right;
  } while (x >= n);
  return x;
}

double uniform(const Scenario& s, std::uint64_t run, const std::string& purpose) {
  des::RandomStream rng(s.seed, run, 0, purpose);
  return std::clamp(rng.uniform01(), p_min, 1.0 - p_min);
}

std::uint64_t level_product(const Scenario& s) {
  std::uint64_t n = 1;
  for (const auto& u : s.uncertainties) n *= std::max<std::uint64_t>(1, u.args.size());
  return n;
}

}  // namespace

double quantile(const Uncertainty& u, double p) {
  p = std::clamp(p, p_min, 1.0 - p_min);
  if (u.truncate && u.distribution != Dist::choice) {
    const double lo = cdf(u, u.truncate->first);
    const double hi = cdf(u, u.truncate->second);
    const double q = plain_quantile(u, std::clamp(lo + p * (hi - lo), p_min, 1.0 - p_min));
    return std::clamp(q, u.truncate->first, u.truncate->second);
  }
  return plain_quantile(u, p);
}

std::uint64_t run_count(const Scenario& s) {
  const std::uint64_t k = s.uncertainties.size();
  if (s.sampling == Sampling::sobol) return s.replications * (k + 2);
  if (s.sampling == Sampling::morris) return s.replications * (k + 1);
  if (s.sampling == Sampling::factorial) return level_product(s) * s.replications;
  if (s.sampling == Sampling::design) return s.design_rows.size();
  return s.replications;
}

SaltelliStep saltelli_step(const Scenario& s, std::uint64_t run) {
  const std::uint64_t k = s.uncertainties.size();
  return {run / (k + 2), run % (k + 2)};
}

MorrisStep morris_step(const Scenario& s, std::uint64_t run) {
  const std::uint64_t k = s.uncertainties.size();
  const std::uint64_t t = run / (k + 1), j = run % (k + 1);
  if (j == 0) return {t, 0, -1};
  // The factors' order along trajectory t: a keyed permutation.
  des::RandomStream rng(s.seed, t, 0, "morris:order");
  std::vector<std::uint64_t> order(k);
  std::iota(order.begin(), order.end(), 0);
  for (std::uint64_t i = k; i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
  return {t, j, static_cast<std::int64_t>(order[j - 1])};
}

std::vector<double> unit_point(const Scenario& s, std::uint64_t run) {
  const auto& us = s.uncertainties;
  std::vector<double> p(us.size(), 0.5);
  if (s.sampling == Sampling::design) return {};
  if (s.sampling == Sampling::latin_hypercube) {
    const std::uint64_t n = s.replications;
    const std::uint64_t r = run % n;
    for (std::size_t i = 0; i < us.size(); ++i) {
      const std::uint64_t key = mix(s.seed ^ des::hash_name("lhs:" + us[i].name));
      const auto stratum = static_cast<double>(permute(r, n, key));
      const double jitter = uniform(s, run, "uncertainty:" + us[i].name);
      p[i] = (stratum + jitter) / static_cast<double>(n);
    }
  } else if (s.sampling == Sampling::sobol) {
    const auto step = saltelli_step(s, run);
    for (std::size_t i = 0; i < us.size(); ++i) {
      const bool from_b = step.matrix == us.size() + 1 || step.matrix == i + 1;
      p[i] = uniform(s, step.sample, (from_b ? "sobol:B:" : "sobol:A:") + us[i].name);
    }
  } else if (s.sampling == Sampling::morris) {
    // p = 4 grid levels, step 2/3 of the range (Morris 1991; Campolongo et
    // al. 2007); grid values map to the centres of quarter-quantiles.
    const auto step = morris_step(s, run);
    std::vector<double> grid(us.size());
    for (std::size_t i = 0; i < us.size(); ++i) {
      grid[i] = uniform(s, step.trajectory, "morris:base:" + us[i].name) < 0.5 ? 0.0 : 1.0 / 3.0;
    }
    if (step.step > 0) {
      for (std::uint64_t j = 1; j <= step.step; ++j) {
        const auto f = morris_step(s, step.trajectory * (us.size() + 1) + j).factor;
        grid[static_cast<std::size_t>(f)] += 2.0 / 3.0;
      }
    }
    for (std::size_t i = 0; i < us.size(); ++i) p[i] = (grid[i] * 3.0 + 0.5) / 4.0;
  } else if (s.sampling == Sampling::factorial) {
    std::uint64_t combo = run / std::max<std::uint64_t>(1, s.replications);
    for (std::size_t i = us.size(); i-- > 0;) {
      const std::uint64_t n = std::max<std::size_t>(1, us[i].args.size());
      p[i] = static_cast<double>(combo % n);
      combo /= n;
    }
  } else {
    for (std::size_t i = 0; i < us.size(); ++i) {
      p[i] = uniform(s, run, "uncertainty:" + us[i].name);
    }
  }
  return p;
}

std::int64_t design_row(const Scenario& s, std::uint64_t replication) {
  const std::uint64_t n = s.design_rows.size();
  if (n == 0) return -1;
  if (s.sampling == Sampling::design) return static_cast<std::int64_t>(replication % n);
  // The replication whose row this run shares (see scenario.hpp).
  const std::uint64_t k = s.uncertainties.size();
  std::uint64_t i = replication;
  if (s.sampling == Sampling::sobol) i = saltelli_step(s, replication).sample;
  if (s.sampling == Sampling::morris) i = replication / (k + 1);
  if (s.sampling == Sampling::factorial)
    i = replication % std::max<std::uint64_t>(1, s.replications);
  // A fresh keyed permutation of the rows per cycle of n replications.
  const std::uint64_t cycle = i / n;
  const std::uint64_t key = mix(s.seed ^ des::hash_name("design:row") ^ mix(cycle));
  return static_cast<std::int64_t>(permute(i % n, n, key));
}

std::vector<model::Param> sample_params(const Scenario& s) {
  std::vector<model::Param> params;
  if (has_design(s)) params = s.design_columns;
  if (s.sampling == Sampling::design) return params;
  for (const auto& u : s.uncertainties) params.push_back(u.param);
  return params;
}

std::vector<std::string> sample_names(const Scenario& s) {
  std::vector<std::string> names;
  for (const model::Param p : sample_params(s)) names.emplace_back(model::spec(p).name);
  return names;
}

std::vector<std::pair<model::Param, double>> sample(const Scenario& s, std::uint64_t replication) {
  std::vector<std::pair<model::Param, double>> out;
  if (has_design(s)) {
    const auto& row = s.design_rows[static_cast<std::size_t>(design_row(s, replication))];
    for (std::size_t i = 0; i < s.design_columns.size() && i < row.size(); ++i) {
      out.emplace_back(s.design_columns[i], row[i]);
    }
  }
  if (s.sampling == Sampling::design) return out;
  const std::vector<double> v = draw(s, replication);
  for (std::size_t i = 0; i < s.uncertainties.size(); ++i) {
    // Draws are clamped to the parameter's valid range.
    const auto& spec = model::spec(s.uncertainties[i].param);
    out.emplace_back(s.uncertainties[i].param, std::clamp(v[i], spec.min, spec.max));
  }
  return out;
}

std::vector<double> draw(const Scenario& s, std::uint64_t replication) {
  std::vector<double> out;
  const auto p = unit_point(s, replication);
  for (std::size_t i = 0; i < s.uncertainties.size(); ++i) {
    const Uncertainty& u = s.uncertainties[i];
    out.push_back(s.sampling == Sampling::factorial ? u.args[static_cast<std::size_t>(p[i])]
                                                    : quantile(u, p[i]));
  }
  return out;
}

}  // namespace regsim::scenario
