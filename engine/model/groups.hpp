// Groups of cities for aggregates: the nation, each 2013 category, each
// province and each primary resource. Group membership is fixed at the
// start (a city keeps its 2013 category group even if reclassified).
#pragma once

#include <string>
#include <vector>

#include "model/city_catalogue.hpp"

namespace regsim::model {

struct CityGroup {
  std::string kind;                 ///< "nation", "category", "province", "resource"
  std::string name;                 ///< "all", "declining", "Heilongjiang", "coal"
  std::vector<std::size_t> cities;  ///< ascending
};

/// nation, then categories, provinces (first-seen order) and resources;
/// empty groups are left out.
std::vector<CityGroup> make_groups(const CityCatalogue& catalogue);

}  // namespace regsim::model
