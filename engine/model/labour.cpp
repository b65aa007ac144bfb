// The labour block: where ex-miners go each month (residents who never
// mined: local_economy.cpp and demography.cpp). Every flow is a
// binomial or multinomial split of an integer pool, so people are neither
// created nor lost. Order within a month: trained job seekers are hired
// first (placement), then untrained ex-miners compete for what vacancies
// remain, then the rest enrol in training, migrate, retire, become
// long-term unemployed or enter social assistance (低保).
#include <algorithm>
#include <cmath>

#include "model/city_model.hpp"

namespace regsim::model {

// Vacancies come in two kinds. Skilled replacement-industry jobs are open
// only to retrained ex-miners (this is what training buys); the rest of the
// replacement vacancies and some vacancies elsewhere in the economy are
// open to untrained ex-miners.
void CityModel::labour_flows(Scheduler& sched, std::uint32_t c, double replacement_vacancies) {
  CityState& s = state_;
  const Parameters& p = params();
  des::RandomStream& rng = labour_rng_[c];
  const double unskilled_share = p[Param::replacement_exminer_vacancy_share];
  auto skilled = static_cast<std::int64_t>(replacement_vacancies * (1.0 - unskilled_share) *
                                           p[Param::retraining_skilled_vacancy_share]);
  auto open =
      static_cast<std::int64_t>(replacement_vacancies * unskilled_share +
                                static_cast<double>(s.pools[Pool::others][c]) *
                                    others_labour_share_[c] * p[Param::labour_other_vacancy_rate]);

  // 1. Placement of trained job seekers (the city's hazards, from its
  //    placement rate: placement_hazards()); those who give up become
  //    long-term unemployed.
  {
    const PlacementHazards& rates = placement_[c];
    const std::int64_t hired = std::min(
        rng.binomial(s.pools[Pool::graduates_seeking][c], rates.placement), skilled + open);
    s.pools[Pool::graduates_seeking][c] -= hired;
    s.pools[Pool::reemployed][c] += hired;
    s.cumulative_reemployed[c] += hired;
    open -=
        std::max<std::int64_t>(0, hired - skilled);  // beyond skilled jobs they take common ones
    const std::int64_t gave_up = rng.binomial(s.pools[Pool::graduates_seeking][c], rates.give_up);
    s.pools[Pool::graduates_seeking][c] -= gave_up;
    s.pools[Pool::unemployed_long][c] += gave_up;
  }

  // 2. Untrained ex-miners find jobs (at the city's factor on the rate),
  //    long-term unemployed at labour.long_term_factor of it, never more
  //    than the vacancies left.
  {
    const double find = std::min(1.0, p[Param::labour_job_finding_rate] * s.job_finding_factor[c]);
    std::int64_t from_short = rng.binomial(s.pools[Pool::unemployed_short][c], find);
    std::int64_t from_long =
        rng.binomial(s.pools[Pool::unemployed_long][c], find * p[Param::labour_long_term_factor]);
    if (from_short + from_long > open) {
      const std::int64_t total = from_short + from_long;
      from_short = from_short * open / total;
      from_long = std::min(from_long, open - from_short);
    }
    s.pools[Pool::unemployed_short][c] -= from_short;
    s.pools[Pool::unemployed_long][c] -= from_long;
    s.pools[Pool::reemployed][c] += from_short + from_long;
    s.cumulative_reemployed[c] += from_short + from_long;
  }

  // 3. The rest of the pools: enrol, migrate, retire, age into long-term,
  //    enter social assistance. Migration responds to excess unemployment
  //    (cal §6.6).
  const double lf = labour_force(c);
  const double excess =
      lf > 0.0 ? std::max(0.0, unemployed(c) / lf - p[Param::labour_natural_unemployment_rate])
               : 0.0;
  const double push = 1.0 + p[Param::migration_unemployment_push] * excess;
  const double migrate = std::min(1.0, p[Param::migration_ex_miner_rate] * push);
  const double retire = rates_.retirement;
  std::int64_t enrol_count = 0, leaving = 0;
  {
    const double probs[4] = {p[Param::labour_training_uptake], migrate, retire,
                             1.0 / p[Param::labour_long_term_months]};
    std::int64_t parts[4] = {};
    const std::int64_t stay = rng.multinomial(s.pools[Pool::unemployed_short][c], probs, parts);
    enrol_count += parts[0];
    leaving += parts[1];
    s.pools[Pool::retired][c] += parts[2];
    s.pools[Pool::unemployed_long][c] += parts[3];
    s.pools[Pool::unemployed_short][c] = stay;
  }
  {
    const double probs[4] = {p[Param::labour_training_uptake] * p[Param::labour_long_term_factor],
                             migrate, retire, rates_.social_assistance};
    std::int64_t parts[4] = {};
    const std::int64_t stay = rng.multinomial(s.pools[Pool::unemployed_long][c], probs, parts);
    enrol_count += parts[0];
    leaving += parts[1];
    s.pools[Pool::retired][c] += parts[2];
    s.pools[Pool::assistance_ex_miners][c] += parts[3];
    s.pools[Pool::unemployed_long][c] = stay;
  }

  // 4. Retraining (retraining.cpp).
  enrol(sched, c, enrol_count);

  // 5. Ex-miners who leave: some to a growing city of the same province
  //    (a message, one month later), the rest out of the region.
  if (leaving > 0) {
    s.migrated_out[c] += leaving;
    const auto& targets = migration_targets_[c];
    if (!targets.empty()) {
      const std::int64_t within = rng.binomial(leaving, p[Param::migration_within_province_share]);
      if (within > 0) {
        const std::uint32_t to = targets[rng.below(targets.size())];
        sched.send(to, std::floor(sched.now()) + 1.0,
                   CityEvent{CityEvent::Kind::arrival, 0, within}, priority::arrival);
      }
    }
  }
}

void CityModel::arrive(std::uint32_t c, ArrivalPool pool, std::int64_t persons) {
  state_.migrated_in[c] += persons;
  if (pool == ArrivalPool::ex_miners) {
    state_.pools[Pool::unemployed_short][c] += persons;
    state_.ex_miner_arrivals[c] += persons;
  } else {
    state_.pools[Pool::others][c] += persons;
  }
}

std::int64_t CityModel::take_unemployed(std::uint32_t c, std::int64_t persons) {
  CityState& s = state_;
  const std::int64_t from_short = std::min(persons, s.pools[Pool::unemployed_short][c]);
  s.pools[Pool::unemployed_short][c] -= from_short;
  const std::int64_t from_long = std::min(persons - from_short, s.pools[Pool::unemployed_long][c]);
  s.pools[Pool::unemployed_long][c] -= from_long;
  return from_short + from_long;
}

std::int64_t CityModel::give_public_jobs(std::uint32_t c, double share) {
  CityState& s = state_;
  const auto want = static_cast<std::int64_t>(
      std::floor(static_cast<double>(s.pools[Pool::unemployed_short].at(c) +
                                     s.pools[Pool::unemployed_long][c]) *
                 share));
  const std::int64_t moved = take_unemployed(c, want);
  s.pools[Pool::public_jobs][c] += moved;
  return moved;
}

std::int64_t CityModel::end_public_jobs(std::uint32_t c, std::int64_t persons) {
  CityState& s = state_;
  const std::int64_t back = std::clamp<std::int64_t>(persons, 0, s.pools[Pool::public_jobs].at(c));
  s.pools[Pool::public_jobs][c] -= back;
  s.pools[Pool::unemployed_short][c] += back;
  return back;
}

}  // namespace regsim::model
