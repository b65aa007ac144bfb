// `regsim sensitivity OUT.h5`: Sobol indices (S1, ST with 90 % bootstrap
// intervals) or Morris effects (mu*, mu, sigma) of a Sobol or Morris run,
// for every goal and chosen indicators, printed as tables sorted by ST or
// mu* and written into the file under /sensitivity (analysis/sensitivity.hpp).
#include "analysis/sensitivity.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <iostream>
#include <memory>
#include <numeric>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.hpp"

namespace regsim::cli {

namespace {

std::string number(double v) { return std::isnan(v) ? "n/a" : fmt::format("{:.3f}", v); }

std::string with_interval(const analysis::Estimate& e) {
  if (std::isnan(e.value)) return "n/a";
  return fmt::format("{:6.3f} [{:6.3f}, {:6.3f}]", e.value, e.low, e.high);
}

// Factor positions, largest `key` first (NaN last), ties in declaration order.
std::vector<std::size_t> ranking(std::size_t k, const std::function<double(std::size_t)>& key) {
  std::vector<std::size_t> order(k);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const double x = key(a), y = key(b);
    return !std::isnan(x) && (std::isnan(y) || x > y);
  });
  return order;
}

void print_output(const analysis::Sensitivity& s, const analysis::AnalysedOutput& o) {
  const std::size_t width =
      std::max<std::size_t>(6, std::ranges::max(s.factors, {}, &std::string::size).size());
  std::cout << fmt::format("\n{} ({})\n", o.name, o.units);
  if (s.method == "sobol") {
    if (std::isnan(o.sobol.total_order.front().value)) {
      std::cout << "  no variance over the replicates (or a value that is not finite): "
                   "indices undefined\n";
      return;
    }
    std::cout << fmt::format("  {:<{}}  {:<26}  {}\n", "factor", width, "S1 [90 % interval]",
                             "ST [90 % interval]");
    for (const std::size_t i :
         ranking(s.factors.size(), [&](std::size_t i) { return o.sobol.total_order[i].value; })) {
      std::cout << fmt::format("  {:<{}}  {:<26}  {}\n", s.factors[i], width,
                               with_interval(o.sobol.first_order[i]),
                               with_interval(o.sobol.total_order[i]));
    }
    return;
  }
  std::cout << fmt::format("  {:<{}}  {:>10}  {:>10}  {:>10}\n", "factor", width, "mu*", "mu",
                           "sigma");
  for (const std::size_t i :
       ranking(s.factors.size(), [&](std::size_t i) { return o.morris[i].mu_star; })) {
    std::cout << fmt::format("  {:<{}}  {:>10}  {:>10}  {:>10}\n", s.factors[i], width,
                             number(o.morris[i].mu_star), number(o.morris[i].mu),
                             number(o.morris[i].sigma));
  }
}

void print_over_time(const analysis::Sensitivity& s, const analysis::OverTime& t) {
  const bool sobol = s.method == "sobol";
  std::cout << fmt::format("\n{} of {}, {}, by year\n", sobol ? "ST" : "mu*", t.indicator, t.group);
  std::cout << fmt::format("  {:<6}", "year");
  for (const auto& f : s.factors) std::cout << fmt::format("  {:>10.10}", f);
  std::cout << "\n";
  for (std::size_t y = 0; y < t.years.size(); ++y) {
    std::cout << fmt::format("  {:<6}", t.years[y]);
    for (std::size_t i = 0; i < s.factors.size(); ++i) {
      const auto& step = t.steps[y];
      std::cout << fmt::format(
          "  {:>10}", number(sobol ? step.sobol.total_order[i].value : step.morris[i].mu_star));
    }
    std::cout << "\n";
  }
}

void sensitivity(const std::string& file, const analysis::SensitivityRequest& request) {
  const analysis::Sensitivity s = analysis::analyse(file, request);
  std::cout << fmt::format("{}: {} design, {} {} over {} factors\n", file, s.method, s.blocks,
                           s.method == "sobol" ? "base samples" : "trajectories", s.factors.size());
  if (s.method == "sobol") {
    std::cout << fmt::format(
        "S1: first order (the factor alone), ST: total order (with its interactions); "
        "intervals: {} bootstrap resamples, seed {}\n",
        s.bootstrap.resamples, s.bootstrap.seed);
  }
  for (const auto& o : s.outputs) print_output(s, o);
  if (s.over_time) print_over_time(s, *s.over_time);
  analysis::write_sensitivity(file, s);
  std::cout << fmt::format("\nwritten to {} under /sensitivity\n", file);
}

}  // namespace

void register_sensitivity(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "sensitivity",
      "Sobol indices or Morris effects of a sobol or morris run, written under /sensitivity");
  struct Options {
    std::string file;
    analysis::SensitivityRequest request;
  };
  auto o = std::make_shared<Options>();
  auto& r = o->request;
  cmd->add_option("file", o->file, "output of `regsim run` with sampling: sobol or morris")
      ->required();
  cmd->add_option("--indicator", r.indicators,
                  "an indicator of /aggregates to analyse beside the goals (repeatable)");
  cmd->add_option("--at", r.dates,
                  "YYYY-MM: when to take the indicators (repeatable; default: the last month)");
  cmd->add_option("--group", r.groups,
                  "a group of /group, e.g. category:declining (repeatable; default: nation)");
  auto* over_time =
      cmd->add_option("--over-time", r.over_time,
                      "an indicator whose indices are computed for every year (S_T by year)");
  cmd->add_option("--over-time-group", r.over_time_group,
                  "the group for --over-time (default: nation)")
      ->needs(over_time);
  cmd->add_option("--resamples", r.bootstrap.resamples,
                  "bootstrap resamples for the 90 % intervals (default 1000)")
      ->check(CLI::Range(10ull, 100000ull));
  cmd->callback([o] { sensitivity(o->file, o->request); });
}

}  // namespace regsim::cli
