#include "experiment/mpi_ranks.hpp"

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <mutex>
#include <optional>
#include <thread>

#include <fmt/format.h>
#include <mpi.h>

namespace regsim::experiment::mpi {

namespace {

// Messages between the workers and rank 0, two 64-bit words each.
enum Tag : int {
  request = 1,  ///< worker -> 0: {replications written so far, 0}; wants a block
  block = 2,    ///< 0 -> worker: {first, count}; count 0: no more
  done = 3,     ///< worker -> 0: {replications written, 1 if it failed}
};

// Rank 0's list of blocks, shared by its dispatcher and its own workers.
class BlockDealer {
 public:
  explicit BlockDealer(std::vector<Range> blocks) : blocks_(std::move(blocks)) {}
  std::optional<Range> next(bool stopped) {
    std::lock_guard lock(mutex_);
    if (stopped || next_ == blocks_.size()) return std::nullopt;
    return blocks_[next_++];
  }

 private:
  std::mutex mutex_;
  std::vector<Range> blocks_;
  std::size_t next_ = 0;
};

void send(int to, Tag tag, std::uint64_t a, std::uint64_t b) {
  const std::uint64_t message[2] = {a, b};
  MPI_Send(message, 2, MPI_UINT64_T, to, tag, MPI_COMM_WORLD);
}

// The dispatcher on rank 0's main thread: answers requests until every
// worker rank has reported done. Polls, so that it does not spin a core
// that rank 0's own workers need.
void dispatch(const Session& session, BlockDealer& dealer, const BlockRunOptions& o,
              std::vector<std::atomic<std::uint64_t>>& written_by_rank, int& failed_ranks,
              const std::function<void()>& report) {
  int remaining = session.size() - 1;
  while (remaining > 0) {
    int ready = 0;
    MPI_Status status;
    MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &ready, &status);
    if (ready == 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      continue;
    }
    std::uint64_t message[2];
    MPI_Recv(message, 2, MPI_UINT64_T, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD,
             MPI_STATUS_IGNORE);
    const auto from = static_cast<std::size_t>(status.MPI_SOURCE);
    written_by_rank[from] = message[0];
    if (status.MPI_TAG == Tag::request) {
      const std::optional<Range> b = dealer.next(o.stop());
      send(status.MPI_SOURCE, Tag::block, b ? b->first : 0, b ? b->count : 0);
    } else if (status.MPI_TAG == Tag::done) {
      failed_ranks += message[1] != 0 ? 1 : 0;
      --remaining;
    }
    report();
  }
}

}  // namespace

bool launched() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "MPI_LOCALNRANKS"}) {
    if (std::getenv(v) != nullptr) return true;
  }
  return false;
}

Session::Session() {
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SERIALIZED, &provided);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

Session::~Session() { MPI_Finalize(); }

int Session::broadcast(int value) const {
  MPI_Bcast(&value, 1, MPI_INT, 0, MPI_COMM_WORLD);
  return value;
}

RankOutcome run_ranks(const Session& session, const Experiment& e,
                      const std::filesystem::path& folder, std::vector<Range> blocks,
                      BlockRunOptions o) {
  RankOutcome outcome;
  if (session.rank() != 0) {
    // A worker rank: asks rank 0 for each block from its pipeline's
    // (serial) input stage, the only thread of this rank talking MPI
    // until run_blocks returns.
    std::atomic<std::uint64_t> written{0};
    o.on_block_written = [&](const Range& r) { written += r.count; };
    o.next_block = [&]() -> std::optional<Range> {
      send(0, Tag::request, written.load(), 0);
      std::uint64_t message[2];
      MPI_Recv(message, 2, MPI_UINT64_T, 0, Tag::block, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      if (message[1] == 0) return std::nullopt;
      return Range{message[0], message[1]};
    };
    bool failed = false;
    try {
      run_blocks(e, folder, o);
    } catch (const std::exception& error) {  // rank 0 reports the failure
      std::cerr << fmt::format("regsim: rank {}: error: {}\n", session.rank(), error.what());
      failed = true;
    }
    send(0, Tag::done, written.load(), failed ? 1 : 0);
    return outcome;
  }

  // Rank 0: its own workers compute on a second thread while the main
  // thread deals blocks to the other ranks.
  BlockDealer dealer(std::move(blocks));
  std::vector<std::atomic<std::uint64_t>> written_by_rank(static_cast<std::size_t>(session.size()));
  std::atomic<std::uint64_t> own{0};
  std::mutex report_mutex;
  std::uint64_t reported = 0;
  const auto on_block = o.on_block_written;
  // Tells the caller about progress made anywhere, as one running total.
  const auto report = [&] {
    std::lock_guard lock(report_mutex);
    std::uint64_t total = own.load();
    for (std::size_t r = 1; r < written_by_rank.size(); ++r) total += written_by_rank[r];
    if (total > reported) {
      on_block(Range{reported, total - reported});
      reported = total;
    }
  };
  BlockRunOptions local = o;
  local.next_block = [&] { return dealer.next(o.stop()); };
  local.on_block_written = [&](const Range& r) {
    own += r.count;
    report();
  };
  std::exception_ptr error;
  std::thread compute([&] {
    try {
      run_blocks(e, folder, local);
    } catch (...) {
      error = std::current_exception();
    }
  });
  int failed_ranks = 0;
  dispatch(session, dealer, o, written_by_rank, failed_ranks, report);
  compute.join();
  report();
  outcome.written = reported;
  outcome.failed_ranks = failed_ranks + (error ? 1 : 0);
  if (error) std::rethrow_exception(error);
  return outcome;
}

}  // namespace regsim::experiment::mpi
