// The labour block: where ex-miners go each month. Every flow is a
// binomial or multinomial split of an integer pool, so people are neither
// created nor lost. Order within a month: trained job seekers are hired
// first (placement), then untrained ex-miners compete for what vacancies
// remain, then the rest enrol in training, migrate, retire, become
// long-term unemployed or enter social assistance (低保).
#include <algorithm>
#include <cmath>

#include "model/city_model.hpp"

namespace regsim::model {

// Logistic growth toward the ceiling; returns the month's replacement-
// industry vacancies (new jobs plus turnover), persons.
double CityModel::grow_replacement(std::uint32_t c) {
  CityState& s = state_;
  const double r = s.replacement_va[c];
  const double k = s.replacement_ceiling[c];
  const double g = params()[Param::replacement_growth] / 12.0;
  const double next = k > 0.0 ? r + g * r * (1.0 - r / k) : r;
  s.replacement_va[c] = std::max(next, 0.0);
  const double jobs_per_yi = params()[Param::jobs_per_yi];
  const double new_jobs = std::max(0.0, (next - r) * jobs_per_yi);
  const double turnover = params()[Param::turnover] * next * jobs_per_yi;
  return new_jobs + turnover;
}

// Vacancies come in two kinds. Skilled replacement-industry jobs are open
// only to retrained ex-miners (this is what training buys); the rest of the
// replacement vacancies and some vacancies elsewhere in the economy are
// open to untrained ex-miners.
void CityModel::labour_flows(Scheduler& sched, std::uint32_t c, double replacement_vacancies) {
  CityState& s = state_;
  const Parameters& p = params();
  des::RandomStream& rng = labour_rng_[c];
  const double unskilled_share = p[Param::exminer_vacancy_share];
  auto skilled = static_cast<std::int64_t>(replacement_vacancies * (1.0 - unskilled_share) *
                                           p[Param::skilled_vacancy_share]);
  auto open = static_cast<std::int64_t>(replacement_vacancies * unskilled_share +
                                        static_cast<double>(s.others[c]) * others_labour_share_[c] *
                                            p[Param::other_vacancy_rate]);

  // 1. Placement of trained job seekers (the city's hazards, from its
  //    placement rate: placement_hazards()); those who give up become
  //    long-term unemployed.
  {
    const PlacementHazards& rates = placement_[c];
    const std::int64_t hired =
        std::min(rng.binomial(s.graduates_seeking[c], rates.placement), skilled + open);
    s.graduates_seeking[c] -= hired;
    s.reemployed[c] += hired;
    s.cumulative_reemployed[c] += hired;
    open -=
        std::max<std::int64_t>(0, hired - skilled);  // beyond skilled jobs they take common ones
    const std::int64_t gave_up = rng.binomial(s.graduates_seeking[c], rates.give_up);
    s.graduates_seeking[c] -= gave_up;
    s.unemployed_long[c] += gave_up;
  }

  // 2. Untrained ex-miners find jobs (at the city's factor on the rate),
  //    long-term unemployed at half the rate, never more than the vacancies
  //    left.
  {
    const double find = std::min(1.0, p[Param::job_finding_rate] * s.job_finding_factor[c]);
    std::int64_t from_short = rng.binomial(s.unemployed_short[c], find);
    std::int64_t from_long = rng.binomial(s.unemployed_long[c], find / 2.0);
    if (from_short + from_long > open) {
      const std::int64_t total = from_short + from_long;
      from_short = from_short * open / total;
      from_long = std::min(from_long, open - from_short);
    }
    s.unemployed_short[c] -= from_short;
    s.unemployed_long[c] -= from_long;
    s.reemployed[c] += from_short + from_long;
    s.cumulative_reemployed[c] += from_short + from_long;
  }

  // 3. The rest of the pools: enrol, migrate, retire, age into long-term,
  //    enter social assistance. Migration responds to excess unemployment
  //    (cal §6.6).
  const double lf = labour_force(c);
  const double excess =
      lf > 0.0 ? std::max(0.0, unemployed(c) / lf - p[Param::other_unemployment_rate]) : 0.0;
  const double push = 1.0 + p[Param::migration_unemployment_response] * excess * 100.0;
  const double migrate = std::min(1.0, p[Param::exminer_migration] * push);
  const double retire = rates_.retirement;
  std::int64_t enrol = 0, leaving = 0;
  {
    const double probs[4] = {p[Param::training_uptake], migrate, retire,
                             1.0 / p[Param::long_term_months]};
    std::int64_t parts[4] = {};
    const std::int64_t stay = rng.multinomial(s.unemployed_short[c], probs, parts);
    enrol += parts[0];
    leaving += parts[1];
    s.retired[c] += parts[2];
    s.unemployed_long[c] += parts[3];
    s.unemployed_short[c] = stay;
  }
  {
    const double probs[4] = {p[Param::training_uptake] / 2.0, migrate, retire,
                             rates_.social_assistance};
    std::int64_t parts[4] = {};
    const std::int64_t stay = rng.multinomial(s.unemployed_long[c], probs, parts);
    enrol += parts[0];
    leaving += parts[1];
    s.retired[c] += parts[2];
    s.assistance_ex_miners[c] += parts[3];
    s.unemployed_long[c] = stay;
  }

  // 4. Retraining is a queue: intake up to the free seats, one cohort a
  //    month, graduating after the course length (2013 plan §6(1)).
  s.training_queue[c] += enrol;
  const std::int64_t free_seats = std::max<std::int64_t>(0, s.seats[c] - s.trainees[c]);
  const std::int64_t intake = std::min(s.training_queue[c], free_seats);
  if (intake > 0) {
    s.training_queue[c] -= intake;
    s.trainees[c] += intake;
    const double course = std::max(1.0, std::round(s.course_months[c]));
    sched.schedule(sched.now() + course, CityEvent{CityEvent::Kind::graduation, 0, intake},
                   priority::graduation);
  }

  // 5. Ex-miners who leave: some to a growing city of the same province
  //    (a message, one month later), the rest out of the region.
  if (leaving > 0) {
    s.migrated_out[c] += leaving;
    const auto& targets = migration_targets_[c];
    if (!targets.empty()) {
      const std::int64_t within = rng.binomial(leaving, p[Param::within_province_share]);
      if (within > 0) {
        const std::uint32_t to = targets[rng.below(targets.size())];
        sched.send(to, std::floor(sched.now()) + 1.0,
                   CityEvent{CityEvent::Kind::arrival, 0, within}, priority::arrival);
      }
    }
  }

  // 6. Everyone else: baseline out-migration, higher in declining cities.
  double rate = p[Param::out_migration] * push;
  if (s.city_class[c] == Category::declining ||
      catalogue_.cities[c].primary_resource == Resource::forest) {
    rate *= p[Param::declining_migration_factor];
  }
  const std::int64_t out = rng.binomial(s.others[c], monthly(rate));
  s.others[c] -= out;
  s.migrated_out[c] += out;
}

void CityModel::graduate(std::uint32_t c, std::int64_t cohort) {
  CityState& s = state_;
  const std::int64_t passed =
      labour_rng_[c].binomial(cohort, std::clamp(s.completion_rate[c], 0.0, 1.0));
  s.trainees[c] -= cohort;
  s.graduates_seeking[c] += passed;
  s.unemployed_short[c] += cohort - passed;
}

void CityModel::start_park(Scheduler& s, double ceiling_yi, double delay_months) {
  // The ceiling travels in the event as thousandths of 亿元 (integer payload).
  const auto amount = static_cast<std::int64_t>(std::llround(ceiling_yi * 1000.0));
  s.schedule(s.now() + std::max(0.0, delay_months),
             CityEvent{CityEvent::Kind::park_opening, 0, amount}, priority::action);
}

void CityModel::open_park(des::Time now, std::uint32_t c, double ceiling_yi) {
  state_.replacement_ceiling[c] += ceiling_yi;
  log(now, c, LogKind::park_opening, ceiling_yi);
}

void CityModel::invest(std::uint32_t c, double yi) {
  state_.replacement_ceiling[c] += yi * params()[Param::ceiling_per_investment];
  state_.spending[c] += yi;
}

void CityModel::remediate(std::uint32_t c, double yi) {
  CityState& s = state_;
  const double ha = yi * 1e4 / params()[Param::remediation_cost];  // 1 亿元 = 1e4 x 1e4 CNY
  s.restored_land[c] = std::min(s.degraded_land[c], s.restored_land[c] + ha);
  s.spending[c] += yi;
}

void CityModel::arrive(std::uint32_t c, std::int64_t persons) {
  state_.migrated_in[c] += persons;
  state_.unemployed_short[c] += persons;
}

}  // namespace regsim::model
