// A freeze on approvals of new production units for the window: the market
// may still order capacity in the selected cities, but only capacity swaps
// (减量置换: rebuilding resource.swap_ratio of what capacity cuts closed)
// are built. Source: cal §3.1 (国发〔2016〕7号: no new coal mine approvals
// for 3 years, to end 2019; restructure by reduction ~5亿 t/yr).
#include "model/levers/lever.hpp"

namespace regsim::model::levers {

namespace {

void compile(const LeverContext& ctx, LeverOutput& out) {
  apply_then_revert(
      ctx, out, [](CityModel& m, Scheduler&, std::uint32_t city) { m.set_approvals(city, false); },
      [](CityModel& m, Scheduler&, std::uint32_t city) { m.set_approvals(city, true); });
}

}  // namespace

REGSIM_LEVER(approval_freeze){
    "approval_freeze",
    "Freezes approvals of new production units in the selected cities from `when.from` to "
    "`when.to`; only capacity swaps for units closed by capacity cuts are built meanwhile "
    "(resource.swap_ratio of the closed capacity).",
    "cal §3.1 (国发〔2016〕7号: no new coal-mine approvals for three years, to end 2019; 13th FYP "
    "coal plan: ~8亿 t/yr eliminated, ~5亿 t/yr of advanced capacity added)",
    "- name: coal-approval-freeze\n"
    "  lever: approval_freeze\n"
    "  where: {resource: [coal]}\n"
    "  when: {from: 2016-01, to: 2019-12}\n"
    "  source: cal §3.1\n",
    {},
    compile,
    true,
    "orders already under construction continue; the freeze acts on orders received in the "
    "window.",
};

}  // namespace regsim::model::levers
