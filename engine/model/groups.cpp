#include "model/groups.hpp"

#include <algorithm>

namespace regsim::model {

namespace {
template <class E, class Key>
void add_enum_groups(std::vector<CityGroup>& out, const CityCatalogue& cat, const char* kind,
                     Key key) {
  for (std::size_t v = 0; v < enum_count<E>; ++v) {
    CityGroup g{kind, std::string(to_string(static_cast<E>(v))), {}};
    for (std::size_t c = 0; c < cat.size(); ++c) {
      if (static_cast<std::size_t>(key(cat.cities[c])) == v) g.cities.push_back(c);
    }
    if (!g.cities.empty()) out.push_back(std::move(g));
  }
}
}  // namespace

std::vector<CityGroup> make_groups(const CityCatalogue& catalogue) {
  std::vector<CityGroup> out;
  CityGroup nation{"nation", "all", {}};
  for (std::size_t c = 0; c < catalogue.size(); ++c) nation.cities.push_back(c);
  out.push_back(std::move(nation));
  add_enum_groups<Category>(out, catalogue, "category", [](const City& c) { return c.category; });
  std::vector<std::string> provinces;
  for (const City& c : catalogue.cities) {
    if (std::find(provinces.begin(), provinces.end(), c.province_en) == provinces.end()) {
      provinces.push_back(c.province_en);
    }
  }
  for (const auto& p : provinces) {
    CityGroup g{"province", p, {}};
    for (std::size_t c = 0; c < catalogue.size(); ++c) {
      if (catalogue.cities[c].province_en == p) g.cities.push_back(c);
    }
    out.push_back(std::move(g));
  }
  add_enum_groups<Resource>(out, catalogue, "resource",
                            [](const City& c) { return c.primary_resource; });
  return out;
}

}  // namespace regsim::model
