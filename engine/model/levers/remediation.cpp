// Land remediation (subsidence treatment), 亿元 per year, paid yearly:
// restores degraded land at environment.remediation_cost (CityModel::remediate).
// Source: cal §3.5 / §6.7 (20亿/yr from 2017, 41亿 in 2021); 2013 plan §4(3); 2021 plan (12), (14).
#include "model/levers/lever.hpp"

namespace regsim::model::levers {

namespace {

constexpr LeverParam params[] = {
    {"yi_per_year", "1e8 CNY/year", 0.0, 1e4, 0.0, "spent in each selected city per year"},
    {"total_yi_per_year", "1e8 CNY/year", 0.0, 1e5, 0.0,
     "spent in the selected cities together, split by their 2013 degraded land"},
};

void compile(const LeverContext& ctx, LeverOutput& out) {
  const double per_city = ctx.args[slot(params, "yi_per_year")];
  const double total = ctx.args[slot(params, "total_yi_per_year")];
  double land = 0.0;
  for (const std::uint32_t c : ctx.cities) {
    land += static_cast<double>(ctx.region.initial.degraded_land_ha[c]);
  }
  for (const std::uint32_t c : ctx.cities) {
    const double share =
        land > 0.0 ? static_cast<double>(ctx.region.initial.degraded_land_ha[c]) / land : 0.0;
    const double yi = per_city + total * share;
    if (yi <= 0.0) continue;
    for (const double t : yearly_months(ctx)) {
      add_action(out, t, c,
                 [yi](CityModel& m, Scheduler&, std::uint32_t city) { m.remediate(city, yi); });
    }
  }
}

}  // namespace

REGSIM_LEVER(remediation){
    "remediation",
    "Yearly spending on restoring mining-degraded land (subsidence treatment), per city or as a "
    "total split by degraded land; restores `environment.remediation_cost` ha per 10,000 CNY.",
    "cal §3.5 and §6.7 (20亿/yr from 2017; 41亿 in 2021); 2013 plan §4(3); 2021 plan (12), (14)",
    "- name: subsidence-treatment\n"
    "  lever: remediation\n"
    "  where: {resource: [coal]}\n"
    "  when: {from: 2017-01, to: 2020-12}\n"
    "  set: {total_yi_per_year: 20}\n"
    "  source: cal §3.5\n",
    params,
    compile,
    true,
    {},
};

}  // namespace regsim::model::levers
