// One compiled ModelConfig serves several replications at once: levers keep
// what their end actions need in the model (ledger slots), not in the
// config, so replications run concurrently from one config give exactly
// what they give run one after the other.
#include <filesystem>
#include <optional>

#include <catch2/catch.hpp>
#include <tbb/global_control.h>
#include <tbb/parallel_invoke.h>

#include "io/seeds_reader.hpp"
#include "model/simulation.hpp"
#include "scenario/scenario.hpp"
#include "tests/model/same_result.hpp"

namespace fs = std::filesystem;
using namespace regsim;

namespace {

const fs::path source_dir = REGSIM_SOURCE_DIR;

}  // namespace

TEST_CASE("model::levers: one compiled config runs concurrent replications as sequential ones",
          "[model][levers][determinism][requirement]") {
  const auto s = scenario::load(source_dir / "tests/model/levers/shared_config.yaml", {},
                                source_dir / "seeds");
  const auto region = io::read_region(s.region);
  scenario::check_against_region(s, region);
  const model::ModelConfig config = scenario::compile(s, region);
  // public_jobs x2, transfer_payment (training seats), exploration, training_seats;
  // wage_subsidy needs none (its end action divides by its own factor).
  CHECK(config.ledger_slots == 5);
  const auto first = scenario::replication_inputs(s, 0);
  const auto second = scenario::replication_inputs(s, 1);

  const auto a = model::run_replication(region, config, first);
  const auto b = model::run_replication(region, config, second);
  REQUIRE_FALSE(testing::same_result(a, b));  // the replications differ
  // Every policy acted (its log entries carry its index).
  for (std::size_t p = 0; p < s.policies.size(); ++p) {
    INFO("policy " << s.policies[p].name);
    CHECK(std::any_of(a.events.begin(), a.events.end(), [p](const model::LoggedEvent& e) {
      return (e.kind == model::LogKind::policy || e.kind == model::LogKind::trigger) &&
             e.value == static_cast<double>(p);
    }));
  }

  // Four runs at once from the one config, each on its own thread.
  tbb::global_control allow(tbb::global_control::max_allowed_parallelism, 4);
  std::optional<model::ReplicationResult> a1, b1, a2, b2;
  tbb::parallel_invoke([&] { a1 = model::run_replication(region, config, first); },
                       [&] { b1 = model::run_replication(region, config, second); },
                       [&] { a2 = model::run_replication(region, config, first); },
                       [&] { b2 = model::run_replication(region, config, second); });
  CHECK(testing::same_result(*a1, a));
  CHECK(testing::same_result(*a2, a));
  CHECK(testing::same_result(*b1, b));
  CHECK(testing::same_result(*b2, b));
}
