// The reference executor: one global queue, events run strictly in the
// total EventKey order, one at a time. It accepts any delay between LPs
// (no lookahead), and it is what the windowed executor is checked against:
// both must give every LP the same event sequence.
#pragma once

#include <vector>

#include "des/executor.hpp"

namespace regsim::des {

template <class Model, template <class> class Queue = QuaternaryHeap>
class SequentialExecutor {
 public:
  using Event = typename Model::Event;
  struct Entry {  // a Pending<Event> that also names its target LP
    EventKey key;
    std::uint32_t slot = no_slot;
    std::uint32_t generation = 0;
    LpId to = 0;
    [[no_unique_address]] Event event{};
  };

  class Context;

  SequentialExecutor(Model& model, LpId lp_count, ExecutorOptions options = {})
      : model_(model), options_(options), clocks_(lp_count) {
    if (lp_count == 0) throw SchedulingError("an executor needs at least one LP");
    if (lp_count - 1 > EventKey::max_lp) throw SchedulingError("too many LPs (max 2^24)");
  }

  RunStats run_until(Time end) {
    if (!initialized_) {
      initialized_ = true;
      for (LpId id = 0; id < lp_count(); ++id) {
        Context ctx(*this, id);
        model_.init(ctx);
      }
    }
    while (!queue_.empty() && queue_.top().key.time < end) {
      const Entry e = queue_.pop();
      LpClock& clock = clocks_[e.to];
      if (e.slot != no_slot) {
        if (!slots_.live(e.slot, e.generation)) {
          ++clock.cancelled;
          continue;
        }
        slots_.release(e.slot);
      }
      clock.now = e.key.time;
      ++clock.events;
      if (options_.trace) clock.record(e.key);
      Context ctx(*this, e.to);
      model_.handle(ctx, e.event);
    }
    RunStats stats;
    for (const LpClock& c : clocks_) accumulate(stats, c);
    return stats;
  }

  LpId lp_count() const { return static_cast<LpId>(clocks_.size()); }
  Time now(LpId lp) const { return clocks_[lp].now; }
  /// Pending events (cancelled ones count until they reach the front).
  std::size_t pending() const { return queue_.size(); }

 private:
  Model& model_;
  ExecutorOptions options_;
  std::vector<LpClock> clocks_;
  Queue<Entry> queue_;
  SlotPool slots_;
  bool initialized_ = false;
};

template <class Model, template <class> class Queue>
class SequentialExecutor<Model, Queue>::Context {
 public:
  Time now() const { return clock_.now; }
  LpId self() const { return self_; }
  LpId lp_count() const { return ex_.lp_count(); }
  Time lookahead() const { return ex_.options_.lookahead; }

  void schedule(Time at, const Event& e, Priority p = 0) { send(self_, at, e, p); }
  EventHandle schedule_cancellable(Time at, const Event& e, Priority p = 0) {
    check_schedule(now(), at, p);
    const std::uint32_t slot = ex_.slots_.acquire();
    const std::uint32_t gen = ex_.slots_.generation(slot);
    ex_.queue_.push(Entry{clock_.next_key(at, p, self_), slot, gen, self_, e});
    return EventHandle{self_, slot, gen};
  }
  bool cancel(EventHandle h) {
    if (h.empty()) return false;  // never scheduled: nothing to cancel
    if (h.lp != self_) throw SchedulingError("an LP may cancel only its own events");
    if (!ex_.slots_.live(h.slot, h.generation)) return false;
    ex_.slots_.release(h.slot);
    return true;
  }
  EventHandle reschedule(EventHandle h, Time at, const Event& e, Priority p = 0) {
    cancel(h);
    return schedule_cancellable(at, e, p);
  }
  void send(LpId to, Time at, const Event& e, Priority p = 0) {
    check_schedule(now(), at, p);
    if (to >= ex_.lp_count()) throw SchedulingError("message to unknown LP");
    if (to != self_) ++clock_.messages;
    ex_.queue_.push(Entry{clock_.next_key(at, p, self_), no_slot, 0, to, e});
  }

 private:
  friend class SequentialExecutor;
  Context(SequentialExecutor& ex, LpId self) : ex_(ex), clock_(ex.clocks_[self]), self_(self) {}
  SequentialExecutor& ex_;
  LpClock& clock_;
  LpId self_;
};

}  // namespace regsim::des
