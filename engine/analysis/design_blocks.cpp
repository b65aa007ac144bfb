#include "analysis/design_blocks.hpp"

#include <limits>
#include <map>

#include <fmt/format.h>

#include "scenario/samplers.hpp"

namespace regsim::analysis {

namespace {

constexpr std::size_t no_row = std::numeric_limits<std::size_t>::max();

// The (block, position) of run r, from the samplers' own numbering.
std::pair<std::uint64_t, std::uint64_t> place(const scenario::Scenario& s, std::uint64_t run) {
  if (s.sampling == scenario::Sampling::sobol) {
    const auto step = scenario::saltelli_step(s, run);
    return {step.sample, step.matrix};
  }
  const auto step = scenario::morris_step(s, run);
  return {step.trajectory, step.step};
}

}  // namespace

std::size_t block_size(const scenario::Scenario& s) {
  const std::size_t k = s.uncertainties.size();
  if (s.sampling == scenario::Sampling::sobol) return k + 2;
  if (s.sampling == scenario::Sampling::morris) return k + 1;
  return 0;
}

DesignBlocks design_blocks(const scenario::Scenario& s, std::span<const std::int64_t> replicates) {
  DesignBlocks out;
  const std::size_t size = block_size(s);
  if (size == 0) {
    out.problem =
        fmt::format("its design is '{}', not sobol or morris", scenario::to_string(s.sampling));
    return out;
  }
  std::map<std::uint64_t, std::vector<std::size_t>> by_block;
  for (std::size_t row = 0; row < replicates.size(); ++row) {
    if (replicates[row] < 0) {
      out.problem = fmt::format("row {} has replicate index {}", row, replicates[row]);
      return out;
    }
    const auto [block, position] = place(s, static_cast<std::uint64_t>(replicates[row]));
    auto& slots = by_block.try_emplace(block, size, no_row).first->second;
    if (slots[position] != no_row) {
      out.problem = fmt::format("replicate {} appears twice", replicates[row]);
      return out;
    }
    slots[position] = row;
  }
  for (auto& [block, slots] : by_block) {
    for (std::size_t position = 0; position < size; ++position) {
      if (slots[position] == no_row) {
        out.problem = fmt::format(
            "{} replicates are not a whole number of blocks of {} (block {} lacks replicate {})",
            replicates.size(), size, block, block * size + position);
        return out;
      }
    }
    out.index.push_back(block);
    out.rows.push_back(std::move(slots));
  }
  if (out.rows.size() < 2) {
    out.problem =
        fmt::format("{} replicates make {} block{} of {}; the estimators need at least 2",
                    replicates.size(), out.rows.size(), out.rows.size() == 1 ? "" : "s", size);
  }
  return out;
}

std::vector<std::vector<double>> gather(const DesignBlocks& blocks,
                                        std::span<const double> by_row) {
  std::vector<std::vector<double>> values(blocks.rows.size());
  for (std::size_t b = 0; b < blocks.rows.size(); ++b) {
    for (const std::size_t row : blocks.rows[b]) values[b].push_back(by_row[row]);
  }
  return values;
}

}  // namespace regsim::analysis
