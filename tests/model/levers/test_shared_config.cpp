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

namespace fs = std::filesystem;
using namespace regsim;

namespace {

const fs::path source_dir = REGSIM_SOURCE_DIR;

bool same(const model::ReplicationResult& a, const model::ReplicationResult& b) {
  const auto& x = a.trajectories;
  const auto& y = b.trajectories;
  if (x.cities() != y.cities() || x.months() != y.months()) return false;
  for (std::size_t i = 0; i < model::indicator_count; ++i) {
    for (std::size_t c = 0; c < x.cities(); ++c) {
      for (std::size_t m = 0; m < x.months(); ++m) {
        const auto id = static_cast<model::Indicator>(i);
        if (x.at(id, c, m) != y.at(id, c, m)) return false;
      }
    }
  }
  if (a.events.size() != b.events.size()) return false;
  for (std::size_t e = 0; e < a.events.size(); ++e) {
    const auto &p = a.events[e], &q = b.events[e];
    if (p.time_months != q.time_months || p.city != q.city || p.kind != q.kind ||
        p.value != q.value) {
      return false;
    }
  }
  return a.stats.events == b.stats.events;
}

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
  REQUIRE_FALSE(same(a, b));  // the replications differ
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
  CHECK(same(*a1, a));
  CHECK(same(*a2, a));
  CHECK(same(*b1, b));
  CHECK(same(*b2, b));
}
