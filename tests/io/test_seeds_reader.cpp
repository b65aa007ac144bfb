// Tests for io::read_region: the committed seeds (counts and national totals
// against the cited figures), the accounting between files, and the broken-input
// corpus in tests/io/broken/ (one case per directory, first error in expect.txt).
#include <algorithm>
#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "io/seeds_reader.hpp"
#include "scenario/diagnostics.hpp"

namespace fs = std::filesystem;
using regsim::io::parse_region;
using regsim::io::read_region;
using regsim::io::RegionText;
using regsim::model::AdminLevel;
using regsim::model::Category;
using regsim::model::CityCatalogue;
using regsim::model::Resource;
using regsim::scenario::InputError;

namespace {

const fs::path source_dir{REGSIM_SOURCE_DIR};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

const CityCatalogue& national() {
  static const CityCatalogue cat = read_region(source_dir / "seeds");
  return cat;
}

template <class F>
std::int64_t sum_if(const CityCatalogue& cat, const std::vector<std::int64_t>& v, F pred) {
  std::int64_t s = 0;
  for (std::size_t c = 0; c < cat.size(); ++c) {
    if (pred(cat.cities[c])) s += v[c];
  }
  return s;
}

bool all(const regsim::model::City&) { return true; }

// First line of the first diagnostic, with the region directory removed.
std::string first_error(const InputError& e, const std::string& dir) {
  std::string s = regsim::scenario::format(e.diagnostics().front());
  s = s.substr(0, s.find('\n'));
  const std::string prefix = dir + "/";
  for (std::size_t p; (p = s.find(prefix)) != std::string::npos;) s.erase(p, prefix.size());
  return s;
}

RegionText tiny_text() {
  const fs::path d = source_dir / "tests/data/regions/tiny";
  RegionText t;
  t.cities = slurp(d / "cities.csv");
  t.initial = slurp(d / "initial.csv");
  t.mines = slurp(d / "mines.csv");
  return t;
}

}  // namespace

// 2013 plan (国发〔2013〕45号) 附件1/附件2: 262 = 126 + 62 + 58 + 16 units and the
// four classes 31 / 141 / 67 / 23, split by level as in the reference list.
TEST_CASE("io::read_region: the 262 cities by category and admin level",
          "[io][seeds][requirement]") {
  const auto& cat = national();
  REQUIRE(cat.size() == 262);
  std::map<std::pair<Category, AdminLevel>, int> n;
  for (const auto& c : cat.cities) ++n[{c.category, c.admin_level}];
  using A = AdminLevel;
  using K = Category;
  const std::array<std::pair<K, std::array<int, 4>>, 4> expected{{
      {K::growing, {20, 7, 4, 0}},
      {K::mature, {66, 29, 46, 0}},
      {K::declining, {24, 22, 5, 16}},
      {K::regenerating, {16, 4, 3, 0}},
  }};
  for (const auto& [k, counts] : expected) {
    const std::array<A, 4> levels{A::prefecture, A::county_city, A::county, A::district};
    for (std::size_t l = 0; l < 4; ++l) {
      INFO(regsim::model::to_string(k) << " x " << regsim::model::to_string(levels[l]));
      CHECK(n[{k, levels[l]}] == counts[l]);
    }
  }
}

// The 69 resource-exhausted cities in three batches (12 + 32 + 25): all 67
// declining cities plus two regenerating ones.
TEST_CASE("io::read_region: 69 exhausted cities in batches of 12, 32 and 25",
          "[io][seeds][requirement]") {
  const auto& cat = national();
  std::array<int, 4> batch{};
  int declining_not_exhausted = 0;
  for (const auto& c : cat.cities) {
    ++batch[c.exhausted_batch];
    if (c.category == Category::declining && !c.exhausted()) ++declining_not_exhausted;
  }
  CHECK(batch[1] == 12);
  CHECK(batch[2] == 32);
  CHECK(batch[3] == 25);
  CHECK(batch[1] + batch[2] + batch[3] == 69);
  CHECK(declining_not_exhausted == 0);
}

// National totals against the figures cited in seeds/README.md (calibration
// note §1.2, §1.3, §2.2, §3.1, §6.1), each within ±2 %.
TEST_CASE("io::read_region: national totals reproduce the cited 2012/13 figures",
          "[io][seeds][requirement]") {
  const auto& cat = national();
  const auto& in = cat.initial;
  auto within = [](double value, double target) {
    INFO(value << " vs " << target);
    CHECK(value >= target * 0.98);
    CHECK(value <= target * 1.02);
  };
  auto exhausted = [](const regsim::model::City& c) { return c.exhausted(); };
  auto coal = [](const regsim::model::City& c) { return c.primary_resource == Resource::coal; };

  double gdp = 0, resource_va = 0;
  for (std::size_t c = 0; c < cat.size(); ++c) {
    gdp += cat.gdp_yi(c);
    resource_va += in.resource_va_yi[c];
  }
  within(gdp, 157000.0);             // 15.7 万亿元 (§1.3 row 1)
  within(resource_va / gdp, 0.128);  // mining VA share (§1.3 row 2)
  within(static_cast<double>(sum_if(cat, in.mining_employment, coal)),
         0.85 * 5.3e6);  // coal employment in the 262 (§6.1)
  within(static_cast<double>(sum_if(cat, in.production_milli_per_year, coal)) / 1e3,
         0.85 * 3974.0);  // coal output, Mt (§3.1)
  const auto ex_miners = sum_if(cat, in.unemployed_ex_miners, exhausted);
  CHECK(ex_miners > 600000);  // "> 60万" (§1.2)
  within(static_cast<double>(ex_miners), 600000.0);
  const auto dibao = sum_if(cat, in.social_assistance_recipients, exhausted);
  CHECK(dibao > 1800000);  // "> 180万" (§1.2)
  within(static_cast<double>(dibao), 1800000.0);
  const auto untreated =
      sum_if(cat, in.degraded_land_ha, exhausted) - sum_if(cat, in.restored_land_ha, exhausted);
  within(static_cast<double>(untreated), 140000.0);  // ≈ 14万 ha (§1.2)
  const auto degraded = sum_if(cat, in.degraded_land_ha, all);
  const auto restored = sum_if(cat, in.restored_land_ha, all);
  within(static_cast<double>(restored) / static_cast<double>(degraded), 0.28);  // §1.3 row 12
  const auto unemployed = sum_if(cat, in.registered_unemployed, all);
  const auto labour = sum_if(cat, in.labour_force, all);
  within(static_cast<double>(unemployed) / static_cast<double>(labour), 0.045);  // §1.3 row 6
  within(static_cast<double>(sum_if(cat, in.population, exhausted)),
         0.04 * 1354.04e6);  // 4 % of China's population (§1.2)
}

TEST_CASE("io::read_region: production units sum to their city", "[io][seeds][invariant]") {
  for (const char* region : {"seeds", "seeds/chongqing", "tests/data/regions/tiny"}) {
    INFO(region);
    const CityCatalogue cat = read_region(source_dir / region);
    const auto& m = cat.mines;
    REQUIRE(m.first.size() == cat.size() + 1);
    REQUIRE(m.first.back() == m.size());
    for (std::size_t c = 0; c < cat.size(); ++c) {
      std::int64_t workforce = 0, reserve = 0, capacity = 0;
      for (std::size_t k = m.first[c]; k < m.first[c + 1]; ++k) {
        workforce += m.workforce[k];
        reserve += m.reserve_milli[k];
        capacity += m.capacity_milli_per_year[k];
      }
      CHECK(workforce == cat.initial.mining_employment[c]);
      CHECK(reserve == cat.initial.reserve_milli[c]);
      CHECK(capacity >= cat.initial.production_milli_per_year[c]);
      CHECK(cat.initial.resource_unit[c] == regsim::model::unit_of(cat.cities[c].primary_resource));
    }
  }
  CHECK(national().mines.size() < 5000);  // "a few thousand" production units
}

// Chongqing's implementation text (seed 002): 2013-list units are mature,
// declining or regenerating; ≈ 260万亩 (173,333 ha) of current subsidence.
TEST_CASE("io::read_region: the Chongqing region", "[io][seeds][requirement]") {
  const CityCatalogue cat = read_region(source_dir / "seeds/chongqing");
  REQUIRE(cat.size() == 18);
  std::int64_t untreated = 0;
  for (std::size_t c = 0; c < cat.size(); ++c) {
    CHECK(cat.cities[c].province_en == "Chongqing");
    untreated += cat.initial.degraded_land_ha[c] - cat.initial.restored_land_ha[c];
  }
  CHECK(untreated >= 173333);
  CHECK(untreated <= 173333 * 102 / 100);
  const auto wansheng = std::find_if(cat.cities.begin(), cat.cities.end(),
                                     [](const auto& c) { return c.name_zh == "万盛经济开发区"; });
  REQUIRE(wansheng != cat.cities.end());
  CHECK(wansheng->exhausted_batch == 2);
  CHECK(cat.initial.population[static_cast<std::size_t>(wansheng - cat.cities.begin())] == 300000);
}

TEST_CASE("io::read_region: the tiny test region, value by value", "[io][seeds]") {
  const CityCatalogue cat = read_region(source_dir / "tests/data/regions/tiny");
  REQUIRE(cat.size() == 3);
  CHECK(cat.cities[0].name_en == "Meicheng");
  CHECK(cat.cities[0].source == "test city, not a real place");  // quoted, with a comma
  CHECK(cat.cities[0].exhausted_batch == 2);
  CHECK(cat.cities[2].primary_resource == Resource::oil_gas);
  CHECK(cat.cities[1].lat_deg == Approx(41.10));
  CHECK(cat.initial.reserve_milli[0] == 35000);
  CHECK(cat.initial.production_milli_per_year[2] == 900);
  CHECK(cat.initial.resource_va_yi[1] == Approx(30.0));
  CHECK(cat.gdp_yi(0) == Approx(300.0));
  REQUIRE(cat.mines.count(0) == 3);
  CHECK(cat.mines.mine_id[2] == 3);
  CHECK(cat.mines.capacity_milli_per_year[0] == 4000);
  CHECK(cat.find(3) == std::optional<std::size_t>{2});
  CHECK_FALSE(cat.find(4).has_value());
}

TEST_CASE("io::parse_region: CRLF line ends, a byte-order mark and quoted fields", "[io][csv]") {
  RegionText t = tiny_text();
  std::string crlf;
  for (const char c : t.cities) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  t.cities = "\xEF\xBB\xBF" + crlf;
  // A quoted field holding a doubled quote, a comma and a line break.
  const std::string from = "\"test city, not a real place\"";
  t.cities.replace(t.cities.rfind(from), from.size(), "\"a \"\"quoted\"\",\nnote\"");
  const CityCatalogue cat = parse_region(t);
  REQUIRE(cat.size() == 3);
  CHECK(cat.cities[2].source == "a \"quoted\",\nnote");
  CHECK(cat.cities[0].name_zh == "煤城市");
}

TEST_CASE("io::parse_region: every problem is reported, up to 20", "[io][error_guessing]") {
  RegionText t = tiny_text();
  for (int i = 0; i < 30; ++i) t.initial += "1,x,x,x,x,x,x,Mt,x,x,x,x,x,x,x,x,x,x\n";
  try {
    parse_region(t);
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(e.diagnostics().size() == regsim::scenario::Diagnostics::max_errors);
  }
}

TEST_CASE("io::parse_region: unknown names come with what was expected and a suggestion",
          "[io][error_guessing]") {
  RegionText t = tiny_text();
  t.cities.replace(t.cities.find("declining"), 9, "declinig");
  try {
    parse_region(t);
    FAIL("no error");
  } catch (const InputError& e) {
    REQUIRE(e.diagnostics().size() == 1);
    const auto& d = e.diagnostics().front();
    CHECK(d.where.file == "cities.csv");
    CHECK(d.where.line == 2);
    CHECK(d.where.column == 38);  // code points, not bytes: 煤城市 and 山西省 are 3 + 3
    CHECK(d.span == 8);
    CHECK(d.expected == "one of: growing, mature, declining, regenerating");
    CHECK(d.suggestion == "declining");
    CHECK(regsim::scenario::format(d) ==
          "cities.csv:2:38: error: unknown category 'declinig'\n"
          "    2 | 1,煤城市,Meicheng,山西省,Shanxi,prefecture,declinig,2,coal,central,37.80,112.50,"
          "low,\"test city, not a real place\"\n"
          "      |                                            ^~~~~~~~\n"  // 6 wide characters
                                                                           // before it
          "  expected one of: growing, mature, declining, regenerating\n"
          "  did you mean 'declining'?");
  }
}

// One directory per broken input; expect.txt holds the first error line with
// paths relative to the case directory.
TEST_CASE("io::read_region: broken inputs report the expected first error",
          "[io][error_guessing]") {
  std::vector<fs::path> cases;
  for (const auto& e : fs::directory_iterator(source_dir / "tests/io/broken")) {
    if (e.is_directory()) cases.push_back(e.path());
  }
  std::sort(cases.begin(), cases.end());
  REQUIRE(cases.size() >= 20);
  for (const auto& dir : cases) {
    SECTION(dir.filename().string()) {
      std::string expect = slurp(dir / "expect.txt");
      while (!expect.empty() && (expect.back() == '\n' || expect.back() == '\r')) expect.pop_back();
      try {
        read_region(dir);
        FAIL("no error for " << dir.filename().string());
      } catch (const InputError& e) {
        CHECK(first_error(e, dir.string()) == expect);
      }
    }
  }
}

// provinces.csv (seeds/provinces.md): every one of the 262 cities finds its
// province's rates; the Northeast's growth falls behind after 2015.
TEST_CASE("io::read_region: province rates for every city", "[io][seeds][provinces]") {
  const auto& cat = national();
  REQUIRE(cat.provinces.size() == 31);
  REQUIRE(cat.province_of.size() == cat.size());
  for (std::size_t c = 0; c < cat.size(); ++c) {
    INFO(cat.cities[c].name_en);
    REQUIRE(cat.province(c) != nullptr);
    CHECK(cat.province(c)->name_en == cat.cities[c].province_en);
  }
  auto rates = [&](const std::string& name) {
    for (const auto& p : cat.provinces) {
      if (p.name_en == name) return p;
    }
    FAIL("no province " << name);
    return regsim::model::ProvinceRates{};
  };
  CHECK(rates("Heilongjiang").gdp_growth[1] < rates("Guizhou").gdp_growth[1]);
  CHECK(rates("Heilongjiang").natural_increase[3] < 0.0);  // deaths outnumber births by 2022
}

TEST_CASE("io::parse_region: a bad provinces.csv value is reported at its cell",
          "[io][seeds][provinces]") {
  RegionText t = tiny_text();
  const std::string header =
      "province_en,province_zh,macro_region,natural_increase_2013,natural_increase_2016,"
      "natural_increase_2019,natural_increase_2022,ni_confidence,ni_source,gdp_growth_2013_2015,"
      "gdp_growth_2016_2019,gdp_growth_2020_2023,gdp_confidence,gdp_source\n";
  t.provinces = header + "Shanxi,山西省,central,5.24,4.77,abc,-0.98,A,src,5.6,5.9,5.5,A,src\n";
  try {
    (void)parse_region(t);
    FAIL("accepted a bad natural increase");
  } catch (const InputError& e) {
    CHECK(first_error(e, "") ==
          "provinces.csv:2:30: error: column 'natural_increase_2019' must be a number from -50 to "
          "50, got 'abc'");
  }
  t.provinces = header + "Shanxi,山西省,centre,5.24,4.77,3.27,-0.98,A,src,5.6,5.9,5.5,A,src\n";
  try {
    (void)parse_region(t);
    FAIL("accepted an unknown macro region");
  } catch (const InputError& e) {
    CHECK(first_error(e, "").find("unknown macro_region 'centre'") != std::string::npos);
  }
  t.provinces = header + "Shanxi,山西省,central,5.24,4.77,3.27,-0.98,A,src,5.6,5.9,5.5,A,src\n";
  const auto cat = parse_region(t);
  REQUIRE(cat.provinces.size() == 1);
  CHECK(cat.provinces[0].natural_increase[2] == 3.27);
}
