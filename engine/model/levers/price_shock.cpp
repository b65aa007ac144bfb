// A price shock: from `when.from` to `when.to` one resource's price index
// is multiplied by `multiplier` (ramping in linearly), through
// ModelConfig::price_factors, so the stochastic price process and its
// volatility go on underneath; after the window the factor is 1 again.
// Several shocks on a resource multiply.
// Source: cal §6.8 (-53 % 2012-2015; the 2021 spike).
#include <algorithm>
#include <cmath>

#include "model/levers/lever.hpp"

namespace regsim::model::levers {

namespace {

constexpr std::string_view resource_names[] = {
    "coal", "oil_gas", "ferrous", "nonferrous", "precious_metal", "nonmetal", "mixed", "forest"};

constexpr LeverParam params[] = {
    {"resource", "", 0.0, 7.0, 0.0, "the resource whose price is shocked", resource_names},
    {"multiplier", "1", 0.05, 10.0, std::nullopt,
     "factor on the price index during the shock (1 = no change)"},
    {"ramp_months", "months", 0.0, 60.0, 0.0, "months to move linearly from 1 to the multiplier"},
};

void compile(const LeverContext& ctx, LeverOutput& out) {
  const auto r = static_cast<std::size_t>(ctx.args[slot(params, "resource")]);
  const double multiplier = ctx.args[slot(params, "multiplier")];
  const double ramp = ctx.args[slot(params, "ramp_months")];
  const double end = ctx.to_month ? *ctx.to_month : static_cast<double>(ctx.months) + 1.0;
  const auto length =
      static_cast<std::size_t>(std::max(0.0, std::min(end, static_cast<double>(ctx.months) + 1.0)));
  std::vector<double>& factors = out.price_factors[r];
  factors.assign(length, 1.0);
  for (std::size_t t = 0; t < length; ++t) {
    const double since = static_cast<double>(t) - ctx.from_month;
    if (since < 0.0) continue;
    const double w = ramp > 0.0 ? std::min(1.0, (since + 1.0) / ramp) : 1.0;
    factors[t] = 1.0 + (multiplier - 1.0) * w;
  }
}

}  // namespace

REGSIM_LEVER(price_shock){
    "price_shock",
    "Multiplies one resource's price index by `multiplier` from `when.from` to `when.to` "
    "(ramping in over `ramp_months`); the mean-reverting price process goes on underneath, so "
    "the shocked price keeps its volatility, and after the window the factor is 1 again. "
    "`where:` is not used (prices are national).",
    "cal §6.8 (coal price -53 % from 2012 to 2015; spike in 2021)",
    "- name: coal-price-slump\n"
    "  lever: price_shock\n"
    "  when: {from: 2014-01, to: 2016-06}\n"
    "  set: {resource: coal, multiplier: 0.55, ramp_months: 12}\n"
    "  source: cal §6.8\n",
    params,
    compile,
    false,
    "several shocks on a resource multiply; the factor does not feed back into the price "
    "process, so at the window's end the price is back on its unshocked path.",
};

}  // namespace regsim::model::levers
