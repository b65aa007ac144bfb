#include "des/random_stream.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace regsim::des {

RandomStream::RandomStream(const StreamKey& key) {
  // Fold the four key words through the mixer so that nearby keys give
  // unrelated states, then expand with SplitMix64 as the xoshiro authors
  // recommend for seeding.
  std::uint64_t h = mix64(key.seed ^ 0x9e3779b97f4a7c15ull);
  h = mix64(h ^ key.replication);
  h = mix64(h ^ (key.lp + 0x632be59bd9b4e019ull));
  h = mix64(h ^ key.purpose);
  for (auto& word : s_) {
    h += 0x9e3779b97f4a7c15ull;
    word = mix64(h);
  }
}

namespace {

// Below this mode, floor((n + 1) p), inversion; from it, BTRD. BTRD is
// valid from m = 11 (Hörmann 1993; Boost.Random switches there), but the
// search of the inversion, about n p short steps, stays the faster of the
// two up to about m = 20 on the city model's draws.
constexpr std::int64_t btrd_min_mode = 20;

// (1 - p)^n by repeated squaring, for n below squaring_limit: several
// times faster than exp and log1p, but its relative error grows like
// 2n · 2^-53, so beyond the limit (error 2.3e-13 there, that of
// pow(1 - p, n)) exp(n log1p(-p)), accurate for any n.
constexpr std::int64_t squaring_limit = 1024;

double power_of_complement(double p, std::int64_t n) {
  if (n >= squaring_limit) return std::exp(static_cast<double>(n) * std::log1p(-p));
  double square = 1.0 - p;
  double result = 1.0;
  for (std::int64_t e = n; e != 0; e >>= 1) {
    const double factor[2] = {1.0, square};  // a load, not a branch on n's bits
    result *= factor[e & 1];
    square *= square;
  }
  return result;
}

// 1 / k for the steps of the inversion search: a multiplication is
// several times cheaper than a division.
constexpr std::size_t reciprocal_count = 64;
constexpr auto reciprocals = [] {
  std::array<double, reciprocal_count> r{};
  for (std::size_t k = 1; k < reciprocal_count; ++k) r[k] = 1.0 / static_cast<double>(k);
  return r;
}();

// Inversion by sequential search from 0 (Kachitvichyanukul & Schmeiser
// 1988, "Binomial random variate generation", Comm. ACM 31, algorithm
// BINV), p <= 0.5: f(0) = q^n and f(k) = f(k - 1) ((n + 1) / k - 1) p / q.
std::int64_t binomial_inversion(RandomStream& rng, std::int64_t n, double p) {
  const double f0 = power_of_complement(p, n);
  const double odds = p / (1.0 - p);
  const double g = odds * (static_cast<double>(n) + 1.0);
  for (;;) {
    double u = rng.uniform01();
    double f = f0;
    for (std::int64_t k = 0; k <= n && f > 0.0; ++k) {
      if (u < f) return k;
      u -= f;
      const auto next = static_cast<std::size_t>(k + 1);
      const double step =
          next < reciprocal_count ? g * reciprocals[next] : g / static_cast<double>(next);
      f *= step - odds;
    }
    // u fell in the rounding gap between the summed pmf and 1 (a chance
    // of about 1e-15): draw again, which keeps the distribution exact.
  }
}

// Stirling's correction: log k! - ((k + ½) log(k + 1) - (k + 1) + ½ log 2π);
// a table below 10, the series beyond (Hörmann 1993).
double stirling_correction(std::int64_t k) {
  static constexpr double table[10] = {
      0.08106146679532726,  0.04134069595540929, 0.02767792568499834, 0.02079067210376509,
      0.01664469118982119,  0.01387612882307075, 0.01189670994589177, 0.01041126526197209,
      0.009255462182712733, 0.008330563433362871};
  if (k < 10) return table[k];
  const double r = 1.0 / static_cast<double>(k + 1);
  const double r2 = r * r;
  return (1.0 / 12 - (1.0 / 360 - r2 / 1260) * r2) * r;
}

// BTRD, transformed rejection with decomposition (Hörmann 1993, "The
// generation of binomial random variates", J. Statist. Comput. Simul. 46),
// for p <= 0.5 and mode m >= 11. About 60 % of the draws at m = 20, 87 %
// at large m, end in step 1 after one uniform.
std::int64_t binomial_btrd(RandomStream& rng, std::int64_t n, double p, std::int64_t m) {
  const double nd = static_cast<double>(n);
  const double md = static_cast<double>(m);
  const double r = p / (1.0 - p);
  const double npq = nd * p * (1.0 - p);
  const double sqrt_npq = std::sqrt(npq);
  const double b = 1.15 + 2.53 * sqrt_npq;
  const double a = -0.0873 + 0.0248 * b + 0.01 * p;
  const double c = nd * p + 0.5;
  const double alpha = (2.83 + 5.1 / b) * sqrt_npq;
  const double v_r = 0.92 - 4.2 / b;
  const double inverse_v_r = b / (0.92 * b - 4.2);  // 1 / v_r: one division fewer per draw
  for (;;) {
    // Step 1: the centre of the hat, accepted without a test. Its k is
    // positive for m >= 11, so truncation is the floor (std::floor is a
    // library call on baseline x86-64).
    double v = rng.uniform01();
    const double v_over_v_r = v * inverse_v_r;
    double u;
    if (v_over_v_r <= 0.86) {
      u = v_over_v_r - 0.43;
      return static_cast<std::int64_t>((2.0 * a / (0.5 - std::abs(u)) + b) * u + c);
    }
    // Step 2: a point (u, v) under the rest of the hat.
    if (v_over_v_r >= 1.0) {
      u = rng.uniform01() - 0.5;
    } else {
      u = v_over_v_r - 0.93;
      u = (u < 0.0 ? -0.5 : 0.5) - u;
      v = rng.uniform01() * v_r;
    }
    // Step 3.0: its k, and v scaled to compare with f(k) / f(m).
    const double us = 0.5 - std::abs(u);
    const double x = (2.0 * a / us + b) * u + c;
    if (x < 0.0 || x >= nd + 1.0) continue;  // k = floor(x) outside 0 .. n
    const auto k = static_cast<std::int64_t>(x);
    const auto kd = static_cast<double>(k);
    v = v * alpha / (a / (us * us) + b);
    const double km = std::abs(kd - md);
    if (km <= 15.0) {
      // Step 3.1: f(k) / f(m) by the recursion f(i) / f(i - 1) =
      // (n + 1 - i) r / i, kept as a numerator and a denominator so that
      // the loop has no division.
      double num = 1.0;
      double den = 1.0;
      for (std::int64_t i = std::min(k, m) + 1; i <= std::max(k, m); ++i) {
        num *= (nd + 1.0 - static_cast<double>(i)) * r;
        den *= static_cast<double>(i);
      }
      if (k >= m ? v * den <= num : v * num <= den) return k;  // v <= f(k) / f(m)
      continue;
    }
    // Step 3.2: squeeze on log v with the normal approximation's bounds.
    v = std::log(v);
    const double rho = (km / npq) * (((km / 3.0 + 0.625) * km + 1.0 / 6.0) / npq + 0.5);
    const double t = -km * km / (2.0 * npq);
    if (v < t - rho) return k;
    if (v > t + rho) continue;
    // Steps 3.3 and 3.4: the exact log f(k) / f(m) with Stirling's formula.
    const double nm = nd - md + 1.0;
    const double h = (md + 0.5) * std::log((md + 1.0) / (r * nm)) + stirling_correction(m) +
                     stirling_correction(n - m);
    const double nk = nd - kd + 1.0;
    if (v <= h + (nd + 1.0) * std::log(nm / nk) + (kd + 0.5) * std::log(nk * r / (kd + 1.0)) -
                 stirling_correction(k) - stirling_correction(n - k)) {
      return k;
    }
  }
}

// Multinomial splits: up to this many movers and parts, each mover draws
// its part; beyond, conditional binomials are cheaper.
constexpr std::int64_t categorical_split_max = 64;
constexpr std::size_t categorical_split_parts = 4;

}  // namespace

std::int64_t RandomStream::binomial(std::int64_t n, double p) {
  if (n <= 0 || !(p > 0.0)) return 0;  // also a NaN p
  if (p >= 1.0) return n;
  if (p > 0.5) return n - binomial(n, 1.0 - p);  // symmetry: both algorithms want p <= 0.5
  const auto mode = static_cast<std::int64_t>((static_cast<double>(n) + 1.0) * p);
  if (mode < btrd_min_mode) return binomial_inversion(*this, n, p);
  return binomial_btrd(*this, n, p, mode);
}

std::int64_t RandomStream::poisson(double mean) {
  if (mean <= 0.0) return 0;
  return boost::random::poisson_distribution<std::int64_t, double>(mean)(*this);
}

std::int64_t RandomStream::multinomial(std::int64_t n, std::span<const double> p,
                                       std::span<std::int64_t> out) {
  std::fill(out.begin(), out.end(), 0);
  // Parts after the last one with a positive probability stay empty.
  std::size_t parts = out.size();
  while (parts > 0 && !(p[parts - 1] > 0.0)) --parts;
  double total = 0.0;
  for (std::size_t i = 0; i < parts; ++i) total += std::max(p[i], 0.0);
  // Multinomial(n; p_1 .. p_k, rest) is Binomial(n, sum p) movers split
  // Multinomial(movers; p_i / sum p). Most of a pool stays put, so this
  // is one binomial draw where conditional binomials over n took k.
  const std::int64_t movers = binomial(n, total);
  if (movers == 0) return n;
  if (movers <= categorical_split_max && parts <= categorical_split_parts) {
    // Few movers: each draws a uniform on [0, sum p) and lands in the part
    // whose cumulative range holds it. Counting the movers beyond each
    // part's upper bound keeps the loop free of branches and stores.
    const double unused = std::numeric_limits<double>::infinity();
    double upper[categorical_split_parts - 1] = {unused, unused, unused};
    double cumulative = 0.0;
    for (std::size_t i = 0; i + 1 < parts; ++i) {
      cumulative += std::max(p[i], 0.0);
      upper[i] = cumulative;
    }
    std::int64_t beyond[categorical_split_parts - 1] = {0, 0, 0};
    for (std::int64_t m = 0; m < movers; ++m) {
      const double x = uniform01() * total;
      for (std::size_t i = 0; i + 1 < categorical_split_parts; ++i) {
        beyond[i] += x >= upper[i] ? 1 : 0;
      }
    }
    std::int64_t rest = movers;
    for (std::size_t i = 0; i + 1 < parts; ++i) {
      out[i] = rest - beyond[i];
      rest = beyond[i];
    }
    out[parts - 1] = rest;
  } else {
    // Many: conditional binomials, the last part takes the rest.
    std::int64_t left = movers;
    double mass_left = total;
    for (std::size_t i = 0; i + 1 < parts && left > 0; ++i) {
      const double w = std::max(p[i], 0.0);
      out[i] = binomial(left, mass_left > w ? w / mass_left : 1.0);
      left -= out[i];
      mass_left -= w;
    }
    out[parts - 1] += left;
  }
  return n - movers;
}

}  // namespace regsim::des
