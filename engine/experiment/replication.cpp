#include "experiment/replication.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <limits>
#include <utility>

#include <fmt/format.h>

#include "des/random_stream.hpp"
#include "experiment/experiment.hpp"
#include "experiment/version.hpp"
#include "io/seeds_reader.hpp"
#include "model/groups.hpp"
#include "model/levers/registry.hpp"
#include "model/params.hpp"

namespace regsim::experiment {

Replication compute_replication(const scenario::Scenario& s, const model::CityCatalogue& region,
                                const model::ModelConfig& config, std::uint64_t replicate) {
  return record_replication(
      s, region, replicate,
      model::run_replication(region, config, scenario::replication_inputs(s, replicate)));
}

Replication record_replication(const scenario::Scenario& s, const model::CityCatalogue& region,
                               std::uint64_t replicate, model::ReplicationResult result) {
  Replication out;
  out.result = std::move(result);
  for (const auto& [name, value] : scenario::sample(s, replicate)) {
    out.uncertainty_values.push_back(value);
  }
  out.design_row = scenario::design_row(s, replicate);
  out.goals = scenario::evaluate_goals(s, region, out.result.trajectories);
  if (!s.goals.empty()) {
    out.goals_by_place = scenario::evaluate_goal_breakdown(s, region, model::make_groups(region),
                                                           out.result.trajectories);
  }
  out.digest = io::replicate_digest(out.result);
  return out;
}

io::OutputSpec output_spec(const scenario::Scenario& s) {
  io::OutputSpec spec;
  spec.resolution = s.outputs.resolution;
  spec.variables = s.outputs.variables;
  spec.keep_replicates = s.outputs.replicates;
  spec.first_month = scenario::month_index(s.horizon.start);
  spec.months = scenario::month_index(s.horizon.end) + 1;
  return spec;
}

std::vector<std::string> uncertainty_names(const scenario::Scenario& s) {
  return scenario::sample_names(s);
}

std::vector<std::string> goal_names(const scenario::Scenario& s) {
  std::vector<std::string> names;
  for (const auto& g : s.goals) names.push_back(g.name);
  return names;
}

namespace {

// A value as the scenario writes it: a choice parameter's word, else the number.
std::string written_value(const model::levers::Lever& lever, const scenario::LeverValue& v) {
  const auto& spec = lever.params[v.slot.index];
  const auto i = static_cast<std::size_t>(v.value);
  if (!spec.choices.empty() && i < spec.choices.size()) return std::string(spec.choices[i]);
  return fmt::format("{}", v.value);
}

io::PolicyDefinition policy_definition(const scenario::Policy& p) {
  io::PolicyDefinition d;
  d.name = p.name;
  d.lever = std::string(p.lever->key);
  d.source = p.source;
  d.from = scenario::to_string(p.from);
  d.to = p.to ? scenario::to_string(*p.to) : "";
  d.where = p.selector.to_where();
  for (const auto& v : p.set) {
    d.set += (d.set.empty() ? "" : ", ") + v.name + "=" + written_value(*p.lever, v);
  }
  if (p.trigger) {
    d.trigger_indicator = std::string(model::spec(p.trigger->indicator).name);
    d.trigger_comparison = p.trigger->above ? "above" : "below";
    d.trigger_threshold = p.trigger->threshold;
    d.trigger_months = static_cast<std::int32_t>(p.trigger->for_months);
    d.trigger_rearm = p.trigger->rearm;
  }
  return d;
}

}  // namespace

io::RunMetadata run_metadata(const scenario::Scenario& s, std::string yaml,
                             std::string command_line, std::uint64_t replications) {
  io::RunMetadata meta;
  meta.scenario_name = s.name;
  meta.scenario_yaml = std::move(yaml);
  meta.command_line = std::move(command_line);
  meta.version = version();
  meta.git_revision = git_revision();
  meta.seed = s.seed;
  meta.replications = replications;
  using G = scenario::Goal;
  for (const G& g : s.goals) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    io::GoalDefinition d;
    d.indicator = std::string(model::spec(g.indicator).name);
    d.unit = std::string(model::spec(g.indicator).unit);
    d.timing = g.by ? "by" : "at";
    d.date = scenario::to_string(g.date);
    d.comparison = scenario::to_string(g.comparison);
    d.threshold = g.threshold;
    d.upper = g.comparison == G::Comparison::between ? g.upper : nan;
    d.aggregation = scenario::to_string(g.aggregation);
    d.share = g.aggregation == G::Aggregation::share_of_cities ? g.share : nan;
    d.where = g.selector.to_where();
    d.source = g.source;
    meta.goals.push_back(std::move(d));
  }
  // Design columns first, then the sampled uncertainties (sample()'s order).
  const std::size_t from_design = scenario::has_design(s) ? s.design_columns.size() : 0;
  const std::vector<model::Param> params = scenario::sample_params(s);
  for (std::size_t i = 0; i < params.size(); ++i) {
    meta.uncertainty_units.emplace_back(model::spec(params[i]).unit);
    meta.uncertainty_from_design.push_back(i < from_design ? 1 : 0);
  }
  if (scenario::has_design(s)) {
    meta.design_file = std::filesystem::absolute(s.design_file).lexically_normal().string();
  }
  for (const auto& p : s.policies) meta.policies.push_back(policy_definition(p));
  return meta;
}

io::ReplicateRecord replicate_record(std::uint64_t replicate, const Replication& r,
                                     std::vector<float> trajectories,
                                     std::vector<float> aggregates) {
  return io::ReplicateRecord{replicate,
                             &r.result,
                             r.uncertainty_values,
                             r.goals,
                             r.digest,
                             std::move(trajectories),
                             std::move(aggregates),
                             r.goals_by_place.by_group,
                             r.goals_by_place.by_city,
                             r.design_row};
}

namespace {

// A digest of a file's bytes (0 if it cannot be read: the scenario loader
// has read it already, so that is a race the digest need not settle).
std::uint64_t file_digest(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::uint64_t h = 0x9e3779b97f4a7c15ull;
  char ch;
  while (in.get(ch)) h = des::mix64(h ^ static_cast<unsigned char>(ch));
  return h;
}

}  // namespace

Experiment prepare(scenario::Scenario s, std::string command_line) {
  Experiment e;
  e.region = io::read_region(s.region);
  scenario::check_against_region(s, e.region);
  e.config = scenario::compile(s, e.region);
  e.spec = output_spec(s);
  e.meta = run_metadata(s, s.resolved_yaml, std::move(command_line), scenario::run_count(s));
  if (scenario::has_design(s)) e.meta.design_digest = file_digest(s.design_file);
  e.uncertainties = uncertainty_names(s);
  e.goals = goal_names(s);
  e.scenario = std::move(s);
  return e;
}

}  // namespace regsim::experiment
