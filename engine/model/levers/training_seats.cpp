// Retraining seats for unemployed ex-miners: added at the window's start,
// removed at its end. Source: 2013 plan §6(1) (retraining bases); 2021 plan (21).
#include <cmath>
#include <utility>

#include "model/levers/lever.hpp"

namespace regsim::model::levers {

namespace {

constexpr LeverParam params[] = {
    {"seats_per_1000_unemployed", "seats per 1000 persons", 0.0, 1000.0, 0.0,
     "seats added per 1000 unemployed ex-miners (incl. queue and trained seekers) at the start"},
    {"seats", "seats", 0.0, 1e7, 0.0, "seats added per city (absolute)"},
    {"course_months", "months", 0.0, 36.0, 0.0,
     "course length from the start; 0 keeps the current length"},
};

void compile(const LeverContext& ctx, LeverOutput& out) {
  const double per_1000 = ctx.args[slot(params, "seats_per_1000_unemployed")];
  const double absolute = ctx.args[slot(params, "seats")];
  const double course = ctx.args[slot(params, "course_months")];
  const std::uint32_t added = new_ledger_slot(ctx, out);  // seats added at the start
  apply_then_revert(
      ctx, out,
      [=](CityModel& m, Scheduler&, std::uint32_t city) {
        const CityState& s = m.state();
        const auto unemployed = static_cast<double>(unemployed_ex_miners(s, city) +
                                                    s.pools[Pool::training_queue][city] +
                                                    s.pools[Pool::graduates_seeking][city]);
        const auto n =
            static_cast<std::int64_t>(std::llround(per_1000 * unemployed / 1000.0 + absolute));
        m.add_training_seats(city, n);
        m.ledger(added, city).count = n;
        if (course > 0.0) m.set_course_months(city, course);
      },
      [=](CityModel& m, Scheduler&, std::uint32_t city) {
        m.add_training_seats(city, -std::exchange(m.ledger(added, city).count, 0));
      });
}

}  // namespace

REGSIM_LEVER(training_seats){
    "training_seats",
    "Retraining seats for unemployed ex-miners in the selected cities, added at `when.from` "
    "and removed at `when.to`; optionally sets the course length.",
    "2013 plan §6(1) (retraining bases for laid-off miners); 2021 plan (21) (public training "
    "bases)",
    "- name: retraining-bases\n"
    "  lever: training_seats\n"
    "  where: {category: [declining]}\n"
    "  when: {from: 2014-01, to: 2020-12}\n"
    "  set: {seats_per_1000_unemployed: 80, course_months: 6}\n"
    "  source: 2013 plan §6(1)\n",
    params,
    compile,
    true,
    {},
};

}  // namespace regsim::model::levers
