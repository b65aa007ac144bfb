// The readers of single fields that every YAML input of this layer shares
// (the scenario's sections and the calibration targets), so that they
// report problems with the same messages, locations and suggestions: keys,
// maps, text, numbers, months, words of an enum, indicators, parameter
// names, `where:` selectors and the CSV files a field names. Internal to
// the scenario layer.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/city_catalogue.hpp"
#include "model/city_selector.hpp"
#include "model/indicators.hpp"
#include "model/params.hpp"
#include "scenario/detail/tree.hpp"
#include "scenario/scenario.hpp"
#include "support/csv.hpp"

namespace regsim::scenario::detail {

/// The last month a scenario may name.
inline constexpr YearMonth latest_date{2060, 12};

YearMonth next_month(YearMonth ym);

/// The path written at t: relative to the file that wrote it; one given
/// with --set, to the working directory.
std::filesystem::path resolve_path(const Tree& t);

/// The dotted names of the parameter registry, for suggestions.
std::vector<std::string> param_names();

/// Where `key` is written in a map (the map itself if it has no such key).
SourceLocation key_location(const Tree& map, std::string_view key);

/// "a.b" from "a" and "b"; just "b" under the root.
std::string join_path(const std::string& a, const std::string& b);

class Fields {
 public:
  /// Problems go to `diags`, with lines echoed from `sources`; months are
  /// valid from 2013-01 to `last_month`.
  Fields(Sources& sources, Diagnostics& diags, YearMonth last_month = latest_date);
  Fields(const Fields&) = delete;
  Fields& operator=(const Fields&) = delete;

  Sources& sources() { return sources_; }
  Diagnostics& diagnostics() { return diags_; }
  /// The last month a date in the horizon may name.
  YearMonth last_month() const { return last_month_; }

  void error(const Tree& at, std::string message, std::string key_path, std::string expected = {},
             std::string suggestion = {});
  void error(const SourceLocation& at, int span, std::string message, std::string key_path,
             std::string expected = {}, std::string suggestion = {});
  /// "nothing", "'word'", "a list", "a map": what a node is, for messages.
  static std::string kind(const Tree& t);

  /// Unknown keys of a map, with the nearest allowed one.
  void check_keys(const Tree& t, const std::vector<std::string>& allowed, const std::string& path);
  bool require_map(const Tree& t, const std::string& path, const std::string& expected);
  /// A section of at most `limit` entries (README.md, "Input limits").
  bool within_limit(const Tree& t, std::size_t size, std::size_t limit, const std::string& path);
  std::string text(const Tree& t, const std::string& path);
  std::optional<double> number(const Tree& t, const std::string& path, double lo, double hi,
                               const std::string& unit = {});
  std::optional<std::uint64_t> integer(const Tree& t, const std::string& path, std::uint64_t lo,
                                       std::uint64_t hi);
  std::optional<bool> boolean(const Tree& t, const std::string& path);
  /// A month up to last_month() (`in_horizon`) or up to latest_date.
  std::optional<YearMonth> date(const Tree& t, const std::string& path, bool in_horizon = true);
  /// `where:` all | {category: [...], province: [...], ...}; indicator
  /// predicates are allowed where `predicates` is given (policies only).
  void selector(const Tree& t, const std::string& path, model::Selector& sel,
                std::vector<RegionName>& names,
                std::vector<IndicatorPredicate>* predicates = nullptr);
  std::optional<model::Indicator> indicator(const Tree& t, const std::string& path);
  /// A dotted parameter name of the registry (model::find_param).
  std::optional<model::Param> parameter(const std::string& name, const SourceLocation& at,
                                        const std::string& path);
  /// The records of the CSV file `file` named at t (a regular file within
  /// limits::csv_bytes, valid UTF-8, read by support::tokenize_csv); its
  /// text is kept for echoing lines in errors, and quoting problems are
  /// reported at their cell (those records are marked broken).
  std::optional<support::CsvTable> csv_file(const Tree& t, const std::filesystem::path& file,
                                            const std::string& noun, const std::string& path,
                                            const std::string& format = {});

 private:
  void selector_words(const std::string& key, const Tree& value, const std::string& path,
                      model::Selector& sel, std::vector<RegionName>& names);
  void indicator_predicates(const Tree& t, const std::string& path,
                            std::vector<IndicatorPredicate>& out);

  Sources& sources_;
  Diagnostics& diags_;
  YearMonth last_month_;
};

/// The provinces and cities a selector names exist in the region, and the
/// selector matches at least one city (compile.cpp; `what` is the key path).
void check_names(const std::vector<RegionName>& names, const model::Selector& sel,
                 const SourceLocation& sel_at, const std::string& what,
                 const model::CityCatalogue& region, const Sources& sources, Diagnostics& diags);

}  // namespace regsim::scenario::detail
