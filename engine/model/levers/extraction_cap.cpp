// Output cap as a share of capacity (a logging ban is a cap of 0): workers
// are laid off in proportion and placed in the labour market, early
// retirement and redeployment. Source: cal §3.3 and §6.2 (natural-forest
// logging ban); 2013 plan §4(2).
#include "model/levers/lever.hpp"

namespace regsim::model::levers {

namespace {

constexpr LeverParam params[] = {
    {"cap", "1", 0.0, 1.0, std::nullopt, "output cap as a share of capacity"},
    {"market_share", "1", 0.0, 1.0, 0.6, "share of laid-off workers entering the labour market"},
    {"retirement_share", "1", 0.0, 1.0, 0.2, "share retiring early (the rest are redeployed)"},
};

void compile(const LeverContext& ctx, LeverOutput& out) {
  const double cap = ctx.args[slot(params, "cap")];
  const double market = ctx.args[slot(params, "market_share")];
  const double retire = ctx.args[slot(params, "retirement_share")];
  apply_then_revert(
      ctx, out,
      [=](CityModel& m, Scheduler& s, std::uint32_t city) {
        m.set_output_cap(s, city, cap, market, retire);
      },
      [=](CityModel& m, Scheduler& s, std::uint32_t city) {
        m.set_output_cap(s, city, 1.0, market, retire);
      });
}

}  // namespace

REGSIM_LEVER(extraction_cap){
    "extraction_cap",
    "Caps output at a share of capacity from `when.from` (lifted at `when.to`); a cut lays off "
    "workers in proportion. A cap of 0 is a ban (the natural-forest logging ban).",
    "cal §3.3 and §6.2 (logging ban 2014-04 Heilongjiang, 2015-04 Jilin and Inner Mongolia, "
    "2017 nationwide); 2013 plan §4(2)",
    "- name: logging-ban-heilongjiang\n"
    "  lever: extraction_cap\n"
    "  where: {resource: [forest], province: [Heilongjiang]}\n"
    "  when: {from: 2014-04}\n"
    "  set: {cap: 0}\n"
    "  source: cal §3.3\n",
    params,
    compile,
    true,
    "workers are laid off in proportion to the cut and placed with the given shares; a cap of 0 "
    "idles every unit (it does not close), and `when.to` restores the output but not the laid-off "
    "workers.",
};

}  // namespace regsim::model::levers
