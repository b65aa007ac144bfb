// The field readers shared by the scenario's sections and the calibration
// targets (fields.hpp).
#include "scenario/detail/fields.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <sstream>

#include <fmt/format.h>

#include "scenario/keys.hpp"
#include "scenario/text.hpp"

namespace regsim::scenario::detail {

namespace {

std::vector<std::string> indicator_names() {
  std::vector<std::string> out;
  for (const auto& i : model::indicator_specs) out.emplace_back(i.name);
  return out;
}

}  // namespace

YearMonth next_month(YearMonth ym) {
  return ym.month == 12 ? YearMonth{ym.year + 1, 1} : YearMonth{ym.year, ym.month + 1};
}

std::filesystem::path resolve_path(const Tree& t) {
  const std::filesystem::path base = t.where.file == override_file
                                         ? std::filesystem::current_path()
                                         : std::filesystem::path(t.where.file).parent_path();
  return (base / t.scalar).lexically_normal();
}

std::vector<std::string> param_names() {
  std::vector<std::string> out;
  for (const auto& p : model::param_specs) out.emplace_back(p.name);
  return out;
}

SourceLocation key_location(const Tree& map, std::string_view key) {
  for (std::size_t i = 0; i < map.entries.size(); ++i) {
    if (map.entries[i].first == key) return map.key_where[i];
  }
  return map.where;
}

std::string join_path(const std::string& a, const std::string& b) {
  return a.empty() ? b : a + "." + b;
}

// ---------------------------------------------------------------------------
// Reporting

Fields::Fields(Sources& sources, Diagnostics& diags, YearMonth last_month)
    : sources_(sources), diags_(diags), last_month_(last_month) {}

void Fields::error(const SourceLocation& at, int span, std::string message, std::string key_path,
                   std::string expected, std::string suggestion) {
  Diagnostic d;
  d.where = at;
  d.message = std::move(message);
  d.key_path = std::move(key_path);
  d.expected = std::move(expected);
  d.suggestion = std::move(suggestion);
  d.source_line = sources_.line(at);
  d.span = std::max(1, span);
  diags_.add(std::move(d));
}

void Fields::error(const Tree& at, std::string message, std::string key_path, std::string expected,
                   std::string suggestion) {
  error(at.where, at.span, std::move(message), std::move(key_path), std::move(expected),
        std::move(suggestion));
}

std::string Fields::kind(const Tree& t) {
  switch (t.kind) {
    case Tree::Kind::null:
      return "nothing";
    case Tree::Kind::scalar:
      return fmt::format("'{}'", t.scalar);
    case Tree::Kind::sequence:
      return "a list";
    case Tree::Kind::map:
      return "a map";
  }
  return {};
}

// ---------------------------------------------------------------------------
// Maps and scalars

void Fields::check_keys(const Tree& t, const std::vector<std::string>& allowed,
                        const std::string& path) {
  if (!t.is_map()) return;
  for (std::size_t i = 0; i < t.entries.size(); ++i) {
    const std::string& k = t.entries[i].first;
    if (std::find(allowed.begin(), allowed.end(), k) != allowed.end()) continue;
    error(t.key_where[i], code_points(k), fmt::format("unknown key '{}'", k), join_path(path, k),
          "one of: " + join(allowed), nearest_name(k, allowed));
  }
}

bool Fields::require_map(const Tree& t, const std::string& path, const std::string& expected) {
  if (t.is_map()) return true;
  error(t, fmt::format("'{}' must be a map, got {}", path, kind(t)), path, expected);
  return false;
}

bool Fields::within_limit(const Tree& t, std::size_t size, std::size_t limit,
                          const std::string& path) {
  if (size <= limit) return true;
  error(t, fmt::format("'{}' has {} entries, more than the limit of {}", path, size, limit), path,
        fmt::format("at most {} entries", limit));
  return false;
}

std::string Fields::text(const Tree& t, const std::string& path) {
  if (t.is_scalar()) return t.scalar;
  error(t, fmt::format("'{}' must be text, got {}", path, kind(t)), path, "a string");
  return {};
}

std::optional<double> Fields::number(const Tree& t, const std::string& path, double lo, double hi,
                                     const std::string& unit) {
  if (!t.is_scalar()) {
    error(t, fmt::format("'{}' must be a number, got {}", path, kind(t)), path,
          fmt::format("a number in [{}, {}]", lo, hi));
    return std::nullopt;
  }
  double v = 0.0;
  const char* b = t.scalar.data();
  const char* e = b + t.scalar.size();
  if (!t.scalar.empty() && *b == '+') ++b;
  const auto [ptr, ec] = std::from_chars(b, e, v);
  if (ec != std::errc{} || ptr != e || !std::isfinite(v)) {
    error(t, fmt::format("'{}' must be a number, got '{}'", path, t.scalar), path,
          fmt::format("a number in [{}, {}]", lo, hi));
    return std::nullopt;
  }
  if (v < lo || v > hi) {
    error(t, fmt::format("'{}' = {} is out of range", path, t.scalar), path,
          fmt::format("a number in [{}, {}]{}", lo, hi, unit.empty() ? "" : " " + unit));
    return std::nullopt;
  }
  return v;
}

std::optional<std::uint64_t> Fields::integer(const Tree& t, const std::string& path,
                                             std::uint64_t lo, std::uint64_t hi) {
  std::uint64_t v = 0;
  if (t.is_scalar()) {
    const char* b = t.scalar.data();
    const char* e = b + t.scalar.size();
    const auto [ptr, ec] = std::from_chars(b, e, v);
    if (ec == std::errc{} && ptr == e) {
      if (v >= lo && v <= hi) return v;
      error(t, fmt::format("'{}' = {} is out of range", path, t.scalar), path,
            fmt::format("an integer in [{}, {}]", lo, hi));
      return std::nullopt;
    }
  }
  error(t, fmt::format("'{}' must be an integer, got {}", path, kind(t)), path,
        fmt::format("an integer in [{}, {}]", lo, hi));
  return std::nullopt;
}

std::optional<bool> Fields::boolean(const Tree& t, const std::string& path) {
  if (t.is_scalar()) {
    const std::string& v = t.scalar;
    if (v == "true" || v == "yes" || v == "on") return true;
    if (v == "false" || v == "no" || v == "off") return false;
  }
  error(t, fmt::format("'{}' must be true or false, got {}", path, kind(t)), path, "true or false");
  return std::nullopt;
}

std::optional<YearMonth> Fields::date(const Tree& t, const std::string& path, bool in_horizon) {
  const std::string expected =
      in_horizon ? fmt::format("a month YYYY-MM from 2013-01 to {}", to_string(last_month_))
                 : "a month YYYY-MM from 2013-01 to 2060-12";
  if (!t.is_scalar()) {
    error(t, fmt::format("'{}' must be a month, got {}", path, kind(t)), path, expected);
    return std::nullopt;
  }
  const std::string& v = t.scalar;
  const auto parsed = parse_month(v);
  if (!parsed) {
    error(t, fmt::format("'{}' must be a month YYYY-MM, got '{}'", path, v), path, expected);
    return std::nullopt;
  }
  const YearMonth ym = *parsed;
  const YearMonth last = in_horizon ? last_month_ : latest_date;
  if (ym < simulation_start || ym > last) {
    error(t,
          fmt::format("date {} is outside the {}", v,
                      in_horizon ? fmt::format("horizon (2013-01 .. {})", to_string(last))
                                 : "supported range (2013-01 .. 2060-12)"),
          path, expected);
    return std::nullopt;
  }
  return ym;
}

// ---------------------------------------------------------------------------
// Names of the model: indicators, parameters, words of an enum

std::optional<model::Indicator> Fields::indicator(const Tree& t, const std::string& path) {
  const std::string name = text(t, path);
  if (!t.is_scalar()) return std::nullopt;
  if (auto i = model::find_indicator(name)) return i;
  const auto names = indicator_names();
  error(t, fmt::format("unknown indicator '{}'", name), path, "one of: " + join(names),
        nearest_name(name, names));
  return std::nullopt;
}

std::optional<model::Param> Fields::parameter(const std::string& name, const SourceLocation& at,
                                              const std::string& path) {
  if (auto p = model::find_param(name)) return p;
  const auto names = param_names();
  error(at, code_points(name), fmt::format("unknown parameter '{}'", name), path,
        "a dotted parameter name (see `regsim params`)", nearest_name(name, names));
  return std::nullopt;
}

// ---------------------------------------------------------------------------
// Selectors

void Fields::selector(const Tree& t, const std::string& path, model::Selector& sel,
                      std::vector<RegionName>& names, std::vector<IndicatorPredicate>* predicates) {
  if (t.is_scalar() && t.scalar == "all") return;
  if (!t.is_map()) {
    error(t, fmt::format("'{}' must be 'all' or a map of criteria, got {}", path, kind(t)), path,
          "all, or {category: [...], province: [...], resource: [...], ...}");
    return;
  }
  std::vector<std::string> allowed = model::criterion_key_names();
  if (predicates) allowed.emplace_back(keys::selector_predicates.name);
  check_keys(t, allowed, path);
  for (std::size_t i = 0; i < t.entries.size(); ++i) {
    const auto& [key, value] = t.entries[i];
    const std::string kpath = path + "." + key;
    if (key == "indicators") {
      if (predicates) indicator_predicates(value, kpath, *predicates);
      continue;
    }
    selector_words(key, value, kpath, sel, names);
  }
}

// One criterion of a selector: a word or a list of words. An unknown key
// (already reported) still has its values checked for shape.
void Fields::selector_words(const std::string& key, const Tree& value, const std::string& kpath,
                            model::Selector& sel, std::vector<RegionName>& names) {
  std::vector<const Tree*> values;
  if (value.is_sequence()) {
    for (const auto& item : value.items) values.push_back(&item);
  } else {
    values.push_back(&value);
  }
  if (values.empty()) {
    error(value, fmt::format("'{}' has no values", kpath), kpath, "one value or a list");
  }
  for (const Tree* v : values) {
    if (!v->is_scalar()) {
      error(*v, fmt::format("'{}' values must be words, got {}", kpath, kind(*v)), kpath);
      continue;
    }
    const auto criterion = model::find_criterion(key);
    if (!criterion) continue;  // an unknown key, already reported
    if (auto bad = model::add_value(sel, *criterion, v->scalar, fmt::format("'{}'", key))) {
      error(*v, bad->message, kpath, bad->expected, bad->suggestion);
    } else if (*criterion == model::Criterion::province) {
      names.push_back({RegionName::Kind::province, v->scalar, v->where, v->span});
    } else if (*criterion == model::Criterion::cities) {
      names.push_back({RegionName::Kind::city, v->scalar, v->where, v->span});
    }
  }
}

// indicators: {name: {above: x, below: y, between: [lo, hi]}, ...}
void Fields::indicator_predicates(const Tree& t, const std::string& path,
                                  std::vector<IndicatorPredicate>& out) {
  const std::string shape = "{indicator: {above: x, below: y, between: [lo, hi]}, ...}";
  if (!require_map(t, path, shape)) return;
  if (t.entries.empty()) {
    error(t, fmt::format("'{}' has no indicators", path), path, shape);
    return;
  }
  const double inf = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < t.entries.size(); ++i) {
    const auto& [name, spec] = t.entries[i];
    const std::string ipath = path + "." + name;
    IndicatorPredicate pred;
    pred.where = t.key_where[i];
    if (auto id = model::find_indicator(name)) {
      pred.indicator = *id;
    } else {
      const auto names = indicator_names();
      error(t.key_where[i], code_points(name), fmt::format("unknown indicator '{}'", name), ipath,
            "one of: " + join(names), nearest_name(name, names));
      continue;
    }
    if (!require_map(spec, ipath, "{above: x, below: y, between: [lo, hi]}")) continue;
    check_keys(spec, keys::names(keys::predicate), ipath);
    bool ok = true;
    if (const Tree* x = spec.find("above")) {
      if (auto v = number(*x, ipath + ".above", -inf, inf)) pred.above = *v;
      ok = ok && pred.above.has_value();
    }
    if (const Tree* x = spec.find("below")) {
      if (auto v = number(*x, ipath + ".below", -inf, inf)) pred.below = *v;
      ok = ok && pred.below.has_value();
    }
    if (const Tree* x = spec.find("between")) {
      if (!x->is_sequence() || x->items.size() != 2) {
        error(*x, "'between' needs [lo, hi]", ipath + ".between", "[lo, hi]");
        ok = false;
      } else {
        const auto lo = number(x->items[0], ipath + ".between", -inf, inf);
        const auto hi = number(x->items[1], ipath + ".between", -inf, inf);
        if (lo && hi && *lo <= *hi) {
          pred.between = std::make_pair(*lo, *hi);
        } else {
          if (lo && hi) error(*x, "'between' needs lo <= hi", ipath + ".between");
          ok = false;
        }
      }
    }
    if (ok && !pred.above && !pred.below && !pred.between) {
      error(spec, fmt::format("'{}' needs 'above', 'below' or 'between'", ipath), ipath,
            "{above: x, below: y, between: [lo, hi]}");
      ok = false;
    }
    if (ok) out.push_back(pred);
  }
}

// ---------------------------------------------------------------------------
// CSV files named by a field

std::optional<support::CsvTable> Fields::csv_file(const Tree& t, const std::filesystem::path& file,
                                                  const std::string& noun, const std::string& path,
                                                  const std::string& format) {
  TextFile f = read_text_file(file, limits::csv_bytes);
  if (!f.problem.empty()) {
    error(t, fmt::format("cannot read {} file '{}': {}", noun, file.string(), f.problem), path,
          fmt::format("a CSV file{} relative to the scenario file, a regular file of at most "
                      "{} bytes",
                      format, limits::csv_bytes));
    return std::nullopt;
  }
  if (auto bad = utf8_diagnostic(f.text, file.string())) {
    bad->key_path = path;
    diags_.add(std::move(*bad));
    return std::nullopt;
  }
  support::CsvTable table = support::tokenize_csv(f.text);
  sources_.add(file.string(), std::move(f.text));
  for (const support::CsvProblem& p : table.problems) {
    error(SourceLocation{file.string(), p.line, p.column}, 1, p.message, path, p.expected);
  }
  return table;
}

}  // namespace regsim::scenario::detail
