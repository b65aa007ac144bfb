// The stopping rule of `replications: auto`: checkpoints, the Wilson
// half-width, the verdict, the default cap, and the scenario keys that
// set them. Runs of the real binary (precision reached, cap reached,
// -j 1 against -j 2, kill and --resume) are in tests/cli/test_precision.py.
#include <catch2/catch.hpp>

#include "experiment/precision.hpp"
#include "scenario/scenario.hpp"
#include "scenario/statistics.hpp"

namespace ex = regsim::experiment;
namespace sc = regsim::scenario;

namespace {

const std::filesystem::path tiny = REGSIM_SOURCE_DIR "/tests/data/regions/tiny";

sc::Scenario load(const std::string& precision) {
  const std::string text =
      "scenario: auto\n"
      "experiment: {replications: auto, precision: " +
      precision +
      "}\n"
      "goals:\n"
      "  - {name: a, indicator: unemployment_rate, where: all, at: 2020-12, below: 0.05}\n"
      "  - {name: b, indicator: unemployment_rate, where: all, at: 2025-12, below: 0.04}\n";
  return sc::load_text(text, tiny / "auto.yaml", {}, tiny);
}

}  // namespace

TEST_CASE("experiment::next_checkpoint: whole batches, then the cap", "[precision]") {
  sc::Precision p;
  p.batch = 100;
  p.max_replications = 250;
  CHECK(ex::next_checkpoint(0, p) == 100);
  CHECK(ex::next_checkpoint(100, p) == 200);
  CHECK(ex::next_checkpoint(150, p) == 200);  // a resumed run's odd count
  CHECK(ex::next_checkpoint(200, p) == 250);
  CHECK(ex::next_checkpoint(250, p) == 250);
}

TEST_CASE("experiment::half_width90 is half the width of the file's Wilson interval",
          "[precision]") {
  const auto [low, high] = sc::wilson90(30, 100);
  CHECK(ex::half_width90(30, 100) == Approx((high - low) / 2));
  // At 0 of n the interval is [0, z^2 / (n + z^2)].
  CHECK(ex::half_width90(0, 100) == Approx(sc::z90 * sc::z90 / (100 + sc::z90 * sc::z90) / 2));
}

TEST_CASE("scenario::precision_cap: every proportion is precise at the default cap",
          "[precision][requirement]") {
  for (const double h : {0.5, 0.1, 0.05, 0.02, 0.01}) {
    for (const std::uint64_t batch : {1ull, 7ull, 100ull}) {
      const std::uint64_t cap = sc::precision_cap(h, batch);
      INFO("h " << h << " batch " << batch << " cap " << cap);
      CHECK(cap % batch == 0);
      for (std::uint64_t met = 0; met <= cap; ++met) {
        REQUIRE(ex::half_width90(met, cap) <= h);
      }
      // One batch fewer does not always do: at p = 1/2 the bound is tight.
      if (cap > batch) CHECK(ex::half_width90((cap - batch) / 2, cap - batch) > h * 0.98);
    }
  }
  CHECK(sc::precision_cap(0.02, 100) == 1700);
  CHECK(sc::precision_cap(0.05, 100) == 300);
}

TEST_CASE("experiment::judge stops when every named goal is narrow enough, or at the cap",
          "[precision]") {
  sc::Scenario s = load("{goals: [b], half_width: 0.02, batch: 50, max_replications: 400}");
  REQUIRE(s.precision);
  CHECK(s.replications == 400);  // the journal and the disk check plan for the cap
  REQUIRE(s.precision->goal_index == std::vector<std::size_t>{1});
  SECTION("precise: goal a's interval does not count") {
    const auto v = ex::judge(s, {100, 0}, 200);  // b met in none of 200
    CHECK(v.precise);
    CHECK(v.stop);
    CHECK(v.widest_goal == "b");
    CHECK(v.half_widths.size() == 1);
  }
  SECTION("not yet") {
    const auto v = ex::judge(s, {0, 100}, 200);
    CHECK(!v.precise);
    CHECK(!v.stop);
    CHECK(v.widest == Approx(ex::half_width90(100, 200)));
  }
  SECTION("the cap") {
    const auto v = ex::judge(s, {0, 200}, 400);
    CHECK(!v.precise);
    CHECK(v.stop);
    const auto r = ex::stopping_record(s, v);
    CHECK(r.reason == "cap reached");
    CHECK(r.max_replications == 400);
    CHECK(r.goals.rfind("b=0.04", 0) == 0);
  }
}

TEST_CASE("scenario: replications: auto judges every goal by default, up to the default cap",
          "[precision][scenario]") {
  const sc::Scenario s = load("{half_width: 0.05}");
  REQUIRE(s.precision);
  CHECK(s.precision->goal_index == std::vector<std::size_t>{0, 1});
  CHECK(s.precision->batch == 100);
  CHECK(s.replications == 300);
  CHECK(sc::run_count(s) == 300);
  // -n (an override of the count) with precision: is refused, not ignored.
  CHECK_THROWS_AS(sc::load_text("scenario: a\nexperiment: {replications: auto, precision: "
                                "{half_width: 0.05}}\ngoals: [{name: g, indicator: "
                                "unemployment_rate, where: all, at: 2020-12, below: 0.05}]\n",
                                tiny / "a.yaml", {"experiment.replications=5"}, tiny),
                  sc::InputError);
}
