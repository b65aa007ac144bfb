// Writes a small file in the layout of DESIGN §5 through io::H5File, for
// test_h5_netcdf_compat.py to open with h5py, xarray and ncdump:
//
//     h5_sample_writer OUT.h5
//
// Values follow formulas the Python test recomputes (see the comments).
#include <cstdint>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "io/h5_file.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: h5_sample_writer OUT.h5\n";
    return 2;
  }
  try {
    using regsim::io::H5File;
    using regsim::io::unlimited;
    auto f = H5File::create(argv[1]);
    f.set_attribute("/", "title", "regsim HDF5 layer sample");
    f.set_attribute("/", "Conventions", "CF-1.8");
    f.set_attribute("/", "seed", std::uint64_t{20130101});
    f.set_attribute("/", "replications_per_block", std::int64_t{2});
    f.set_attribute("/", "scenario", "name: baseline\nhorizon: {start: 2013-01, end: 2013-04}\n");

    const std::vector<std::string> cities{"hegang", "fuxin", "daqing"};
    const std::vector<std::string> names{"鹤岗市", "阜新市", "大庆市"};
    const std::vector<double> month_starts{0, 31, 59, 90};  // 2013-01-01 .. 2013-04-01
    f.add_dimension("/replicate", std::vector<std::int64_t>{}, {"replicate", "1"}, unlimited);
    f.add_dimension("/city", cities, {"city identifier", ""});
    f.add_dimension("/time", month_starts,
                    {"time", "days since 2013-01-01", {{"calendar", "proleptic_gregorian"}}});
    f.add_dimension("/statistic", std::vector<std::string>{"mean", "p05", "p50", "p95"},
                    {"statistic over replicates", ""});

    f.create_variable<std::string>("/city_name", {{"city"}}, {"city name", ""});
    f.write("/city_name", {0}, {3}, names);

    // rate[r][c][t] = 0.01 (r + 1) + 0.1 c + 0.001 t, written in two blocks of
    // two replicates, as a run appends them.
    f.create_variable<float>("/trajectories/unemployment_rate", {{"replicate", "city", "time"}},
                             {"registered unemployment rate", "1"});
    for (std::int64_t block = 0; block < 2; ++block) {
      std::vector<float> rate;
      for (std::int64_t r = 2 * block; r < 2 * block + 2; ++r) {
        for (int c = 0; c < 3; ++c) {
          for (int t = 0; t < 4; ++t) {
            rate.push_back(
                static_cast<float>(0.01 * static_cast<double>(r + 1) + 0.1 * c + 0.001 * t));
          }
        }
      }
      f.append("/replicate", {2}, std::vector<std::int64_t>{2 * block, 2 * block + 1});
      f.append("/trajectories/unemployment_rate", {2, 3, 4}, rate);
    }

    // summary[s][c][t] = s + 10 c + 100 t
    f.create_variable<double>("/summary/unemployment_rate", {{"statistic", "city", "time"}},
                              {"registered unemployment rate", "1"});
    std::vector<double> summary;
    for (int s = 0; s < 4; ++s) {
      for (int c = 0; c < 3; ++c) {
        for (int t = 0; t < 4; ++t) summary.push_back(s + 10.0 * c + 100.0 * t);
      }
    }
    f.write("/summary/unemployment_rate", {0, 0, 0}, {4, 3, 4}, summary);

    // Event log: parallel columns along an unlimited `event` dimension,
    // appended in two batches (3 events, then 2).
    f.add_dimension("/events/event", unlimited);
    f.create_variable<std::int64_t>("/events/replicate", {{"event"}}, {"replicate", "1"});
    f.create_variable<double>(
        "/events/time", {{"event"}},
        {"time of the event", "days since 2013-01-01", {{"calendar", "proleptic_gregorian"}}});
    f.create_variable<std::int32_t>("/events/city", {{"event"}}, {"index along city", "1"});
    f.create_variable<std::uint8_t>("/events/kind", {{"event"}}, {"kind of event", "1"});
    f.set_attribute("/events/kind", "flag_values", std::vector<std::uint8_t>{0, 1, 2});
    f.set_attribute("/events/kind", "flag_meanings", "mine_closure layoff retraining_start");
    f.create_variable<double>("/events/value", {{"event"}}, {"persons affected", "persons"});
    const std::vector<std::vector<std::int64_t>> replicate{{0, 0, 1}, {2, 3}};
    const std::vector<std::vector<double>> time{{3.5, 40, 61.25}, {10, 89}};
    const std::vector<std::vector<std::int32_t>> city{{0, 2, 1}, {1, 0}};
    const std::vector<std::vector<std::uint8_t>> kind{{0, 1, 2}, {1, 1}};
    const std::vector<std::vector<double>> value{{1200, 350, 80}, {410, 95}};
    for (std::size_t batch = 0; batch < 2; ++batch) {
      const std::size_t n = replicate[batch].size();
      f.append("/events/replicate", {n}, replicate[batch]);
      f.append("/events/time", {n}, time[batch]);
      f.append("/events/city", {n}, city[batch]);
      f.append("/events/kind", {n}, kind[batch]);
      f.append("/events/value", {n}, value[batch]);
    }
    f.close();
  } catch (const std::exception& e) {
    std::cerr << "h5_sample_writer: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
