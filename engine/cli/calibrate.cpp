// `regsim calibrate SCENARIO.yaml --targets TARGETS.yaml`: history matching
// of the scenario's parameters against observed targets
// (scenario/calibration.hpp), in waves, points in parallel (oneTBB). After
// each wave every output file is rewritten under a temporary name and
// renamed, so an interrupted run leaves the waves it finished and never a
// half-written file:
//   nroy.csv   the non-implausible parameter sets (a `sampling: design` file)
//   waves.csv  every point of every wave, its implausibilities
//   runs.csv   every run's simulated value of every target
//   fit.csv    per target: observed vs simulated (median, 90 % band)
//   fit.md     the same as a table, and a summary of the waves
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/csv_field.hpp"
#include "io/seeds_reader.hpp"
#include "scenario/calibration.hpp"
#include "scenario/scenario.hpp"
#include "scenario/targets.hpp"

namespace regsim::cli {

namespace {

namespace fs = std::filesystem;

struct CalibrateOptions {
  std::string scenario, targets, output;
  std::vector<std::string> set;
  std::size_t waves = 3, points = 0, replications = 2;
  unsigned threads = 1;
  std::uint64_t seed = 0;
  bool seed_given = false, quiet = false;
};

// A table cell in Markdown: pipes escaped, newlines flattened.
std::string md(std::string text) {
  std::string out;
  for (const char ch : text) {
    if (ch == '|') {
      out += "\\|";
    } else {
      out += ch == '\n' ? ' ' : ch;
    }
  }
  return out;
}

// Shortest text that reads back to the same double (design files).
std::string exact(double v) { return fmt::format("{}", v); }
std::string num(double v) { return fmt::format("{:.6g}", v); }

// Writes `text` to `path` through `path.partial` and a rename: a reader
// sees the old file or the whole new one.
void write_file(const fs::path& path, const std::string& text) {
  const fs::path partial = path.string() + ".partial";
  {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) throw RuntimeFailure(fmt::format("cannot write {}", partial.string()));
  }
  std::error_code ec;
  fs::rename(partial, path, ec);
  if (ec) {
    throw RuntimeFailure(
        fmt::format("cannot rename {} to {}: {}", partial.string(), path.string(), ec.message()));
  }
}

class Outputs {
 public:
  Outputs(fs::path dir, const scenario::Scenario& s, const scenario::Targets& t,
          const CalibrateOptions& o)
      : dir_(std::move(dir)), s_(s), t_(t), o_(o) {}

  void write(const scenario::Calibration& c) const {
    write_file(dir_ / "nroy.csv", nroy(c));
    write_file(dir_ / "waves.csv", waves(c));
    write_file(dir_ / "runs.csv", runs(c));
    write_file(dir_ / "fit.csv", fit(c));
    write_file(dir_ / "fit.md", summary(c));
  }

 private:
  std::string header(const scenario::Calibration& c) const {
    std::string h;
    for (std::size_t k = 0; k < c.parameters.size(); ++k) {
      if (k > 0) h += ',';
      h += c.parameters[k];
    }
    return h;
  }

  std::string nroy(const scenario::Calibration& c) const {
    std::string out = header(c) + "\n";
    if (!c.any_survivor()) return out;
    const scenario::Wave& w = c.waves[c.result_wave()];
    for (std::size_t p = 0; p < w.points.size(); ++p) {
      if (!w.summary[p].non_implausible) continue;
      for (std::size_t k = 0; k < w.points[p].size(); ++k) {
        if (k > 0) out += ',';
        out += exact(w.points[p][k]);
      }
      out += "\n";
    }
    return out;
  }

  std::string waves(const scenario::Calibration& c) const {
    std::string out = "wave,point,";
    out += header(c);
    out += ",max_implausibility,second_implausibility,non_implausible";
    for (const auto& g : t_.targets) {
      out += ",";
      out += csv_field("implausibility:" + g.name);
    }
    out += "\n";
    for (std::size_t w = 0; w < c.waves.size(); ++w) {
      const scenario::Wave& wave = c.waves[w];
      for (std::size_t p = 0; p < wave.points.size(); ++p) {
        out += fmt::format("{},{}", w + 1, p);
        for (const double v : wave.points[p]) out += fmt::format(",{}", v);
        const auto& sum = wave.summary[p];
        out += fmt::format(",{},{},{}", num(sum.max), num(sum.second), sum.non_implausible ? 1 : 0);
        for (const double i : wave.implausibility[p]) out += fmt::format(",{:.6g}", i);
        out += "\n";
      }
    }
    return out;
  }

  std::string runs(const scenario::Calibration& c) const {
    std::string out = "wave,point,replicate";
    for (const auto& g : t_.targets) {
      out += ",";
      out += csv_field(g.name);
    }
    out += "\n";
    for (std::size_t w = 0; w < c.waves.size(); ++w) {
      const scenario::Wave& wave = c.waves[w];
      for (std::size_t p = 0; p < wave.points.size(); ++p) {
        for (std::size_t r = 0; r < c.replications; ++r) {
          out += fmt::format("{},{},{}", w + 1, p, r);
          for (std::size_t k = 0; k < c.targets; ++k) {
            out += fmt::format(",{:.6g}", wave.values[(p * c.replications + r) * c.targets + k]);
          }
          out += "\n";
        }
      }
    }
    return out;
  }

  struct Row {
    double median, p05, p95, best;
  };
  Row row(const scenario::Calibration& c, std::size_t k) const {
    const auto values = c.result_values(k);
    const scenario::Wave& w = c.waves[c.result_wave()];
    return {scenario::quantile(values, 0.5), scenario::quantile(values, 0.05),
            scenario::quantile(values, 0.95), w.implausibility[w.best_point()][k]};
  }

  std::string fit(const scenario::Calibration& c) const {
    std::string out =
        "name,indicator,where,date,observed,error,discrepancy,simulated_median,simulated_p05,"
        "simulated_p95,implausibility_best,source\n";
    for (std::size_t k = 0; k < t_.targets.size(); ++k) {
      const auto& g = t_.targets[k];
      const Row r = row(c, k);
      out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{}\n", csv_field(g.name),
                         model::spec(g.indicator).name, csv_field(g.selector.to_where()),
                         scenario::date_text(g), exact(g.observed), exact(g.error),
                         exact(g.discrepancy), num(r.median), num(r.p05), num(r.p95), num(r.best),
                         csv_field(g.source));
    }
    return out;
  }

  std::string status(const scenario::Calibration& c) const {
    const std::size_t done = c.waves.size();
    if (c.waves.back().survivors() == 0) {
      return done == 1 ? "no point of wave 1 is non-implausible: the targets rule out the whole "
                         "box (nroy.csv has no rows; fit.csv summarises all runs of wave 1)"
                       : fmt::format(
                             "stopped after wave {} of {}: none of its points is "
                             "non-implausible; the result is wave {}'s",
                             done, c.waves_asked, c.result_wave() + 1);
    }
    if (done < c.waves_asked)
      return fmt::format("in progress: wave {} of {} done", done, c.waves_asked);
    return fmt::format("complete: {} waves", done);
  }

  std::string summary(const scenario::Calibration& c) const {
    const std::size_t result = c.result_wave();
    const scenario::Wave& rw = c.waves[result];
    std::string out =
        fmt::format("# Calibration of `{}` against `{}`\n\n", s_.name, t_.file.filename().string());
    out += fmt::format("Status: {}.\n\n", status(c));
    out += fmt::format(
        "History matching without an emulator: {} wave(s) of {} Latin-hypercube points, {} "
        "replication(s) each (seed {}, common random numbers across points); a point is "
        "non-implausible when its largest implausibility over the {} target(s) is at most 3. "
        "Result: wave {}'s non-implausible points ({} of {}), in `nroy.csv`.\n\n",
        c.waves_asked, o_.points, c.replications, s_.seed, c.targets, result + 1, rw.survivors(),
        rw.points.size());
    out +=
        "| wave | points | non-implausible | box share of the original | NROY share (estimate) |\n";
    out += "| ---: | ---: | ---: | ---: | ---: |\n";
    for (std::size_t w = 0; w < c.waves.size(); ++w) {
      const scenario::Wave& wave = c.waves[w];
      const double box = wave.box.share_of(c.original);
      const double kept = static_cast<double>(wave.survivors()) /
                          static_cast<double>(std::max<std::size_t>(1, wave.points.size()));
      out += fmt::format("| {} | {} | {} | {:.3g} % | {:.3g} % |\n", w + 1, wave.points.size(),
                         wave.survivors(), 100.0 * box, 100.0 * box * kept);
    }
    out +=
        "\nThe NROY share estimates the non-implausible share of the original box: the "
        "wave's box share times its share of non-implausible points.\n\n";
    out += "| parameter | box | non-implausible range (result wave) |\n| --- | --- | --- |\n";
    for (std::size_t k = 0; k < c.parameters.size(); ++k) {
      double lo = 0.0, hi = 0.0;
      bool first = true;
      for (std::size_t p = 0; p < rw.points.size(); ++p) {
        if (!rw.summary[p].non_implausible) continue;
        lo = first ? rw.points[p][k] : std::min(lo, rw.points[p][k]);
        hi = first ? rw.points[p][k] : std::max(hi, rw.points[p][k]);
        first = false;
      }
      out += fmt::format("| `{}` | [{}, {}] | {} |\n", c.parameters[k], num(c.original.lo[k]),
                         num(c.original.hi[k]),
                         first ? "none" : fmt::format("[{}, {}]", num(lo), num(hi)));
    }
    out += fmt::format(
        "\nSimulated values over the {} runs of wave {}; I = implausibility at its best point "
        "(point {}).\n\n",
        rw.survivors() > 0 ? "non-implausible" : "(no non-implausible point: all)", result + 1,
        rw.best_point());
    out +=
        "| target | indicator | where | date | observed | error | median | p05 | p95 | I | "
        "source |\n";
    out += "| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n";
    for (std::size_t k = 0; k < t_.targets.size(); ++k) {
      const auto& g = t_.targets[k];
      const Row r = row(c, k);
      out += fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} | {} | {:.2f} | {} |\n",
                         md(g.name), model::spec(g.indicator).name, md(g.selector.to_where()),
                         scenario::date_text(g), num(g.observed), num(g.error), num(r.median),
                         num(r.p05), num(r.p95), r.best, md(g.source));
    }
    return out;
  }

  fs::path dir_;
  const scenario::Scenario& s_;
  const scenario::Targets& t_;
  const CalibrateOptions& o_;
};

void calibrate(CalibrateOptions o) {
  std::vector<std::string> overrides = o.set;
  if (o.seed_given) overrides.push_back(fmt::format("experiment.seed={}", o.seed));
  const scenario::Scenario s = scenario::load(o.scenario, overrides, REGSIM_DEFAULT_SEEDS_DIR);
  const model::CityCatalogue region = io::read_region(s.region);
  scenario::check_against_region(s, region);
  const scenario::Targets t = scenario::load_targets(o.targets, s);
  scenario::check_against_region(t, region);

  if (o.points == 0) o.points = std::max<std::size_t>(10, 10 * t.parameters.size());
  const fs::path dir = o.output.empty()
                           ? fs::path(o.targets).parent_path() / (s.name + "-calibration")
                           : fs::path(o.output);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir)) {
    throw RuntimeFailure(fmt::format("cannot create output directory {}", dir.string()));
  }
  if (!o.quiet) {
    std::string box;
    for (const auto& p : t.parameters) box += fmt::format(" {} [{}, {}]", p.name, p.lo, p.hi);
    std::cerr << fmt::format("regsim: calibrating{} against {} target(s){}\n", box,
                             t.targets.size(),
                             t.parameters_from_scenario ? " (the scenario's uncertainties)" : "");
    // Sampled uncertainties and design columns (experiment.design) alike.
    std::vector<std::string> held;
    for (const auto& name : scenario::sample_names(s)) {
      const bool calibrated = std::any_of(t.parameters.begin(), t.parameters.end(),
                                          [&](const auto& p) { return p.name == name; });
      if (!calibrated) held.push_back(name);
    }
    if (!held.empty()) {
      std::cerr << fmt::format(
          "regsim: note: uncertainties not calibrated are held at the scenario's value: {}\n",
          scenario::join(held));
    }
  }

  const Outputs outputs(dir, s, t, o);
  const auto start = std::chrono::steady_clock::now();
  scenario::CalibrationOptions options;
  options.waves = o.waves;
  options.points = o.points;
  options.replications = o.replications;
  options.threads = o.threads;
  const auto after_wave = [&](const scenario::Calibration& c) {
    outputs.write(c);
    if (o.quiet) return;
    const scenario::Wave& w = c.waves.back();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cerr << fmt::format(
        "regsim: wave {}/{}: {} points x {} replications, {} non-implausible, box {:.3g} % of "
        "the original, {:.1f} s\n",
        c.waves.size(), c.waves_asked, w.points.size(), c.replications, w.survivors(),
        100.0 * w.box.share_of(c.original), seconds);
  };
  const scenario::Calibration c = scenario::calibrate(s, region, t, options, after_wave);
  if (o.quiet) return;
  if (!c.any_survivor()) {
    std::cerr << "regsim: no point is non-implausible: the targets rule out the whole box; "
                 "nroy.csv has no rows (see fit.md)\n";
  } else if (c.waves.back().survivors() == 0) {
    std::cerr << fmt::format(
        "regsim: wave {} kept no point; stopped; nroy.csv holds wave {}'s {} non-implausible "
        "sets\n",
        c.waves.size(), c.result_wave() + 1, c.waves[c.result_wave()].survivors());
  }
  std::cerr << fmt::format("regsim: wrote {}/{{nroy.csv, waves.csv, runs.csv, fit.csv, fit.md}}\n",
                           dir.string());
}

}  // namespace

void register_calibrate(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "calibrate", "History matching of a scenario's parameters against observed targets");
  auto o = std::make_shared<CalibrateOptions>();
  cmd->add_option("scenario", o->scenario, "scenario YAML file")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--targets", o->targets, "targets YAML file (observations, parameter box)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("-o,--output", o->output,
                  "output directory (default: <scenario name>-calibration/ next to the targets)");
  cmd->add_option("--waves", o->waves, "waves at most (default 3)")->check(CLI::Range(1ul, 100ul));
  cmd->add_option("--points", o->points,
                  "Latin-hypercube points per wave (default 10 per parameter, at least 10)")
      ->check(CLI::Range(2ul, 1000000ul));
  cmd->add_option("--replications", o->replications, "replications per point (default 2)")
      ->check(CLI::Range(1ul, 100000ul));
  cmd->add_option("-j,--threads", o->threads, "worker threads (default 1)")
      ->check(CLI::Range(1u, 1024u));
  cmd->add_option("--seed", o->seed, "random seed (overrides the scenario's)");
  cmd->add_option("--set", o->set, "override a scenario key: --set horizon.end=2016-12")
      ->allow_extra_args(false);
  cmd->add_flag("-q,--quiet", o->quiet, "no progress output");
  cmd->callback([o, cmd] {
    o->seed_given = cmd->count("--seed") > 0;
    calibrate(*o);
  });
}

}  // namespace regsim::cli
