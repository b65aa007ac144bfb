// The ensemble file: layout, values, summaries, crash safety.
#include <filesystem>

#include <catch2/catch.hpp>

#include "io/ensemble_writer.hpp"
#include "io/h5_file.hpp"
#include "scenario/diagnostics.hpp"
#include "tests/model/test_region.hpp"

using namespace regsim;
namespace fs = std::filesystem;

namespace {

fs::path scratch(const std::string& name) {
  const fs::path dir = fs::path(REGSIM_BINARY_DIR) / "tests" / "scratch";
  fs::create_directories(dir);
  const fs::path p = dir / name;
  fs::remove(p);
  fs::remove(p.string() + ".partial");
  return p;
}

std::vector<model::ReplicationResult> run(const model::CityCatalogue& region, int n) {
  std::vector<model::ReplicationResult> out;
  for (int r = 0; r < n; ++r) {
    model::ModelConfig c;
    c.seed = 7;
    c.replication = static_cast<std::uint64_t>(r);
    c.months = 36;
    out.push_back(model::run_replication(region, c));
  }
  return out;
}

io::OutputSpec spec36() {
  io::OutputSpec s;
  s.months = 36;
  return s;
}

}  // namespace

TEST_CASE(
    "io::EnsembleWriter: writes trajectories, aggregates, summaries, goals; renames on finish",
    "[io][output][requirement]") {
  const auto region =
      testing::make_region({testing::TestCity{}, testing::TestCity{.province = "Hebei"}});
  const auto results = run(region, 3);
  const fs::path out = scratch("ensemble.h5");
  const std::size_t groups = model::make_groups(region).size();
  {
    io::RunMetadata meta;
    meta.scenario_name = "test";
    meta.scenario_yaml = "scenario: test\n";
    meta.seed = 7;
    meta.replications = 3;
    io::GoalDefinition goal;
    goal.indicator = "unemployment_rate";
    goal.comparison = "below";
    goal.threshold = 0.05;
    goal.where = "all";
    meta.goals = {goal};
    meta.uncertainty_units = {"1/year"};
    meta.policies = {{"seats", "training_seats", "2013 plan §6(1)"}};
    io::EnsembleWriter w(out, region, spec36(), meta, {"replacement.growth_rate"},
                         {"unemployment-below-5pct"}, false);
    const io::ReportedValues reported(region, spec36());
    for (std::uint64_t r = 0; r < 3; ++r) {
      // Replicate 2 comes with its digest and aggregates computed by the
      // caller (as `regsim run` does in its workers); the others without.
      const bool precomputed = r == 2;
      // By group: met in the nation except in replicate 1; the second
      // group is not applicable in replicate 0. By city: city 1 always met.
      std::vector<std::uint8_t> by_group(groups, r != 1 ? 1 : 0), by_city{0, 1};
      if (r == 0) by_group[1] = 2;
      w.write(io::ReplicateRecord{
          r,
          &results[r],
          {0.05 + 0.01 * static_cast<double>(r)},
          {io::GoalRecord{r != 1, 0.01, 12}},
          precomputed ? io::replicate_digest(results[r]) : 0,
          precomputed ? reported.trajectories(results[r]) : std::vector<float>{},
          precomputed ? reported.aggregates(results[r]) : std::vector<float>{},
          by_group,
          by_city});
    }
    CHECK(fs::exists(w.partial_path()));
    CHECK_FALSE(fs::exists(out));
    w.finish();
  }
  REQUIRE(fs::exists(out));
  CHECK_FALSE(fs::exists(out.string() + ".partial"));

  auto f = io::H5File::open(out);
  CHECK(f.attribute<std::int32_t>("/", "complete") == 1);
  CHECK(f.attribute<std::string>("/", "scenario_yaml") == "scenario: test\n");
  CHECK(f.shape("/trajectories/unemployment_rate") == io::Extent{3, 2, 3});  // annual: 2013..2015
  const auto months = f.read<double>("/time");
  CHECK(months == std::vector<double>{334, 699, 1064});  // 2013-12-01, 2014-12-01, 2015-12-01
  // Values are the model's at December of each year.
  const auto u = f.read<float>("/trajectories/unemployed");
  CHECK(u[(1 * 2 + 0) * 3 + 2] ==
        static_cast<float>(results[1].trajectories.at(model::Indicator::unemployed, 0, 35)));
  // The nation aggregate is the sum over cities; ratios are ratios of sums.
  const auto agg = f.read<float>("/aggregates/unemployed");
  CHECK(agg[0] == Approx(u[0] + u[3]));
  REQUIRE(f.shape("/group")[0] == groups);
  CHECK(agg[(2 * groups + 0) * 3 + 0] == Approx(u[(2 * 2 + 0) * 3] + u[(2 * 2 + 1) * 3]));
  CHECK(f.read<std::uint64_t>("/checksums/digest")[2] == io::replicate_digest(results[2]));
  // Summary mean over the three replicates.
  const auto mean = f.read<float>("/summary/unemployed", {0, 0, 0}, {1, 1, 1});
  CHECK(mean[0] == Approx((u[0] + u[6] + u[12]) / 3.0));
  CHECK(f.read<double>("/goals/probability")[0] == Approx(2.0 / 3.0));
  const auto by_group = f.read<double>("/goals/probability_by_group");
  REQUIRE(by_group.size() == groups);
  CHECK(by_group[0] == Approx(2.0 / 3.0));
  CHECK(by_group[1] == Approx(1.0 / 2.0));  // applicable in replicates 1 and 2 only
  CHECK(f.read<double>("/goals/probability_by_city") == std::vector<double>{0.0, 1.0});
  CHECK(f.read<double>("/goals/probability_low_by_city")[1] > 0.4);
  CHECK(f.read<double>("/goals/probability_high_by_city")[1] == 1.0);
  CHECK(f.read<std::string>("/goals/comparison") == std::vector<std::string>{"below"});
  CHECK(f.read<double>("/goals/threshold") == std::vector<double>{0.05});
  CHECK(f.read<std::string>("/uncertainties/unit") == std::vector<std::string>{"1/year"});
  CHECK(f.read<std::string>("/policies/lever") == std::vector<std::string>{"training_seats"});
  CHECK(f.read<std::string>("/policies/policy") == std::vector<std::string>{"seats"});
  CHECK(f.read<double>("/uncertainties/value") ==
        std::vector<double>{0.05, 0.05 + 0.01, 0.05 + 0.01 * 2.0});
  CHECK(f.read<std::uint64_t>("/checksums/digest")[0] == io::replicate_digest(results[0]));
  CHECK(f.shape("/events/month")[0] > 0);
}

TEST_CASE("io::EnsembleWriter: an unfinished run leaves only a .partial file",
          "[io][output][requirement]") {
  const auto region = testing::make_region({testing::TestCity{}});
  const auto results = run(region, 2);
  const fs::path out = scratch("unfinished.h5");
  {
    io::EnsembleWriter w(out, region, spec36(), {}, {}, {}, false);
    w.write(io::ReplicateRecord{0, &results[0], {}, {}, 0, {}, {}, {}, {}});
  }  // destroyed without finish(), as when a run fails
  CHECK_FALSE(fs::exists(out));
  REQUIRE(fs::exists(out.string() + ".partial"));
  auto f = io::H5File::open(out.string() + ".partial");
  CHECK(f.attribute<std::int32_t>("/", "complete") == 0);
}

TEST_CASE("io::EnsembleWriter: refuses to replace an existing file without force",
          "[io][output][error_guessing]") {
  const auto region = testing::make_region({testing::TestCity{}});
  const auto results = run(region, 1);
  const fs::path out = scratch("exists.h5");
  {
    io::EnsembleWriter w(out, region, spec36(), {}, {}, {}, false);
    w.write(io::ReplicateRecord{0, &results[0], {}, {}, 0, {}, {}, {}, {}});
    w.finish();
  }
  CHECK_THROWS_AS(io::EnsembleWriter(out, region, spec36(), {}, {}, {}, false),
                  scenario::InputError);
  CHECK_NOTHROW(io::EnsembleWriter(out, region, spec36(), {}, {}, {}, true));
}

TEST_CASE("io::replicate_digest: equal for equal runs, different otherwise", "[io][determinism]") {
  const auto region = testing::make_region({testing::TestCity{}, testing::TestCity{}});
  model::ModelConfig c;
  c.months = 24;
  const auto a = model::run_replication(region, c, 1);
  const auto b = model::run_replication(region, c, 2);
  CHECK(io::replicate_digest(a) == io::replicate_digest(b));
  c.replication = 1;
  CHECK(io::replicate_digest(model::run_replication(region, c)) != io::replicate_digest(a));
}
