// A run file: how `regsim run` computes and lays out each replication, and
// reading a finished file back (inspect, verify, replay, compare). run,
// verify and replay compute replications through compute_replication()
// alone, so that they reproduce each other exactly.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "io/ensemble_writer.hpp"
#include "io/h5_file.hpp"
#include "model/city_catalogue.hpp"
#include "model/simulation.hpp"
#include "scenario/scenario.hpp"

namespace regsim::cli {

/// One replication as `regsim run` computes it.
struct Replication {
  model::ReplicationResult result;
  std::vector<double> uncertainty_values;  ///< in the order of scenario::sample_names()
  std::int64_t design_row = -1;            ///< scenario::design_row(), -1 without a design
  std::vector<io::GoalRecord> goals;       ///< in the scenario's order
  scenario::GoalBreakdown goals_by_place;  ///< each goal within each group and city
  std::uint64_t digest = 0;                ///< io::replicate_digest(result)
};

/// Runs replication `replicate` of `s` on the calling thread.
Replication compute_replication(const scenario::Scenario& s, const model::CityCatalogue& region,
                                std::uint64_t replicate);

/// The output the scenario asks for (resolution, variables, kept replicates).
io::OutputSpec output_spec(const scenario::Scenario& s);
std::vector<std::string> uncertainty_names(const scenario::Scenario& s);
std::vector<std::string> goal_names(const scenario::Scenario& s);
/// What the file records of the run: the scenario (as `yaml`), the code,
/// and the definitions of its goals, uncertainties and policies.
io::RunMetadata run_metadata(const scenario::Scenario& s, std::string yaml,
                             std::string command_line, std::uint64_t replications);
/// The record the writer takes for one computed replication.
io::ReplicateRecord replicate_record(std::uint64_t replicate, const Replication& r,
                                     std::vector<float> aggregates = {});

/// Opens a finished regsim run; InputError (exit 2) for anything else:
/// missing, not HDF5, truncated, partial, or another program's file.
io::H5File open_run(const std::string& path);

/// The scenario embedded in a run file, loaded and validated as `run` did.
scenario::Scenario embedded_scenario(const io::H5File& f, const std::string& path);

/// A finished run file with what re-running its replications needs.
struct StoredRun {
  io::H5File file;
  scenario::Scenario scenario;
  model::CityCatalogue region;
  std::vector<std::int64_t> replicates;  ///< replication index of each row
  std::vector<std::uint64_t> digests;    ///< stored digest of each row
};

/// open_run() and embedded_scenario(), plus the region and the digests.
StoredRun open_stored_run(const std::string& path);

/// Whether a recomputed replication took the parameter values (and design
/// row) the file records for its row; if not, what differs, e.g. a design
/// file edited since the run. Empty when they agree or nothing is recorded.
std::string recorded_inputs_differ(const StoredRun& run, std::size_t row, const Replication& rep);

}  // namespace regsim::cli
