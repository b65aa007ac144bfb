// `regsim replay OUT.h5 --replicate R [-o REPLAY.h5]`: re-runs replicate R
// from the scenario embedded in the file, whatever thread count made it,
// and checks it against the stored digest (exit 3 if it differs). With -o
// it writes that replication alone, in the layout of `regsim run` with its
// trajectories kept, at the run's resolution or the one asked for;
// without, it prints a summary. --events also lists its event log.
#include <algorithm>
#include <array>
#include <cstddef>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "experiment/replication.hpp"
#include "experiment/stored_run.hpp"
#include "experiment/version.hpp"
#include "io/ensemble_writer.hpp"
#include "model/groups.hpp"
#include "model/indicators.hpp"
#include "scenario/diagnostics.hpp"

namespace regsim::cli {

namespace {

struct ReplayOptions {
  std::string file;
  std::uint64_t replicate = 0;
  std::string output;
  std::string resolution;  ///< empty: the scenario's
  bool events = false;
  bool force = false;
};

constexpr const char* headline_indicators[] = {
    "unemployment_rate",   "unemployed_ex_miners", "miners_employed", "replacement_share",
    "resource_dependence", "restoration_rate",     "population"};

std::string year_month(double months_since_2013) {
  const auto m = static_cast<int>(months_since_2013);
  return fmt::format("{}-{:02}", 2013 + m / 12, m % 12 + 1);
}

// The row holding replicate r, or an InputError naming what the file holds.
std::size_t row_of(const experiment::StoredRun& run, const std::string& path, std::uint64_t r) {
  const auto at =
      std::find(run.replicates.begin(), run.replicates.end(), static_cast<std::int64_t>(r));
  if (at != run.replicates.end()) return static_cast<std::size_t>(at - run.replicates.begin());
  throw scenario::InputError({scenario::file_problem(
      path, fmt::format("no replicate {} in this file", r),
      run.replicates.size() == 1 ? fmt::format("--replicate {}", run.replicates.front())
                                 : fmt::format("--replicate from {} to {}", run.replicates.front(),
                                               run.replicates.back()))});
}

void write_replay(const ReplayOptions& o, const experiment::StoredRun& run,
                  const experiment::Replication& rep, const std::string& command_line) {
  const scenario::Scenario& s = run.scenario;
  io::OutputSpec spec = experiment::output_spec(s);
  using R = scenario::Resolution;
  if (o.resolution == "monthly") spec.resolution = R::monthly;
  if (o.resolution == "quarterly") spec.resolution = R::quarterly;
  if (o.resolution == "annual") spec.resolution = R::annual;
  spec.keep_replicates.reset();
  spec.first_replicate = o.replicate;
  const io::RunMetadata meta = experiment::run_metadata(
      s, run.file.attribute<std::string>("/", "scenario_yaml"), command_line, 1);
  io::EnsembleWriter writer(o.output, run.region, spec, meta, experiment::uncertainty_names(s),
                            experiment::goal_names(s), o.force);
  writer.write(experiment::replicate_record(o.replicate, rep));
  writer.finish();
  std::cout << fmt::format("wrote {}: replicate {}, {} time steps, {} events\n", o.output,
                           o.replicate, writer.time_months().size(), rep.result.events.size());
}

// Headline indicators at the last month for the nation and each 2013
// category, and the number of events of each kind.
void print_summary(const experiment::StoredRun& run, const experiment::Replication& rep) {
  const auto& t = rep.result.trajectories;
  const std::size_t last = t.months() - 1;
  std::vector<model::CityGroup> groups;
  for (auto& g : model::make_groups(run.region)) {
    if (g.kind == "nation" || g.kind == "category") groups.push_back(std::move(g));
  }
  std::cout << fmt::format("\nheadline indicators at {}\n  {:<22}",
                           year_month(static_cast<double>(last)), "");
  for (const auto& g : groups) {
    std::cout << fmt::format(" {:>13}", g.kind == "nation" ? "nation" : g.name);
  }
  std::cout << "\n";
  for (const char* name : headline_indicators) {
    const auto indicator = model::find_indicator(name);
    if (!indicator) continue;
    std::cout << fmt::format("  {:<22}", name);
    for (const auto& g : groups) {
      std::cout << fmt::format(" {:>13.5g}", t.aggregate(*indicator, g.cities, last));
    }
    std::cout << "\n";
  }
  std::array<std::size_t, io::event_kind_names.size()> counts{};
  for (const auto& e : rep.result.events) ++counts[static_cast<std::size_t>(e.kind)];
  std::cout << fmt::format("\nevents: {}\n", rep.result.events.size());
  for (std::size_t k = 0; k < counts.size(); ++k) {
    std::cout << fmt::format("  {:<22} {:>8}\n", io::event_kind_names[k], counts[k]);
  }
}

// The event log in time order (it is stored city by city).
void print_events(const experiment::StoredRun& run, const experiment::Replication& rep) {
  std::vector<model::LoggedEvent> events = rep.result.events;
  std::stable_sort(events.begin(), events.end(),
                   [](const auto& a, const auto& b) { return a.time_months < b.time_months; });
  std::cout << fmt::format("\n{:>9}  {:<7}  {:<28} {:<17} {}\n", "month", "date", "city", "kind",
                           "value");
  for (const auto& e : events) {
    std::cout << fmt::format("{:>9.3f}  {:<7}  {:<28} {:<17} {:g}\n", e.time_months,
                             year_month(e.time_months), run.region.cities[e.city].name_en,
                             io::event_kind_names[static_cast<std::size_t>(e.kind)], e.value);
  }
}

void replay(const ReplayOptions& o, const std::string& command_line) {
  const experiment::StoredRun run = experiment::open_stored_run(o.file);
  const std::size_t row = row_of(run, o.file, o.replicate);
  const experiment::Replication rep =
      experiment::compute_replication(run.scenario, run.region, run.config, o.replicate);
  if (const std::string inputs = experiment::recorded_inputs_differ(run, row, rep);
      !inputs.empty()) {
    throw Mismatch(
        fmt::format("replicate {} does not reproduce: its inputs differ from those {} records: {}",
                    o.replicate, o.file, inputs));
  }
  if (rep.digest != run.digests[row]) {
    throw Mismatch(fmt::format(
        "replicate {} does not reproduce: digest {:016x}, {} stores {:016x} (another regsim "
        "version or region data?)",
        o.replicate, rep.digest, o.file, run.digests[row]));
  }
  std::cout << fmt::format("{}: replicate {} reproduced exactly (digest {:016x})\n", o.file,
                           o.replicate, rep.digest);
  if (!o.output.empty()) {
    write_replay(o, run, rep, command_line);
  } else {
    print_summary(run, rep);
  }
  if (o.events) print_events(run, rep);
}

}  // namespace

void register_replay(CLI::App& app, const std::string& command_line) {
  auto* cmd = app.add_subcommand(
      "replay", "Reproduce one replication of a run file exactly, check it, optionally write it");
  auto o = std::make_shared<ReplayOptions>();
  cmd->add_option("file", o->file, "output of `regsim run`")->required();
  cmd->add_option("--replicate", o->replicate, "the replication index to reproduce")->required();
  auto* output = cmd->add_option("-o,--output", o->output,
                                 "write the replication to this file (default: print a summary)");
  cmd->add_option("--resolution", o->resolution, "time steps of the -o file (default: the run's)")
      ->check(CLI::IsMember({"monthly", "quarterly", "annual"}))
      ->needs(output);
  cmd->add_flag("--events", o->events, "also list the replication's event log");
  cmd->add_flag("--force", o->force, "replace an existing -o file")->needs(output);
  cmd->callback([o, command_line] { replay(*o, command_line); });
}

}  // namespace regsim::cli
