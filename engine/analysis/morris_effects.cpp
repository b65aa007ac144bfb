#include "analysis/morris_effects.hpp"

#include <cmath>
#include <limits>

#include "scenario/samplers.hpp"

namespace regsim::analysis {

MorrisDesign morris_design(const scenario::Scenario& s, const DesignBlocks& blocks) {
  const std::uint64_t k = s.uncertainties.size();
  MorrisDesign design;
  for (const std::uint64_t trajectory : blocks.index) {
    std::vector<std::size_t> factors;
    std::vector<double> steps;
    std::vector<double> before = scenario::unit_point(s, trajectory * (k + 1));
    for (std::uint64_t j = 1; j <= k; ++j) {
      const std::uint64_t run = trajectory * (k + 1) + j;
      const auto factor = static_cast<std::size_t>(scenario::morris_step(s, run).factor);
      std::vector<double> after = scenario::unit_point(s, run);
      factors.push_back(factor);
      steps.push_back(after[factor] - before[factor]);
      before = std::move(after);
    }
    design.factor.push_back(std::move(factors));
    design.step.push_back(std::move(steps));
  }
  return design;
}

std::vector<std::vector<double>> elementary_effects(const MorrisDesign& design,
                                                    const std::vector<std::vector<double>>& f,
                                                    std::size_t factors) {
  std::vector<std::vector<double>> effects(factors);
  for (std::size_t t = 0; t < design.factor.size(); ++t) {
    for (std::size_t j = 0; j < design.factor[t].size(); ++j) {
      effects[design.factor[t][j]].push_back((f[t][j + 1] - f[t][j]) / design.step[t][j]);
    }
  }
  return effects;
}

std::vector<MorrisEffect> morris_effects(const std::vector<std::vector<double>>& effects) {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<MorrisEffect> out;
  for (const auto& ee : effects) {
    const auto n = static_cast<double>(ee.size());
    double sum = 0, sum_abs = 0;
    for (const double e : ee) {
      sum += e;
      sum_abs += std::abs(e);
    }
    MorrisEffect m{sum_abs / n, sum / n, nan};
    if (ee.size() >= 2) {
      double ss = 0;
      for (const double e : ee) ss += (e - m.mu) * (e - m.mu);
      m.sigma = std::sqrt(ss / (n - 1));
    }
    if (ee.empty() || !std::isfinite(sum_abs)) m = {nan, nan, nan};
    out.push_back(m);
  }
  return out;
}

}  // namespace regsim::analysis
