// The invalid-scenario corpus: each tests/scenario/invalid/*.yaml starts
// with `# expect: LINE:COL: message-prefix`, checked against the first
// diagnostic (from load, or from the region check if load passes). An error
// in another file the scenario reads (a price CSV in invalid/prices/) is
// expected as `# expect: FILE:LINE:COL: message-prefix`, FILE the file name.
#include <cctype>
#include <filesystem>
#include <fstream>
#include <string>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "io/seeds_reader.hpp"
#include "scenario/scenario.hpp"
#include "tests/scenario/expect_corpus.hpp"

namespace fs = std::filesystem;
using namespace regsim;

namespace {
const fs::path source_dir = REGSIM_SOURCE_DIR;
}

TEST_CASE("scenario::load: every invalid scenario fails with its expected first diagnostic",
          "[scenario][errors][error_guessing]") {
  const auto files = testing::yaml_files(source_dir / "tests/scenario/invalid");
  REQUIRE(files.size() >= 20);
  const auto tiny = source_dir / "tests/data/regions/tiny";
  const auto region = io::read_region(tiny);
  for (const auto& file : files) {
    SECTION(file.filename().string()) {
      std::string expect = testing::expected_diagnostic(file);
      std::string expect_file = file.filename().string();
      if (!expect.empty() && !std::isdigit(static_cast<unsigned char>(expect[0]))) {
        const std::size_t colon = expect.find(':');
        expect_file = expect.substr(0, colon);
        expect = expect.substr(colon + 1);
      }
      std::vector<scenario::Diagnostic> diags;
      try {
        const auto s = scenario::load(file, {}, tiny);
        scenario::check_against_region(s, region);
      } catch (const scenario::InputError& e) {
        diags = e.diagnostics();
      }
      REQUIRE(!diags.empty());
      const auto& d = diags.front();
      const std::string got = fmt::format("{}:{}: {}", d.where.line, d.where.column, d.message);
      INFO(scenario::format(d));
      CHECK(got.rfind(expect, 0) == 0);
      CHECK(fs::path(d.where.file).filename() == expect_file);
      CHECK(!d.source_line.empty());
    }
  }
}
