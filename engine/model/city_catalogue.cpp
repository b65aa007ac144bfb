// The region catalogue: small out-of-line helpers.
#include "model/city_catalogue.hpp"

namespace regsim::model {

std::string_view exhausted_batch_date(std::uint8_t batch) {
  // Batches of resource-exhausted cities: 2008-03 (12), 2009-03 (32), 2011-11 (25);
  // see seeds/README.md.
  switch (batch) {
    case 1:
      return "2008-03";
    case 2:
      return "2009-03";
    case 3:
      return "2011-11";
    default:
      return {};
  }
}

void InitialConditions::resize(std::size_t n) {
  for (auto* v :
       {&population, &labour_force, &mining_employment, &registered_unemployed,
        &unemployed_ex_miners, &social_assistance_recipients, &reserve_milli, &cumulative_milli,
        &production_milli_per_year, &training_seats, &degraded_land_ha, &restored_land_ha}) {
    v->resize(n, 0);
  }
  resource_unit.resize(n, ResourceUnit::Mt);
  for (auto* v : {&resource_va_yi, &replacement_va_yi, &other_va_yi}) v->resize(n, 0.0);
}

std::optional<std::size_t> CityCatalogue::find(std::int32_t id) const {
  for (std::size_t i = 0; i < cities.size(); ++i) {
    if (cities[i].id == id) return i;
  }
  return std::nullopt;
}

}  // namespace regsim::model
