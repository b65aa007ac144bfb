// model::Selector, shared by `regsim cities --where` and scenario `where:`
// (kept with the scenario tests, its main user).
#include <filesystem>

#include <catch2/catch.hpp>

#include "io/seeds_reader.hpp"
#include "model/city_selector.hpp"

using namespace regsim;
using V = std::vector<std::uint32_t>;

TEST_CASE("model::Selector: criteria AND together, values OR", "[model][selector]") {
  const auto region =
      io::read_region(std::filesystem::path(REGSIM_SOURCE_DIR) / "tests/data/regions/tiny");
  model::Selector all;
  CHECK(all.all());
  CHECK(all.select(region) == V{0, 1, 2});

  model::Selector s;
  s.categories = {model::Category::declining, model::Category::growing};
  CHECK(s.select(region) == V{0, 2});
  s.resources = {model::Resource::oil_gas};
  CHECK(s.select(region) == V{2});

  model::Selector p;
  p.provinces = {"liaoning"};
  CHECK(p.select(region) == V{1});
  p.provinces = {"陕西"};
  CHECK(p.select(region) == V{2});
  p.provinces = {"山西省", "Liaoning"};
  CHECK(p.select(region) == V{0, 1});

  model::Selector e;
  e.exhausted = {model::exhausted_any};
  CHECK(e.select(region) == V{0});
  e.exhausted = {model::exhausted_no};
  CHECK(e.select(region) == V{1, 2});
  e.exhausted = {3};
  CHECK(e.select(region).empty());

  model::Selector c;
  c.cities = {"3", "Meicheng", "铁城"};
  CHECK(c.select(region) == V{0, 1, 2});
  CHECK(model::find_city(region, "煤城市") == 0u);
  CHECK(model::find_city(region, "youtian county") == 2u);
  CHECK(!model::find_city(region, "99"));
  CHECK(model::find_province(region, "SHANXI") == "Shanxi");
  CHECK(!model::find_province(region, "Shanxii"));
  CHECK(model::province_names(region) == std::vector<std::string>{"Shanxi", "Liaoning", "Shaanxi"});

  model::Selector l;
  l.admin_levels = {model::AdminLevel::county};
  l.macro_regions = {model::MacroRegion::west};
  CHECK(l.select(region) == V{2});
}
