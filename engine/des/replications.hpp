// Independent replications in parallel. Each replication builds its own
// model and executor; results are stored by replication index, so they do
// not depend on which thread ran what.
#pragma once

#include <cstddef>
#include <cstdint>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

namespace regsim::des {

/// Calls fn(r) for r in [first, first + count) on `threads` threads
/// (1 = the calling thread, in order). fn must write only to slot r of its
/// outputs. An executor inside fn may use ExecutorOptions::threads = 0 to
/// share this arena (nested parallelism).
template <class Fn>
void for_each_replication(std::uint64_t first, std::uint64_t count, unsigned threads, Fn&& fn) {
  if (threads <= 1) {
    for (std::uint64_t r = first; r < first + count; ++r) fn(r);
    return;
  }
  tbb::task_arena arena(static_cast<int>(threads));
  arena.execute([&] {
    tbb::parallel_for(tbb::blocked_range<std::uint64_t>(first, first + count, 1),
                      [&](const tbb::blocked_range<std::uint64_t>& range) {
                        for (std::uint64_t r = range.begin(); r != range.end(); ++r) fn(r);
                      });
  });
}

}  // namespace regsim::des
