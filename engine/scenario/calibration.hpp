// History matching (Craig et al. 1997; Vernon et al. 2010; Andrianakis et
// al. 2015) without an emulator: every design point is simulated. Wave 1
// is a Latin hypercube over the parameter box; each point runs R
// replications (replication r of every point shares its random streams:
// common random numbers); a point is non-implausible when the largest
// implausibility over the targets is at most the cut-off (3); wave k + 1
// is a fresh hypercube inside the padded bounding box of wave k's
// non-implausible points. Results do not depend on the thread count.
//
//     auto result = regsim::scenario::calibrate(s, region, targets, {.waves = 3, .points = 20});
//     result.waves.back().survivors();
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "model/city_catalogue.hpp"
#include "scenario/scenario.hpp"
#include "scenario/statistics.hpp"
#include "scenario/targets.hpp"

namespace regsim::scenario {

/// A box of parameter values: [lo[k], hi[k]] per calibrated parameter.
struct Box {
  std::vector<double> lo, hi;
  /// Its volume as a share of `of`'s (the product of width ratios).
  double share_of(const Box& of) const;
};

/// The implausibility of one target at one point, from the ensemble mean
/// and variance of its simulated value over the point's replications.
double implausibility(double mean, double ensemble_variance, const Target& t);

/// A point's implausibilities over all targets.
struct PointSummary {
  double max = 0.0;              ///< the largest implausibility over the targets
  double second = 0.0;           ///< the second largest (0 with one target)
  bool non_implausible = false;  ///< max <= cut-off
};
PointSummary summarise(const std::vector<double>& implausibilities, double cutoff);

/// `n` points of a Latin hypercube over `box`: in each dimension, exactly
/// one point in each of the n equal strata, at a uniform position within
/// it. Deterministic in (seed, wave, parameter name): a dimension's column
/// does not change when another parameter is added. [point][dimension].
std::vector<std::vector<double>> latin_hypercube(const Box& box, std::size_t n, std::uint64_t seed,
                                                 std::uint64_t wave,
                                                 const std::vector<std::string>& names);

/// The next wave's box: the bounding box of the survivors, each side padded
/// by `padding` times its width, clipped to `original`. A side narrower than
/// one stratum of the current wave (current width / points: a lone survivor
/// is only known to that precision) is first widened to it about its centre.
Box next_box(const Box& original, const Box& current,
             const std::vector<std::vector<double>>& survivors, std::size_t points,
             double padding = 0.1);

struct CalibrationOptions {
  std::size_t waves = 3;
  std::size_t points = 20;       ///< per wave
  std::size_t replications = 2;  ///< per point
  unsigned threads = 1;
  double cutoff = 3.0;   ///< Pukelsheim's three-sigma rule (Vernon et al. 2010)
  double padding = 0.1;  ///< of the survivors' box width, on each side
};

struct Wave {
  Box box;
  std::vector<std::vector<double>> points;  ///< [point][parameter]
  std::vector<double> values;               ///< [point][replication][target], flattened
  std::vector<std::vector<double>> mean, variance, implausibility;  ///< [point][target]
  std::vector<PointSummary> summary;                                ///< [point]
  std::size_t survivors() const;
  /// The point with the smallest largest implausibility.
  std::size_t best_point() const;
};

struct Calibration {
  std::vector<std::string> parameters;  ///< dotted names, the box's dimensions
  Box original;
  std::size_t replications = 0, targets = 0, waves_asked = 0;
  std::vector<Wave> waves;  ///< those computed, in order
  /// The wave whose non-implausible points are the result: the last one
  /// with survivors, or the last one computed if none had any.
  std::size_t result_wave() const;
  bool any_survivor() const;
  /// The simulated values of target k over the result wave's
  /// non-implausible runs (all its runs if none survived).
  std::vector<double> result_values(std::size_t k) const;
};

/// Runs up to o.waves waves, stopping early when no point survives; calls
/// `after_wave` after each (progress, outputs so far). Parameters not
/// calibrated keep the scenario's values (its `parameters:` or the
/// registry default: its uncertainties are not sampled), and each run
/// stops at the last month a target reads.
Calibration calibrate(const Scenario& s, const model::CityCatalogue& region, const Targets& t,
                      const CalibrationOptions& o,
                      const std::function<void(const Calibration&)>& after_wave = {});

}  // namespace regsim::scenario
