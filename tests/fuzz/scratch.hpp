// A scratch directory for a fuzz target that reads files, made once per
// process (mkdtemp) and removed at exit.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>

#include <stdlib.h>

namespace regsim::fuzz {

inline const std::filesystem::path& scratch() {
  static const std::filesystem::path dir = [] {
    std::string pattern = (std::filesystem::temp_directory_path() / "regsim-fuzz-XXXXXX").string();
    if (!mkdtemp(pattern.data())) std::abort();
    return std::filesystem::path(pattern);
  }();
  static const int cleanup = std::atexit([] { std::filesystem::remove_all(dir); });
  (void)cleanup;
  return dir;
}

}  // namespace regsim::fuzz
