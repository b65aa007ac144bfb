#include "experiment/stored_run.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "io/seeds_reader.hpp"
#include "scenario/diagnostics.hpp"

namespace regsim::experiment {

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

scenario::Scenario load_resolved(const std::string& yaml, const std::string& label) {
  // The resolved YAML has `extends` and --set applied and a resolved
  // region path, so it loads on its own from a scratch file, in a fresh
  // private folder (mkdtemp) removed on every path out.
  std::string pattern = (std::filesystem::temp_directory_path() / "regsim-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw io::IoError(fmt::format("cannot create a scratch folder: {}", std::strerror(errno)),
                      pattern, "");
  }
  const std::filesystem::path dir = pattern;
  const auto file = dir / (std::filesystem::path(label).stem().string() + ".resolved.yaml");
  try {
    {
      std::ofstream out(file);
      out << yaml;
    }
    auto s = scenario::load(file, {}, REGSIM_DEFAULT_SEEDS_DIR);
    std::filesystem::remove_all(dir);
    return s;
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
    throw;
  }
}

scenario::Scenario embedded_scenario(const io::H5File& f, const std::string& path) {
  return load_resolved(f.attribute<std::string>("/", "scenario_yaml"), path);
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

std::string recorded_inputs_differ(const StoredRun& run, std::size_t row, const Replication& rep) {
  const io::H5File& f = run.file;
  if (f.exists("/uncertainties/design_row")) {
    const auto stored = f.read<std::int64_t>("/uncertainties/design_row", {row}, {1}).front();
    if (stored != rep.design_row) {
      return fmt::format("design row {}, the file records {} (design file '{}')", rep.design_row,
                         stored,
                         f.attribute<std::string>("/uncertainties/design_row", "design_file"));
    }
  }
  if (!f.exists("/uncertainties/value")) return {};
  const auto shape = f.shape("/uncertainties/value");
  if (shape.size() != 2 || shape[1] != rep.uncertainty_values.size()) {
    return fmt::format("{} uncertainty values, the file records {}", rep.uncertainty_values.size(),
                       shape.size() == 2 ? shape[1] : 0);
  }
  const auto stored = f.read<double>("/uncertainties/value", {row, 0}, {1, shape[1]});
  const auto names = f.read<std::string>("/uncertainties/uncertainty");
  for (std::size_t i = 0; i < stored.size(); ++i) {
    if (stored[i] != rep.uncertainty_values[i]) {
      return fmt::format(
          "{} = {}, the file records {}{}", i < names.size() ? names[i] : "?",
          rep.uncertainty_values[i], stored[i],
          scenario::has_design(run.scenario)
              ? fmt::format(" (design file '{}' changed?)", run.scenario.design_file.string())
              : "");
    }
  }
  return {};
}

}  // namespace regsim::experiment
