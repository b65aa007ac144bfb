// What a lever is: a key, a parameter schema (name, unit, range, default,
// required) and a function that turns (selected cities, set values, window)
// into model actions. One file per lever in this folder; all are listed in
// registry.cpp. The scenario layer validates `set:` against the schema and
// scenarios/README.md's lever reference is generated from it.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/city_catalogue.hpp"
#include "model/city_model.hpp"

namespace regsim::model::levers {

/// One entry of a lever's `set:` schema. Values are numbers; a parameter
/// with `choices` takes one of those words instead (its value is the index).
struct LeverParam {
  std::string_view name;
  std::string_view unit;
  double min = 0.0;
  double max = 0.0;
  std::optional<double> default_value;  ///< std::nullopt: required
  std::string_view description;
  std::span<const std::string_view> choices = {};
  std::string_view after = {};  ///< a parameter this one must exceed (checked by the scenario)
  bool required() const { return !default_value.has_value(); }
};

/// A parameter's position in its lever's schema (see slot()).
struct Slot {
  std::size_t index = 0;
};

/// The slot of parameter `name` in `schema`, found while compiling: a lever
/// that reads a parameter its schema does not hold does not compile.
template <std::size_t N>
consteval Slot slot(const LeverParam (&schema)[N], std::string_view name) {
  for (std::size_t i = 0; i < N; ++i) {
    if (schema[i].name == name) return Slot{i};
  }
  throw "no parameter of this name in the lever's schema";  // not a constant: a compile error
}

/// The `set:` values of one policy by slot, complete: built from the
/// lever's schema with its defaults when the scenario is validated, then
/// given the values the scenario wrote (a required one is always given).
class LeverArgs {
 public:
  LeverArgs() = default;
  explicit LeverArgs(std::span<const LeverParam> schema) {
    for (const LeverParam& p : schema) values_.push_back(p.default_value.value_or(0.0));
  }
  void give(Slot s, double value) { values_.at(s.index) = value; }
  /// The value in slot s (slots come from slot() over the lever's own schema).
  double operator[](Slot s) const { return values_.at(s.index); }
  std::size_t size() const { return values_.size(); }

 private:
  std::vector<double> values_;
};

/// What a lever compiles: the selected cities, the window and the values.
struct LeverContext {
  const CityCatalogue& region;
  std::span<const std::uint32_t> cities;  ///< city indices
  double from_month = 0.0;                ///< months since 2013-01
  std::optional<double> to_month;         ///< end of the window (exclusive), if any
  std::uint32_t months = 0;               ///< simulation length
  bool triggered = false;                 ///< compile one effect per city, at from_month, no revert
  const LeverArgs& args;
  std::uint32_t first_ledger_slot = 0;  ///< the config's first free ledger slot (new_ledger_slot)
};

/// A lever's output: actions (in order) and, for price levers, price paths
/// (the last given wins) or price factors (multiplied with other levers'),
/// and for demand levers demand factors (multiplied likewise).
struct LeverOutput {
  std::vector<Action> actions;
  std::array<std::vector<double>, enum_count<Resource>> price_paths;
  std::array<std::vector<double>, enum_count<Resource>> price_factors;
  std::array<std::vector<double>, enum_count<Resource>> demand_factors;
  std::uint32_t ledger_slots = 0;  ///< ledger slots the actions use, from ctx.first_ledger_slot
};

using CompileFn = void (*)(const LeverContext&, LeverOutput&);

struct Lever {
  std::string_view key;
  std::string_view summary;
  std::string_view source;   ///< plan clause or calibration section it follows
  std::string_view example;  ///< a YAML policy using it (for the reference)
  std::span<const LeverParam> params;
  CompileFn compile = nullptr;
  bool triggerable = true;  ///< may carry a `trigger:`
  std::string_view notes;   ///< limits and approximations
};

/// Adds an action for city c at month `at` (helper for lever files).
inline void add_action(LeverOutput& out, double at, std::uint32_t c,
                       std::function<void(CityModel&, Scheduler&, std::uint32_t)> f) {
  out.actions.push_back(Action{at, c, std::move(f)});
}

/// The skeleton most levers share: in each selected city, `apply` at the
/// window's start and, when the window has an end and the policy is not
/// triggered, `revert` at that end (actions in city order, each city's
/// apply before its revert).
template <class Apply, class Revert>
void apply_then_revert(const LeverContext& ctx, LeverOutput& out, const Apply& apply,
                       const Revert& revert) {
  for (const std::uint32_t c : ctx.cities) {
    add_action(out, ctx.from_month, c, apply);
    if (ctx.to_month && !ctx.triggered) add_action(out, *ctx.to_month, c, revert);
  }
}

/// A ledger slot of its own for the lever's actions: what a start action
/// did, kept in the model (CityModel::ledger) for the end action, so a
/// compiled config holds no run state and several replications can share it.
inline std::uint32_t new_ledger_slot(const LeverContext& ctx, LeverOutput& out) {
  return ctx.first_ledger_slot + out.ledger_slots++;
}

/// Unemployed ex-miners of city c not yet in training (short + long term).
inline std::int64_t unemployed_ex_miners(const CityState& s, std::uint32_t c) {
  return s.pools[Pool::unemployed_short][c] + s.pools[Pool::unemployed_long][c];
}

/// Months at which a yearly lever acts: from_month, then every 12 months
/// before the window's end (or the simulation's end if the window is open);
/// only from_month when triggered.
std::vector<double> yearly_months(const LeverContext& ctx);

}  // namespace regsim::model::levers

/// Defines a lever (one per file): REGSIM_LEVER(training_seats){...};
/// registry.cpp lists it by the same key.
#define REGSIM_LEVER(key)                          \
  extern const ::regsim::model::levers::Lever key; \
  const ::regsim::model::levers::Lever key
