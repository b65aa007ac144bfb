// `regsim run SCENARIO.yaml`: replications in parallel (oneTBB), written
// block by block into the journal OUT.h5.parts/ and assembled into OUT.h5
// at the end (experiment/journal.hpp). SIGINT/SIGTERM stop once the
// replications under way are written; a run stopped or killed at any point
// is continued by the same command with --resume. `--shard K/N -o DIR`
// computes slice K of N into the journal folder DIR, for `regsim merge`.
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
#include "experiment/block_runner.hpp"
#include "experiment/journal.hpp"
#include "experiment/stored_run.hpp"
#include "scenario/diagnostics.hpp"
#include "scenario/scenario.hpp"

namespace regsim::cli {

namespace {

namespace fs = std::filesystem;
using experiment::Range;

std::atomic<int> stop_signal{0};
extern "C" void on_stop_signal(int sig) { stop_signal.store(sig); }

struct RunOptions {
  std::string scenario;
  std::string output;
  std::uint64_t replications = 0;
  std::uint64_t seed = 0;
  unsigned threads = 0;
  std::vector<std::string> set;
  std::string shard;  ///< "K/N", empty: the whole run
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
    if (quiet_ || total_ == 0) return;
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

[[noreturn]] void refuse(const std::string& file, const std::string& message,
                         const std::string& expected) {
  scenario::Diagnostic d;
  d.where.file = file;
  d.message = message;
  d.expected = expected;
  throw scenario::InputError({d});
}

// "K/N" with 1 <= K <= N.
std::pair<std::uint64_t, std::uint64_t> parse_shard(const std::string& text) {
  std::uint64_t k = 0, n = 0;
  char slash = 0, extra = 0;
  if (std::sscanf(text.c_str(), "%lu%c%lu%c", &k, &slash, &n, &extra) != 3 || slash != '/' ||
      k < 1 || n < 1 || k > n || text.find_first_not_of("0123456789/") != std::string::npos) {
    refuse("--shard", fmt::format("'{}' is not a shard", text), "K/N with 1 <= K <= N, e.g. 3/16");
  }
  return {k, n};
}

// The usable blocks of `folder` for this run: blocks of another run are
// refused (the user pointed at the wrong folder or changed the scenario);
// unfinished and damaged ones are removed, to be computed again.
std::vector<io::BlockHeader> usable_blocks(const experiment::Experiment& e, const fs::path& folder,
                                           bool quiet) {
  experiment::Journal j = experiment::read_journal({folder}, e.identity(), /*check_content=*/true);
  using Kind = experiment::JournalProblem::Kind;
  std::vector<scenario::Diagnostic> foreign;
  for (const auto& p : j.problems) {
    if (p.kind == Kind::foreign) {
      scenario::Diagnostic d;
      d.where.file = p.file.string();
      d.message = p.what;
      d.expected = fmt::format(
          "the blocks of this scenario, seed and regsim version only (another run's folder? "
          "move it away, or use --force to start over)");
      foreign.push_back(std::move(d));
      continue;
    }
    if (!quiet && p.kind == Kind::damaged) {
      std::cerr << fmt::format("regsim: {}: {}; computing it again\n", p.file.string(), p.what);
    }
    std::error_code ignored;
    fs::remove(p.file, ignored);
  }
  if (!foreign.empty()) throw scenario::InputError(std::move(foreign));
  return std::move(j.blocks);
}

void run(const RunOptions& o, const std::string& command_line) {
  std::vector<std::string> overrides = o.set;
  if (o.replications_given)
    overrides.push_back(fmt::format("experiment.replications={}", o.replications));
  if (o.seed_given) overrides.push_back(fmt::format("experiment.seed={}", o.seed));
  const experiment::Experiment e = experiment::prepare(
      scenario::load(o.scenario, overrides, REGSIM_DEFAULT_SEEDS_DIR), command_line);
  const std::uint64_t runs = e.replications();
  const bool sharded = !o.shard.empty();
  if (sharded && o.output.empty()) {
    refuse("--shard", "a shard needs -o DIR", "-o with the journal folder the shards share");
  }
  const fs::path output = o.output.empty() ? e.scenario.name + ".h5" : o.output;
  const fs::path folder = sharded ? output : experiment::parts_folder(output);
  Range wanted{0, runs};
  if (sharded) {
    const auto [k, n] = parse_shard(o.shard);
    wanted = experiment::shard_slice(k, n, runs);
  } else if (o.resume) {
    if (!fs::exists(folder)) {
      if (fs::exists(output)) {  // killed after the file was in place: nothing was lost
        (void)experiment::open_run(output.string());
        if (!o.quiet) std::cerr << fmt::format("regsim: {} is complete\n", output.string());
        return;
      }
      refuse(folder.string(), "nothing to resume: no journal folder",
             "the output of an interrupted `regsim run` of this scenario");
    }
  } else {
    if (fs::exists(output) && !o.force) {
      refuse(output.string(), "output file exists; not replacing it",
             "a new file name, or --force to replace it");
    }
    if (fs::exists(folder)) {
      if (!o.force) {
        refuse(folder.string(), "an interrupted run's journal is here",
               "--resume to continue it, or --force to start over");
      }
      fs::remove_all(folder);
    }
  }
  fs::create_directories(folder);

  std::vector<io::BlockHeader> blocks = usable_blocks(e, folder, o.quiet);
  const experiment::Coverage done = experiment::coverage(blocks, wanted);
  std::uint64_t written = wanted.count;
  for (const Range& r : done.missing) written -= r.count;
  if ((o.resume || sharded) && written > 0 && !o.quiet) {
    std::cerr << fmt::format("regsim: {} of {} replications already in {}\n", written,
                             wanted.count, folder.string());
  }

  const unsigned threads = o.threads == 0 ? 1u : o.threads;
  Progress progress(wanted.count, written, o.quiet);
  experiment::BlockRunOptions options;
  options.threads = threads;
  options.next_block = experiment::blocks_from(
      experiment::split(done.missing, experiment::block_size(runs, threads)));
  options.stop = [] { return stop_signal.load() != 0; };
  options.on_block_written = [&](const Range& r) { progress.update(written += r.count); };
  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGTERM, on_stop_signal);
  // Past a file-size limit the kernel would kill the run silently; ignored,
  // the write fails and the run stops with the error, its blocks kept.
  std::signal(SIGXFSZ, SIG_IGN);
  experiment::run_blocks(e, folder, options);
  if (const int sig = stop_signal.load(); sig != 0) {
    throw Stopped(sig, fmt::format("stopped by signal {} after {} of {} replications; the finished "
                                   "blocks are in {} (--resume continues)",
                                   sig, written, wanted.count, folder.string()));
  }
  if (sharded) {
    if (!o.quiet) {
      std::cerr << fmt::format("regsim: shard {}: replications {}..{} in {} ({:.1f} s)\n", o.shard,
                               wanted.first, wanted.end(), folder.string(), progress.seconds());
    }
    return;
  }
  // Every block is on disk: assemble the run file, then drop the journal.
  const experiment::Journal journal =
      experiment::read_journal({folder}, e.identity(), /*check_content=*/false);
  const experiment::Coverage all = experiment::coverage(journal.blocks, wanted);
  if (!all.missing.empty()) {
    throw RuntimeFailure(fmt::format("{}: replications {}.. are missing after the run",
                                     folder.string(), all.missing.front().first));
  }
  experiment::assemble(e, all.cover, output);
  fs::remove_all(folder);
  if (!o.quiet) {
    std::cerr << fmt::format("regsim: wrote {} ({} replications of '{}', {:.1f} s)\n",
                             output.string(), runs, e.scenario.name, progress.seconds());
  }
}

}  // namespace

void register_run(CLI::App& app, const std::string& command_line) {
  auto* cmd = app.add_subcommand("run", "Run a scenario's replications into one HDF5 file");
  auto o = std::make_shared<RunOptions>();
  cmd->add_option("scenario", o->scenario, "scenario YAML file")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("-o,--output", o->output,
                  "output file (default: <scenario name>.h5); with --shard, the journal folder");
  cmd->add_option("-n,--replications", o->replications, "replications (overrides the scenario)")
      ->check(CLI::Range(1ull, 100000000ull));
  cmd->add_option("-j,--threads", o->threads, "worker threads (default 1)")
      ->check(CLI::Range(1u, 1024u));
  cmd->add_option("--seed", o->seed, "random seed (overrides the scenario)");
  cmd->add_option("--set", o->set, "override a scenario key: --set experiment.replications=4")
      ->allow_extra_args(false);
  cmd->add_option("--shard", o->shard,
                  "compute slice K of N (contiguous) of the replications into the journal folder "
                  "-o DIR, for `regsim merge`; a shard keeps what DIR holds of it already");
  cmd->add_flag("--force", o->force, "replace an existing output file (and its journal)");
  cmd->add_flag("--resume", o->resume,
                "continue the journal OUT.h5.parts left by an interrupted run of the same scenario");
  cmd->add_flag("-q,--quiet", o->quiet, "no progress output");
  cmd->callback([o, cmd, command_line] {
    o->replications_given = cmd->count("--replications") > 0;
    o->seed_given = cmd->count("--seed") > 0;
    run(*o, command_line);
  });
}

}  // namespace regsim::cli
