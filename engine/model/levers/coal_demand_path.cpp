// The carbon-peak coal path: output unrestricted until the peak year, then a
// cap falling linearly each January to `end_share` of capacity in the end
// year. Source: cal §3.7 (peak before 2030, neutrality before 2060; coal
// consumption reduced gradually from the 15th FYP).
#include "model/levers/lever.hpp"

namespace regsim::model::levers {

namespace {

constexpr LeverParam params[] = {
    {"peak_year", "year", 2013.0, 2060.0, 2030.0, "last year of unrestricted output"},
    {"end_year",
     "year",
     2014.0,
     2100.0,
     2060.0,
     "year the cap reaches end_share (after peak_year)",
     {},
     "peak_year"},
    {"end_share", "1", 0.0, 1.0, 0.2, "cap in the end year, share of capacity"},
    {"market_share", "1", 0.0, 1.0, 0.6, "share of laid-off workers entering the labour market"},
    {"retirement_share", "1", 0.0, 1.0, 0.2, "share retiring early (the rest are redeployed)"},
};

void compile(const LeverContext& ctx, LeverOutput& out) {
  const double peak = ctx.args[slot(params, "peak_year")];
  const double end = std::max(ctx.args[slot(params, "end_year")], peak + 1.0);
  const double end_share = ctx.args[slot(params, "end_share")];
  const double market = ctx.args[slot(params, "market_share")];
  const double retire = ctx.args[slot(params, "retirement_share")];
  for (double year = peak + 1.0; year <= end; year += 1.0) {
    const double at = (year - 2013.0) * 12.0;
    if (at < ctx.from_month || at >= static_cast<double>(ctx.months)) continue;
    if (ctx.to_month && at >= *ctx.to_month) break;
    const double cap = 1.0 - (1.0 - end_share) * (year - peak) / (end - peak);
    for (const std::uint32_t c : ctx.cities) {
      add_action(out, at, c, [=](CityModel& m, Scheduler& s, std::uint32_t city) {
        m.set_output_cap(s, city, cap, market, retire);
      });
    }
  }
}

}  // namespace

REGSIM_LEVER(coal_demand_path){
    "coal_demand_path",
    "Carbon-peak phase-down: from January after `peak_year` the selected cities' output is "
    "capped, the cap falling linearly to `end_share` in `end_year` (one cap change a year). "
    "Actions before `when.from` or after `when.to` are dropped.",
    "cal §3.7 (CO2 peak before 2030, neutrality before 2060; coal use reduced gradually in the "
    "15th FYP)",
    "- name: coal-phase-down\n"
    "  lever: coal_demand_path\n"
    "  where: {resource: [coal]}\n"
    "  when: {from: 2021-01}\n"
    "  set: {peak_year: 2030, end_year: 2060, end_share: 0.2}\n"
    "  source: cal §3.7\n",
    params,
    compile,
    false,
    "workers are laid off in proportion to each yearly cut and placed with the given shares; "
    "idled units keep their reserves.",
};

}  // namespace regsim::model::levers
