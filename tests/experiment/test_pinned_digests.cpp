// Every library scenario's behaviour, pinned: the digests (io::replicate_digest,
// as /checksums/digest) of its first replicates, computed as `regsim run`
// computes them. A change of any model, lever, sampler or scenario shows up
// here with the scenario's name. When the change is meant, regenerate with
//   REGSIM_REPIN=1 build/tests/test_experiment_pinned_digests
// and give the reason in the commit.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "experiment/replication.hpp"
#include "io/seeds_reader.hpp"
#include "scenario/scenario.hpp"

namespace fs = std::filesystem;
using namespace regsim;

namespace {

const fs::path source_dir = REGSIM_SOURCE_DIR;
const fs::path pin_file = source_dir / "tests/experiment/pinned_digests.csv";
constexpr std::uint64_t replicates = 3;

// scenario file name -> digests of replicates 0, 1, 2.
using Pins = std::map<std::string, std::vector<std::uint64_t>>;

Pins read_pins() {
  Pins pins;
  std::ifstream in(pin_file);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#' || line.starts_with("scenario,")) continue;
    std::istringstream cells(line);
    std::string name, replicate, digest;
    std::getline(cells, name, ',');
    std::getline(cells, replicate, ',');
    std::getline(cells, digest, ',');
    pins[name].push_back(std::stoull(digest));
  }
  return pins;
}

void write_pins(const Pins& pins) {
  std::ofstream out(pin_file);
  out << "# The digests of each library scenario's first replicates "
         "(tests/experiment/test_pinned_digests.cpp).\n"
         "scenario,replicate,digest\n";
  for (const auto& [name, digests] : pins) {
    for (std::size_t r = 0; r < digests.size(); ++r) {
      out << name << ',' << r << ',' << digests[r] << '\n';
    }
  }
}

}  // namespace

TEST_CASE("pinned digests: every library scenario computes the replicates it computed before",
          "[experiment][pinned][requirement]") {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(source_dir / "scenarios")) {
    if (e.path().extension() == ".yaml") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 7);

  Pins computed;
  for (const auto& file : files) {
    const auto s = scenario::load(file, {}, source_dir / "seeds");
    const auto region = io::read_region(s.region);
    scenario::check_against_region(s, region);
    const auto config = scenario::compile(s, region);
    for (std::uint64_t r = 0; r < replicates; ++r) {
      computed[file.filename().string()].push_back(
          experiment::compute_replication(s, region, config, r).digest);
    }
  }
  if (std::getenv("REGSIM_REPIN") != nullptr) {
    write_pins(computed);
    WARN("rewrote " << pin_file.string());
  }
  const Pins pinned = read_pins();
  for (const auto& [name, digests] : computed) {
    INFO(name << ": behaviour changed; if meant, regenerate (see the head of this file)");
    REQUIRE(pinned.count(name) == 1);
    CHECK(pinned.at(name) == digests);
  }
  CHECK(pinned.size() == computed.size());  // no pin for a scenario that is gone
}
