// /sensitivity in the run file: the netCDF-4 layout of the rest of the file
// (named dimensions as dimension scales, units and long_name on every
// variable), written into a copy that replaces the file only when whole.
#include <filesystem>
#include <functional>
#include <system_error>

#include <fmt/format.h>

#include "analysis/sensitivity.hpp"
#include "experiment/version.hpp"
#include "io/durable_rename.hpp"
#include "io/h5_file.hpp"

namespace regsim::analysis {

namespace {

namespace fs = std::filesystem;

// A [row, factor] matrix of one statistic over `outputs`.
using Statistic = std::function<double(const AnalysedOutput&, std::size_t factor)>;

void put_matrix(io::H5File& f, const std::string& path, const std::string& row_dim,
                const std::vector<AnalysedOutput>& outputs, std::size_t factors,
                const io::Description& description, const Statistic& statistic) {
  std::vector<double> values;
  for (const auto& out : outputs) {
    for (std::size_t i = 0; i < factors; ++i) values.push_back(statistic(out, i));
  }
  f.create_variable<double>(path, {{row_dim, "factor"}}, description);
  f.write(path, {0, 0}, {outputs.size(), factors}, values);
}

void put_text(io::H5File& f, const std::string& path, const std::string& dim,
              const std::vector<std::string>& values, const std::string& long_name) {
  f.create_variable<std::string>(path, {{dim}}, {long_name, ""});
  f.write(path, {0}, {values.size()}, values);
}

// The indices of every output, as variables [row_dim, factor] in `group`.
void put_indices(io::H5File& f, const std::string& group, const std::string& row_dim,
                 const Sensitivity& s, const std::vector<AnalysedOutput>& outputs) {
  const std::size_t k = s.factors.size();
  const std::string level = fmt::format("{:g} %", 100 * s.bootstrap.level);
  if (s.method == "sobol") {
    using Pick = double Estimate::*;
    const auto put = [&](const std::string& name, const std::string& long_name, bool total,
                         Pick pick) {
      put_matrix(f, group + "/" + name, row_dim, outputs, k, {long_name, "1"},
                 [&](const AnalysedOutput& o, std::size_t i) {
                   return (total ? o.sobol.total_order : o.sobol.first_order)[i].*pick;
                 });
    };
    put("first_order", "first-order Sobol index S1 (Saltelli 2010)", false, &Estimate::value);
    put("first_order_low", "S1, lower end of the " + level + " bootstrap interval", false,
        &Estimate::low);
    put("first_order_high", "S1, upper end of the " + level + " bootstrap interval", false,
        &Estimate::high);
    put("total_order", "total-order Sobol index ST (Jansen 1999)", true, &Estimate::value);
    put("total_order_low", "ST, lower end of the " + level + " bootstrap interval", true,
        &Estimate::low);
    put("total_order_high", "ST, upper end of the " + level + " bootstrap interval", true,
        &Estimate::high);
    std::vector<double> variance;
    for (const auto& o : outputs) variance.push_back(o.sobol.variance);
    f.create_variable<double>(group + "/variance", {{row_dim}},
                              {"variance of the output over matrices A and B",
                               "square of the output's units (output_units)"});
    f.write(group + "/variance", {0}, {variance.size()}, variance);
    return;
  }
  using Pick = double MorrisEffect::*;
  const auto put = [&](const std::string& name, const std::string& long_name, Pick pick) {
    put_matrix(f, group + "/" + name, row_dim, outputs, k,
               {long_name, "the output's units (output_units) per whole range of the factor"},
               [&](const AnalysedOutput& o, std::size_t i) { return o.morris[i].*pick; });
  };
  put("mu_star", "mean absolute elementary effect mu* (Campolongo et al. 2007)",
      &MorrisEffect::mu_star);
  put("mu", "mean elementary effect mu (Morris 1991)", &MorrisEffect::mu);
  put("sigma", "standard deviation of the elementary effects (Morris 1991)", &MorrisEffect::sigma);
}

void put_over_time(io::H5File& f, const Sensitivity& s, const OverTime& t) {
  const std::string group = "/sensitivity/over_time";
  f.create_group(group);
  f.set_attribute(group, "indicator", t.indicator);
  f.set_attribute(group, "group", t.group);
  f.set_attribute(group, "units", t.units);
  f.add_dimension(
      group + "/year", t.days,
      {"the year's last reported month", "days since 2013-01-01", {{"calendar", "standard"}}});
  put_indices(f, group, "year", s, t.steps);
}

void put_group(io::H5File& f, const Sensitivity& s) {
  const std::string group = "/sensitivity";
  f.create_group(group);
  f.set_attribute(group, "method", s.method);
  f.set_attribute(group, s.method == "sobol" ? "base_samples" : "trajectories",
                  static_cast<std::uint64_t>(s.blocks));
  f.set_attribute(group, "estimators",
                  s.method == "sobol"
                      ? "S1: Saltelli et al. 2010 (Table 2 b); ST: Jansen 1999 (Table 2 f); "
                        "percentile bootstrap over base samples"
                      : "elementary effects (Morris 1991), mu* (Campolongo et al. 2007); "
                        "EE = change of the output / step of the factor in the unit cube");
  if (s.method == "sobol") {
    f.set_attribute(group, "bootstrap_resamples",
                    static_cast<std::uint64_t>(s.bootstrap.resamples));
    f.set_attribute(group, "bootstrap_seed", s.bootstrap.seed);
    f.set_attribute(group, "confidence_level", s.bootstrap.level);
  }
  f.set_attribute(group, "regsim_version", std::string(experiment::version_string()));
  f.add_dimension(group + "/factor", s.factors, {"uncertain parameter (factor)", ""});
  std::vector<std::string> names, kinds, subjects, units;
  for (const auto& o : s.outputs) {
    names.push_back(o.name);
    kinds.push_back(o.kind);
    subjects.push_back(o.subject);
    units.push_back(o.units);
  }
  f.add_dimension(group + "/output", names, {"analysed output", ""});
  put_text(f, group + "/output_kind", "output", kinds, "goal_met, goal_margin or indicator");
  put_text(f, group + "/output_subject", "output", subjects, "the goal or indicator analysed");
  put_text(f, group + "/output_units", "output", units, "units of the output");
  put_indices(f, group, "output", s, s.outputs);
  if (s.over_time) put_over_time(f, s, *s.over_time);
}

}  // namespace

void write_sensitivity(const std::string& run_file, const Sensitivity& result) {
  const fs::path target = run_file;
  const fs::path partial = run_file + ".sensitivity.partial";
  try {
    fs::copy_file(target, partial, fs::copy_options::overwrite_existing);
    {
      io::H5File f = io::H5File::open(partial, io::H5File::Access::read_write);
      f.remove("/sensitivity");
      put_group(f, result);
      f.close();
    }
    io::durable_rename(partial, target);
  } catch (...) {
    std::error_code ignored;
    if (fs::is_regular_file(partial, ignored)) fs::remove(partial, ignored);
    throw;
  }
}

}  // namespace regsim::analysis
