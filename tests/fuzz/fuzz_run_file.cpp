// Fuzz target: a run file, through the reader behind inspect, verify,
// replay and compare. The input is written to a scratch file, opened with
// experiment::open_run (format, completeness and every shape a reader
// indexes) and read whole with read_everything() (every checksum, dimension
// list, text digest and the global heap). A file is refused cleanly
// (scenario::InputError, exit code 2) or reads; anything else is a finding.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "experiment/stored_run.hpp"
#include "scenario/diagnostics.hpp"
#include "scratch.hpp"

using regsim::fuzz::scratch;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::filesystem::path file = scratch() / "input.h5";
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  using namespace regsim;
  try {
    const io::H5File f = experiment::open_run(file.string());
    (void)f.read_everything();
  } catch (const scenario::InputError& e) {
    for (const auto& d : e.diagnostics()) (void)scenario::format(d);
  }
  return 0;
}
