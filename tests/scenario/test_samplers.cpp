// Samplers: determinism keyed by name, Latin hypercube strata, the shapes of
// the Sobol/Saltelli and Morris designs, factorial levels, CSV designs.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <set>

#include <catch2/catch.hpp>

#include "scenario/keys.hpp"
#include "scenario/samplers.hpp"
#include "scenario/scenario.hpp"

namespace fs = std::filesystem;
using namespace regsim;
using scenario::Uncertainty;

namespace {

const fs::path source_dir = REGSIM_SOURCE_DIR;

Uncertainty uniform(const std::string& name, double a, double b) {
  Uncertainty u;
  u.param = *model::find_param(name);
  u.name = name;
  u.distribution = Uncertainty::Distribution::uniform;
  u.args = {a, b};
  return u;
}

scenario::Scenario with(std::string_view sampling, std::uint64_t n, std::vector<Uncertainty> us) {
  scenario::Scenario s;
  for (std::size_t i = 0; i < std::size(scenario::keys::samplers); ++i) {
    if (scenario::keys::samplers[i].name == sampling)
      s.sampling = static_cast<scenario::Sampling>(i);
  }
  s.replications = n;
  s.seed = 99;
  s.uncertainties = std::move(us);
  return s;
}

double value(const std::vector<std::pair<model::Param, double>>& v, const std::string& name) {
  for (const auto& [p, x] : v) {
    if (model::spec(p).name == name) return x;
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
  a.param = model::Param::prices_volatility;
  a.distribution = b.distribution = Uncertainty::Distribution::choice;
  a.args = {0.1, 0.2};
  b.name = "replacement.growth_rate";
  b.param = model::Param::replacement_growth_rate;
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

// ---------------------------------------------------------------------------
// experiment.design: a design file's rows beside another sampling

namespace {

// A scenario with a design of `rows` rows (column labour.job_finding_rate,
// row i holding 0.01 + i / 1000) beside `sampling`.
scenario::Scenario with_design(std::string_view sampling, std::uint64_t n, std::uint64_t rows,
                               std::vector<Uncertainty> us) {
  auto s = with(sampling, n, std::move(us));
  s.design_file = "design.csv";
  s.design_columns = {model::Param::labour_job_finding_rate};
  for (std::uint64_t i = 0; i < rows; ++i) {
    s.design_rows.push_back({0.01 + static_cast<double>(i) / 1000.0});
  }
  return s;
}

}  // namespace

TEST_CASE("scenario::design_row: deterministic in (seed, replication), balanced over the rows",
          "[scenario][samplers][design][determinism]") {
  for (const std::uint64_t rows : {1u, 7u, 24u}) {
    for (const std::uint64_t n : {5u, 24u, 100u}) {
      const auto s = with_design("monte_carlo", n, rows, {uniform("prices.volatility", 0.1, 0.3)});
      std::vector<std::uint64_t> uses(rows, 0);
      for (std::uint64_t r = 0; r < n; ++r) {
        const auto row = scenario::design_row(s, r);
        REQUIRE(row >= 0);
        REQUIRE(static_cast<std::uint64_t>(row) < rows);
        CHECK(row == scenario::design_row(s, r));
        ++uses[static_cast<std::size_t>(row)];
        // The run takes that row's values.
        CHECK(value(scenario::sample(s, r), "labour.job_finding_rate") ==
              s.design_rows[static_cast<std::size_t>(row)][0]);
      }
      INFO(rows << " rows, " << n << " replications");
      const auto [lo, hi] = std::minmax_element(uses.begin(), uses.end());
      CHECK(*hi - *lo <= 1);  // each row equally often, +-1
    }
  }
  // A seeded order, not the file order: another seed gives another order.
  auto a = with_design("monte_carlo", 24, 24, {});
  auto b = a;
  b.seed = 100;
  std::vector<std::int64_t> ra, rb;
  for (std::uint64_t r = 0; r < 24; ++r) {
    ra.push_back(scenario::design_row(a, r));
    rb.push_back(scenario::design_row(b, r));
  }
  CHECK(ra != rb);
  std::vector<std::int64_t> identity(24);
  std::iota(identity.begin(), identity.end(), 0);
  CHECK(ra != identity);
  CHECK(scenario::design_row(with("monte_carlo", 4, {}), 0) == -1);  // no design
}

TEST_CASE("scenario::design_row: adding an uncertainty changes neither the rows nor the draws",
          "[scenario][samplers][design][determinism]") {
  for (const std::string sampling : {"monte_carlo", "latin_hypercube"}) {
    const auto one = with_design(sampling, 30, 7, {uniform("prices.volatility", 0.1, 0.3)});
    auto two = one;
    two.uncertainties.insert(two.uncertainties.begin(),
                             uniform("replacement.growth_rate", 0.02, 0.1));
    const auto plain = with(sampling, 30, {uniform("prices.volatility", 0.1, 0.3)});
    for (std::uint64_t r = 0; r < 30; ++r) {
      INFO(sampling << " run " << r);
      CHECK(scenario::design_row(one, r) == scenario::design_row(two, r));
      const auto a = scenario::sample(one, r), b = scenario::sample(two, r);
      CHECK(value(a, "labour.job_finding_rate") == value(b, "labour.job_finding_rate"));
      CHECK(value(a, "prices.volatility") == value(b, "prices.volatility"));
      // ... and the design does not change the uncertainties' draws.
      CHECK(value(a, "prices.volatility") ==
            value(scenario::sample(plain, r), "prices.volatility"));
    }
  }
}

TEST_CASE("scenario::sample: design columns first, then the uncertainties, or the design alone",
          "[scenario][samplers][design]") {
  const auto s = with_design(
      "latin_hypercube", 10, 4,
      {uniform("prices.volatility", 0.1, 0.3), uniform("replacement.growth_rate", 0.02, 0.1)});
  CHECK(scenario::run_count(s) == 10);
  CHECK(scenario::sample_names(s) == std::vector<std::string>{"labour.job_finding_rate",
                                                              "prices.volatility",
                                                              "replacement.growth_rate"});
  const auto v = scenario::sample(s, 3);
  REQUIRE(v.size() == 3);
  CHECK(v[0].first == model::Param::labour_job_finding_rate);
  // sampling: design runs each row once, in file order, and nothing else.
  auto d = with_design("design", 1, 5, {uniform("prices.volatility", 0.1, 0.3)});
  CHECK(scenario::run_count(d) == 5);
  CHECK(scenario::sample_names(d) == std::vector<std::string>{"labour.job_finding_rate"});
  for (std::uint64_t r = 0; r < 5; ++r) {
    CHECK(scenario::design_row(d, r) == static_cast<std::int64_t>(r));
    CHECK(scenario::sample(d, r).size() == 1);
  }
}

TEST_CASE("scenario::design_row: runs an estimator compares share their replication's row",
          "[scenario][samplers][design]") {
  const std::vector<Uncertainty> us{uniform("prices.volatility", 0.1, 0.3),
                                    uniform("replacement.growth_rate", 0.02, 0.1)};
  const auto mc = with_design("monte_carlo", 8, 5, us);
  // Sobol: the k + 2 runs of base sample i take replication i's row.
  const auto sobol = with_design("sobol", 8, 5, us);
  for (std::uint64_t r = 0; r < scenario::run_count(sobol); ++r) {
    CHECK(scenario::design_row(sobol, r) == scenario::design_row(mc, r / 4));
  }
  // Morris: the k + 1 runs of trajectory t take replication t's row.
  const auto morris = with_design("morris", 8, 5, us);
  for (std::uint64_t r = 0; r < scenario::run_count(morris); ++r) {
    CHECK(scenario::design_row(morris, r) == scenario::design_row(mc, r / 3));
  }
  // Factorial: every level combination of repetition j takes replication j's row.
  Uncertainty c;
  c.name = "retraining.placement_rate";
  c.param = *model::find_param("retraining.placement_rate");
  c.distribution = Uncertainty::Distribution::choice;
  c.args = {0.4, 0.6, 0.8};
  const auto factorial = with_design("factorial", 4, 5, {c});
  REQUIRE(scenario::run_count(factorial) == 12);
  for (std::uint64_t r = 0; r < 12; ++r) {
    CHECK(scenario::design_row(factorial, r) == scenario::design_row(mc, r % 4));
  }
}

TEST_CASE("scenario::load: experiment.design beside a sampling, inherited, --set, resolved",
          "[scenario][samplers][design][requirement]") {
  const auto dir = fs::temp_directory_path() /
                   ("regsim-design-" +
                    std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
  fs::create_directories(dir / "sets");
  std::ofstream(dir / "sets/nroy.csv") << "labour.job_finding_rate,replacement.growth_rate\n"
                                          "0.02,0.05\n0.03,0.06\n0.04,0.07\n";
  std::ofstream(dir / "parent.yaml")
      << "scenario: p\nexperiment: {replications: 9, sampling: latin_hypercube,\n"
         "             design: sets/nroy.csv}\n"
         "uncertainties:\n  prices.volatility: {uniform: [0.1, 0.3]}\n";
  fs::create_directories(dir / "child");
  std::ofstream(dir / "child/c.yaml") << "scenario: c\nextends: ../parent.yaml\n";
  const auto s = scenario::load(dir / "child/c.yaml", {}, source_dir / "seeds");
  CHECK(s.sampling == scenario::Sampling::latin_hypercube);
  CHECK(s.design_file == (dir / "sets/nroy.csv").lexically_normal());  // relative to the parent
  CHECK(s.design_rows.size() == 3);
  CHECK(scenario::run_count(s) == 9);
  CHECK(scenario::sample(s, 0).size() == 3);
  // The resolved scenario names the file by its absolute path and loads alone.
  CHECK(s.resolved_yaml.find((dir / "sets/nroy.csv").lexically_normal().string()) !=
        std::string::npos);
  std::ofstream(dir / "resolved.yaml") << s.resolved_yaml;
  const auto again = scenario::load(dir / "resolved.yaml", {}, source_dir / "seeds");
  CHECK(again.design_rows == s.design_rows);
  for (std::uint64_t r = 0; r < 9; ++r) CHECK(scenario::sample(again, r) == scenario::sample(s, r));
  // --set replaces it (relative to the working directory) or switches it off.
  const auto off =
      scenario::load(dir / "child/c.yaml", {"experiment.design="}, source_dir / "seeds");
  CHECK(!scenario::has_design(off));
  CHECK(scenario::sample_names(off) == std::vector<std::string>{"prices.volatility"});
  const auto set = scenario::load(dir / "child/c.yaml",
                                  {"experiment.design=" + (dir / "sets/nroy.csv").string()},
                                  source_dir / "seeds");
  CHECK(set.design_rows.size() == 3);
  fs::remove_all(dir);
}
