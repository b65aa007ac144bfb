// Blocks of replications computed in parallel (oneTBB) and handed, in
// order, through a bounded queue to one writer thread, which writes each
// block whole into the journal while the next ones are computed. Memory
// does not grow with the number of replications. The same code serves a
// whole run, one shard of it, and one MPI rank.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>

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
  /// Called by the writer thread after each block is in the journal.
  std::function<void(const Range&)> on_block_written = [](const Range&) {};
};

/// Computes the blocks `o.next_block` gives into `folder`; returns how
/// many replications were written. Errors (a full disk) stop the run and
/// are rethrown once the workers have stopped; the unfinished block's
/// file is removed.
std::uint64_t run_blocks(const Experiment& e, const std::filesystem::path& folder,
                         const BlockRunOptions& o);

/// next_block for a fixed list of blocks.
std::function<std::optional<Range>()> blocks_from(std::vector<Range> blocks);

}  // namespace regsim::experiment
