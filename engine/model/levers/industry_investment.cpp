// Investment in replacement industries, 亿元 per year: raises the
// replacement-industry ceiling (CityModel::invest). Source: 2013 plan §5
// (接续替代产业); 2021 plan (7)-(11).
#include "model/levers/lever.hpp"

namespace regsim::model::levers {

namespace {

constexpr LeverParam params[] = {
    {"yi_per_year", "1e8 CNY/year", 0.0, 1e4, std::nullopt,
     "invested in each selected city per year (once if the window has no end and a trigger "
     "fires)"},
};

void compile(const LeverContext& ctx, LeverOutput& out) {
  const double yi = ctx.args[slot(params, "yi_per_year")];
  for (const std::uint32_t c : ctx.cities) {
    for (const double t : yearly_months(ctx)) {
      add_action(out, t, c,
                 [yi](CityModel& m, Scheduler&, std::uint32_t city) { m.invest(city, yi); });
    }
  }
}

}  // namespace

REGSIM_LEVER(industry_investment){
    "industry_investment",
    "Yearly investment in replacement industries from `when.from` until `when.to` (or the end "
    "of the run); each 亿元 raises the replacement value-added ceiling by "
    "`replacement.ceiling_per_investment`.",
    "2013 plan §5 (successor and replacement industries); 2021 plan (7)-(11)",
    "- name: successor-industries\n"
    "  lever: industry_investment\n"
    "  where: {category: [declining]}\n"
    "  when: {from: 2014-01, to: 2020-12}\n"
    "  set: {yi_per_year: 2}\n"
    "  source: 2013 plan §5\n",
    params,
    compile,
    true,
    {},
};

}  // namespace regsim::model::levers
