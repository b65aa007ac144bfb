#include "cli/run_file.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <limits>

#include <fmt/format.h>
#include <unistd.h>

#include "cli/version.hpp"
#include "io/seeds_reader.hpp"
#include "model/groups.hpp"
#include "model/params.hpp"
#include "scenario/diagnostics.hpp"

namespace regsim::cli {

Replication compute_replication(const scenario::Scenario& s, const model::CityCatalogue& region,
                                std::uint64_t replicate) {
  Replication out;
  out.result = model::run_replication(region, scenario::compile(s, region, replicate));
  for (const auto& [name, value] : scenario::sample(s, replicate)) {
    out.uncertainty_values.push_back(value);
  }
  out.design_row = scenario::design_row(s, replicate);
  for (const auto& g : scenario::evaluate_goals(s, region, out.result.trajectories)) {
    out.goals.push_back(io::GoalRecord{g.met, g.margin, g.first_month_met});
  }
  if (!s.goals.empty()) {
    out.goals_by_place = scenario::evaluate_goal_breakdown(s, region, model::make_groups(region),
                                                           out.result.trajectories);
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
  return scenario::sample_names(s);
}

std::vector<std::string> goal_names(const scenario::Scenario& s) {
  std::vector<std::string> names;
  for (const auto& g : s.goals) names.push_back(g.name);
  return names;
}

io::RunMetadata run_metadata(const scenario::Scenario& s, std::string yaml,
                             std::string command_line, std::uint64_t replications) {
  io::RunMetadata meta;
  meta.scenario_name = s.name;
  meta.scenario_yaml = std::move(yaml);
  meta.command_line = std::move(command_line);
  meta.version = version();
  meta.git_revision = git_revision();
  meta.seed = s.seed;
  meta.replications = replications;
  using G = scenario::Goal;
  for (const G& g : s.goals) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    io::GoalDefinition d;
    d.indicator = g.indicator;
    d.unit = std::string(model::spec(g.id).unit);
    d.timing = g.by ? "by" : "at";
    d.date = scenario::to_string(g.date);
    d.comparison = scenario::to_string(g.comparison);
    d.threshold = g.threshold;
    d.upper = g.comparison == G::Comparison::between ? g.upper : nan;
    d.aggregation = scenario::to_string(g.aggregation);
    d.share = g.aggregation == G::Aggregation::share_of_cities ? g.share : nan;
    d.where = g.selector.to_where();
    d.source = g.source;
    meta.goals.push_back(std::move(d));
  }
  // Design columns first, then the sampled uncertainties (sample()'s order).
  for (const auto& name : scenario::sample_names(s)) {
    const auto p = model::find_param(name);
    meta.uncertainty_units.emplace_back(p ? model::param_specs[static_cast<std::size_t>(*p)].unit
                                          : std::string_view("1"));
    const bool from_design =
        std::find(s.design_columns.begin(), s.design_columns.end(), name) != s.design_columns.end();
    meta.uncertainty_from_design.push_back(scenario::has_design(s) && from_design ? 1 : 0);
  }
  if (scenario::has_design(s)) {
    meta.design_file = std::filesystem::absolute(s.design_file).lexically_normal().string();
  }
  for (const auto& p : s.policies) meta.policies.push_back({p.name, p.lever, p.source});
  return meta;
}

io::ReplicateRecord replicate_record(std::uint64_t replicate, const Replication& r,
                                     std::vector<float> aggregates) {
  return io::ReplicateRecord{replicate,
                             &r.result,
                             r.uncertainty_values,
                             r.goals,
                             r.digest,
                             std::move(aggregates),
                             r.goals_by_place.by_group,
                             r.goals_by_place.by_city,
                             r.design_row};
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

}  // namespace regsim::cli
