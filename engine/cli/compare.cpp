// `regsim compare A.h5 B.h5`: B − A for goal attainment and headline
// indicators, with 90 % intervals. Runs with the same seed share their
// random numbers replicate by replicate (common random numbers), so the
// differences are paired and their intervals narrow; otherwise the
// intervals treat the two runs as independent.
#include <cmath>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/run_file.hpp"
#include "scenario/diagnostics.hpp"

namespace regsim::cli {

namespace {

constexpr double z90 = 1.6448536269514722;

struct Difference {
  double mean = 0, half_width = 0;
};

double mean_of(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return v.empty() ? 0.0 : s / static_cast<double>(v.size());
}
double variance_of(const std::vector<double>& v) {
  if (v.size() < 2) return 0.0;
  const double m = mean_of(v);
  double s = 0;
  for (double x : v) s += (x - m) * (x - m);
  return s / static_cast<double>(v.size() - 1);
}

Difference difference(const std::vector<double>& a, const std::vector<double>& b, bool paired) {
  if (paired) {
    std::vector<double> d(std::min(a.size(), b.size()));
    for (std::size_t i = 0; i < d.size(); ++i) d[i] = b[i] - a[i];
    return {mean_of(d), z90 * std::sqrt(variance_of(d) / static_cast<double>(d.size()))};
  }
  return {mean_of(b) - mean_of(a), z90 * std::sqrt(variance_of(a) / static_cast<double>(a.size()) +
                                                   variance_of(b) / static_cast<double>(b.size()))};
}

void refuse(const std::string& file, const std::string& message, const std::string& expected) {
  scenario::Diagnostic d;
  d.where.file = file;
  d.message = message;
  d.expected = expected;
  throw scenario::InputError({d});
}

void compare(const std::string& path_a, const std::string& path_b) {
  io::H5File a = open_run(path_a), b = open_run(path_b);
  if (a.read<std::int32_t>("/city") != b.read<std::int32_t>("/city")) {
    refuse(path_b, "its region differs from " + path_a + "'s", "two runs of the same region");
  }
  const auto days = a.read<double>("/time");
  if (days != b.read<double>("/time")) {
    refuse(path_b, "its time axis differs from " + path_a + "'s",
           "two runs with the same horizon and output resolution");
  }
  const bool paired =
      a.attribute<std::uint64_t>("/", "seed") == b.attribute<std::uint64_t>("/", "seed");
  const std::size_t na = a.shape("/replicate")[0], nb = b.shape("/replicate")[0];
  const std::size_t n = paired ? std::min(na, nb) : 0;
  std::cout << fmt::format("B − A: B = {} ('{}'), A = {} ('{}')\n", path_b,
                           b.attribute<std::string>("/", "scenario"), path_a,
                           a.attribute<std::string>("/", "scenario"));
  std::cout << (paired ? fmt::format(
                             "paired over {} replicates (same seed: common random numbers)\n", n)
                       : fmt::format("unpaired (different seeds): {} vs {} replicates\n", na, nb));

  if (a.exists("/goals/goal") && b.exists("/goals/goal")) {
    const auto goals_a = a.read<std::string>("/goals/goal");
    const auto goals_b = b.read<std::string>("/goals/goal");
    const auto met_a = a.read<std::uint8_t>("/goals/met");
    const auto met_b = b.read<std::uint8_t>("/goals/met");
    std::cout << "\ngoal attainment probability, B − A (90 % interval)\n";
    for (std::size_t ga = 0; ga < goals_a.size(); ++ga) {
      for (std::size_t gb = 0; gb < goals_b.size(); ++gb) {
        if (goals_a[ga] != goals_b[gb]) continue;
        std::vector<double> xa, xb;
        for (std::size_t r = 0; r < (paired ? n : na); ++r)
          xa.push_back(met_a[r * goals_a.size() + ga]);
        for (std::size_t r = 0; r < (paired ? n : nb); ++r)
          xb.push_back(met_b[r * goals_b.size() + gb]);
        const auto d = difference(xa, xb, paired);
        std::cout << fmt::format("  {:<44} {:6.3f} → {:6.3f}   {:+.3f} ± {:.3f}\n", goals_a[ga],
                                 mean_of(xa), mean_of(xb), d.mean, d.half_width);
      }
    }
  }

  const auto groups = a.read<std::string>("/group");
  const std::size_t ng = groups.size(), nt = days.size();
  std::cout << fmt::format("\nheadline indicators at the last time step, B − A (90 % interval)\n");
  for (const char* var :
       {"unemployment_rate", "unemployed_ex_miners", "miners_employed", "replacement_share",
        "resource_dependence", "restoration_rate", "population", "gdp"}) {
    const std::string path = std::string("/aggregates/") + var;
    if (!a.exists(path) || !b.exists(path)) continue;
    const auto va = a.read<float>(path), vb = b.read<float>(path);
    std::cout << fmt::format("  {}\n", var);
    for (std::size_t g = 0; g < ng; ++g) {
      if (groups[g].rfind("nation:", 0) != 0 && groups[g].rfind("category:", 0) != 0) continue;
      std::vector<double> xa, xb;
      for (std::size_t r = 0; r < (paired ? n : na); ++r)
        xa.push_back(va[(r * ng + g) * nt + nt - 1]);
      for (std::size_t r = 0; r < (paired ? n : nb); ++r)
        xb.push_back(vb[(r * ng + g) * nt + nt - 1]);
      const auto d = difference(xa, xb, paired);
      std::cout << fmt::format("    {:<28} {:>12.5g} → {:>12.5g}   {:+.4g} ± {:.3g}\n", groups[g],
                               mean_of(xa), mean_of(xb), d.mean, d.half_width);
    }
  }
}

}  // namespace

void register_compare(CLI::App& app) {
  auto* cmd =
      app.add_subcommand("compare", "Paired differences of two runs (B − A) with intervals");
  auto files = std::make_shared<std::vector<std::string>>();
  cmd->add_option("files", *files, "A.h5 B.h5")->required()->expected(2);
  cmd->callback([files] { compare((*files)[0], (*files)[1]); });
}

}  // namespace regsim::cli
