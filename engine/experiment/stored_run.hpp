// A finished run file read back (inspect, verify, replay, compare): opened
// only if complete, with the scenario embedded in it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "experiment/replication.hpp"
#include "io/h5_file.hpp"

namespace regsim::experiment {

/// Opens a finished regsim run; InputError (exit 2) for anything else:
/// missing, not HDF5, truncated, partial, or another program's file.
io::H5File open_run(const std::string& path);

/// A resolved scenario (the text a run file or journal block records),
/// loaded and validated as `run` did; `label` names it in errors.
scenario::Scenario load_resolved(const std::string& yaml, const std::string& label);

/// The scenario embedded in a run file, loaded and validated as `run` did.
scenario::Scenario embedded_scenario(const io::H5File& f, const std::string& path);

/// A finished run file with what re-running its replications needs.
struct StoredRun {
  io::H5File file;
  scenario::Scenario scenario;
  model::CityCatalogue region;
  model::ModelConfig config;             ///< scenario::compile(scenario, region)
  std::vector<std::int64_t> replicates;  ///< replication index of each row
  std::vector<std::uint64_t> digests;    ///< stored digest of each row
};

/// open_run() and embedded_scenario(), plus the region and the digests.
StoredRun open_stored_run(const std::string& path);

/// Whether a recomputed replication took the parameter values (and design
/// row) the file records for its row; if not, what differs, e.g. a design
/// file edited since the run. Empty when they agree or nothing is recorded.
std::string recorded_inputs_differ(const StoredRun& run, std::size_t row, const Replication& rep);

}  // namespace regsim::experiment
