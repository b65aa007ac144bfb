// A price shock: the price index of one resource is set to `multiplier`
// (of the start level) for the window, then follows the stochastic process
// again from there. Uses ModelConfig::price_paths, which fix the price
// until the path ends: before the shock the price is held at 1.
// Source: cal §6.8 (-53 % 2012-2015; the 2021 spike).
#include <cmath>

#include "model/levers/lever.hpp"

namespace regsim::model::levers {

namespace {

constexpr std::string_view resource_names[] = {
    "coal", "oil_gas", "ferrous", "nonferrous", "precious_metal", "nonmetal", "mixed", "forest"};

constexpr LeverParam params[] = {
    {"resource", "", 0.0, 7.0, 0.0, "the resource whose price is shocked", resource_names},
    {"multiplier", "1", 0.05, 10.0, std::nullopt, "price index during the shock (1 = 2013 level)"},
    {"ramp_months", "months", 0.0, 60.0, 0.0, "months to move linearly from 1 to the multiplier"},
};

void compile(const LeverContext& ctx, LeverOutput& out) {
  const auto r = static_cast<std::size_t>(ctx.args.number("resource"));
  const double multiplier = ctx.args.number("multiplier");
  const double ramp = ctx.args.number("ramp_months");
  const double end = ctx.to_month ? *ctx.to_month : static_cast<double>(ctx.months);
  const auto length =
      static_cast<std::size_t>(std::max(0.0, std::min(end, double(ctx.months)))) + 1;
  std::vector<double>& path = out.price_paths[r];
  path.assign(length, 1.0);
  for (std::size_t t = 0; t < length; ++t) {
    const double since = static_cast<double>(t) - ctx.from_month;
    if (since < 0.0) continue;
    const double w = ramp > 0.0 ? std::min(1.0, (since + 1.0) / ramp) : 1.0;
    path[t] = 1.0 + (multiplier - 1.0) * w;
  }
}

}  // namespace

REGSIM_LEVER(price_shock){
    "price_shock",
    "Holds one resource's price index at `multiplier` from `when.from` to `when.to` (ramping "
    "over `ramp_months`); afterwards the price follows its mean-reverting process from there. "
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
    "approximation: ModelConfig::price_paths fix the price from month 0 to the end of the "
    "window, so the price is held at 1 before the shock (no volatility) and the last shock "
    "on a resource wins; a multiplicative price hook would keep the stochastic path.",
};

}  // namespace regsim::model::levers
