// The lever table. An explicit sorted table rather than a generated list:
// thirteen entries are easy to read, the order is fixed by the source, no
// static initialiser is needed, and because the table names every lever a
// static library cannot drop one. tests/model/levers/test_lever_catalogue.cpp
// checks the table is sorted, lists every file of this folder, and that
// each lever has a test case and a reference entry.
#include "model/levers/registry.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#define REGSIM_DECLARE_LEVER(key) extern const Lever key;

namespace regsim::model::levers {

REGSIM_DECLARE_LEVER(approval_freeze)
REGSIM_DECLARE_LEVER(capacity_reduction)
REGSIM_DECLARE_LEVER(coal_demand_path)
REGSIM_DECLARE_LEVER(exploration)
REGSIM_DECLARE_LEVER(extraction_cap)
REGSIM_DECLARE_LEVER(industrial_park)
REGSIM_DECLARE_LEVER(industry_investment)
REGSIM_DECLARE_LEVER(price_shock)
REGSIM_DECLARE_LEVER(public_jobs)
REGSIM_DECLARE_LEVER(remediation)
REGSIM_DECLARE_LEVER(training_program)
REGSIM_DECLARE_LEVER(training_seats)
REGSIM_DECLARE_LEVER(transfer_payment)
REGSIM_DECLARE_LEVER(wage_subsidy)

namespace {
constexpr const Lever* table[] = {
    &approval_freeze,  &capacity_reduction,  &coal_demand_path, &exploration,  &extraction_cap,
    &industrial_park,  &industry_investment, &price_shock,      &public_jobs,  &remediation,
    &training_program, &training_seats,      &transfer_payment, &wage_subsidy,
};
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
