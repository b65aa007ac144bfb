// The region being simulated: city metadata, initial conditions (2013-01) and
// production units, as loaded from a seeds directory (see seeds/README.md for
// every column, its unit and its provenance). Plain data, no I/O.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace regsim::model {

/// Administrative level in the 2013 list (国发〔2013〕45号, 附件1).
enum class AdminLevel : std::uint8_t { prefecture, county_city, county, district };
/// Class in the 2013 plan (附件2): 成长型, 成熟型, 衰退型, 再生型.
enum class Category : std::uint8_t { growing, mature, declining, regenerating };
/// The city's primary resource; each city models one.
enum class Resource : std::uint8_t {
  coal,
  oil_gas,
  ferrous,
  nonferrous,
  precious_metal,
  nonmetal,
  mixed,
  forest
};
/// NBS four-way split.
enum class MacroRegion : std::uint8_t { east, central, west, northeast };
/// How well the row is sourced (seeds/README.md).
enum class Confidence : std::uint8_t { high, medium, low };
/// Physical unit of a city's resource quantities. Reserves and capacities are
/// stored as integers of 1/1000 of this unit (kt for Mt, ktoe for Mtoe,
/// thousand m3 for Mm3).
enum class ResourceUnit : std::uint8_t {
  Mt,    ///< million tonnes (raw coal; crude or usable ore)
  Mtoe,  ///< million tonnes of oil equivalent (oil and gas)
  Mm3,   ///< million cubic metres (timber)
};

/// Integer sub-units per resource unit: quantities are kept in thousandths.
inline constexpr std::int64_t milli_per_unit = 1000;

/// Names and the noun used in messages, one specialisation per enum.
template <class E>
struct EnumTraits;

template <>
struct EnumTraits<AdminLevel> {
  static constexpr std::string_view noun = "admin_level";
  static constexpr std::array<std::string_view, 4> names{"prefecture", "county_city", "county",
                                                         "district"};
};
template <>
struct EnumTraits<Category> {
  static constexpr std::string_view noun = "category";
  static constexpr std::array<std::string_view, 4> names{"growing", "mature", "declining",
                                                         "regenerating"};
};
template <>
struct EnumTraits<Resource> {
  static constexpr std::string_view noun = "primary_resource";
  static constexpr std::array<std::string_view, 8> names{
      "coal", "oil_gas", "ferrous", "nonferrous", "precious_metal", "nonmetal", "mixed", "forest"};
};
template <>
struct EnumTraits<MacroRegion> {
  static constexpr std::string_view noun = "macro_region";
  static constexpr std::array<std::string_view, 4> names{"east", "central", "west", "northeast"};
};
template <>
struct EnumTraits<Confidence> {
  static constexpr std::string_view noun = "confidence";
  static constexpr std::array<std::string_view, 3> names{"high", "medium", "low"};
};
template <>
struct EnumTraits<ResourceUnit> {
  static constexpr std::string_view noun = "resource_unit";
  static constexpr std::array<std::string_view, 3> names{"Mt", "Mtoe", "Mm3"};
};

/// Number of values of E.
template <class E>
constexpr std::size_t enum_count = EnumTraits<E>::names.size();

/// The value's name as written in the seed files: to_string(Category::declining) == "declining".
template <class E>
constexpr std::string_view to_string(E value) {
  return EnumTraits<E>::names[static_cast<std::size_t>(value)];
}

/// Parses an exact name; std::nullopt if it is not one.
template <class E>
constexpr std::optional<E> parse_enum(std::string_view text) {
  for (std::size_t i = 0; i < EnumTraits<E>::names.size(); ++i) {
    if (EnumTraits<E>::names[i] == text) return static_cast<E>(i);
  }
  return std::nullopt;
}

/// All valid names of E (for "expected one of" and did-you-mean messages).
template <class E>
std::vector<std::string> enum_names() {
  return {EnumTraits<E>::names.begin(), EnumTraits<E>::names.end()};
}

/// The unit a city with this primary resource must use.
constexpr ResourceUnit unit_of(Resource r) {
  switch (r) {
    case Resource::oil_gas:
      return ResourceUnit::Mtoe;
    case Resource::forest:
      return ResourceUnit::Mm3;
    default:
      return ResourceUnit::Mt;
  }
}

/// Designation date (YYYY-MM) of a resource-exhausted-city batch: 1 → 2008-03,
/// 2 → 2009-03, 3 → 2011-11; empty for 0 (not exhausted).
std::string_view exhausted_batch_date(std::uint8_t batch);

/// One city's metadata (a row of cities.csv).
struct City {
  std::int32_t id = 0;
  std::string name_zh;
  std::string name_en;
  std::string province_zh;
  std::string province_en;
  AdminLevel admin_level = AdminLevel::prefecture;
  Category category = Category::mature;
  std::uint8_t exhausted_batch = 0;  ///< 0 = not a resource-exhausted city; else 1, 2 or 3
  Resource primary_resource = Resource::coal;
  MacroRegion macro_region = MacroRegion::east;
  double lat_deg = 0.0;
  double lon_deg = 0.0;
  Confidence confidence = Confidence::high;
  std::string source;  ///< provenance note

  bool exhausted() const { return exhausted_batch != 0; }
};

/// Initial conditions at 2013-01, structure of arrays indexed like
/// CityCatalogue::cities. People are counted as integers so that pool
/// transfers balance exactly; resource quantities are integer thousandths of
/// the city's ResourceUnit; value added is in 亿元 (1e8 CNY), 2012 prices.
struct InitialConditions {
  std::vector<std::int64_t> population;                    ///< residents, persons
  std::vector<std::int64_t> labour_force;                  ///< urban labour force, persons
  std::vector<std::int64_t> mining_employment;             ///< persons (= sum of mine workforce)
  std::vector<std::int64_t> registered_unemployed;         ///< persons, incl. ex-miners
  std::vector<std::int64_t> unemployed_ex_miners;          ///< persons
  std::vector<std::int64_t> social_assistance_recipients;  ///< 低保, persons
  std::vector<ResourceUnit> resource_unit;
  std::vector<std::int64_t> reserve_milli;              ///< recoverable reserve (= sum over mines)
  std::vector<std::int64_t> cumulative_milli;           ///< extracted before 2013
  std::vector<std::int64_t> production_milli_per_year;  ///< 2012/13 output
  std::vector<double> resource_va_yi;                   ///< 亿元
  std::vector<double> replacement_va_yi;                ///< 亿元
  std::vector<double> other_va_yi;                      ///< 亿元
  std::vector<std::int64_t> training_seats;             ///< seats
  std::vector<std::int64_t> degraded_land_ha;           ///< mine-damaged land incl. restored, ha
  std::vector<std::int64_t> restored_land_ha;           ///< ha

  /// Grows every column to hold n cities (new entries zero).
  void resize(std::size_t n);
};

/// Production units (mines, oilfield blocks, forestry bureaus) in CSR layout:
/// the units of city c are [first[c], first[c + 1]).
struct Mines {
  std::vector<std::uint32_t> first{0};                ///< size = cities + 1
  std::vector<std::int32_t> mine_id;                  ///< unique within the city
  std::vector<std::int64_t> reserve_milli;            ///< recoverable reserve
  std::vector<std::int64_t> capacity_milli_per_year;  ///< annual capacity
  std::vector<std::int64_t> workforce;                ///< persons

  std::size_t size() const { return mine_id.size(); }
  /// Number of units of city index c.
  std::size_t count(std::size_t c) const { return first[c + 1] - first[c]; }
};

/// Rates of a province (a row of provinces.csv, seeds/regions/README.md).
struct ProvinceRates {
  std::string name_en;
  /// Natural increase, per mille per year, in 2013, 2016, 2019 and 2022.
  std::array<double, 4> natural_increase{};
  /// Average real GDP growth, percent per year, over 2013-2015, 2016-2019
  /// and 2020-2023.
  std::array<double, 3> gdp_growth{};
};

/// A whole region: cities, their initial conditions and production units.
struct CityCatalogue {
  std::vector<City> cities;  ///< in file order; the index is the city's position
  InitialConditions initial;
  Mines mines;
  /// Province rates (optional provinces.csv); cities of a province without
  /// a row follow the national paths.
  std::vector<ProvinceRates> provinces;
  /// The province row of each city, or -1 (size = cities, or empty).
  std::vector<std::int32_t> province_of;

  const ProvinceRates* province(std::size_t c) const {
    return c < province_of.size() && province_of[c] >= 0
               ? &provinces[static_cast<std::size_t>(province_of[c])]
               : nullptr;
  }

  std::size_t size() const { return cities.size(); }
  /// Index of the city with this id, or std::nullopt.
  std::optional<std::size_t> find(std::int32_t id) const;
  /// GDP of city index c, 亿元 (resource + replacement + other VA).
  double gdp_yi(std::size_t c) const {
    return initial.resource_va_yi[c] + initial.replacement_va_yi[c] + initial.other_va_yi[c];
  }
};

}  // namespace regsim::model
