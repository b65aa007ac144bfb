// `prices:` and `demand:`: an index file per resource (month,index), read
// here in full so that its errors point at the CSV's cells.
#include <charconv>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "scenario/detail/sections.hpp"
#include "scenario/keys.hpp"
#include "scenario/text.hpp"

namespace regsim::scenario::detail {

namespace {

// One row of an index file, month and index, into `out`; `previous` is the
// month of the row before (reset on a malformed row). False if reported.
bool index_row(Fields& f, const support::CsvRecord& row, const std::string& line,
               const std::string& name, const std::string& path, const std::string& noun,
               std::optional<YearMonth>& previous, PricePath& out) {
  const auto& cells = row.fields;
  const int n = row.line;
  if (cells.size() != 2) {
    f.error(SourceLocation{name, n, 1}, code_points(line),
            fmt::format("{} row has {} values, expected 2", noun, cells.size()), path,
            "month,index, e.g. 2013-01,1");
    previous.reset();
    return false;
  }
  const std::string months =
      fmt::format("a month YYYY-MM from 2013-01 to {}", to_string(f.last_month()));
  const std::string positive = fmt::format("a number > 0 (the {} index, 2013-01 = 1)", noun);
  const std::string& month_text = cells[0].text;
  const std::string& index_text = cells[1].text;
  const SourceLocation month_at{name, n, cells[0].column};
  const SourceLocation index_at{name, n, cells[1].column};
  bool ok = true;
  const auto month = parse_month(month_text);
  if (!month) {
    f.error(month_at, code_points(month_text),
            fmt::format("'{}' is not a month YYYY-MM", month_text), path, months);
    ok = false;
  } else if (*month < simulation_start || *month > f.last_month()) {
    f.error(month_at, code_points(month_text),
            fmt::format("month {} is outside the horizon (2013-01 .. {})", month_text,
                        to_string(f.last_month())),
            path, months);
    ok = false;
  } else if (previous && *month != next_month(*previous)) {
    f.error(month_at, code_points(month_text),
            fmt::format("month {} does not follow {}", month_text, to_string(*previous)), path,
            fmt::format("consecutive months: {}", to_string(next_month(*previous))));
    ok = false;
  }
  previous = month;
  double v = 0.0;
  const char* b = index_text.data();
  const char* e = b + index_text.size();
  const auto [ptr, ec] = std::from_chars(b, e, v);
  if (ec != std::errc{} || ptr != e) {
    f.error(index_at, code_points(index_text),
            fmt::format("{} index '{}' is not a number", noun, index_text), path, positive);
    ok = false;
  } else if (!(v > 0.0) || !std::isfinite(v)) {
    f.error(index_at, code_points(index_text),
            fmt::format("{} index {} is not a positive number", noun, index_text), path, positive);
    ok = false;
  }
  if (out.index.empty() && month) out.first = *month;
  out.index.push_back(v);
  return ok;
}

// An index file: the header month,index, then one row a month,
// consecutive, from 2013-01 (the index base) to the horizon's end at most;
// every index > 0. Errors point at the CSV cell.
bool index_file(Fields& f, const Tree& t, const std::string& path, const std::string& noun,
                PricePath& out) {
  if (!t.is_scalar()) {
    f.text(t, path);  // reports the wrong type
    return false;
  }
  const auto file = resolve_path(t);
  const std::optional<support::CsvTable> csv = f.csv_file(t, file, noun, path, " (month,index)");
  if (!csv) return false;
  out.file = file;
  const std::string name = file.string();
  const std::string header = "month,index";
  bool ok = true, seen_header = false;
  std::optional<YearMonth> previous;
  for (const support::CsvRecord& row : csv->records) {
    const int n = row.line;
    const std::string& line = csv->lines[static_cast<std::size_t>(n - 1)];
    if (row.broken) {  // reported by csv_file
      ok = false;
      previous.reset();
      seen_header = true;
      continue;
    }
    if (!seen_header) {
      seen_header = true;
      if (row.fields.size() != 2 || row.fields[0].text != "month" ||
          row.fields[1].text != "index") {
        f.error(SourceLocation{name, n, 1}, code_points(line),
                fmt::format("{} file header must be '{}', got '{}'", noun, header, line), path,
                fmt::format("month,index: a month YYYY-MM and a {} index (2013-01 = 1)", noun),
                header);
        return false;
      }
      continue;
    }
    ok = index_row(f, row, line, name, path, noun, previous, out) && ok;
  }
  if (ok && out.index.empty()) {
    f.error(t, fmt::format("{} file '{}' has no rows", noun, name), path,
            "the header month,index and one row a month");
    return false;
  }
  return ok;
}

// One entry `resource: {file: path.csv}`; false (reported) if not usable.
bool index_path(Fields& f, const Tree& t, std::size_t i, const std::string& section,
                const std::string& noun, PricePath& p) {
  const auto& [key, spec] = t.entries[i];
  const std::string path = section + "." + key;
  const auto resource = model::parse_enum<model::Resource>(key);
  if (!resource) {
    // prices.volatility and the like are parameters of the price process.
    const auto resources = model::enum_names<model::Resource>();
    const std::string param = section + "." + key;
    const bool is_param = model::find_param(param).has_value();
    f.error(
        t.key_where[i], code_points(key), fmt::format("unknown resource '{}'", key), path,
        "one of: " + join(resources) +
            (is_param ? fmt::format(" ('{}' is a parameter: parameters: {{{}: ...}})", param, param)
                      : ""),
        is_param ? "parameters." + param : nearest_name(key, resources));
    return false;
  }
  if (!f.require_map(spec, path, "{file: a CSV of month,index, relative to this file}")) {
    return false;
  }
  f.check_keys(spec, keys::names(keys::index_path), path);
  const Tree* file = spec.find("file");
  if (!file) {
    f.error(t.key_where[i], code_points(key), fmt::format("{} path '{}' has no 'file'", noun, key),
            path + ".file", "file: a CSV of month,index, relative to this file");
    return false;
  }
  p.resource = *resource;
  p.key = key;
  return index_file(f, *file, path + ".file", noun, p);
}

// prices: {resource: {file: path.csv}, ...}, and the same for demand:
// (`section`; `noun` is "price" or "demand").
void index_paths(Fields& f, const Tree& t, const std::string& section, const std::string& noun,
                 std::vector<PricePath>& into) {
  if (t.kind == Tree::Kind::null) return;
  if (!f.require_map(t, section, "{resource: {file: a CSV of month,index}, ...}")) return;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < t.entries.size(); ++i) {
    const std::string& key = t.entries[i].first;
    if (!seen.insert(key).second) {
      f.error(t.key_where[i], code_points(key),
              fmt::format("resource '{}' has two {} paths", key, noun), section + "." + key,
              "each resource once under " + section + ":");
      continue;
    }
    PricePath p;
    if (index_path(f, t, i, section, noun, p)) into.push_back(std::move(p));
  }
}

}  // namespace

void read_prices(Fields& f, const Tree& t, Scenario& s) {
  index_paths(f, t, "prices", "price", s.prices);
}

void read_demand(Fields& f, const Tree& t, Scenario& s) {
  index_paths(f, t, "demand", "demand", s.demand);
}

}  // namespace regsim::scenario::detail
