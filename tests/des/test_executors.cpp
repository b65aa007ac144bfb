// The executors: cancel/reschedule, tie order, window correctness and
// determinism. A randomised "busy" model exercises every scheduling call
// and records what each LP executed; the windowed executor must give every
// LP exactly the sequential executor's sequence, for any thread count and
// any pending-event set.
#include <map>
#include <vector>

#include <catch2/catch.hpp>
#include <tbb/global_control.h>

#include "des/bucket_queue.hpp"
#include "des/sequential_executor.hpp"
#include "des/windowed_executor.hpp"

using namespace regsim::des;

namespace {

template <class E>
using Buckets = BucketQueue<E>;

struct Record {
  double time;
  LpId origin;
  std::uint64_t seq;
  int payload;
  bool operator==(const Record&) const = default;
};

// Each event may schedule local events (some at the same time, some
// cancellable), cancel or reschedule earlier ones, and message other LPs.
class Busy {
 public:
  struct Event {
    int payload = 0;
  };

  Busy(LpId lps, std::uint64_t seed) : log_(lps), handles_(lps) {
    for (LpId lp = 0; lp < lps; ++lp) rng_.emplace_back(seed, 0, lp, "busy");
  }

  void init(auto& ctx) {
    for (int i = 0; i < 3; ++i) ctx.schedule(rng_[ctx.self()].uniform01() * 2.0, Event{i});
  }

  // Every non-leaf event has exactly one non-leaf successor (so the load
  // stays constant); leaves (payload < 0) only get logged.
  void handle(auto& ctx, const Event& e) {
    const LpId self = ctx.self();
    RandomStream& r = rng_[self];
    log_[self].push_back(Record{ctx.now(), 0, 0, e.payload});
    if (e.payload < 0 || ctx.now() > 40.0) return;
    const double u = r.uniform01();
    const int next = e.payload + 1;
    if (u < 0.30) {
      ctx.send(static_cast<LpId>(r.below(ctx.lp_count())),
               ctx.now() + ctx.lookahead() + std::floor(r.uniform01() * 4.0) * 0.5, Event{next});
    } else if (u < 0.45) {
      ctx.schedule(ctx.now(), Event{-next}, static_cast<Priority>(r.below(3)));  // same-time tie
      ctx.schedule(ctx.now() + 1.0, Event{next});
    } else if (u < 0.65) {
      handles_[self].push_back(
          ctx.schedule_cancellable(ctx.now() + 0.5 + r.uniform01(), Event{-next}));
      ctx.schedule(ctx.now() + 0.25, Event{next});
    } else if (u < 0.80 && !handles_[self].empty()) {
      const auto h = handles_[self].back();
      handles_[self].pop_back();
      if (r.uniform01() < 0.5) {
        ctx.cancel(h);
      } else {
        handles_[self].push_back(ctx.reschedule(h, ctx.now() + 0.75, Event{-next - 1000}));
      }
      ctx.schedule(ctx.now() + 0.5, Event{next});
    } else {
      ctx.send(static_cast<LpId>(r.below(ctx.lp_count())), ctx.now() + ctx.lookahead(),
               Event{next});
    }
  }

  // A branch (WindowedExecutor's branch constructor) goes on as the run
  // would have; with drop_leaves, it first drops the LP's pending leaves.
  void resume(auto& ctx) {
    if (drop_leaves) ctx.drop_pending_if([](const Event& e) { return e.payload < 0; });
  }

  std::vector<std::vector<Record>> log_;
  bool drop_leaves = false;

 private:
  std::vector<RandomStream> rng_;
  std::vector<std::vector<EventHandle>> handles_;
};

ExecutorOptions busy_options(unsigned threads) {
  ExecutorOptions options;
  options.lookahead = 1.0;
  options.threads = threads;
  options.trace = true;
  options.grain = 8;
  return options;
}

template <template <class, template <class> class> class Executor, template <class> class Queue>
std::pair<std::vector<std::vector<Record>>, RunStats> run_busy(LpId lps, unsigned threads) {
  Busy model(lps, 2024);
  Executor<Busy, Queue> ex(model, lps, busy_options(threads));
  const RunStats stats = ex.run_until(60.0);
  return {model.log_, stats};
}

}  // namespace

TEST_CASE("des::WindowedExecutor: every LP sees the sequential executor's event sequence",
          "[des][executor][determinism][requirement]") {
  const LpId lps = 64;
  const auto [reference, ref_stats] = run_busy<SequentialExecutor, QuaternaryHeap>(lps, 1);
  REQUIRE(ref_stats.events > 5000);
  REQUIRE(ref_stats.cancelled > 0);
  REQUIRE(ref_stats.messages > 1000);
  tbb::global_control allow(tbb::global_control::max_allowed_parallelism, 8);
  for (unsigned threads : {1u, 2u, 4u, 8u}) {
    INFO("threads = " << threads);
    const auto [h4, s4] = run_busy<WindowedExecutor, QuaternaryHeap>(lps, threads);
    const auto [h2, s2] = run_busy<WindowedExecutor, BinaryHeap>(lps, threads);
    const auto [bq, sb] = run_busy<WindowedExecutor, Buckets>(lps, threads);
    CHECK(h4 == reference);
    CHECK(h2 == reference);
    CHECK(bq == reference);
    CHECK(s4.trace_digest == ref_stats.trace_digest);
    CHECK(s2.trace_digest == ref_stats.trace_digest);
    CHECK(sb.trace_digest == ref_stats.trace_digest);
    CHECK(s4.events == ref_stats.events);
    CHECK(s4.cancelled == ref_stats.cancelled);
    CHECK(s4.messages == ref_stats.messages);
  }
}

TEST_CASE("des::WindowedExecutor: a branch of a run that stopped goes on as the run would have",
          "[des][executor][fork][determinism][requirement]") {
  const LpId lps = 64;
  const auto [reference, ref_stats] = run_busy<WindowedExecutor, QuaternaryHeap>(lps, 1);
  tbb::global_control allow(tbb::global_control::max_allowed_parallelism, 4);
  for (unsigned threads : {1u, 2u, 4u}) {
    for (const double fork : {0.5, 25.0, 41.0}) {
      INFO("threads = " << threads << ", fork at " << fork);
      Busy model(lps, 2024);
      WindowedExecutor<Busy> history(model, lps, busy_options(threads));
      history.run_until(fork);
      Busy copy = model;
      WindowedExecutor<Busy> branch(history, copy);
      const RunStats b = branch.run_until(60.0);
      CHECK(copy.log_ == reference);
      CHECK(b.trace_digest == ref_stats.trace_digest);
      CHECK(b.events == ref_stats.events);
      CHECK(b.cancelled == ref_stats.cancelled);
      // The branch took copies: the history goes on untouched.
      const RunStats h = history.run_until(60.0);
      CHECK(model.log_ == reference);
      CHECK(h.trace_digest == ref_stats.trace_digest);
    }
  }
}

TEST_CASE("des::WindowedExecutor: a branch may not drop an event someone holds a handle to",
          "[des][executor][fork][error_guessing]") {
  Busy model(16, 2024);
  ExecutorOptions options;
  WindowedExecutor<Busy> history(model, 16, options);
  CHECK_THROWS_AS(WindowedExecutor<Busy>(history, model), SchedulingError);  // has not run
  history.run_until(20.0);
  Busy copy = model;
  copy.drop_leaves = true;  // pending leaves include cancellable ones
  CHECK_THROWS_AS(WindowedExecutor<Busy>(history, copy), SchedulingError);
}

TEST_CASE("des::WindowedExecutor: an LP's events run in non-decreasing time",
          "[des][executor][requirement]") {
  const auto [logs, stats] = run_busy<WindowedExecutor, QuaternaryHeap>(32, 4);
  for (const auto& log : logs) {
    for (std::size_t i = 1; i < log.size(); ++i) REQUIRE(log[i - 1].time <= log[i].time);
  }
}

namespace {
// A scripted model for the cancel/reschedule and tie-order cases.
struct Script {
  struct Event {
    int id = 0;
  };
  std::vector<int> ran;
  std::map<int, EventHandle> handles;
  std::vector<bool> cancel_results;

  void init(auto& ctx) {
    if (ctx.self() != 0) return;
    handles[1] = ctx.schedule_cancellable(5.0, Event{1});
    handles[2] = ctx.schedule_cancellable(6.0, Event{2});
    ctx.schedule(1.0, Event{10});
    ctx.schedule(2.0, Event{21}, 2);  // same time, lower priority runs later
    ctx.schedule(2.0, Event{20}, 1);
    ctx.schedule(2.0, Event{22}, 2);  // same priority: scheduled later, runs later
  }
  void handle(auto& ctx, const Event& e) {
    ran.push_back(e.id);
    if (e.id == 10) {
      cancel_results.push_back(ctx.cancel(handles[1]));  // pending: true
      cancel_results.push_back(ctx.cancel(handles[1]));  // already cancelled: false
      handles[2] = ctx.reschedule(handles[2], 3.0, Event{3});
    }
    if (e.id == 3) cancel_results.push_back(ctx.cancel(handles[2]));  // it is running: stale
  }
};
}  // namespace

TEMPLATE_TEST_CASE("des executors: cancel, reschedule and stale handles",
                   "[des][executor][requirement]", (WindowedExecutor<Script>),
                   (SequentialExecutor<Script>), (WindowedExecutor<Script, Buckets>)) {
  Script model;
  TestType ex(model, 2, ExecutorOptions{});
  const RunStats stats = ex.run_until(100.0);
  CHECK(model.ran == std::vector<int>{10, 20, 21, 22, 3});
  CHECK(model.cancel_results == std::vector<bool>{true, false, false});
  CHECK(stats.events == 5);
  CHECK(stats.cancelled == 2);  // event 1 and the original event 2
}

namespace {
struct Rulebreaker {
  struct Event {};
  double delay;
  void init(auto& ctx) {
    if (ctx.self() == 0) ctx.schedule(0.0, Event{});
  }
  void handle(auto& ctx, const Event&) { ctx.send(1, ctx.now() + delay, Event{}); }
};
}  // namespace

TEST_CASE("des::WindowedExecutor: a message inside the lookahead is refused",
          "[des][executor][error_guessing]") {
  Rulebreaker model{0.5};
  WindowedExecutor<Rulebreaker> ex(model, 2, ExecutorOptions{});
  CHECK_THROWS_AS(ex.run_until(10.0), SchedulingError);
  Rulebreaker past{-1.0};
  WindowedExecutor<Rulebreaker> ex2(past, 2, ExecutorOptions{});
  CHECK_THROWS_AS(ex2.run_until(10.0), SchedulingError);
}

TEST_CASE("des::WindowedExecutor: bad options are refused", "[des][executor][error_guessing]") {
  Rulebreaker model{1.0};
  CHECK_THROWS_AS(WindowedExecutor<Rulebreaker>(model, 0, ExecutorOptions{}), SchedulingError);
  ExecutorOptions zero_lookahead;
  zero_lookahead.lookahead = 0.0;
  CHECK_THROWS_AS(WindowedExecutor<Rulebreaker>(model, 2, zero_lookahead), SchedulingError);
}

namespace {
// Cancels a default (never scheduled) handle from an LP other than 0.
struct CancelsEmpty {
  struct Event {};
  bool result = true;
  void init(auto& ctx) {
    if (ctx.self() == 1) ctx.schedule(1.0, Event{});
  }
  void handle(auto& ctx, const Event&) { result = ctx.cancel(EventHandle{}); }
};
}  // namespace

TEMPLATE_TEST_CASE("des executors: cancelling an empty handle is a no-op in any LP",
                   "[des][executor][regression]", (WindowedExecutor<CancelsEmpty>),
                   (SequentialExecutor<CancelsEmpty>)) {
  CancelsEmpty model;
  TestType ex(model, 2, ExecutorOptions{});
  REQUIRE_NOTHROW(ex.run_until(10.0));
  CHECK_FALSE(model.result);
}
