// `regsim run SCENARIO.yaml`: replications in parallel (oneTBB), handed in
// order through a bounded queue to one writer thread that writes them into
// one HDF5 file while the next ones are computed; memory does not grow with
// their number. SIGINT/SIGTERM stop once the replications under way are
// written, and leave OUT.h5.partial.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <exception>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>
#include <unistd.h>

#include "cli/bounded_queue.hpp"
#include "cli/commands.hpp"
#include "cli/run_file.hpp"
#include "cli/version.hpp"
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

// A replication finished by a worker, on its way to the writer thread.
struct Finished {
  std::uint64_t replicate = 0;
  Replication replication;
  std::vector<float> aggregates;
};

// The writer thread: writes what comes out of the queue (in replicate
// order), flushing after each block so that a run killed from then on can
// be resumed. Returns when the queue is closed and empty.
void write_all(BoundedQueue<Finished>& queue, io::EnsembleWriter& writer, std::uint64_t start,
               std::uint64_t block, std::uint64_t runs, Progress& progress) {
  while (std::optional<Finished> f = queue.pop()) {
    writer.write(replicate_record(f->replicate, f->replication, std::move(f->aggregates)));
    const std::uint64_t done = writer.replicates_written();
    if ((done - start) % block == 0 || done == runs) {
      writer.flush();
      progress.update(done);
    }
  }
  writer.flush();
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
  const io::RunMetadata meta = run_metadata(s, s.resolved_yaml, command_line, runs);
  io::EnsembleWriter writer =
      o.resume ? io::EnsembleWriter::resume(output, region, output_spec(s), meta,
                                            uncertainty_names(s), goal_names(s))
               : io::EnsembleWriter(output, region, output_spec(s), meta, uncertainty_names(s),
                                    goal_names(s), o.force);
  const std::uint64_t start = writer.replicates_written();
  if (o.resume && !o.quiet) {
    std::cerr << fmt::format("regsim: resuming {} at replication {} of {}\n",
                             writer.partial_path().string(), start, runs);
  }

  // Workers (oneTBB) take replications in order, compute them in parallel
  // and hand them on in order to the writer thread, which owns the HDF5
  // file until it is joined; writing overlaps computing. At most two per
  // thread are in the pipeline and two blocks in the queue, so memory
  // stays flat in the number of replications.
  const unsigned threads = o.threads == 0 ? 1u : o.threads;
  const std::uint64_t block = 4ull * threads;  // replications between flushes
  BoundedQueue<Finished> queue(2 * block);
  Progress progress(runs, start, o.quiet);
  std::exception_ptr writer_error;
  std::thread writer_thread([&] {
    try {
      write_all(queue, writer, start, block, runs, progress);
    } catch (...) {
      writer_error = std::current_exception();
      queue.close();  // turn the workers away
    }
  });
  const auto stop_writer = [&] {
    queue.close();  // the writer drains what is queued, then returns
    writer_thread.join();
  };
  std::uint64_t next = start;
  const auto take_next = [&](tbb::flow_control& control) -> std::uint64_t {
    // Done, a signal, or a failed writer: start no more (those under way finish).
    if (next == runs || stop_signal.load() != 0 || queue.closed()) {
      control.stop();
      return 0;  // ignored
    }
    return next++;
  };
  const auto compute = [&](std::uint64_t r) {
    Finished f{r, compute_replication(s, region, r), {}};
    f.aggregates = writer.aggregates(f.replication.result);
    // Of a replicate whose trajectories it does not keep, the writer needs
    // only the digest, aggregates and events: free the rest now.
    if (!writer.keeps_trajectories(r)) f.replication.result.trajectories = {};
    return f;
  };
  const auto hand_over = [&](Finished f) { queue.push(std::move(f)); };
  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGTERM, on_stop_signal);
  // Past a file-size limit the kernel would kill the run silently; ignored,
  // the write fails and the run stops with the error and its partial file.
  std::signal(SIGXFSZ, SIG_IGN);
  try {
    tbb::task_arena arena(static_cast<int>(threads));
    arena.execute([&] {
      using tbb::filter_mode;
      tbb::parallel_pipeline(
          2 * threads,
          tbb::make_filter<void, std::uint64_t>(filter_mode::serial_in_order, take_next) &
              tbb::make_filter<std::uint64_t, Finished>(filter_mode::parallel, compute) &
              tbb::make_filter<Finished, void>(filter_mode::serial_in_order, hand_over));
    });
  } catch (...) {
    stop_writer();
    throw;
  }
  stop_writer();
  if (writer_error) std::rethrow_exception(writer_error);
  if (const int sig = stop_signal.load(); sig != 0 && writer.replicates_written() < runs) {
    throw RuntimeFailure(
        fmt::format("stopped by signal {} after {} of {} replications; partial results in {}", sig,
                    writer.replicates_written(), runs, writer.partial_path().string()));
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
