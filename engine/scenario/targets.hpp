// Calibration targets for `regsim calibrate` (history matching): observed
// values of indicators, aggregated over a selection of cities as goals are
// (sums, ratios of sums), at a month or averaged over months, each with its
// observation error, model discrepancy and source; and the box of
// parameters to calibrate. A YAML file read with the scenario's
// diagnostics (file:line:column, expected, did-you-mean). The format is
// documented in README.md, "Calibration: regsim calibrate".
//
//     auto s = regsim::scenario::load("scenarios/baseline.yaml", {}, "seeds");
//     auto t = regsim::scenario::load_targets("calibration/targets.yaml", s);
//     regsim::scenario::check_against_region(t, region);
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "model/city_catalogue.hpp"
#include "model/city_selector.hpp"
#include "model/indicators.hpp"
#include "model/params.hpp"
#include "scenario/scenario.hpp"

namespace regsim::scenario {

/// The model discrepancy (sd as a share of |observed|) when neither the
/// target nor the file gives one.
inline constexpr double default_discrepancy = 0.05;

struct Target {
  std::string name, source;
  model::Indicator indicator = model::Indicator::unemployment_rate;
  model::Selector selector;
  std::vector<RegionName> names;  ///< provinces and cities in the selector, for checking
  SourceLocation selector_where;
  YearMonth from, to;                        ///< `at`: from == to; `mean_over: [from, to]`
  bool mean_over = false;                    ///< the mean over months from..to of the aggregate
  double observed = 0.0;                     ///< `value`, in the indicator's unit
  double error = 0.0;                        ///< observation error, one sd, > 0
  double discrepancy = default_discrepancy;  ///< model discrepancy sd / |observed|
  SourceLocation where;
};

/// One calibrated parameter and its range.
struct ParameterRange {
  std::string name;  ///< dotted name
  model::Param id{};
  double lo = 0.0, hi = 0.0;  ///< lo < hi, within the registry's range
};

struct Targets {
  std::filesystem::path file;
  std::vector<Target> targets;
  std::vector<ParameterRange> parameters;  ///< in file order (or the scenario's uncertainties')
  bool parameters_from_scenario = false;   ///< no `parameters:`: the scenario's uncertainties
};

/// Reads and validates a targets file for scenario `s` (dates within
/// 2013-01 .. the scenario's horizon end). Without `parameters:`, the box
/// is the support of each of the scenario's uncertainties
/// (parameter_range). Throws InputError with every problem (up to 20).
Targets load_targets(const std::filesystem::path& file, const Scenario& s);

/// The range an uncertainty spans: its truncation bounds if it has them,
/// else uniform [a, b], triangular [a, b], normal mu ± 3 sd, lognormal
/// exp(mu ± 3 sigma), choice [min, max]; clipped to the parameter's
/// registry range. lo == hi if nothing is left.
ParameterRange parameter_range(const Uncertainty& u);

/// Provinces and cities the targets name exist in the region, and every
/// selector matches a city. Throws InputError.
void check_against_region(const Targets& t, const model::CityCatalogue& region);

/// The target's simulated value on one run: the aggregate (sum or ratio
/// of sums over `cities`, ascending) at its month, or the mean of the
/// monthly aggregates over its months.
double simulated_value(const Target& t, const std::vector<std::size_t>& cities,
                       const model::Trajectories& trajectories);

/// "2015-12", or "2015-01..2015-12" for a mean over months.
std::string date_text(const Target& t);

/// The last month any target reads: a calibration run need not go further.
YearMonth last_month(const Targets& t);

}  // namespace regsim::scenario
