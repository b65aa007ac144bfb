// An experiment ready to compute: the validated scenario, its region, the
// model configuration compiled from them, and how the run file describes
// it. Built once per command and shared, read-only, by every thread.
#pragma once

#include <string>
#include <vector>

#include "io/ensemble_writer.hpp"
#include "model/city_catalogue.hpp"
#include "scenario/scenario.hpp"

namespace regsim::experiment {

struct Experiment {
  scenario::Scenario scenario;
  model::CityCatalogue region;
  model::ModelConfig config;  ///< scenario::compile(scenario, region)
  io::OutputSpec spec;
  io::RunMetadata meta;
  std::vector<std::string> uncertainties, goals;

  std::uint64_t replications() const { return meta.replications; }
  io::RunIdentity identity() const { return io::identity_of(meta); }
};

/// Reads the scenario's region, checks the scenario against it and
/// describes the run (`command_line` is recorded in the file).
Experiment prepare(scenario::Scenario s, std::string command_line);

}  // namespace regsim::experiment
