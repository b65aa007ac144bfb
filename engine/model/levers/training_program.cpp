// A better training programme: graduates are placed faster. Approximation:
// the model's placement hazard is one global parameter, so each month of the
// window an extra share of the trained job seekers is moved into jobs.
// Source: 2013 plan §6(1); cal §6.4 (placement 0.45-0.75).
#include <cmath>

#include "model/levers/lever.hpp"

namespace regsim::model::levers {

namespace {

constexpr LeverParam params[] = {
    {"placement_boost", "1/month", 0.0, 1.0, std::nullopt,
     "extra monthly probability that a trained job seeker is placed"},
    {"course_months", "months", 0.0, 36.0, 0.0,
     "course length from the start; 0 keeps the current length"},
};

void compile(const LeverContext& ctx, LeverOutput& out) {
  const double boost = ctx.args.number("placement_boost");
  const double course = ctx.args.number("course_months");
  const double end = ctx.triggered
                         ? ctx.from_month + 1.0
                         : (ctx.to_month ? *ctx.to_month : static_cast<double>(ctx.months));
  for (const std::uint32_t c : ctx.cities) {
    for (double t = ctx.from_month; t < end; t += 1.0) {
      const bool first = t == ctx.from_month;
      add_action(out, t, c, [=](CityModel& m, Scheduler&, std::uint32_t city) {
        CityState& s = m.state();
        if (first && course > 0.0) s.course_months[city] = course;
        const auto placed = static_cast<std::int64_t>(
            std::floor(static_cast<double>(s.graduates_seeking[city]) * boost));
        s.graduates_seeking[city] -= placed;
        s.reemployed[city] += placed;
        s.cumulative_reemployed[city] += placed;
      });
    }
  }
}

}  // namespace

REGSIM_LEVER(training_program){
    "training_program",
    "Better retraining: each month of the window an extra share of the trained job seekers is "
    "placed in jobs; optionally sets the course length.",
    "2013 plan §6(1); cal §6.4 (placement within a year 0.45-0.75)",
    "- name: better-courses\n"
    "  lever: training_program\n"
    "  where: {exhausted: yes}\n"
    "  when: {from: 2016-01, to: 2020-12}\n"
    "  set: {placement_boost: 0.02, course_months: 6}\n"
    "  source: 2013 plan §6(1)\n",
    params,
    compile,
    true,
    "approximation: placement beyond the model's hazard ignores vacancies; a completion-rate "
    "boost needs a per-city hook in CityModel and is not offered.",
};

}  // namespace regsim::model::levers
