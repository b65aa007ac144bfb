// Reading a targets file: the field readers the scenario uses
// (detail/fields.hpp), so a bad target reads like a bad goal.
#include "scenario/targets.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "scenario/detail/fields.hpp"
#include "scenario/detail/tree.hpp"

namespace regsim::scenario {

namespace {

using detail::Tree;

constexpr double inf = std::numeric_limits<double>::infinity();
// A discrepancy of 10 times the observation is no information at all.
constexpr double max_discrepancy = 10.0;

class TargetReader {
 public:
  TargetReader(detail::Fields& f, const Scenario& s, Targets& out) : f_(f), s_(s), out_(out) {}

  void run(const Tree& root) {
    if (!root.is_map()) {
      f_.error(root, "a targets file must be a map with 'targets:'", "",
               "targets: [...], optionally parameters: and discrepancy:");
      return;
    }
    f_.check_keys(root, {"targets", "parameters", "discrepancy"}, "");
    if (const Tree* x = root.find("discrepancy")) {
      if (auto v = f_.number(*x, "discrepancy", 0.0, max_discrepancy, "(sd / |value|)")) {
        discrepancy_ = *v;
      }
    }
    if (const Tree* x = root.find("targets")) {
      targets(*x);
    } else {
      f_.error(root.where, 1, "missing key 'targets' (the observations to match)", "targets",
               "targets: a list of {name, indicator, where, at | mean_over, value, error, source}");
    }
    if (const Tree* x = root.find("parameters"); x && x->kind != Tree::Kind::null) {
      parameters(*x);
    } else {
      out_.parameters_from_scenario = true;
      for (const Uncertainty& u : s_.uncertainties) {
        ParameterRange r = parameter_range(u);
        if (r.lo < r.hi) {
          out_.parameters.push_back(std::move(r));
          continue;
        }
        f_.error(u.where, static_cast<int>(u.name.size()),
                 fmt::format("cannot calibrate '{}': its distribution spans no range", u.name),
                 "uncertainties." + u.name,
                 "a distribution with lo < hi within the registry range");
      }
      if (s_.uncertainties.empty()) {
        f_.error(root.where, 1,
                 fmt::format("nothing to calibrate: no 'parameters:' here and no "
                             "'uncertainties:' in scenario '{}'",
                             s_.name),
                 "parameters", "parameters: {dotted.name: [lo, hi], ...}");
      }
    }
  }

 private:
  void targets(const Tree& t) {
    if (!t.is_sequence() || t.items.empty()) {
      f_.error(t,
               fmt::format("'targets' must be a non-empty list, got {}", detail::Fields::kind(t)),
               "targets", "a list of targets (- name: ..., indicator: ...)");
      return;
    }
    std::set<std::string> seen;
    for (std::size_t i = 0; i < t.items.size(); ++i) {
      const Tree& g = t.items[i];
      const std::string path = fmt::format("targets[{}]", i);
      if (!f_.require_map(g, path,
                          "a target: {name, indicator, where, at | mean_over, value, error, "
                          "discrepancy, source}")) {
        continue;
      }
      f_.check_keys(g,
                    {"name", "indicator", "where", "at", "mean_over", "value", "error",
                     "discrepancy", "source"},
                    path);
      Target target;
      target.where = g.where;
      target.discrepancy = discrepancy_;
      if (read_target(g, path, seen, target)) out_.targets.push_back(std::move(target));
    }
  }

  // A key that every target has; nullptr (reported) if missing.
  const Tree* required(const Tree& g, const std::string& path, const char* key,
                       const std::string& expected) {
    if (const Tree* x = g.find(key)) return x;
    f_.error(g.where, 1, fmt::format("target has no '{}'", key), path + "." + key, expected);
    return nullptr;
  }

  // One target's keys; false if it cannot be used (every problem reported).
  bool read_target(const Tree& g, const std::string& path, std::set<std::string>& seen,
                   Target& target) {
    bool ok = true;
    if (const Tree* x = required(g, path, "name", "name: <target name>")) {
      target.name = f_.text(*x, path + ".name");
      if (!target.name.empty() && !seen.insert(target.name).second) {
        f_.error(*x, fmt::format("duplicate target name '{}'", target.name), path + ".name",
                 "a name used once");
        ok = false;
      }
    } else {
      ok = false;
    }
    if (const Tree* x =
            required(g, path, "indicator", "indicator: <name> (see `regsim indicators`)")) {
      if (auto id = f_.indicator(*x, path + ".indicator")) {
        target.indicator = *id;
      } else {
        ok = false;
      }
    } else {
      ok = false;
    }
    if (const Tree* x = g.find("where")) {
      target.selector_where = x->where;
      f_.selector(*x, path + ".where", target.selector, target.names);
    } else {
      target.selector_where = g.where;
    }
    ok = when(g, path, target) && ok;
    return observation(g, path, target) && ok;
  }

  // value, error, discrepancy and source: the observation and its errors.
  bool observation(const Tree& g, const std::string& path, Target& target) {
    bool ok = true;
    if (const Tree* x =
            required(g, path, "value", "value: the observed value, in the indicator's unit")) {
      if (auto v = f_.number(*x, path + ".value", -inf, inf)) {
        target.observed = *v;
      } else {
        ok = false;
      }
    } else {
      ok = false;
    }
    if (const Tree* x = required(g, path, "error", "error: the observation error (one sd, > 0)")) {
      if (auto v = f_.number(*x, path + ".error", 0.0, inf)) {
        if (*v > 0.0) {
          target.error = *v;
        } else {
          f_.error(*x, "'error' must be > 0 (one standard deviation)", path + ".error",
                   "a number > 0, in the indicator's unit");
          ok = false;
        }
      } else {
        ok = false;
      }
    } else {
      ok = false;
    }
    if (const Tree* x = g.find("discrepancy")) {
      if (auto v = f_.number(*x, path + ".discrepancy", 0.0, max_discrepancy, "(sd / |value|)")) {
        target.discrepancy = *v;
      } else {
        ok = false;
      }
    }
    if (const Tree* x = required(g, path, "source", "source: where the observation comes from")) {
      target.source = f_.text(*x, path + ".source");
      if (x->is_scalar() && target.source.empty()) {
        f_.error(*x, "'source' is empty", path + ".source",
                 "where the observation comes from (a table, a yearbook, cal §x.y)");
        ok = false;
      }
    } else {
      ok = false;
    }
    return ok;
  }

  // at: YYYY-MM | mean_over: [YYYY-MM, YYYY-MM]
  bool when(const Tree& g, const std::string& path, Target& target) {
    const Tree* at = g.find("at");
    const Tree* over = g.find("mean_over");
    if ((at != nullptr) == (over != nullptr)) {
      f_.error(g.where, 1, "target needs exactly one of 'at' and 'mean_over'", path,
               "at: YYYY-MM (the value at that month) or mean_over: [YYYY-MM, YYYY-MM]");
      return false;
    }
    if (at) {
      const auto d = f_.date(*at, path + ".at");
      if (d) target.from = target.to = *d;
      return d.has_value();
    }
    const std::string opath = path + ".mean_over";
    if (!over->is_sequence() || over->items.size() != 2) {
      f_.error(*over,
               fmt::format("'mean_over' needs [from, to], got {}", detail::Fields::kind(*over)),
               opath, "[YYYY-MM, YYYY-MM]");
      return false;
    }
    const auto from = f_.date(over->items[0], opath);
    const auto to = f_.date(over->items[1], opath);
    if (!from || !to) return false;
    if (*to < *from) {
      f_.error(over->items[1],
               fmt::format("mean_over ends ({}) before it starts ({})", to_string(*to),
                           to_string(*from)),
               opath, "[from, to] with from <= to");
      return false;
    }
    target.mean_over = true;
    target.from = *from;
    target.to = *to;
    return true;
  }

  void parameters(const Tree& t) {
    if (!f_.require_map(t, "parameters", "{dotted.name: [lo, hi], ...}")) return;
    for (std::size_t i = 0; i < t.entries.size(); ++i) {
      const std::string& name = t.entries[i].first;  // (a lambda below captures it)
      const Tree& value = t.entries[i].second;
      const std::string path = "parameters." + name;
      const auto id = f_.parameter(name, t.key_where[i], path);
      if (!id) continue;
      const auto& spec = model::param_specs[static_cast<std::size_t>(*id)];
      const std::string range =
          fmt::format("[lo, hi] within [{}, {}] {}", spec.min, spec.max, spec.unit);
      if (!value.is_sequence() || value.items.size() != 2) {
        f_.error(
            value,
            fmt::format("'{}' must be a range [lo, hi], got {}", path, detail::Fields::kind(value)),
            path, range);
        continue;
      }
      const auto lo = f_.number(value.items[0], path, spec.min, spec.max, std::string(spec.unit));
      const auto hi = f_.number(value.items[1], path, spec.min, spec.max, std::string(spec.unit));
      if (!lo || !hi) continue;
      if (!(*lo < *hi)) {
        f_.error(value, fmt::format("range [{}, {}] of '{}' needs lo < hi", *lo, *hi, name), path,
                 range);
        continue;
      }
      const bool duplicate = std::any_of(out_.parameters.begin(), out_.parameters.end(),
                                         [&](const ParameterRange& p) { return p.name == name; });
      if (duplicate) {
        f_.error(t.key_where[i], static_cast<int>(name.size()),
                 fmt::format("parameter '{}' is given twice", name), path, "each parameter once");
        continue;
      }
      out_.parameters.push_back({name, *id, *lo, *hi});
    }
    if (t.entries.empty()) {
      f_.error(t, "'parameters' is empty", "parameters",
               "{dotted.name: [lo, hi], ...}, or no 'parameters:' to use the scenario's "
               "uncertainties");
    }
  }

  detail::Fields& f_;
  const Scenario& s_;
  Targets& out_;
  double discrepancy_ = default_discrepancy;
};

}  // namespace

ParameterRange parameter_range(const Uncertainty& u) {
  ParameterRange r;
  r.name = u.name;
  r.id = u.param;
  const auto& spec = model::spec(u.param);
  const auto& a = u.args;
  using D = Uncertainty::Distribution;
  if (u.truncate) {
    r.lo = u.truncate->first;
    r.hi = u.truncate->second;
  } else if (u.distribution == D::uniform) {
    r.lo = a[0];
    r.hi = a[1];
  } else if (u.distribution == D::triangular) {
    r.lo = a[0];
    r.hi = a[2];
  } else if (u.distribution == D::normal) {
    r.lo = a[0] - 3.0 * a[1];
    r.hi = a[0] + 3.0 * a[1];
  } else if (u.distribution == D::lognormal) {
    r.lo = std::exp(a[0] - 3.0 * a[1]);
    r.hi = std::exp(a[0] + 3.0 * a[1]);
  } else {  // choice
    r.lo = *std::min_element(a.begin(), a.end());
    r.hi = *std::max_element(a.begin(), a.end());
  }
  r.lo = std::clamp(r.lo, spec.min, spec.max);
  r.hi = std::clamp(r.hi, spec.min, spec.max);
  return r;
}

Targets load_targets(const std::filesystem::path& file, const Scenario& s) {
  detail::Sources sources;
  Diagnostics diags;
  Targets out;
  out.file = file;
  const std::string name = file.lexically_normal().string();
  const TextFile f = read_text_file(file, limits::scenario_bytes);
  if (!f.problem.empty()) {
    diags.add(
        file_problem(name, fmt::format("cannot read targets file '{}': {}", name, f.problem),
                     fmt::format("a regular file of at most {} bytes", limits::scenario_bytes)));
    diags.throw_if_any();
  }
  const Tree root = detail::parse(f.text, name, sources, diags);
  diags.throw_if_any();
  detail::Fields fields(sources, diags, s.horizon.end);
  TargetReader(fields, s, out).run(root);
  diags.throw_if_any();
  return out;
}

void check_against_region(const Targets& t, const model::CityCatalogue& region) {
  detail::Sources sources;
  Diagnostics diags;
  for (std::size_t i = 0; i < t.targets.size(); ++i) {
    const Target& g = t.targets[i];
    detail::check_names(g.names, g.selector, g.selector_where,
                        fmt::format("targets[{}].where  (target '{}')", i, g.name), region, sources,
                        diags);
  }
  diags.throw_if_any();
}

double simulated_value(const Target& t, const std::vector<std::size_t>& cities,
                       const model::Trajectories& trajectories) {
  const std::size_t from = month_index(t.from), to = month_index(t.to);
  double sum = 0.0;
  for (std::size_t m = from; m <= to; ++m) sum += trajectories.aggregate(t.indicator, cities, m);
  return sum / static_cast<double>(to - from + 1);
}

std::string date_text(const Target& t) {
  return t.mean_over ? to_string(t.from) + ".." + to_string(t.to) : to_string(t.from);
}

YearMonth last_month(const Targets& t) {
  YearMonth last = simulation_start;
  for (const Target& g : t.targets) last = std::max(last, g.to);
  return last;
}

}  // namespace regsim::scenario
