// Public-welfare jobs (公益性岗位) for unemployed ex-miners: a share of them
// moves into the public_jobs pool at `when.from` (people move between pools,
// never created), and back to short-term unemployment at `when.to`.
// Source: 2013 plan §6(1) (公益性岗位); 2021 plan (21).
#include <utility>

#include "model/levers/lever.hpp"

namespace regsim::model::levers {

namespace {

constexpr LeverParam params[] = {
    {"share_of_unemployed", "1", 0.0, 1.0, std::nullopt,
     "share of the unemployed ex-miners (not in training) given a public job"},
};

void compile(const LeverContext& ctx, LeverOutput& out) {
  const double share = ctx.args[slot(params, "share_of_unemployed")];
  const std::uint32_t placed = new_ledger_slot(ctx, out);  // persons given a job at the start
  apply_then_revert(
      ctx, out,
      [=](CityModel& m, Scheduler&, std::uint32_t city) {
        m.ledger(placed, city).count = m.give_public_jobs(city, share);
      },
      [=](CityModel& m, Scheduler&, std::uint32_t city) {
        m.end_public_jobs(city, std::exchange(m.ledger(placed, city).count, 0));
      });
}

}  // namespace

REGSIM_LEVER(public_jobs){
    "public_jobs",
    "Moves a share of the unemployed ex-miners into public-welfare jobs at `when.from` (or when "
    "a trigger fires); at `when.to` those still in them return to short-term unemployment.",
    "2013 plan §6(1) (public-welfare jobs for hard-to-place workers); 2021 plan (21) (prevent "
    "large-scale unemployment)",
    "- name: emergency-public-jobs\n"
    "  lever: public_jobs\n"
    "  where: {category: [declining]}\n"
    "  trigger: {indicator: unemployment_rate, above: 0.08, for_months: 6}\n"
    "  set: {share_of_unemployed: 0.2}\n"
    "  source: 2021 plan (21)\n",
    params,
    compile,
    true,
    {},
};

}  // namespace regsim::model::levers
