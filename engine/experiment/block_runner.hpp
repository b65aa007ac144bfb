// Blocks of replications computed in parallel (oneTBB) and handed, in
// order, through a bounded queue to one writer thread, which writes each
// block whole into the journal while the next ones are computed. Memory
// does not grow with the number of replications. The same code serves a
// whole run, one shard of it, one MPI rank, and the branches of a fork
// (each replication computed once for all of them, each written to its
// branch's journal).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <vector>

#include "experiment/experiment.hpp"
#include "experiment/journal.hpp"

namespace regsim::experiment {

struct BlockRunOptions {
  unsigned threads = 1;
  /// The next block to compute; std::nullopt when there is none. Called
  /// from one thread at a time.
  std::function<std::optional<Range>()> next_block;
  /// Polled before each replication starts: true stops the run. The
  /// replications under way are finished and written: the block in
  /// progress is written short, so no computed replication is lost.
  std::function<bool()> stop = [] { return false; };
  /// Called by the writer thread after each block is in the journal (in
  /// every branch's that lacked it).
  std::function<void(const Range&)> on_block_written = [](const Range&) {};
};

/// One branch of a fork: its experiment, its journal and the replications
/// its journal lacks (the others, computed for the other branches, are not
/// written again).
struct Branch {
  const Experiment* experiment = nullptr;
  std::filesystem::path folder;
  std::vector<Range> missing;
};

/// Computes the blocks `o.next_block` gives into `folder`; returns how
/// many replications were written. Errors (a full disk) stop the run and
/// are rethrown once the workers have stopped; the unfinished block's
/// file is removed.
std::uint64_t run_blocks(const Experiment& e, const std::filesystem::path& folder,
                         const BlockRunOptions& o);

/// As run_blocks, for branches that share their past before `fork_month`
/// (scenario::check_shared_history): each replication runs once to the
/// fork and then once per branch (model::run_branches).
std::uint64_t run_branch_blocks(const std::vector<Branch>& branches, std::uint32_t fork_month,
                                const BlockRunOptions& o);

/// next_block for a fixed list of blocks.
std::function<std::optional<Range>()> blocks_from(std::vector<Range> blocks);

}  // namespace regsim::experiment
