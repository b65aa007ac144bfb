// Corpora of invalid input files, each starting with the line
// `# expect: <what the first diagnostic must start with>`.
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

namespace regsim::testing {

/// The .yaml files of `dir`, sorted by name.
inline std::vector<std::filesystem::path> yaml_files(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() == ".yaml") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

/// What follows `# expect: ` on the file's first line (which must hold it).
inline std::string expected_diagnostic(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::string first;
  std::getline(in, first);
  const std::string tag = "# expect: ";
  REQUIRE(first.rfind(tag, 0) == 0);
  return first.substr(tag.size());
}

}  // namespace regsim::testing
