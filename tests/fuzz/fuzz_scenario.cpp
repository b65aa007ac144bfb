// Fuzz target: scenario YAML text -> validated scenario. The input is loaded
// as if it were a file in the repository's scenarios/ folder, so `extends:
// fyp14.yaml` and the library's relative paths resolve; lines `#set K=V`
// (YAML comments) are passed as --set overrides. A valid scenario is also
// checked against its region, sampled and compiled for its first run.
// Anything but a clean scenario::InputError is a finding.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "io/seeds_reader.hpp"
#include "scenario/scenario.hpp"

namespace {
const std::filesystem::path source_dir = REGSIM_SOURCE_DIR;

const regsim::model::CityCatalogue& region(const std::filesystem::path& dir) {
  static std::map<std::filesystem::path, regsim::model::CityCatalogue> cache;
  auto it = cache.find(dir);
  if (it == cache.end()) it = cache.emplace(dir, regsim::io::read_region(dir)).first;
  return it->second;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace regsim;
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> overrides;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("#set ", 0) == 0) overrides.push_back(line.substr(5));
  }
  try {
    const auto s = scenario::load_text(text, source_dir / "scenarios/fuzz-input.yaml", overrides,
                                       source_dir / "tests/data/regions/tiny");
    const auto& catalogue = region(s.region);
    scenario::check_against_region(s, catalogue);
    if (scenario::run_count(s) > 0) {
      (void)scenario::replication_inputs(s, 0);
      (void)scenario::compile(s, catalogue);
    }
  } catch (const scenario::InputError& e) {
    for (const auto& d : e.diagnostics()) (void)scenario::format(d);
  }
  return 0;
}
