// Loading a scenario: parse (yaml-cpp via detail/tree), follow `extends`
// (deep merge; policies appended), apply --set, then validate every key into
// the plain structs of scenario.hpp, collecting all problems.
#include "scenario/scenario.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "model/levers/registry.hpp"
#include "model/params.hpp"
#include "scenario/detail/fields.hpp"
#include "scenario/detail/tree.hpp"
#include "scenario/keys.hpp"
#include "scenario/text.hpp"

namespace regsim::scenario {

using detail::Tree;

int months_between(YearMonth from, YearMonth to) {
  return (to.year - from.year) * 12 + (to.month - from.month);
}

std::string to_string(YearMonth ym) { return fmt::format("{:04}-{:02}", ym.year, ym.month); }

std::uint32_t Horizon::months() const {
  return static_cast<std::uint32_t>(std::max(0, months_between(start, end) + 1));
}

std::uint32_t report_from_month(const Scenario& s) { return month_index(s.horizon.start); }

std::uint32_t month_index(YearMonth ym) {
  return static_cast<std::uint32_t>(std::max(0, months_between(simulation_start, ym)));
}

namespace {

constexpr YearMonth latest_date{2060, 12};

std::vector<std::string> param_names() {
  std::vector<std::string> out;
  for (const auto& p : model::param_specs) out.emplace_back(p.name);
  return out;
}

std::vector<std::string> indicator_names() {
  std::vector<std::string> out;
  for (const auto& i : model::indicator_specs) out.emplace_back(i.name);
  return out;
}

std::string kind_name(const Tree& t) {
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

// "2013-01" -> {2013, 1}.
std::optional<YearMonth> parse_month(std::string_view v) {
  YearMonth ym;
  if (v.size() != 7 || v[4] != '-') return std::nullopt;
  const auto r1 = std::from_chars(v.data(), v.data() + 4, ym.year);
  const auto r2 = std::from_chars(v.data() + 5, v.data() + 7, ym.month);
  const bool ok = r1.ec == std::errc{} && r1.ptr == v.data() + 4 && r2.ec == std::errc{} &&
                  r2.ptr == v.data() + 7 && ym.month >= 1 && ym.month <= 12;
  if (!ok) return std::nullopt;
  return ym;
}

YearMonth next_month(YearMonth ym) {
  return ym.month == 12 ? YearMonth{ym.year + 1, 1} : YearMonth{ym.year, ym.month + 1};
}

// The comma-separated cells of a CSV line (no quoting), each with its
// 1-based column in characters.
std::vector<std::pair<std::string, int>> csv_cells(const std::string& line) {
  std::vector<std::pair<std::string, int>> cells;
  std::size_t start = 0;
  while (start <= line.size()) {
    std::size_t comma = line.find(',', start);
    if (comma == std::string::npos) comma = line.size();
    cells.emplace_back(line.substr(start, comma - start),
                       code_points(std::string_view(line).substr(0, start)) + 1);
    start = comma + 1;
  }
  return cells;
}

// A path in the scenario is relative to the file that wrote it; one given
// with --set, to the working directory.
std::filesystem::path resolve_path(const Tree& t) {
  const std::filesystem::path base = t.where.file == detail::override_file
                                         ? std::filesystem::current_path()
                                         : std::filesystem::path(t.where.file).parent_path();
  return (base / t.scalar).lexically_normal();
}

// ---------------------------------------------------------------------------
// Reading files, extends, overrides

// The keys of a scenario file.
const std::vector<std::string> top_keys = keys::names(keys::top);

class Loader {
 public:
  Loader(detail::Sources& sources, Diagnostics& diags) : sources_(sources), diags_(diags) {}

  void error(const SourceLocation& at, int span, std::string message, std::string key_path,
             std::string expected = {}, std::string suggestion = {}) {
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
  void add(Diagnostic d) { diags_.add(std::move(d)); }
  void add_source(const std::string& file, const std::string& text) { sources_.add(file, text); }

  void error(const Tree& at, std::string message, std::string key_path, std::string expected = {},
             std::string suggestion = {}) {
    error(at.where, at.span, std::move(message), std::move(key_path), std::move(expected),
          std::move(suggestion));
  }

  // Reads `file` and its parents; `chain` holds the files being read.
  Tree read(const std::filesystem::path& file, std::vector<std::string>& chain,
            const SourceLocation* from, int from_span) {
    const std::string name = file.lexically_normal().string();
    auto refuse = [&](std::string message, std::string expected) {
      if (from) {
        error(*from, from_span, std::move(message), "extends", std::move(expected));
      } else {
        error(SourceLocation{name, 0, 0}, 1, std::move(message), "", std::move(expected));
      }
      return Tree{};
    };
    if (chain.size() >= limits::extends_depth) {
      return refuse(
          fmt::format("'extends' chain longer than {} files (the limit)", limits::extends_depth),
          fmt::format("at most {} files from the scenario to its first ancestor",
                      limits::extends_depth));
    }
    TextFile f = read_text_file(file, limits::scenario_bytes);
    if (!f.problem.empty()) {
      return refuse(
          fmt::format("cannot read scenario file '{}': {}", name, f.problem),
          from ? fmt::format("a path relative to the file that extends it, a regular "
                             "file of at most {} bytes",
                             limits::scenario_bytes)
               : fmt::format("a regular file of at most {} bytes", limits::scenario_bytes));
    }
    return read_text(f.text, file, chain, from, from_span);
  }

  // The same for a file's text already in memory.
  Tree read_text(const std::string& text, const std::filesystem::path& file,
                 std::vector<std::string>& chain, const SourceLocation* from, int from_span) {
    const std::string name = file.lexically_normal().string();
    Tree t = detail::parse(text, name, sources_, diags_);
    if (t.kind == Tree::Kind::null) return t;
    // A file that is not a map, or has none of the scenario's keys, is not
    // a scenario: said once, at the `extends` naming it, without echoing
    // its lines (it may be any local file).
    const bool scenario_text =
        t.is_map() &&
        (t.entries.empty() || std::any_of(t.entries.begin(), t.entries.end(), [](const auto& e) {
           return std::find(top_keys.begin(), top_keys.end(), e.first) != top_keys.end();
         }));
    if (!scenario_text && (from || t.is_map())) {
      Diagnostic d;
      d.where = from ? *from : SourceLocation{name, 0, 0};
      d.span = from ? from_span : 1;
      d.source_line = from ? sources_.line(*from) : std::string{};
      d.message =
          fmt::format("not a scenario file: '{}' {}", name,
                      t.is_map() ? "has none of the scenario's keys" : "is not a map of keys");
      d.key_path = from ? "extends" : "";
      d.expected = "keys such as " + join(top_keys);
      diags_.add(std::move(d));
      return Tree{};
    }
    if (!t.is_map()) {
      error(t.where, 1, "a scenario file must be a map of keys", "",
            "keys such as scenario:, horizon:");
      return Tree{};
    }
    const Tree* ext = t.find("extends");
    if (!ext) return t;
    if (!ext->is_scalar()) {
      error(*ext, "'extends' must be a file path", "extends", "a path relative to this file");
      return t;
    }
    const std::filesystem::path parent_path = (file.parent_path() / ext->scalar).lexically_normal();
    const std::string parent = parent_path.string();
    chain.push_back(name);
    if (std::find(chain.begin(), chain.end(), parent) != chain.end()) {
      std::string cycle;
      for (const auto& f : chain) cycle += f + " -> ";
      error(*ext, fmt::format("circular extends: {}{}", cycle, parent), "extends",
            "a chain of files that ends");
      chain.pop_back();
      return t;
    }
    Tree base = read(parent_path, chain, &ext->where, ext->span);
    chain.pop_back();
    Tree child = t;  // without its `extends`
    child.entries.clear();
    child.key_where.clear();
    for (std::size_t i = 0; i < t.entries.size(); ++i) {
      if (t.entries[i].first == "extends") continue;
      child.entries.push_back(t.entries[i]);
      child.key_where.push_back(t.key_where[i]);
    }
    if (base.kind == Tree::Kind::null) return child;
    merge(base, child);
    return base;
  }

  // Deep merge of maps; lists and scalars replaced, except the top-level
  // `policies`, which are appended after the parent's. An uncertainty is
  // replaced whole (its distribution is one choice, not a set of keys).
  static void merge(Tree& base, const Tree& over, const std::string& path = {}) {
    if (!base.is_map() || !over.is_map()) {
      base = over;
      return;
    }
    for (std::size_t i = 0; i < over.entries.size(); ++i) {
      const auto& [key, value] = over.entries[i];
      Tree* existing = base.find(key);
      if (!existing) {
        base.put(key, value, over.key_where[i]);
      } else if (path.empty() && key == "policies" && existing->is_sequence() &&
                 value.is_sequence()) {
        existing->items.insert(existing->items.end(), value.items.begin(), value.items.end());
      } else if (path == "uncertainties") {
        *existing = value;
      } else {
        merge(*existing, value, path.empty() ? key : path + "." + key);
      }
    }
  }

  // Applies "a.b.c=value" (n-th --set, 1-based).
  void apply_override(Tree& root, const std::string& text, int n) {
    sources_.add_override(text);
    const std::size_t eq = text.find('=');
    const SourceLocation start{detail::override_file, n, 1};
    if (eq == std::string::npos || eq == 0) {
      error(start, code_points(text), fmt::format("--set '{}' is not of the form key=value", text),
            "", "key=value, e.g. experiment.replications=4");
      return;
    }
    if (auto bad = utf8_diagnostic(text, detail::override_file)) {
      bad->where.line = n;
      diags_.add(std::move(*bad));
      return;
    }
    const std::string path = text.substr(0, eq);
    const int value_column = code_points(text.substr(0, eq + 1));
    if (path == "extends" || path.starts_with("extends.") || path.starts_with("extends[")) {
      error(start, code_points(path), "'extends' cannot be set with --set", "extends",
            "extends: in the scenario file (a scenario's ancestors are part of the file)");
      return;
    }
    Tree value = detail::parse(text.substr(eq + 1), detail::override_file, sources_, diags_, n,
                               value_column);
    if (value.kind == Tree::Kind::null) {
      value.kind = Tree::Kind::scalar;
      value.where = {detail::override_file, n, value_column + 1};
    }
    // Split the path: parameter and uncertainty names contain dots.
    std::vector<std::string> parts;
    std::size_t pos = 0;
    while (pos <= path.size()) {
      std::size_t dot = path.find('.', pos);
      if (dot == std::string::npos) dot = path.size();
      parts.push_back(path.substr(pos, dot - pos));
      pos = dot + 1;
      if (!parts.empty() && (parts[0] == "parameters" || parts[0] == "uncertainties") &&
          parts.size() == 1 && pos <= path.size()) {
        parts.push_back(path.substr(pos));
        break;
      }
    }
    Tree* node = &root;
    std::size_t column = 0;
    for (std::size_t i = 0; i < parts.size(); ++i) {
      std::string key = parts[i];
      std::optional<std::size_t> index;
      const std::size_t bracket = key.find('[');
      if (bracket != std::string::npos && key.back() == ']') {
        std::size_t idx = 0;
        const auto [ptr, ec] =
            std::from_chars(key.data() + bracket + 1, key.data() + key.size() - 1, idx);
        if (ec != std::errc{} || ptr != key.data() + key.size() - 1) {
          error(SourceLocation{detail::override_file, n, static_cast<int>(column) + 1},
                code_points(parts[i]), fmt::format("bad list index in '{}'", parts[i]), path,
                "key[index], e.g. policies[0].set.cap");
          return;
        }
        index = idx;
        key = key.substr(0, bracket);
      }
      const SourceLocation key_at{detail::override_file, n, static_cast<int>(column) + 1};
      const bool last = i + 1 == parts.size();
      if (node->kind == Tree::Kind::null) node->kind = Tree::Kind::map;
      if (!node->is_map()) {
        error(key_at, code_points(parts[i]),
              fmt::format("cannot set '{}': its parent is not a map", key), path);
        return;
      }
      Tree* child = node->find(key);
      if (index) {
        if (!child || !child->is_sequence() || *index >= child->items.size()) {
          error(key_at, code_points(parts[i]), fmt::format("no element {} in '{}'", *index, key),
                path,
                child && child->is_sequence()
                    ? fmt::format("an index below {}", child->items.size())
                    : "an existing list");
          return;
        }
        child = &child->items[*index];
        if (last) {
          *child = value;
          return;
        }
      } else if (last) {
        node->put(key, value, key_at);
        return;
      } else if (!child) {
        Tree map;
        map.kind = Tree::Kind::map;
        map.where = key_at;
        node->put(key, std::move(map), key_at);
        child = node->find(key);
      }
      node = child;
      column += parts[i].size() + 1;
    }
  }

 private:
  detail::Sources& sources_;
  Diagnostics& diags_;
};

// ---------------------------------------------------------------------------
// Validation

class Validator {
 public:
  Validator(Loader& loader, Scenario& s) : l_(loader), s_(s) {}
  friend class detail::Fields;  // its field readers serve the targets file too

  void run(const Tree& root, YearMonth file_end) {
    file_end_ = file_end;
    check_keys(root, keys::names(keys::top), "");
    if (const Tree* t = root.find("scenario")) s_.name = text(*t, "scenario");
    if (s_.name.empty() && !root.find("scenario")) {
      l_.error(root.where, 1, "missing key 'scenario' (the scenario's name)", "scenario",
               "scenario: <name>");
    }
    if (const Tree* t = root.find("description")) s_.description = text(*t, "description");
    if (const Tree* t = root.find("horizon")) horizon(*t);
    if (const Tree* t = root.find("region")) region(*t);
    if (const Tree* t = root.find("experiment")) experiment(*t);
    if (const Tree* t = root.find("parameters")) parameters(*t);
    if (const Tree* t = root.find("uncertainties")) uncertainties(*t);
    if (const Tree* t = root.find("prices")) index_paths(*t, "prices", "price", s_.prices);
    if (const Tree* t = root.find("demand")) index_paths(*t, "demand", "demand", s_.demand);
    if (const Tree* t = root.find("policies")) policies(*t);
    if (const Tree* t = root.find("goals")) goals(*t);
    if (const Tree* t = root.find("outputs")) outputs(*t);
    // A parameter takes its value from the design or from its
    // distribution, not both.
    if (has_design(s_) && s_.sampling != "design") {
      for (const auto& u : s_.uncertainties) {
        if (std::find(s_.design_columns.begin(), s_.design_columns.end(), u.name) ==
            s_.design_columns.end()) {
          continue;
        }
        l_.error(u.where, code_points(u.name),
                 fmt::format("uncertainty '{}' is also a column of the design '{}'", u.name,
                             s_.design_file.string()),
                 "uncertainties." + u.name,
                 fmt::format("the design gives its value: remove it from uncertainties: ('{}: ~' "
                             "if inherited), or the column from the design",
                             u.name));
      }
    }
    if (s_.sampling == "factorial") {
      for (const auto& u : s_.uncertainties) {
        if (u.distribution != Uncertainty::Distribution::choice) {
          l_.error(u.where, code_points(u.name),
                   fmt::format("factorial sampling needs discrete levels, but '{}' is not a "
                               "choice",
                               u.name),
                   "uncertainties." + u.name, "{choice: [v1, v2, ...]}");
        }
      }
    }
  }

 private:
  // -- scalar helpers -------------------------------------------------------
  void check_keys(const Tree& t, const std::vector<std::string>& allowed, const std::string& path) {
    if (!t.is_map()) return;
    for (std::size_t i = 0; i < t.entries.size(); ++i) {
      const std::string& k = t.entries[i].first;
      if (std::find(allowed.begin(), allowed.end(), k) != allowed.end()) continue;
      l_.error(t.key_where[i], code_points(k), fmt::format("unknown key '{}'", k),
               join_path(path, k), "one of: " + join(allowed), nearest_name(k, allowed));
    }
  }
  static SourceLocation key_location(const Tree& map, std::string_view key) {
    for (std::size_t i = 0; i < map.entries.size(); ++i) {
      if (map.entries[i].first == key) return map.key_where[i];
    }
    return map.where;
  }
  static std::string join_path(const std::string& a, const std::string& b) {
    return a.empty() ? b : a + "." + b;
  }

  bool require_map(const Tree& t, const std::string& path, const std::string& expected) {
    if (t.is_map()) return true;
    l_.error(t, fmt::format("'{}' must be a map, got {}", path, kind_name(t)), path, expected);
    return false;
  }

  // A section of at most `limit` entries (README.md, "Input limits").
  bool within_limit(const Tree& t, std::size_t size, std::size_t limit, const std::string& path) {
    if (size <= limit) return true;
    l_.error(t, fmt::format("'{}' has {} entries, more than the limit of {}", path, size, limit),
             path, fmt::format("at most {} entries", limit));
    return false;
  }

  std::string text(const Tree& t, const std::string& path) {
    if (t.is_scalar()) return t.scalar;
    l_.error(t, fmt::format("'{}' must be text, got {}", path, kind_name(t)), path, "a string");
    return {};
  }

  std::optional<double> number(const Tree& t, const std::string& path, double lo, double hi,
                               const std::string& unit = {}) {
    if (!t.is_scalar()) {
      l_.error(t, fmt::format("'{}' must be a number, got {}", path, kind_name(t)), path,
               fmt::format("a number in [{}, {}]", lo, hi));
      return std::nullopt;
    }
    double v = 0.0;
    const char* b = t.scalar.data();
    const char* e = b + t.scalar.size();
    if (!t.scalar.empty() && *b == '+') ++b;
    const auto [ptr, ec] = std::from_chars(b, e, v);
    if (ec != std::errc{} || ptr != e || !std::isfinite(v)) {
      l_.error(t, fmt::format("'{}' must be a number, got '{}'", path, t.scalar), path,
               fmt::format("a number in [{}, {}]", lo, hi));
      return std::nullopt;
    }
    if (v < lo || v > hi) {
      l_.error(t, fmt::format("'{}' = {} is out of range", path, t.scalar), path,
               fmt::format("a number in [{}, {}]{}", lo, hi, unit.empty() ? "" : " " + unit));
      return std::nullopt;
    }
    return v;
  }

  std::optional<std::uint64_t> integer(const Tree& t, const std::string& path, std::uint64_t lo,
                                       std::uint64_t hi) {
    std::uint64_t v = 0;
    if (t.is_scalar()) {
      const char* b = t.scalar.data();
      const char* e = b + t.scalar.size();
      const auto [ptr, ec] = std::from_chars(b, e, v);
      if (ec == std::errc{} && ptr == e) {
        if (v >= lo && v <= hi) return v;
        l_.error(t, fmt::format("'{}' = {} is out of range", path, t.scalar), path,
                 fmt::format("an integer in [{}, {}]", lo, hi));
        return std::nullopt;
      }
    }
    l_.error(t, fmt::format("'{}' must be an integer, got {}", path, kind_name(t)), path,
             fmt::format("an integer in [{}, {}]", lo, hi));
    return std::nullopt;
  }

  std::optional<bool> boolean(const Tree& t, const std::string& path) {
    if (t.is_scalar()) {
      const std::string& v = t.scalar;
      if (v == "true" || v == "yes" || v == "on") return true;
      if (v == "false" || v == "no" || v == "off") return false;
    }
    l_.error(t, fmt::format("'{}' must be true or false, got {}", path, kind_name(t)), path,
             "true or false");
    return std::nullopt;
  }

  std::optional<YearMonth> date(const Tree& t, const std::string& path, bool in_horizon = true) {
    const std::string expected =
        in_horizon ? fmt::format("a month YYYY-MM from 2013-01 to {}", to_string(file_end_))
                   : "a month YYYY-MM from 2013-01 to 2060-12";
    if (!t.is_scalar()) {
      l_.error(t, fmt::format("'{}' must be a month, got {}", path, kind_name(t)), path, expected);
      return std::nullopt;
    }
    const std::string& v = t.scalar;
    const auto parsed = parse_month(v);
    if (!parsed) {
      l_.error(t, fmt::format("'{}' must be a month YYYY-MM, got '{}'", path, v), path, expected);
      return std::nullopt;
    }
    const YearMonth ym = *parsed;
    const YearMonth last = in_horizon ? file_end_ : latest_date;
    if (ym < simulation_start || ym > last) {
      l_.error(t,
               fmt::format("date {} is outside the {}", v,
                           in_horizon ? fmt::format("horizon (2013-01 .. {})", to_string(last))
                                      : "supported range (2013-01 .. 2060-12)"),
               path, expected);
      return std::nullopt;
    }
    return ym;
  }

  // -- sections -------------------------------------------------------------
  void horizon(const Tree& t) {
    if (!require_map(t, "horizon", "{start: YYYY-MM, end: YYYY-MM}")) return;
    check_keys(t, keys::names(keys::horizon), "horizon");
    if (const Tree* x = t.find("start")) {
      if (auto d = date(*x, "horizon.start", false)) s_.horizon.start = *d;
    }
    if (const Tree* x = t.find("end")) {
      if (auto d = date(*x, "horizon.end", false)) s_.horizon.end = *d;
    }
    if (s_.horizon.end < s_.horizon.start) {
      const Tree* x = t.find("end") ? t.find("end") : &t;
      l_.error(*x, "horizon.end is before horizon.start", "horizon.end",
               "a month after " + to_string(s_.horizon.start));
    }
  }

  void region(const Tree& t) {
    const std::string r = text(t, "region");
    if (r.empty()) return;
    const auto dir = resolve_path(t);
    std::error_code ec;  // a name too long for the system is a region not found, not a throw
    if (!std::filesystem::exists(dir / "cities.csv", ec)) {
      l_.error(t, fmt::format("region '{}' not found (no {})", r, (dir / "cities.csv").string()),
               "region", "a seeds directory relative to the scenario file");
      return;
    }
    s_.region = dir;
  }

  void experiment(const Tree& t) {
    if (!require_map(t, "experiment", "{replications: N, seed: S, sampling: monte_carlo}")) return;
    check_keys(t, keys::names(keys::experiment), "experiment");
    if (const Tree* x = t.find("replications")) {
      if (auto v = integer(*x, "experiment.replications", 1, 10'000'000)) s_.replications = *v;
    }
    if (const Tree* x = t.find("seed")) {
      if (auto v = integer(*x, "experiment.seed", 0, std::numeric_limits<std::uint64_t>::max())) {
        s_.seed = *v;
      }
    }
    static const std::vector<std::string> samplers = keys::names(keys::samplers);
    if (const Tree* x = t.find("sampling")) {
      const std::string v = text(*x, "experiment.sampling");
      if (std::find(samplers.begin(), samplers.end(), v) == samplers.end()) {
        if (x->is_scalar()) {
          l_.error(*x, fmt::format("unknown sampling '{}'", v), "experiment.sampling",
                   "one of: " + join(samplers), nearest_name(v, samplers));
        }
      } else {
        s_.sampling = v;
      }
    }
    const Tree* file = t.find("file");
    if (s_.sampling == "design") {
      if (!file) {
        l_.error(t, "sampling 'design' needs 'file:' (a CSV with one column per parameter)",
                 "experiment.file", "file: design.csv");
      } else {
        design(*file);
      }
    } else if (file) {
      l_.error(*file, "'experiment.file' is only used with sampling: design", "experiment.file");
    }
    // `design: FILE` beside another sampling; `design: ~` (or an empty
    // --set experiment.design=) switches off an inherited one.
    const Tree* with = t.find("design");
    if (!with || with->kind == Tree::Kind::null || (with->is_scalar() && with->scalar.empty())) {
      return;
    }
    if (s_.sampling == "design") {
      l_.error(*with, "'experiment.design' cannot be combined with sampling: design",
               "experiment.design",
               "sampling: design with file: (one run per row), or design: with another sampling");
      return;
    }
    design(*with, "experiment.design");
  }

  // The text of a CSV file named at t (a regular file within
  // limits::csv_bytes, valid UTF-8), kept for echoing its lines in errors.
  std::optional<std::string> csv_text(const Tree& t, const std::filesystem::path& file,
                                      const std::string& noun, const std::string& path,
                                      const std::string& format = {}) {
    TextFile f = read_text_file(file, limits::csv_bytes);
    if (!f.problem.empty()) {
      l_.error(t, fmt::format("cannot read {} file '{}': {}", noun, file.string(), f.problem), path,
               fmt::format("a CSV file{} relative to the scenario file, a regular file of at most "
                           "{} bytes",
                           format, limits::csv_bytes));
      return std::nullopt;
    }
    if (auto bad = utf8_diagnostic(f.text, file.string())) {
      bad->key_path = path;
      l_.add(std::move(*bad));
      return std::nullopt;
    }
    l_.add_source(file.string(), f.text);
    return std::move(f.text);
  }

  // A design file: a header of dotted parameter names, then one row of
  // values per parameter set; errors point at the CSV's cells.
  void design(const Tree& t, const std::string& key = "experiment.file") {
    const std::string f = text(t, key);
    if (f.empty()) return;
    const auto path = resolve_path(t);
    const std::optional<std::string> csv = csv_text(t, path, "design", key);
    if (!csv) return;
    s_.design_file = path;
    const std::string name = path.string();
    std::istringstream in(*csv);
    std::string line;
    int n = 0;
    const auto names = param_names();
    while (std::getline(in, line)) {
      ++n;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.empty()) continue;
      const auto cells = csv_cells(line);
      if (s_.design_columns.empty()) {
        for (const auto& [cell, col] : cells) {
          if (!model::find_param(cell)) {
            l_.error(SourceLocation{name, n, col}, code_points(cell),
                     fmt::format("unknown parameter '{}' in the design header", cell), key,
                     "a dotted parameter name (regsim params)", nearest_name(cell, names));
          }
          s_.design_columns.push_back(cell);
        }
        // A header without a single parameter name: the file is not a
        // design, and its other lines are not echoed (it may be any file).
        if (std::none_of(s_.design_columns.begin(), s_.design_columns.end(),
                         [](const std::string& c) { return model::find_param(c).has_value(); })) {
          return;
        }
        continue;
      }
      std::vector<double> row;
      for (std::size_t i = 0; i < cells.size(); ++i) {
        const auto& [cell, col] = cells[i];
        double v = 0.0;
        const auto [ptr, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), v);
        const auto p =
            i < s_.design_columns.size() ? model::find_param(s_.design_columns[i]) : std::nullopt;
        if (ec != std::errc{} || ptr != cell.data() + cell.size()) {
          l_.error(SourceLocation{name, n, col}, code_points(cell),
                   fmt::format("design value '{}' is not a number", cell), key);
        } else if (i >= s_.design_columns.size()) {
          l_.error(SourceLocation{name, n, col}, 1, "more values than header columns", key);
        } else if (p) {
          const auto& spec = model::param_specs[static_cast<std::size_t>(*p)];
          if (v < spec.min || v > spec.max) {
            l_.error(SourceLocation{name, n, col}, code_points(cell),
                     fmt::format("design value {} for '{}' is out of range", cell, spec.name), key,
                     fmt::format("a number in [{}, {}]", spec.min, spec.max));
          }
        }
        row.push_back(v);
      }
      if (row.size() < s_.design_columns.size()) {
        l_.error(SourceLocation{name, n, 1}, code_points(line),
                 fmt::format("design row has {} values, the header {}", row.size(),
                             s_.design_columns.size()),
                 key);
      }
      s_.design_rows.push_back(std::move(row));
    }
    if (s_.design_rows.empty()) {
      l_.error(t, fmt::format("design file '{}' has no rows", path.string()), key,
               "a header of parameter names and one row per run");
    }
  }

  // Parameter names may be written flat (`replacement.growth_rate: 0.06`) or
  // nested (`replacement: {growth_rate: 0.06}`).
  void flatten(const Tree& t, const std::string& prefix,
               std::vector<std::tuple<std::string, const Tree*, SourceLocation>>& out,
               const SourceLocation& at) {
    if (!t.is_map()) {
      out.emplace_back(prefix, &t, at);
      return;
    }
    for (std::size_t i = 0; i < t.entries.size(); ++i) {
      flatten(t.entries[i].second, join_path(prefix, t.entries[i].first), out, t.key_where[i]);
    }
  }

  std::optional<model::Param> parameter_name(const std::string& name, const SourceLocation& at,
                                             const std::string& path) {
    if (auto p = model::find_param(name)) return p;
    const auto names = param_names();
    l_.error(at, code_points(name), fmt::format("unknown parameter '{}'", name), path,
             "a dotted parameter name (see `regsim params`)", nearest_name(name, names));
    return std::nullopt;
  }

  void parameters(const Tree& t) {
    if (t.kind == Tree::Kind::null) return;
    if (!require_map(t, "parameters", "{dotted.name: value, ...}")) return;
    std::vector<std::tuple<std::string, const Tree*, SourceLocation>> flat;
    flatten(t, "", flat, t.where);
    for (const auto& [name, value, at] : flat) {
      const std::string path = "parameters." + name;
      const auto p = parameter_name(name, at, path);
      if (!p) continue;
      const auto& spec = model::param_specs[static_cast<std::size_t>(*p)];
      if (auto v = number(*value, path, spec.min, spec.max, std::string(spec.unit))) {
        s_.parameters.emplace_back(name, *v);
      }
    }
  }

  void uncertainties(const Tree& t) {
    if (t.kind == Tree::Kind::null) return;
    if (!require_map(t, "uncertainties", "{dotted.name: {uniform: [a, b]}, ...}")) return;
    if (!within_limit(t, t.entries.size(), limits::uncertainties, "uncertainties")) return;
    static const std::vector<std::string> dists = keys::names(keys::distributions);
    for (std::size_t i = 0; i < t.entries.size(); ++i) {
      const auto& [name, spec_tree] = t.entries[i];
      // `name: ~` removes an uncertainty inherited through `extends`.
      if (spec_tree.kind == Tree::Kind::null) continue;
      const std::string path = "uncertainties." + name;
      const auto p = parameter_name(name, t.key_where[i], path);
      if (!p) continue;
      const auto& spec = model::param_specs[static_cast<std::size_t>(*p)];
      if (!require_map(spec_tree, path,
                       "{uniform: [a, b]} (or normal, lognormal, triangular, "
                       "choice), optionally truncate: [lo, hi]")) {
        continue;
      }
      std::vector<std::string> allowed = dists;
      allowed.emplace_back(keys::truncate.name);
      check_keys(spec_tree, allowed, path);
      Uncertainty u;
      u.name = name;
      u.where = t.key_where[i];
      int found = 0;
      const Tree* args = nullptr;
      std::string dist_name;
      for (std::size_t d = 0; d < dists.size(); ++d) {
        if (const Tree* a = spec_tree.find(dists[d])) {
          ++found;
          args = a;
          dist_name = dists[d];
          u.distribution = static_cast<Uncertainty::Distribution>(d);
        }
      }
      if (found != 1) {
        l_.error(
            spec_tree.is_map() && !spec_tree.entries.empty() ? spec_tree.key_where[0]
                                                             : spec_tree.where,
            1, fmt::format("uncertainty '{}' needs exactly one distribution, got {}", name, found),
            path, "one of: " + join(dists));
        continue;
      }
      const std::string apath = path + "." + dist_name;
      const std::size_t arity = u.distribution == Uncertainty::Distribution::triangular ? 3
                                : u.distribution == Uncertainty::Distribution::choice   ? 0
                                                                                        : 2;
      if (!args->is_sequence() || (arity > 0 && args->items.size() != arity) ||
          (arity == 0 && args->items.empty())) {
        const std::string what =
            u.distribution == Uncertainty::Distribution::uniform      ? "[a, b]"
            : u.distribution == Uncertainty::Distribution::normal     ? "[mu, sd]"
            : u.distribution == Uncertainty::Distribution::lognormal  ? "[mu, sigma] (of the log)"
            : u.distribution == Uncertainty::Distribution::triangular ? "[a, mode, b]"
                                                                      : "[v1, v2, ...]";
        l_.error(*args,
                 fmt::format("'{}' needs {} numbers, got {}", dist_name, what, kind_name(*args)),
                 apath, what);
        continue;
      }
      const double inf = std::numeric_limits<double>::infinity();
      bool ok = true;
      for (const auto& item : args->items) {
        if (auto v = number(item, apath, -inf, inf)) {
          u.args.push_back(*v);
        } else {
          ok = false;
        }
      }
      if (!ok) continue;
      const auto& a = u.args;
      const auto in_range = [&](double v) { return v >= spec.min && v <= spec.max; };
      const std::string range =
          fmt::format("values in [{}, {}] (the parameter's range)", spec.min, spec.max);
      switch (u.distribution) {
        case Uncertainty::Distribution::uniform:
          if (!(a[0] < a[1]) || !in_range(a[0]) || !in_range(a[1])) {
            l_.error(*args,
                     fmt::format("uniform [{}, {}] must have a < b within the range", a[0], a[1]),
                     apath, range);
            ok = false;
          }
          break;
        case Uncertainty::Distribution::triangular:
          if (!(a[0] <= a[1] && a[1] <= a[2] && a[0] < a[2]) || !in_range(a[0]) ||
              !in_range(a[2])) {
            l_.error(*args,
                     "triangular [a, mode, b] must have a <= mode <= b, a < b, within the "
                     "range",
                     apath, range);
            ok = false;
          }
          break;
        case Uncertainty::Distribution::normal:
        case Uncertainty::Distribution::lognormal:
          if (!(a[1] > 0.0)) {
            l_.error(args->items[1], "the spread must be > 0", apath, "a positive number");
            ok = false;
          }
          break;
        case Uncertainty::Distribution::choice:
          for (std::size_t k = 0; k < a.size(); ++k) {
            if (!in_range(a[k])) {
              l_.error(args->items[k], fmt::format("choice {} is out of range", a[k]), apath,
                       range);
              ok = false;
            }
          }
          break;
      }
      if (const Tree* tr = spec_tree.find("truncate")) {
        const std::string tpath = path + ".truncate";
        if (!tr->is_sequence() || tr->items.size() != 2) {
          l_.error(*tr, "'truncate' needs [lo, hi]", tpath, "[lo, hi]");
          ok = false;
        } else {
          const auto lo = number(tr->items[0], tpath, spec.min, spec.max);
          const auto hi = number(tr->items[1], tpath, spec.min, spec.max);
          if (lo && hi && *lo < *hi) {
            u.truncate = std::make_pair(*lo, *hi);
          } else if (lo && hi) {
            l_.error(*tr, "'truncate' needs lo < hi", tpath, "[lo, hi]");
            ok = false;
          } else {
            ok = false;
          }
        }
      }
      if (ok) s_.uncertainties.push_back(std::move(u));
    }
  }

  // prices: {resource: {file: path.csv}, ...}, and the same for demand:
  // (`section`; `noun` is "price" or "demand").
  void index_paths(const Tree& t, const std::string& section, const std::string& noun,
                   std::vector<PricePath>& into) {
    if (t.kind == Tree::Kind::null) return;
    if (!require_map(t, section, "{resource: {file: a CSV of month,index}, ...}")) return;
    const auto resources = model::enum_names<model::Resource>();
    std::set<std::string> seen;
    for (std::size_t i = 0; i < t.entries.size(); ++i) {
      const auto& [key, spec] = t.entries[i];
      const std::string path = section + "." + key;
      if (!seen.insert(key).second) {
        l_.error(t.key_where[i], code_points(key),
                 fmt::format("resource '{}' has two {} paths", key, noun), path,
                 "each resource once under " + section + ":");
        continue;
      }
      const auto resource = model::parse_enum<model::Resource>(key);
      if (!resource) {
        // prices.volatility and the like are parameters of the price process.
        const std::string param = section + "." + key;
        const bool is_param = model::find_param(param).has_value();
        l_.error(t.key_where[i], code_points(key), fmt::format("unknown resource '{}'", key), path,
                 "one of: " + join(resources) +
                     (is_param ? fmt::format(" ('{}' is a parameter: parameters: {{{}: ...}})",
                                             param, param)
                               : ""),
                 is_param ? "parameters." + param : nearest_name(key, resources));
        continue;
      }
      if (!require_map(spec, path, "{file: a CSV of month,index, relative to this file}")) {
        continue;
      }
      check_keys(spec, keys::names(keys::index_path), path);
      const Tree* file = spec.find("file");
      if (!file) {
        l_.error(t.key_where[i], code_points(key),
                 fmt::format("{} path '{}' has no 'file'", noun, key), path + ".file",
                 "file: a CSV of month,index, relative to this file");
        continue;
      }
      PricePath p;
      p.resource = *resource;
      p.key = key;
      if (index_file(*file, path + ".file", noun, p)) into.push_back(std::move(p));
    }
  }

  // A price path file: the header month,index, then one row a month,
  // consecutive, from 2013-01 (the index base) to the horizon's end at most;
  // every index > 0. Errors point at the CSV cell.
  bool index_file(const Tree& t, const std::string& path, const std::string& noun, PricePath& out) {
    if (!t.is_scalar()) {
      text(t, path);  // reports the wrong type
      return false;
    }
    const auto file = resolve_path(t);
    const std::optional<std::string> csv = csv_text(t, file, noun, path, " (month,index)");
    if (!csv) return false;
    std::istringstream in(*csv);
    out.file = file;
    const std::string name = file.string();
    const std::string header = "month,index";
    const std::string months =
        fmt::format("a month YYYY-MM from 2013-01 to {}", to_string(file_end_));
    const std::string positive = fmt::format("a number > 0 (the {} index, 2013-01 = 1)", noun);
    bool ok = true, seen_header = false;
    std::optional<YearMonth> previous;
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
      ++n;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.empty()) continue;
      if (!seen_header) {
        seen_header = true;
        if (line != header) {
          l_.error(SourceLocation{name, n, 1}, code_points(line),
                   fmt::format("{} file header must be '{}', got '{}'", noun, header, line), path,
                   fmt::format("month,index: a month YYYY-MM and a {} index (2013-01 = 1)", noun),
                   header);
          return false;
        }
        continue;
      }
      const auto cells = csv_cells(line);
      if (cells.size() != 2) {
        l_.error(SourceLocation{name, n, 1}, code_points(line),
                 fmt::format("{} row has {} values, expected 2", noun, cells.size()), path,
                 "month,index, e.g. 2013-01,1");
        ok = false;
        previous.reset();
        continue;
      }
      const auto& [month_text, month_column] = cells[0];
      const auto& [index_text, index_column] = cells[1];
      const SourceLocation month_at{name, n, month_column};
      const SourceLocation index_at{name, n, index_column};
      const auto month = parse_month(month_text);
      if (!month) {
        l_.error(month_at, code_points(month_text),
                 fmt::format("'{}' is not a month YYYY-MM", month_text), path, months);
        ok = false;
      } else if (*month < simulation_start || *month > file_end_) {
        l_.error(month_at, code_points(month_text),
                 fmt::format("month {} is outside the horizon (2013-01 .. {})", month_text,
                             to_string(file_end_)),
                 path, months);
        ok = false;
      } else if (previous && *month != next_month(*previous)) {
        l_.error(month_at, code_points(month_text),
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
        l_.error(index_at, code_points(index_text),
                 fmt::format("{} index '{}' is not a number", noun, index_text), path, positive);
        ok = false;
      } else if (!(v > 0.0) || !std::isfinite(v)) {
        l_.error(index_at, code_points(index_text),
                 fmt::format("{} index {} is not a positive number", noun, index_text), path,
                 positive);
        ok = false;
      }
      if (out.index.empty() && month) out.first = *month;
      out.index.push_back(v);
    }
    if (ok && out.index.empty()) {
      l_.error(t, fmt::format("{} file '{}' has no rows", noun, name), path,
               "the header month,index and one row a month");
      return false;
    }
    return ok;
  }

  // where: all | {category: [...], province: [...], ...}
  // `predicates`: where indicator predicates may be given (policies only).
  void selector(const Tree& t, const std::string& path, model::Selector& sel,
                std::vector<RegionName>& names,
                std::vector<IndicatorPredicate>* predicates = nullptr) {
    if (t.is_scalar() && t.scalar == "all") return;
    if (!t.is_map()) {
      l_.error(t,
               fmt::format("'{}' must be 'all' or a map of criteria, got {}", path, kind_name(t)),
               path, "all, or {category: [...], province: [...], resource: [...], ...}");
      return;
    }
    std::vector<std::string> allowed = keys::names(keys::selector);
    if (predicates) allowed.emplace_back(keys::selector_predicates.name);
    check_keys(t, allowed, path);
    for (std::size_t i = 0; i < t.entries.size(); ++i) {
      const auto& [key, value] = t.entries[i];
      const std::string kpath = path + "." + key;
      if (key == "indicators") {
        if (predicates) indicator_predicates(value, kpath, *predicates);
        continue;
      }
      std::vector<const Tree*> values;
      if (value.is_sequence()) {
        for (const auto& item : value.items) values.push_back(&item);
      } else {
        values.push_back(&value);
      }
      if (values.empty()) {
        l_.error(value, fmt::format("'{}' has no values", kpath), kpath, "one value or a list");
      }
      for (const Tree* v : values) {
        if (!v->is_scalar()) {
          l_.error(*v, fmt::format("'{}' values must be words, got {}", kpath, kind_name(*v)),
                   kpath);
          continue;
        }
        const std::string& w = v->scalar;
        if (key == "category") {
          enum_value<model::Category>(*v, kpath, sel.categories);
        } else if (key == "resource") {
          enum_value<model::Resource>(*v, kpath, sel.resources);
        } else if (key == "admin_level") {
          enum_value<model::AdminLevel>(*v, kpath, sel.admin_levels);
        } else if (key == "macro_region") {
          enum_value<model::MacroRegion>(*v, kpath, sel.macro_regions);
        } else if (key == "province") {
          sel.provinces.push_back(w);
          names.push_back({RegionName::Kind::province, w, v->where, v->span});
        } else if (key == "cities" || key == "id") {
          sel.cities.push_back(w);
          names.push_back({RegionName::Kind::city, w, v->where, v->span});
        } else if (key == "exhausted") {
          if (w == "yes" || w == "true") {
            sel.exhausted.push_back(model::exhausted_any);
          } else if (w == "no" || w == "false") {
            sel.exhausted.push_back(model::exhausted_no);
          } else if (w == "1" || w == "2" || w == "3") {
            sel.exhausted.push_back(w[0] - '0');
          } else {
            const std::vector<std::string> ok{"yes", "no", "1", "2", "3"};
            l_.error(*v, fmt::format("'exhausted' must be yes, no or a batch number, got '{}'", w),
                     kpath, "yes, no, or a batch number: 1 (2008), 2 (2009), 3 (2011)",
                     nearest_name(w, ok));
          }
        }
      }
    }
  }

  // indicators: {name: {above: x, below: y, between: [lo, hi]}, ...}
  void indicator_predicates(const Tree& t, const std::string& path,
                            std::vector<IndicatorPredicate>& out) {
    const std::string shape = "{indicator: {above: x, below: y, between: [lo, hi]}, ...}";
    if (!require_map(t, path, shape)) return;
    if (t.entries.empty()) {
      l_.error(t, fmt::format("'{}' has no indicators", path), path, shape);
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
        l_.error(t.key_where[i], code_points(name), fmt::format("unknown indicator '{}'", name),
                 ipath, "one of: " + join(names), nearest_name(name, names));
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
          l_.error(*x, "'between' needs [lo, hi]", ipath + ".between", "[lo, hi]");
          ok = false;
        } else {
          const auto lo = number(x->items[0], ipath + ".between", -inf, inf);
          const auto hi = number(x->items[1], ipath + ".between", -inf, inf);
          if (lo && hi && *lo <= *hi) {
            pred.between = std::make_pair(*lo, *hi);
          } else {
            if (lo && hi) l_.error(*x, "'between' needs lo <= hi", ipath + ".between");
            ok = false;
          }
        }
      }
      if (ok && !pred.above && !pred.below && !pred.between) {
        l_.error(spec, fmt::format("'{}' needs 'above', 'below' or 'between'", ipath), ipath,
                 "{above: x, below: y, between: [lo, hi]}");
        ok = false;
      }
      if (ok) out.push_back(pred);
    }
  }

  template <class E>
  void enum_value(const Tree& v, const std::string& path, std::vector<E>& out) {
    if (auto e = model::parse_enum<E>(v.scalar)) {
      out.push_back(*e);
      return;
    }
    const auto names = model::enum_names<E>();
    l_.error(v, fmt::format("unknown {} '{}'", model::EnumTraits<E>::noun, v.scalar), path,
             "one of: " + join(names), nearest_name(v.scalar, names));
  }

  std::optional<model::Indicator> indicator(const Tree& t, const std::string& path) {
    const std::string name = text(t, path);
    if (!t.is_scalar()) return std::nullopt;
    if (auto i = model::find_indicator(name)) return i;
    const auto names = indicator_names();
    l_.error(t, fmt::format("unknown indicator '{}'", name), path, "one of: " + join(names),
             nearest_name(name, names));
    return std::nullopt;
  }

  void policies(const Tree& t) {
    if (t.kind == Tree::Kind::null) return;
    if (!t.is_sequence()) {
      l_.error(t, fmt::format("'policies' must be a list, got {}", kind_name(t)), "policies",
               "a list of policies (- name: ..., lever: ...)");
      return;
    }
    if (!within_limit(t, t.items.size(), limits::policies, "policies")) return;
    const auto lever_keys = model::levers::keys();
    std::set<std::string> seen;
    for (std::size_t i = 0; i < t.items.size(); ++i) {
      const Tree& p = t.items[i];
      const std::string path = fmt::format("policies[{}]", i);
      if (!require_map(p, path, "a policy: {name, lever, where, when, set, trigger, source}")) {
        continue;
      }
      check_keys(p, keys::names(keys::policy), path);
      Policy pol;
      pol.where = p.where;
      bool ok = true;
      if (const Tree* x = p.find("name")) {
        pol.name = text(*x, path + ".name");
        if (!pol.name.empty() && !seen.insert(pol.name).second) {
          l_.error(*x, fmt::format("duplicate policy name '{}'", pol.name), path + ".name",
                   "a name used once (a child scenario replaces nothing: rename it)");
        }
      } else {
        l_.error(p.key_where.empty() ? p.where : p.key_where[0], 1, "policy has no 'name'",
                 path + ".name", "name: <policy name>");
      }
      const model::levers::Lever* lever = nullptr;
      if (const Tree* x = p.find("lever")) {
        pol.lever = text(*x, path + ".lever");
        lever = model::levers::find(pol.lever);
        if (!lever && x->is_scalar()) {
          l_.error(*x, fmt::format("unknown lever '{}'", pol.lever),
                   fmt::format("{}.lever{}", path,
                               pol.name.empty() ? "" : "  (policy '" + pol.name + "')"),
                   "one of: " + join(lever_keys), nearest_name(pol.lever, lever_keys));
        }
      } else {
        l_.error(p.where, 1, "policy has no 'lever'", path + ".lever",
                 "one of: " + join(lever_keys));
      }
      if (const Tree* x = p.find("source")) pol.source = text(*x, path + ".source");
      if (const Tree* x = p.find("where")) {
        pol.selector_where = x->where;
        selector(*x, path + ".where", pol.selector, pol.names, &pol.predicates);
      } else {
        pol.selector_where = p.where;
      }
      if (const Tree* x = p.find("when")) {
        if (require_map(*x, path + ".when", "{from: YYYY-MM, to: YYYY-MM}")) {
          check_keys(*x, keys::names(keys::window), path + ".when");
          if (const Tree* f = x->find("from")) {
            if (auto d = date(*f, path + ".when.from")) pol.from = *d;
          }
          if (const Tree* to = x->find("to")) {
            if (auto d = date(*to, path + ".when.to")) {
              pol.to = *d;
              if (*d < pol.from) {
                l_.error(*to,
                         fmt::format("when.to {} is before when.from {}", to_string(*d),
                                     to_string(pol.from)),
                         path + ".when.to", "a month at or after when.from");
              }
            }
          }
        }
      }
      if (!pol.predicates.empty() && pol.from == simulation_start) {
        const Tree* w = p.find("where");
        l_.error(key_location(*w, "indicators"), 10,
                 fmt::format("indicator predicates need a policy starting after {}: they are "
                             "evaluated on the month before activation",
                             to_string(simulation_start)),
                 path + ".where.indicators", "when: {from: YYYY-MM} after 2013-01");
        ok = false;
      }
      if (lever) {
        lever_values(p.find("set"), p, *lever, path, pol);
      } else if (const Tree* x = p.find("set")) {
        require_map(*x, path + ".set", "{parameter: value, ...}");
      }
      if (const Tree* x = p.find("trigger")) {
        if (lever && !lever->triggerable) {
          l_.error(key_location(p, "trigger"), 7,
                   fmt::format("lever '{}' cannot carry a trigger", pol.lever), path + ".trigger",
                   "a dated policy (when: {from, to})");
          ok = false;
        } else {
          pol.trigger = trigger(*x, path + ".trigger");
          ok = ok && pol.trigger.has_value();
        }
      }
      if (ok) s_.policies.push_back(std::move(pol));
    }
  }

  void lever_values(const Tree* set, const Tree& policy, const model::levers::Lever& lever,
                    const std::string& path, Policy& pol) {
    const std::string spath = path + ".set";
    std::vector<std::string> names;
    for (const auto& p : lever.params) names.emplace_back(p.name);
    if (set && set->kind != Tree::Kind::null) {
      if (!require_map(*set, spath, "{parameter: value, ...}")) return;
      for (std::size_t i = 0; i < set->entries.size(); ++i) {
        const std::string& key = set->entries[i].first;  // (a lambda below captures it)
        const Tree& value = set->entries[i].second;
        const auto it = std::find_if(lever.params.begin(), lever.params.end(),
                                     [&](const auto& p) { return p.name == key; });
        if (it == lever.params.end()) {
          l_.error(set->key_where[i], code_points(key),
                   fmt::format("lever '{}' has no parameter '{}'", lever.key, key),
                   spath + "." + key, "one of: " + join(names), nearest_name(key, names));
          continue;
        }
        if (!it->choices.empty()) {
          std::vector<std::string> choices(it->choices.begin(), it->choices.end());
          const auto c = std::find(choices.begin(), choices.end(), value.scalar);
          if (!value.is_scalar() || c == choices.end()) {
            l_.error(
                value,
                fmt::format("'{}' must be one of the listed words, got {}", key, kind_name(value)),
                spath + "." + key, "one of: " + join(choices), nearest_name(value.scalar, choices));
            continue;
          }
          pol.set.push_back({key, static_cast<double>(c - choices.begin()), value.where});
          continue;
        }
        if (auto v = number(value, spath + "." + key, it->min, it->max, std::string(it->unit))) {
          pol.set.push_back({key, *v, value.where});
        }
      }
    }
    // A parameter that must exceed another (coal_demand_path: end_year >
    // peak_year), compared with the defaults filled in.
    for (const auto& p : lever.params) {
      if (p.after.empty()) continue;
      const auto value_of = [&](std::string_view name) -> std::pair<double, const LeverValue*> {
        for (const LeverValue& v : pol.set) {
          if (v.name == name) return {v.value, &v};
        }
        for (const auto& q : lever.params) {
          if (q.name == name && q.default_value) return {*q.default_value, nullptr};
        }
        return {0.0, nullptr};
      };
      const auto [value, given] = value_of(p.name);
      const auto [bound, bound_given] = value_of(p.after);
      if ((!given && !bound_given) || value > bound) continue;
      const LeverValue& at = given ? *given : *bound_given;
      l_.error(at.where, 1,
               fmt::format("'{}' {}{} is not after '{}' {}{}", p.name, value,
                           given ? "" : " (the default)", p.after, bound,
                           bound_given ? "" : " (the default)"),
               spath + "." + (given ? std::string(p.name) : std::string(p.after)),
               fmt::format("{} > {}", p.name, p.after));
    }
    for (const auto& p : lever.params) {
      if (!p.required()) continue;
      const bool given = std::any_of(pol.set.begin(), pol.set.end(),
                                     [&](const LeverValue& v) { return v.name == p.name; });
      const bool written = set && set->is_map() && set->find(p.name);
      if (!given && !written) {
        l_.error(set ? *set : policy,
                 fmt::format("lever '{}' needs '{}' ({})", lever.key, p.name, p.description),
                 spath + "." + std::string(p.name),
                 fmt::format("{}: a number in [{}, {}] {}", p.name, p.min, p.max, p.unit));
      }
    }
  }

  std::optional<PolicyTrigger> trigger(const Tree& t, const std::string& path) {
    if (!require_map(t, path, "{indicator: name, above: x | below: x, for_months: n}")) {
      return std::nullopt;
    }
    check_keys(t, keys::names(keys::trigger), path);
    PolicyTrigger tr;
    bool ok = true;
    if (const Tree* x = t.find("indicator")) {
      if (auto i = indicator(*x, path + ".indicator")) {
        tr.indicator = *i;
      } else {
        ok = false;
      }
    } else {
      l_.error(t, "trigger has no 'indicator'", path + ".indicator", "indicator: <name>");
      ok = false;
    }
    const Tree* above = t.find("above");
    const Tree* below = t.find("below");
    const double inf = std::numeric_limits<double>::infinity();
    if ((above != nullptr) == (below != nullptr)) {
      l_.error(t, "trigger needs exactly one of 'above' and 'below'", path, "above: x or below: x");
      ok = false;
    } else if (auto v = number(above ? *above : *below, path + (above ? ".above" : ".below"), -inf,
                               inf)) {
      tr.above = above != nullptr;
      tr.threshold = *v;
    } else {
      ok = false;
    }
    if (const Tree* x = t.find("for_months")) {
      if (auto v = integer(*x, path + ".for_months", 1, 600)) {
        tr.for_months = static_cast<std::uint32_t>(*v);
      } else {
        ok = false;
      }
    }
    if (const Tree* x = t.find("rearm")) {
      if (auto v = boolean(*x, path + ".rearm")) tr.rearm = *v;
    }
    if (!ok) return std::nullopt;
    return tr;
  }

  void goals(const Tree& t) {
    if (t.kind == Tree::Kind::null) return;
    if (!t.is_sequence()) {
      l_.error(t, fmt::format("'goals' must be a list, got {}", kind_name(t)), "goals",
               "a list of goals (- name: ..., indicator: ...)");
      return;
    }
    if (!within_limit(t, t.items.size(), limits::goals, "goals")) return;
    for (std::size_t i = 0; i < t.items.size(); ++i) {
      const Tree& g = t.items[i];
      const std::string path = fmt::format("goals[{}]", i);
      if (!require_map(g, path,
                       "a goal: {name, indicator, where, at | by, below | above | "
                       "between, aggregation, source}")) {
        continue;
      }
      check_keys(g, keys::names(keys::goal), path);
      Goal goal;
      goal.where = g.where;
      bool ok = true;
      if (const Tree* x = g.find("name")) {
        goal.name = text(*x, path + ".name");
      } else {
        l_.error(g.where, 1, "goal has no 'name'", path + ".name", "name: <goal name>");
      }
      if (const Tree* x = g.find("source")) goal.source = text(*x, path + ".source");
      if (const Tree* x = g.find("indicator")) {
        goal.indicator = text(*x, path + ".indicator");
        if (auto id = indicator(*x, path + ".indicator")) {
          goal.id = *id;
        } else {
          ok = false;
        }
      } else {
        l_.error(g.where, 1, "goal has no 'indicator'", path + ".indicator",
                 "indicator: <name> (see `regsim indicators`)");
        ok = false;
      }
      if (const Tree* x = g.find("where")) {
        goal.selector_where = x->where;
        selector(*x, path + ".where", goal.selector, goal.names);
      } else {
        goal.selector_where = g.where;
      }
      static const std::vector<std::string> aggs(aggregation_names.begin(),
                                                 aggregation_names.end());
      if (const Tree* x = g.find("aggregation")) {
        const std::string a = text(*x, path + ".aggregation");
        const auto it = std::find(aggs.begin(), aggs.end(), a);
        if (it == aggs.end()) {
          if (x->is_scalar()) {
            l_.error(*x, fmt::format("unknown aggregation '{}'", a), path + ".aggregation",
                     "one of: " + join(aggs), nearest_name(a, aggs));
          }
          ok = false;
        } else {
          goal.aggregation = static_cast<Goal::Aggregation>(it - aggs.begin());
        }
      }
      if (const Tree* x = g.find("share")) {
        if (auto v = number(*x, path + ".share", 0.0, 1.0)) goal.share = *v;
        if (goal.aggregation != Goal::Aggregation::share_of_cities) {
          l_.error(*x, "'share' is only used with aggregation: share_of_cities", path + ".share");
        }
      }
      const Tree* at = g.find("at");
      const Tree* by = g.find("by");
      if ((at != nullptr) == (by != nullptr)) {
        l_.error(g.where, 1, "goal needs exactly one of 'at' and 'by'", path,
                 "at: YYYY-MM (value at that month) or by: YYYY-MM (met at some month up to it)");
        ok = false;
      } else if (auto d = date(at ? *at : *by, path + (at ? ".at" : ".by"))) {
        goal.date = *d;
        goal.by = by != nullptr;
      } else {
        ok = false;
      }
      const Tree* below = g.find("below");
      const Tree* above = g.find("above");
      const Tree* between = g.find("between");
      const int n = (below ? 1 : 0) + (above ? 1 : 0) + (between ? 1 : 0);
      const double inf = std::numeric_limits<double>::infinity();
      if (n != 1) {
        l_.error(g.where, 1, "goal needs exactly one of 'below', 'above' and 'between'", path,
                 "below: x, above: x or between: [lo, hi]");
        ok = false;
      } else if (between) {
        goal.comparison = Goal::Comparison::between;
        if (!between->is_sequence() || between->items.size() != 2) {
          l_.error(*between, "'between' needs [lo, hi]", path + ".between", "[lo, hi]");
          ok = false;
        } else {
          const auto lo = number(between->items[0], path + ".between", -inf, inf);
          const auto hi = number(between->items[1], path + ".between", -inf, inf);
          if (lo && hi && *lo <= *hi) {
            goal.threshold = *lo;
            goal.upper = *hi;
          } else {
            if (lo && hi) l_.error(*between, "'between' needs lo <= hi", path + ".between");
            ok = false;
          }
        }
      } else {
        goal.comparison = below ? Goal::Comparison::below : Goal::Comparison::above;
        if (auto v =
                number(below ? *below : *above, path + (below ? ".below" : ".above"), -inf, inf)) {
          goal.threshold = *v;
        } else {
          ok = false;
        }
      }
      if (ok) s_.goals.push_back(std::move(goal));
    }
  }

  void outputs(const Tree& t) {
    if (!require_map(t, "outputs", "{resolution, variables, replicates, aggregates}")) return;
    check_keys(t, keys::names(keys::outputs), "outputs");
    static const std::vector<std::string> res = keys::names(keys::resolutions);
    if (const Tree* x = t.find("resolution")) {
      const std::string r = text(*x, "outputs.resolution");
      const auto it = std::find(res.begin(), res.end(), r);
      if (it == res.end()) {
        if (x->is_scalar()) {
          l_.error(*x, fmt::format("unknown resolution '{}'", r), "outputs.resolution",
                   "one of: " + join(res), nearest_name(r, res));
        }
      } else {
        s_.outputs.resolution = static_cast<Outputs::Resolution>(it - res.begin());
      }
    }
    if (const Tree* x = t.find("variables")) {
      std::vector<const Tree*> items;
      if (x->is_sequence()) {
        for (const auto& i : x->items) items.push_back(&i);
      } else {
        items.push_back(x);
      }
      for (const Tree* v : items) {
        if (v->is_scalar() && v->scalar == "all") {
          s_.outputs.variables.clear();
          break;
        }
        if (indicator(*v, "outputs.variables")) s_.outputs.variables.push_back(v->scalar);
      }
    }
    if (const Tree* x = t.find("replicates")) {
      if (x->is_scalar() && x->scalar == "all") {
        s_.outputs.replicates = -1;
      } else if (x->is_scalar() && x->scalar == "none") {
        s_.outputs.replicates = 0;
      } else if (auto v = integer(*x, "outputs.replicates", 0, 10'000'000)) {
        s_.outputs.replicates = static_cast<std::int64_t>(*v);
      }
    }
    if (const Tree* x = t.find("aggregates")) {
      if (auto v = boolean(*x, "outputs.aggregates")) s_.outputs.aggregates = *v;
    }
  }

  Loader& l_;
  Scenario& s_;
  YearMonth file_end_ = latest_date;
};

// The horizon end as written in the files (before --set): dates of
// policies and goals are checked against it, so a light run with a shorter
// horizon (--set horizon.end=2014-12) keeps later policies valid; they do
// not act within the shorter run.
YearMonth written_end(const Tree& root) {
  YearMonth end{2035, 12};
  if (const Tree* h = root.find("horizon")) {
    if (const Tree* e = h->is_map() ? h->find("end") : nullptr) {
      if (e->is_scalar() && e->scalar.size() == 7 && e->scalar[4] == '-') {
        int y = 0, m = 0;
        std::from_chars(e->scalar.data(), e->scalar.data() + 4, y);
        std::from_chars(e->scalar.data() + 5, e->scalar.data() + 7, m);
        if (y >= 2013 && m >= 1 && m <= 12) end = {y, m};
      }
    }
  }
  return std::min(end, latest_date);
}

// The scenario in `file` (read from disk) or in `text` (its contents).
Scenario load_scenario(const std::filesystem::path& file, const std::string* text,
                       const std::vector<std::string>& overrides,
                       const std::filesystem::path& default_region) {
  detail::Sources sources;
  Diagnostics diags;
  Loader loader(sources, diags);
  std::vector<std::string> chain;
  Tree root = text ? loader.read_text(*text, file, chain, nullptr, 1)
                   : loader.read(file, chain, nullptr, 1);
  diags.throw_if_any();
  const YearMonth file_end = written_end(root);
  for (std::size_t i = 0; i < overrides.size(); ++i) {
    loader.apply_override(root, overrides[i], static_cast<int>(i + 1));
    // A value that a later --set (or -n, --seed) replaces is still checked:
    // the scenario as it stands is validated, keeping this --set's problems.
    const std::string key = overrides[i].substr(0, overrides[i].find('='));
    const bool replaced = std::any_of(
        overrides.begin() + static_cast<std::ptrdiff_t>(i) + 1, overrides.end(),
        [&](const std::string& later) { return later.substr(0, later.find('=')) == key; });
    if (replaced && diags.empty()) {
      Diagnostics scratch;
      Loader check(sources, scratch);
      Scenario unused;
      unused.region = default_region;
      Validator(check, unused)
          .run(root, std::max(file_end, std::min(written_end(root), latest_date)));
      for (const Diagnostic& d : scratch.all()) {
        if (d.where.file == detail::override_file && d.where.line == static_cast<int>(i + 1)) {
          diags.add(d);
        }
      }
    }
  }
  diags.throw_if_any();

  Scenario s;
  s.file = file;
  s.region = default_region;
  s.overrides = overrides;
  Validator(loader, s).run(root, std::max(file_end, std::min(written_end(root), latest_date)));
  diags.throw_if_any();
  // A policy whose text lies in another file than the scenario's own (and
  // not in a --set) came through `extends`.
  for (Policy& p : s.policies) {
    p.inherited =
        p.where.file != file.lexically_normal().string() && p.where.file != detail::override_file;
  }
  // The resolved scenario, with the region (the default too) and the files
  // it reads as absolute paths, so that it loads on its own from anywhere
  // (replay writes it to a scratch directory).
  const auto absolute = [](const std::filesystem::path& p) {
    return std::filesystem::absolute(p).lexically_normal().string();
  };
  if (Tree* r = root.find("region")) {
    r->kind = Tree::Kind::scalar;
    r->scalar = absolute(s.region);
  } else {
    Tree region;
    region.kind = Tree::Kind::scalar;
    region.scalar = absolute(s.region);
    root.put("region", region, SourceLocation{});
  }
  if (!s.design_file.empty()) {
    root.find("experiment")->find(s.sampling == "design" ? "file" : "design")->scalar =
        absolute(s.design_file);
  }
  for (const PricePath& p : s.prices) {
    root.find("prices")->find(p.key)->find("file")->scalar = absolute(p.file);
  }
  for (const PricePath& p : s.demand) {
    root.find("demand")->find(p.key)->find("file")->scalar = absolute(p.file);
  }
  s.resolved_yaml = detail::emit(root);
  return s;
}

}  // namespace

Scenario load(const std::filesystem::path& file, const std::vector<std::string>& overrides,
              const std::filesystem::path& default_region) {
  return load_scenario(file, nullptr, overrides, default_region);
}

Scenario load_text(const std::string& text, const std::filesystem::path& file,
                   const std::vector<std::string>& overrides,
                   const std::filesystem::path& default_region) {
  return load_scenario(file, &text, overrides, default_region);
}

// ---------------------------------------------------------------------------
// The validator's field readers for other inputs (detail/fields.hpp)

namespace detail {

struct Fields::Impl {
  Impl(Sources& sources, Diagnostics& diags) : loader(sources, diags), validator(loader, unused) {}
  Loader loader;
  Scenario unused;  // the validator's output, not read
  Validator validator;
};

Fields::Fields(Sources& sources, Diagnostics& diags, YearMonth last_month)
    : impl_(std::make_unique<Impl>(sources, diags)) {
  impl_->validator.file_end_ = last_month;
}
Fields::~Fields() = default;

void Fields::error(const Tree& at, std::string message, std::string key_path, std::string expected,
                   std::string suggestion) {
  impl_->loader.error(at, std::move(message), std::move(key_path), std::move(expected),
                      std::move(suggestion));
}
void Fields::error(const SourceLocation& at, int span, std::string message, std::string key_path,
                   std::string expected, std::string suggestion) {
  impl_->loader.error(at, span, std::move(message), std::move(key_path), std::move(expected),
                      std::move(suggestion));
}
std::string Fields::kind(const Tree& t) { return kind_name(t); }
void Fields::check_keys(const Tree& t, const std::vector<std::string>& allowed,
                        const std::string& path) {
  impl_->validator.check_keys(t, allowed, path);
}
bool Fields::require_map(const Tree& t, const std::string& path, const std::string& expected) {
  return impl_->validator.require_map(t, path, expected);
}
std::string Fields::text(const Tree& t, const std::string& path) {
  return impl_->validator.text(t, path);
}
std::optional<double> Fields::number(const Tree& t, const std::string& path, double lo, double hi,
                                     const std::string& unit) {
  return impl_->validator.number(t, path, lo, hi, unit);
}
std::optional<YearMonth> Fields::date(const Tree& t, const std::string& path) {
  return impl_->validator.date(t, path);
}
void Fields::selector(const Tree& t, const std::string& path, model::Selector& sel,
                      std::vector<RegionName>& names) {
  impl_->validator.selector(t, path, sel, names);
}
std::optional<model::Indicator> Fields::indicator(const Tree& t, const std::string& path) {
  return impl_->validator.indicator(t, path);
}
std::optional<model::Param> Fields::parameter(const std::string& name, const SourceLocation& at,
                                              const std::string& path) {
  return impl_->validator.parameter_name(name, at, path);
}

}  // namespace detail

}  // namespace regsim::scenario
