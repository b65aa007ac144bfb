// Samplers: determinism keyed by name, Latin hypercube strata, the shapes of
// the Sobol/Saltelli and Morris designs, factorial levels, CSV designs.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>

#include <catch2/catch.hpp>

#include "scenario/samplers.hpp"
#include "scenario/scenario.hpp"

namespace fs = std::filesystem;
using namespace regsim;
using scenario::Uncertainty;

namespace {

const fs::path source_dir = REGSIM_SOURCE_DIR;

Uncertainty uniform(const std::string& name, double a, double b) {
  Uncertainty u;
  u.name = name;
  u.distribution = Uncertainty::Distribution::uniform;
  u.args = {a, b};
  return u;
}

scenario::Scenario with(std::string sampling, std::uint64_t n, std::vector<Uncertainty> us) {
  scenario::Scenario s;
  s.sampling = std::move(sampling);
  s.replications = n;
  s.seed = 99;
  s.uncertainties = std::move(us);
  return s;
}

double value(const std::vector<std::pair<std::string, double>>& v, const std::string& name) {
  for (const auto& [n, x] : v) {
    if (n == name) return x;
  }
  return NAN;
}

}  // namespace

TEST_CASE("scenario::sample: deterministic, and adding an uncertainty leaves the others' draws",
          "[scenario][samplers][determinism]") {
  for (const std::string sampling : {"monte_carlo", "latin_hypercube"}) {
    auto one = with(sampling, 20, {uniform("prices.volatility", 0.1, 0.3)});
    auto two = one;
    two.uncertainties.insert(two.uncertainties.begin(),
                             uniform("replacement.growth_rate", 0.02, 0.1));
    for (std::uint64_t r = 0; r < 20; ++r) {
      INFO(sampling << " run " << r);
      const auto a = scenario::sample(one, r);
      CHECK(a == scenario::sample(one, r));
      CHECK(value(a, "prices.volatility") == value(scenario::sample(two, r), "prices.volatility"));
      CHECK(value(a, "prices.volatility") >= 0.1);
      CHECK(value(a, "prices.volatility") <= 0.3);
    }
    auto other_seed = one;
    other_seed.seed = 100;
    CHECK(scenario::sample(one, 0) != scenario::sample(other_seed, 0));
  }
}

TEST_CASE("scenario::sample: Latin hypercube puts one run in each stratum of every marginal",
          "[scenario][samplers][requirement]") {
  const std::uint64_t n = 50;
  const auto s =
      with("latin_hypercube", n,
           {uniform("prices.volatility", 0.0, 1.0), uniform("retraining.placement_rate", 0.0, 1.0),
            uniform("labour.job_finding_rate", 0.0, 1.0)});
  for (const auto& u : s.uncertainties) {
    std::set<std::uint64_t> strata;
    for (std::uint64_t r = 0; r < n; ++r) {
      const double v = value(scenario::sample(s, r), u.name);
      strata.insert(static_cast<std::uint64_t>(v * static_cast<double>(n)));
    }
    INFO(u.name);
    CHECK(strata.size() == n);
  }
  // Different uncertainties get different stratum orders.
  std::vector<double> a, b;
  for (std::uint64_t r = 0; r < n; ++r) {
    const auto v = scenario::sample(s, r);
    a.push_back(std::floor(value(v, "prices.volatility") * 50));
    b.push_back(std::floor(value(v, "retraining.placement_rate") * 50));
  }
  CHECK(a != b);
}

TEST_CASE("scenario::quantile: distributions, truncation and choices", "[scenario][samplers]") {
  Uncertainty n;
  n.distribution = Uncertainty::Distribution::normal;
  n.args = {0.6, 0.1};
  CHECK(scenario::quantile(n, 0.5) == Approx(0.6));
  CHECK(scenario::quantile(n, 0.975) == Approx(0.6 + 0.1 * 1.959964).epsilon(1e-6));
  n.truncate = std::make_pair(0.55, 0.65);
  for (double p : {0.0, 0.01, 0.5, 0.99, 1.0}) {
    const double q = scenario::quantile(n, p);
    CHECK((q >= 0.55 && q <= 0.65));
  }
  CHECK(scenario::quantile(n, 0.5) == Approx(0.6));
  Uncertainty t;
  t.distribution = Uncertainty::Distribution::triangular;
  t.args = {0.0, 0.5, 1.0};
  CHECK(scenario::quantile(t, 0.5) == Approx(0.5));
  CHECK(scenario::quantile(t, 0.125) == Approx(0.25));
  Uncertainty ln;
  ln.distribution = Uncertainty::Distribution::lognormal;
  ln.args = {0.0, 0.25};
  CHECK(scenario::quantile(ln, 0.5) == Approx(1.0));
  Uncertainty c;
  c.distribution = Uncertainty::Distribution::choice;
  c.args = {1.0, 2.0, 3.0};
  CHECK(scenario::quantile(c, 0.1) == 1.0);
  CHECK(scenario::quantile(c, 0.5) == 2.0);
  CHECK(scenario::quantile(c, 0.99) == 3.0);
}

TEST_CASE("scenario::sample: Sobol/Saltelli design shape (A, AB_1..AB_k, B per base sample)",
          "[scenario][samplers][sensitivity]") {
  const auto s =
      with("sobol", 8,
           {uniform("prices.volatility", 0.0, 1.0), uniform("retraining.placement_rate", 0.0, 1.0),
            uniform("labour.job_finding_rate", 0.0, 1.0)});
  const std::uint64_t k = 3;
  REQUIRE(scenario::run_count(s) == 8 * (k + 2));
  for (std::uint64_t i = 0; i < 8; ++i) {
    const auto a = scenario::unit_point(s, i * (k + 2));
    const auto b = scenario::unit_point(s, i * (k + 2) + k + 1);
    for (std::size_t c = 0; c < k; ++c) CHECK(a[c] != b[c]);
    for (std::uint64_t j = 1; j <= k; ++j) {
      const auto ab = scenario::unit_point(s, i * (k + 2) + j);
      CHECK(scenario::saltelli_step(s, i * (k + 2) + j).matrix == j);
      for (std::size_t c = 0; c < k; ++c) CHECK(ab[c] == (c + 1 == j ? b[c] : a[c]));
    }
  }
}

TEST_CASE("scenario::sample: Morris trajectories move one factor per step by 2/3 of the grid",
          "[scenario][samplers][sensitivity]") {
  const auto s = with(
      "morris", 5,
      {uniform("prices.volatility", 0.0, 1.0), uniform("retraining.placement_rate", 0.0, 1.0),
       uniform("labour.job_finding_rate", 0.0, 1.0), uniform("migration.ex_miner_rate", 0.0, 0.1)});
  const std::uint64_t k = 4;
  REQUIRE(scenario::run_count(s) == 5 * (k + 1));
  for (std::uint64_t t = 0; t < 5; ++t) {
    std::set<std::int64_t> moved;
    for (std::uint64_t j = 1; j <= k; ++j) {
      const auto before = scenario::unit_point(s, t * (k + 1) + j - 1);
      const auto after = scenario::unit_point(s, t * (k + 1) + j);
      const auto step = scenario::morris_step(s, t * (k + 1) + j);
      moved.insert(step.factor);
      int changed = 0;
      for (std::size_t c = 0; c < k; ++c) {
        if (before[c] != after[c]) {
          ++changed;
          CHECK(static_cast<std::int64_t>(c) == step.factor);
          CHECK(after[c] - before[c] == Approx(0.5));  // 2/3 of the grid, in quantile space
        }
      }
      CHECK(changed == 1);
    }
    CHECK(moved.size() == k);  // each factor moves once per trajectory
  }
}

TEST_CASE("scenario::sample: full factorial over choice levels", "[scenario][samplers]") {
  Uncertainty a, b;
  a.name = "prices.volatility";
  a.distribution = b.distribution = Uncertainty::Distribution::choice;
  a.args = {0.1, 0.2};
  b.name = "replacement.growth_rate";
  b.args = {0.02, 0.05, 0.08};
  const auto s = with("factorial", 2, {a, b});
  REQUIRE(scenario::run_count(s) == 12);
  std::set<std::pair<double, double>> combos;
  for (std::uint64_t r = 0; r < 12; ++r) {
    const auto v = scenario::sample(s, r);
    combos.insert({value(v, a.name), value(v, b.name)});
    if (r % 2 == 1) CHECK(v == scenario::sample(s, r - 1));  // repeats are adjacent
  }
  CHECK(combos.size() == 6);
}

TEST_CASE("scenario::load: a design read from CSV", "[scenario][samplers]") {
  const auto dir = fs::temp_directory_path() /
                   ("regsim-design-" +
                    std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
  fs::create_directories(dir);
  std::ofstream(dir / "design.csv") << "prices.volatility,replacement.growth_rate\n0.1,0.02\n"
                                       "0.2,0.04\n0.3,0.06\n";
  std::ofstream(dir / "s.yaml")
      << "scenario: d\nexperiment: {sampling: design, file: design.csv}\n";
  std::ofstream(dir / "bad.csv") << "prices.volatility,replacement.growth_rat\n0.1,0.02\n";
  std::ofstream(dir / "bad.yaml") << "scenario: d\nexperiment: {sampling: design, file: bad.csv}\n";
  const auto s = scenario::load(dir / "s.yaml", {}, source_dir / "seeds");
  CHECK(scenario::run_count(s) == 3);
  CHECK(value(scenario::sample(s, 1), "replacement.growth_rate") == 0.04);
  try {
    scenario::load(dir / "bad.yaml", {}, source_dir / "seeds");
    FAIL("expected an InputError");
  } catch (const scenario::InputError& e) {
    const auto& d = e.diagnostics().front();
    CHECK(d.where.line == 1);
    CHECK(d.where.column == 19);
    CHECK(d.suggestion == "replacement.growth_rate");
  }
  fs::remove_all(dir);
}
