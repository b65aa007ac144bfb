// Industrial parks: each adds a value-added ceiling after its construction
// delay (CityModel::start_park). Source: 2013 plan §5 (parks and clusters);
// 2021 plan (12) (successor-industry parks).
#include "model/levers/lever.hpp"

namespace regsim::model::levers {

namespace {

constexpr LeverParam params[] = {
    {"count", "parks", 1.0, 100.0, 1.0, "parks started in each selected city"},
    {"ceiling_yi", "1e8 CNY/year", 0.0, 1000.0, 0.0,
     "value-added ceiling one park adds; 0 = replacement.park_ceiling"},
    {"construction_months", "months", -1.0, 120.0, -1.0,
     "delay from decision to opening; -1 = replacement.park_construction_months"},
};

void compile(const LeverContext& ctx, LeverOutput& out) {
  const auto count = static_cast<int>(ctx.args[slot(params, "count")]);
  const double ceiling = ctx.args[slot(params, "ceiling_yi")];
  const double months = ctx.args[slot(params, "construction_months")];
  for (const std::uint32_t c : ctx.cities) {
    add_action(out, ctx.from_month, c, [=](CityModel& m, Scheduler& s, std::uint32_t) {
      const double k = ceiling > 0.0 ? ceiling : m.params()[Param::replacement_park_ceiling];
      const double d =
          months >= 0.0 ? months : m.params()[Param::replacement_park_construction_months];
      for (int i = 0; i < count; ++i) m.start_park(s, k, d);
    });
  }
}

}  // namespace

REGSIM_LEVER(industrial_park){
    "industrial_park",
    "Starts industrial parks at `when.from`; each raises the replacement value-added ceiling "
    "when it opens, after its construction delay.",
    "2013 plan §5 (industrial parks and clusters); 2021 plan (12) (successor-industry parks)",
    "- name: transformation-parks\n"
    "  lever: industrial_park\n"
    "  where: {exhausted: yes}\n"
    "  when: {from: 2015-01}\n"
    "  set: {count: 1, ceiling_yi: 15, construction_months: 24}\n"
    "  source: 2013 plan §5\n",
    params,
    compile,
    true,
    {},
};

}  // namespace regsim::model::levers
