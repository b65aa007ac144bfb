// Wage subsidies for employers hiring ex-miners: for the window, the city's
// job-finding rate of untrained ex-miners is multiplied by a factor, through
// CityModel::set_job_finding_factor; hires stay capped by the vacancies.
// Several subsidies on a city multiply. Source: 2013 plan §6(1)
// (employment subsidies); 2021 plan (21).
#include "model/levers/lever.hpp"

namespace regsim::model::levers {

namespace {

constexpr LeverParam params[] = {
    {"job_finding_factor", "1", 1.0, 20.0, std::nullopt,
     "multiplies the monthly job-finding probability of untrained ex-miners"},
};

void compile(const LeverContext& ctx, LeverOutput& out) {
  const double factor = ctx.args[slot(params, "job_finding_factor")];
  apply_then_revert(
      ctx, out,
      [factor](CityModel& m, Scheduler&, std::uint32_t city) {
        m.multiply_job_finding(city, factor);
      },
      [factor](CityModel& m, Scheduler&, std::uint32_t city) {
        m.divide_job_finding(city, factor);
      });
}

}  // namespace

REGSIM_LEVER(wage_subsidy){
    "wage_subsidy",
    "Hiring subsidies: for the window, multiplies the monthly job-finding probability of the "
    "unemployed ex-miners (long-term at half that probability); hires stay capped by the "
    "vacancies.",
    "2013 plan §6(1) (employment support for laid-off workers); 2021 plan (21)",
    "- name: hiring-subsidy\n"
    "  lever: wage_subsidy\n"
    "  where: {exhausted: yes}\n"
    "  when: {from: 2016-01, to: 2018-12}\n"
    "  set: {job_finding_factor: 1.5}\n"
    "  source: 2021 plan (21)\n",
    params,
    compile,
    true,
    "the probability is capped at 1 per month; factors of several subsidies on a city multiply. "
    "Triggered, the factor stays on once fired.",
};

}  // namespace regsim::model::levers
