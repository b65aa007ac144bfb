// Fuzz target: the region CSV readers (cities, initial conditions,
// production units, provinces). The input holds the files one after the
// other, separated by lines "%%%" in that order (a missing part is empty).
// Anything but a clean scenario::InputError or a catalogue is a finding.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "io/seeds_reader.hpp"
#include "scenario/diagnostics.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace regsim;
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  io::RegionText text;
  std::string* parts[] = {&text.cities, &text.initial, &text.mines, &text.provinces};
  constexpr std::string_view separator = "\n%%%\n";
  for (std::string* part : parts) {
    const std::size_t end = rest.find(separator);
    *part = std::string(rest.substr(0, end));
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + separator.size());
  }
  try {
    const auto catalogue = io::parse_region(text);
    (void)catalogue.size();
  } catch (const scenario::InputError& e) {
    for (const auto& d : e.diagnostics()) (void)scenario::format(d);
  }
  return 0;
}
