// What a scenario asks to be reported and what its goals yield, in the one
// form every layer above uses (io writes them, experiment computes them).
#pragma once

#include <cstdint>

namespace regsim::scenario {

/// How often trajectories are reported: every month, the last month of each
/// quarter, or each December.
enum class Resolution { monthly, quarterly, annual };

/// One goal on one run.
struct GoalResult {
  bool met = false;
  double margin = 0.0;                ///< signed distance to the threshold, positive = met
  std::int32_t first_month_met = -1;  ///< `by` goals: month index (since 2013-01); -1 if never
};

}  // namespace regsim::scenario
