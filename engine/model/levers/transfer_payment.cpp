// Central transfers to (resource-exhausted) cities, 亿元 per year, paid
// yearly; shares may fund remediation, replacement-industry investment and
// training seats. Source: cal §3.4 / §6.7 (168亿 in 2013 to 223亿 in 2020);
// 2013 plan §7; 2021 plan (24).
#include <cmath>
#include <utility>

#include "model/levers/lever.hpp"

namespace regsim::model::levers {

namespace {

constexpr LeverParam params[] = {
    {"yi_per_year", "1e8 CNY/year", 0.0, 1e4, 0.0, "paid to each selected city per year"},
    {"total_yi_per_year", "1e8 CNY/year", 0.0, 1e5, 0.0,
     "paid to the selected cities together, split by 2013 population"},
    {"growth_rate", "1/year", -0.5, 0.5, 0.0, "yearly growth of the payment"},
    {"remediation_share", "1", 0.0, 1.0, 0.0, "share spent on land remediation"},
    {"investment_share", "1", 0.0, 1.0, 0.0, "share invested in replacement industries"},
    {"training_share", "1", 0.0, 1.0, 0.0, "share spent on training seats for the year"},
    {"seat_cost_wan", "1e4 CNY per seat-year", 0.1, 100.0, 1.0, "cost of one training seat"},
};

void compile(const LeverContext& ctx, LeverOutput& out) {
  const auto& a = ctx.args;
  const double per_city = a[slot(params, "yi_per_year")];
  const double total = a[slot(params, "total_yi_per_year")];
  const double growth = a[slot(params, "growth_rate")];
  const double rem = a[slot(params, "remediation_share")];
  const double inv = a[slot(params, "investment_share")];
  const double train = a[slot(params, "training_share")];
  const double seat_cost = a[slot(params, "seat_cost_wan")];
  double population = 0.0;
  for (const std::uint32_t c : ctx.cities) {
    population += static_cast<double>(ctx.region.initial.population[c]);
  }
  // Seats funded for the current year, replaced by the next year's (a slot only if any).
  const std::uint32_t funded = train > 0.0 ? new_ledger_slot(ctx, out) : 0;
  const auto years = yearly_months(ctx);
  for (const std::uint32_t c : ctx.cities) {
    const double share =
        population > 0.0 ? static_cast<double>(ctx.region.initial.population[c]) / population : 0.0;
    for (std::size_t y = 0; y < years.size(); ++y) {
      const double yi = (per_city + total * share) * std::pow(1.0 + growth, static_cast<double>(y));
      add_action(out, years[y], c, [=](CityModel& m, Scheduler&, std::uint32_t city) {
        m.receive_transfer(city, yi);
        if (rem > 0.0) m.remediate(city, yi * rem);
        if (inv > 0.0) m.invest(city, yi * inv);
        if (train > 0.0) {
          const auto seats = static_cast<std::int64_t>(std::floor(yi * train * 1e4 / seat_cost));
          m.add_training_seats(city, seats - std::exchange(m.ledger(funded, city).count, seats));
          m.spend(city, yi * train);
        }
      });
    }
    if (train > 0.0 && !ctx.triggered && ctx.to_month) {
      add_action(out, *ctx.to_month, c, [=](CityModel& m, Scheduler&, std::uint32_t city) {
        m.add_training_seats(city, -std::exchange(m.ledger(funded, city).count, 0));
      });
    }
  }
}

}  // namespace

REGSIM_LEVER(transfer_payment){
    "transfer_payment",
    "Fiscal transfer paid yearly from `when.from` (into `transfers_received`), per city or as a "
    "total split by population; shares of it may fund remediation, investment and training "
    "seats (seats funded for a year at a time, removed at `when.to`).",
    "cal §3.4 and §6.7 (168亿 in 2013, 223亿 in 2020); 2013 plan §7 (fiscal support); 2021 plan "
    "(24)",
    "- name: exhausted-city-transfer\n"
    "  lever: transfer_payment\n"
    "  where: {exhausted: yes}\n"
    "  when: {from: 2013-01, to: 2020-12}\n"
    "  set: {total_yi_per_year: 168, growth_rate: 0.04, remediation_share: 0.2}\n"
    "  source: cal §3.4\n",
    params,
    compile,
    true,
    {},
};

}  // namespace regsim::model::levers
