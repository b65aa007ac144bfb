// `regsim run SCENARIO.yaml`: replications in parallel (oneTBB), written in
// order into one HDF5 file by this thread. Replications are computed in
// blocks of a few per thread, so memory does not grow with their number.
// SIGINT/SIGTERM stop after the current block and leave OUT.h5.partial.
#include <atomic>
#include <chrono>
#include <csignal>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <unistd.h>

#include "cli/commands.hpp"
#include "cli/version.hpp"
#include "des/replications.hpp"
#include "io/ensemble_writer.hpp"
#include "io/seeds_reader.hpp"
#include "model/simulation.hpp"
#include "scenario/scenario.hpp"

namespace regsim::cli {

namespace {

std::atomic<int> stop_signal{0};
extern "C" void on_stop_signal(int sig) { stop_signal.store(sig); }

struct RunOptions {
  std::string scenario;
  std::string output;
  std::uint64_t replications = 0;
  std::uint64_t seed = 0;
  unsigned threads = 0;
  std::vector<std::string> set;
  bool force = false;
  bool resume = false;
  bool quiet = false;
  bool replications_given = false, seed_given = false;
};

// Progress on stderr: a bar redrawn in place on a terminal, a line every
// ~10 % (and at least every 30 s) otherwise.
class Progress {
 public:
  Progress(std::uint64_t total, std::uint64_t start, bool quiet)
      : total_(total), start_count_(start), quiet_(quiet), tty_(isatty(STDERR_FILENO) != 0) {}
  void update(std::uint64_t done) {
    if (quiet_) return;
    const double elapsed = seconds();
    const double rate = elapsed > 0 ? static_cast<double>(done - start_count_) / elapsed : 0.0;
    const double eta = rate > 0 ? static_cast<double>(total_ - done) / rate : 0.0;
    const double share = static_cast<double>(done) / static_cast<double>(total_);
    if (tty_) {
      const auto filled = static_cast<std::size_t>(share * 30.0);
      std::cerr << fmt::format("\r[{}{}] {}/{} replications  {:.1f}/s  ETA {:.0f} s ",
                               std::string(filled, '#'), std::string(30 - filled, '.'), done,
                               total_, rate, eta)
                << std::flush;
      if (done == total_) std::cerr << "\n";
    } else if (done == total_ || share >= next_share_ || elapsed - last_line_ >= 30.0) {
      std::cerr << fmt::format("regsim: {}/{} replications ({:.0f} %), {:.1f}/s, ETA {:.0f} s\n",
                               done, total_, share * 100.0, rate, eta);
      next_share_ = share + 0.1;
      last_line_ = elapsed;
    }
  }
  double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  std::uint64_t total_, start_count_;
  bool quiet_, tty_;
  double next_share_ = 0.1, last_line_ = 0.0;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

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

void run(const RunOptions& o, const std::string& command_line) {
  std::vector<std::string> overrides = o.set;
  if (o.replications_given)
    overrides.push_back(fmt::format("experiment.replications={}", o.replications));
  if (o.seed_given) overrides.push_back(fmt::format("experiment.seed={}", o.seed));
  const scenario::Scenario s = scenario::load(o.scenario, overrides, REGSIM_DEFAULT_SEEDS_DIR);
  const model::CityCatalogue region = io::read_region(s.region);
  scenario::check_against_region(s, region);

  const std::uint64_t runs = scenario::run_count(s);
  const std::string output = o.output.empty() ? s.name + ".h5" : o.output;
  std::vector<std::string> uncertainty_names, goal_names;
  for (const auto& u : s.uncertainties) uncertainty_names.push_back(u.name);
  for (const auto& g : s.goals) goal_names.push_back(g.name);
  io::RunMetadata meta{s.name,
                       s.resolved_yaml,
                       command_line,
                       std::string(version()),
                       std::string(git_revision()),
                       s.seed,
                       runs};
  io::EnsembleWriter writer = o.resume
                                  ? io::EnsembleWriter::resume(output, region, output_spec(s), meta,
                                                               uncertainty_names, goal_names)
                                  : io::EnsembleWriter(output, region, output_spec(s), meta,
                                                       uncertainty_names, goal_names, o.force);
  const std::uint64_t start = writer.replicates_written();
  if (o.resume && !o.quiet) {
    std::cerr << fmt::format("regsim: resuming {} at replication {} of {}\n",
                             writer.partial_path().string(), start, runs);
  }

  const unsigned threads = o.threads == 0 ? 1u : o.threads;
  const std::uint64_t block = std::max<std::uint64_t>(1, 4ull * threads);
  struct Slot {
    model::ReplicationResult result;
    std::vector<double> samples;
    std::vector<io::GoalRecord> goals;
    std::uint64_t digest = 0;
    std::vector<float> aggregates;
  };
  std::vector<Slot> slots(block);
  Progress progress(runs, start, o.quiet);
  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGTERM, on_stop_signal);
  for (std::uint64_t first = start; first < runs; first += block) {
    const std::uint64_t n = std::min(block, runs - first);
    des::for_each_replication(first, n, threads, [&](std::uint64_t r) {
      Slot& slot = slots[r - first];
      slot.result = model::run_replication(region, scenario::compile(s, region, r));
      slot.samples.clear();
      for (const auto& [name, value] : scenario::sample(s, r)) slot.samples.push_back(value);
      slot.goals.clear();
      for (const auto& g : scenario::evaluate_goals(s, region, slot.result.trajectories)) {
        slot.goals.push_back(io::GoalRecord{g.met, g.margin, g.first_month_met});
      }
      // The writer's own per-replicate work, done here in parallel.
      slot.digest = io::replicate_digest(slot.result);
      slot.aggregates = writer.aggregates(slot.result);
    });
    for (std::uint64_t k = 0; k < n; ++k) {
      writer.write(io::ReplicateRecord{first + k, &slots[k].result, slots[k].samples,
                                       slots[k].goals, slots[k].digest, slots[k].aggregates});
    }
    writer.flush();  // a run killed from here on can be resumed
    progress.update(first + n);
    if (const int sig = stop_signal.load(); sig != 0) {
      throw RuntimeFailure(
          fmt::format("stopped by signal {} after {} of {} replications; partial results in {}",
                      sig, writer.replicates_written(), runs, writer.partial_path().string()));
    }
  }
  writer.finish();
  if (!o.quiet) {
    std::cerr << fmt::format("regsim: wrote {} ({} replications of '{}', {:.1f} s)\n", output, runs,
                             s.name, progress.seconds());
  }
}

}  // namespace

void register_run(CLI::App& app, const std::string& command_line) {
  auto* cmd = app.add_subcommand("run", "Run a scenario's replications into one HDF5 file");
  auto o = std::make_shared<RunOptions>();
  cmd->add_option("scenario", o->scenario, "scenario YAML file")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("-o,--output", o->output, "output file (default: <scenario name>.h5)");
  cmd->add_option("-n,--replications", o->replications, "replications (overrides the scenario)")
      ->check(CLI::Range(1ull, 100000000ull));
  cmd->add_option("-j,--threads", o->threads, "worker threads (default 1)")
      ->check(CLI::Range(1u, 1024u));
  cmd->add_option("--seed", o->seed, "random seed (overrides the scenario)");
  cmd->add_option("--set", o->set, "override a scenario key: --set experiment.replications=4")
      ->allow_extra_args(false);
  cmd->add_flag("--force", o->force, "replace an existing output file");
  cmd->add_flag("--resume", o->resume,
                "continue OUT.h5.partial left by an interrupted run of the same scenario");
  cmd->add_flag("-q,--quiet", o->quiet, "no progress output");
  cmd->callback([o, cmd, command_line] {
    o->replications_given = cmd->count("--replications") > 0;
    o->seed_given = cmd->count("--seed") > 0;
    run(*o, command_line);
  });
}

}  // namespace regsim::cli
