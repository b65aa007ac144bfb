// Throughput of the city model: N replications of a region on T threads.
// Prints one JSON line; with --report, also the national headline
// indicators (mean over replications) at chosen months.
//   city_model -n 100 -j 2 --report
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "../common/bench_util.hpp"
#include "cli/exit_codes.hpp"
#include "des/replications.hpp"
#include "io/seeds_reader.hpp"
#include "model/groups.hpp"
#include "model/simulation.hpp"
#include "scenario/diagnostics.hpp"

int main(int argc, char** argv) {
  using namespace regsim;
  CLI::App app{"City-model throughput: replications of a region", "city_model"};
  std::string region = REGSIM_DEFAULT_SEEDS_DIR;
  std::uint64_t replications = 1;
  unsigned threads = 1;
  std::uint32_t months = 276;
  std::uint64_t seed = 1;
  bool report = false;
  app.add_option("--region", region, "region directory")->check(CLI::ExistingDirectory);
  app.add_option("-n,--replications", replications, "replications")
      ->check(CLI::Range(1ull, 1000000ull));
  app.add_option("-j,--threads", threads, "threads")->check(CLI::Range(1u, 256u));
  app.add_option("--months", months, "horizon in months from 2013-01")->check(CLI::Range(1u, 576u));
  app.add_option("--seed", seed, "seed");
  app.add_flag("--report", report, "print national indicators at 2013-01, 2020-12, 2035-12");
  if (const int code = cli::parse_command_line(app, argc, argv); code >= 0) return code;

  model::CityCatalogue catalogue;
  try {
    catalogue = io::read_region(region);
  } catch (const scenario::InputError& e) {
    for (const auto& d : e.diagnostics()) std::cerr << scenario::format(d) << "\n";
    return cli::exit_invalid_input;
  }

  // Months reported: 2013-01, 2020-12, 2035-12 (if within the horizon).
  std::vector<std::size_t> report_months;
  for (std::size_t m : {0u, 95u, 275u}) {
    if (m < months) report_months.push_back(m);
  }
  std::vector<model::CityGroup> groups;  // the nation and the four 2013 categories
  for (auto& g : model::make_groups(catalogue)) {
    if (g.kind == "nation" || g.kind == "category") groups.push_back(std::move(g));
  }
  const std::size_t classes = model::enum_count<model::Category>;
  // [replication] -> flat [group][indicator][month] then [class][month]
  std::vector<std::vector<double>> results(replications);
  std::vector<std::uint64_t> events(replications);

  model::ModelConfig config;
  config.months = months;
  bench::Stopwatch clock;
  des::for_each_replication(0, replications, threads, [&](std::uint64_t r) {
    model::ReplicationInputs inputs;
    inputs.seed = seed;
    inputs.replication = r;
    const auto result = model::run_replication(catalogue, config, std::move(inputs));
    events[r] = result.stats.events;
    auto& out = results[r];
    for (const auto& g : groups) {
      for (std::size_t i = 0; i < model::indicator_count; ++i) {
        for (std::size_t m : report_months) {
          out.push_back(
              result.trajectories.aggregate(static_cast<model::Indicator>(i), g.cities, m));
        }
      }
    }
    for (std::size_t k = 0; k < classes; ++k) {
      for (std::size_t m : report_months) {
        double n = 0;
        for (std::size_t c = 0; c < catalogue.size(); ++c) {
          n += result.trajectories.at(model::Indicator::city_class, c, m) == static_cast<double>(k)
                   ? 1
                   : 0;
        }
        out.push_back(n);
      }
    }
  });
  const double wall = clock.seconds();

  std::uint64_t total_events = 0;
  for (auto e : events) total_events += e;
  const double city_months = static_cast<double>(replications * catalogue.size() * months);
  bench::JsonLine json;
  json.add("bench", "city_model");
  json.add("cities", catalogue.size());
  json.add("months", months);
  json.add("replications", replications);
  json.add("threads", threads);
  json.add("wall_s", wall);
  json.add("replications_per_s", static_cast<double>(replications) / wall);
  json.add("city_months_per_s", city_months / wall);
  json.add("events", total_events);
  json.add("events_per_s", static_cast<double>(total_events) / wall);
  json.add("events_per_city_month", static_cast<double>(total_events) / city_months);
  json.add("peak_rss_mb", bench::peak_rss_mb());
  std::cout << json.str() << "\n";

  if (report) {
    const std::size_t nm = report_months.size();
    auto mean = [&](std::size_t index) {
      double sum = 0;
      for (const auto& r : results) sum += r[index];
      return sum / static_cast<double>(replications);
    };
    std::size_t index = 0;
    for (const auto& g : groups) {
      std::cout << fmt::format("\n{} {} ({} cities), mean of {} replications\n", g.kind, g.name,
                               g.cities.size(), replications);
      for (std::size_t i = 0; i < model::indicator_count; ++i, index += nm) {
        if (static_cast<model::Indicator>(i) == model::Indicator::city_class) continue;
        std::cout << fmt::format("  {:<32}", model::indicator_specs[i].name);
        for (std::size_t k = 0; k < nm; ++k) std::cout << fmt::format("{:>14.6g}", mean(index + k));
        std::cout << "  " << model::indicator_specs[i].unit << "\n";
      }
    }
    std::cout << "\ncities per class (months " << fmt::format("{}", fmt::join(report_months, ", "))
              << ")\n";
    for (std::size_t k = 0; k < classes; ++k, index += nm) {
      std::cout << fmt::format("  {:<32}", model::to_string(static_cast<model::Category>(k)));
      for (std::size_t j = 0; j < nm; ++j) std::cout << fmt::format("{:>14.6g}", mean(index + j));
      std::cout << "\n";
    }
  }
  return 0;
}
