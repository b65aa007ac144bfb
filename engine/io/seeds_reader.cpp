// Seeds reader: RFC 4180 CSV (quoted fields, CRLF or LF, optional UTF-8 BOM),
// one pass per file, then the checks between files. Columns are counted in
// Unicode code points from 1, as editors count them.
#include "io/seeds_reader.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <sstream>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "scenario/diagnostics.hpp"
#include "scenario/text.hpp"
#include "support/csv.hpp"

namespace regsim::io {

namespace {

using model::CityCatalogue;
using scenario::code_points;
using scenario::Diagnostic;
using scenario::Diagnostics;

constexpr std::array<std::string_view, 14> cities_cols{"id",
                                                       "name_zh",
                                                       "name_en",
                                                       "province_zh",
                                                       "province_en",
                                                       "admin_level",
                                                       "category",
                                                       "exhausted_batch",
                                                       "primary_resource",
                                                       "macro_region",
                                                       "lat",
                                                       "lon",
                                                       "confidence",
                                                       "source"};
constexpr std::array<std::string_view, 18> initial_cols{"city_id",
                                                        "population",
                                                        "labour_force",
                                                        "mining_employment",
                                                        "registered_unemployed",
                                                        "unemployed_ex_miners",
                                                        "social_assistance_recipients",
                                                        "resource_unit",
                                                        "recoverable_reserve",
                                                        "cumulative_extraction",
                                                        "annual_production",
                                                        "mine_count",
                                                        "resource_va",
                                                        "replacement_va",
                                                        "other_va",
                                                        "training_seats",
                                                        "degraded_land_ha",
                                                        "restored_land_ha"};
constexpr std::array<std::string_view, 5> mines_cols{"city_id", "mine_id", "reserve",
                                                     "annual_capacity", "workforce"};
constexpr std::array<std::string_view, 14> provinces_cols{"province_en",
                                                          "province_zh",
                                                          "macro_region",
                                                          "natural_increase_2013",
                                                          "natural_increase_2016",
                                                          "natural_increase_2019",
                                                          "natural_increase_2022",
                                                          "ni_confidence",
                                                          "ni_source",
                                                          "gdp_growth_2013_2015",
                                                          "gdp_growth_2016_2019",
                                                          "gdp_growth_2020_2023",
                                                          "gdp_confidence",
                                                          "gdp_source"};

// ---------------------------------------------------------------------------
// CSV tokenising

using Field = support::CsvField;
using Record = support::CsvRecord;

struct Table {
  std::string file;
  std::vector<std::string> lines;  // physical lines, for echoing
  std::vector<Record> records;     // records[0] is the header
};

class Reporter {
 public:
  explicit Reporter(Diagnostics& diags) : diags_(diags) {}

  bool full() const { return diags_.size() >= Diagnostics::max_errors; }

  void at(const Table& t, int line, int column, int width, std::string message,
          std::string expected = {}, std::string suggestion = {}, std::string key_path = {}) {
    if (full()) return;
    Diagnostic d;
    d.where = {t.file, line, column};
    d.message = std::move(message);
    d.expected = std::move(expected);
    d.suggestion = std::move(suggestion);
    d.key_path = std::move(key_path);
    d.source_line = scenario::line_of(t.lines, line);
    d.span = std::max(width, 1);
    diags_.add(std::move(d));
  }

  void at(const Table& t, const Field& f, std::string message, std::string expected = {},
          std::string suggestion = {}, std::string key_path = {}) {
    at(t, f.line, f.column, f.width, std::move(message), std::move(expected), std::move(suggestion),
       std::move(key_path));
  }

  void file(const std::string& name, std::string message, std::string expected = {}) {
    if (full()) return;
    diags_.add(scenario::file_problem(name, std::move(message), std::move(expected)));
  }

 private:
  Diagnostics& diags_;
};

// Splits text into records (support::tokenize_csv). Quoting problems are
// reported; the table keeps what could be read.
Table tokenize(std::string file, std::string_view text, Reporter& rep) {
  support::CsvTable csv = support::tokenize_csv(text);
  Table t{std::move(file), std::move(csv.lines), std::move(csv.records)};
  for (auto& p : csv.problems) {
    rep.at(t, p.line, p.column, 1, std::move(p.message), std::move(p.expected));
  }
  return t;
}

// ---------------------------------------------------------------------------
// Header and typed fields

std::string expected_columns(std::span<const std::string_view> cols) {
  std::string s = "columns: ";
  for (std::size_t i = 0; i < cols.size(); ++i) {
    if (i > 0) s += ",";
    s += cols[i];
  }
  return s;
}

// Maps required column names to positions in the file's header. Returns false
// (after reporting) if the header cannot be used.
bool map_header(const Table& t, std::span<const std::string_view> cols,
                std::vector<std::size_t>& index, Reporter& rep) {
  if (t.records.empty()) {
    rep.at(t, 1, 1, 1, "empty file; expected a header line", expected_columns(cols));
    return false;
  }
  const Record& header = t.records.front();
  index.assign(cols.size(), std::numeric_limits<std::size_t>::max());
  std::vector<std::string> missing;
  for (std::size_t c = 0; c < cols.size(); ++c) {
    for (std::size_t i = 0; i < header.fields.size(); ++i) {
      if (header.fields[i].text == cols[c]) {
        if (index[c] != std::numeric_limits<std::size_t>::max()) {
          rep.at(t, header.fields[i], fmt::format("duplicate column '{}'", cols[c]),
                 expected_columns(cols));
          return false;
        }
        index[c] = i;
      }
    }
    if (index[c] == std::numeric_limits<std::size_t>::max()) missing.emplace_back(cols[c]);
  }
  bool ok = missing.empty();
  for (const Field& f : header.fields) {
    if (std::find(cols.begin(), cols.end(), f.text) != cols.end()) continue;
    const std::string near = scenario::nearest_name(f.text, missing);
    rep.at(t, f, fmt::format("unknown column '{}'", f.text), expected_columns(cols), near);
    // A misspelt column is reported once, not again as missing.
    missing.erase(std::remove(missing.begin(), missing.end(), near), missing.end());
    ok = false;
  }
  if (!missing.empty()) {
    const Field& last = header.fields.back();
    rep.at(t, 1, last.column + last.width, 1,
           fmt::format("missing column{} '{}'", missing.size() > 1 ? "s" : "",
                       scenario::join(missing, "', '")),
           expected_columns(cols));
  }
  return ok;
}

// Typed access to the fields of one file.
class Sheet {
 public:
  Sheet(const Table& t, std::span<const std::string_view> cols, Reporter& rep)
      : t_(t), cols_(cols), rep_(rep) {
    ok_ = map_header(t, cols, index_, rep);
  }

  bool ok() const { return ok_; }
  const Table& table() const { return t_; }
  Reporter& rep() { return rep_; }

  // Data records with the right number of fields; others are reported and
  // kept in malformed().
  std::vector<const Record*> rows() {
    std::vector<const Record*> out;
    if (!ok_) return out;
    const std::size_t width = t_.records.front().fields.size();
    for (std::size_t r = 1; r < t_.records.size() && !rep_.full(); ++r) {
      const Record& rec = t_.records[r];
      if (rec.broken) {
        malformed_.push_back(&rec);
        continue;
      }
      if (rec.fields.size() != width) {
        malformed_.push_back(&rec);
        const Field& at = rec.fields.size() > width ? rec.fields[width] : rec.fields.back();
        const int column = rec.fields.size() > width ? at.column : at.column + at.width;
        rep_.at(t_, at.line, column, 1,
                fmt::format("row has {} fields, the header has {}", rec.fields.size(), width),
                expected_columns(cols_));
        continue;
      }
      out.push_back(&rec);
    }
    return out;
  }

  const Field& field(const Record& rec, std::size_t col) const { return rec.fields[index_[col]]; }

  // The integer in column col of a malformed record, if it has one: such rows
  // still name their city, so that no follow-on error says the city is missing.
  std::optional<std::int64_t> peek(const Record& rec, std::size_t col) const {
    if (index_[col] >= rec.fields.size()) return std::nullopt;
    const std::string& text = rec.fields[index_[col]].text;
    std::int64_t value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || ptr != text.data() + text.size()) return std::nullopt;
    return value;
  }
  const std::vector<const Record*>& malformed() const { return malformed_; }
  std::string_view name(std::size_t col) const { return cols_[col]; }

  void error(const Field& f, std::string message, std::string expected = {},
             std::string suggestion = {}) {
    rep_.at(t_, f, std::move(message), std::move(expected), std::move(suggestion));
  }

  std::optional<std::string> text(const Record& rec, std::size_t col, bool required = true) {
    const Field& f = field(rec, col);
    if (required && f.text.empty()) {
      error(f, fmt::format("column '{}' is empty", name(col)), "a non-empty value");
      return std::nullopt;
    }
    return f.text;
  }

  // An integer in [lo, hi].
  std::optional<std::int64_t> integer(const Record& rec, std::size_t col, std::int64_t lo,
                                      std::int64_t hi = std::numeric_limits<std::int64_t>::max()) {
    const Field& f = field(rec, col);
    const std::string want = hi == std::numeric_limits<std::int64_t>::max()
                                 ? fmt::format("an integer >= {}", lo)
                                 : fmt::format("an integer from {} to {}", lo, hi);
    std::int64_t value = 0;
    const char* first = f.text.data();
    const char* last = first + f.text.size();
    const auto [ptr, ec] = std::from_chars(first, last, value);
    if (f.text.empty() || ec != std::errc{} || ptr != last) {
      error(f, fmt::format("column '{}' must be {}, got '{}'", name(col), want, f.text));
      return std::nullopt;
    }
    if (value < lo || value > hi) {
      error(f, fmt::format("column '{}' must be {}, got '{}'", name(col), want, f.text));
      return std::nullopt;
    }
    return value;
  }

  // A decimal >= 0 with at most three decimals, as integer thousandths.
  std::optional<std::int64_t> milli(const Record& rec, std::size_t col) {
    const Field& f = field(rec, col);
    const std::string_view s = f.text;
    const std::size_t dot = s.find('.');
    const std::string_view whole = s.substr(0, dot);
    const std::string_view frac =
        dot == std::string_view::npos ? std::string_view{} : s.substr(dot + 1);
    auto digits = [](std::string_view d) {
      return std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    const bool negative = !whole.empty() && whole.front() == '-';
    const std::string_view magnitude = negative ? whole.substr(1) : whole;
    if (magnitude.empty() || !digits(magnitude) || !digits(frac) ||
        (dot != std::string_view::npos && frac.empty()) || frac.size() > 3 ||
        magnitude.size() > 15) {
      error(f, fmt::format("column '{}' must be a number >= 0 with at most 3 decimals, got '{}'",
                           name(col), f.text));
      return std::nullopt;
    }
    if (negative) {
      error(f, fmt::format("column '{}' must be >= 0, got '{}'", name(col), f.text));
      return std::nullopt;
    }
    std::int64_t value = 0;
    for (const char c : magnitude) value = value * 10 + (c - '0');
    std::int64_t scale = model::milli_per_unit;
    for (const char c : frac) {
      scale /= 10;
      value = value * 10 + (c - '0');
    }
    return value * scale;
  }

  // A finite real in [lo, hi].
  std::optional<double> real(const Record& rec, std::size_t col, double lo, double hi) {
    const Field& f = field(rec, col);
    double value = 0.0;
    const char* first = f.text.data();
    const char* last = first + f.text.size();
    const auto [ptr, ec] = std::from_chars(first, last, value);
    const std::string want = std::isinf(hi) ? fmt::format("a number >= {}", lo)
                                            : fmt::format("a number from {} to {}", lo, hi);
    if (f.text.empty() || ec != std::errc{} || ptr != last || !std::isfinite(value) || value < lo ||
        value > hi) {
      error(f, fmt::format("column '{}' must be {}, got '{}'", name(col), want, f.text));
      return std::nullopt;
    }
    return value;
  }

  template <class E>
  std::optional<E> enumeration(const Record& rec, std::size_t col) {
    const Field& f = field(rec, col);
    if (auto v = model::parse_enum<E>(f.text)) return v;
    const auto names = model::enum_names<E>();
    error(f, fmt::format("unknown {} '{}'", name(col), f.text), "one of: " + scenario::join(names),
          scenario::nearest_name(f.text, names));
    return std::nullopt;
  }

 private:
  const Table& t_;
  std::span<const std::string_view> cols_;
  Reporter& rep_;
  std::vector<std::size_t> index_;
  std::vector<const Record*> malformed_;
  bool ok_ = false;
};

std::string fmt_milli(std::int64_t v) {
  return fmt::format("{}.{:03}", v / model::milli_per_unit, v % model::milli_per_unit);
}

// Column positions, by name, so the code below reads like the README.
namespace ccol {
enum Cities : std::size_t {
  id,
  name_zh,
  name_en,
  province_zh,
  province_en,
  admin_level,
  category,
  exhausted_batch,
  primary_resource,
  macro_region,
  lat,
  lon,
  confidence,
  source
};
}
namespace icol {
enum Initial : std::size_t {
  city_id,
  population,
  labour_force,
  mining_employment,
  registered_unemployed,
  unemployed_ex_miners,
  social_assistance_recipients,
  resource_unit,
  recoverable_reserve,
  cumulative_extraction,
  annual_production,
  mine_count,
  resource_va,
  replacement_va,
  other_va,
  training_seats,
  degraded_land_ha,
  restored_land_ha
};
}
namespace mcol {
enum Mines : std::size_t { city_id, mine_id, reserve, annual_capacity, workforce };
}

constexpr std::int64_t int32_max = std::numeric_limits<std::int32_t>::max();

// ---------------------------------------------------------------------------
// The three files

// What the checks between files need to know about each parsed row.
struct Region {
  CityCatalogue cat;
  std::vector<const Record*> city_rec;           // by city index
  std::map<std::int32_t, std::size_t> index_of;  // id -> city index (valid rows)
  std::map<std::int64_t, int> id_line;           // every id seen in cities.csv, valid or not
  std::vector<const Record*> initial_rec;        // by city index; nullptr if absent
  std::vector<bool> initial_ok;                  // row fully valid
  std::vector<bool> initial_named;               // named by a row, even a malformed one
  std::vector<std::int64_t> mine_count;          // as declared in initial.csv
};

struct MineRow {
  std::size_t city = 0;
  std::int32_t mine_id = 0;
  std::int64_t reserve_milli = 0;
  std::int64_t capacity_milli = 0;
  std::int64_t workforce = 0;
};

void read_cities(Sheet& s, Region& r) {
  for (const Record* rec : s.rows()) {
    if (s.rep().full()) break;
    model::City c;
    bool ok = true;
    if (auto id = s.integer(*rec, ccol::id, 1, int32_max)) {
      const auto [it, fresh] = r.id_line.emplace(*id, rec->line);
      if (!fresh) {
        s.error(s.field(*rec, ccol::id),
                fmt::format("duplicate city id {} (first defined on line {})", *id, it->second),
                "each id once");
        ok = false;
      }
      c.id = static_cast<std::int32_t>(*id);
    } else {
      ok = false;
    }
    auto str = [&](std::size_t col, std::string& out, bool required) {
      if (auto v = s.text(*rec, col, required)) {
        out = *v;
      } else {
        ok = false;
      }
    };
    auto enumeration = [&]<class E>(std::size_t col, E& out) {
      if (auto v = s.enumeration<E>(*rec, col)) {
        out = *v;
      } else {
        ok = false;
      }
    };
    auto real = [&](std::size_t col, double& out, double lo, double hi) {
      if (auto v = s.real(*rec, col, lo, hi)) {
        out = *v;
      } else {
        ok = false;
      }
    };
    str(ccol::name_zh, c.name_zh, true);
    str(ccol::name_en, c.name_en, true);
    str(ccol::province_zh, c.province_zh, true);
    str(ccol::province_en, c.province_en, true);
    enumeration(ccol::admin_level, c.admin_level);
    enumeration(ccol::category, c.category);
    const Field& batch = s.field(*rec, ccol::exhausted_batch);
    if (batch.text.empty()) {
      c.exhausted_batch = 0;
    } else if (batch.text == "1" || batch.text == "2" || batch.text == "3") {
      c.exhausted_batch = static_cast<std::uint8_t>(batch.text[0] - '0');
    } else {
      s.error(
          batch,
          fmt::format("column 'exhausted_batch' must be empty or 1, 2 or 3, got '{}'", batch.text),
          "1 (2008-03), 2 (2009-03), 3 (2011-11), or empty if not resource-exhausted");
      ok = false;
    }
    enumeration(ccol::primary_resource, c.primary_resource);
    enumeration(ccol::macro_region, c.macro_region);
    real(ccol::lat, c.lat_deg, -90.0, 90.0);
    real(ccol::lon, c.lon_deg, -180.0, 180.0);
    enumeration(ccol::confidence, c.confidence);
    str(ccol::source, c.source, false);
    if (ok) {
      r.index_of.emplace(c.id, r.cat.cities.size());
      r.cat.cities.push_back(std::move(c));
      r.city_rec.push_back(rec);
    }
  }
  for (const Record* rec : s.malformed()) {
    if (auto id = s.peek(*rec, ccol::id)) r.id_line.emplace(*id, rec->line);
  }
}

// The city index a row's city_id refers to; reports unknown ids (but not the
// ids of cities.csv rows that were themselves invalid).
std::optional<std::size_t> city_of(Sheet& s, const Record& rec, std::size_t col, const Region& r) {
  const auto id = s.integer(rec, col, 1, int32_max);
  if (!id) return std::nullopt;
  const auto it = r.index_of.find(static_cast<std::int32_t>(*id));
  if (it != r.index_of.end()) return it->second;
  if (!r.id_line.contains(*id)) {
    s.error(s.field(rec, col), fmt::format("unknown city id {}: not in cities.csv", *id),
            "the id of a city in cities.csv");
  }
  return std::nullopt;
}

void read_initial(Sheet& s, Region& r) {
  auto& in = r.cat.initial;
  const std::size_t n = r.cat.size();
  in.resize(n);
  r.initial_rec.assign(n, nullptr);
  r.initial_ok.assign(n, false);
  r.initial_named.assign(n, false);
  r.mine_count.assign(n, 0);
  for (const Record* rec : s.rows()) {
    if (s.rep().full()) break;
    const auto city = city_of(s, *rec, icol::city_id, r);
    if (!city) continue;
    const std::size_t c = *city;
    const model::City& meta = r.cat.cities[c];
    if (r.initial_rec[c] != nullptr) {
      s.error(s.field(*rec, icol::city_id),
              fmt::format("second row for city {} (the first is on line {})", meta.id,
                          r.initial_rec[c]->line),
              "one row per city");
      continue;
    }
    r.initial_rec[c] = rec;
    r.initial_named[c] = true;
    bool ok = true;
    auto count = [&](std::size_t col, std::vector<std::int64_t>& out) {
      if (auto v = s.integer(*rec, col, 0, scenario::limits::persons)) {
        out[c] = *v;
      } else {
        ok = false;
      }
    };
    auto quantity = [&](std::size_t col, std::vector<std::int64_t>& out) {
      if (auto v = s.milli(*rec, col)) {
        out[c] = *v;
      } else {
        ok = false;
      }
    };
    auto money = [&](std::size_t col, std::vector<double>& out) {
      if (auto v = s.real(*rec, col, 0.0, std::numeric_limits<double>::infinity())) {
        out[c] = *v;
      } else {
        ok = false;
      }
    };
    count(icol::population, in.population);
    count(icol::labour_force, in.labour_force);
    count(icol::mining_employment, in.mining_employment);
    count(icol::registered_unemployed, in.registered_unemployed);
    count(icol::unemployed_ex_miners, in.unemployed_ex_miners);
    count(icol::social_assistance_recipients, in.social_assistance_recipients);
    if (auto u = s.enumeration<model::ResourceUnit>(*rec, icol::resource_unit)) {
      const auto want = model::unit_of(meta.primary_resource);
      if (*u != want) {
        s.error(s.field(*rec, icol::resource_unit),
                fmt::format("resource_unit '{}' does not fit the primary resource '{}' of city {}",
                            model::to_string(*u), model::to_string(meta.primary_resource), meta.id),
                fmt::format("'{}'", model::to_string(want)));
        ok = false;
      }
      in.resource_unit[c] = *u;
    } else {
      ok = false;
    }
    quantity(icol::recoverable_reserve, in.reserve_milli);
    quantity(icol::cumulative_extraction, in.cumulative_milli);
    quantity(icol::annual_production, in.production_milli_per_year);
    if (auto v = s.integer(*rec, icol::mine_count, 0,
                           static_cast<std::int64_t>(scenario::limits::mines))) {
      r.mine_count[c] = *v;
    } else {
      ok = false;
    }
    money(icol::resource_va, in.resource_va_yi);
    money(icol::replacement_va, in.replacement_va_yi);
    money(icol::other_va, in.other_va_yi);
    count(icol::training_seats, in.training_seats);
    count(icol::degraded_land_ha, in.degraded_land_ha);
    count(icol::restored_land_ha, in.restored_land_ha);
    if (!ok) continue;
    // Each pool fits inside the one that contains it; only the first misfit
    // of a row is reported, as the others usually follow from it.
    auto not_above = [&](std::size_t col, std::int64_t value, std::string_view limit_name,
                         std::int64_t limit) {
      if (!ok || value <= limit) return;
      s.error(s.field(*rec, col),
              fmt::format("{} {} exceeds {} ({})", s.name(col), value, limit_name, limit),
              fmt::format("at most {}", limit));
      ok = false;
    };
    not_above(icol::labour_force, in.labour_force[c], "population", in.population[c]);
    not_above(icol::mining_employment, in.mining_employment[c], "labour_force", in.labour_force[c]);
    not_above(icol::registered_unemployed, in.registered_unemployed[c],
              "labour_force - mining_employment", in.labour_force[c] - in.mining_employment[c]);
    not_above(icol::unemployed_ex_miners, in.unemployed_ex_miners[c], "registered_unemployed",
              in.registered_unemployed[c]);
    not_above(icol::social_assistance_recipients, in.social_assistance_recipients[c], "population",
              in.population[c]);
    not_above(icol::restored_land_ha, in.restored_land_ha[c], "degraded_land_ha",
              in.degraded_land_ha[c]);
    r.initial_ok[c] = ok;
  }
  for (const Record* rec : s.malformed()) {
    if (auto id = s.peek(*rec, icol::city_id)) {
      const auto it = r.index_of.find(static_cast<std::int32_t>(*id));
      if (it != r.index_of.end()) r.initial_named[it->second] = true;
    }
  }
}

std::vector<MineRow> read_mines(Sheet& s, const Region& r) {
  std::vector<MineRow> out;
  std::map<std::pair<std::size_t, std::int64_t>, int> line_of;
  for (const Record* rec : s.rows()) {
    if (s.rep().full()) break;
    const auto city = city_of(s, *rec, mcol::city_id, r);
    MineRow m;
    bool ok = city.has_value();
    if (city) m.city = *city;
    if (auto id = s.integer(*rec, mcol::mine_id, 1, int32_max)) {
      m.mine_id = static_cast<std::int32_t>(*id);
      if (city) {
        const auto [it, fresh] = line_of.emplace(std::pair{*city, *id}, rec->line);
        if (!fresh) {
          s.error(s.field(*rec, mcol::mine_id),
                  fmt::format("duplicate mine_id {} for city {} (first on line {})", *id,
                              r.cat.cities[*city].id, it->second),
                  "mine ids unique within a city");
          ok = false;
        }
      }
    } else {
      ok = false;
    }
    if (auto v = s.milli(*rec, mcol::reserve)) {
      m.reserve_milli = *v;
    } else {
      ok = false;
    }
    if (auto v = s.milli(*rec, mcol::annual_capacity)) {
      m.capacity_milli = *v;
    } else {
      ok = false;
    }
    if (auto v = s.integer(*rec, mcol::workforce, 0, scenario::limits::persons)) {
      m.workforce = *v;
    } else {
      ok = false;
    }
    if (ok) out.push_back(m);
  }
  return out;
}

// Accounting between initial.csv and mines.csv, reported on the initial.csv row.
void check_mines(Sheet& si, const Region& r, const std::vector<MineRow>& mines,
                 bool mines_complete) {
  const std::size_t n = r.cat.size();
  std::vector<std::int64_t> count(n, 0), reserve(n, 0), capacity(n, 0), workforce(n, 0);
  std::vector<bool> overflow(n, false);  // a sum beyond int64 (each value is bounded, not the sums)
  for (const MineRow& m : mines) {
    ++count[m.city];
    overflow[m.city] =
        overflow[m.city] ||
        __builtin_add_overflow(reserve[m.city], m.reserve_milli, &reserve[m.city]) ||
        __builtin_add_overflow(capacity[m.city], m.capacity_milli, &capacity[m.city]) ||
        __builtin_add_overflow(workforce[m.city], m.workforce, &workforce[m.city]);
  }
  const auto& in = r.cat.initial;
  for (std::size_t c = 0; c < n && !si.rep().full(); ++c) {
    if (!r.initial_ok[c] || !mines_complete) continue;
    const Record& rec = *r.initial_rec[c];
    const std::int32_t id = r.cat.cities[c].id;
    if (overflow[c]) {
      si.error(si.field(rec, icol::recoverable_reserve),
               fmt::format("the production units of city {} in mines.csv sum to more than {} "
                           "(reserve in thousandths, capacity or workforce)",
                           id, std::numeric_limits<std::int64_t>::max()),
               "sums that fit a 64-bit integer");
      continue;
    }
    if (r.mine_count[c] != count[c]) {
      si.error(si.field(rec, icol::mine_count),
               fmt::format("mine_count {} but mines.csv has {} production unit{} for city {}",
                           r.mine_count[c], count[c], count[c] == 1 ? "" : "s", id),
               fmt::format("{}", count[c]));
    }
    if (in.mining_employment[c] != workforce[c]) {
      si.error(si.field(rec, icol::mining_employment),
               fmt::format("mining_employment {} differs from the workforce of city {}'s "
                           "production units in mines.csv ({})",
                           in.mining_employment[c], id, workforce[c]),
               fmt::format("{} (the sum of their workforce)", workforce[c]));
    }
    if (in.reserve_milli[c] != reserve[c]) {
      si.error(si.field(rec, icol::recoverable_reserve),
               fmt::format("recoverable_reserve {} differs from the reserve of city {}'s "
                           "production units in mines.csv ({})",
                           fmt_milli(in.reserve_milli[c]), id, fmt_milli(reserve[c])),
               fmt::format("{} (the sum of their reserve)", fmt_milli(reserve[c])));
    }
    if (in.production_milli_per_year[c] > capacity[c]) {
      si.error(si.field(rec, icol::annual_production),
               fmt::format("annual_production {} exceeds the annual_capacity of city {}'s "
                           "production units in mines.csv ({})",
                           fmt_milli(in.production_milli_per_year[c]), id, fmt_milli(capacity[c])),
               fmt::format("at most {}", fmt_milli(capacity[c])));
    }
  }
}

// provinces.csv (optional): one row per province, rates by year or period.
void read_provinces(Sheet& s, CityCatalogue& cat) {
  enum Col : std::size_t { name, name_zh, region, ni13, ni16, ni19, ni22 };
  constexpr std::size_t growth0 = 9;
  for (const Record* rec : s.rows()) {
    const auto province = s.text(*rec, name);
    s.enumeration<model::MacroRegion>(*rec, region);
    model::ProvinceRates rates;
    bool ok = province.has_value();
    for (std::size_t k = 0; k < 4; ++k) {
      const auto v = s.real(*rec, ni13 + k, -50.0, 50.0);  // per mille
      ok = ok && v;
      if (v) rates.natural_increase[k] = *v;
    }
    for (std::size_t k = 0; k < 3; ++k) {
      const auto v = s.real(*rec, growth0 + k, -30.0, 30.0);  // percent
      ok = ok && v;
      if (v) rates.gdp_growth[k] = *v;
    }
    if (!ok) continue;
    rates.name_en = *province;
    const bool duplicate =
        std::any_of(cat.provinces.begin(), cat.provinces.end(),
                    [&](const model::ProvinceRates& p) { return p.name_en == rates.name_en; });
    if (duplicate) {
      s.error(s.field(*rec, name), fmt::format("duplicate province '{}'", rates.name_en),
              "one row per province");
      continue;
    }
    cat.provinces.push_back(std::move(rates));
  }
  cat.province_of.assign(cat.size(), -1);
  for (std::size_t c = 0; c < cat.size(); ++c) {
    for (std::size_t p = 0; p < cat.provinces.size(); ++p) {
      if (cat.provinces[p].name_en == cat.cities[c].province_en) {
        cat.province_of[c] = static_cast<std::int32_t>(p);
      }
    }
  }
}

std::string read_file(const std::filesystem::path& path, Reporter& rep) {
  auto f = scenario::read_text_file(path, scenario::limits::csv_bytes);
  if (!f.problem.empty()) {
    rep.file(path.string(), fmt::format("cannot open file: {}", f.problem),
             fmt::format("a region directory with cities.csv, initial.csv and mines.csv, each a "
                         "regular file of at most {} bytes",
                         scenario::limits::csv_bytes));
  }
  return std::move(f.text);
}

// A file with more data rows than `limit` is refused at its first row past it.
void check_rows(const Table& t, std::size_t limit, std::string_view what, Reporter& rep) {
  if (t.records.size() <= limit + 1) return;
  const Record& extra = t.records[limit + 1];
  rep.at(t, extra.line, 1, 1, fmt::format("more than {} {} (the limit of a region)", limit, what),
         fmt::format("at most {} rows", limit));
}

CityCatalogue parse(const RegionText& text, Diagnostics& diags, Reporter& rep) {
  // Every file is UTF-8 (names are written to the run file as UTF-8 strings).
  for (const auto& [name, body] : {std::pair{&text.cities_file, &text.cities},
                                   {&text.initial_file, &text.initial},
                                   {&text.mines_file, &text.mines},
                                   {&text.provinces_file, &text.provinces}}) {
    if (auto bad = scenario::utf8_diagnostic(*body, *name)) diags.add(std::move(*bad));
  }
  diags.throw_if_any();
  const Table tc = tokenize(text.cities_file, text.cities, rep);
  const Table ti = tokenize(text.initial_file, text.initial, rep);
  std::size_t before = diags.size();
  const Table tm = tokenize(text.mines_file, text.mines, rep);
  bool mines_clean = diags.size() == before;
  check_rows(tc, scenario::limits::cities, "cities", rep);
  check_rows(tm, scenario::limits::mines, "production units", rep);
  diags.throw_if_any();
  Sheet sc(tc, cities_cols, rep);
  Sheet si(ti, initial_cols, rep);
  Sheet sm(tm, mines_cols, rep);

  Region r;
  if (sc.ok()) read_cities(sc, r);
  if (si.ok()) read_initial(si, r);
  std::vector<MineRow> mines;
  before = diags.size();
  if (sm.ok()) mines = read_mines(sm, r);
  // Sums over production units are only meaningful if every unit was read.
  mines_clean = mines_clean && diags.size() == before && !rep.full();

  // Every valid city has initial conditions.
  if (si.ok()) {
    for (std::size_t c = 0; c < r.cat.size() && !rep.full(); ++c) {
      if (r.initial_named[c]) continue;
      rep.at(tc, r.city_rec[c]->fields.front(),
             fmt::format("city {} ({}) has no row in {}", r.cat.cities[c].id,
                         r.cat.cities[c].name_en, ti.file),
             "one row per city in initial.csv");
    }
  }
  if (si.ok() && sm.ok()) check_mines(si, r, mines, mines_clean);
  diags.throw_if_any();

  // Production units in CSR layout, city by city, file order within a city.
  auto& ms = r.cat.mines;
  const std::size_t n = r.cat.size();
  ms.first.assign(n + 1, 0);
  for (const MineRow& m : mines) ++ms.first[m.city + 1];
  for (std::size_t c = 0; c < n; ++c) ms.first[c + 1] += ms.first[c];
  ms.mine_id.resize(mines.size());
  ms.reserve_milli.resize(mines.size());
  ms.capacity_milli_per_year.resize(mines.size());
  ms.workforce.resize(mines.size());
  std::vector<std::uint32_t> next(ms.first.begin(), ms.first.end() - 1);
  for (const MineRow& m : mines) {
    const std::uint32_t k = next[m.city]++;
    ms.mine_id[k] = m.mine_id;
    ms.reserve_milli[k] = m.reserve_milli;
    ms.capacity_milli_per_year[k] = m.capacity_milli;
    ms.workforce[k] = m.workforce;
  }
  if (!text.provinces.empty()) {
    const Table tp = tokenize(text.provinces_file, text.provinces, rep);
    Sheet sp(tp, provinces_cols, rep);
    if (sp.ok()) read_provinces(sp, r.cat);
    diags.throw_if_any();
  }
  return std::move(r.cat);
}

}  // namespace

std::span<const std::string_view> cities_columns() { return cities_cols; }
std::span<const std::string_view> initial_columns() { return initial_cols; }
std::span<const std::string_view> mines_columns() { return mines_cols; }
std::span<const std::string_view> provinces_columns() { return provinces_cols; }

CityCatalogue parse_region(const RegionText& text) {
  Diagnostics diags;
  Reporter rep(diags);
  return parse(text, diags, rep);
}

CityCatalogue read_region(const std::filesystem::path& dir) {
  Diagnostics diags;
  Reporter rep(diags);
  RegionText text;
  text.cities_file = (dir / "cities.csv").string();
  text.initial_file = (dir / "initial.csv").string();
  text.mines_file = (dir / "mines.csv").string();
  text.cities = read_file(text.cities_file, rep);
  text.initial = read_file(text.initial_file, rep);
  text.mines = read_file(text.mines_file, rep);
  text.provinces_file = (dir / "provinces.csv").string();
  std::error_code ec;
  if (std::filesystem::exists(text.provinces_file, ec)) {
    text.provinces = read_file(text.provinces_file, rep);
  }
  diags.throw_if_any();
  return parse(text, diags, rep);
}

}  // namespace regsim::io
