// Which cities a filter selects: the criteria shared by `regsim cities
// --where` and the `where:` of scenario policies and goals. Different
// criteria must all match (AND); a criterion with several values matches
// any of them (OR); an empty criterion matches every city. Plain data, no
// error reporting: callers check names with the find_* helpers first.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/city_catalogue.hpp"

namespace regsim::model {

/// Exhausted-city filter values: a batch number 1..3, or these.
inline constexpr int exhausted_no = 0;
inline constexpr int exhausted_any = 4;

struct Selector {
  std::vector<Category> categories;
  std::vector<std::string> provinces;  ///< English or Chinese names (full or without suffix)
  std::vector<Resource> resources;
  std::vector<AdminLevel> admin_levels;
  std::vector<MacroRegion> macro_regions;
  std::vector<int> exhausted;       ///< exhausted_no, exhausted_any, or a batch 1..3
  std::vector<std::string> cities;  ///< ids (digits) or names (zh or en)

  /// True if no criterion is set (selects every city).
  bool all() const;
  /// The indices of the matching cities, in catalogue order.
  std::vector<std::uint32_t> select(const CityCatalogue& region) const;
  /// The criteria as `regsim cities --where` reads them
  /// ("category=declining,category=mature,resource=coal"); "all" if none.
  std::string to_where() const;
};

/// The English name of the region's province written `name` (English,
/// case-insensitive; Chinese in full or without its suffix: 山西, 内蒙古).
std::optional<std::string> find_province(const CityCatalogue& region, std::string_view name);
/// The region's provinces, English names, in first-seen order.
std::vector<std::string> province_names(const CityCatalogue& region);
/// The index of the city with this id (digits) or name (zh or en, exact; the
/// Chinese name also without its 市/县/区 suffix).
std::optional<std::uint32_t> find_city(const CityCatalogue& region, std::string_view id_or_name);

}  // namespace regsim::model
