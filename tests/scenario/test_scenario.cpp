// Loading, inheritance, overrides and compilation of scenarios, and the
// library in scenarios/ run in a light size.
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "des/sequential_executor.hpp"
#include "io/seeds_reader.hpp"
#include "model/simulation.hpp"
#include "scenario/scenario.hpp"
#include "tests/model/same_result.hpp"

namespace fs = std::filesystem;
using namespace regsim;
using scenario::YearMonth;

namespace {

const fs::path source_dir = REGSIM_SOURCE_DIR;
const fs::path tiny = source_dir / "tests/data/regions/tiny";

// A scratch directory with the given files, removed at the end.
class Files {
 public:
  Files() {
    dir_ = fs::temp_directory_path() /
           ("regsim-scenario-" +
            std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
    fs::create_directories(dir_);
  }
  ~Files() { fs::remove_all(dir_); }
  fs::path write(const std::string& name, const std::string& text) const {
    std::ofstream(dir_ / name) << text;
    return dir_ / name;
  }
  const fs::path& dir() const { return dir_; }

 private:
  fs::path dir_;
};

std::string first_message(const fs::path& file, const std::vector<std::string>& sets = {}) {
  try {
    scenario::load(file, sets, tiny);
  } catch (const scenario::InputError& e) {
    return scenario::format(e.diagnostics().front());
  }
  return {};
}

}  // namespace

TEST_CASE("scenario: dates, months and the horizon", "[scenario][dates]") {
  CHECK(scenario::months_between({2013, 1}, {2035, 12}) == 275);
  CHECK(scenario::months_between({2021, 1}, {2013, 1}) == -96);
  CHECK(scenario::Horizon{}.months() == 276);
  CHECK(scenario::month_index({2014, 4}) == 15);
  CHECK(scenario::to_string(YearMonth{2015, 4}) == "2015-04");
}

TEST_CASE("scenario: every library scenario loads, validates, compiles and runs a light size",
          "[scenario][library][requirement]") {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(source_dir / "scenarios")) {
    if (e.path().extension() == ".yaml") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 7);
  for (const auto& file : files) {
    SECTION(file.filename().string()) {
      const auto full = scenario::load(file, {}, source_dir / "seeds");
      CHECK(!full.name.empty());
      const auto s = scenario::load(
          file, {"horizon.start=2013-01", "horizon.end=2014-12", "experiment.replications=2"},
          source_dir / "seeds");
      CHECK(s.replications == 2);
      const auto region = io::read_region(s.region);
      scenario::check_against_region(s, region);
      for (const auto& p : s.policies) CHECK(!p.source.empty());
      const auto config = scenario::compile(s, region);
      CHECK(config.months == 24);
      const auto result =
          model::run_replication(region, config, scenario::replication_inputs(s, 1));
      CHECK(result.trajectories.months() == 24);
      const auto goals = scenario::evaluate_goals(s, region, result.trajectories);
      CHECK(goals.size() == s.goals.size());
    }
  }
}

TEST_CASE("scenario: extends deep-merges maps, replaces lists and appends policies",
          "[scenario][extends][requirement]") {
  Files f;
  f.write("parent.yaml",
          "scenario: parent\n"
          "region: " +
              tiny.string() +
              "\n"
              "horizon: {start: 2013-01, end: 2014-12}\n"
              "experiment: {replications: 10, seed: 42}\n"
              "parameters: {replacement.growth_rate: 0.05, labour.job_finding_rate: 0.02}\n"
              "uncertainties:\n  prices.volatility: {uniform: [0.1, 0.2]}\n"
              "policies:\n"
              "  - {name: a, lever: public_jobs, set: {share_of_unemployed: 0.1}}\n"
              "outputs: {variables: [gdp, population]}\n");
  const auto child = f.write("child.yaml",
                             "scenario: child\n"
                             "extends: parent.yaml\n"
                             "experiment: {replications: 3}\n"
                             "parameters: {replacement.growth_rate: 0.07}\n"
                             "policies:\n"
                             "  - {name: b, lever: remediation, set: {yi_per_year: 1}}\n"
                             "outputs: {variables: [unemployment_rate]}\n");
  const auto s = scenario::load(child, {}, source_dir / "seeds");
  CHECK(s.name == "child");
  CHECK(s.replications == 3);
  CHECK(s.seed == 42);  // merged from the parent's experiment map
  REQUIRE(s.parameters.size() == 2);
  CHECK(s.parameters[0] == std::pair{model::Param::replacement_growth_rate, 0.07});
  CHECK(s.parameters[1] == std::pair{model::Param::labour_job_finding_rate, 0.02});
  REQUIRE(s.policies.size() == 2);  // appended after the parent's
  CHECK(s.policies[0].name == "a");
  CHECK(s.policies[1].name == "b");
  CHECK(s.policies[0].inherited);  // declared by the parent
  CHECK_FALSE(s.policies[1].inherited);
  // Through a relative path and a --set on the inherited policy, the same.
  const auto relative_child = fs::relative(child, fs::current_path());
  const auto s2 = scenario::load(relative_child, {"policies[0].set.share_of_unemployed=0.2"},
                                 source_dir / "seeds");
  CHECK(s2.policies[0].inherited);
  CHECK_FALSE(s2.policies[1].inherited);
  CHECK(s.outputs.variables == std::vector{model::Indicator::unemployment_rate});  // replaced
  CHECK(s.uncertainties.size() == 1);
  CHECK(s.region == tiny.lexically_normal());
  // Errors in the parent point at the parent.
  f.write("bad-parent.yaml", "scenario: p\nhorizon: {start: 2013-01, ende: 2014-12}\n");
  const auto bad = f.write("bad-child.yaml", "scenario: c\nextends: bad-parent.yaml\n");
  const auto msg = first_message(bad);
  CHECK(msg.find("bad-parent.yaml:2:27: error: unknown key 'ende'") != std::string::npos);
  CHECK(msg.find("did you mean 'end'?") != std::string::npos);
}

TEST_CASE("scenario: circular extends is an error naming the chain", "[scenario][extends]") {
  Files f;
  const auto a = f.write("a.yaml", "scenario: a\nextends: b.yaml\n");
  f.write("b.yaml", "scenario: b\nextends: c.yaml\n");
  f.write("c.yaml", "scenario: c\nextends: a.yaml\n");
  const auto msg = first_message(a);
  CHECK(msg.find("circular extends: ") != std::string::npos);
  CHECK(msg.find("a.yaml -> ") != std::string::npos);
  CHECK(msg.find("b.yaml -> ") != std::string::npos);
  CHECK(msg.find("c.yaml -> ") != std::string::npos);
}

TEST_CASE("scenario: --set overrides apply after inheritance and land in resolved_yaml",
          "[scenario][overrides][requirement]") {
  Files f;
  const auto file = f.write(
      "s.yaml",
      "scenario: s\n"
      "region: " +
          tiny.string() +
          "\n"
          "horizon: {start: 2013-01, end: 2020-12}\n"
          "policies:\n"
          "  - {name: cap, lever: extraction_cap, when: {from: 2016-01}, set: {cap: 0.8}}\n");
  const auto s = scenario::load(file,
                                {"experiment.replications=4", "horizon.end=2014-12",
                                 "parameters.replacement.growth_rate=0.05",
                                 "policies[0].set.cap=0.5", "experiment.sampling=latin_hypercube"},
                                source_dir / "seeds");
  CHECK(s.replications == 4);
  CHECK(s.horizon.end == YearMonth{2014, 12});
  CHECK(s.sampling == scenario::Sampling::latin_hypercube);
  REQUIRE(s.parameters.size() == 1);
  CHECK(s.parameters[0].second == 0.05);
  REQUIRE(s.policies.size() == 1);
  CHECK(s.policies[0].set[0].value == 0.5);
  // The policy starts after the shortened horizon: valid, and compiled to nothing.
  const auto region = io::read_region(tiny);
  CHECK(scenario::compile(s, region).actions.empty());
  CHECK(s.resolved_yaml.find("replications: 4") != std::string::npos);
  CHECK(s.resolved_yaml.find("end: 2014-12") != std::string::npos);
  CHECK(s.resolved_yaml.find("cap: 0.5") != std::string::npos);
  CHECK(s.resolved_yaml.find("region: " + tiny.lexically_normal().string()) != std::string::npos);
  // The resolved YAML loads to the same scenario (with a policy inside the horizon).
  const auto inside = scenario::load(file,
                                     {"experiment.replications=4", "policies[0].when.from=2014-01",
                                      "horizon.end=2014-12", "policies[0].set.cap=0.5"},
                                     tiny);
  const auto again = scenario::load(f.write("resolved.yaml", inside.resolved_yaml), {}, tiny);
  CHECK(again.replications == 4);
  CHECK(again.horizon.end == YearMonth{2014, 12});
  REQUIRE(again.policies.size() == 1);
  CHECK(again.policies[0].from == YearMonth{2014, 1});
  CHECK(again.policies[0].set[0].value == 0.5);
  CHECK(again.resolved_yaml == inside.resolved_yaml);

  // Errors in a --set point at the flag.
  try {
    scenario::load(file, {"experiment.replications=2", "experiment.replicatons=4"}, tiny);
    FAIL("expected an InputError");
  } catch (const scenario::InputError& e) {
    const auto msg = scenario::format(e.diagnostics().front());
    CHECK(msg.rfind("--set:2:12: error: unknown key 'replicatons'", 0) == 0);
    CHECK(msg.find("experiment.replicatons=4") != std::string::npos);
    CHECK(msg.find("did you mean 'replications'?") != std::string::npos);
  }
  CHECK(first_message(file, {"policies[3].set.cap=1"}).find("no element 3 in 'policies'") !=
        std::string::npos);
  CHECK(first_message(file, {"horizon.end"}).find("not of the form key=value") !=
        std::string::npos);
}

TEST_CASE("scenario: all problems are reported at once, with the line echoed",
          "[scenario][errors]") {
  Files f;
  const auto file = f.write("s.yaml",
                            "scenario: s\n"
                            "experiment: {replications: 0, sampling: sobl}\n"
                            "parameters: {replacement.growth_rat: 0.1}\n");
  try {
    scenario::load(file, {}, tiny);
    FAIL("expected an InputError");
  } catch (const scenario::InputError& e) {
    REQUIRE(e.diagnostics().size() == 3);
    CHECK(scenario::format(e.diagnostics()[0]) ==
          file.string() +
              ":2:28: error: 'experiment.replications' = 0 is out of range\n"
              "    2 | experiment: {replications: 0, sampling: sobl}\n"
              "      |                            ^\n"
              "  at: experiment.replications\n"
              "  expected an integer in [1, 10000000]");
    CHECK(e.diagnostics()[1].suggestion == "sobol");
    CHECK(e.diagnostics()[2].suggestion == "replacement.growth_rate");
  }
}

TEST_CASE("scenario::compile: parameters, sampled values, policies in file order, triggers",
          "[scenario][compile]") {
  Files f;
  const auto file =
      f.write("s.yaml",
              "scenario: s\n"
              "region: " +
                  tiny.string() +
                  "\n"
                  "horizon: {start: 2014-01, end: 2015-12}\n"
                  "parameters: {replacement.growth_rate: 0.05}\n"
                  "uncertainties:\n  labour.job_finding_rate: {uniform: [0.01, 0.02]}\n"
                  "policies:\n"
                  "  - {name: first, lever: public_jobs, where: {cities: [Meicheng, 铁城]},\n"
                  "     when: {from: 2013-06, to: 2014-05}, set: {share_of_unemployed: 0.1}}\n"
                  "  - {name: second, lever: extraction_cap, where: {exhausted: yes},\n"
                  "     when: {from: 2013-06}, set: {cap: 0.5}}\n"
                  "  - {name: on-trigger, lever: public_jobs, where: {category: [growing]},\n"
                  "     trigger: {indicator: unemployment_rate, above: 0.1, for_months: 3},\n"
                  "     set: {share_of_unemployed: 0.1}}\n");
  const auto s = scenario::load(file, {}, tiny);
  const auto region = io::read_region(tiny);
  const auto config = scenario::compile(s, region);
  CHECK(config.months == 36);  // 2013-01 .. 2015-12: the run always starts at the seeds' date
  CHECK(scenario::report_from_month(s) == 12);
  const auto inputs = scenario::replication_inputs(s, 3);
  CHECK(inputs.seed == s.seed);
  CHECK(inputs.replication == 3);
  CHECK(inputs.params[model::Param::replacement_growth_rate] == 0.05);
  const double jf = inputs.params[model::Param::labour_job_finding_rate];
  CHECK((jf >= 0.01 && jf <= 0.02));
  // first: 2 cities x (apply at 5, revert at 17); second: 1 city at 5; the
  // trigger's action is its own, not a dated one.
  REQUIRE(config.actions.size() == 5);
  CHECK(config.actions[0].at_month == 5.0);
  CHECK(config.actions[0].city == 0);
  CHECK(config.actions[1].at_month == 17.0);
  CHECK(config.actions[2].city == 1);
  CHECK(config.actions[4].city == 0);  // second policy after the first
  REQUIRE(config.triggers.size() == 1);
  CHECK(config.triggers[0].action.city == 2);
  CHECK(config.triggers[0].for_months == 3);
  CHECK(config.triggers[0].threshold == 0.1);
  const auto r = model::run_replication(region, config, inputs);
  CHECK(r.trajectories.months() == 36);
}

TEST_CASE("scenario::check_against_region: names that are not in the region",
          "[scenario][errors]") {
  Files f;
  const auto file = f.write("s.yaml",
                            "scenario: s\n"
                            "region: " +
                                tiny.string() +
                                "\n"
                                "horizon: {start: 2013-01, end: 2014-12}\n"
                                "goals:\n"
                                "  - name: g\n"
                                "    indicator: gdp\n"
                                "    where: {province: [Liaonin]}\n"
                                "    at: 2014-12\n"
                                "    above: 0\n");
  const auto s = scenario::load(file, {}, tiny);
  try {
    scenario::check_against_region(s, io::read_region(tiny));
    FAIL("expected an InputError");
  } catch (const scenario::InputError& e) {
    const auto& d = e.diagnostics().front();
    CHECK(d.where.line == 7);
    CHECK(d.where.column == 24);
    CHECK(d.message == "no province 'Liaonin' in this region");
    CHECK(d.suggestion == "Liaoning");
    CHECK(d.source_line == "    where: {province: [Liaonin]}");
  }
}

TEST_CASE("scenario::load: columns count characters, so carets stay put after Chinese text",
          "[scenario][errors][error_guessing]") {
  Files f;
  const auto file =
      f.write("s.yaml", "scenario: s\npolicies:\n  - {name: 测试政策, lever: training_seat}\n");
  try {
    scenario::load(file, {}, tiny);
    FAIL("expected an InputError");
  } catch (const scenario::InputError& e) {
    CHECK(scenario::format(e.diagnostics().front())
              .rfind(file.string() + ":3:25: error: unknown lever 'training_seat'\n"
                                     "    3 |   - {name: 测试政策, lever: training_seat}\n"
                                     "      |                             ^~~~~~~~~~~~~\n"
                                     "  at: policies[0].lever  (policy '测试政策')\n",
                     0) == 0);
  }
}

TEST_CASE("scenario: indicator predicates in where: select cities at activation",
          "[scenario][selector]") {
  Files files;
  const auto file =
      files.write("p.yaml", "scenario: predicates\nregion: " + tiny.string() +
                                "\n"
                                "horizon: {start: 2013-01, end: 2014-12}\n"
                                "policies:\n"
                                "  - name: pay-the-unemployed\n"
                                "    lever: transfer_payment\n"
                                "    where: {indicators: {unemployment_rate: {above: 0.05}}}\n"
                                "    when: {from: 2013-06}\n"
                                "    set: {yi_per_year: 10}\n");
  const auto s = scenario::load(file, {}, tiny);
  REQUIRE(s.policies.size() == 1);
  REQUIRE(s.policies[0].predicates.size() == 1);
  CHECK(s.policies[0].predicates[0].indicator == model::Indicator::unemployment_rate);
  const auto region = io::read_region(tiny);
  const auto r = model::run_replication(region, scenario::compile(s, region),
                                        scenario::replication_inputs(s, 0));
  const auto& t = r.trajectories;
  int paid = 0, unpaid = 0;
  for (std::size_t c = 0; c < region.size(); ++c) {
    // Evaluated on 2013-05 (month 4), the month before the policy starts.
    const bool selected = t.at(model::Indicator::unemployment_rate, c, 4) > 0.05;
    const double received = t.at(model::Indicator::transfers_received, c, 23);
    INFO("city " << c);
    CHECK(t.at(model::Indicator::transfers_received, c, 4) == 0.0);
    CHECK((received > 0.0) == selected);
    (selected ? paid : unpaid) += 1;
  }
  CHECK(paid >= 1);  // the predicate keeps some cities and drops others
  CHECK(unpaid >= 1);

  // A predicate on a policy starting at the simulation start is rejected.
  const auto at_start =
      files.write("q.yaml", "scenario: predicates\nregion: " + tiny.string() +
                                "\n"
                                "policies:\n"
                                "  - name: pay\n"
                                "    lever: transfer_payment\n"
                                "    where: {indicators: {unemployment_rate: {above: 0.05}}}\n"
                                "    set: {yi_per_year: 10}\n");
  CHECK_THAT(first_message(at_start),
             Catch::Contains("indicator predicates need a policy starting after 2013-01"));
}

TEST_CASE("scenario: prices: a CSV file is the price index of its months, the process after it",
          "[scenario][prices][requirement]") {
  Files f;
  fs::create_directories(f.dir() / "child");
  f.write("coal.csv", "month,index\n2013-04,0.9\n2013-05,0.8\r\n\n2013-06,0.75\n");
  f.write("parent.yaml", "scenario: parent\nregion: " + tiny.string() +
                             "\n"
                             "horizon: {start: 2013-01, end: 2014-12}\n"
                             "prices:\n  coal: {file: coal.csv}\n");
  // The path is relative to the file that wrote it, also when inherited.
  const auto child = f.write("child/child.yaml",
                             "scenario: child\nextends: ../parent.yaml\n"
                             "experiment: {seed: 7}\n");
  const auto s = scenario::load(child, {}, tiny);
  REQUIRE(s.prices.size() == 1);
  CHECK(s.prices[0].resource == model::Resource::coal);
  CHECK(s.prices[0].file == (f.dir() / "coal.csv").lexically_normal());
  CHECK(s.prices[0].first == YearMonth{2013, 4});
  CHECK(s.prices[0].index == std::vector<double>{0.9, 0.8, 0.75});
  // The resolved YAML names the file by its absolute path, so it loads from anywhere.
  const std::string abs = fs::absolute(f.dir() / "coal.csv").lexically_normal().string();
  CHECK(s.resolved_yaml.find("file: " + abs) != std::string::npos);
  const auto again = scenario::load(f.write("child/resolved.yaml", s.resolved_yaml), {}, tiny);
  REQUIRE(again.prices.size() == 1);
  CHECK(again.prices[0].index == s.prices[0].index);

  // Months before the file's first are NaN (the process), month 0 the start level.
  const auto region = io::read_region(tiny);
  const auto config = scenario::compile(s, region);
  const auto inputs = scenario::replication_inputs(s, 0);
  const auto coal = static_cast<std::size_t>(model::Resource::coal);
  const auto& path = config.price_paths[coal];
  REQUIRE(path.size() == 6);
  CHECK(path[0] == 1.0);
  CHECK(std::isnan(path[1]));
  CHECK(std::isnan(path[2]));
  CHECK(path[3] == 0.9);
  CHECK(path[5] == 0.75);
  for (std::size_t r = 0; r < config.price_paths.size(); ++r) {
    if (r != coal) CHECK(config.price_paths[r].empty());
  }

  // In the model: exactly the file's index for its months; before and after
  // them the log OU process, whose innovations (the same market draws) equal
  // those of a run without the path.
  auto plain_config = config;
  plain_config.price_paths[coal].clear();
  model::CityModel with(region, config, inputs);
  model::CityModel plain(region, plain_config, inputs);
  des::SequentialExecutor<model::CityModel> ew(with, with.lp_count(), des::ExecutorOptions{});
  des::SequentialExecutor<model::CityModel> ep(plain, plain.lp_count(), des::ExecutorOptions{});
  ew.run_until(24.0);
  ep.run_until(24.0);
  const double theta_dt =
      std::log(2.0) / inputs.params[model::Param::prices_half_life_years] / 12.0;
  const double mu = std::log(inputs.params[model::Param::prices_long_run_index]);
  const auto innovation = [&](const model::CityModel& m, std::size_t month) {
    const double x = std::log(m.price(model::Resource::coal, month - 1));
    return std::log(m.price(model::Resource::coal, month)) - x - theta_dt * (mu - x);
  };
  for (std::size_t m = 0; m < 24; ++m) {
    INFO("month " << m);
    const double p = with.price(model::Resource::coal, m);
    if (m < 3) {
      CHECK(p == plain.price(model::Resource::coal, m));
    } else if (m < 6) {
      CHECK(p == s.prices[0].index[m - 3]);
    } else {
      CHECK(p != plain.price(model::Resource::coal, m));
      CHECK(innovation(with, m) == Approx(innovation(plain, m)).margin(1e-12));
    }
  }

  // --set gives a path too (relative to the working directory), and
  // replaces an inherited one.
  f.write("other.csv", "month,index\n2013-01,1\n2013-02,1.1\n");
  const auto set = scenario::load(
      child, {"prices.coal.file=" + fs::absolute(f.dir() / "other.csv").string()}, tiny);
  REQUIRE(set.prices.size() == 1);
  CHECK(set.prices[0].index == std::vector<double>{1.0, 1.1});
  CHECK(scenario::compile(set, region).price_paths[coal] == std::vector<double>{1.0, 1.1});
}

TEST_CASE("scenario: history-prices gives the coal price path of seeds/prices/coal-bspi.csv",
          "[scenario][prices][library]") {
  const auto s =
      scenario::load(source_dir / "scenarios/history-prices.yaml", {}, source_dir / "seeds");
  REQUIRE(s.prices.size() == 1);
  CHECK(s.prices[0].resource == model::Resource::coal);
  CHECK(s.prices[0].file == (source_dir / "seeds/prices/coal-bspi.csv").lexically_normal());
  CHECK(s.prices[0].first == YearMonth{2013, 1});
  REQUIRE(s.prices[0].index.size() == 96);  // 2013-01 .. 2020-12
  CHECK(s.prices[0].index.front() == 1.0);
  // baseline and plan-2013 keep the stochastic prices (see history-prices.yaml).
  for (const char* name : {"baseline.yaml", "plan-2013.yaml"}) {
    INFO(name);
    CHECK(scenario::load(source_dir / "scenarios" / name, {}, source_dir / "seeds").prices.empty());
  }
}

TEST_CASE("scenario::load: experiment.design errors point at the scenario or the CSV",
          "[scenario][design][errors][error_guessing]") {
  Files f;
  const auto csv = f.write("sets.csv", "labour.job_finding_rate,economy.growth_shift\n0.02,0.01\n");
  f.write("parent.yaml",
          "scenario: parent\n"
          "experiment: {replications: 4}\n"
          "uncertainties:\n"
          "  labour.job_finding_rate: {uniform: [0.01, 0.05]}\n"
          "  prices.volatility: {uniform: [0.1, 0.3]}\n");
  // A parameter both in the design and in uncertainties: at the uncertainty,
  // naming the design file; an inherited one points at the parent.
  const auto child = f.write("child.yaml",
                             "scenario: child\n"
                             "extends: parent.yaml\n"
                             "experiment: {design: sets.csv}\n");
  const std::string message = first_message(child);
  CHECK(message.rfind(fmt::format("{}:4:3: error: uncertainty 'labour.job_finding_rate' is also a "
                                  "column of the design '{}'\n",
                                  (f.dir() / "parent.yaml").string(), csv.string()),
                      0) == 0);
  CHECK(message.find("at: uncertainties.labour.job_finding_rate") != std::string::npos);
  // `name: ~` removes the inherited uncertainty; the others stay.
  const auto fixed = f.write("fixed.yaml",
                             "scenario: fixed\n"
                             "extends: parent.yaml\n"
                             "experiment: {design: sets.csv}\n"
                             "uncertainties: {labour.job_finding_rate: ~}\n");
  const auto s = scenario::load(fixed, {}, tiny);
  REQUIRE(s.uncertainties.size() == 1);
  CHECK(s.uncertainties[0].name == "prices.volatility");
  CHECK(scenario::sample_names(s) == std::vector<std::string>{"labour.job_finding_rate",
                                                              "economy.growth_shift",
                                                              "prices.volatility"});
  // Through --set, the overlap points at the --set.
  CHECK(first_message(fixed, {"uncertainties.economy.growth_shift={uniform: [0, 0.01]}"})
            .rfind("--set:1:", 0) == 0);
  // Unknown columns and values out of range point at the CSV cell.
  f.write("bad.csv", "labour.job_finding_rate,economy.growth_shiftt\n2,0.01\n");
  const auto bad = f.write("bad.yaml", "scenario: bad\nexperiment: {design: bad.csv}\n");
  try {
    scenario::load(bad, {}, tiny);
    FAIL("expected an InputError");
  } catch (const scenario::InputError& e) {
    const auto& d = e.diagnostics();
    REQUIRE(d.size() == 2);
    CHECK(d[0].where.file == (f.dir() / "bad.csv").string());
    CHECK(d[0].where.line == 1);
    CHECK(d[0].where.column == 25);
    CHECK(d[0].message == "unknown parameter 'economy.growth_shiftt' in the design header");
    CHECK(d[0].suggestion == "economy.growth_shift");
    CHECK(d[0].key_path == "experiment.design");
    CHECK(d[1].where.line == 2);
    CHECK(d[1].where.column == 1);
    CHECK(d[1].message == "design value 2 for 'labour.job_finding_rate' is out of range");
    CHECK(d[1].expected == "a number in [0, 1]");
  }
}

TEST_CASE("scenario: fyp14 and carbon-peak share 2013-2020: forked, each equals its own run",
          "[scenario][fork][determinism][requirement]") {
  const auto fyp14 = scenario::load(source_dir / "scenarios/fyp14.yaml", {}, source_dir / "seeds");
  const auto carbon =
      scenario::load(source_dir / "scenarios/carbon-peak.yaml", {}, source_dir / "seeds");
  const auto region = io::read_region(fyp14.region);
  const YearMonth fork{2021, 1};
  const scenario::Scenario* both[] = {&fyp14, &carbon};
  const auto a = scenario::compile(fyp14, region), b = scenario::compile(carbon, region);
  const model::ModelConfig* compiled[] = {&a, &b};
  REQUIRE_NOTHROW(scenario::check_shared_history(both, compiled, region, fork));
  REQUIRE(a.months != b.months);  // 2030-12 and 2060-12
  for (std::uint64_t r = 0; r < 2; ++r) {
    INFO("replication " << r);
    const model::ModelConfig* ab[] = {&a, &b};
    const auto forked = model::run_branches(region, ab, scenario::replication_inputs(fyp14, r),
                                            scenario::month_index(fork));
    CHECK(testing::same_result(
        forked[0], model::run_replication(region, a, scenario::replication_inputs(fyp14, r))));
    CHECK(testing::same_result(
        forked[1], model::run_replication(region, b, scenario::replication_inputs(carbon, r))));
  }
}

TEST_CASE("scenario::check_shared_history: what breaks a shared past is named",
          "[scenario][fork]") {
  const auto seeds = source_dir / "seeds";
  const auto library = [&](const char* name) {
    return scenario::load(source_dir / "scenarios" / name, {}, seeds);
  };
  const auto region = io::read_region(source_dir / "seeds");
  const auto refusal = [&](const scenario::Scenario& x, const scenario::Scenario& y,
                           YearMonth fork) -> std::string {
    const scenario::Scenario* both[] = {&x, &y};
    const auto a = scenario::compile(x, region), b = scenario::compile(y, region);
    const model::ModelConfig* compiled[] = {&a, &b};
    try {
      scenario::check_shared_history(both, compiled, region, fork);
    } catch (const scenario::InputError& e) {
      return scenario::format(e.diagnostics().front());
    }
    return {};
  };
  const auto fyp14 = library("fyp14.yaml");
  // stress-2035 draws its own replications; fyp14 samples a parameter plan-2013 fixes.
  CHECK_THAT(refusal(fyp14, library("stress-2035.yaml"), {2021, 1}),
             Catch::Contains("stress-2035 does not share fyp14's past before 2021-01: its seed "
                             "20350101 differs from fyp14's 20130101"));
  CHECK_THAT(refusal(library("plan-2013.yaml"), fyp14, {2021, 1}),
             Catch::Contains("resource.productivity_growth in replication 0 is") &&
                 Catch::Contains("branches share their parameters and uncertainties"));

  // On the tiny region: a base and branches of it.
  Files f;
  const std::string head = "region: " + tiny.string() +
                           "\nhorizon: {start: 2013-01, end: 2016-12}\n"
                           "experiment: {replications: 3, seed: 5}\n";
  const std::string policy =
      "  - {name: seats, lever: training_seats, where: all, when: {from: 2013-06, to: 2014-12},\n"
      "     set: {seats_per_1000_unemployed: 50}}\n";
  const auto load = [&](const std::string& name, const std::string& text,
                        const std::vector<std::string>& sets = {}) {
    return scenario::load(f.write(name + ".yaml", "scenario: " + name + "\n" + head + text), sets,
                          tiny);
  };
  const auto base = load("base", "policies:\n" + policy);
  const auto later =
      load("later", "policies:\n" + policy +
                        "  - {name: jobs, lever: public_jobs, where: all,\n"
                        "     when: {from: 2015-01}, set: {share_of_unemployed: 0.2}}\n");
  CHECK(refusal(base, later, {2015, 1}).empty());
  CHECK(refusal(later, base, {2015, 1}).empty());
  CHECK_THAT(refusal(base, later, {2015, 2}),
             Catch::Contains("policy 'jobs' (policies[1] of later) starts in 2015-01, before the "
                             "fork, where the other has none"));
  const auto longer =
      load("longer", "policies:\n" + std::string("  - {name: seats, lever: training_seats, "
                                                 "where: all, when: {from: 2013-06, to: "
                                                 "2015-06},\n     set: "
                                                 "{seats_per_1000_unemployed: 50}}\n"));
  CHECK_THAT(refusal(base, longer, {2015, 1}),
             Catch::Contains("policy 'seats' (policies[0], from 2013-06) differs from base's "
                             "'seats' in its window"));
  const auto more =
      load("more", "policies:\n" + policy, {"policies[0].set.seats_per_1000_unemployed=60"});
  CHECK_THAT(refusal(base, more, {2015, 1}),
             Catch::Contains("in its value of seats_per_1000_unemployed"));
  const auto fewer = load("fewer", "policies:\n" + policy, {"experiment.replications=2"});
  CHECK_THAT(refusal(base, fewer, {2015, 1}),
             Catch::Contains("it runs 2 replications, base runs 3"));
  const auto sampled = load("sampled",
                            "uncertainties:\n  labour.job_finding_rate: {uniform: [0.01, 0.02]}\n"
                            "policies:\n" +
                                policy);
  CHECK_THAT(refusal(base, sampled, {2015, 1}),
             Catch::Contains("labour.job_finding_rate in replication 0 is"));
  f.write("coal.csv", "month,index\n2014-01,0.9\n2014-02,0.8\n");
  const auto priced = load("priced", "prices:\n  coal: {file: coal.csv}\npolicies:\n" + policy);
  CHECK_THAT(refusal(base, priced, {2015, 1}),
             Catch::Contains("the coal price path in 2014-01 (month 12) differs from base's"));
  CHECK(refusal(base, priced, {2014, 1}).find("price path") !=
        std::string::npos);  // read a month ahead
  CHECK(refusal(base, priced, {2013, 12}).empty());
  CHECK_THAT(refusal(base, later, {2017, 1}),
             Catch::Contains("the fork month 2017-01 is outside its run (2013-01 to 2016-12)"));
  CHECK_THAT(refusal(base, later, {2013, 1}), Catch::Contains("is outside its run"));
}
