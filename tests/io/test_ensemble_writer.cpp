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
    c.months = 36;
    model::ReplicationInputs in;
    in.seed = 7;
    in.replication = static_cast<std::uint64_t>(r);
    out.push_back(model::run_replication(region, c, in));
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
    io::PolicyDefinition seats;
    seats.name = "seats";
    seats.lever = "training_seats";
    seats.source = "2013 plan §6(1)";
    seats.from = "2014-01";
    seats.where = "category: declining";
    seats.set = "seats_per_1000_unemployed=5";
    seats.trigger_indicator = "unemployment_rate";
    seats.trigger_comparison = "above";
    seats.trigger_threshold = 0.06;
    seats.trigger_months = 3;
    meta.policies = {seats};
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
          {scenario::GoalResult{r != 1, 0.01, 12}},
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
  // The file describes each policy, so that readers need not parse the scenario.
  CHECK(f.read<std::string>("/policies/from") == std::vector<std::string>{"2014-01"});
  CHECK(f.read<std::string>("/policies/to") == std::vector<std::string>{""});
  CHECK(f.read<std::string>("/policies/where") == std::vector<std::string>{"category: declining"});
  CHECK(f.read<std::string>("/policies/set") ==
        std::vector<std::string>{"seats_per_1000_unemployed=5"});
  CHECK(f.read<std::string>("/policies/trigger_comparison") == std::vector<std::string>{"above"});
  CHECK(f.read<double>("/policies/trigger_threshold") == std::vector<double>{0.06});
  CHECK(f.read<std::int32_t>("/policies/trigger_months") == std::vector<std::int32_t>{3});
  CHECK(f.read<std::uint8_t>("/policies/trigger_rearm") == std::vector<std::uint8_t>{0});
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
  model::ReplicationInputs in;
  const auto a = model::run_replication(region, c, in, 1);
  const auto b = model::run_replication(region, c, in, 2);
  CHECK(io::replicate_digest(a) == io::replicate_digest(b));
  in.replication = 1;
  CHECK(io::replicate_digest(model::run_replication(region, c, in)) != io::replicate_digest(a));
}

namespace {

// Writes replicates [first, first + count) of `results` as a journal block.
io::BlockHeader write_block(const model::CityCatalogue& region,
                            const std::vector<model::ReplicationResult>& results,
                            std::uint64_t first, std::uint64_t count, const std::string& name) {
  const fs::path path = scratch(name);
  io::OutputSpec spec = spec36();
  spec.first_replicate = first;
  io::RunMetadata meta;
  meta.scenario_yaml = "scenario: blocks\n";
  meta.seed = 7;
  meta.replications = results.size();
  io::EnsembleWriter w(path, region, spec, meta, {}, {}, true,
                       io::EnsembleWriter::Kind::journal_block);
  for (std::uint64_t r = first; r < first + count; ++r) {
    w.write(io::ReplicateRecord{r, &results[r], {}, {}, 0, {}, {}, {}, {}});
  }
  w.finish();
  return io::read_block_header(path);
}

}  // namespace

TEST_CASE("io::EnsembleWriter: a run assembled from blocks equals one written directly",
          "[io][output][journal]") {
  const auto region = testing::make_region({testing::TestCity{}, testing::TestCity{}});
  const auto results = run(region, 5);
  io::RunMetadata meta;
  meta.scenario_yaml = "scenario: blocks\n";
  meta.seed = 7;
  meta.replications = 5;
  const fs::path direct = scratch("direct.h5"), assembled = scratch("assembled.h5");
  io::OutputSpec spec = spec36();
  spec.keep_replicates = 2;
  {
    io::EnsembleWriter w(direct, region, spec, meta, {}, {}, true);
    for (std::uint64_t r = 0; r < 5; ++r) {
      w.write(io::ReplicateRecord{r, &results[r], {}, {}, 0, {}, {}, {}, {}});
    }
    w.finish();
  }
  const auto a = write_block(region, results, 0, 3, "block-a.h5");
  const auto b = write_block(region, results, 3, 2, "block-b.h5");
  CHECK(a.first == 0);
  CHECK(a.count == 3);
  CHECK(b.first == 3);
  CHECK(a.identity.difference(io::identity_of(meta)).empty());
  {
    io::EnsembleWriter w(assembled, region, spec, meta, {}, {}, true);
    CHECK_THROWS_AS(w.append_block(b), std::logic_error);  // out of order
    w.append_block(a);
    w.append_block(b);
    w.finish();
  }
  const auto d = io::H5File::open(direct);
  const auto m = io::H5File::open(assembled);
  for (const char* v : {"/trajectories/population", "/aggregates/population", "/events/month",
                        "/events/replicate", "/checksums/digest", "/replicate"}) {
    CHECK(d.shape(v) == m.shape(v));
    CHECK(d.read<double>(v) == m.read<double>(v));
  }
  CHECK(m.shape("/trajectories/population")[0] == 2);  // keeps the first two
  // The assembled summaries cover all five replicates, as those of a file
  // keeping every trajectory do; the direct file's only the two it keeps.
  const fs::path every = scratch("every.h5");
  {
    io::OutputSpec all = spec36();
    io::EnsembleWriter w(every, region, all, meta, {}, {}, true);
    for (std::uint64_t r = 0; r < 5; ++r) {
      w.write(io::ReplicateRecord{r, &results[r], {}, {}, 0, {}, {}, {}, {}});
    }
    w.finish();
  }
  const auto e = io::H5File::open(every);
  CHECK(m.read<float>("/summary/population") == e.read<float>("/summary/population"));
  // Summarised one city at a time (a budget of one byte): the same values.
  const fs::path sliced = scratch("sliced.h5");
  {
    io::OutputSpec one_city = spec;
    one_city.summary_memory = 1;
    io::EnsembleWriter w(sliced, region, one_city, meta, {}, {}, true);
    w.append_block(a);
    w.append_block(b);
    w.finish();
  }
  const auto s = io::H5File::open(sliced);
  for (const char* v :
       {"/summary/population", "/summary/unemployment_rate", "/summary_groups/population"}) {
    CHECK(s.read<float>(v) == m.read<float>(v));
  }
  CHECK(m.read<float>("/summary/population") != d.read<float>("/summary/population"));
}

TEST_CASE("io::check_block: a changed value, a block of another run", "[io][journal]") {
  const auto region = testing::make_region({testing::TestCity{}});
  const auto results = run(region, 2);
  const auto block = write_block(region, results, 0, 2, "block-check.h5");
  CHECK_NOTHROW(io::check_block(block));
  {
    auto f = io::H5File::open(block.path, io::H5File::Access::read_write);
    f.write("/aggregates/population", {1, 0, 0}, {1, 1, 1}, std::vector<float>{-1.0f});
  }
  CHECK_THROWS_WITH(io::check_block(block),
                    Catch::Contains("its content does not match its digest"));
  io::RunIdentity other = block.identity;
  other.seed = 8;
  CHECK(block.identity.difference(other) == "seed (7 here, 8 there)");
  other = block.identity;
  other.version = "9.9";
  CHECK(block.identity.difference(other).starts_with("regsim version"));
  // A run file is not a block.
  CHECK_THROWS_AS(io::read_block_header(scratch("not-a-block.h5").string() + "-missing"),
                  scenario::InputError);
}
