// PHOLD as a test of the core: exact event counts, conservation, and a
// bit-identical trace for every executor, queue and thread count.
#include <catch2/catch.hpp>
#include <tbb/global_control.h>

#include "des/bucket_queue.hpp"
#include "des/models/phold.hpp"
#include "des/sequential_executor.hpp"
#include "des/windowed_executor.hpp"

using namespace regsim::des;
using models::Phold;
using models::PholdConfig;

namespace {
template <class E>
using Buckets = BucketQueue<E>;

template <class Executor>
RunStats run(const PholdConfig& c, unsigned threads, std::size_t* pending = nullptr) {
  Phold model(c);
  ExecutorOptions o;
  o.lookahead = c.lookahead;
  o.threads = threads;
  o.trace = true;
  o.grain = 8;
  Executor ex(model, c.lps, o);
  const RunStats s = ex.run_until(c.end_time);
  if (pending != nullptr) *pending = ex.pending();
  return s;
}
}  // namespace

TEST_CASE("des::PHOLD: configuration D executes exactly 799,992 events",
          "[des][phold][requirement]") {
  const PholdConfig d = *models::phold_config("D");
  // Constant delays of 1.0 from t = 1: each of the 8 LPs' chains runs at
  // t = 1, 2, ..., 99999 (< 100000).
  CHECK(run<WindowedExecutor<Phold>>(d, 1).events == 799992);
  CHECK(run<SequentialExecutor<Phold>>(d, 1).events == 799992);
}

TEST_CASE("des::PHOLD: the number of pending events is conserved", "[des][phold][invariant]") {
  PholdConfig c = *models::phold_config("B");
  c.lps = 64;
  c.end_time = 50.0;
  std::size_t pending = 0;
  const RunStats s = run<WindowedExecutor<Phold>>(c, 2, &pending);
  CHECK(s.events > 0);
  CHECK(pending == std::size_t{64} * 16);  // each executed event schedules exactly one
}

TEST_CASE("des::PHOLD: same seed gives a bit-identical trace for 1, 2, 4, 8 threads",
          "[des][phold][determinism][requirement]") {
  PholdConfig c = *models::phold_config("B");
  c.lps = 256;
  c.end_time = 60.0;
  const RunStats reference = run<SequentialExecutor<Phold>>(c, 1);
  REQUIRE(reference.events > 100000);
  tbb::global_control allow(tbb::global_control::max_allowed_parallelism, 8);  // 8 real threads
  for (unsigned threads : {1u, 2u, 4u, 8u}) {
    INFO("threads = " << threads);
    const RunStats heap = run<WindowedExecutor<Phold>>(c, threads);
    const RunStats bucket = run<WindowedExecutor<Phold, Buckets>>(c, threads);
    CHECK(heap.trace_digest == reference.trace_digest);
    CHECK(bucket.trace_digest == reference.trace_digest);
    CHECK(heap.events == reference.events);
    CHECK(heap.messages == reference.messages);
  }
  c.seed = 2;
  CHECK(run<WindowedExecutor<Phold>>(c, 2).trace_digest != reference.trace_digest);
}
