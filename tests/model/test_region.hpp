// Small hand-made regions for model tests: each city given by a few
// numbers, the rest filled in consistently.
#pragma once

#include <string>
#include <vector>

#include "model/city_catalogue.hpp"

namespace regsim::testing {

struct TestCity {
  std::string province = "Shanxi";
  model::Category category = model::Category::mature;
  model::Resource resource = model::Resource::coal;
  std::int64_t population = 500000;
  std::int64_t unemployed_ex_miners = 2000;
  std::int64_t seats = 200;
  std::vector<std::int64_t> mine_reserve_milli{50000, 20000};  // 50 Mt, 20 Mt
  std::vector<std::int64_t> mine_capacity_milli{2000, 1000};   // per year
  std::vector<std::int64_t> mine_workforce{3000, 1500};
};

inline model::CityCatalogue make_region(const std::vector<TestCity>& spec) {
  model::CityCatalogue cat;
  cat.initial.resize(spec.size());
  for (std::size_t c = 0; c < spec.size(); ++c) {
    const TestCity& t = spec[c];
    model::City city;
    city.id = static_cast<std::int32_t>(c + 1);
    city.name_en = "Test " + std::to_string(c + 1);
    city.province_en = t.province;
    city.category = t.category;
    city.primary_resource = t.resource;
    cat.cities.push_back(city);
    auto& in = cat.initial;
    std::int64_t workforce = 0, reserve = 0, capacity = 0;
    for (std::size_t m = 0; m < t.mine_reserve_milli.size(); ++m) {
      cat.mines.mine_id.push_back(static_cast<std::int32_t>(m + 1));
      cat.mines.reserve_milli.push_back(t.mine_reserve_milli[m]);
      cat.mines.capacity_milli_per_year.push_back(t.mine_capacity_milli[m]);
      cat.mines.workforce.push_back(t.mine_workforce[m]);
      workforce += t.mine_workforce[m];
      reserve += t.mine_reserve_milli[m];
      capacity += t.mine_capacity_milli[m];
    }
    cat.mines.first.push_back(static_cast<std::uint32_t>(cat.mines.mine_id.size()));
    in.population[c] = t.population;
    in.labour_force[c] = t.population * 3 / 10;
    in.mining_employment[c] = workforce;
    in.unemployed_ex_miners[c] = t.unemployed_ex_miners;
    in.registered_unemployed[c] = in.labour_force[c] / 25 + t.unemployed_ex_miners;
    in.social_assistance_recipients[c] = t.population / 50;
    in.resource_unit[c] = model::unit_of(t.resource);
    in.reserve_milli[c] = reserve;
    in.cumulative_milli[c] = reserve / 2;
    in.production_milli_per_year[c] = capacity;
    in.resource_va_yi[c] = static_cast<double>(capacity) / 1000.0 * 3.0;
    in.replacement_va_yi[c] = 20.0;
    in.other_va_yi[c] = 150.0;
    in.training_seats[c] = t.seats;
    in.degraded_land_ha[c] = 1000;
    in.restored_land_ha[c] = 280;
  }
  return cat;
}

}  // namespace regsim::testing
