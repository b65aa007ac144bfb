// The lever table. An explicit sorted list rather than self-registration:
// the entries are easy to read, the order is fixed by the source, no
// static initialiser is needed, and because the list names every lever a
// static library cannot drop one. Adding a lever is its file in this folder
// (CMake takes every .cpp here) and one line in REGSIM_LEVERS below.
// tests/model/levers/test_lever_catalogue.cpp checks the list is sorted,
// names every file of this folder, and that each lever has a test case and
// a reference entry.
#include "model/levers/registry.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

// Every lever, sorted by key: X(key) for each.
#define REGSIM_LEVERS(X) \
  X(approval_freeze)     \
  X(capacity_reduction)  \
  X(coal_demand_path)    \
  X(exploration)         \
  X(extraction_cap)      \
  X(industrial_park)     \
  X(industry_investment) \
  X(price_shock)         \
  X(public_jobs)         \
  X(remediation)         \
  X(training_program)    \
  X(training_seats)      \
  X(transfer_payment)    \
  X(wage_subsidy)

namespace regsim::model::levers {

#define REGSIM_DECLARE_LEVER(key) extern const Lever key;
REGSIM_LEVERS(REGSIM_DECLARE_LEVER)
#undef REGSIM_DECLARE_LEVER

namespace {
#define REGSIM_LEVER_ADDRESS(key) &key,
constexpr const Lever* table[] = {REGSIM_LEVERS(REGSIM_LEVER_ADDRESS)};
#undef REGSIM_LEVER_ADDRESS
}  // namespace

std::span<const Lever* const> all() { return table; }

const Lever* find(std::string_view key) {
  for (const Lever* l : table) {
    if (l->key == key) return l;
  }
  return nullptr;
}

std::vector<std::string> keys() {
  std::vector<std::string> out;
  for (const Lever* l : table) out.emplace_back(l->key);
  return out;
}

std::vector<double> yearly_months(const LeverContext& ctx) {
  std::vector<double> out{ctx.from_month};
  if (ctx.triggered) return out;
  const double end = ctx.to_month ? *ctx.to_month : static_cast<double>(ctx.months);
  for (double t = ctx.from_month + 12.0; t < end; t += 12.0) out.push_back(t);
  return out;
}

namespace {
std::string number_text(double v) { return fmt::format("{:g}", v); }
}  // namespace

std::string reference_markdown() {
  std::string out;
  for (const Lever* l : table) {
    out += fmt::format("### `{}`\n\n{}\n\nSource: {}\n", l->key, l->summary, l->source);
    if (!l->triggerable) out += "\nCannot carry a `trigger:`.\n";
    if (!l->notes.empty()) out += fmt::format("\nNote: {}\n", l->notes);
    out += "\n| parameter | unit | range | default | meaning |\n| --- | --- | --- | --- | --- |\n";
    for (const LeverParam& p : l->params) {
      std::string range;
      if (!p.choices.empty()) {
        std::vector<std::string> c(p.choices.begin(), p.choices.end());
        for (std::size_t i = 0; i < c.size(); ++i) range += (i ? ", " : "") + c[i];
      } else {
        range = fmt::format("{} .. {}", number_text(p.min), number_text(p.max));
      }
      std::string def = "required";
      if (p.default_value) {
        def = p.choices.empty()
                  ? number_text(*p.default_value)
                  : std::string(p.choices[static_cast<std::size_t>(*p.default_value)]);
      }
      out +=
          fmt::format("| `{}` | {} | {} | {} | {} |\n", p.name, p.unit, range, def, p.description);
    }
    out += fmt::format("\n```yaml\n{}```\n\n", l->example);
  }
  return out;
}

}  // namespace regsim::model::levers
