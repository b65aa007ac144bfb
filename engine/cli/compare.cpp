// `regsim compare A.h5 B.h5`: B − A for goal attainment and headline
// indicators, with 90 % intervals. Runs with the same seed share their
// random numbers replicate by replicate (common random numbers), so the
// differences are paired by replicate index, over the indices both files
// hold (a replay holds one), and their intervals narrow; otherwise the
// intervals treat the two runs as independent.
#include <cmath>
#include <iostream>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "experiment/replication.hpp"
#include "experiment/stored_run.hpp"
#include "scenario/diagnostics.hpp"
#include "scenario/statistics.hpp"

namespace regsim::cli {

namespace {

using scenario::z90;

struct Difference {
  double mean = 0;
  double half_width = 0;  ///< NaN when fewer than two values leave the spread unknown
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

// `a` and `b` are paired element by element when `paired`.
Difference difference(const std::vector<double>& a, const std::vector<double>& b, bool paired) {
  constexpr double unknown = std::numeric_limits<double>::quiet_NaN();
  if (paired) {
    std::vector<double> d(a.size());
    for (std::size_t i = 0; i < d.size(); ++i) d[i] = b[i] - a[i];
    if (d.size() < 2) return {mean_of(d), unknown};
    return {mean_of(d), z90 * std::sqrt(variance_of(d) / static_cast<double>(d.size()))};
  }
  if (a.size() < 2 || b.size() < 2) return {mean_of(b) - mean_of(a), unknown};
  return {mean_of(b) - mean_of(a), z90 * std::sqrt(variance_of(a) / static_cast<double>(a.size()) +
                                                   variance_of(b) / static_cast<double>(b.size()))};
}

// "± 0.012" in the given format, or "± n/a".
std::string plus_minus(double half_width, std::string_view format) {
  return std::isnan(half_width) ? "± n/a" : "± " + fmt::format(fmt::runtime(format), half_width);
}

std::string replicates(std::size_t n) {
  return fmt::format("{} replicate{}", n, n == 1 ? "" : "s");
}

void refuse(const std::string& file, const std::string& message, const std::string& expected) {
  throw scenario::InputError({scenario::file_problem(file, message, expected)});
}

void compare(const std::string& path_a, const std::string& path_b) {
  io::H5File a = experiment::open_run(path_a), b = experiment::open_run(path_b);
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
  const auto index_a = a.read<std::int64_t>("/replicate");
  const auto index_b = b.read<std::int64_t>("/replicate");
  const std::size_t na = index_a.size(), nb = index_b.size();

  // The rows compared: paired, those of the replicate indices both files
  // hold, in increasing index; unpaired, every row.
  std::vector<std::size_t> rows_a, rows_b;
  if (paired) {
    std::map<std::int64_t, std::size_t> row_in_a, row_in_b;
    for (std::size_t r = 0; r < na; ++r) row_in_a.emplace(index_a[r], r);
    for (std::size_t r = 0; r < nb; ++r) row_in_b.emplace(index_b[r], r);
    for (const auto& [index, row] : row_in_a) {
      if (const auto it = row_in_b.find(index); it != row_in_b.end()) {
        rows_a.push_back(row);
        rows_b.push_back(it->second);
      }
    }
    if (rows_a.empty()) {
      refuse(path_b,
             "no replicate index in common with " + path_a +
                 " (runs of the same seed are paired by replicate index)",
             "runs that share replicates, e.g. a replay of one of A's");
    }
  } else {
    for (std::size_t r = 0; r < na; ++r) rows_a.push_back(r);
    for (std::size_t r = 0; r < nb; ++r) rows_b.push_back(r);
  }
  const std::size_t n = rows_a.size();

  std::cout << fmt::format("B − A: B = {} ('{}'), A = {} ('{}')\n", path_b,
                           b.attribute<std::string>("/", "scenario"), path_a,
                           a.attribute<std::string>("/", "scenario"));
  if (!paired) {
    std::cout << fmt::format("unpaired (different seeds): {} vs {} replicates\n", na, nb);
  } else if (n == na && n == nb) {
    std::cout << fmt::format("paired over {} (same seed: common random numbers)\n", replicates(n));
  } else {
    std::cout << fmt::format(
        "paired over {}, the indices in both files (A has {}, B has {}; same seed: common "
        "random numbers)\n",
        replicates(n), na, nb);
  }

  if (a.exists("/goals/goal") && b.exists("/goals/goal")) {
    const auto goals_a = a.read<std::string>("/goals/goal");
    const auto goals_b = b.read<std::string>("/goals/goal");
    const auto met_a = a.read<std::uint8_t>("/goals/met");
    const auto met_b = b.read<std::uint8_t>("/goals/met");
    std::cout << "\ngoal attainment probability, B − A (90 % interval)\n";
    std::size_t common = 0;
    for (std::size_t ga = 0; ga < goals_a.size(); ++ga) {
      for (std::size_t gb = 0; gb < goals_b.size(); ++gb) {
        if (goals_a[ga] != goals_b[gb]) continue;
        ++common;
        std::vector<double> xa, xb;
        for (const std::size_t r : rows_a) xa.push_back(met_a[r * goals_a.size() + ga]);
        for (const std::size_t r : rows_b) xb.push_back(met_b[r * goals_b.size() + gb]);
        const auto d = difference(xa, xb, paired);
        std::cout << fmt::format("  {:<44} {:6.3f} → {:6.3f}   {:+.3f} {}\n", goals_a[ga],
                                 mean_of(xa), mean_of(xb), d.mean,
                                 plus_minus(d.half_width, "{:.3f}"));
      }
    }
    if (common == 0) std::cout << "  (no goal of the same name in both runs)\n";
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
      for (const std::size_t r : rows_a) xa.push_back(va[(r * ng + g) * nt + nt - 1]);
      for (const std::size_t r : rows_b) xb.push_back(vb[(r * ng + g) * nt + nt - 1]);
      const auto d = difference(xa, xb, paired);
      std::cout << fmt::format("    {:<28} {:>12.5g} → {:>12.5g}   {:+.4g} {}\n", groups[g],
                               mean_of(xa), mean_of(xb), d.mean,
                               plus_minus(d.half_width, "{:.3g}"));
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
