// The scenario language: a YAML file (following `extends`) read into
// validated plain structs, compiled once into a model::ModelConfig,
// and the goals evaluated on a replication's trajectories. The language is
// documented in scenarios/README.md. yaml-cpp stays inside this folder.
//
//     auto s = regsim::scenario::load("scenarios/plan-2013.yaml", {"experiment.replications=4"},
//                                     "seeds");
//     regsim::scenario::check_against_region(s, catalogue);
//     const auto config = regsim::scenario::compile(s, catalogue);
//     for (std::uint64_t r = 0; r < regsim::scenario::run_count(s); ++r) {
//       auto result = regsim::model::run_replication(catalogue, config, replication_inputs(s, r));
//       auto goals = evaluate_goals(s, catalogue, result.trajectories);
//     }
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/calendar.hpp"
#include "model/city_catalogue.hpp"
#include "model/city_model.hpp"
#include "model/city_selector.hpp"
#include "model/groups.hpp"
#include "model/indicators.hpp"
#include "model/levers/lever.hpp"
#include "model/params.hpp"
#include "scenario/diagnostics.hpp"
#include "scenario/outcomes.hpp"

namespace regsim::scenario {

struct YearMonth {
  int year = 2013;
  int month = 1;  ///< 1..12
  friend auto operator<=>(const YearMonth&, const YearMonth&) = default;
};
/// to - from, in months.
int months_between(YearMonth from, YearMonth to);
/// "2013-01".
std::string to_string(YearMonth ym);
/// "2013-01" -> {2013, 1}; std::nullopt if not a month YYYY-MM.
std::optional<YearMonth> parse_month(std::string_view v);
/// The simulation always starts from the seeds' initial conditions at 2013-01.
inline constexpr YearMonth simulation_start{model::start_year, 1};

struct Horizon {
  YearMonth start = simulation_start;
  YearMonth end{2035, 12};
  /// Months from start to end inclusive.
  std::uint32_t months() const;
};

/// How the runs sample the uncertainties (keys::samplers, in this order).
enum class Sampling { monte_carlo, latin_hypercube, sobol, morris, factorial, design };
/// "monte_carlo", ...: the word the scenario writes.
std::string_view to_string(Sampling s);

struct Uncertainty {
  enum class Distribution { uniform, normal, lognormal, triangular, choice };
  model::Param param{};
  std::string name;  ///< its dotted name (model::param_specs), for labels and stream keys
  Distribution distribution = Distribution::uniform;
  std::vector<double> args;  ///< [a, b] | [mu, sd] | [mu, sigma] | [a, mode, b] | choice levels
  std::optional<std::pair<double, double>> truncate;
  SourceLocation where;
};

struct PolicyTrigger {
  model::Indicator indicator = model::Indicator::unemployment_rate;
  bool above = true;
  double threshold = 0.0;
  std::uint32_t for_months = 1;
  bool rearm = false;
};

/// A value of a lever parameter as written (choice parameters hold the
/// index), with its slot in the lever's schema.
struct LeverValue {
  std::string name;
  model::levers::Slot slot;
  double value = 0.0;
  SourceLocation where;
};

/// A `where:` name that must exist in the region (a province or a city).
struct RegionName {
  enum class Kind { province, city } kind = Kind::province;
  std::string text;
  SourceLocation where;
  int span = 1;
};

/// `where: {indicators: {name: {above: x, below: y, between: [lo, hi]}}}`:
/// a city is selected only if its indicator at the month before the
/// policy's activation is > above, < below and within [lo, hi] (all given).
struct IndicatorPredicate {
  model::Indicator indicator = model::Indicator::unemployment_rate;
  std::optional<double> above, below;
  std::optional<std::pair<double, double>> between;
  SourceLocation where;
  bool holds(double value) const {
    return (!above || value > *above) && (!below || value < *below) &&
           (!between || (value >= between->first && value <= between->second));
  }
};

struct Policy {
  std::string name, source;
  const model::levers::Lever* lever = nullptr;  ///< never null once validated
  model::Selector selector;
  std::vector<RegionName> names;  ///< provinces and cities in the selector, for checking
  std::vector<IndicatorPredicate> predicates;  ///< evaluated per city at activation
  SourceLocation selector_where;
  YearMonth from = simulation_start;
  std::optional<YearMonth> to;    ///< last month of the window (inclusive)
  std::vector<LeverValue> set;    ///< as written, in file order (for descriptions)
  model::levers::LeverArgs args;  ///< every parameter by slot, defaults filled in
  std::optional<PolicyTrigger> trigger;
  SourceLocation where;
  bool inherited = false;  ///< declared by a file the scenario extends, not by its own file
};

struct Goal {
  enum class Aggregation { sum, mean, every, share_of_cities };
  enum class Comparison { below, above, between };
  std::string name, source;
  model::Indicator indicator = model::Indicator::unemployment_rate;
  model::Selector selector;
  std::vector<RegionName> names;
  SourceLocation selector_where;
  Aggregation aggregation = Aggregation::sum;
  double share = 1.0;  ///< share_of_cities: the share of cities that must meet the threshold
  YearMonth date;
  bool by = false;  ///< false: `at` the date; true: `by` the date (first month met)
  Comparison comparison = Comparison::below;
  double threshold = 0.0;
  double upper = 0.0;  ///< between: [threshold, upper]
  SourceLocation where;
};

/// `prices: {coal: {file: path.csv}}`: a resource's price index given month
/// by month from a CSV file (month,index; 2013-01 = 1). Months before the
/// file's first and after its last follow the stochastic price process.
/// `demand: {coal: {file: path.csv}}` reads national demand relative to the
/// region's 2013 output the same way; after its last month demand stays at
/// its last value.
struct PricePath {
  model::Resource resource = model::Resource::coal;
  std::string key;                     ///< the resource as written (its key under `prices:`)
  std::filesystem::path file;          ///< resolved
  YearMonth first = simulation_start;  ///< month of the file's first row
  std::vector<double> index;           ///< one value a month from `first`
};

/// The names the language uses, in enum order.
inline constexpr std::array<std::string_view, 4> aggregation_names{"sum", "mean", "every",
                                                                   "share_of_cities"};
inline constexpr std::array<std::string_view, 3> comparison_names{"below", "above", "between"};
constexpr std::string_view to_string(Goal::Aggregation a) {
  return aggregation_names[static_cast<std::size_t>(a)];
}
constexpr std::string_view to_string(Goal::Comparison c) {
  return comparison_names[static_cast<std::size_t>(c)];
}

struct Outputs {
  Resolution resolution = Resolution::annual;
  std::vector<model::Indicator> variables;  ///< empty = all
  std::optional<std::uint64_t> replicates;  ///< trajectories of the first N replicates; none: all
  bool aggregates = true;
};

/// `experiment: {replications: auto, precision: {...}}`: replications are
/// added `batch` at a time (Monte Carlo only) until the 90 % Wilson
/// interval of every named goal's probability (`/goals/probability`: the
/// goal on its own cities) is at most 2 half_width wide, or
/// max_replications are run (experiment/precision.hpp decides).
struct Precision {
  std::vector<std::string> goals;  ///< as written; empty: every goal
  std::vector<SourceLocation> goal_where;
  std::vector<std::size_t> goal_index;  ///< resolved: indices into Scenario::goals
  double half_width = 0.02;
  std::uint64_t batch = 100;
  /// Resolved: as written, or by default the smallest multiple of `batch`
  /// at which any proportion's interval is narrow enough (precision_cap).
  std::uint64_t max_replications = 0;
  SourceLocation where;
};

/// The replications at which the Wilson interval of any proportion is at
/// most 2 half_width wide, rounded up to whole batches: its half-width is
/// largest at p = 1/2, z / (2 sqrt(n + z^2)).
std::uint64_t precision_cap(double half_width, std::uint64_t batch);

struct Scenario {
  std::string name, description;
  std::filesystem::path file;  ///< the top file
  Horizon horizon;
  std::filesystem::path region;                ///< resolved
  std::uint64_t replications = 100, seed = 1;  ///< with precision: its max_replications
  Sampling sampling = Sampling::monte_carlo;
  /// `replications: auto`: run until precise (empty: exactly `replications`).
  std::optional<Precision> precision;
  /// A design file: `sampling: design` with `file:` (one run per row), or
  /// `experiment.design:` beside any other sampling (each replication takes
  /// a row for the design's columns; the uncertainties are sampled as usual).
  std::filesystem::path design_file;         ///< resolved; empty: no design
  std::vector<model::Param> design_columns;  ///< file order
  std::vector<std::vector<double>> design_rows;
  std::vector<std::pair<model::Param, double>> parameters;  ///< validated values
  std::vector<Uncertainty> uncertainties;
  std::vector<Policy> policies;
  std::vector<Goal> goals;
  std::vector<PricePath> prices;  ///< at most one per resource
  std::vector<PricePath> demand;  ///< national demand paths, at most one per resource
  Outputs outputs;
  std::vector<std::string> overrides;  ///< the --set strings, for locating their errors
  std::string resolved_yaml;           ///< extends and --set applied, as YAML text
};

/// Reads and validates a scenario file (following `extends`). `overrides`
/// are "--set key=value" strings (dotted YAML paths) applied after
/// inheritance. `default_region` is used when the file has no `region`.
/// Throws InputError with all problems (up to 20).
Scenario load(const std::filesystem::path& file, const std::vector<std::string>& overrides,
              const std::filesystem::path& default_region);

/// The same for a scenario's text already in memory, as if read from
/// `file` (`extends` and relative paths resolve from its directory).
Scenario load_text(const std::string& text, const std::filesystem::path& file,
                   const std::vector<std::string>& overrides,
                   const std::filesystem::path& default_region);

/// Second validation step that needs the region: provinces and cities that
/// do not exist, selectors that match no city. Throws InputError.
void check_against_region(const Scenario& s, const model::CityCatalogue& region);

/// Number of model runs the experiment needs: `replications` for Monte
/// Carlo and Latin hypercube; N (k + 2) for Sobol/Saltelli (N =
/// replications, k uncertainties); N (k + 1) for Morris (N trajectories);
/// levels x replications for factorial; the CSV's rows for design.
std::uint64_t run_count(const Scenario& s);

/// The sampled uncertainty values of run r (name -> value), deterministic in
/// (seed, r, uncertainty name): adding an uncertainty does not change the
/// others' draws (Monte Carlo, Latin hypercube). With a design file, the
/// design's columns come first (the values of row design_row(s, r)), then
/// the uncertainties (none under `sampling: design`).
std::vector<std::pair<model::Param, double>> sample(const Scenario& s, std::uint64_t replication);

/// The parameters sample() sets, in its order, and their dotted names.
std::vector<model::Param> sample_params(const Scenario& s);
std::vector<std::string> sample_names(const Scenario& s);

/// Whether the runs take their values from a design file (`sampling:
/// design` or `experiment.design:`).
inline bool has_design(const Scenario& s) { return !s.design_rows.empty(); }

/// The design row (0 = the first row after the header) that run r uses, or
/// -1 without a design. `sampling: design`: row r. `experiment.design:`
/// beside another sampling: replication i (the run itself under Monte Carlo
/// and Latin hypercube; its base sample under Sobol, trajectory under
/// Morris, repetition under factorial, so that the runs an estimator
/// compares share a row) takes row P_c(i mod n) of n rows, P_c a
/// permutation keyed by (seed, c = i div n): every row is used equally
/// often (+-1), and the row depends on (seed, i, n) alone, not on the
/// uncertainties.
std::int64_t design_row(const Scenario& s, std::uint64_t replication);

/// Month index of a date: months since 2013-01 (the simulation's month 0).
std::uint32_t month_index(YearMonth ym);

/// The first reported month: month_index(horizon.start). Months before it
/// are simulated (from the 2013 seeds) but not reported.
std::uint32_t report_from_month(const Scenario& s);

/// What every replication of the scenario shares, compiled once: the price
/// and demand paths of `prices:` and `demand:`, actions and triggers
/// compiled from the policies in file order, months from 2013-01 to
/// horizon.end. What actions remember between their apply and revert
/// (seats added, people placed) lives in the model's ledger slots
/// (ModelConfig::ledger_slots), so one config runs on several executors at
/// once.
model::ModelConfig compile(const Scenario& s, const model::CityCatalogue& region);

/// What replication `replication` has of its own: the seed, its index and
/// the parameters (the scenario's values, then its sampled ones).
model::ReplicationInputs replication_inputs(const Scenario& s, std::uint64_t replication);

/// Whether runs of `branches` from 2013 would simulate the same months
/// before `fork` (the first month each goes its own way), so that
/// model::run_branches can simulate those months once: the same region,
/// seed and replications, the same parameters in every replication, the
/// same policies at the same places as far as both lists agree (every
/// later policy starting at the fork or after), and the same market inputs
/// read before it. `configs` are the branches compiled
/// (compile(), as the run has them). Else InputError naming each branch's
/// first difference from branches[0].
void check_shared_history(std::span<const Scenario* const> branches,
                          std::span<const model::ModelConfig* const> configs,
                          const model::CityCatalogue& region, YearMonth fork);

/// Goal evaluation on one run's trajectories ([indicator][city][month],
/// month 0 = 2013-01, the simulation start).
std::vector<GoalResult> evaluate_goals(const Scenario& s, const model::CityCatalogue& region,
                                       const model::Trajectories& t);

/// Each goal evaluated again within every group (nation, categories,
/// provinces, resources: the goal's own cities that belong to the group)
/// and within every single city it selects, for the ledger by place.
struct GoalBreakdown {
  static constexpr std::uint8_t missed = 0, met = 1;
  static constexpr std::uint8_t not_applicable = 2;  ///< no city of the goal there, or no date
  std::vector<std::uint8_t> by_group;                ///< [goal][group]
  std::vector<std::uint8_t> by_city;                 ///< [goal][city]
};
GoalBreakdown evaluate_goal_breakdown(const Scenario& s, const model::CityCatalogue& region,
                                      const std::vector<model::CityGroup>& groups,
                                      const model::Trajectories& t);

}  // namespace regsim::scenario
