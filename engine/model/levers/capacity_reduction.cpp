// Capacity cuts (去产能): the smallest open mines close until a share of the
// city's open capacity is gone; their workers are placed 1/3 each in
// redeployment, early retirement and the labour market by default.
// Source: cal §3.1, §3.2 and §6.3 (国发〔2016〕7号; 1/3-1/3-1/3 is an estimate).
#include <cmath>

#include "model/levers/lever.hpp"

namespace regsim::model::levers {

namespace {

constexpr LeverParam params[] = {
    {"share", "1", 0.0, 1.0, std::nullopt, "share of the city's open capacity to close"},
    {"market_share", "1", 0.0, 1.0, 1.0 / 3.0,
     "share of laid-off workers entering the labour market"},
    {"retirement_share", "1", 0.0, 1.0, 1.0 / 3.0,
     "share retiring early (the rest are redeployed)"},
};

void compile(const LeverContext& ctx, LeverOutput& out) {
  const double share = ctx.args[slot(params, "share")];
  const double market = ctx.args[slot(params, "market_share")];
  const double retire = ctx.args[slot(params, "retirement_share")];
  for (const std::uint32_t c : ctx.cities) {
    add_action(out, ctx.from_month, c, [=](CityModel& m, Scheduler& s, std::uint32_t city) {
      const auto capacity = static_cast<std::int64_t>(
          std::llround(static_cast<double>(m.open_capacity(city)) * share));
      if (capacity > 0) m.close_smallest_mines(s, city, capacity, market, retire);
    });
  }
}

}  // namespace

REGSIM_LEVER(capacity_reduction){
    "capacity_reduction",
    "Closes the smallest open mines at `when.from` until `share` of the open capacity is closed; "
    "laid-off workers go to the labour market, early retirement or redeployment.",
    "cal §3.1 (国发〔2016〕7号: about 8亿 t/yr closed 2016-2020), §3.2 (1.3 M coal workers), "
    "§6.3 (1/3 redeployed, 1/3 retired, 1/3 to the market: estimate)",
    "- name: coal-capacity-cut-2016\n"
    "  lever: capacity_reduction\n"
    "  where: {resource: [coal]}\n"
    "  when: {from: 2016-07}\n"
    "  set: {share: 0.05}\n"
    "  source: cal §6.3\n",
    params,
    compile,
    true,
    {},
};

}  // namespace regsim::model::levers
