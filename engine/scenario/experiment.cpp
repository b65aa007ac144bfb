// The run's frame: `horizon:`, `region:`, `experiment:` (replications,
// seed, sampling and the design file) and `parameters:`.
#include <algorithm>
#include <charconv>
#include <limits>
#include <tuple>

#include <fmt/format.h>

#include "scenario/detail/sections.hpp"
#include "scenario/keys.hpp"
#include "scenario/statistics.hpp"
#include "scenario/text.hpp"

namespace regsim::scenario::detail {

namespace {

// The header of a design file: dotted parameter names, each reported where
// unknown (and kept as an empty column, so that rows stay aligned). False
// if not one of them is a parameter: the file is not a design, and its
// other lines are not echoed (it may be any file).
bool design_header(Fields& f, const support::CsvRecord& header, const std::string& name,
                   const std::string& key, std::vector<std::optional<model::Param>>& columns) {
  const auto names = param_names();
  const int n = header.line;
  for (const support::CsvField& field : header.fields) {
    const std::string& cell = field.text;
    columns.push_back(model::find_param(cell));
    if (!columns.back()) {
      f.error(SourceLocation{name, n, field.column}, code_points(cell),
              fmt::format("unknown parameter '{}' in the design header", cell), key,
              "a dotted parameter name (regsim params)", nearest_name(cell, names));
    }
  }
  return std::any_of(columns.begin(), columns.end(),
                     [](const std::optional<model::Param>& c) { return c.has_value(); });
}

// One row of a design file: a number per column, within its parameter's
// range; errors point at the cell.
void design_row(Fields& f, const support::CsvRecord& record, const std::string& line,
                const std::string& name, const std::string& key,
                const std::vector<std::optional<model::Param>>& columns, Scenario& s) {
  const auto& cells = record.fields;
  const int n = record.line;
  std::vector<double> row;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    const std::string& cell = cells[i].text;
    const int col = cells[i].column;
    double v = 0.0;
    const auto [ptr, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), v);
    const model::Param* p = i < columns.size() && columns[i] ? &*columns[i] : nullptr;
    if (ec != std::errc{} || ptr != cell.data() + cell.size()) {
      f.error(SourceLocation{name, n, col}, code_points(cell),
              fmt::format("design value '{}' is not a number", cell), key);
    } else if (i >= columns.size()) {
      f.error(SourceLocation{name, n, col}, 1, "more values than header columns", key);
    } else if (p) {
      const auto& spec = model::spec(*p);
      if (v < spec.min || v > spec.max) {
        f.error(SourceLocation{name, n, col}, code_points(cell),
                fmt::format("design value {} for '{}' is out of range", cell, spec.name), key,
                fmt::format("a number in [{}, {}]", spec.min, spec.max));
      }
    }
    row.push_back(v);
  }
  if (row.size() < columns.size()) {
    f.error(SourceLocation{name, n, 1}, code_points(line),
            fmt::format("design row has {} values, the header {}", row.size(), columns.size()),
            key);
  }
  s.design_rows.push_back(std::move(row));
}

// A design file: a header of dotted parameter names, then one row of
// values per parameter set; errors point at the CSV's cells.
void read_design(Fields& f, const Tree& t, Scenario& s,
                 const std::string& key = "experiment.file") {
  const std::string file = f.text(t, key);
  if (file.empty()) return;
  const auto path = resolve_path(t);
  const std::optional<support::CsvTable> csv = f.csv_file(t, path, "design", key);
  if (!csv) return;
  s.design_file = path;
  const std::string name = path.string();
  std::vector<std::optional<model::Param>> columns;
  for (const support::CsvRecord& record : csv->records) {
    if (record.broken) continue;  // reported by csv_file
    if (columns.empty()) {
      if (!design_header(f, record, name, key, columns)) return;
      continue;
    }
    design_row(f, record, csv->lines[static_cast<std::size_t>(record.line - 1)], name, key, columns,
               s);
  }
  // A design with an unknown column has been reported and is not used.
  for (const auto& c : columns) {
    if (c) s.design_columns.push_back(*c);
  }
  if (s.design_rows.empty()) {
    f.error(t, fmt::format("design file '{}' has no rows", path.string()), key,
            "a header of parameter names and one row per run");
  }
}

// experiment.sampling: one of the samplers' names.
void read_sampling(Fields& f, const Tree& x, Scenario& s) {
  static const std::vector<std::string> samplers = keys::names(keys::samplers);
  const std::string v = f.text(x, "experiment.sampling");
  if (std::find(samplers.begin(), samplers.end(), v) == samplers.end()) {
    if (x.is_scalar()) {
      f.error(x, fmt::format("unknown sampling '{}'", v), "experiment.sampling",
              "one of: " + join(samplers), nearest_name(v, samplers));
    }
  } else {
    s.sampling =
        static_cast<Sampling>(std::find(samplers.begin(), samplers.end(), v) - samplers.begin());
  }
}

// experiment.file (with sampling: design) and experiment.design (beside
// another sampling).
void read_design_keys(Fields& f, const Tree& t, Scenario& s) {
  const Tree* file = t.find("file");
  if (s.sampling == Sampling::design) {
    if (!file) {
      f.error(t, "sampling 'design' needs 'file:' (a CSV with one column per parameter)",
              "experiment.file", "file: design.csv");
    } else {
      read_design(f, *file, s);
    }
  } else if (file) {
    f.error(*file, "'experiment.file' is only used with sampling: design", "experiment.file");
  }
  // `design: FILE` beside another sampling; `design: ~` (or an empty
  // --set experiment.design=) switches off an inherited one.
  const Tree* with = t.find("design");
  if (!with || with->kind == Tree::Kind::null || (with->is_scalar() && with->scalar.empty())) {
    return;
  }
  if (s.sampling == Sampling::design) {
    f.error(*with, "'experiment.design' cannot be combined with sampling: design",
            "experiment.design",
            "sampling: design with file: (one run per row), or design: with another sampling");
    return;
  }
  read_design(f, *with, s, "experiment.design");
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

// experiment.precision (with replications: auto): the goals, the interval's
// half-width, the batch and the cap; goal names are resolved once the
// goals are read (check_precision).
void read_precision(Fields& f, const Tree& t, Scenario& s) {
  const std::string path = "experiment.precision";
  if (!f.require_map(t, path, "{half_width: 0.02, goals: [NAME, ...], max_replications: N}")) {
    return;
  }
  f.check_keys(t, keys::names(keys::precision), path);
  Precision p;
  p.where = t.where;
  if (const Tree* x = t.find("goals")) {
    const auto add = [&](const Tree& g) {
      const std::string name = f.text(g, path + ".goals");
      if (name.empty()) return;
      p.goals.push_back(name);
      p.goal_where.push_back(g.where);
    };
    if (x->is_sequence()) {
      for (const Tree& g : x->items) add(g);
    } else {
      add(*x);
    }
  }
  if (const Tree* x = t.find("half_width")) {
    // Below 0.001 the cap would pass a million replications.
    if (auto v = f.number(*x, path + ".half_width", 0.001, 0.5)) p.half_width = *v;
  } else {
    f.error(t, "missing key 'half_width' (the largest half-width of the 90 % interval)",
            path + ".half_width", "half_width: 0.02 (a probability, 0.001 to 0.5)");
  }
  if (const Tree* x = t.find("batch")) {
    if (auto v = f.integer(*x, path + ".batch", 1, 1'000'000)) p.batch = *v;
  }
  if (const Tree* x = t.find("max_replications")) {
    if (auto v = f.integer(*x, path + ".max_replications", 1, 10'000'000)) {
      p.max_replications = *v;
    }
  }
  s.precision = std::move(p);
}

}  // namespace

void read_horizon(Fields& f, const Tree& t, Scenario& s) {
  if (!f.require_map(t, "horizon", "{start: YYYY-MM, end: YYYY-MM}")) return;
  f.check_keys(t, keys::names(keys::horizon), "horizon");
  if (const Tree* x = t.find("start")) {
    if (auto d = f.date(*x, "horizon.start", false)) s.horizon.start = *d;
  }
  if (const Tree* x = t.find("end")) {
    if (auto d = f.date(*x, "horizon.end", false)) s.horizon.end = *d;
  }
  if (s.horizon.end < s.horizon.start) {
    const Tree* x = t.find("end") ? t.find("end") : &t;
    f.error(*x, "horizon.end is before horizon.start", "horizon.end",
            "a month after " + to_string(s.horizon.start));
  }
}

void read_region(Fields& f, const Tree& t, Scenario& s) {
  const std::string r = f.text(t, "region");
  if (r.empty()) return;
  const auto dir = resolve_path(t);
  std::error_code ec;  // a name too long for the system is a region not found, not a throw
  if (!std::filesystem::exists(dir / "cities.csv", ec)) {
    f.error(t, fmt::format("region '{}' not found (no {})", r, (dir / "cities.csv").string()),
            "region", "a seeds directory relative to the scenario file");
    return;
  }
  s.region = dir;
}

void read_experiment(Fields& f, const Tree& t, Scenario& s) {
  if (!f.require_map(t, "experiment", "{replications: N, seed: S, sampling: monte_carlo}")) return;
  f.check_keys(t, keys::names(keys::experiment), "experiment");
  const Tree* replications = t.find("replications");
  const bool automatic =
      replications && replications->is_scalar() && replications->scalar == "auto";
  if (replications && !automatic) {
    if (auto v = f.integer(*replications, "experiment.replications", 1, 10'000'000)) {
      s.replications = *v;
    }
  }
  // `precision: ~` (or an empty --set experiment.precision=) switches an
  // inherited one off, as `design: ~` does.
  const Tree* precision = t.find("precision");
  if (precision && (precision->kind == Tree::Kind::null ||
                    (precision->is_scalar() && precision->scalar.empty()))) {
    precision = nullptr;
  }
  if (automatic && !precision) {
    f.error(*replications, "replications: auto needs 'experiment.precision'",
            "experiment.precision", "precision: {half_width: 0.02, goals: [NAME, ...]}");
  } else if (precision && !automatic) {
    // A fixed count (-n, --set experiment.replications=N) would silently
    // drop the precision asked for.
    f.error(*precision, "'experiment.precision' is only used with replications: auto",
            "experiment.precision",
            "replications: auto, or no precision: with a fixed count (replications: N or -n N)");
  } else if (automatic) {
    read_precision(f, *precision, s);
  }
  if (const Tree* x = t.find("seed")) {
    if (auto v = f.integer(*x, "experiment.seed", 0, std::numeric_limits<std::uint64_t>::max())) {
      s.seed = *v;
    }
  }
  if (const Tree* x = t.find("sampling")) read_sampling(f, *x, s);
  read_design_keys(f, t, s);
}

void check_precision(Fields& f, Scenario& s) {
  if (!s.precision) return;
  Precision& p = *s.precision;
  if (s.sampling != Sampling::monte_carlo) {
    // Other designs fix their runs in advance (a Latin hypercube's strata
    // depend on the count), so they cannot grow.
    f.error(p.where, 1,
            fmt::format("replications: auto needs sampling: monte_carlo, not {}",
                        to_string(s.sampling)),
            "experiment.sampling", "monte_carlo, or a fixed replications: N");
  }
  std::vector<std::string> names;
  for (const Goal& g : s.goals) names.push_back(g.name);
  if (names.empty()) {
    f.error(p.where, 1, "replications: auto needs a goal whose probability is to be precise",
            "goals", "goals: [...] with at least one goal");
  }
  for (std::size_t i = 0; i < p.goals.size(); ++i) {
    const auto it = std::find(names.begin(), names.end(), p.goals[i]);
    if (it == names.end()) {
      f.error(p.goal_where[i], code_points(p.goals[i]),
              fmt::format("unknown goal '{}' in experiment.precision.goals", p.goals[i]),
              "experiment.precision.goals", "one of: " + join(names),
              nearest_name(p.goals[i], names));
    } else {
      p.goal_index.push_back(static_cast<std::size_t>(it - names.begin()));
    }
  }
  if (p.goals.empty()) {
    for (std::size_t i = 0; i < names.size(); ++i) p.goal_index.push_back(i);
  }
  if (p.max_replications == 0) p.max_replications = precision_cap(p.half_width, p.batch);
  s.replications = p.max_replications;
}

void read_parameters(Fields& f, const Tree& t, Scenario& s) {
  if (t.kind == Tree::Kind::null) return;
  if (!f.require_map(t, "parameters", "{dotted.name: value, ...}")) return;
  std::vector<std::tuple<std::string, const Tree*, SourceLocation>> flat;
  flatten(t, "", flat, t.where);
  for (const auto& [name, value, at] : flat) {
    const std::string path = "parameters." + name;
    const auto p = f.parameter(name, at, path);
    if (!p) continue;
    const auto& spec = model::param_specs[static_cast<std::size_t>(*p)];
    if (auto v = f.number(*value, path, spec.min, spec.max, std::string(spec.unit))) {
      s.parameters.emplace_back(*p, *v);
    }
  }
}

}  // namespace regsim::scenario::detail

namespace regsim::scenario {

std::uint64_t precision_cap(double half_width, std::uint64_t batch) {
  // z / (2 sqrt(n + z^2)) <= h  <=>  n >= z^2 / (4 h^2) - z^2.
  const double z2 = z90 * z90;
  const double n = std::max(1.0, std::ceil(z2 / (4.0 * half_width * half_width) - z2));
  const auto whole = static_cast<std::uint64_t>(n);
  return (whole + batch - 1) / batch * batch;
}

}  // namespace regsim::scenario
