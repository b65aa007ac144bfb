#include "experiment/block_runner.hpp"

#include <exception>
#include <memory>
#include <thread>

#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

#include "experiment/bounded_queue.hpp"
#include "experiment/replication.hpp"

namespace regsim::experiment {

namespace {

// A replication finished by a worker, on its way to the writer thread.
struct Finished {
  std::uint64_t replicate = 0;
  Range block;                                  ///< the block it belongs to
  Replication replication;                      ///< without its monthly trajectories
  std::vector<float> trajectories, aggregates;  ///< io::ReportedValues
};

// Writes what comes out of the queue (in replicate order) into one block
// file after another; returns when the queue is closed and empty. A block
// cut short by a stop is finished with the rows it has.
class BlockWriter {
 public:
  BlockWriter(const Experiment& e, std::filesystem::path folder, const BlockRunOptions& o)
      : e_(e), folder_(std::move(folder)), o_(o) {}

  void write(Finished& f) {
    if (!writer_) open(f.block, f.replicate);
    writer_->write(replicate_record(f.replicate, f.replication, std::move(f.trajectories),
                                    std::move(f.aggregates)));
    ++written_;
    if (f.replicate + 1 == f.block.end()) close();
  }
  // Finishes a block cut short.
  void close() {
    if (!writer_) return;
    const Range done{first_, writer_->replicates_written()};
    crash_point();
    writer_->finish();
    crash_point();
    writer_.reset();
    // The file is named after the replicates it holds.
    std::filesystem::rename(block_path(folder_, range_), block_path(folder_, done));
    o_.on_block_written(done);
  }
  // After an error: removes the block being written.
  void abandon() {
    if (!writer_) return;
    const auto partial = writer_->partial_path();
    writer_.reset();
    std::error_code ignored;
    std::filesystem::remove(partial, ignored);
  }
  std::uint64_t written() const { return written_; }

 private:
  void open(const Range& block, std::uint64_t first) {
    io::OutputSpec spec = e_.spec;
    spec.first_replicate = first;
    spec.deflate = 0;  // blocks are read once, soon: fast over small
    first_ = first;
    range_ = Range{first, block.end() - first};
    const auto path = block_path(folder_, range_);
    try {
      writer_ = std::make_unique<io::EnsembleWriter>(path, e_.region, spec, e_.meta,
                                                     e_.uncertainties, e_.goals, /*force=*/true,
                                                     io::EnsembleWriter::Kind::journal_block);
    } catch (...) {  // e.g. a full disk while laying the block out
      std::error_code ignored;
      std::filesystem::remove(path.string() + ".partial", ignored);
      throw;
    }
  }

  const Experiment& e_;
  std::filesystem::path folder_;
  const BlockRunOptions& o_;
  std::unique_ptr<io::EnsembleWriter> writer_;
  std::uint64_t first_ = 0, written_ = 0;
  Range range_;
};

}  // namespace

std::function<std::optional<Range>()> blocks_from(std::vector<Range> blocks) {
  auto list = std::make_shared<std::vector<Range>>(std::move(blocks));
  auto next = std::make_shared<std::size_t>(0);
  return [list, next]() -> std::optional<Range> {
    if (*next == list->size()) return std::nullopt;
    return (*list)[(*next)++];
  };
}

std::uint64_t run_blocks(const Experiment& e, const std::filesystem::path& folder,
                         const BlockRunOptions& o) {
  const unsigned threads = o.threads == 0 ? 1u : o.threads;
  BoundedQueue<Finished> queue(4ull * threads);
  BlockWriter blocks(e, folder, o);
  std::exception_ptr writer_error;
  std::thread writer_thread([&] {
    try {
      while (std::optional<Finished> f = queue.pop()) blocks.write(*f);
      blocks.close();
    } catch (...) {
      writer_error = std::current_exception();
      blocks.abandon();
      queue.close();  // turn the workers away
    }
  });
  const auto stop_writer = [&] {
    queue.close();  // the writer drains what is queued, then returns
    writer_thread.join();
  };

  // Workers (oneTBB) take replications in order, compute them in parallel
  // and hand them on in order to the writer thread; at most two per thread
  // are in the pipeline.
  Range block;
  std::uint64_t next = 0;
  const auto take_next = [&](tbb::flow_control& control) -> std::pair<std::uint64_t, Range> {
    if (o.stop() || queue.closed()) {
      control.stop();
      return {};
    }
    if (next == block.end()) {
      const std::optional<Range> b = o.next_block ? o.next_block() : std::nullopt;
      if (!b || b->count == 0) {
        control.stop();
        return {};
      }
      block = *b;
      next = block.first;
    }
    return {next++, block};
  };
  const io::ReportedValues reported(e.region, e.spec);
  const auto compute = [&](std::pair<std::uint64_t, Range> job) {
    Finished f{job.first,
               job.second,
               compute_replication(e.scenario, e.region, e.config, job.first),
               {},
               {}};
    f.trajectories = reported.trajectories(f.replication.result);
    f.aggregates = reported.aggregates(f.replication.result);
    f.replication.result.trajectories = {};  // the bulk of its memory
    return f;
  };
  const auto hand_over = [&](Finished f) { queue.push(std::move(f)); };
  try {
    tbb::task_arena arena(static_cast<int>(threads));
    arena.execute([&] {
      using tbb::filter_mode;
      tbb::parallel_pipeline(
          2 * threads,
          tbb::make_filter<void, std::pair<std::uint64_t, Range>>(filter_mode::serial_in_order,
                                                                  take_next) &
              tbb::make_filter<std::pair<std::uint64_t, Range>, Finished>(filter_mode::parallel,
                                                                          compute) &
              tbb::make_filter<Finished, void>(filter_mode::serial_in_order, hand_over));
    });
  } catch (...) {
    stop_writer();
    throw;
  }
  stop_writer();
  if (writer_error) std::rethrow_exception(writer_error);
  return blocks.written();
}

}  // namespace regsim::experiment
