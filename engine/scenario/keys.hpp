// The keys and words of the scenario language, each with what it means. The
// validator (load.cpp and its section readers, detail/sections.hpp)
// accepts exactly these, and `regsim schema` describes them to editors from
// the same tables, so the two cannot drift.
// Lever parameters, model parameters, indicators and city attributes have
// their own registries in model/.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace regsim::scenario::keys {

struct Key {
  std::string_view name;
  std::string_view description;
};

inline constexpr Key top[] = {
    {"scenario", "the scenario's name (required unless inherited through extends)"},
    {"description", "free text"},
    {"extends", "parent scenario, relative to this file: inherit it, then override"},
    {"horizon", "the reported period; the run always starts at 2013-01"},
    {"region",
     "seeds directory (cities.csv, initial.csv, mines.csv) relative to this file; default: the "
     "262 cities"},
    {"experiment", "replications, seed and sampling"},
    {"parameters",
     "model parameters (`regsim params`) by dotted name, flat or nested, within their ranges"},
    {"uncertainties", "parameters sampled per replication, each with one distribution"},
    {"prices", "a resource's price index month by month, from a CSV (month,index)"},
    {"demand", "a resource's national demand month by month, from a CSV (month,index)"},
    {"policies", "policies, applied in file order; a child's are appended to its parent's"},
    {"goals", "goals the runs are judged by"},
    {"outputs", "what the run file keeps"},
};

inline constexpr Key horizon[] = {
    {"start", "first reported month, YYYY-MM (default 2013-01)"},
    {"end", "last simulated month, YYYY-MM, at most 2060-12 (default 2035-12)"},
};

inline constexpr Key experiment[] = {
    {"replications",
     "replications (base samples for sobol, trajectories for morris; default 100), or auto: "
     "until experiment.precision is reached"},
    {"seed", "random seed (default 1)"},
    {"sampling", "how uncertainties are sampled (default monte_carlo)"},
    {"file", "the design CSV for sampling: design, relative to this file"},
    {"design",
     "a design CSV (e.g. regsim calibrate's nroy.csv) whose rows the replications take beside "
     "another sampling; ~ switches off an inherited one"},
    {"precision",
     "with replications: auto: add replications until each named goal's probability is "
     "precise; ~ switches off an inherited one"},
};

inline constexpr Key precision[] = {
    {"goals",
     "a goal's name or a list of them (default every goal): each one's 90 % Wilson interval of "
     "/goals/probability must be narrow enough"},
    {"half_width", "the largest half-width (high - low) / 2 of those intervals, 0.001 to 0.5"},
    {"batch", "replications added between two looks at the intervals (default 100)"},
    {"max_replications",
     "the cap (default: the count at which any probability's interval is narrow enough)"},
};

inline constexpr Key samplers[] = {
    {"monte_carlo", "independent draws"},
    {"latin_hypercube", "one run per equal-probability stratum of each marginal"},
    {"sobol", "Saltelli's design for first- and total-order indices: N (k + 2) runs"},
    {"morris", "elementary-effect trajectories on a 4-level grid: N (k + 1) runs"},
    {"factorial", "every combination of the choice levels, each repeated replications times"},
    {"design", "one run per row of experiment.file"},
};

/// In the order of Uncertainty::Distribution.
inline constexpr Key distributions[] = {
    {"uniform", "[a, b], a < b, within the parameter's range"},
    {"normal", "[mu, sd], sd > 0"},
    {"lognormal", "[mu, sigma] of the log, sigma > 0"},
    {"triangular", "[a, mode, b], a <= mode <= b, a < b, within the parameter's range"},
    {"choice", "[v1, v2, ...] equally likely levels, within the parameter's range"},
};
inline constexpr Key truncate{"truncate", "[lo, hi]: draws limited to this interval, lo < hi"};

inline constexpr Key index_path[] = {
    {"file", "CSV with the header month,index, one row a month from 2013-01 (index 2013-01 = 1)"},
};

inline constexpr Key policy[] = {
    {"name", "unique, also against the policies of extends"},
    {"lever", "a lever of `regsim levers`"},
    {"where", "the cities it acts on (default: all)"},
    {"when", "its window: from (default 2013-01) and to, the last month (inclusive)"},
    {"set", "the lever's parameters"},
    {"trigger", "act when an indicator crosses a threshold instead of at when.from"},
    {"source", "the plan clause or calibration section it encodes"},
};

inline constexpr Key window[] = {
    {"from", "first month, YYYY-MM, within the horizon"},
    {"to", "last month (inclusive), YYYY-MM, within the horizon"},
};

inline constexpr Key trigger[] = {
    {"indicator", "an indicator of `regsim indicators`, of each selected city"},
    {"above", "fires when the indicator is above this"},
    {"below", "fires when the indicator is below this"},
    {"for_months", "consecutive months the condition must hold (1 .. 600, default 1)"},
    {"rearm", "fire again each time the condition returns (default false)"},
};

/// `where:` criteria: model::criterion_keys (model/city_selector.hpp), the
/// grammar `regsim cities --where` reads too.
/// The criterion only a policy's `where:` takes.
inline constexpr Key selector_predicates{
    "indicators",
    "predicates on the cities' indicators, on the month before the policy acts (AND)"};

inline constexpr Key predicate[] = {
    {"above", "value > x"},
    {"below", "value < x"},
    {"between", "[lo, hi]: lo <= value <= hi"},
};

inline constexpr Key goal[] = {
    {"name", "the goal's name"},
    {"indicator", "an indicator of `regsim indicators`"},
    {"where", "the cities it is judged on (default: all)"},
    {"aggregation",
     "sum (a sum or ratio of sums; default), mean, every (each city), share_of_cities"},
    {"share", "with share_of_cities: the share of cities that must meet it (0 .. 1)"},
    {"at", "judged at this month, YYYY-MM"},
    {"by", "met at some month from horizon.start up to this one, YYYY-MM"},
    {"below", "met when the value is below this"},
    {"above", "met when the value is above this"},
    {"between", "[lo, hi]: met when lo <= value <= hi"},
    {"source", "the plan clause it encodes"},
};

inline constexpr Key outputs[] = {
    {"resolution", "monthly, quarterly or annual (default annual)"},
    {"variables", "indicators kept, or all (default)"},
    {"replicates", "per-replicate trajectories kept: all (default), none, or the first N"},
    {"aggregates", "aggregates by nation, category, province and resource (default true)"},
};

/// In the order of scenario::Resolution.
inline constexpr Key resolutions[] = {
    {"monthly", "every month"},
    {"quarterly", "the last month of each quarter"},
    {"annual", "December of each year"},
};

/// The names of a table, for "expected one of" and did-you-mean.
inline std::vector<std::string> names(std::span<const Key> table) {
  std::vector<std::string> out;
  for (const Key& k : table) out.emplace_back(k.name);
  return out;
}

}  // namespace regsim::scenario::keys
