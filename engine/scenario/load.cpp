// Loading a scenario: read the file and its `extends` chain, apply --set
// (detail/loader), then walk the top-level keys, each validated by its
// section's reader (detail/sections.hpp: experiment.cpp, uncertainties.cpp,
// prices.cpp, policies.cpp, goals.cpp, outputs.cpp) into the plain structs
// of scenario.hpp, and check what spans sections; every problem collected.
#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "scenario/detail/fields.hpp"
#include "scenario/detail/loader.hpp"
#include "scenario/detail/sections.hpp"
#include "scenario/detail/tree.hpp"
#include "scenario/keys.hpp"
#include "scenario/scenario.hpp"
#include "scenario/text.hpp"

namespace regsim::scenario {

using detail::Tree;

int months_between(YearMonth from, YearMonth to) {
  return (to.year - from.year) * 12 + (to.month - from.month);
}

std::string to_string(YearMonth ym) { return fmt::format("{:04}-{:02}", ym.year, ym.month); }

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

std::string_view to_string(Sampling s) { return keys::samplers[static_cast<std::size_t>(s)].name; }

std::uint32_t Horizon::months() const {
  return static_cast<std::uint32_t>(std::max(0, months_between(start, end) + 1));
}

std::uint32_t report_from_month(const Scenario& s) { return month_index(s.horizon.start); }

std::uint32_t month_index(YearMonth ym) {
  return static_cast<std::uint32_t>(std::max(0, months_between(simulation_start, ym)));
}

namespace {

using detail::latest_date;

// A parameter takes its value from the design or from its distribution,
// not both; factorial sampling needs discrete levels.
void check_sampling(detail::Fields& f, const Scenario& s) {
  if (has_design(s) && s.sampling != Sampling::design) {
    for (const auto& u : s.uncertainties) {
      if (std::find(s.design_columns.begin(), s.design_columns.end(), u.param) ==
          s.design_columns.end()) {
        continue;
      }
      f.error(u.where, code_points(u.name),
              fmt::format("uncertainty '{}' is also a column of the design '{}'", u.name,
                          s.design_file.string()),
              "uncertainties." + u.name,
              fmt::format("the design gives its value: remove it from uncertainties: ('{}: ~' "
                          "if inherited), or the column from the design",
                          u.name));
    }
  }
  if (s.sampling == Sampling::factorial) {
    for (const auto& u : s.uncertainties) {
      if (u.distribution != Uncertainty::Distribution::choice) {
        f.error(u.where, code_points(u.name),
                fmt::format("factorial sampling needs discrete levels, but '{}' is not a "
                            "choice",
                            u.name),
                "uncertainties." + u.name, "{choice: [v1, v2, ...]}");
      }
    }
  }
}

// The top-level walk: every key by its section's reader, in this order
// (which is the order of the problems reported), then the checks across
// sections.
void validate(detail::Fields& f, const Tree& root, Scenario& s) {
  f.check_keys(root, keys::names(keys::top), "");
  if (const Tree* t = root.find("scenario")) s.name = f.text(*t, "scenario");
  if (s.name.empty() && !root.find("scenario")) {
    f.error(root.where, 1, "missing key 'scenario' (the scenario's name)", "scenario",
            "scenario: <name>");
  }
  if (const Tree* t = root.find("description")) s.description = f.text(*t, "description");
  if (const Tree* t = root.find("horizon")) detail::read_horizon(f, *t, s);
  if (const Tree* t = root.find("region")) detail::read_region(f, *t, s);
  if (const Tree* t = root.find("experiment")) detail::read_experiment(f, *t, s);
  if (const Tree* t = root.find("parameters")) detail::read_parameters(f, *t, s);
  if (const Tree* t = root.find("uncertainties")) detail::read_uncertainties(f, *t, s);
  if (const Tree* t = root.find("prices")) detail::read_prices(f, *t, s);
  if (const Tree* t = root.find("demand")) detail::read_demand(f, *t, s);
  if (const Tree* t = root.find("policies")) detail::read_policies(f, *t, s);
  if (const Tree* t = root.find("goals")) detail::read_goals(f, *t, s);
  if (const Tree* t = root.find("outputs")) detail::read_outputs(f, *t, s);
  check_sampling(f, s);
  detail::check_precision(f, s);
}

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

// The last month dates may name: the later of the written end and the end
// as it stands after --set.
YearMonth dates_end(const Tree& root, YearMonth file_end) {
  return std::max(file_end, std::min(written_end(root), latest_date));
}

// Applies the --set overrides in order. A value that a later --set (or -n,
// --seed) replaces is still checked: the scenario as it stands is
// validated, keeping this --set's problems.
void apply_overrides(detail::Loader& loader, detail::Sources& sources, Diagnostics& diags,
                     Tree& root, const std::vector<std::string>& overrides,
                     const std::filesystem::path& default_region, YearMonth file_end) {
  for (std::size_t i = 0; i < overrides.size(); ++i) {
    loader.apply_override(root, overrides[i], static_cast<int>(i + 1));
    const std::string key = overrides[i].substr(0, overrides[i].find('='));
    const bool replaced = std::any_of(
        overrides.begin() + static_cast<std::ptrdiff_t>(i) + 1, overrides.end(),
        [&](const std::string& later) { return later.substr(0, later.find('=')) == key; });
    if (!replaced || !diags.empty()) continue;
    Diagnostics scratch;
    detail::Fields check(sources, scratch, dates_end(root, file_end));
    Scenario unused;
    unused.region = default_region;
    validate(check, root, unused);
    for (const Diagnostic& d : scratch.all()) {
      if (d.where.file == detail::override_file && d.where.line == static_cast<int>(i + 1)) {
        diags.add(d);
      }
    }
  }
}

// The resolved scenario, with the region (the default too) and the files
// it reads as absolute paths, so that it loads on its own from anywhere
// (replay writes it to a scratch directory).
std::string resolved_yaml(Tree root, const Scenario& s) {
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
    root.find("experiment")->find(s.sampling == Sampling::design ? "file" : "design")->scalar =
        absolute(s.design_file);
  }
  for (const PricePath& p : s.prices) {
    root.find("prices")->find(p.key)->find("file")->scalar = absolute(p.file);
  }
  for (const PricePath& p : s.demand) {
    root.find("demand")->find(p.key)->find("file")->scalar = absolute(p.file);
  }
  return detail::emit(root);
}

// The scenario in `file` (read from disk) or in `text` (its contents).
Scenario load_scenario(const std::filesystem::path& file, const std::string* text,
                       const std::vector<std::string>& overrides,
                       const std::filesystem::path& default_region) {
  detail::Sources sources;
  Diagnostics diags;
  detail::Fields fields(sources, diags);
  detail::Loader loader(fields);
  std::vector<std::string> chain;
  Tree root = text ? loader.read_text(*text, file, chain, nullptr, 1)
                   : loader.read(file, chain, nullptr, 1);
  diags.throw_if_any();
  const YearMonth file_end = written_end(root);
  apply_overrides(loader, sources, diags, root, overrides, default_region, file_end);
  diags.throw_if_any();

  Scenario s;
  s.file = file;
  s.region = default_region;
  s.overrides = overrides;
  detail::Fields checked(sources, diags, dates_end(root, file_end));
  validate(checked, root, s);
  diags.throw_if_any();
  // A policy whose text lies in another file than the scenario's own (and
  // not in a --set) came through `extends`.
  for (Policy& p : s.policies) {
    p.inherited =
        p.where.file != file.lexically_normal().string() && p.where.file != detail::override_file;
  }
  s.resolved_yaml = resolved_yaml(std::move(root), s);
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

}  // namespace regsim::scenario
