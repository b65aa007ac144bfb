// What both executors share: handles, options, statistics, the slot pool
// that makes cancellation O(1), and the per-LP clock and trace.
//
// A model is a class with
//   using Event = ...;                         // small, trivially copyable
//   void init(auto& ctx);                      // once per LP, at time 0
//   void handle(auto& ctx, const Event& e);    // one event of ctx.self()
// Handlers may touch only the state of ctx.self(); everything else goes
// through ctx.send() as a message, at least one lookahead in the future.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "des/event_key.hpp"
#include "des/heap_queue.hpp"
#include "des/pending.hpp"
#include "des/random_stream.hpp"

namespace regsim::des {

/// Refers to one cancellable pending event. A handle whose event has run or
/// was cancelled is stale: cancel() then returns false instead of touching
/// whatever event reuses the slot (index + generation, as EnTT's entities).
struct EventHandle {
  LpId lp = 0;
  std::uint32_t slot = no_slot;
  std::uint32_t generation = 0;
  bool empty() const { return slot == no_slot; }
};

struct ExecutorOptions {
  /// Minimum delay of any cross-LP message; the window length.
  Time lookahead = 1.0;
  /// 1 = run on the calling thread; N > 1 = a TBB arena of N threads;
  /// 0 = use the caller's arena (for replications nested in a parallel loop).
  unsigned threads = 1;
  /// Keep a digest of every executed event's key per LP (for the
  /// determinism tests; costs a few ns per event).
  bool trace = false;
  /// LPs per parallel task. At least 8 so that two threads never write the
  /// same cache line of per-LP state.
  std::size_t grain = 16;
};

struct RunStats {
  std::uint64_t events = 0;        ///< executed events
  std::uint64_t cancelled = 0;     ///< cancelled events discarded on reaching the front
  std::uint64_t messages = 0;      ///< cross-LP messages
  std::uint64_t windows = 0;       ///< parallel windows (windowed executor only)
  std::uint64_t trace_digest = 0;  ///< digest of all per-LP traces, in LP order (if traced)
};

/// Issues slots for cancellable events. A slot's generation changes each
/// time its event is cancelled or runs, which makes older handles stale.
class SlotPool {
 public:
  std::uint32_t acquire() {
    if (!free_.empty()) {
      const std::uint32_t s = free_.back();
      free_.pop_back();
      return s;
    }
    generation_.push_back(0);
    return static_cast<std::uint32_t>(generation_.size() - 1);
  }
  std::uint32_t generation(std::uint32_t slot) const { return generation_[slot]; }
  bool live(std::uint32_t slot, std::uint32_t generation) const {
    return slot < generation_.size() && generation_[slot] == generation;
  }
  /// Ends the slot's current event (ran or cancelled) and recycles the slot.
  void release(std::uint32_t slot) {
    ++generation_[slot];
    free_.push_back(slot);
  }

 private:
  std::vector<std::uint32_t> generation_;
  std::vector<std::uint32_t> free_;
};

// Out of line and cold, so that the checks on the hot path stay small.
[[noreturn]] void throw_sequence_overflow();
[[noreturn]] void throw_bad_schedule(Time now, Time at, Priority priority);

/// Per-LP bookkeeping common to both executors.
struct LpClock {
  Time now = 0.0;
  std::uint64_t next_seq = 0;
  std::uint64_t events = 0;
  std::uint64_t cancelled = 0;
  std::uint64_t messages = 0;
  std::uint64_t trace = 0;

  EventKey next_key(Time at, Priority priority, LpId self) {
    if (next_seq > EventKey::max_seq) [[unlikely]] {
      throw_sequence_overflow();
    }
    return EventKey{at, EventKey::make_tie(priority, self, next_seq++)};
  }
  void record(const EventKey& key) {
    trace =
        mix64(trace ^ (std::bit_cast<std::uint64_t>(key.time) + 0x9e3779b97f4a7c15ull * key.tie));
  }
};

/// Adds one LP's counters and trace to the totals; call in LP order.
inline void accumulate(RunStats& s, const LpClock& c) {
  s.events += c.events;
  s.cancelled += c.cancelled;
  s.messages += c.messages;
  s.trace_digest = mix64(s.trace_digest ^ mix64(c.trace + c.events));
}

inline void check_schedule(Time now, Time at, Priority priority) {
  if (!(at >= now) || priority > EventKey::max_priority) [[unlikely]] {  // !(>=) rejects NaN
    throw_bad_schedule(now, at, priority);
  }
}

template <class E>
using QuaternaryHeap = HeapQueue<E, 4>;
template <class E>
using BinaryHeap = HeapQueue<E, 2>;

}  // namespace regsim::des
