// One replication as every command computes it, and what the run file
// records of it. run, merge, verify, replay and the MPI driver compute
// replications through compute_replication() alone, so that they reproduce
// each other exactly.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "io/ensemble_writer.hpp"
#include "model/city_catalogue.hpp"
#include "model/simulation.hpp"
#include "scenario/scenario.hpp"

namespace regsim::experiment {

/// One replication as `regsim run` computes it.
struct Replication {
  model::ReplicationResult result;
  std::vector<double> uncertainty_values;   ///< in the order of scenario::sample_names()
  std::int64_t design_row = -1;             ///< scenario::design_row(), -1 without a design
  std::vector<scenario::GoalResult> goals;  ///< in the scenario's order
  scenario::GoalBreakdown goals_by_place;   ///< each goal within each group and city
  std::uint64_t digest = 0;                 ///< io::replicate_digest(result)
};

/// Runs replication `replicate` of `s` on the calling thread, from the
/// configuration compiled once for the scenario (scenario::compile).
Replication compute_replication(const scenario::Scenario& s, const model::CityCatalogue& region,
                                const model::ModelConfig& config, std::uint64_t replicate);

/// What the run file records of replication `replicate` of `s`, computed
/// as `result` (by compute_replication, or as a branch of a fork).
Replication record_replication(const scenario::Scenario& s, const model::CityCatalogue& region,
                               std::uint64_t replicate, model::ReplicationResult result);

/// The output the scenario asks for (resolution, variables, kept replicates).
io::OutputSpec output_spec(const scenario::Scenario& s);
std::vector<std::string> uncertainty_names(const scenario::Scenario& s);
std::vector<std::string> goal_names(const scenario::Scenario& s);
/// What the file records of the run: the scenario (as `yaml`), the code,
/// and the definitions of its goals, uncertainties and policies.
io::RunMetadata run_metadata(const scenario::Scenario& s, std::string yaml,
                             std::string command_line, std::uint64_t replications);
/// The record the writer takes for one computed replication, with what
/// io::ReportedValues computed of it (empty: the writer computes it).
io::ReplicateRecord replicate_record(std::uint64_t replicate, const Replication& r,
                                     std::vector<float> trajectories = {},
                                     std::vector<float> aggregates = {});

}  // namespace regsim::experiment
