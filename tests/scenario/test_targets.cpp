// The calibration targets file: a valid example read into its structs, the
// default box from a scenario's uncertainties, and the corpus of invalid
// files (tests/scenario/targets/invalid/*.yaml, each starting with
// `# expect: LINE:COL: message-prefix` for its first diagnostic).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "io/seeds_reader.hpp"
#include "scenario/scenario.hpp"
#include "scenario/targets.hpp"
#include "tests/scenario/expect_corpus.hpp"

namespace fs = std::filesystem;
using namespace regsim;

namespace {
const fs::path source_dir = REGSIM_SOURCE_DIR;
const fs::path dir = source_dir / "tests/scenario/targets";

scenario::Scenario tiny() { return scenario::load(dir / "tiny.yaml", {}, source_dir / "seeds"); }

std::vector<scenario::Diagnostic> problems(const fs::path& file, const scenario::Scenario& s) {
  const auto region = io::read_region(s.region);
  try {
    const auto t = scenario::load_targets(file, s);
    scenario::check_against_region(t, region);
  } catch (const scenario::InputError& e) {
    return e.diagnostics();
  }
  return {};
}
}  // namespace

TEST_CASE("scenario::load_targets: the example file", "[scenario][targets]") {
  const auto s = tiny();
  const auto t = scenario::load_targets(dir / "example.yaml", s);
  scenario::check_against_region(t, io::read_region(s.region));
  REQUIRE(t.targets.size() == 2);
  const auto& a = t.targets[0];
  CHECK(a.name == "unemployed-ex-miners-2015");
  CHECK(a.indicator == model::Indicator::unemployed_ex_miners);
  CHECK(a.selector.to_where() == "resource=coal");
  CHECK(!a.mean_over);
  CHECK(scenario::date_text(a) == "2015-12");
  CHECK(a.observed == 1500.0);
  CHECK(a.error == 150.0);
  CHECK(a.discrepancy == 0.05);  // the file's default
  CHECK(a.source == "test: made-up observation for the tiny region");
  const auto& b = t.targets[1];
  CHECK(b.mean_over);
  CHECK(scenario::date_text(b) == "2014-01..2014-12");
  CHECK(b.selector.all());
  CHECK(b.discrepancy == 0.1);  // its own
  CHECK(scenario::last_month(t) == scenario::YearMonth{2015, 12});
  REQUIRE(t.parameters.size() == 1);
  CHECK(!t.parameters_from_scenario);
  CHECK(t.parameters[0].name == "labour.job_finding_rate");
  CHECK(t.parameters[0].id == *model::find_param("labour.job_finding_rate"));
  CHECK(t.parameters[0].lo == 0.005);
  CHECK(t.parameters[0].hi == 0.1);
}

TEST_CASE(
    "scenario::load_targets: without parameters, the box spans the scenario's "
    "uncertainties",
    "[scenario][targets]") {
  auto s = tiny();
  const fs::path file = fs::temp_directory_path() / "regsim-targets-no-parameters.yaml";
  {
    std::ifstream in(dir / "example.yaml");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    text = text.substr(0, text.find("parameters:"));
    std::ofstream(file) << text;
  }
  const auto t = scenario::load_targets(file, s);
  CHECK(t.parameters_from_scenario);
  REQUIRE(t.parameters.size() == 2);
  CHECK(t.parameters[0].name == "labour.job_finding_rate");
  CHECK(t.parameters[0].lo == 0.005);  // uniform [0.005, 0.1]
  CHECK(t.parameters[0].hi == 0.1);
  CHECK(t.parameters[1].name == "replacement.growth_rate");
  CHECK(t.parameters[1].lo == 0.02);  // triangular [0.02, 0.08, 0.2]
  CHECK(t.parameters[1].hi == 0.2);

  s.uncertainties.clear();
  try {
    scenario::load_targets(file, s);
    FAIL("a calibration with nothing to calibrate was accepted");
  } catch (const scenario::InputError& e) {
    const auto& d = e.diagnostics().front();
    CHECK(d.message.rfind("nothing to calibrate", 0) == 0);
    CHECK(d.where.line == 3);  // the first key of the file (after two comment lines)
  }
  fs::remove(file);
}

TEST_CASE("scenario::parameter_range: bounds of each distribution, clipped to the registry",
          "[scenario][targets]") {
  scenario::Uncertainty u;
  u.param = model::Param::labour_job_finding_rate;  // registry range [0, 1]
  u.name = "labour.job_finding_rate";
  using D = scenario::Uncertainty::Distribution;
  const auto range = [&](D d, std::vector<double> args) {
    u.distribution = d;
    u.args = std::move(args);
    const auto r = scenario::parameter_range(u);
    return std::make_pair(r.lo, r.hi);
  };
  CHECK(range(D::uniform, {0.01, 0.06}) == std::make_pair(0.01, 0.06));
  CHECK(range(D::triangular, {0.01, 0.02, 0.06}) == std::make_pair(0.01, 0.06));
  CHECK(range(D::normal, {0.5, 0.1}).first == Approx(0.2));
  CHECK(range(D::normal, {0.5, 0.1}).second == Approx(0.8));
  CHECK(range(D::normal, {0.05, 0.1}).first == 0.0);  // clipped below at 0
  CHECK(range(D::normal, {0.05, 0.1}).second == Approx(0.35));
  CHECK(range(D::choice, {0.3, 0.1, 0.2}) == std::make_pair(0.1, 0.3));
  u.truncate = std::make_pair(0.1, 0.2);
  CHECK(range(D::normal, {0.5, 0.1}) == std::make_pair(0.1, 0.2));
}

TEST_CASE(
    "scenario::load_targets: every invalid targets file fails with its expected first "
    "diagnostic",
    "[scenario][targets][errors][error_guessing]") {
  const auto files = testing::yaml_files(dir / "invalid");
  REQUIRE(files.size() >= 25);
  const auto s = tiny();
  for (const auto& file : files) {
    SECTION(file.filename().string()) {
      const std::string expect = testing::expected_diagnostic(file);
      const auto diags = problems(file, s);
      REQUIRE(!diags.empty());
      const auto& d = diags.front();
      INFO(scenario::format(d));
      CHECK(fmt::format("{}:{}: {}", d.where.line, d.where.column, d.message).rfind(expect, 0) ==
            0);
      CHECK(fs::path(d.where.file).filename() == file.filename());
      CHECK(!d.source_line.empty());
    }
  }
}

TEST_CASE("scenario::load_targets: misspelt names get a suggestion",
          "[scenario][targets][errors]") {
  const auto s = tiny();
  const auto suggestion = [&](const char* name) {
    return problems(dir / "invalid" / name, s).front().suggestion;
  };
  CHECK(suggestion("unknown_top_key.yaml") == "targets");
  CHECK(suggestion("unknown_target_key.yaml") == "value");
  CHECK(suggestion("unknown_indicator.yaml") == "unemployment_rate");
  CHECK(suggestion("unknown_parameter.yaml") == "labour.job_finding_rate");
  CHECK(suggestion("unknown_resource.yaml") == "coal");
  CHECK(suggestion("unknown_province.yaml") == "Shanxi");
}
