#include "experiment/stored_run.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "io/seeds_reader.hpp"
#include "scenario/diagnostics.hpp"

namespace regsim::experiment {

namespace {

[[noreturn]] void damaged(const std::string& path, const std::string& message) {
  // One line, as every report of a damaged file (README "Damaged files").
  throw scenario::InputError({scenario::file_problem(
      path, "damaged run file: " + message + " (run it again, or `regsim replay` a replicate)")});
}

// Every variable the readers index has the shape its dimensions say, so
// that no reader indexes past what a damaged or edited file holds.
void check_shapes(const io::H5File& f, const std::string& path) {
  const auto length = [&](const char* dimension) -> std::size_t {
    if (f.kind(dimension) != io::ObjectKind::variable) {
      damaged(path, fmt::format("no dimension {}", dimension));
    }
    const io::Extent s = f.shape(dimension);
    if (s.size() != 1) damaged(path, fmt::format("{} is not one-dimensional", dimension));
    return s[0];
  };
  const std::size_t replicates = length("/replicate"), cities = length("/city"),
                    times = length("/time"), groups = length("/group");
  const auto expect = [&](const std::string& variable, const io::Extent& shape) {
    if (!f.exists(variable)) return;
    const io::Extent s = f.shape(variable);
    if (s != shape) {
      damaged(path, fmt::format("{} has shape [{}], not [{}]", variable, fmt::join(s, ", "),
                                fmt::join(shape, ", ")));
    }
  };
  for (const char* v : {"/checksums/replicate", "/uncertainties/replicate", "/goals/replicate"}) {
    expect(v, {replicates});
  }
  expect("/checksums/digest", {replicates});
  expect("/uncertainties/design_row", {replicates});
  if (f.exists("/uncertainties/uncertainty")) {
    const std::size_t uncertainties = length("/uncertainties/uncertainty");
    expect("/uncertainties/value", {replicates, uncertainties});
    expect("/uncertainties/unit", {uncertainties});
    expect("/uncertainties/origin", {uncertainties});
  }
  for (const char* v : {"/city_name_zh", "/city_name_en", "/province_zh", "/province_en",
                        "/admin_level", "/category_2013", "/primary_resource", "/macro_region",
                        "/lat", "/lon", "/exhausted_batch"}) {
    expect(v, {cities});
  }
  for (const std::string& group : {std::string("/trajectories"), std::string("/aggregates"),
                                   std::string("/summary"), std::string("/summary_groups")}) {
    if (f.kind(group) != io::ObjectKind::group) continue;
    for (const std::string& name : f.members(group)) {
      const std::string v = group + "/" + name;
      const io::Extent s = f.shape(v);
      if (f.is_dimension(v)) {  // the group's copy of a coordinate
        if (name != "replicate") {
          expect(v, {length(("/" + name).c_str())});
        } else if (group != "/trajectories") {
          expect(v, {replicates});
        } else if (s.size() != 1 || s[0] > replicates) {
          damaged(path, fmt::format("{} has shape [{}], more rows than the file's {} replicates", v,
                                    fmt::join(s, ", "), replicates));
        }
        continue;
      }
      const std::size_t places =
          group.ends_with("groups") || group == "/aggregates" ? groups : cities;
      const std::size_t rows = group == "/trajectories" && !s.empty() ? s[0] : 0;
      if (group == "/trajectories" && rows > replicates) {
        damaged(path, fmt::format("{} has {} rows, the file {} replicates", v, rows, replicates));
      }
      const std::size_t first = group == "/trajectories" ? rows
                                : group == "/aggregates" ? replicates
                                                         : 6;
      expect(v, {first, places, times});
    }
  }
  if (f.exists("/events/event")) {
    const std::size_t events =
        f.shape("/events/replicate").empty() ? 0 : f.shape("/events/replicate")[0];
    for (const char* v : {"/events/month", "/events/city", "/events/kind", "/events/value"}) {
      expect(v, {events});
    }
  }
  if (f.exists("/policies/policy")) {
    const std::size_t policies = length("/policies/policy");
    for (const char* v :
         {"lever", "source", "from", "to", "where", "set", "trigger_indicator",
          "trigger_comparison", "trigger_threshold", "trigger_months", "trigger_rearm"}) {
      expect(fmt::format("/policies/{}", v), {policies});
    }
  }
  if (f.exists("/goals/goal")) {
    const std::size_t goals = length("/goals/goal");
    for (const char* v : {"/goals/met", "/goals/margin", "/goals/first_month_met"}) {
      expect(v, {replicates, goals});
    }
    expect("/goals/group", {groups});
    expect("/goals/city", {cities});
    expect("/goals/met_by_group", {replicates, goals, groups});
    expect("/goals/met_by_city", {replicates, goals, cities});
    for (const char* bound : {"", "_low", "_high"}) {
      expect(fmt::format("/goals/probability{}", bound), {goals});
      expect(fmt::format("/goals/probability{}_by_group", bound), {goals, groups});
      expect(fmt::format("/goals/probability{}_by_city", bound), {goals, cities});
    }
  }
}

}  // namespace

io::H5File open_run(const std::string& path) {
  io::H5File f = io::H5File::open(path);  // InputError if missing or not HDF5
  const bool complete =
      f.has_attribute("/", "complete") && f.attribute<std::int32_t>("/", "complete") == 1;
  if (!f.has_attribute("/", "regsim_version") || !complete || !f.exists("/summary_groups")) {
    throw scenario::InputError({scenario::file_problem(
        path,
        f.has_attribute("/", "regsim_version") ? "not a complete regsim run (partial file?)"
                                               : "not a regsim output file",
        "a file written by `regsim run`")});
  }
  check_shapes(f, path);
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
  model::ModelConfig config = scenario::compile(s, region);
  return StoredRun{std::move(f),      std::move(s),          std::move(region),
                   std::move(config), std::move(replicates), std::move(digests)};
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
