// Version and git revision, fixed at configure time.
#pragma once

#include <string_view>

namespace regsim::cli {

std::string_view version();         ///< "0.1.0"
std::string_view git_revision();    ///< short hash, or "unknown"
std::string_view version_string();  ///< "regsim 0.1.0 (git abc123)"

}  // namespace regsim::cli
