// Replications until precise (`experiment: {replications: auto, precision:
// ...}`): the run adds `batch` replications at a time and looks at the
// goals only at whole checkpoints batch, 2 batch, ..., max_replications,
// over replicates 0..n-1 in replicate order. The decision depends on the
// seed and the scenario alone: not on the thread count, the order in
// which replications finished, or where a run was killed and resumed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "io/ensemble_writer.hpp"
#include "scenario/scenario.hpp"

namespace regsim::experiment {

/// The first checkpoint after `n` replicates: the next multiple of the
/// batch, at most the cap (n itself when n is the cap).
std::uint64_t next_checkpoint(std::uint64_t n, const scenario::Precision& p);

/// Half the width of the 90 % Wilson interval of `met` in `n`, as the run
/// file reports it (/goals/probability_low and _high).
double half_width90(std::uint64_t met, std::uint64_t n);

/// The verdict at a checkpoint of n replicates, `met[i]` of them meeting
/// goal i (every goal of the scenario, file order).
struct PrecisionVerdict {
  bool stop = false;
  bool precise = false;             ///< every named goal narrow enough
  std::vector<double> half_widths;  ///< per named goal (Precision::goal_index order)
  double widest = 0.0;
  std::string widest_goal;
};
PrecisionVerdict judge(const scenario::Scenario& s, const std::vector<std::uint64_t>& met,
                       std::uint64_t n);

/// Adds to `met` (one count per goal) the goals met by replicates
/// [from, to) of journal blocks that cover them (blocks outside are
/// skipped; a block straddling the range counts its rows inside).
void count_goals_met(const std::vector<io::BlockHeader>& blocks, std::uint64_t from,
                     std::uint64_t to, std::vector<std::uint64_t>& met);

/// What the run file records of the decision (io::StoppingRecord).
io::StoppingRecord stopping_record(const scenario::Scenario& s, const PrecisionVerdict& v);

}  // namespace regsim::experiment
