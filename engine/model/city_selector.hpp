// Which cities a filter selects: the criteria shared by `regsim cities
// --where` and the `where:` of scenario policies and goals, and the one
// grammar both read them with (criterion_keys, add_value). Different
// criteria must all match (AND); a criterion with several values matches
// any of them (OR); an empty criterion matches every city. Plain data:
// add_value says what is wrong with a word, callers place the message, and
// province and city names are checked against a region with find_*.
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

/// A criterion of a selector.
enum class Criterion { category, province, resource, admin_level, macro_region, exhausted, cities };

struct CriterionKey {
  std::string_view key;
  Criterion criterion;
  std::string_view description;
};

/// Every key a selector takes, in both `where:` and `--where`: one per
/// criterion, then two aliases (`primary_resource` is the seeds' column
/// name; `id` reads like `regsim cities` output). Keys match exactly.
inline constexpr CriterionKey criterion_keys[] = {
    {"category", Criterion::category, "the 2013 class"},
    {"province", Criterion::province,
     "English (any case) or Chinese name, in full or without the suffix"},
    {"resource", Criterion::resource, "the primary resource"},
    {"admin_level", Criterion::admin_level, "administrative level"},
    {"macro_region", Criterion::macro_region, "macro region"},
    {"exhausted", Criterion::exhausted, "yes, no, or a batch: 1 (2008), 2 (2009), 3 (2011)"},
    {"cities", Criterion::cities, "city ids or names (Chinese or English)"},
    {"id", Criterion::cities, "city ids or names (as cities)"},
    {"primary_resource", Criterion::resource, "the primary resource (as resource)"},
};

/// The criterion a key names, or nullopt.
std::optional<Criterion> find_criterion(std::string_view key);
/// Every key of criterion_keys, in order (for messages and did-you-mean).
std::vector<std::string> criterion_key_names();
/// The words `exhausted` takes, besides yes and no: the batch numbers.
inline constexpr std::string_view exhausted_words[] = {"yes", "no", "1", "2", "3"};

/// What is wrong with a value: the message, what was expected, and the
/// nearest valid word (empty if none is close).
struct BadValue {
  std::string message;
  std::string expected;
  std::string suggestion;
};

/// Adds one value of criterion c to sel, or says why it is not one. Fixed
/// words (classes, resources, levels, regions, yes/no/true/false) match
/// without regard to ASCII case; provinces and cities are kept as written
/// (find_province and find_city check them against a region). `key` names
/// the criterion in a message that names it: "'exhausted'" in a scenario,
/// "filter 'exhausted'" on the command line.
std::optional<BadValue> add_value(Selector& sel, Criterion c, std::string_view value,
                                  std::string_view key);

/// What a value of criterion c may be, for messages ("one of: ...").
std::string expected_value(Criterion c);

/// The English name of the region's province written `name` (English,
/// case-insensitive; Chinese in full or without its suffix: 山西, 内蒙古).
std::optional<std::string> find_province(const CityCatalogue& region, std::string_view name);
/// The region's provinces, English names, in first-seen order.
std::vector<std::string> province_names(const CityCatalogue& region);
/// The index of the city with this id (digits) or name (zh or en, exact; the
/// Chinese name also without its 市/县/区 suffix).
std::optional<std::uint32_t> find_city(const CityCatalogue& region, std::string_view id_or_name);

}  // namespace regsim::model
