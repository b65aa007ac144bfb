// One CSV field as written by the commands (RFC 4180): quoted, with inner
// quotes doubled, only when it holds a comma, a quote or a line break.
#pragma once

#include <string>
#include <string_view>

namespace regsim::cli {

inline std::string csv_field(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace regsim::cli
