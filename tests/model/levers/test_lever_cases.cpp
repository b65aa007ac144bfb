// Data-driven lever cases (LAMMPS force-style YAML): each file in cases/ is
// a tiny scenario whose goals are the expectations. Every goal must be met
// with the policies, and at least one must fail without them, so each case
// shows its lever's effect. People are conserved in every city and month
// (the model checks this itself and throws InvariantError).
#include <filesystem>
#include <string>

#include <catch2/catch.hpp>

#include "io/seeds_reader.hpp"
#include "model/simulation.hpp"
#include "scenario/scenario.hpp"

namespace fs = std::filesystem;
using namespace regsim;

namespace {

const fs::path source_dir = REGSIM_SOURCE_DIR;

std::vector<scenario::GoalResult> run(const scenario::Scenario& s,
                                      const model::CityCatalogue& region) {
  const auto config = scenario::compile(s, region);
  const auto result = model::run_replication(region, config, scenario::replication_inputs(s, 0));
  return scenario::evaluate_goals(s, region, result.trajectories);
}

}  // namespace

TEST_CASE("model::levers: each case meets its goals with the lever and misses one without",
          "[model][levers][requirement]") {
  std::vector<fs::path> cases;
  for (const auto& e : fs::directory_iterator(source_dir / "tests/model/levers/cases")) {
    if (e.path().extension() == ".yaml") cases.push_back(e.path());
  }
  std::sort(cases.begin(), cases.end());
  REQUIRE(cases.size() >= 13);
  for (const auto& file : cases) {
    SECTION(file.filename().string()) {
      const auto s = scenario::load(file, {}, source_dir / "tests/data/regions/tiny");
      const auto region = io::read_region(s.region);
      scenario::check_against_region(s, region);
      REQUIRE(!s.policies.empty());
      REQUIRE(!s.goals.empty());
      const auto with = run(s, region);
      auto without_policies = s;
      without_policies.policies.clear();
      const auto without = run(without_policies, region);
      bool some_missed = false;
      for (std::size_t g = 0; g < s.goals.size(); ++g) {
        INFO(file.filename().string() << ": goal '" << s.goals[g].name << "' margin with "
                                      << with[g].margin << ", without " << without[g].margin);
        CHECK(with[g].met);
        some_missed = some_missed || !without[g].met;
      }
      INFO(file.filename().string());
      CHECK(some_missed);
    }
  }
}
