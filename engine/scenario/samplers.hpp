// Experimental designs over a scenario's uncertainties: Monte Carlo, Latin
// hypercube, Sobol/Saltelli, Morris, full factorial over `choice` levels,
// and a design read from CSV. Each gives, for run r, a point of the unit
// cube (one coordinate per uncertainty, in declaration order) that the
// uncertainty's inverse CDF maps to a parameter value. A design file given
// as `experiment.design:` adds one of its rows to every run of the others
// (design_row() in scenario.hpp).
//
// Random numbers come from des::RandomStream keyed by (seed, run, 0,
// "uncertainty:" + name) (and "lhs:" + name for the hypercube's strata), so
// adding an uncertainty leaves the others' draws unchanged under Monte
// Carlo and Latin hypercube sampling.
#pragma once

#include <cstdint>
#include <vector>

#include "scenario/scenario.hpp"

namespace regsim::scenario {

/// The inverse CDF of u's distribution (truncated if asked) at p in (0, 1);
/// for `choice`, the level floor(p n).
double quantile(const Uncertainty& u, double p);

/// Run r's point of the unit cube, one coordinate per uncertainty (for
/// factorial: the level index; for design: empty).
std::vector<double> unit_point(const Scenario& s, std::uint64_t run);

/// The uncertainties' values in run r, in their order: each coordinate of
/// unit_point through its distribution's quantile (a level under
/// factorial), before sample() clamps them to their parameters' ranges.
std::vector<double> draw(const Scenario& s, std::uint64_t run);

/// Morris design: the trajectory and the step within it of run r, and the
/// factor (index into uncertainties) moved at that step (-1 at step 0).
struct MorrisStep {
  std::uint64_t trajectory;
  std::uint64_t step;
  std::int64_t factor;
};
MorrisStep morris_step(const Scenario& s, std::uint64_t run);

/// Sobol/Saltelli design: base sample i of run r and which matrix it reads:
/// 0 = A, k + 1 = B, j in 1..k = A with column j - 1 from B.
struct SaltelliStep {
  std::uint64_t sample;
  std::uint64_t matrix;
};
SaltelliStep saltelli_step(const Scenario& s, std::uint64_t run);

}  // namespace regsim::scenario
