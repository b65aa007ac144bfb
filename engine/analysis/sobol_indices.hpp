// First- and total-order Sobol indices from a Saltelli design, with
// bootstrap intervals. Pure arithmetic: no file, no model.
//
// Saltelli et al. (2010), "Variance based sensitivity analysis of model
// output. Design and estimator for the total sensitivity index", Comput.
// Phys. Commun. 181, 259-270: first order (their Table 2, b)
//     V_i  = 1/N sum_j f(B)_j (f(AB_i)_j - f(A)_j)
// and Jansen (1999) for the total order (Table 2, f)
//     VT_i = 1/(2N) sum_j (f(A)_j - f(AB_i)_j)^2,
// S1_i = V_i / V, ST_i = VT_i / V, V the variance of f over A and B.
// Values are centred on the mean of f(A) and f(B) first, which leaves both
// estimators' expectations unchanged and keeps V_i from cancelling badly
// when the output's mean is large next to its spread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace regsim::analysis {

/// The bootstrap's random streams are keyed by this fixed seed (not the
/// run's), so the same file always gives the same intervals.
inline constexpr std::uint64_t bootstrap_seed = 20100101;

/// Percentile bootstrap over the base samples (or Morris trajectories).
struct Bootstrap {
  std::size_t resamples = 1000;
  std::uint64_t seed = bootstrap_seed;
  double level = 0.9;  ///< central interval: the 5th to the 95th percentile
};

/// An estimate with its bootstrap interval; NaN where undefined.
struct Estimate {
  double value = 0;
  double low = 0;
  double high = 0;
};

struct SobolIndices {
  std::vector<Estimate> first_order;  ///< S1 per factor
  std::vector<Estimate> total_order;  ///< ST per factor
  double variance = 0;                ///< V, in the output's units squared
};

/// f on a Saltelli design: f[j][m] for base sample j and matrix m, numbered
/// as scenario::saltelli_step: 0 = A, i = AB_i (A with column i - 1 from B)
/// for i in 1..k, k + 1 = B. Needs N >= 2 samples of k + 2 values each.
/// Every index is NaN if f does not vary or holds a value that is not finite.
SobolIndices sobol_indices(const std::vector<std::vector<double>>& f,
                           const Bootstrap& bootstrap = {});

/// Bootstrap resample r: n indices into [0, n), drawn with replacement;
/// the same for every output (they depend on the seed, r and n alone).
std::vector<std::size_t> bootstrap_draw(std::size_t n, std::size_t r, const Bootstrap& bootstrap);

/// The (1 - level) / 2 and (1 + level) / 2 quantiles (type 7) of `values`,
/// ignoring NaN; NaN if none is finite.
std::pair<double, double> percentile_interval(std::vector<double> values, double level);

}  // namespace regsim::analysis
