// Wage subsidies for employers hiring ex-miners. Approximation: the model's
// job-finding hazard is one global parameter, so each month of the window
// an extra share of the unemployed ex-miners (long-term at half the rate)
// is moved into jobs, whatever the vacancies. Source: 2013 plan §6(1)
// (employment subsidies); 2021 plan (21).
#include <cmath>

#include "model/levers/lever.hpp"

namespace regsim::model::levers {

namespace {

constexpr LeverParam params[] = {
    {"extra_job_finding", "1/month", 0.0, 1.0, std::nullopt,
     "extra monthly probability that an unemployed ex-miner finds a job"},
};

void compile(const LeverContext& ctx, LeverOutput& out) {
  const double extra = ctx.args.number("extra_job_finding");
  const double end = ctx.triggered
                         ? ctx.from_month + 1.0
                         : (ctx.to_month ? *ctx.to_month : static_cast<double>(ctx.months));
  for (const std::uint32_t c : ctx.cities) {
    for (double t = ctx.from_month; t < end; t += 1.0) {
      add_action(out, t, c, [extra](CityModel& m, Scheduler&, std::uint32_t city) {
        CityState& s = m.state();
        const auto from_short = static_cast<std::int64_t>(
            std::floor(static_cast<double>(s.unemployed_short[city]) * extra));
        const auto from_long = static_cast<std::int64_t>(
            std::floor(static_cast<double>(s.unemployed_long[city]) * extra / 2.0));
        s.unemployed_short[city] -= from_short;
        s.unemployed_long[city] -= from_long;
        s.reemployed[city] += from_short + from_long;
        s.cumulative_reemployed[city] += from_short + from_long;
      });
    }
  }
}

}  // namespace

REGSIM_LEVER(wage_subsidy){
    "wage_subsidy",
    "Hiring subsidies: each month of the window an extra share of the unemployed ex-miners "
    "(long-term at half that share) finds a job.",
    "2013 plan §6(1) (employment support for laid-off workers); 2021 plan (21)",
    "- name: hiring-subsidy\n"
    "  lever: wage_subsidy\n"
    "  where: {exhausted: yes}\n"
    "  when: {from: 2016-01, to: 2018-12}\n"
    "  set: {extra_job_finding: 0.01}\n"
    "  source: 2021 plan (21)\n",
    params,
    compile,
    true,
    "approximation: the extra hires ignore the vacancy limit; a per-city job-finding multiplier "
    "in CityModel would make it exact.",
};

}  // namespace regsim::model::levers
