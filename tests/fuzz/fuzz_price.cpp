// Fuzz target: the CSV files a scenario names: the input is written to a
// scratch file and read as a price path (`prices:`, whose reader `demand:`
// shares) and as a design (`experiment.design:`), each through a scenario
// that names it. Anything but a clean scenario::InputError is a finding.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "scenario/scenario.hpp"
#include "scratch.hpp"

namespace {
const std::filesystem::path source_dir = REGSIM_SOURCE_DIR;

using regsim::fuzz::scratch;

void load(const std::string& yaml) {
  using namespace regsim;
  try {
    (void)scenario::load_text(yaml, scratch() / "fuzz.yaml", {},
                              source_dir / "tests/data/regions/tiny");
  } catch (const scenario::InputError& e) {
    for (const auto& d : e.diagnostics()) (void)scenario::format(d);
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  {
    std::ofstream out(scratch() / "input.csv", std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  load("scenario: price\nhorizon: {end: 2035-12}\nprices: {coal: {file: input.csv}}\n");
  load("scenario: design\nexperiment: {replications: 2, design: input.csv}\n");
  return 0;
}
