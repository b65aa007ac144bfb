// A better training programme: for the window, the city's retraining
// completion rate and placement rate (share of graduates placed within a
// year) are raised, through CityModel::set_training_quality; the monthly
// placement hazard still competes for the vacancies. Several programmes on a
// city add up; at the window's end each takes its boost back.
// Source: 2013 plan §6(1); cal §6.4 (placement 0.45-0.75).
#include "model/levers/lever.hpp"

namespace regsim::model::levers {

namespace {

constexpr LeverParam params[] = {
    {"placement_boost", "1", 0.0, 1.0, std::nullopt,
     "added to the share of graduates placed within a year (capped at 1)"},
    {"completion_boost", "1", 0.0, 1.0, 0.0,
     "added to the share of a cohort that completes the course (capped at 1)"},
    {"course_months", "months", 0.0, 36.0, 0.0,
     "course length from the start; 0 keeps the current length"},
};

void compile(const LeverContext& ctx, LeverOutput& out) {
  const double placement = ctx.args[slot(params, "placement_boost")];
  const double completion = ctx.args[slot(params, "completion_boost")];
  const double course = ctx.args[slot(params, "course_months")];
  apply_then_revert(
      ctx, out,
      [=](CityModel& m, Scheduler&, std::uint32_t city) {
        const CityState& s = m.state();
        if (course > 0.0) m.set_course_months(city, course);
        m.set_training_quality(city, s.completion_rate[city] + completion,
                               s.placement_rate[city] + placement);
      },
      [=](CityModel& m, Scheduler&, std::uint32_t city) {
        const CityState& s = m.state();
        m.set_training_quality(city, s.completion_rate[city] - completion,
                               s.placement_rate[city] - placement);
      });
}

}  // namespace

REGSIM_LEVER(training_program){
    "training_program",
    "Better retraining: for the window, raises the cities' course completion rate and the share "
    "of graduates placed within a year; optionally sets the course length.",
    "2013 plan §6(1); cal §6.4 (placement within a year 0.45-0.75)",
    "- name: better-courses\n"
    "  lever: training_program\n"
    "  where: {exhausted: yes}\n"
    "  when: {from: 2016-01, to: 2020-12}\n"
    "  set: {placement_boost: 0.15, completion_boost: 0.05, course_months: 6}\n"
    "  source: 2013 plan §6(1)\n",
    params,
    compile,
    true,
    "placement still needs vacancies (skilled, then common ones); boosts of several programmes "
    "on a city add up, and the rates are capped at 1 where used. The course length is not "
    "reverted at the window's end. Triggered, the boost stays on once fired.",
};

}  // namespace regsim::model::levers
