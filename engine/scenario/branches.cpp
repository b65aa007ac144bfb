// Scenarios that share a past: whether a run of each, from 2013, would
// simulate the same months before a fork month, so that the months can be
// simulated once and each scenario go on from there (model::run_branches).
#include <cstddef>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "model/simulation.hpp"
#include "scenario/scenario.hpp"

namespace regsim::scenario {

namespace {

// What a policy does, as the model sees it: the lever, its values, the
// cities, the window, the trigger and the predicates (not its name).
std::string policy_difference(const Policy& a, const Policy& b,
                              const model::CityCatalogue& region) {
  if (a.lever != b.lever) return "its lever";
  for (std::size_t i = 0; i < a.lever->params.size(); ++i) {
    const model::levers::Slot slot{i};
    if (a.args[slot] != b.args[slot]) {
      return fmt::format("its value of {}", a.lever->params[i].name);
    }
  }
  if (a.selector.select(region) != b.selector.select(region)) return "its cities";
  if (a.from != b.from || a.to != b.to) return "its window";
  const auto same_trigger = [](const PolicyTrigger& x, const PolicyTrigger& y) {
    return x.indicator == y.indicator && x.above == y.above && x.threshold == y.threshold &&
           x.for_months == y.for_months && x.rearm == y.rearm;
  };
  if (a.trigger.has_value() != b.trigger.has_value() ||
      (a.trigger && !same_trigger(*a.trigger, *b.trigger))) {
    return "its trigger";
  }
  const auto same_predicate = [](const IndicatorPredicate& x, const IndicatorPredicate& y) {
    return x.indicator == y.indicator && x.above == y.above && x.below == y.below &&
           x.between == y.between;
  };
  if (a.predicates.size() != b.predicates.size()) return "its indicator conditions";
  for (std::size_t i = 0; i < a.predicates.size(); ++i) {
    if (!same_predicate(a.predicates[i], b.predicates[i])) return "its indicator conditions";
  }
  return {};
}

// The first problem of `branch` against `history` (the first branch), or
// empty.
std::string history_difference(const Scenario& history, const Scenario& branch,
                               const model::ModelConfig& history_config,
                               const model::ModelConfig& branch_config,
                               const model::CityCatalogue& region, YearMonth fork) {
  const std::string other = history.name;
  if (branch.region != history.region) return fmt::format("its region differs from {}'s", other);
  if (branch.seed != history.seed) {
    return fmt::format("its seed {} differs from {}'s {}", branch.seed, other, history.seed);
  }
  if (run_count(branch) != run_count(history)) {
    return fmt::format("it runs {} replications, {} runs {}", run_count(branch), other,
                       run_count(history));
  }
  // The policies both list first, alike (an inherited list, say), keep
  // their places: the event log and the lever ledger number them. Every
  // policy after those starts at the fork or later.
  std::size_t shared = 0;
  std::string why;
  while (shared < history.policies.size() && shared < branch.policies.size()) {
    why = policy_difference(history.policies[shared], branch.policies[shared], region);
    if (!why.empty()) break;
    ++shared;
  }
  for (const Scenario* s : {&branch, &history}) {
    for (std::size_t i = shared; i < s->policies.size(); ++i) {
      const Policy& p = s->policies[i];
      if (p.from >= fork) continue;
      const bool paired = i < history.policies.size() && i < branch.policies.size();
      if (paired && i == shared) {
        return fmt::format("policy '{}' (policies[{}], from {}) differs from {}'s '{}' in {}",
                           branch.policies[i].name, i, to_string(branch.policies[i].from), other,
                           history.policies[i].name, why);
      }
      return fmt::format(
          "policy '{}' (policies[{}] of {}) starts in {}, before the fork, where the other has "
          "{}: policies acting before the fork must be the same and at the same places",
          p.name, i, s->name, to_string(p.from),
          paired ? fmt::format("'{}'", (s == &branch ? history : branch).policies[i].name)
                 : std::string("none"));
    }
  }
  // The same parameters in every replication, and the same market before the fork.
  const std::uint32_t fork_month = month_index(fork);
  for (std::uint64_t r = 0; r < run_count(history); ++r) {
    const auto a = replication_inputs(history, r), b = replication_inputs(branch, r);
    for (std::size_t p = 0; p < model::param_count; ++p) {
      const auto id = static_cast<model::Param>(p);
      if (a.params[id] != b.params[id]) {
        return fmt::format(
            "{} in replication {} is {}, in {} {}: branches share their "
            "parameters and uncertainties",
            model::spec(id).name, r, b.params[id], other, a.params[id]);
      }
    }
    if (const auto market =
            model::market_difference(history_config, branch_config, a.params, fork_month)) {
      return fmt::format(
          "{} differs from {}'s (replication {}), and the months before the fork "
          "read it",
          *market, other, r);
    }
  }
  return {};
}

}  // namespace

void check_shared_history(std::span<const Scenario* const> branches,
                          std::span<const model::ModelConfig* const> configs,
                          const model::CityCatalogue& region, YearMonth fork) {
  Diagnostics diags;
  for (const Scenario* s : branches) {
    if (fork <= simulation_start || fork > s->horizon.end) {
      diags.add(file_problem(
          s->file.string(),
          fmt::format("the fork month {} is outside its run ({} to {})", to_string(fork),
                      to_string(simulation_start), to_string(s->horizon.end)),
          fmt::format("a month after {} and no later than {}", to_string(simulation_start),
                      to_string(s->horizon.end))));
    }
  }
  diags.throw_if_any();
  for (std::size_t b = 1; b < branches.size(); ++b) {
    const std::string why =
        history_difference(*branches[0], *branches[b], *configs[0], *configs[b], region, fork);
    if (!why.empty()) {
      diags.add(
          file_problem(branches[b]->file.string(),
                       fmt::format("{} does not share {}'s past before {}: {}", branches[b]->name,
                                   branches[0]->name, to_string(fork), why),
                       "scenarios that simulate the same months before the fork"));
    }
  }
  diags.throw_if_any();
}

}  // namespace regsim::scenario
