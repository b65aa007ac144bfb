// `uncertainties:`: a distribution per parameter (uniform, normal,
// lognormal, triangular, choice), optionally truncated.
#include <limits>
#include <optional>

#include <fmt/format.h>

#include "scenario/detail/sections.hpp"
#include "scenario/keys.hpp"
#include "scenario/text.hpp"

namespace regsim::scenario::detail {

namespace {

using Distribution = Uncertainty::Distribution;

// The one distribution key of an uncertainty; nullptr (reported) if there
// is none or more than one.
const Tree* distribution(Fields& f, const Tree& spec_tree, const std::string& name,
                         const std::string& path, Uncertainty& u, std::string& dist_name) {
  static const std::vector<std::string> dists = keys::names(keys::distributions);
  int found = 0;
  const Tree* args = nullptr;
  for (std::size_t d = 0; d < dists.size(); ++d) {
    if (const Tree* a = spec_tree.find(dists[d])) {
      ++found;
      args = a;
      dist_name = dists[d];
      u.distribution = static_cast<Distribution>(d);
    }
  }
  if (found == 1) return args;
  f.error(
      spec_tree.is_map() && !spec_tree.entries.empty() ? spec_tree.key_where[0] : spec_tree.where,
      1, fmt::format("uncertainty '{}' needs exactly one distribution, got {}", name, found), path,
      "one of: " + join(dists));
  return nullptr;
}

// The distribution's numbers into u.args: as many as it takes (any number
// of choices); false (reported) otherwise.
bool arguments(Fields& f, const Tree& args, const std::string& dist_name, const std::string& apath,
               Uncertainty& u) {
  const std::size_t arity = u.distribution == Distribution::triangular ? 3
                            : u.distribution == Distribution::choice   ? 0
                                                                       : 2;
  if (!args.is_sequence() || (arity > 0 && args.items.size() != arity) ||
      (arity == 0 && args.items.empty())) {
    const std::string what = u.distribution == Distribution::uniform  ? "[a, b]"
                             : u.distribution == Distribution::normal ? "[mu, sd]"
                             : u.distribution == Distribution::lognormal
                                 ? "[mu, sigma] (of the log)"
                             : u.distribution == Distribution::triangular ? "[a, mode, b]"
                                                                          : "[v1, v2, ...]";
    f.error(args, fmt::format("'{}' needs {} numbers, got {}", dist_name, what, Fields::kind(args)),
            apath, what);
    return false;
  }
  const double inf = std::numeric_limits<double>::infinity();
  bool ok = true;
  for (const auto& item : args.items) {
    if (auto v = f.number(item, apath, -inf, inf)) {
      u.args.push_back(*v);
    } else {
      ok = false;
    }
  }
  return ok;
}

// The distribution's numbers make sense and lie in the parameter's range.
bool arguments_in_range(Fields& f, const Tree& args, const std::string& apath,
                        const model::ParamSpec& spec, const Uncertainty& u) {
  const auto& a = u.args;
  const auto in_range = [&](double v) { return v >= spec.min && v <= spec.max; };
  const std::string range =
      fmt::format("values in [{}, {}] (the parameter's range)", spec.min, spec.max);
  bool ok = true;
  switch (u.distribution) {
    case Distribution::uniform:
      if (!(a[0] < a[1]) || !in_range(a[0]) || !in_range(a[1])) {
        f.error(args, fmt::format("uniform [{}, {}] must have a < b within the range", a[0], a[1]),
                apath, range);
        ok = false;
      }
      break;
    case Distribution::triangular:
      if (!(a[0] <= a[1] && a[1] <= a[2] && a[0] < a[2]) || !in_range(a[0]) || !in_range(a[2])) {
        f.error(args,
                "triangular [a, mode, b] must have a <= mode <= b, a < b, within the "
                "range",
                apath, range);
        ok = false;
      }
      break;
    case Distribution::normal:
    case Distribution::lognormal:
      if (!(a[1] > 0.0)) {
        f.error(args.items[1], "the spread must be > 0", apath, "a positive number");
        ok = false;
      }
      break;
    case Distribution::choice:
      for (std::size_t k = 0; k < a.size(); ++k) {
        if (!in_range(a[k])) {
          f.error(args.items[k], fmt::format("choice {} is out of range", a[k]), apath, range);
          ok = false;
        }
      }
      break;
  }
  return ok;
}

// truncate: [lo, hi] within the parameter's range.
bool truncation(Fields& f, const Tree& tr, const std::string& path, const model::ParamSpec& spec,
                Uncertainty& u) {
  const std::string tpath = path + ".truncate";
  if (!tr.is_sequence() || tr.items.size() != 2) {
    f.error(tr, "'truncate' needs [lo, hi]", tpath, "[lo, hi]");
    return false;
  }
  const auto lo = f.number(tr.items[0], tpath, spec.min, spec.max);
  const auto hi = f.number(tr.items[1], tpath, spec.min, spec.max);
  if (lo && hi && *lo < *hi) {
    u.truncate = std::make_pair(*lo, *hi);
    return true;
  }
  if (lo && hi) f.error(tr, "'truncate' needs lo < hi", tpath, "[lo, hi]");
  return false;
}

// One uncertainty, `name: {distribution: [...], truncate: [lo, hi]}`.
std::optional<Uncertainty> uncertainty(Fields& f, const std::string& name, const Tree& spec_tree,
                                       const SourceLocation& key_at) {
  const std::string path = "uncertainties." + name;
  const auto p = f.parameter(name, key_at, path);
  if (!p) return std::nullopt;
  const auto& spec = model::param_specs[static_cast<std::size_t>(*p)];
  if (!f.require_map(spec_tree, path,
                     "{uniform: [a, b]} (or normal, lognormal, triangular, "
                     "choice), optionally truncate: [lo, hi]")) {
    return std::nullopt;
  }
  std::vector<std::string> allowed = keys::names(keys::distributions);
  allowed.emplace_back(keys::truncate.name);
  f.check_keys(spec_tree, allowed, path);
  Uncertainty u;
  u.param = *p;
  u.name = spec.name;
  u.where = key_at;
  std::string dist_name;
  const Tree* args = distribution(f, spec_tree, name, path, u, dist_name);
  if (!args) return std::nullopt;
  const std::string apath = path + "." + dist_name;
  if (!arguments(f, *args, dist_name, apath, u)) return std::nullopt;
  bool ok = arguments_in_range(f, *args, apath, spec, u);
  if (const Tree* tr = spec_tree.find("truncate")) ok = truncation(f, *tr, path, spec, u) && ok;
  if (!ok) return std::nullopt;
  return u;
}

}  // namespace

void read_uncertainties(Fields& f, const Tree& t, Scenario& s) {
  if (t.kind == Tree::Kind::null) return;
  if (!f.require_map(t, "uncertainties", "{dotted.name: {uniform: [a, b]}, ...}")) return;
  if (!f.within_limit(t, t.entries.size(), limits::uncertainties, "uncertainties")) return;
  for (std::size_t i = 0; i < t.entries.size(); ++i) {
    const auto& [name, spec_tree] = t.entries[i];
    // `name: ~` removes an uncertainty inherited through `extends`.
    if (spec_tree.kind == Tree::Kind::null) continue;
    if (auto u = uncertainty(f, name, spec_tree, t.key_where[i])) {
      s.uncertainties.push_back(std::move(*u));
    }
  }
}

}  // namespace regsim::scenario::detail
