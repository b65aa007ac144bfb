// History matching (scenario/calibration.hpp): the implausibility on a
// hand-computed case, the Latin hypercube's strata, the next wave's box,
// quantiles, and whole calibrations on the tiny region: identical for any
// thread count, and a box that keeps a known parameter value.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>

#include <catch2/catch.hpp>

#include "io/seeds_reader.hpp"
#include "model/simulation.hpp"
#include "scenario/calibration.hpp"
#include "scenario/scenario.hpp"
#include "scenario/targets.hpp"

namespace fs = std::filesystem;
using namespace regsim;

namespace {
const fs::path source_dir = REGSIM_SOURCE_DIR;
const fs::path dir = source_dir / "tests/scenario/targets";
}  // namespace

TEST_CASE("scenario::implausibility: a hand-computed case", "[scenario][calibration]") {
  scenario::Target t;
  t.observed = 100.0;
  t.error = 3.0;
  t.discrepancy = 0.04;  // sd 4
  // Ensemble variance 144: sqrt(9 + 16 + 144) = 13; |126 - 100| / 13 = 2.
  CHECK(scenario::implausibility(126.0, 144.0, t) == Approx(2.0));
  CHECK(scenario::implausibility(74.0, 144.0, t) == Approx(2.0));
  // No ensemble variance: sqrt(9 + 16) = 5; |115 - 100| / 5 = 3.
  CHECK(scenario::implausibility(115.0, 0.0, t) == Approx(3.0));
  // The discrepancy scales with |observed|, also for negative values.
  t.observed = -100.0;
  CHECK(scenario::implausibility(-85.0, 0.0, t) == Approx(3.0));
}

TEST_CASE("scenario::summarise: largest, second largest and the cut-off",
          "[scenario][calibration]") {
  auto s = scenario::summarise({1.0, 3.5, 2.0}, 3.0);
  CHECK(s.max == 3.5);
  CHECK(s.second == 2.0);
  CHECK(!s.non_implausible);
  s = scenario::summarise({3.0, 0.5}, 3.0);
  CHECK(s.max == 3.0);
  CHECK(s.second == 0.5);
  CHECK(s.non_implausible);  // at the cut-off is kept
  s = scenario::summarise({0.2}, 3.0);
  CHECK(s.second == 0.0);
  s = scenario::summarise({0.2, std::nan("")}, 3.0);
  CHECK(!s.non_implausible);  // an undefined target rules the point out
}

TEST_CASE("scenario::latin_hypercube: one point per stratum in every dimension, deterministic",
          "[scenario][calibration][requirement]") {
  const scenario::Box box{{0.0, 10.0, -1.0}, {1.0, 30.0, 1.0}};
  const std::vector<std::string> names{"a.x", "b.y", "c.z"};
  for (const std::size_t n : {1u, 2u, 7u, 50u}) {
    const auto points = scenario::latin_hypercube(box, n, 42, 0, names);
    REQUIRE(points.size() == n);
    for (std::size_t k = 0; k < names.size(); ++k) {
      std::set<std::size_t> strata;
      for (const auto& p : points) {
        REQUIRE(p[k] >= box.lo[k]);
        REQUIRE(p[k] <= box.hi[k]);
        const double u = (p[k] - box.lo[k]) / (box.hi[k] - box.lo[k]);
        strata.insert(std::min(n - 1, static_cast<std::size_t>(u * static_cast<double>(n))));
      }
      CHECK(strata.size() == n);
    }
  }
  const auto a = scenario::latin_hypercube(box, 20, 42, 0, names);
  CHECK(a == scenario::latin_hypercube(box, 20, 42, 0, names));
  CHECK(a != scenario::latin_hypercube(box, 20, 43, 0, names));
  CHECK(a != scenario::latin_hypercube(box, 20, 42, 1, names));  // each wave its own design
  // A column is keyed by its parameter's name: adding a parameter leaves it.
  const scenario::Box two{{0.0, 10.0}, {1.0, 30.0}};
  const auto b = scenario::latin_hypercube(two, 20, 42, 0, {"a.x", "b.y"});
  for (std::size_t i = 0; i < 20; ++i) CHECK(b[i][1] == a[i][1]);
}

TEST_CASE("scenario::next_box: padded bounding box of the survivors, clipped to the original",
          "[scenario][calibration]") {
  const scenario::Box original{{0.0, 0.0}, {10.0, 100.0}};
  // Survivors span [2, 4] x [50, 90]: padded by 10 % of the width, clipped at 100.
  auto box = scenario::next_box(original, original, {{2.0, 50.0}, {4.0, 90.0}, {3.0, 60.0}}, 10);
  CHECK(box.lo[0] == Approx(1.8));
  CHECK(box.hi[0] == Approx(4.2));
  CHECK(box.lo[1] == Approx(46.0));
  CHECK(box.hi[1] == Approx(94.0));
  CHECK(box.share_of(original) == Approx(0.24 * 0.48));
  // Clipped to the original box.
  box = scenario::next_box(original, original, {{0.0, 95.0}, {5.0, 100.0}}, 10);
  CHECK(box.lo[0] == 0.0);
  CHECK(box.hi[0] == Approx(5.5));
  CHECK(box.hi[1] == 100.0);
  // A lone survivor: widened to one stratum of the current box (width / points), then padded.
  const scenario::Box current{{2.0, 0.0}, {6.0, 100.0}};
  box = scenario::next_box(original, current, {{5.0, 30.0}}, 4);
  CHECK(box.lo[0] == Approx(5.0 - 0.5 - 0.1));
  CHECK(box.hi[0] == Approx(5.0 + 0.5 + 0.1));
  CHECK(box.lo[1] == Approx(30.0 - 12.5 - 2.5));
  CHECK(box.hi[1] == Approx(30.0 + 12.5 + 2.5));
}

TEST_CASE("scenario::quantile: linear between order statistics", "[scenario][calibration]") {
  CHECK(scenario::quantile({3.0, 1.0, 2.0}, 0.5) == 2.0);
  CHECK(scenario::quantile({1.0, 2.0, 3.0, 4.0}, 0.5) == 2.5);
  CHECK(scenario::quantile({0.0, 10.0}, 0.05) == Approx(0.5));
  CHECK(scenario::quantile({0.0, 10.0}, 0.95) == Approx(9.5));
  CHECK(scenario::quantile({7.0}, 0.95) == 7.0);
  CHECK(std::isnan(scenario::quantile({}, 0.5)));
}

namespace {

// A target on the tiny region whose observation is the model's own mean
// over `replications` runs at job_finding_rate = `truth`.
scenario::Targets known_targets(const scenario::Scenario& s, const model::CityCatalogue& region,
                                double truth) {
  auto t = scenario::load_targets(dir / "example.yaml", s);
  t.targets.resize(1);  // unemployed ex-miners in the coal city, 2015-12
  auto& target = t.targets[0];
  const auto id = *model::find_param("labour.job_finding_rate");
  double sum = 0.0;
  const std::size_t truth_runs = 4;
  const auto config = scenario::compile(s, region);
  for (std::size_t r = 100; r < 100 + truth_runs; ++r) {  // not the calibration's streams
    auto inputs = scenario::replication_inputs(s, r);
    inputs.params.set(id, truth);
    const auto result = model::run_replication(region, config, std::move(inputs));
    sum += scenario::simulated_value(target, {0}, result.trajectories);
  }
  target.observed = sum / static_cast<double>(truth_runs);
  target.error = 0.02 * target.observed;
  target.discrepancy = 0.02;
  return t;
}

}  // namespace

TEST_CASE(
    "scenario::calibrate: keeps a box around the true value, shrinks it, and does not "
    "depend on the thread count",
    "[scenario][calibration][determinism]") {
  auto s = scenario::load(dir / "tiny.yaml", {}, source_dir / "seeds");
  s.uncertainties.clear();
  const auto region = io::read_region(s.region);
  const double truth = 0.03;
  const auto t = known_targets(s, region, truth);
  scenario::CalibrationOptions o;
  o.waves = 3;
  o.points = 12;
  o.replications = 3;
  o.threads = 1;
  std::size_t calls = 0;
  const auto one = scenario::calibrate(s, region, t, o, [&](const auto&) { ++calls; });
  o.threads = 2;
  const auto two = scenario::calibrate(s, region, t, o);

  REQUIRE(one.waves.size() == two.waves.size());
  CHECK(calls == one.waves.size());
  for (std::size_t w = 0; w < one.waves.size(); ++w) {
    CHECK(one.waves[w].points == two.waves[w].points);
    CHECK(one.waves[w].values == two.waves[w].values);  // bit for bit
  }
  REQUIRE(one.any_survivor());
  REQUIRE(one.waves.size() == 3);
  const auto& last = one.waves[one.result_wave()];
  double lo = 1.0, hi = 0.0;
  for (std::size_t p = 0; p < last.points.size(); ++p) {
    if (!last.summary[p].non_implausible) continue;
    lo = std::min(lo, last.points[p][0]);
    hi = std::max(hi, last.points[p][0]);
  }
  INFO("non-implausible job_finding_rate in [" << lo << ", " << hi << "]");
  // The last wave's box, and the survivors' range with one stratum of
  // slack, hold the true value; the box shrank.
  CHECK(last.box.lo[0] <= truth);
  CHECK(last.box.hi[0] >= truth);
  const double stratum = (last.box.hi[0] - last.box.lo[0]) / 12.0;
  CHECK(lo - stratum <= truth);
  CHECK(hi + stratum >= truth);
  CHECK(last.box.share_of(one.original) < 0.6);
  // Wave 1 ruled points out: the target is informative.
  CHECK(one.waves[0].survivors() < 12);
}

TEST_CASE("scenario::calibrate: stops when no point survives and keeps what it computed",
          "[scenario][calibration]") {
  auto s = scenario::load(dir / "tiny.yaml", {}, source_dir / "seeds");
  const auto region = io::read_region(s.region);
  auto t = scenario::load_targets(dir / "example.yaml", s);
  t.targets[0].observed = 1e9;  // no job-finding rate gives a billion unemployed ex-miners
  scenario::CalibrationOptions o;
  o.waves = 3;
  o.points = 5;
  o.replications = 1;
  const auto c = scenario::calibrate(s, region, t, o);
  REQUIRE(c.waves.size() == 1);
  CHECK(c.waves[0].survivors() == 0);
  CHECK(!c.any_survivor());
  CHECK(c.result_wave() == 0);
  CHECK(c.result_values(0).size() == 5);    // all runs, when none survived
  CHECK(c.waves[0].variance[0][0] == 0.0);  // one replication: no ensemble variance
}
