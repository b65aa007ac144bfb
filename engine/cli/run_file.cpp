#include "cli/run_file.hpp"

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "scenario/diagnostics.hpp"

namespace regsim::cli {

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

}  // namespace regsim::cli
