#include "experiment/block_runner.hpp"

#include <algorithm>
#include <exception>
#include <memory>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

#include "experiment/bounded_queue.hpp"
#include "experiment/replication.hpp"
#include "model/simulation.hpp"

namespace regsim::experiment {

namespace {

// One branch's part of a finished replication.
struct Output {
  Replication replication;                      ///< without its monthly trajectories
  std::vector<float> trajectories, aggregates;  ///< io::ReportedValues
};

// A replication finished by a worker, on its way to the writer thread:
// one output per branch (one for a plain run).
struct Finished {
  std::uint64_t replicate = 0;
  Range block;  ///< the block it belongs to
  std::vector<Output> outputs;
};

// Writes one branch's replications into one block file after another. A
// block cut short by a stop is finished with the rows it has.
class BlockWriter {
 public:
  BlockWriter(const Experiment& e, std::filesystem::path folder)
      : e_(e), folder_(std::move(folder)) {}

  // `block`: the replicates of this file, the replicate's among them.
  void write(std::uint64_t replicate, const Range& block, Output& out) {
    if (!writer_) open(block, replicate);
    writer_->write(replicate_record(replicate, out.replication, std::move(out.trajectories),
                                    std::move(out.aggregates)));
    ++written_;
    if (replicate + 1 == block.end()) close();
  }
  // Finishes the block (also one cut short).
  void close() {
    if (!writer_) return;
    const Range done{first_, writer_->replicates_written()};
    crash_point();
    writer_->finish();
    crash_point();
    writer_.reset();
    // The file is named after the replicates it holds.
    std::filesystem::rename(block_path(folder_, range_), block_path(folder_, done));
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
  std::unique_ptr<io::EnsembleWriter> writer_;
  std::uint64_t first_ = 0, written_ = 0;
  Range range_;
};

// The part of `block` around `replicate` that a branch's journal lacks:
// the block cut to the missing range holding the replicate, if any.
std::optional<Range> lacking(const Branch& b, const Range& block, std::uint64_t replicate) {
  for (const Range& m : b.missing) {
    if (replicate < m.first || replicate >= m.end()) continue;
    const std::uint64_t first = std::max(block.first, m.first);
    return Range{first, std::min(block.end(), m.end()) - first};
  }
  return std::nullopt;
}

// Every branch's writer, fed in replicate order; reports each computed
// block once every branch that lacked it has it.
class BranchWriters {
 public:
  BranchWriters(const std::vector<Branch>& branches, const BlockRunOptions& o)
      : branches_(branches), o_(o) {
    for (const Branch& b : branches) writers_.emplace_back(*b.experiment, b.folder);
  }
  void write(Finished& f) {
    if (f.replicate == f.block.first) block_ = f.block;
    for (std::size_t b = 0; b < branches_.size(); ++b) {
      if (const auto part = lacking(branches_[b], f.block, f.replicate)) {
        writers_[b].write(f.replicate, *part, f.outputs[b]);
      }
    }
    ++done_in_block_;
    if (f.replicate + 1 == f.block.end()) report();
  }
  // Finishes a block cut short by a stop.
  void close() {
    for (BlockWriter& w : writers_) w.close();
    if (done_in_block_ > 0) report();
  }
  void abandon() {
    for (BlockWriter& w : writers_) w.abandon();
  }
  std::uint64_t written() const { return writers_.front().written(); }

 private:
  void report() {
    o_.on_block_written(Range{block_.first, done_in_block_});
    done_in_block_ = 0;
  }
  const std::vector<Branch>& branches_;
  const BlockRunOptions& o_;
  std::vector<BlockWriter> writers_;
  Range block_;
  std::uint64_t done_in_block_ = 0;
};

// Computes the blocks o.next_block gives with `compute` and writes them.
template <class Compute>
std::uint64_t run(const std::vector<Branch>& branches, const BlockRunOptions& o,
                  const Compute& compute) {
  const unsigned threads = o.threads == 0 ? 1u : o.threads;
  BoundedQueue<Finished> queue(4ull * threads);
  BranchWriters blocks(branches, o);
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
  const auto work = [&](std::pair<std::uint64_t, Range> job) {
    return Finished{job.first, job.second, compute(job.first)};
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
                                                                          work) &
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

// What the writer takes of a replication: the reported values, and the
// rest without its monthly trajectories (the bulk of its memory).
Output output(const io::ReportedValues& reported, Replication r) {
  Output out;
  out.trajectories = reported.trajectories(r.result);
  out.aggregates = reported.aggregates(r.result);
  out.replication = std::move(r);
  out.replication.result.trajectories = {};
  return out;
}

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
  const std::vector<Branch> one{Branch{&e, folder, {Range{0, e.replications()}}}};
  const io::ReportedValues reported(e.region, e.spec);
  return run(one, o, [&](std::uint64_t r) {
    std::vector<Output> outputs;
    outputs.push_back(output(reported, compute_replication(e.scenario, e.region, e.config, r)));
    return outputs;
  });
}

std::uint64_t run_branch_blocks(const std::vector<Branch>& branches, std::uint32_t fork_month,
                                const BlockRunOptions& o) {
  std::vector<const model::ModelConfig*> configs;
  std::vector<io::ReportedValues> reported;
  for (const Branch& b : branches) {
    configs.push_back(&b.experiment->config);
    reported.emplace_back(b.experiment->region, b.experiment->spec);
  }
  const Experiment& history = *branches.front().experiment;
  return run(branches, o, [&](std::uint64_t r) {
    std::vector<Output> outputs(branches.size());
    model::run_branches(
        history.region, configs, scenario::replication_inputs(history.scenario, r), fork_month, 1,
        [&](std::size_t b, model::ReplicationResult&& result) {
          const Experiment& e = *branches[b].experiment;
          outputs[b] =
              output(reported[b], record_replication(e.scenario, e.region, r, std::move(result)));
        });
    return outputs;
  });
}

}  // namespace regsim::experiment
