// Retraining: a queue for seats (an M/M/c-like intake), one cohort a month,
// graduating after the course length (2013 plan §6(1)); graduates who pass
// look for skilled jobs (labour.cpp), the others return to unemployment.
#include <algorithm>
#include <cmath>

#include "model/city_model.hpp"

namespace regsim::model {

void CityModel::enrol(Scheduler& sched, std::uint32_t c, std::int64_t enrolling) {
  CityState& s = state_;
  s.pools[Pool::training_queue][c] += enrolling;
  const std::int64_t free_seats =
      std::max<std::int64_t>(0, s.seats[c] - s.pools[Pool::trainees][c]);
  const std::int64_t intake = std::min(s.pools[Pool::training_queue][c], free_seats);
  if (intake > 0) {
    s.pools[Pool::training_queue][c] -= intake;
    s.pools[Pool::trainees][c] += intake;
    const double course = std::max(1.0, std::round(s.course_months[c]));
    sched.schedule(sched.now() + course, CityEvent{CityEvent::Kind::graduation, 0, intake},
                   priority::graduation);
  }
}

void CityModel::graduate(std::uint32_t c, std::int64_t cohort) {
  CityState& s = state_;
  const std::int64_t passed =
      labour_rng_[c].binomial(cohort, std::clamp(s.completion_rate[c], 0.0, 1.0));
  s.pools[Pool::trainees][c] -= cohort;
  s.pools[Pool::graduates_seeking][c] += passed;
  s.pools[Pool::unemployed_short][c] += cohort - passed;
}

void CityModel::add_training_seats(std::uint32_t c, std::int64_t delta) {
  state_.seats.at(c) = std::max<std::int64_t>(0, state_.seats[c] + delta);
}

void CityModel::set_course_months(std::uint32_t c, double course_months) {
  state_.course_months.at(c) = course_months;
}

}  // namespace regsim::model
