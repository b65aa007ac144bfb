// The scenario validator's readers of single fields (numbers, months,
// indicators, parameter names, `where:` selectors), for the other YAML
// inputs of this layer — the calibration targets — so that they report
// problems with the same messages, locations and suggestions as a
// scenario. Internal to the scenario layer; implemented in scenario.cpp
// next to the validator it forwards to.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/city_catalogue.hpp"
#include "model/city_selector.hpp"
#include "model/indicators.hpp"
#include "model/params.hpp"
#include "scenario/detail/tree.hpp"
#include "scenario/scenario.hpp"

namespace regsim::scenario::detail {

class Fields {
 public:
  /// Problems go to `diags`, with lines echoed from `sources`; months are
  /// valid from 2013-01 to `last_month`.
  Fields(Sources& sources, Diagnostics& diags, YearMonth last_month);
  ~Fields();
  Fields(const Fields&) = delete;
  Fields& operator=(const Fields&) = delete;

  void error(const Tree& at, std::string message, std::string key_path, std::string expected = {},
             std::string suggestion = {});
  void error(const SourceLocation& at, int span, std::string message, std::string key_path,
             std::string expected = {}, std::string suggestion = {});
  /// "nothing", "'word'", "a list", "a map": what a node is, for messages.
  static std::string kind(const Tree& t);

  /// Unknown keys of a map, with the nearest allowed one.
  void check_keys(const Tree& t, const std::vector<std::string>& allowed, const std::string& path);
  bool require_map(const Tree& t, const std::string& path, const std::string& expected);
  std::string text(const Tree& t, const std::string& path);
  std::optional<double> number(const Tree& t, const std::string& path, double lo, double hi,
                               const std::string& unit = {});
  std::optional<YearMonth> date(const Tree& t, const std::string& path);
  /// `where:` as goals read it (no indicator predicates).
  void selector(const Tree& t, const std::string& path, model::Selector& sel,
                std::vector<RegionName>& names);
  std::optional<model::Indicator> indicator(const Tree& t, const std::string& path);
  /// A dotted parameter name of the registry (model::find_param).
  std::optional<model::Param> parameter(const std::string& name, const SourceLocation& at,
                                        const std::string& path);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// The provinces and cities a selector names exist in the region, and the
/// selector matches at least one city (compile.cpp; `what` is the key path).
void check_names(const std::vector<RegionName>& names, const model::Selector& sel,
                 const SourceLocation& sel_at, const std::string& what,
                 const model::CityCatalogue& region, const Sources& sources, Diagnostics& diags);

}  // namespace regsim::scenario::detail
