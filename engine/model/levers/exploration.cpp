// Exploration spending, 亿元 per year: raises the discovery rate while the
// window lasts. Source: 2013 plan §3 (resource security, 找矿突破);
// 2021 plan (4)-(6).
#include "model/levers/lever.hpp"

namespace regsim::model::levers {

namespace {

constexpr LeverParam params[] = {
    {"yi_per_year", "1e8 CNY/year", 0.0, 1e4, std::nullopt,
     "exploration spending in each selected city"},
};

void compile(const LeverContext& ctx, LeverOutput& out) {
  const double yi = ctx.args[slot(params, "yi_per_year")];
  const std::uint32_t before = new_ledger_slot(ctx, out);  // the level the lever replaced
  apply_then_revert(
      ctx, out,
      [=](CityModel& m, Scheduler&, std::uint32_t city) {
        m.ledger(before, city).value = m.set_exploration(city, yi);
      },
      [=](CityModel& m, Scheduler&, std::uint32_t city) {
        m.set_exploration(city, m.ledger(before, city).value);
      });
}

}  // namespace

REGSIM_LEVER(exploration){
    "exploration",
    "Sets the exploration spending level (亿元/year) at `when.from` and restores the previous "
    "level at `when.to`; spending raises the rate of reserve discoveries "
    "(`resource.exploration_elasticity`).",
    "2013 plan §3 (resource security, exploration); 2021 plan (4)-(6) (reserve bases)",
    "- name: reserve-bases\n"
    "  lever: exploration\n"
    "  where: {category: [growing], resource: [coal]}\n"
    "  when: {from: 2021-01, to: 2025-12}\n"
    "  set: {yi_per_year: 1.5}\n"
    "  source: 2021 plan (5)\n",
    params,
    compile,
    true,
    {},
};

}  // namespace regsim::model::levers
