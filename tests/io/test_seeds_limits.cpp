// The seeds reader's limits (issue 15): region files that are not regular
// files, or too large, are refused before a byte is read; cities and
// production units have an upper bound (README.md, "Input limits"). The
// one-directory cases (invalid UTF-8, a workforce of INT64_MAX, reserve
// sums beyond int64) are in tests/io/broken/.
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "io/seeds_reader.hpp"
#include "scenario/diagnostics.hpp"
#include "scenario/text.hpp"

namespace fs = std::filesystem;
using namespace regsim;

namespace {
const fs::path tiny = fs::path(REGSIM_SOURCE_DIR) / "tests/data/regions/tiny";

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string first_message(const io::RegionText& text) {
  try {
    io::parse_region(text);
  } catch (const scenario::InputError& e) {
    return e.diagnostics().front().message;
  }
  return {};
}

struct ScratchRegion {
  ScratchRegion()
      : dir(fs::temp_directory_path() /
            ("regsim-seeds-" +
             std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()))) {
    fs::create_directories(dir);
    for (const char* f : {"cities.csv", "initial.csv", "mines.csv"}) fs::copy(tiny / f, dir / f);
  }
  ~ScratchRegion() { fs::remove_all(dir); }
  fs::path dir;
};
}  // namespace

TEST_CASE("io::read_region: a FIFO or an oversized file is refused, not read",
          "[io][limits][error_guessing]") {
  ScratchRegion r;
  fs::remove(r.dir / "cities.csv");
  REQUIRE(::mkfifo((r.dir / "cities.csv").c_str(), 0600) == 0);
  const auto start = std::chrono::steady_clock::now();
  try {
    io::read_region(r.dir);
    FAIL("expected an InputError");
  } catch (const scenario::InputError& e) {
    CHECK(e.diagnostics().front().where.file == (r.dir / "cities.csv").string());
    CHECK(e.diagnostics().front().message == "cannot open file: a FIFO, not a regular file");
  }
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(1));

  fs::remove(r.dir / "cities.csv");
  fs::resize_file(r.dir / "mines.csv", scenario::limits::csv_bytes + 1);
  fs::copy(tiny / "cities.csv", r.dir / "cities.csv");
  try {
    io::read_region(r.dir);
    FAIL("expected an InputError");
  } catch (const scenario::InputError& e) {
    CHECK(e.diagnostics().front().message ==
          fmt::format("cannot open file: {} bytes, more than the limit of {} bytes",
                      scenario::limits::csv_bytes + 1, scenario::limits::csv_bytes));
  }
}

TEST_CASE("io::parse_region: more cities or production units than the limits",
          "[io][limits][error_guessing]") {
  io::RegionText text;
  text.cities = slurp(tiny / "cities.csv");
  text.initial = slurp(tiny / "initial.csv");
  text.mines = slurp(tiny / "mines.csv");
  const std::string city_row = text.cities.substr(text.cities.find('\n') + 1);
  io::RegionText many_cities = text;
  for (std::size_t i = 0; i < scenario::limits::cities / 3 + 1; ++i) many_cities.cities += city_row;
  CHECK(first_message(many_cities) == "more than 10000 cities (the limit of a region)");

  io::RegionText many_mines = text;
  for (std::size_t i = 0; i < scenario::limits::mines; ++i)
    many_mines.mines += "1,9,1.000,1.000,1\n";
  CHECK(first_message(many_mines) == "more than 100000 production units (the limit of a region)");
}
