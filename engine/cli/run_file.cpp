#include "cli/run_file.hpp"

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "io/seeds_reader.hpp"
#include "scenario/diagnostics.hpp"

namespace regsim::cli {

Replication compute_replication(const scenario::Scenario& s, const model::CityCatalogue& region,
                                std::uint64_t replicate) {
  Replication out;
  out.result = model::run_replication(region, scenario::compile(s, region, replicate));
  for (const auto& [name, value] : scenario::sample(s, replicate)) {
    out.uncertainty_values.push_back(value);
  }
  for (const auto& g : scenario::evaluate_goals(s, region, out.result.trajectories)) {
    out.goals.push_back(io::GoalRecord{g.met, g.margin, g.first_month_met});
  }
  out.digest = io::replicate_digest(out.result);
  return out;
}

io::OutputSpec output_spec(const scenario::Scenario& s) {
  io::OutputSpec spec;
  using R = scenario::Outputs::Resolution;
  spec.resolution = s.outputs.resolution == R::monthly     ? io::OutputSpec::Resolution::monthly
                    : s.outputs.resolution == R::quarterly ? io::OutputSpec::Resolution::quarterly
                                                           : io::OutputSpec::Resolution::annual;
  for (const auto& name : s.outputs.variables) {
    if (name == "all") {
      spec.variables.clear();
      break;
    }
    if (const auto i = model::find_indicator(name)) spec.variables.push_back(*i);
  }
  spec.keep_replicates = s.outputs.replicates;
  spec.first_month = scenario::month_index(s.horizon.start);
  spec.months = scenario::month_index(s.horizon.end) + 1;
  return spec;
}

std::vector<std::string> uncertainty_names(const scenario::Scenario& s) {
  std::vector<std::string> names;
  for (const auto& u : s.uncertainties) names.push_back(u.name);
  return names;
}

std::vector<std::string> goal_names(const scenario::Scenario& s) {
  std::vector<std::string> names;
  for (const auto& g : s.goals) names.push_back(g.name);
  return names;
}

io::H5File open_run(const std::string& path) {
  io::H5File f = io::H5File::open(path);  // InputError if missing or not HDF5
  const bool complete =
      f.has_attribute("/", "complete") && f.attribute<std::int32_t>("/", "complete") == 1;
  if (!f.has_attribute("/", "regsim_version") || !complete || !f.exists("/summary_groups")) {
    scenario::Diagnostic d;
    d.where.file = path;
    d.message = f.has_attribute("/", "regsim_version") ? "not a complete regsim run (partial file?)"
                                                       : "not a regsim output file";
    d.expected = "a file written by `regsim run`";
    throw scenario::InputError({d});
  }
  return f;
}

scenario::Scenario embedded_scenario(const io::H5File& f, const std::string& path) {
  // The resolved YAML has `extends` and --set applied and a resolved
  // region path, so it loads on its own from a scratch file.
  const auto dir =
      std::filesystem::temp_directory_path() / ("regsim-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto file = dir / (std::filesystem::path(path).stem().string() + ".resolved.yaml");
  {
    std::ofstream out(file);
    out << f.attribute<std::string>("/", "scenario_yaml");
  }
  try {
    auto s = scenario::load(file, {}, REGSIM_DEFAULT_SEEDS_DIR);
    std::filesystem::remove_all(dir);
    return s;
  } catch (...) {
    std::filesystem::remove_all(dir);
    throw;
  }
}

StoredRun open_stored_run(const std::string& path) {
  io::H5File f = open_run(path);
  auto replicates = f.read<std::int64_t>("/replicate");
  auto digests = f.read<std::uint64_t>("/checksums/digest");
  scenario::Scenario s = embedded_scenario(f, path);
  model::CityCatalogue region = io::read_region(s.region);
  scenario::check_against_region(s, region);
  return StoredRun{std::move(f), std::move(s), std::move(region), std::move(replicates),
                   std::move(digests)};
}

}  // namespace regsim::cli
