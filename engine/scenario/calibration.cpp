// History matching without an emulator (calibration.hpp).
#include "scenario/calibration.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <utility>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include "des/random_stream.hpp"
#include "model/simulation.hpp"

namespace regsim::scenario {

double Box::share_of(const Box& of) const {
  double share = 1.0;
  for (std::size_t k = 0; k < lo.size(); ++k) share *= (hi[k] - lo[k]) / (of.hi[k] - of.lo[k]);
  return share;
}

// Vernon, Goldstein & Bower (2010), "Galaxy formation: a Bayesian
// uncertainty analysis", Bayesian Analysis 5(4), eq. (8):
//   I(x) = |E[f(x)] - z| / sqrt(Var_em(x) + Var_md + Var_obs),
// here with no emulator (Var_em = 0: every point is simulated), the model
// discrepancy sd a share of |z|, and, as Andrianakis et al. (2015),
// "Bayesian history matching of complex infectious disease models using
// emulation", PLoS Comput Biol 11(1): e1003968, eq. (2), do for a
// stochastic model, the ensemble variability Var_s(x): the observation is
// one realisation of the stochastic process, so the spread between
// replications at x belongs in the denominator. We use Var_ens = the
// unbiased sample variance over the R replications of the point (0 when
// R = 1); the Monte Carlo error of the mean, Var_ens / R, is not added.
double implausibility(double mean, double ensemble_variance, const Target& t) {
  const double discrepancy = t.discrepancy * std::abs(t.observed);
  const double denominator =
      std::sqrt(t.error * t.error + discrepancy * discrepancy + ensemble_variance);
  return std::abs(mean - t.observed) / denominator;
}

PointSummary summarise(const std::vector<double>& implausibilities, double cutoff) {
  PointSummary s;
  for (const double i : implausibilities) {
    if (i > s.max) {
      s.second = s.max;
      s.max = i;
    } else if (i > s.second) {
      s.second = i;
    }
  }
  // NaN (a target undefined at this point, e.g. a ratio of zero sums) is
  // never non-implausible.
  const bool any_nan = std::any_of(implausibilities.begin(), implausibilities.end(),
                                   [](double i) { return std::isnan(i); });
  if (any_nan) s.max = std::numeric_limits<double>::quiet_NaN();
  s.non_implausible = !any_nan && s.max <= cutoff;
  return s;
}

std::vector<std::vector<double>> latin_hypercube(const Box& box, std::size_t n, std::uint64_t seed,
                                                 std::uint64_t wave,
                                                 const std::vector<std::string>& names) {
  std::vector<std::vector<double>> points(n, std::vector<double>(names.size()));
  for (std::size_t k = 0; k < names.size(); ++k) {
    des::RandomStream rng(seed, wave, 0, "calibrate:lhs:" + names[k]);
    std::vector<std::size_t> stratum(n);
    std::iota(stratum.begin(), stratum.end(), std::size_t{0});
    for (std::size_t i = n; i > 1; --i) std::swap(stratum[i - 1], stratum[rng.below(i)]);
    const double width = box.hi[k] - box.lo[k];
    for (std::size_t i = 0; i < n; ++i) {
      const double u = (static_cast<double>(stratum[i]) + rng.uniform01()) / static_cast<double>(n);
      points[i][k] = std::min(box.hi[k], box.lo[k] + u * width);
    }
  }
  return points;
}

Box next_box(const Box& original, const Box& current,
             const std::vector<std::vector<double>>& survivors, std::size_t points,
             double padding) {
  Box next = current;
  if (survivors.empty()) return next;
  for (std::size_t k = 0; k < current.lo.size(); ++k) {
    double lo = survivors.front()[k], hi = lo;
    for (const auto& p : survivors) {
      lo = std::min(lo, p[k]);
      hi = std::max(hi, p[k]);
    }
    const double stratum = (current.hi[k] - current.lo[k]) / static_cast<double>(points);
    if (hi - lo < stratum) {
      const double centre = 0.5 * (lo + hi);
      lo = centre - 0.5 * stratum;
      hi = centre + 0.5 * stratum;
    }
    const double pad = padding * (hi - lo);
    next.lo[k] = std::max(original.lo[k], lo - pad);
    next.hi[k] = std::min(original.hi[k], hi + pad);
  }
  return next;
}

std::size_t Wave::survivors() const {
  return static_cast<std::size_t>(std::count_if(summary.begin(), summary.end(),
                                                [](const auto& s) { return s.non_implausible; }));
}

std::size_t Wave::best_point() const {
  std::size_t best = 0;
  for (std::size_t p = 1; p < summary.size(); ++p) {
    // NaN (undefined) never wins.
    if (std::isnan(summary[best].max) || summary[p].max < summary[best].max) best = p;
  }
  return best;
}

bool Calibration::any_survivor() const {
  return std::any_of(waves.begin(), waves.end(), [](const Wave& w) { return w.survivors() > 0; });
}

std::size_t Calibration::result_wave() const {
  for (std::size_t w = waves.size(); w-- > 0;) {
    if (waves[w].survivors() > 0) return w;
  }
  return waves.empty() ? 0 : waves.size() - 1;
}

std::vector<double> Calibration::result_values(std::size_t k) const {
  std::vector<double> out;
  if (waves.empty()) return out;
  const Wave& w = waves[result_wave()];
  const bool all = w.survivors() == 0;
  for (std::size_t p = 0; p < w.points.size(); ++p) {
    if (!all && !w.summary[p].non_implausible) continue;
    for (std::size_t r = 0; r < replications; ++r) {
      out.push_back(w.values[(p * replications + r) * targets + k]);
    }
  }
  return out;
}

namespace {

// The scenario every calibration run starts from: its parameters, prices
// and policies, no sampled uncertainty, and a horizon that ends at the
// last month a target reads (compile() then drops what starts later, as a
// run with --set horizon.end would).
Scenario base_scenario(const Scenario& s, const Targets& t) {
  Scenario base = s;
  base.uncertainties.clear();
  base.sampling = Sampling::monte_carlo;
  base.design_columns.clear();
  base.design_rows.clear();
  base.horizon.end = std::min(s.horizon.end, last_month(t));
  base.horizon.start = std::min(base.horizon.start, base.horizon.end);
  return base;
}

// Mean and unbiased variance over the replications of each target.
void ensemble_statistics(Wave& w, std::size_t replications, std::size_t targets,
                         const std::vector<Target>& ts, double cutoff) {
  const std::size_t n = w.points.size();
  w.mean.assign(n, std::vector<double>(targets));
  w.variance.assign(n, std::vector<double>(targets));
  w.implausibility.assign(n, std::vector<double>(targets));
  w.summary.resize(n);
  const auto r_count = static_cast<double>(replications);
  for (std::size_t p = 0; p < n; ++p) {
    for (std::size_t k = 0; k < targets; ++k) {
      double sum = 0.0;
      for (std::size_t r = 0; r < replications; ++r)
        sum += w.values[(p * replications + r) * targets + k];
      const double mean = sum / r_count;
      double ss = 0.0;
      for (std::size_t r = 0; r < replications; ++r) {
        const double d = w.values[(p * replications + r) * targets + k] - mean;
        ss += d * d;
      }
      w.mean[p][k] = mean;
      w.variance[p][k] = replications > 1 ? ss / (r_count - 1.0) : 0.0;
      w.implausibility[p][k] = implausibility(mean, w.variance[p][k], ts[k]);
    }
    w.summary[p] = summarise(w.implausibility[p], cutoff);
  }
}

}  // namespace

Calibration calibrate(const Scenario& s, const model::CityCatalogue& region, const Targets& t,
                      const CalibrationOptions& o,
                      const std::function<void(const Calibration&)>& after_wave) {
  Calibration c;
  for (const ParameterRange& p : t.parameters) {
    c.parameters.push_back(p.name);
    c.original.lo.push_back(p.lo);
    c.original.hi.push_back(p.hi);
  }
  c.replications = o.replications;
  c.targets = t.targets.size();
  c.waves_asked = o.waves;
  const Scenario base = base_scenario(s, t);
  const model::ModelConfig config = compile(base, region);
  std::vector<std::vector<std::size_t>> cities;  // per target, ascending
  for (const Target& g : t.targets) {
    const auto selected = g.selector.select(region);
    cities.emplace_back(selected.begin(), selected.end());
  }
  tbb::task_arena arena(static_cast<int>(std::max(1u, o.threads)));
  Box box = c.original;
  for (std::size_t wave = 0; wave < o.waves; ++wave) {
    if (wave > 0) {
      const Wave& previous = c.waves.back();
      std::vector<std::vector<double>> survivors;
      for (std::size_t p = 0; p < previous.points.size(); ++p) {
        if (previous.summary[p].non_implausible) survivors.push_back(previous.points[p]);
      }
      box = next_box(c.original, previous.box, survivors, o.points, o.padding);
    }
    Wave w;
    w.box = box;
    w.points = latin_hypercube(box, o.points, s.seed, wave, c.parameters);
    w.values.assign(o.points * o.replications * c.targets, 0.0);
    // One task per (point, replication), each writing its own slots: the
    // results do not depend on the thread count or the schedule.
    arena.execute([&] {
      tbb::parallel_for(tbb::blocked_range<std::size_t>(0, o.points * o.replications, 1),
                        [&](const tbb::blocked_range<std::size_t>& range) {
                          for (std::size_t job = range.begin(); job != range.end(); ++job) {
                            const std::size_t p = job / o.replications, r = job % o.replications;
                            // r: common random numbers across the points
                            model::ReplicationInputs inputs = replication_inputs(base, r);
                            for (std::size_t k = 0; k < t.parameters.size(); ++k) {
                              inputs.params.set(t.parameters[k].id, w.points[p][k]);
                            }
                            const auto result =
                                model::run_replication(region, config, std::move(inputs));
                            for (std::size_t k = 0; k < c.targets; ++k) {
                              w.values[job * c.targets + k] =
                                  simulated_value(t.targets[k], cities[k], result.trajectories);
                            }
                          }
                        });
    });
    ensemble_statistics(w, o.replications, c.targets, t.targets, o.cutoff);
    c.waves.push_back(std::move(w));
    if (after_wave) after_wave(c);
    if (c.waves.back().survivors() == 0) break;
  }
  return c;
}

}  // namespace regsim::scenario
