// `regsim cities`: the cities of a region (default: the 262 of the 2013 plan),
// filtered by --where, as a readable table (default), CSV or JSON, with totals
// by category x admin level and by province.
#include "cli/cities.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/csv_field.hpp"
#include "io/seeds_reader.hpp"
#include "model/city_catalogue.hpp"
#include "model/city_selector.hpp"
#include "scenario/diagnostics.hpp"
#include "scenario/text.hpp"
#include "support/text.hpp"

#ifndef REGSIM_DEFAULT_SEEDS_DIR
#error "REGSIM_DEFAULT_SEEDS_DIR must name the default seeds directory"
#endif

namespace regsim::cli {

namespace {

using model::AdminLevel;
using model::Category;
using model::City;
using model::CityCatalogue;

struct Options {
  std::string region = REGSIM_DEFAULT_SEEDS_DIR;
  std::vector<std::string> where;
  bool csv = false;
  bool json = false;
  bool summary = false;
};

// ---------------------------------------------------------------------------
// Filters

using scenario::code_points;
using support::ascii_lower;

class FilterParser {
 public:
  FilterParser(const CityCatalogue& cat, scenario::Diagnostics& diags) : cat_(cat), diags_(diags) {
    for (const City& c : cat.cities) {
      if (std::find(province_en_.begin(), province_en_.end(), c.province_en) ==
          province_en_.end()) {
        province_en_.push_back(c.province_en);
        province_zh_.push_back(c.province_zh);
      }
    }
  }

  // Parses the n-th (1-based) --where argument into filters.
  void parse(const std::string& arg, int n, model::Selector& filters) {
    if (const auto bad = scenario::invalid_utf8_offset(arg)) {
      error(arg, n, code_points(std::string_view(arg).substr(0, *bad)) + 1, 1,
            fmt::format("not valid UTF-8 (byte {})", *bad + 1));
      return;
    }
    std::size_t start = 0;
    while (start <= arg.size()) {
      std::size_t end = arg.find(',', start);
      if (end == std::string::npos) end = arg.size();
      std::string_view item(arg.data() + start, end - start);
      std::size_t lead = 0;
      while (lead < item.size() && item[lead] == ' ') ++lead;
      item.remove_prefix(lead);
      while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
      const int column = code_points(std::string_view(arg).substr(0, start + lead)) + 1;
      item_(arg, n, column, item, filters);
      start = end + 1;
    }
  }

 private:
  void error(const std::string& arg, int n, int column, int width, std::string message,
             std::string expected = {}, std::string suggestion = {}) {
    scenario::Diagnostic d;
    d.where = {"--where", n, column};
    d.message = std::move(message);
    d.expected = std::move(expected);
    d.suggestion = std::move(suggestion);
    d.source_line = arg;
    d.span = std::max(width, 1);
    diags_.add(std::move(d));
  }

  void item_(const std::string& arg, int n, int column, std::string_view item, model::Selector& f) {
    const std::size_t eq = item.find('=');
    if (item.empty() || eq == std::string_view::npos || eq == 0) {
      error(arg, n, column, code_points(item),
            fmt::format("filter '{}' is not of the form key=value", item),
            "key=value, e.g. category=declining,province=Heilongjiang");
      return;
    }
    const std::string_view key_text = item.substr(0, eq);
    const std::string_view value = item.substr(eq + 1);
    const int value_column = column + code_points(item.substr(0, eq + 1));
    const auto criterion = model::find_criterion(key_text);
    if (!criterion) {
      const auto names = model::criterion_key_names();
      error(arg, n, column, code_points(key_text), fmt::format("unknown filter key '{}'", key_text),
            "one of: " + scenario::join(names), scenario::nearest_name(key_text, names));
      return;
    }
    const int width = code_points(value);
    if (value.empty()) {
      error(arg, n, value_column, 1, fmt::format("filter '{}' has no value", key_text),
            model::expected_value(*criterion));
      return;
    }
    // Names are checked against the region at once (a scenario checks them
    // when it is compiled against its region); a province is kept in English.
    std::string word(value);
    if (*criterion == model::Criterion::province) {
      const auto p = model::find_province(cat_, value);
      if (!p) {
        bad_province(arg, n, value_column, width, value);
        return;
      }
      word = *p;
    } else if (*criterion == model::Criterion::cities && !model::find_city(cat_, value)) {
      error(arg, n, value_column, width, fmt::format("no city '{}' in this region", value),
            model::expected_value(*criterion));
      return;
    }
    if (auto bad = model::add_value(f, *criterion, word, fmt::format("filter '{}'", key_text))) {
      error(arg, n, value_column, width, bad->message, bad->expected, bad->suggestion);
    }
  }

  void bad_province(const std::string& arg, int n, int column, int width, std::string_view value) {
    std::vector<std::string> names = province_en_;
    names.insert(names.end(), province_zh_.begin(), province_zh_.end());
    std::string near = scenario::nearest_name(value, names);
    if (near.empty()) near = scenario::nearest_name(ascii_lower(value), lower_all(province_en_));
    error(arg, n, column, width, fmt::format("no province '{}' in this region", value),
          "one of: " + scenario::join(province_en_) + " (or the Chinese name)",
          near.empty() ? std::string{} : canonical_province(near));
  }

  static std::vector<std::string> lower_all(const std::vector<std::string>& v) {
    std::vector<std::string> out;
    for (const auto& s : v) out.push_back(ascii_lower(s));
    return out;
  }

  std::string canonical_province(const std::string& name) const {
    for (const auto& p : province_en_) {
      if (ascii_lower(p) == ascii_lower(name)) return p;
    }
    return name;
  }

  const CityCatalogue& cat_;
  scenario::Diagnostics& diags_;
  std::vector<std::string> province_en_;
  std::vector<std::string> province_zh_;
};

// ---------------------------------------------------------------------------
// Output

// Terminal columns taken by a UTF-8 string (East Asian wide characters count 2).
int display_width(std::string_view s) {
  return static_cast<int>(scenario::display_width(s, s.size()));
}

std::string grouped(std::int64_t v) {
  std::string digits = std::to_string(v < 0 ? -v : v);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return v < 0 ? "-" + out : out;
}

// A plain text table: left-aligned text columns, right-aligned numbers.
class TextTable {
 public:
  explicit TextTable(std::vector<std::pair<std::string, bool>> columns)  // (header, right-aligned)
      : columns_(std::move(columns)) {}
  void row(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  void rule() { rows_.emplace_back(); }

  void print(std::ostream& out) const {
    std::vector<int> width(columns_.size(), 0);
    for (std::size_t c = 0; c < columns_.size(); ++c) width[c] = display_width(columns_[c].first);
    for (const auto& r : rows_) {
      for (std::size_t c = 0; c < r.size(); ++c) width[c] = std::max(width[c], display_width(r[c]));
    }
    auto line = [&](const std::vector<std::string>& cells) {
      std::string s;
      for (std::size_t c = 0; c < columns_.size(); ++c) {
        const std::string& cell = c < cells.size() ? cells[c] : std::string{};
        const auto pad = static_cast<std::size_t>(width[c] - display_width(cell));
        if (c > 0) s += "  ";
        s += columns_[c].second ? std::string(pad, ' ') + cell : cell + std::string(pad, ' ');
      }
      while (!s.empty() && s.back() == ' ') s.pop_back();
      out << s << '\n';
    };
    std::vector<std::string> header;
    for (const auto& col : columns_) header.push_back(col.first);
    line(header);
    int total = 0;
    for (const int w : width) total += w;
    const std::string dashes(static_cast<std::size_t>(total) + 2 * (columns_.size() - 1), '-');
    out << dashes << '\n';
    for (const auto& r : rows_) {
      if (r.empty()) {
        out << dashes << '\n';
      } else {
        line(r);
      }
    }
  }

 private:
  std::vector<std::pair<std::string, bool>> columns_;
  std::vector<std::vector<std::string>> rows_;
};

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += fmt::format("\\u{:04x}", static_cast<unsigned>(static_cast<unsigned char>(c)));
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

struct ProvinceTotals {
  std::string zh;
  std::int64_t cities = 0, exhausted = 0, population = 0, miners = 0, ex_miners = 0;
  double gdp_yi = 0.0;
};

struct Totals {
  std::array<std::array<std::int64_t, 4>, 4> by_category_level{};  // [category][level]
  std::map<std::string, ProvinceTotals> by_province;               // key: province_en
  ProvinceTotals all;
};

Totals totals(const CityCatalogue& cat, const std::vector<std::size_t>& sel) {
  Totals t;
  const auto& in = cat.initial;
  for (const std::size_t c : sel) {
    const City& city = cat.cities[c];
    ++t.by_category_level[static_cast<std::size_t>(city.category)]
                         [static_cast<std::size_t>(city.admin_level)];
    for (ProvinceTotals* p : {&t.by_province[city.province_en], &t.all}) {
      p->zh = city.province_zh;
      ++p->cities;
      p->exhausted += city.exhausted() ? 1 : 0;
      p->population += in.population[c];
      p->miners += in.mining_employment[c];
      p->ex_miners += in.unemployed_ex_miners[c];
      p->gdp_yi += cat.gdp_yi(c);
    }
  }
  return t;
}

void print_table(const CityCatalogue& cat, const std::vector<std::size_t>& sel, const Options& o,
                 std::ostream& out) {
  const auto& in = cat.initial;
  out << fmt::format("{} of {} cities in {}\n", sel.size(), cat.size(), o.region);
  if (!o.summary && !sel.empty()) {
    out << '\n';
    TextTable list({{"id", true},
                    {"name", false},
                    {"name_en", false},
                    {"province", false},
                    {"admin_level", false},
                    {"category", false},
                    {"exh.", true},
                    {"resource", false},
                    {"population", true},
                    {"miners", true},
                    {"ex-miners", true},
                    {"GDP 亿元", true}});
    for (const std::size_t c : sel) {
      const City& city = cat.cities[c];
      list.row({std::to_string(city.id), city.name_zh, city.name_en, city.province_en,
                std::string(model::to_string(city.admin_level)),
                std::string(model::to_string(city.category)),
                city.exhausted() ? std::to_string(city.exhausted_batch) : "",
                std::string(model::to_string(city.primary_resource)), grouped(in.population[c]),
                grouped(in.mining_employment[c]), grouped(in.unemployed_ex_miners[c]),
                fmt::format("{:.0f}", cat.gdp_yi(c))});
    }
    list.print(out);
  }
  if (sel.empty()) return;
  const Totals t = totals(cat, sel);

  out << "\nBy category and admin level (cities)\n";
  std::vector<std::pair<std::string, bool>> cols{{"category", false}};
  for (const auto name : model::EnumTraits<AdminLevel>::names) cols.emplace_back(name, true);
  cols.emplace_back("total", true);
  TextTable matrix(cols);
  std::array<std::int64_t, 5> column_total{};
  for (std::size_t k = 0; k < 4; ++k) {
    std::vector<std::string> r{std::string(model::EnumTraits<Category>::names[k])};
    std::int64_t row_total = 0;
    for (std::size_t l = 0; l < 4; ++l) {
      r.push_back(std::to_string(t.by_category_level[k][l]));
      row_total += t.by_category_level[k][l];
      column_total[l] += t.by_category_level[k][l];
    }
    column_total[4] += row_total;
    r.push_back(std::to_string(row_total));
    matrix.row(r);
  }
  matrix.rule();
  std::vector<std::string> last{"total"};
  for (const auto v : column_total) last.push_back(std::to_string(v));
  matrix.row(last);
  matrix.print(out);

  out << "\nBy province\n";
  TextTable prov({{"province", false},
                  {"", false},
                  {"cities", true},
                  {"exhausted", true},
                  {"population", true},
                  {"miners", true},
                  {"ex-miners", true},
                  {"GDP 亿元", true}});
  auto prow = [&](const std::string& en, const ProvinceTotals& p) {
    prov.row({en, p.zh, std::to_string(p.cities), std::to_string(p.exhausted),
              grouped(p.population), grouped(p.miners), grouped(p.ex_miners),
              fmt::format("{:.0f}", p.gdp_yi)});
  };
  for (const auto& [en, p] : t.by_province) prow(en, p);
  prov.rule();
  ProvinceTotals all = t.all;
  all.zh = "";
  prow("total", all);
  prov.print(out);
}

void print_csv(const CityCatalogue& cat, const std::vector<std::size_t>& sel, std::ostream& out) {
  const auto& in = cat.initial;
  out << "id,name_zh,name_en,province_zh,province_en,admin_level,category,exhausted_batch,"
         "primary_resource,macro_region,lat,lon,confidence,population,labour_force,"
         "mining_employment,unemployed_ex_miners,gdp_yi,resource_va_yi\n";
  for (const std::size_t c : sel) {
    const City& city = cat.cities[c];
    out << fmt::format("{},{},{},{},{},{},{},{},{},{},{:.2f},{:.2f},{},{},{},{},{},{:.2f},{:.2f}\n",
                       city.id, csv_field(city.name_zh), csv_field(city.name_en),
                       csv_field(city.province_zh), csv_field(city.province_en),
                       model::to_string(city.admin_level), model::to_string(city.category),
                       city.exhausted() ? std::to_string(city.exhausted_batch) : "",
                       model::to_string(city.primary_resource), model::to_string(city.macro_region),
                       city.lat_deg, city.lon_deg, model::to_string(city.confidence),
                       in.population[c], in.labour_force[c], in.mining_employment[c],
                       in.unemployed_ex_miners[c], cat.gdp_yi(c), in.resource_va_yi[c]);
  }
}

void print_json(const CityCatalogue& cat, const std::vector<std::size_t>& sel, const Options& o,
                std::ostream& out) {
  const auto& in = cat.initial;
  out << "{\n  \"region\": " << json_string(o.region) << ",\n";
  out << "  \"count\": " << sel.size() << ",\n";
  if (!o.summary) {
    out << "  \"cities\": [";
    for (std::size_t i = 0; i < sel.size(); ++i) {
      const std::size_t c = sel[i];
      const City& city = cat.cities[c];
      out << (i ? ",\n    " : "\n    ")
          << fmt::format(
                 "{{\"id\": {}, \"name_zh\": {}, \"name_en\": {}, \"province_zh\": {}, "
                 "\"province_en\": {}, \"admin_level\": \"{}\", \"category\": \"{}\", "
                 "\"exhausted_batch\": {}, \"primary_resource\": \"{}\", \"macro_region\": \"{}\", "
                 "\"lat\": {:.2f}, \"lon\": {:.2f}, \"confidence\": \"{}\", \"population\": {}, "
                 "\"labour_force\": {}, \"mining_employment\": {}, \"unemployed_ex_miners\": {}, "
                 "\"gdp_yi\": {:.2f}, \"resource_va_yi\": {:.2f}}}",
                 city.id, json_string(city.name_zh), json_string(city.name_en),
                 json_string(city.province_zh), json_string(city.province_en),
                 model::to_string(city.admin_level), model::to_string(city.category),
                 city.exhausted() ? std::to_string(city.exhausted_batch) : "null",
                 model::to_string(city.primary_resource), model::to_string(city.macro_region),
                 city.lat_deg, city.lon_deg, model::to_string(city.confidence), in.population[c],
                 in.labour_force[c], in.mining_employment[c], in.unemployed_ex_miners[c],
                 cat.gdp_yi(c), in.resource_va_yi[c]);
    }
    out << (sel.empty() ? "],\n" : "\n  ],\n");
  }
  const Totals t = totals(cat, sel);
  out << "  \"totals\": {\n    \"by_category_and_admin_level\": {";
  for (std::size_t k = 0; k < 4; ++k) {
    out << (k ? ", " : "") << "\"" << model::EnumTraits<Category>::names[k] << "\": {";
    for (std::size_t l = 0; l < 4; ++l) {
      out << (l ? ", " : "") << "\"" << model::EnumTraits<AdminLevel>::names[l]
          << "\": " << t.by_category_level[k][l];
    }
    out << "}";
  }
  out << "},\n    \"by_province\": [";
  bool first = true;
  for (const auto& [en, p] : t.by_province) {
    out << (first ? "\n      " : ",\n      ")
        << fmt::format(
               "{{\"province_en\": {}, \"province_zh\": {}, \"cities\": {}, \"exhausted\": {}, "
               "\"population\": {}, \"mining_employment\": {}, \"unemployed_ex_miners\": {}, "
               "\"gdp_yi\": {:.2f}}}",
               json_string(en), json_string(p.zh), p.cities, p.exhausted, p.population, p.miners,
               p.ex_miners, p.gdp_yi);
    first = false;
  }
  out << (first ? "]\n" : "\n    ]\n") << "  }\n}\n";
}

void run(const Options& o, std::ostream& out) {
  const CityCatalogue cat = io::read_region(o.region);
  scenario::Diagnostics diags;
  FilterParser parser(cat, diags);
  model::Selector selector;
  for (std::size_t i = 0; i < o.where.size(); ++i) {
    parser.parse(o.where[i], static_cast<int>(i + 1), selector);
  }
  diags.throw_if_any();
  std::vector<std::size_t> sel;
  for (const std::uint32_t c : selector.select(cat)) sel.push_back(c);
  if (o.csv) {
    print_csv(cat, sel, out);
  } else if (o.json) {
    print_json(cat, sel, o, out);
  } else {
    print_table(cat, sel, o, out);
  }
}

}  // namespace

void register_cities(CLI::App& app, std::ostream& out) {
  auto opts = std::make_shared<Options>();
  CLI::App* sub = app.add_subcommand(
      "cities", "List a region's cities (default: the 262 of the 2013 plan) with totals");
  sub->add_option("--region", opts->region, "Region directory (cities.csv, initial.csv, mines.csv)")
      ->capture_default_str();
  sub->add_option("--where", opts->where,
                  "Filter key=value[,key=value...]; keys: category, province (English or "
                  "Chinese), resource, admin_level, macro_region, exhausted (yes/no/1/2/3), id. "
                  "Different keys must all match; a repeated key matches any of its values");
  auto* csv = sub->add_flag("--csv", opts->csv, "One CSV row per city");
  auto* json = sub->add_flag("--json", opts->json, "JSON: cities and totals");
  auto* summary = sub->add_flag("--summary", opts->summary, "Totals only, no city list");
  csv->excludes(json);
  summary->excludes(csv);
  sub->callback([opts, &out] { run(*opts, out); });
}

void register_cities(CLI::App& app) { register_cities(app, std::cout); }

}  // namespace regsim::cli
