// The lever registry is complete (LAMMPS's check-tests): sorted, one file per
// lever, each with a case file and an entry in scenarios/README.md, and the
// README's generated reference is current.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>

#include "model/levers/registry.hpp"

namespace fs = std::filesystem;
using namespace regsim::model;

namespace {

const fs::path source_dir = REGSIM_SOURCE_DIR;
constexpr std::string_view begin_marker = "<!-- lever reference: generated, do not edit -->\n";
constexpr std::string_view end_marker = "<!-- end of lever reference -->";

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST_CASE("model::levers: the registry is sorted and lists every lever file",
          "[model][levers][requirement]") {
  const auto keys = levers::keys();
  CHECK(std::is_sorted(keys.begin(), keys.end()));
  CHECK(std::adjacent_find(keys.begin(), keys.end()) == keys.end());
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(source_dir / "engine/model/levers")) {
    if (e.path().extension() == ".cpp" && e.path().stem() != "registry") {
      files.push_back(e.path().stem().string());
    }
  }
  std::sort(files.begin(), files.end());
  CHECK(files == keys);
  for (const levers::Lever* l : levers::all()) {
    CHECK(levers::find(l->key) == l);
    CHECK(l->compile != nullptr);
    CHECK(!l->summary.empty());
    CHECK(!l->source.empty());
    CHECK(!l->example.empty());
    for (const auto& p : l->params) {
      INFO(l->key << "." << p.name);
      CHECK(p.min <= p.max);
      if (p.default_value) CHECK((*p.default_value >= p.min && *p.default_value <= p.max));
    }
  }
  CHECK(levers::find("no_such_lever") == nullptr);
}

TEST_CASE("model::levers: every lever has a test case and a reference entry",
          "[model][levers][requirement]") {
  const std::string readme = read(source_dir / "scenarios/README.md");
  for (const levers::Lever* l : levers::all()) {
    INFO("lever " << l->key);
    CHECK(fs::exists(source_dir / "tests/model/levers/cases" / (std::string(l->key) + ".yaml")));
    CHECK(readme.find("### `" + std::string(l->key) + "`") != std::string::npos);
  }
}

TEST_CASE("model::levers: the lever reference in scenarios/README.md is current",
          "[model][levers][docs]") {
  // REGSIM_UPDATE_DOCS=1 rewrites the generated part of the README.
  const fs::path path = source_dir / "scenarios/README.md";
  const std::string readme = read(path);
  const auto b = readme.find(begin_marker);
  const auto e = readme.find(end_marker);
  REQUIRE(b != std::string::npos);
  REQUIRE(e != std::string::npos);
  const std::string current = readme.substr(b + begin_marker.size(), e - b - begin_marker.size());
  const std::string expected = levers::reference_markdown();
  if (current != expected && std::getenv("REGSIM_UPDATE_DOCS")) {
    std::ofstream out(path, std::ios::binary);
    out << readme.substr(0, b + begin_marker.size()) << expected << readme.substr(e);
    SUCCEED("rewrote the lever reference");
    return;
  }
  INFO("run the test with REGSIM_UPDATE_DOCS=1 to regenerate");
  CHECK(current == expected);
}
