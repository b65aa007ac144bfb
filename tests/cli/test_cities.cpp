// Tests for `regsim cities`: filters, output forms, totals, and exit code 2 with
// a precise message for a bad filter. The app is assembled and its errors are
// mapped to exit codes as in engine/cli/main.cpp.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "cli/cities.hpp"
#include "cli/exit_codes.hpp"
#include "io/seeds_reader.hpp"
#include "scenario/diagnostics.hpp"
#include "scenario/scenario.hpp"

namespace {

struct Result {
  int code = -1;
  std::string out;
  std::string err;
};

Result run_regsim(std::vector<std::string> args) {
  Result r;
  std::ostringstream out, err;
  CLI::App app{"regsim", "regsim"};
  app.require_subcommand(1);
  regsim::cli::register_cities(app, out);
  std::vector<const char*> argv{"regsim"};
  for (const auto& a : args) argv.push_back(a.c_str());
  try {
    const int code =
        regsim::cli::parse_command_line(app, static_cast<int>(argv.size()), argv.data());
    r.code = code < 0 ? regsim::cli::exit_ok : code;
  } catch (const regsim::scenario::InputError& e) {
    for (const auto& d : e.diagnostics()) err << regsim::scenario::format(d) << "\n";
    r.code = regsim::cli::exit_invalid_input;
  }
  r.out = out.str();
  r.err = err.str();
  return r;
}

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

const std::string tiny = std::string(REGSIM_SOURCE_DIR) + "/tests/data/regions/tiny";

}  // namespace

TEST_CASE("cli::cities: the default region is the 262 cities, with totals",
          "[cli][cities][requirement]") {
  const Result r = run_regsim({"cities", "--summary"});
  REQUIRE(r.code == 0);
  CHECK(contains(r.out, "262 of 262 cities"));
  // 2013 plan 附件2: category x admin level.
  CHECK(contains(r.out, "growing               20            7       4         0     31"));
  CHECK(contains(r.out, "mature                66           29      46         0    141"));
  CHECK(contains(r.out, "declining             24           22       5        16     67"));
  CHECK(contains(r.out, "regenerating          16            4       3         0     23"));
  CHECK(contains(r.out, "total                126           62      58        16    262"));
  CHECK(contains(r.out, "Heilongjiang    黑龙江省              11          6"));
  CHECK(contains(r.out, "total                                262         69  407,683,689"));
}

TEST_CASE("cli::cities: --where combines keys with AND and repeated keys with OR",
          "[cli][cities]") {
  Result r = run_regsim({"cities", "--csv", "--where", "category=declining,province=Heilongjiang"});
  REQUIRE(r.code == 0);
  // Six declining cities in Heilongjiang (header line + 6 rows).
  CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 7);
  CHECK(contains(r.out, ",伊春市,Yichun (Heilongjiang),"));

  r = run_regsim({"cities", "--json", "--summary", "--where", "exhausted=yes"});
  REQUIRE(r.code == 0);
  CHECK(contains(r.out, "\"count\": 69"));

  r = run_regsim(
      {"cities", "--json", "--summary", "--where", "exhausted=2", "--where", "province=黑龙江"});
  REQUIRE(r.code == 0);
  CHECK(contains(r.out, "\"count\": 2"));  // 七台河, 五大连池

  r = run_regsim({"cities", "--region", tiny, "--csv", "--where", "id=1,id=3"});
  REQUIRE(r.code == 0);
  CHECK(contains(r.out,
                 "1,煤城市,Meicheng,山西省,Shanxi,prefecture,declining,2,coal,central,"
                 "37.80,112.50,low,1000000,300000,30000,9000,300.00,20.00\n"));
  CHECK(contains(r.out, "\n3,油田县,Youtian County,"));
  CHECK_FALSE(contains(r.out, "Tiecheng"));
}

TEST_CASE("cli::cities: table and JSON forms of the tiny region", "[cli][cities]") {
  Result r = run_regsim({"cities", "--region", tiny});
  REQUIRE(r.code == 0);
  CHECK(contains(r.out, "3 of 3 cities in " + tiny));
  CHECK(contains(
      r.out,
      " 1  煤城市  Meicheng        Shanxi    prefecture   declining     2  coal       1,000,000"));
  CHECK(contains(r.out,
                 "total                  3          1   1,800,000  39,000      9,230       600"));

  r = run_regsim({"cities", "--region", tiny, "--json", "--where", "resource=oil_gas"});
  REQUIRE(r.code == 0);
  CHECK(contains(r.out, "\"count\": 1"));
  CHECK(contains(r.out, "\"name_en\": \"Youtian County\""));
  CHECK(contains(r.out,
                 "\"growing\": {\"prefecture\": 0, \"county_city\": 0, \"county\": 1, "
                 "\"district\": 0}"));
}

TEST_CASE("cli::cities: a bad filter is an input error (exit 2) with a suggestion",
          "[cli][cities][error_guessing]") {
  Result r = run_regsim({"cities", "--where", "category=declining,provnce=Heilongjiang"});
  CHECK(r.code == 2);
  CHECK(r.out.empty());
  CHECK(contains(r.err,
                 "--where:1:20: error: unknown filter key 'provnce'\n"
                 "    1 | category=declining,provnce=Heilongjiang\n"
                 "      |                    ^~~~~~~\n"
                 "  expected one of: category, province, resource, admin_level, "
                 "macro_region, exhausted, cities, id, primary_resource\n"
                 "  did you mean 'province'?"));

  r = run_regsim({"cities", "--where", "category=declinig"});
  CHECK(r.code == 2);
  CHECK(contains(r.err, "--where:1:10: error: unknown category 'declinig'"));
  CHECK(contains(r.err, "did you mean 'declining'?"));

  r = run_regsim({"cities", "--where", "province=Heilongjang"});
  CHECK(r.code == 2);
  CHECK(contains(r.err, "error: no province 'Heilongjang' in this region"));
  CHECK(contains(r.err, "did you mean 'Heilongjiang'?"));

  r = run_regsim({"cities", "--where", "exhausted=maybe", "--where", "id=x,resource"});
  CHECK(r.code == 2);
  CHECK(contains(r.err,
                 "--where:1:11: error: filter 'exhausted' must be yes, no or a batch "
                 "number, got 'maybe'"));
  CHECK(contains(r.err, "--where:2:4: error: no city 'x' in this region"));
  CHECK(contains(r.err, "--where:2:6: error: filter 'resource' is not of the form key=value"));

  r = run_regsim({"cities", "--region", tiny, "--where", "id=7"});
  CHECK(r.code == 2);
  CHECK(contains(r.err, "error: no city '7' in this region"));
}

TEST_CASE("cli::cities: an invalid region directory is an input error", "[cli][cities]") {
  const Result r = run_regsim(
      {"cities", "--region", std::string(REGSIM_SOURCE_DIR) + "/tests/io/broken/unknown_category"});
  CHECK(r.code == 2);
  CHECK(contains(r.err, "cities.csv:2:38: error: unknown category 'declinig'"));
}

TEST_CASE("cli::cities: --csv and --json exclude each other", "[cli][cities]") {
  const Result r = run_regsim({"cities", "--csv", "--json"});
  CHECK(r.code == 2);
}

TEST_CASE("cli::cities: --where and a scenario's where: are one grammar (keys, aliases, case)",
          "[cli][cities][selector]") {
  // Each criterion as `regsim cities --where` and as a goal's `where:` must
  // select the same cities of the tiny region; words match in any case.
  const std::vector<std::pair<std::string, std::string>> criteria{{"category", "Declining"},
                                                                  {"resource", "oil_gas"},
                                                                  {"primary_resource", "COAL"},
                                                                  {"admin_level", "county_city"},
                                                                  {"macro_region", "West"},
                                                                  {"exhausted", "Yes"},
                                                                  {"exhausted", "no"},
                                                                  {"exhausted", "2"},
                                                                  {"province", "shanxi"},
                                                                  {"province", "辽宁"},
                                                                  {"cities", "Youtian County"},
                                                                  {"id", "1"},
                                                                  {"id", "铁城"}};
  const auto region = regsim::io::read_region(tiny);
  const std::filesystem::path file =
      std::filesystem::temp_directory_path() / "regsim-test-one-grammar.yaml";
  for (const auto& [key, value] : criteria) {
    INFO(key << ": " << value);
    const Result r =
        run_regsim({"cities", "--region", tiny, "--csv", "--where", key + "=" + value});
    REQUIRE(r.code == 0);
    std::vector<std::string> listed;
    std::istringstream lines(r.out);
    std::string line;
    std::getline(lines, line);  // header
    while (std::getline(lines, line)) listed.push_back(line.substr(0, line.find(',')));

    std::ofstream(file) << "scenario: one-grammar\nregion: " << tiny
                        << "\ngoals:\n  - {name: g, indicator: unemployment_rate, where: {" << key
                        << ": \"" << value << "\"}, at: 2013-12, below: 0.1}\n";
    const auto s = regsim::scenario::load(file, {}, tiny);
    REQUIRE(s.goals.size() == 1);
    std::vector<std::string> selected;
    for (const std::uint32_t i : s.goals[0].selector.select(region)) {
      selected.push_back(std::to_string(region.cities[i].id));
    }
    CHECK(listed == selected);
    CHECK(!listed.empty());
  }
  std::filesystem::remove(file);
}
