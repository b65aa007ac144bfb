// A run file's rows grouped by the blocks of a Sobol (Saltelli) or Morris
// design, as the scenario's samplers lay them out: run r belongs to block
// r / (k + 2) at position r % (k + 2) (scenario::saltelli_step: 0 = A,
// 1..k = AB_i, k + 1 = B), or to Morris trajectory r / (k + 1) at step
// r % (k + 1) (scenario::morris_step). The estimators need whole blocks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "scenario/scenario.hpp"

namespace regsim::analysis {

struct DesignBlocks {
  std::vector<std::uint64_t> index;            ///< each block's index (base sample, trajectory)
  std::vector<std::vector<std::size_t>> rows;  ///< rows[b][position]: the file row of that run
  std::string problem;  ///< why the rows do not form whole blocks; empty if they do
};

/// Runs per block: k + 2 for sobol, k + 1 for morris, 0 for other samplings.
std::size_t block_size(const scenario::Scenario& s);

/// Groups rows (row i ran replication `replicates[i]`) into the design's
/// blocks, in increasing block index. `problem` names the first block
/// that is incomplete or duplicated.
DesignBlocks design_blocks(const scenario::Scenario& s, std::span<const std::int64_t> replicates);

/// values[b][position] = by_row[blocks.rows[b][position]].
std::vector<std::vector<double>> gather(const DesignBlocks& blocks, std::span<const double> by_row);

}  // namespace regsim::analysis
