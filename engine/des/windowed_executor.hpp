// Conservative windowed executor. Each window runs, for every LP, all of
// its events with time < T + lookahead, where T is the earliest pending
// event anywhere; LPs run in parallel on oneTBB. A cross-LP message is at
// least one lookahead in the future, so it can never land inside the
// window that sent it: messages are buffered per thread and delivered
// between windows. Each LP's queue orders events by the total EventKey,
// so the order in which buffers are delivered does not matter, and every
// LP sees the same events in the same order for any thread count.
#pragma once

#include <algorithm>
#include <cstddef>
#include <memory>
#include <vector>

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_reduce.h>
#include <tbb/task_arena.h>

#include "des/executor.hpp"

namespace regsim::des {

template <class Model, template <class> class Queue = QuaternaryHeap>
class WindowedExecutor {
 public:
  using Event = typename Model::Event;
  using Entry = Pending<Event>;

  class Context;

  WindowedExecutor(Model& model, LpId lp_count, ExecutorOptions options)
      : model_(model), options_(options), lps_(lp_count) {
    if (lp_count == 0) throw SchedulingError("an executor needs at least one LP");
    if (lp_count - 1 > EventKey::max_lp) throw SchedulingError("too many LPs (max 2^24)");
    if (!(options_.lookahead > 0.0)) throw SchedulingError("lookahead must be > 0");
    options_.grain = std::max<std::size_t>(options_.grain, 8);
  }

  /// A branch of `history`'s run: every LP's queue, clock and slots copied
  /// as run_until left them, driving `model` (the caller's copy of
  /// history's model, changed for the branch). model.resume(ctx) is called
  /// once per LP, where it may drop pending events (drop_pending_if) and
  /// schedule new ones; run_until then goes on as history's would have.
  WindowedExecutor(const WindowedExecutor& history, Model& model)
      : model_(model),
        options_(history.options_),
        lps_(history.lps_),
        initialized_(history.initialized_),
        stats_(history.stats_) {
    if (!initialized_) throw SchedulingError("a branch needs a history that has run");
    direct_earliest_ = never;
    for (LpId id = 0; id < lp_count(); ++id) {
      Context ctx(*this, id, nullptr);
      model_.resume(ctx);
    }
    next_time_ = earliest_pending();
  }

  /// Runs every event with time < end. May be called again with a later end.
  RunStats run_until(Time end);

  LpId lp_count() const { return static_cast<LpId>(lps_.size()); }
  Time now(LpId lp) const { return lps_[lp].clock.now; }
  /// Pending events (cancelled ones count until they reach the front).
  std::size_t pending() const {
    std::size_t n = 0;
    for (const Lp& lp : lps_) n += lp.queue.size();
    return n;
  }
  const RunStats& stats() const { return stats_; }

 private:
  // Hot fields (queue, clock) first; each LP starts a cache line, so
  // threads working on neighbouring LPs never share one.
  struct alignas(64) Lp {
    Queue<Entry> queue;
    LpClock clock;
    SlotPool slots;
  };
  struct Message {
    LpId to;
    Entry entry;
  };
  struct Outbox {
    std::vector<Message> messages;
    Time earliest = never;
  };

  void initialize();
  Time earliest_pending() const {
    Time t = direct_earliest_;
    for (const Lp& lp : lps_) {
      if (!lp.queue.empty()) t = std::min(t, lp.queue.top().key.time);
    }
    return t;
  }
  Time run_window(Time window_end);
  Time process_lp(LpId id, Time window_end, Outbox* outbox);
  void prefetch(LpId id) const {
    __builtin_prefetch(&lps_[id]);
    if (!lps_[id].queue.empty()) __builtin_prefetch(&lps_[id].queue.top());
  }
  Time deliver();
  void finish_stats();

  Model& model_;
  ExecutorOptions options_;
  std::vector<Lp> lps_;
  tbb::enumerable_thread_specific<Outbox> outboxes_;
  bool initialized_ = false;
  Time next_time_ = never;        // earliest pending event after the last window
  Time direct_earliest_ = never;  // earliest message sent directly (one thread)
  RunStats stats_;
};

/// What a handler sees: its LP, the clock, and how to schedule.
template <class Model, template <class> class Queue>
class WindowedExecutor<Model, Queue>::Context {
 public:
  Time now() const { return lp_.clock.now; }
  LpId self() const { return self_; }
  LpId lp_count() const { return ex_.lp_count(); }
  Time lookahead() const { return ex_.options_.lookahead; }

  /// Schedules an event for this LP at `at` >= now.
  void schedule(Time at, const Event& e, Priority p = 0) {
    check_schedule(now(), at, p);
    lp_.queue.push(Entry{lp_.clock.next_key(at, p, self_), no_slot, 0, e});
  }
  /// As schedule(), and returns a handle to cancel or reschedule it.
  EventHandle schedule_cancellable(Time at, const Event& e, Priority p = 0) {
    check_schedule(now(), at, p);
    const std::uint32_t slot = lp_.slots.acquire();
    const std::uint32_t gen = lp_.slots.generation(slot);
    lp_.queue.push(Entry{lp_.clock.next_key(at, p, self_), slot, gen, e});
    return EventHandle{self_, slot, gen};
  }
  /// Cancels a pending event of this LP in O(1). False if the handle is
  /// stale (the event already ran or was cancelled).
  bool cancel(EventHandle h) {
    if (h.empty()) return false;  // never scheduled: nothing to cancel
    if (h.lp != self_) throw SchedulingError("an LP may cancel only its own events");
    if (!lp_.slots.live(h.slot, h.generation)) return false;
    lp_.slots.release(h.slot);
    return true;
  }
  /// Drops this LP's pending events whose payload `drop` holds for (when a
  /// branch resumes); returns how many. Only events scheduled without a
  /// handle may go: a handle would outlive its event.
  template <class Drop>
  std::size_t drop_pending_if(Drop drop) {
    return lp_.queue.erase_if([&](const Entry& entry) {
      if (!drop(entry.event)) return false;
      if (entry.slot != no_slot) throw SchedulingError("a pending event with a handle was dropped");
      return true;
    });
  }
  /// Cancels `h` (if still pending) and schedules `e` at `at` instead.
  EventHandle reschedule(EventHandle h, Time at, const Event& e, Priority p = 0) {
    cancel(h);
    return schedule_cancellable(at, e, p);
  }
  /// Sends an event to another LP, at least one lookahead from now.
  void send(LpId to, Time at, const Event& e, Priority p = 0) {
    if (to == self_) return schedule(at, e, p);
    check_schedule(now(), at, p);
    if (to >= ex_.lp_count()) throw SchedulingError("message to unknown LP");
    if (at < now() + lookahead()) throw SchedulingError("cross-LP message inside the lookahead");
    Entry entry{lp_.clock.next_key(at, p, self_), no_slot, 0, e};
    if (outbox_ == nullptr) {  // single thread: the target cannot run `at` in this window
      ex_.lps_[to].queue.push(std::move(entry));
      ex_.direct_earliest_ = std::min(ex_.direct_earliest_, at);
    } else {
      outbox_->messages.push_back(Message{to, std::move(entry)});
      outbox_->earliest = std::min(outbox_->earliest, at);
    }
    ++lp_.clock.messages;
  }

 private:
  friend class WindowedExecutor;
  Context(WindowedExecutor& ex, LpId self, Outbox* outbox)
      : ex_(ex), lp_(ex.lps_[self]), self_(self), outbox_(outbox) {}
  WindowedExecutor& ex_;
  Lp& lp_;
  LpId self_;
  Outbox* outbox_;
};

template <class Model, template <class> class Queue>
void WindowedExecutor<Model, Queue>::initialize() {
  initialized_ = true;
  direct_earliest_ = never;
  for (LpId id = 0; id < lp_count(); ++id) {
    Context ctx(*this, id, nullptr);
    model_.init(ctx);
  }
  next_time_ = earliest_pending();
}

template <class Model, template <class> class Queue>
RunStats WindowedExecutor<Model, Queue>::run_until(Time end) {
  auto loop = [&] {
    if (!initialized_) initialize();
    while (next_time_ < end) {
      next_time_ = run_window(std::min(next_time_ + options_.lookahead, end));
      ++stats_.windows;
    }
  };
  if (options_.threads > 1) {
    tbb::task_arena arena(static_cast<int>(options_.threads));
    arena.execute(loop);
  } else {
    loop();
  }
  finish_stats();
  return stats_;
}

template <class Model, template <class> class Queue>
Time WindowedExecutor<Model, Queue>::run_window(Time window_end) {
  const std::size_t n = lps_.size();
  if (options_.threads == 1 || n < 2 * options_.grain) {
    direct_earliest_ = never;
    Time earliest = never;
    for (LpId id = 0; id < n; ++id) {
      if (id + 1 < n) prefetch(id + 1);  // overlap the next LP's cache misses with this one
      earliest = std::min(earliest, process_lp(id, window_end, nullptr));
    }
    return std::min(earliest, direct_earliest_);
  }
  const Time earliest = tbb::parallel_reduce(
      tbb::blocked_range<std::size_t>(0, n, options_.grain), never,
      [&](const tbb::blocked_range<std::size_t>& r, Time acc) {
        Outbox& outbox = outboxes_.local();
        for (std::size_t id = r.begin(); id != r.end(); ++id) {
          if (id + 1 < r.end()) prefetch(static_cast<LpId>(id + 1));
          acc = std::min(acc, process_lp(static_cast<LpId>(id), window_end, &outbox));
        }
        return acc;
      },
      [](Time a, Time b) { return std::min(a, b); });
  return std::min(earliest, deliver());
}

// Runs one LP's events before window_end; returns its next event time.
template <class Model, template <class> class Queue>
Time WindowedExecutor<Model, Queue>::process_lp(LpId id, Time window_end, Outbox* outbox) {
  Lp& lp = lps_[id];
  Context ctx(*this, id, outbox);
  while (!lp.queue.empty() && lp.queue.top().key.time < window_end) {
    const Entry e = lp.queue.pop();
    if (e.slot != no_slot) {
      if (!lp.slots.live(e.slot, e.generation)) {  // cancelled
        ++lp.clock.cancelled;
        continue;
      }
      lp.slots.release(e.slot);
    }
    lp.clock.now = e.key.time;
    ++lp.clock.events;
    if (options_.trace) lp.clock.record(e.key);
    model_.handle(ctx, e.event);
  }
  return lp.queue.empty() ? never : lp.queue.top().key.time;
}

// Delivers buffered messages; returns the earliest delivered time.
template <class Model, template <class> class Queue>
Time WindowedExecutor<Model, Queue>::deliver() {
  Time earliest = never;
  for (Outbox& outbox : outboxes_) {
    for (Message& m : outbox.messages) {
      Lp& target = lps_[m.to];
      if (m.entry.key.time < target.clock.now) {
        throw SchedulingError("causality violation: message arrived in its target's past");
      }
      target.queue.push(std::move(m.entry));
    }
    earliest = std::min(earliest, outbox.earliest);
    outbox.messages.clear();
    outbox.earliest = never;
  }
  return earliest;
}

template <class Model, template <class> class Queue>
void WindowedExecutor<Model, Queue>::finish_stats() {
  const std::uint64_t windows = stats_.windows;
  stats_ = RunStats{};
  stats_.windows = windows;
  for (const Lp& lp : lps_) accumulate(stats_, lp.clock);
}

}  // namespace regsim::des
