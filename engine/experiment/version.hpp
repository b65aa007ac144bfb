// Version and git revision, fixed at configure time. They are part of a
// run's identity: journal blocks of another version are foreign.
#pragma once

#include <string_view>

namespace regsim::experiment {

std::string_view version();         ///< "0.1.0"
std::string_view git_revision();    ///< short hash, or "unknown"
std::string_view version_string();  ///< "regsim 0.1.0 (git abc123)"

}  // namespace regsim::experiment
