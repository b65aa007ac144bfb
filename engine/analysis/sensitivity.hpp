// `regsim sensitivity`: Sobol indices or Morris effects of a finished
// Sobol or Morris run, for every goal and chosen indicators, and over time
// for one indicator; written into the run file under /sensitivity.
//
// Reads and writes through io::H5File and experiment's stored run: no HDF5
// here. The run file is never modified in place: the new file is a copy of
// it with /sensitivity replaced, written as OUT.h5.sensitivity.partial,
// flushed to disk and renamed over OUT.h5 (io::durable_rename).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "analysis/morris_effects.hpp"
#include "analysis/sobol_indices.hpp"

namespace regsim::analysis {

/// What to analyse beside the goals. Dates are "YYYY-MM" of the file's time
/// axis (empty: its last step); groups are names of /group (empty: the
/// nation); each indicator is taken at every date in every group.
struct SensitivityRequest {
  std::vector<std::string> indicators;
  std::vector<std::string> dates;
  std::vector<std::string> groups;
  std::string over_time;        ///< an indicator analysed at each year's last step; empty: none
  std::string over_time_group;  ///< its group; empty: the nation
  Bootstrap bootstrap;
};

/// One analysed output: a goal's met (0/1) or margin, or an indicator.
struct AnalysedOutput {
  std::string name;                  ///< "goal-name: met", "unemployment_rate, nation:all, 2035-12"
  std::string kind;                  ///< "goal_met", "goal_margin" or "indicator"
  std::string subject;               ///< the goal's or the indicator's name
  std::string units;                 ///< UDUNITS of the output ("1" for met)
  SobolIndices sobol;                ///< Sobol designs
  std::vector<MorrisEffect> morris;  ///< Morris designs, per factor
};

/// The over-time analysis of one indicator in one group.
struct OverTime {
  std::string indicator, group, units;
  std::vector<double> days;           ///< the steps analysed, days since 2013-01-01
  std::vector<int> years;             ///< their years
  std::vector<AnalysedOutput> steps;  ///< one per year
};

struct Sensitivity {
  std::string method;                ///< "sobol" or "morris"
  std::vector<std::string> factors;  ///< the sampled uncertainties, declaration order
  std::size_t blocks = 0;            ///< base samples (Sobol) or trajectories (Morris)
  Bootstrap bootstrap;
  std::vector<AnalysedOutput> outputs;
  std::optional<OverTime> over_time;
};

/// Reads a finished run and computes the indices. InputError (exit 2) for
/// a file that is not a whole Sobol or Morris design, or a requested
/// indicator, date or group it does not hold (with the nearest name).
Sensitivity analyse(const std::string& run_file, const SensitivityRequest& request);

/// Replaces /sensitivity of the run file with `result`, safely (see above).
void write_sensitivity(const std::string& run_file, const Sensitivity& result);

}  // namespace regsim::analysis
