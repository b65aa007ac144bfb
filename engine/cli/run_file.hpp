// Reading back a file written by `regsim run` (inspect, verify, compare).
#pragma once

#include <string>

#include "io/h5_file.hpp"
#include "scenario/scenario.hpp"

namespace regsim::cli {

/// Opens a finished regsim run; InputError (exit 2) for anything else:
/// missing, not HDF5, truncated, partial, or another program's file.
io::H5File open_run(const std::string& path);

/// The scenario embedded in a run file, loaded and validated as `run` did.
scenario::Scenario embedded_scenario(const io::H5File& f, const std::string& path);

}  // namespace regsim::cli
