// Morris elementary effects: mu*, mu and sigma per factor (Morris 1991;
// Campolongo, Cariboni & Saltelli 2007, "An effective screening design for
// sensitivity analysis of large models", Environ. Model. Softw. 22,
// 1509-1518, who add mu*, the mean of |EE|).
//
// The design (scenario/samplers.cpp) moves one factor per step by half the
// unit cube (4 levels at the centres of the quarter-quantiles, step 2/3 of
// the grid), so an elementary effect is the output's change divided by the
// factor's step in the unit cube, dp = 0.5:
//     EE_i = (f(x + dp e_i) - f(x)) / dp.
// It is in the output's units, per the factor's whole range of quantiles:
// for f = c x with x uniform on [a, b], EE_i = c (b - a) at every step.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "analysis/design_blocks.hpp"
#include "scenario/scenario.hpp"

namespace regsim::analysis {

/// Which factor each step of each trajectory moves, and by how much in the
/// unit cube (from scenario::morris_step and scenario::unit_point).
struct MorrisDesign {
  std::vector<std::vector<std::size_t>> factor;  ///< [trajectory][step - 1]
  std::vector<std::vector<double>> step;         ///< [trajectory][step - 1], unit cube
};

MorrisDesign morris_design(const scenario::Scenario& s, const DesignBlocks& blocks);

/// The elementary effects of every factor, [factor][trajectory], from f on
/// the design's runs: f[t][j] at step j of trajectory t.
std::vector<std::vector<double>> elementary_effects(const MorrisDesign& design,
                                                    const std::vector<std::vector<double>>& f,
                                                    std::size_t factors);

struct MorrisEffect {
  double mu_star = 0;  ///< mean |EE|: overall importance
  double mu = 0;       ///< mean EE: effects of opposite signs cancel
  double sigma = 0;    ///< standard deviation of EE (n - 1): interactions or non-linearity
};

/// mu*, mu, sigma of each factor's effects; NaN if any is not finite or a
/// factor has fewer than 2 effects (sigma) or none.
std::vector<MorrisEffect> morris_effects(const std::vector<std::vector<double>>& effects);

}  // namespace regsim::analysis
