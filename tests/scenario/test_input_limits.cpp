// Limits instead of hangs, and refusals instead of silent acceptance, for
// scenario inputs (issue 15). The one-file cases live in the invalid corpus
// (tests/scenario/invalid/: yaml_alias_bomb, yaml_self_alias,
// yaml_duplicate_key, yaml_second_document, extends_device,
// extends_not_a_scenario, invalid_utf8, price_not_utf8,
// lever_years_reversed); these need several files, a FIFO, --set or a clock.
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "scenario/scenario.hpp"
#include "scenario/text.hpp"

namespace fs = std::filesystem;
using namespace regsim;

namespace {
const fs::path source_dir = REGSIM_SOURCE_DIR;
const fs::path tiny = source_dir / "tests/data/regions/tiny";

struct ScratchDir {
  ScratchDir()
      : path(fs::temp_directory_path() /
             ("regsim-limits-" +
              std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()))) {
    fs::create_directories(path);
  }
  ~ScratchDir() { fs::remove_all(path); }
  fs::path write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name, std::ios::binary) << text;
    return path / name;
  }
  fs::path path;
};

std::vector<scenario::Diagnostic> problems(const fs::path& file,
                                           const std::vector<std::string>& sets = {}) {
  try {
    scenario::load(file, sets, tiny);
  } catch (const scenario::InputError& e) {
    return e.diagnostics();
  }
  return {};
}
}  // namespace

TEST_CASE("scenario::load: the YAML alias bomb is refused in well under a second",
          "[scenario][limits][error_guessing]") {
  const auto start = std::chrono::steady_clock::now();
  const auto d = problems(source_dir / "tests/scenario/invalid/yaml_alias_bomb.yaml");
  const auto elapsed = std::chrono::steady_clock::now() - start;
  REQUIRE(d.size() == 1);
  CHECK(d[0].message ==
        "the YAML has more than 100000 nodes once its aliases are expanded (the limit of one "
        "input)");
  CHECK(d[0].where.line == 8);
  CHECK(elapsed < std::chrono::milliseconds(500));
}

TEST_CASE("scenario::load: an extends chain of 5,000 files stops at the limit",
          "[scenario][limits][extends][error_guessing]") {
  ScratchDir dir;
  for (int i = 0; i < 5000; ++i) {
    dir.write(fmt::format("s{}.yaml", i),
              i + 1 < 5000 ? fmt::format("scenario: s{}\nextends: s{}.yaml\n", i, i + 1)
                           : "scenario: last\n");
  }
  const auto d = problems(dir.path / "s0.yaml");
  REQUIRE(d.size() == 1);
  CHECK(d[0].message == "'extends' chain longer than 32 files (the limit)");
  CHECK(fs::path(d[0].where.file).filename() == "s31.yaml");
  CHECK(d[0].where.line == 2);
  // A chain within the limit loads.
  CHECK(scenario::load(dir.path / "s4968.yaml", {}, tiny).name == "s4968");
}

TEST_CASE("scenario::load: FIFOs and oversized files are refused before reading",
          "[scenario][limits][error_guessing]") {
  ScratchDir dir;
  REQUIRE(::mkfifo((dir.path / "fifo").c_str(), 0600) == 0);
  dir.write("big.yaml", "scenario: big\ndescription: " +
                            std::string(scenario::limits::scenario_bytes, 'x') + "\n");
  dir.write("sets.csv", "economy.growth_shift\n0.01\n");
  struct Case {
    std::string yaml, message;
  };
  const std::vector<Case> cases{
      {"scenario: a\nextends: fifo\n", "cannot read scenario file '" +
                                           (dir.path / "fifo").string() +
                                           "': a FIFO, not a regular file"},
      {"scenario: a\nextends: big.yaml\n",
       fmt::format("cannot read scenario file '{}': {} bytes, more than the limit of {} bytes",
                   (dir.path / "big.yaml").string(), scenario::limits::scenario_bytes + 28,
                   scenario::limits::scenario_bytes)},
      {"scenario: a\nprices: {coal: {file: fifo}}\n",
       "cannot read price file '" + (dir.path / "fifo").string() + "': a FIFO, not a regular file"},
      {"scenario: a\nexperiment: {design: fifo}\n", "cannot read design file '" +
                                                        (dir.path / "fifo").string() +
                                                        "': a FIFO, not a regular file"},
  };
  for (const auto& c : cases) {
    const auto file = dir.write("case.yaml", c.yaml);
    const auto start = std::chrono::steady_clock::now();
    const auto d = problems(file);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(1));
    REQUIRE(!d.empty());
    CHECK(d[0].message == c.message);
    CHECK(d[0].where.line == 2);
  }
}

TEST_CASE("scenario::load: a file that is not a scenario is named once, its lines not echoed",
          "[scenario][extends][error_guessing]") {
  ScratchDir dir;
  dir.write("private.conf", "password: hunter2\ntoken: abc\nuser: me\n");
  dir.write("notes.txt", "hunter2 is the password\nsecond line\n");
  for (const std::string target : {"private.conf", "notes.txt"}) {
    const auto file = dir.write("child.yaml", "scenario: child\nextends: " + target + "\n");
    const auto d = problems(file);
    REQUIRE(d.size() == 1);
    CHECK(d[0].message.rfind("not a scenario file: '" + (dir.path / target).string() + "'", 0) ==
          0);
    CHECK(d[0].where.file == file.string());
    CHECK(d[0].source_line == "extends: " + target);
    CHECK(scenario::format(d[0]).find("hunter2") == std::string::npos);
  }
  // A file that is not even YAML text: one error, its line escaped.
  dir.write("binary.dat", "ok: 1\ntoken: \x1b]0;pwned\x07\nhunter2: 3\n");
  const auto binary = problems(dir.write("child.yaml", "scenario: child\nextends: binary.dat\n"));
  REQUIRE(binary.size() == 1);
  CHECK(binary[0].message == "control character \\x1b at byte offset 13");
  const std::string shown = scenario::format(binary[0]);
  CHECK(shown.find('\x1b') == std::string::npos);
  CHECK(shown.find('\x07') == std::string::npos);
  CHECK(shown.find("hunter2") == std::string::npos);
  // A design file whose header names no parameter: its other lines are not read.
  dir.write("secrets.csv", "user,password\nroot,hunter2\n");
  const auto design = dir.write("design.yaml", "scenario: d\nexperiment: {design: secrets.csv}\n");
  for (const auto& d : problems(design)) {
    CHECK(scenario::format(d).find("hunter2") == std::string::npos);
  }
}

TEST_CASE("scenario::load: --set cannot set extends", "[scenario][overrides][error_guessing]") {
  const auto d = problems(source_dir / "scenarios/baseline.yaml", {"extends=fyp14.yaml"});
  REQUIRE(d.size() == 1);
  CHECK(d[0].where.file == "--set");
  CHECK(d[0].message == "'extends' cannot be set with --set");
}

TEST_CASE("scenario::load: a --set value replaced by a later one is still validated",
          "[scenario][overrides][error_guessing]") {
  // regsim run -n 2 --set experiment.replications=abc appends
  // experiment.replications=2 after the --set values.
  const auto d = problems(source_dir / "scenarios/baseline.yaml",
                          {"experiment.replications=abc", "experiment.replications=2"});
  REQUIRE(d.size() == 1);
  CHECK(d[0].where.file == "--set");
  CHECK(d[0].where.line == 1);
  CHECK(d[0].message == "'experiment.replications' must be an integer, got 'abc'");
  // Valid values replaced by later ones stay accepted.
  CHECK(scenario::load(source_dir / "scenarios/baseline.yaml",
                       {"experiment.replications=7", "experiment.replications=2"}, tiny)
            .replications == 2);
}

TEST_CASE("scenario::load: more policies than the limit", "[scenario][limits][error_guessing]") {
  std::string yaml = "scenario: many\npolicies:\n";
  for (std::size_t i = 0; i <= scenario::limits::policies; ++i) {
    yaml += fmt::format(
        "  - {{name: p{}, lever: training_seats, set: {{seats_per_1000_unemployed: 1}}}}\n", i);
  }
  try {
    scenario::load_text(yaml, source_dir / "scenarios/many.yaml", {}, tiny);
    FAIL("expected an InputError");
  } catch (const scenario::InputError& e) {
    const auto& d = e.diagnostics().front();
    CHECK(d.message == "'policies' has 1001 entries, more than the limit of 1000");
    CHECK(d.where.line == 3);
  }
}

TEST_CASE("scenario::load: a region path too long for the system is a region not found",
          "[scenario][error_guessing][regression]") {
  // Found by tests/fuzz (crashes/scenario/region-name-too-long.yaml):
  // std::filesystem::exists threw ENAMETOOLONG out of the validator.
  const std::string name(5000, 'r');
  try {
    scenario::load_text("scenario: long\nregion: " + name + "\n",
                        source_dir / "scenarios/long.yaml", {}, tiny);
    FAIL("expected an InputError");
  } catch (const scenario::InputError& e) {
    CHECK(e.diagnostics().front().message.rfind("region '" + name + "' not found", 0) == 0);
  }
}

TEST_CASE("scenario::load: more goals or uncertainties than the limits",
          "[scenario][limits][error_guessing]") {
  std::string goals = "scenario: many\ngoals:\n";
  for (std::size_t i = 0; i <= scenario::limits::goals; ++i) {
    goals += fmt::format("  - {{name: g{}, indicator: unemployment_rate, below: 0.1}}\n", i);
  }
  std::string uncertainties = "scenario: many\nuncertainties:\n";
  for (std::size_t i = 0; i <= scenario::limits::uncertainties; ++i) {
    uncertainties += fmt::format("  p{}: {{uniform: [0, 1]}}\n", i);
  }
  for (const auto& [yaml, message] :
       {std::pair{goals, "'goals' has 1001 entries, more than the limit of 1000"},
        std::pair{uncertainties,
                  "'uncertainties' has 1001 entries, more than the limit of 1000"}}) {
    try {
      scenario::load_text(yaml, source_dir / "scenarios/many.yaml", {}, tiny);
      FAIL("expected an InputError");
    } catch (const scenario::InputError& e) {
      CHECK(e.diagnostics().front().message == message);
      CHECK(e.diagnostics().front().where.line == 3);
    }
  }
}
