// A run across MPI ranks (built with -DREGSIM_MPI=ON; `mpirun -np R regsim
// run ...`). Rank 0 deals the blocks of replications out one at a time, on
// request, so a slow node does not hold the others back; every rank,
// rank 0 included, computes its blocks with its own threads into the
// shared journal folder; rank 0 assembles the run file when all are done.
// A rank that dies leaves its finished blocks; `--resume`, with or without
// MPI, completes the run. The datasets do not depend on the rank count.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "experiment/block_runner.hpp"

namespace regsim::experiment::mpi {

/// Whether this process was started by mpirun or srun (else MPI is not
/// initialised, and the run is an ordinary one).
bool launched();

/// MPI initialised for the lifetime of the object (MPI_THREAD_SERIALIZED:
/// one thread of a rank talks to the others at a time).
class Session {
 public:
  Session();
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  int rank() const { return rank_; }
  int size() const { return size_; }
  /// Rank 0's value, on every rank.
  int broadcast(int value) const;

 private:
  int rank_ = 0, size_ = 1;
};

struct RankOutcome {
  std::uint64_t written = 0;  ///< replications written by every rank (rank 0's count)
  int failed_ranks = 0;       ///< ranks whose computation threw (rank 0's count)
};

/// Computes `blocks` (given on rank 0; ignored elsewhere) across the ranks
/// into `folder`. `o.next_block` is set here; `o.on_block_written` is
/// called on rank 0 with every rank's progress. Returns on every rank
/// when all ranks are done. A worker rank's error is printed there and
/// counted in rank 0's failed_ranks; rank 0's own is rethrown once every
/// worker has finished.
RankOutcome run_ranks(const Session& session, const Experiment& e,
                      const std::filesystem::path& folder, std::vector<Range> blocks,
                      BlockRunOptions o);

}  // namespace regsim::experiment::mpi
