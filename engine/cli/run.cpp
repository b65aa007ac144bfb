// `regsim run SCENARIO.yaml`: replications in parallel (oneTBB), written
// block by block into the journal OUT.h5.parts/ and assembled into OUT.h5
// at the end (experiment/journal.hpp). SIGINT/SIGTERM/SIGHUP/SIGQUIT stop once the
// replications under way are written; a run stopped or killed at any point
// is continued by the same command with --resume. `--shard K/N -o DIR`
// computes slice K of N into the journal folder DIR, for `regsim merge`.
// Started by mpirun (built with -DREGSIM_MPI=ON), the ranks share the
// blocks (experiment/mpi_ranks.hpp) and rank 0 assembles.
// `regsim run A.yaml B.yaml ... --fork-at YYYY-MM -o DIR`: scenarios that
// share their past before the fork month (scenario::check_shared_history)
// simulate it once per replication, then each goes on from there
// (model::run_branches); each branch has its own journal and run file,
// DIR/<scenario name>.h5, the bytes a run of it alone would write.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "experiment/block_runner.hpp"
#include "experiment/journal.hpp"
#include "experiment/precision.hpp"
#include "experiment/stored_run.hpp"
#include "scenario/diagnostics.hpp"
#if REGSIM_WITH_MPI
#include "experiment/mpi_ranks.hpp"
#endif
#include "scenario/scenario.hpp"

namespace regsim::cli {

namespace {

namespace fs = std::filesystem;
using experiment::Range;

std::atomic<int> stop_signal{0};
extern "C" void on_stop_signal(int sig) { stop_signal.store(sig); }

struct RunOptions {
  std::string scenario;
  std::vector<std::string> branches;  ///< every scenario given; several with --fork-at
  std::string fork_at;                ///< "YYYY-MM", empty: no fork
  std::string output;
  std::uint64_t replications = 0;
  std::uint64_t seed = 0;
  unsigned threads = 0;
  std::vector<std::string> set;
  std::string shard;        ///< "K/N", empty: the whole run
  std::uint64_t block = 0;  ///< replications per journal block, 0: block_size()
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
  /// A run that stopped short of its planned total on purpose (an auto
  /// run, precise before its cap): the bar ends full at `done`.
  void finish_at(std::uint64_t done) {
    total_ = done;
    next_share_ = 0.0;
    update(done);
  }

 private:
  std::uint64_t total_, start_count_;
  bool quiet_, tty_;
  double next_share_ = 0.1, last_line_ = 0.0;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

[[noreturn]] void refuse(const std::string& file, const std::string& message,
                         const std::string& expected) {
  throw scenario::InputError({scenario::file_problem(file, message, expected)});
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

// Replications per journal block: --block, else experiment::block_size.
std::uint64_t block_size_of(const RunOptions& o, std::uint64_t replications, unsigned threads) {
  return o.block > 0 ? o.block : experiment::block_size(replications, threads);
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
      foreign.push_back(scenario::file_problem(
          p.file.string(), p.what,
          "the blocks of this scenario, seed and regsim version only (another run's folder? "
          "move it away, or use --force to start over)"));
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

// What a run is to compute, decided on one process (rank 0 under MPI).
struct Plan {
  fs::path output, folder;
  Range wanted;                                   ///< all replications, or the shard's slice
  std::vector<Range> blocks;                      ///< still to compute
  std::vector<Range> missing;                     ///< the same, before splitting
  std::uint64_t done = 0;                         ///< of `wanted`, already in the journal
  bool complete = false;                          ///< --resume found the run file in place
  std::unique_ptr<experiment::JournalLock> lock;  ///< held until the run ends
};

// Where a run's files go: the same on every rank.
Plan paths(const RunOptions& o, const experiment::Experiment& e) {
  Plan p;
  const bool sharded = !o.shard.empty();
  if (sharded && o.output.empty()) {
    refuse("--shard", "a shard needs -o DIR", "-o with the journal folder the shards share");
  }
  // The default output is in the working folder, whatever the name holds.
  p.output = o.output.empty() ? fs::path(fs::path(e.scenario.name).filename().string() + ".h5")
                              : fs::path(o.output);
  p.folder = sharded ? p.output : experiment::parts_folder(p.output);
  p.wanted = Range{0, e.replications()};
  if (sharded) {
    const auto [k, n] = parse_shard(o.shard);
    p.wanted = experiment::shard_slice(k, n, e.replications());
  }
  return p;
}

// Refuses a run the disk cannot hold, before anything is computed,
// rather than failing with a full disk after hours.
void check_free_space(const experiment::Experiment& e, const Plan& p, bool assemble) {
  const experiment::DiskNeed need = experiment::disk_need(e, p.wanted.count - p.done, assemble);
  std::error_code ec;
  const fs::space_info space = fs::space(p.folder, ec);
  if (ec || need.journal + need.run_file <= space.available) return;
  const auto gb = [](std::uintmax_t bytes) {
    return fmt::format("{:.1f} GB", static_cast<double>(bytes) / 1e9);
  };
  refuse(p.output.string(),
         fmt::format(
             "not enough disk space: the run needs about {} ({} for the journal of the "
             "{} replications to compute, up to {} for the run file), and {} has {} free",
             gb(need.journal + need.run_file), gb(need.journal), p.wanted.count - p.done,
             gb(need.run_file),
             p.folder.parent_path().empty() ? std::string(".") : p.folder.parent_path().string(),
             gb(space.available)),
         "fewer replications, fewer trajectories kept (outputs.replicates), or another folder");
}

// The blocks still to compute, after the checks and clean-up the flags
// ask for (on one process: rank 0 under MPI).
Plan plan(const RunOptions& o, const experiment::Experiment& e) {
  Plan p = paths(o, e);
  // Checked before anything is computed, not found out after the run.
  const fs::path parent = p.folder.parent_path().empty() ? "." : p.folder.parent_path();
  if (!fs::is_directory(parent)) {
    refuse(p.folder.string(), fmt::format("no folder '{}' to write into", parent.string()),
           "-o in an existing folder");
  }
  if (fs::exists(p.output) && !fs::is_regular_file(p.output) && o.shard.empty()) {
    refuse(p.output.string(), "not a regular file; not replacing it (even with --force)",
           "-o naming a file");
  }
  const bool folder_existed = fs::exists(p.folder);
  using Lock = experiment::JournalLock;
  if (!o.shard.empty()) {
    // A shard keeps what its folder holds of it already; the shards of an
    // array share the folder.
    fs::create_directories(p.folder);
    p.lock = std::make_unique<Lock>(p.folder, Lock::Mode::shared);
  } else if (o.resume) {
    if (!fs::exists(p.folder)) {
      if (fs::exists(p.output)) {  // killed after the file was in place: nothing was lost
        (void)experiment::open_run(p.output.string());
        p.complete = true;
        return p;
      }
      // Killed before its first block, or never run: all of it is to do.
      if (!o.quiet) {
        std::cerr << fmt::format("regsim: nothing to resume in {}; starting the run\n",
                                 p.folder.string());
      }
    }
    fs::create_directories(p.folder);
    p.lock = std::make_unique<Lock>(p.folder, Lock::Mode::exclusive);
  } else {
    if (fs::exists(p.output) && !o.force) {
      refuse(p.output.string(), "output file exists; not replacing it",
             "a new file name, or --force to replace it");
    }
    const bool existed = fs::exists(p.folder);
    if (existed && !o.force) {
      refuse(p.folder.string(), "an interrupted run's journal is here",
             "--resume to continue it, or --force to start over");
    }
    fs::create_directories(p.folder);
    p.lock = std::make_unique<Lock>(p.folder, Lock::Mode::exclusive);
    // --force: start over in the folder held, so no other run loses it.
    if (existed) {
      for (const auto& entry : fs::directory_iterator(p.folder)) fs::remove_all(entry.path());
    }
  }
  const experiment::Coverage found =
      experiment::coverage(usable_blocks(e, p.folder, o.quiet), p.wanted);
  p.done = p.wanted.count;
  for (const Range& r : found.missing) p.done -= r.count;
  p.missing = found.missing;
  try {
    check_free_space(e, p, o.shard.empty());
  } catch (const scenario::InputError&) {
    if (!folder_existed) fs::remove_all(p.folder);  // a refused run leaves nothing behind
    throw;
  }
  const unsigned threads = o.threads == 0 ? 1u : o.threads;
  p.blocks = experiment::split(found.missing, block_size_of(o, e.replications(), threads));
  return p;
}

// Refuses to go on when the journal lacks replications the run computed.
void require_covered(const Plan& p, const experiment::Coverage& c) {
  if (!c.missing.empty()) {
    throw RuntimeFailure(fmt::format("{}: replications {}.. are missing after the run",
                                     p.folder.string(), c.missing.front().first));
  }
}

// Every block is on disk: assembles the run file, then drops the journal.
void assemble(const experiment::Experiment& e, const Plan& p, unsigned threads,
              const std::optional<io::StoppingRecord>& stopping = std::nullopt) {
  const experiment::Journal journal =
      experiment::read_journal({p.folder}, e.identity(), /*check_content=*/false);
  const experiment::Coverage all = experiment::coverage(journal.blocks, p.wanted);
  require_covered(p, all);
  experiment::assemble(e, all.cover, p.output, threads, stopping);
  fs::remove_all(p.folder);
}

// Replications until precise: the blocks up to the next checkpoint, then a
// look at the goals of replicates 0..n-1, until the verdict is to stop
// (experiment/precision.hpp). A resumed run takes the blocks it finds and
// judges them at the same checkpoints, so it ends where an uninterrupted
// run ends. Empty if a signal stopped the run.
std::optional<io::StoppingRecord> run_until_precise(const RunOptions& o,
                                                    const experiment::Experiment& e, Plan& p,
                                                    experiment::BlockRunOptions& options,
                                                    bool quiet) {
  const scenario::Scenario& s = e.scenario;
  const std::uint64_t size = block_size_of(o, e.replications(), options.threads);
  std::vector<std::uint64_t> met(e.goals.size(), 0);
  std::uint64_t n = 0;
  for (;;) {
    const std::uint64_t next = experiment::next_checkpoint(n, *s.precision);
    std::vector<Range> round;  // blocks never straddle a checkpoint
    for (const Range& r : p.missing) {
      const std::uint64_t lo = std::max(r.first, n), hi = std::min(r.end(), next);
      if (lo < hi) round.push_back(Range{lo, hi - lo});
    }
    if (!round.empty()) {
      options.next_block = experiment::blocks_from(experiment::split(round, size));
      experiment::run_blocks(e, p.folder, options);
    }
    if (stop_signal.load() != 0) return std::nullopt;
    const experiment::Coverage c = experiment::coverage(
        experiment::read_journal({p.folder}, e.identity(), /*check_content=*/false).blocks,
        Range{n, next - n});
    require_covered(p, c);
    experiment::count_goals_met(c.cover, n, next, met);
    n = next;
    const experiment::PrecisionVerdict v = experiment::judge(s, met, n);
    if (!quiet) {
      std::cerr << fmt::format(
          "regsim: {} replications: widest 90 % half-width {:.4f} ('{}'), asked {}; {}\n", n,
          v.widest, v.widest_goal, s.precision->half_width,
          v.precise ? "precise" : (v.stop ? "cap reached" : "continuing"));
    }
    if (v.stop) {
      p.wanted = Range{0, n};
      return experiment::stopping_record(s, v);
    }
  }
}

#if REGSIM_WITH_MPI
// The blocks computed by every rank, then assembled by rank 0. Every rank
// reaches the last broadcast, whatever failed where, so that none waits
// for another forever; a rank other than 0 ends with rank 0's verdict.
void run_on_ranks(const experiment::mpi::Session& session, const RunOptions& o,
                  const experiment::Experiment& e, Plan& p,
                  const experiment::BlockRunOptions& options) {
  const bool root = session.rank() == 0;
  int code = 0;
  std::string failure;
  std::exception_ptr error;
  try {
    const auto outcome =
        experiment::mpi::run_ranks(session, e, p.folder, std::move(p.blocks), options);
    if (root && outcome.failed_ranks > 0) {
      code = exit_runtime_failure;
      failure = fmt::format("{} rank(s) failed; the finished blocks are in {} (--resume continues)",
                            outcome.failed_ranks, p.folder.string());
    } else if (root && stop_signal.load() == 0 && o.shard.empty()) {
      assemble(e, p, options.threads);
    }
  } catch (...) {
    error = std::current_exception();
    code = exit_runtime_failure;
  }
  code = session.broadcast(code);  // rank 0's verdict
  if (!root) {
    if (code == 0 && stop_signal.load() != 0) code = 128 + stop_signal.load();
    if (code != 0) throw Silent(code);
    return;
  }
  if (error) std::rethrow_exception(error);
  if (code != 0) throw RuntimeFailure(failure);
}
#endif

// The ranges in any of the lists, merged, in order.
std::vector<Range> merged(std::vector<Range> ranges) {
  std::sort(ranges.begin(), ranges.end(),
            [](const Range& a, const Range& b) { return a.first < b.first; });
  std::vector<Range> out;
  for (const Range& r : ranges) {
    if (r.count == 0) continue;
    if (!out.empty() && r.first <= out.back().end()) {
      out.back().count = std::max(out.back().end(), r.end()) - out.back().first;
    } else {
      out.push_back(r);
    }
  }
  return out;
}

// Overrides of the command line, the same for every scenario it names.
std::vector<std::string> overrides_of(const RunOptions& o) {
  std::vector<std::string> overrides = o.set;
  if (o.replications_given)
    overrides.push_back(fmt::format("experiment.replications={}", o.replications));
  if (o.seed_given) overrides.push_back(fmt::format("experiment.seed={}", o.seed));
  return overrides;
}

// Installs the handlers that stop a run between replications.
void catch_stop_signals() {
  // A closed terminal (SIGHUP) and Ctrl-\ (SIGQUIT) stop a run as SIGTERM
  // does: the blocks written are kept for --resume, instead of a core dump.
  for (const int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) std::signal(sig, on_stop_signal);
  // Past a file-size limit the kernel would kill the run silently; ignored,
  // the write fails and the run stops with the error, its blocks kept.
  std::signal(SIGXFSZ, SIG_IGN);
}

// Branches of a shared past: see the head of this file.
void run_forked(const RunOptions& o, const std::string& command_line) {
#if REGSIM_WITH_MPI
  if (experiment::mpi::launched()) {
    experiment::mpi::Session session;
    if (session.rank() != 0) throw Silent(exit_invalid_input);
    refuse("mpirun", "branches forked at a month run on one process, not under mpirun",
           "regsim run without mpirun (-j for threads)");
  }
#endif
  if (!o.shard.empty()) {
    refuse("--shard", "branches forked at a month run on one process, not in shards",
           "regsim run without --shard");
  }
  if (o.branches.size() < 2) {
    refuse("--fork-at", "one scenario: nothing to fork",
           "two or more scenarios that share their past before the fork month");
  }
  const auto fork = scenario::parse_month(o.fork_at);
  if (!fork) {
    refuse("--fork-at", fmt::format("'{}' is not a month", o.fork_at), "YYYY-MM, e.g. 2021-01");
  }
  std::vector<experiment::Experiment> es;
  es.reserve(o.branches.size());  // Branch points into it
  for (const std::string& file : o.branches) {
    es.push_back(experiment::prepare(
        scenario::load(file, overrides_of(o), REGSIM_DEFAULT_SEEDS_DIR), command_line));
    const auto& s = es.back().scenario;
    if (s.precision) {
      refuse(file, "a run with replications: auto cannot be a branch of a fork",
             "a fixed count (-n N, or replications: N)");
    }
    for (std::size_t b = 0; b + 1 < es.size(); ++b) {
      if (fs::path(es[b].scenario.name).filename() == fs::path(s.name).filename()) {
        refuse(file,
               fmt::format("a second branch named '{}': both would write {}.h5", s.name,
                           fs::path(s.name).filename().string()),
               "branches with different scenario names");
      }
    }
  }
  std::vector<const scenario::Scenario*> scenarios;
  std::vector<const model::ModelConfig*> configs;
  for (const auto& e : es) {
    scenarios.push_back(&e.scenario);
    configs.push_back(&e.config);
  }
  scenario::check_shared_history(scenarios, configs, es.front().region, *fork);
  const fs::path dir = o.output.empty() ? fs::path(".") : fs::path(o.output);
  if (!fs::is_directory(dir)) {
    refuse(dir.string(), "not a folder: with --fork-at, -o names the folder of the branches' files",
           "-o with an existing folder");
  }

  // One plan per branch; a refusal leaves no journal behind that this run made.
  std::vector<Plan> plans;
  std::vector<bool> new_folder;
  try {
    for (const auto& e : es) {
      RunOptions branch = o;
      const std::string file = fs::path(e.scenario.name).filename().string() + ".h5";
      branch.output = o.output.empty() ? file : (dir / file).string();
      new_folder.push_back(!fs::exists(experiment::parts_folder(branch.output)));
      plans.push_back(plan(branch, e));
    }
  } catch (const scenario::InputError&) {
    for (std::size_t b = 0; b < plans.size(); ++b) {
      if (new_folder[b] && !plans[b].complete) fs::remove_all(plans[b].folder);
    }
    throw;
  }
  std::vector<experiment::Branch> branches;
  std::vector<Range> missing;
  for (std::size_t b = 0; b < es.size(); ++b) {
    const Plan& p = plans[b];
    branches.push_back(
        experiment::Branch{&es[b], p.folder, p.complete ? std::vector<Range>{} : p.missing});
    if (!p.complete) missing.insert(missing.end(), p.missing.begin(), p.missing.end());
  }
  missing = merged(std::move(missing));
  std::uint64_t to_do = 0;
  for (const Range& r : missing) to_do += r.count;
  const std::uint64_t total = es.front().replications();
  if (o.resume && total > to_do && !o.quiet) {
    std::cerr << fmt::format("regsim: {} of {} replications already in every branch's journal\n",
                             total - to_do, total);
  }

  Progress progress(total, total - to_do, o.quiet);
  std::uint64_t written = total - to_do;
  experiment::BlockRunOptions options;
  options.threads = o.threads == 0 ? 1u : o.threads;
  options.stop = [] { return stop_signal.load() != 0; };
  options.on_block_written = [&](const Range& r) { progress.update(written += r.count); };
  options.next_block =
      experiment::blocks_from(experiment::split(missing, block_size_of(o, total, options.threads)));
  catch_stop_signals();
  experiment::run_branch_blocks(branches, scenario::month_index(*fork), options);
  if (const int sig = stop_signal.load(); sig != 0) {
    throw Stopped(sig, fmt::format("stopped by signal {} after {} of {} replications; the finished "
                                   "blocks are in the branches' journals in {} (--resume "
                                   "continues)",
                                   sig, written, total, dir.string()));
  }
  std::vector<std::string> files;
  for (std::size_t b = 0; b < es.size(); ++b) {
    if (!plans[b].complete) assemble(es[b], plans[b], options.threads);
    files.push_back(plans[b].output.string());
  }
  if (!o.quiet) {
    std::cerr << fmt::format(
        "regsim: wrote {} ({} replications of {} branches forked at {}, "
        "{:.1f} s)\n",
        fmt::join(files, ", "), total, es.size(), o.fork_at, progress.seconds());
  }
}

void run(const RunOptions& o, const std::string& command_line) {
  if (!o.fork_at.empty()) return run_forked(o, command_line);
  if (o.branches.size() > 1) {
    refuse(o.branches[1], "a second scenario without --fork-at",
           "one scenario, or several that share their past with --fork-at YYYY-MM");
  }
#if REGSIM_WITH_MPI
  std::optional<experiment::mpi::Session> session;
  if (experiment::mpi::launched()) session.emplace();
  const bool root = !session || session->rank() == 0;
#else
  const bool root = true;
#endif
  const bool quiet = o.quiet || !root;
  const std::vector<std::string> overrides = overrides_of(o);
  // Every rank loads the scenario; bad input fails on each alike, and only
  // rank 0 says so.
  std::optional<experiment::Experiment> loaded;
  try {
    loaded.emplace(experiment::prepare(
        scenario::load(o.scenario, overrides, REGSIM_DEFAULT_SEEDS_DIR), command_line));
  } catch (const scenario::InputError&) {
    if (!root) throw Silent(exit_invalid_input);
    throw;
  }
  const experiment::Experiment& e = *loaded;
  if (e.scenario.precision) {
    // Shards and ranks compute slices decided in advance; an auto run
    // decides its count as it goes, on one process.
    if (!o.shard.empty()) {
      refuse("--shard", "a run with replications: auto cannot be split into shards",
             "a fixed count for shards (-n N, or replications: N)");
    }
#if REGSIM_WITH_MPI
    if (session) {
      if (!root) throw Silent(exit_invalid_input);
      refuse("mpirun", "a run with replications: auto runs on one process, not under mpirun",
             "regsim run without mpirun (-j for threads), or a fixed count (-n N)");
    }
#endif
  }
  Plan p = paths(o, e);
  try {
    if (root) p = plan(o, e);
  } catch (const scenario::InputError&) {
#if REGSIM_WITH_MPI
    if (session) session->broadcast(exit_invalid_input);  // the other ranks end quietly
#endif
    throw;
  }
#if REGSIM_WITH_MPI
  if (session) {
    const int go = session->broadcast(p.complete ? -1 : 0);
    if (!root && go != 0) throw Silent(go < 0 ? exit_ok : go);
  }
#endif
  if (p.complete) {
    if (!quiet) std::cerr << fmt::format("regsim: {} is complete\n", p.output.string());
    return;
  }
  if (root && (o.resume || !o.shard.empty()) && p.done > 0 && !quiet) {
    std::cerr << fmt::format("regsim: {} of {} replications already in {}\n", p.done,
                             p.wanted.count, p.folder.string());
  }

  Progress progress(p.wanted.count, p.done, quiet);
  std::uint64_t written = p.done;
  experiment::BlockRunOptions options;
  options.threads = o.threads == 0 ? 1u : o.threads;
  options.stop = [] { return stop_signal.load() != 0; };
  options.on_block_written = [&](const Range& r) { progress.update(written += r.count); };
  std::optional<io::StoppingRecord> stopping;  // an auto run's verdict
  catch_stop_signals();
#if REGSIM_WITH_MPI
  if (session) {
    run_on_ranks(*session, o, e, p, options);
    if (!root) return;
  } else
#endif
  {
    if (e.scenario.precision) {
      stopping = run_until_precise(o, e, p, options, quiet);
      if (stopping) progress.finish_at(p.wanted.count);
    } else {
      options.next_block = experiment::blocks_from(std::move(p.blocks));
      experiment::run_blocks(e, p.folder, options);
    }
  }
  if (const int sig = stop_signal.load(); sig != 0) {
    throw Stopped(sig, fmt::format("stopped by signal {} after {} of {} replications; the finished "
                                   "blocks are in {} (--resume continues)",
                                   sig, written, p.wanted.count, p.folder.string()));
  }
  if (!o.shard.empty()) {
    if (!quiet) {
      std::cerr << fmt::format("regsim: shard {}: replications {}..{} in {} ({:.1f} s)\n", o.shard,
                               p.wanted.first, p.wanted.end(), p.folder.string(),
                               progress.seconds());
    }
    return;
  }
#if REGSIM_WITH_MPI
  if (!session)
#endif
    assemble(e, p, options.threads, stopping);
  if (!quiet) {
    std::cerr << fmt::format("regsim: wrote {} ({} replications of '{}', {:.1f} s{})\n",
                             p.output.string(), p.wanted.count, e.scenario.name, progress.seconds(),
                             stopping ? ", " + stopping->reason : std::string());
  }
}

}  // namespace

void register_run(CLI::App& app, const std::string& command_line) {
  auto* cmd = app.add_subcommand("run", "Run a scenario's replications into one HDF5 file");
  auto o = std::make_shared<RunOptions>();
  cmd->add_option("scenario", o->branches,
                  "scenario YAML file (several with --fork-at: the branches)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("-o,--output", o->output,
                  "output file (default: <scenario name>.h5); with --shard, the journal folder; "
                  "with --fork-at, the folder of the branches' files");
  cmd->add_option("--fork-at", o->fork_at,
                  "YYYY-MM: the scenarios share their past before this month; simulate it once "
                  "per replication and each scenario on from there, into DIR/<name>.h5 each");
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
  cmd->add_option("--block", o->block,
                  "replications per journal block (default 16 per thread, at least 1/1000 of the "
                  "run): a killed run loses at most the blocks under way")
      ->check(CLI::Range(1ull, 100000000ull));
  cmd->add_flag("--force", o->force, "replace an existing output file (and its journal)");
  cmd->add_flag(
      "--resume", o->resume,
      "continue the journal OUT.h5.parts left by an interrupted run of the same scenario");
  cmd->add_flag("-q,--quiet", o->quiet, "no progress output");
  cmd->callback([o, cmd, command_line] {
    o->scenario = o->branches.front();
    o->replications_given = cmd->count("--replications") > 0;
    o->seed_given = cmd->count("--seed") > 0;
    run(*o, command_line);
  });
}

}  // namespace regsim::cli
