// Seeds in: a region directory (cities.csv, initial.csv, mines.csv and an
// optional provinces.csv; columns in seeds/README.md and seeds/provinces.md) read into a
// model::CityCatalogue, with every problem reported as `file:line:column: error: ...`
// (scenario/diagnostics.hpp).
#pragma once

#include <filesystem>
#include <span>
#include <string>
#include <string_view>

#include "model/city_catalogue.hpp"

namespace regsim::io {

/// The three files of a region as text, and the names diagnostics give them.
struct RegionText {
  std::string cities_file = "cities.csv";
  std::string cities;
  std::string initial_file = "initial.csv";
  std::string initial;
  std::string mines_file = "mines.csv";
  std::string mines;
  std::string provinces_file = "provinces.csv";
  std::string provinces;  ///< optional: empty = no province rates
};

/// Loads the region in `dir`. Validates the header of each file, every value
/// (numbers, ranges, known names with a did-you-mean), unique ids, references
/// between the files, and the accounting between them (a city's mining
/// employment and reserve equal the sums over its production units). Collects
/// up to scenario::Diagnostics::max_errors problems, then throws
/// scenario::InputError with all of them.
///
///     auto catalogue = regsim::io::read_region("seeds");  // the 262 cities
model::CityCatalogue read_region(const std::filesystem::path& dir);

/// The same from text already in memory.
model::CityCatalogue parse_region(const RegionText& text);

/// Required columns of each file, in the order the seed files write them.
std::span<const std::string_view> cities_columns();
std::span<const std::string_view> initial_columns();
std::span<const std::string_view> mines_columns();
std::span<const std::string_view> provinces_columns();

}  // namespace regsim::io
