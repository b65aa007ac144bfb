// The attribution file: /attribution/... in the netCDF-4 layout of the run
// file (named dimensions as HDF5 dimension scales, units and long names),
// written as OUT.partial, flushed to disk and renamed, so a failed or
// interrupted write never leaves a file that looks complete. Layout in
// README.md ("Lever attribution").
#pragma once

#include <filesystem>

#include "analysis/attribution.hpp"
#include "experiment/experiment.hpp"

namespace regsim::analysis {

void write_attribution(const Attribution& a, const experiment::Experiment& e,
                       const std::filesystem::path& out);

}  // namespace regsim::analysis
