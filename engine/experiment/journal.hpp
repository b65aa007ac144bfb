// The journal of a run OUT.h5: the folder OUT.h5.parts/, one HDF5 file per
// finished block of replicates, written under a temporary name, flushed to
// disk and renamed (io::EnsembleWriter::finish), so a block is there whole
// or not at all. A killed run leaves its finished blocks; `--resume` keeps
// them and computes the rest; Slurm array shards and MPI ranks write
// blocks the same way; the run file is assembled from the blocks at the
// end, and the folder removed.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "experiment/experiment.hpp"
#include "io/ensemble_writer.hpp"

namespace regsim::experiment {

/// Replicates first .. first + count - 1.
struct Range {
  std::uint64_t first = 0, count = 0;
  std::uint64_t end() const { return first + count; }
};

/// OUT.h5.parts next to OUT.h5.
std::filesystem::path parts_folder(const std::filesystem::path& output);
/// FOLDER/replicates-000000008-000000015.h5 (first and last replicate).
std::filesystem::path block_path(const std::filesystem::path& folder, Range r);

/// A file in a journal folder that is not a usable block of the run.
struct JournalProblem {
  enum class Kind {
    unfinished,  ///< a .partial file: a block being written, or its writer killed
    damaged,     ///< unreadable, truncated, or content that does not match its digest
    foreign,     ///< a block of another run (scenario, seed, version, design)
  };
  Kind kind;
  std::filesystem::path file;
  std::string what;
};

struct Journal {
  /// The run the blocks belong to: the one asked for, or else that of the
  /// first readable block (by file name).
  std::optional<io::RunIdentity> identity;
  std::vector<io::BlockHeader> blocks;  ///< usable blocks, by first replicate
  std::vector<JournalProblem> problems;
};

/// Reads the blocks in `folders` (a missing folder holds none). Blocks of
/// another run than `identity` are problems; with `check_content`, each
/// block's rows are read and checked against its digest.
Journal read_journal(const std::vector<std::filesystem::path>& folders,
                     const std::optional<io::RunIdentity>& identity, bool check_content);

/// How blocks cover the replicates of `wanted`.
struct Coverage {
  std::vector<Range> missing;
  /// Blocks that overlap an earlier one, with what they repeat.
  std::vector<std::pair<io::BlockHeader, Range>> duplicates;
  /// The blocks that cover `wanted` once each, in order (the first of
  /// overlapping blocks is kept).
  std::vector<io::BlockHeader> cover;
};
Coverage coverage(const std::vector<io::BlockHeader>& blocks, Range wanted);

/// `ranges` cut into blocks of at most `size` replicates.
std::vector<Range> split(const std::vector<Range>& ranges, std::uint64_t size);

/// The replicates per block for a run of `replications` on `threads`
/// threads: 16 per thread (a block file costs about as much CPU as one
/// replication to lay out, so this keeps it near 5 %), and at most ~1000
/// blocks a run. A killed run loses at most the blocks under way.
std::uint64_t block_size(std::uint64_t replications, unsigned threads);

/// Bytes a run needs on disk, estimated before it starts from the shape of
/// a replicate's rows (values stored raw: compression only makes the run
/// file smaller), so that a run that cannot fit is refused at once.
struct DiskNeed {
  std::uint64_t journal = 0;   ///< the blocks still to compute (every trajectory kept)
  std::uint64_t run_file = 0;  ///< at most, the run file assembled next to the journal
};
/// `to_compute` replicates still to write into the journal; with `assemble`,
/// the run file of all the run's replicates too (the journal is removed
/// only after it). Events are counted at an assumed 2,000 per replicate.
DiskNeed disk_need(const Experiment& e, std::uint64_t to_compute, bool assemble);

/// Slice K of N (K from 1) of [0, replications): contiguous, the first
/// replications % N slices one longer; empty when N > replications.
Range shard_slice(std::uint64_t k, std::uint64_t n, std::uint64_t replications);

/// Writes the run file `output` from blocks that cover every replicate
/// once, in order (coverage().cover of a complete journal), computing the
/// summaries on `threads` threads: via OUT.h5.partial, flushed to disk and
/// renamed. An auto run's file records why it stopped (`stopping`).
void assemble(const Experiment& e, const std::vector<io::BlockHeader>& blocks,
              const std::filesystem::path& output, unsigned threads,
              const std::optional<io::StoppingRecord>& stopping = std::nullopt);

/// A hold on a journal folder (flock on the folder itself) for the
/// lifetime of the object: exclusive for a run, shared for the shards of
/// an array writing into one folder. A second run on the same output is
/// refused (InputError) instead of destroying the first one's blocks; the
/// hold ends with the process, however it ends.
class JournalLock {
 public:
  enum class Mode { exclusive, shared };
  JournalLock(const std::filesystem::path& folder, Mode mode);
  ~JournalLock();
  JournalLock(const JournalLock&) = delete;
  JournalLock& operator=(const JournalLock&) = delete;

 private:
  int fd_ = -1;
};

/// A test hook for crash tests: with REGSIM_CRASH_AT=N in the environment
/// the process kills itself (SIGKILL) at the N-th call. Called where the
/// journal changes state: before and after each block is renamed into
/// place, after each block assembled, around the final rename.
void crash_point();

}  // namespace regsim::experiment
