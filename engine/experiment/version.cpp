#include "experiment/version.hpp"

namespace regsim::experiment {

std::string_view version() { return REGSIM_VERSION; }
std::string_view git_revision() { return REGSIM_GIT_REVISION; }
std::string_view version_string() {
  return "regsim " REGSIM_VERSION " (git " REGSIM_GIT_REVISION ")";
}

}  // namespace regsim::experiment
