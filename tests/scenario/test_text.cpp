// scenario/text.hpp: the UTF-8 check, terminal-safe printing and the one
// reader of text inputs (regular files of bounded size only).
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "scenario/text.hpp"

namespace fs = std::filesystem;
using namespace regsim::scenario;

namespace {
struct ScratchDir {
  ScratchDir()
      : path(fs::temp_directory_path() /
             ("regsim-text-" +
              std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()))) {
    fs::create_directories(path);
  }
  ~ScratchDir() { fs::remove_all(path); }
  fs::path path;
};
}  // namespace

TEST_CASE("scenario::invalid_utf8_offset: RFC 3629 sequences only", "[scenario][text]") {
  CHECK_FALSE(invalid_utf8_offset("plain ascii"));
  CHECK_FALSE(invalid_utf8_offset("煤城市 Meicheng 𠀀"));
  CHECK(invalid_utf8_offset("ab\xff") == 2u);
  CHECK(invalid_utf8_offset("a\xc0\xaf") == 1u);         // overlong '/'
  CHECK(invalid_utf8_offset("ab\xed\xa0\x80") == 2u);    // a surrogate
  CHECK(invalid_utf8_offset("\xf4\x90\x80\x80") == 0u);  // above U+10FFFF
  CHECK(invalid_utf8_offset("abc\xe7\x85") == 3u);       // truncated at the end
  CHECK(invalid_utf8_offset("\xe7\x85"
                            "a") == 0u);  // truncated before a character
}

TEST_CASE("scenario::utf8_diagnostic: line, column in characters and the byte offset",
          "[scenario][text]") {
  CHECK_FALSE(utf8_diagnostic("a: 1\nb: 煤\n", "f.yaml"));
  const auto d = utf8_diagnostic("a: 1\nb: 煤\xff\n", "f.yaml");
  REQUIRE(d);
  CHECK(d->where.file == "f.yaml");
  CHECK(d->where.line == 2);
  CHECK(d->where.column == 5);
  CHECK(d->message == "invalid UTF-8 at byte offset 11");
  CHECK(d->source_line == "b: 煤\xff");
}

TEST_CASE("scenario::printable: control characters and stray bytes are escaped",
          "[scenario][text][error_guessing]") {
  CHECK(printable("煤城市 ok") == "煤城市 ok");
  CHECK(printable("a\x1b[31mb") == "a\\x1b[31mb");
  CHECK(printable("tab\there") == "tab here");
  CHECK(printable("two\nlines\r") == "two\\nlines\\r");
  CHECK(printable("bad\xff") == "bad\\xff");
  CHECK(printable("\xc2\x9b"
                  "c1") == "\\x9bc1");                  // C1 control (CSI)
  CHECK(printable("rtl\xe2\x80\xae") == "rtl\\u202e");  // bidi override
}

TEST_CASE("scenario::read_text_file: regular files of bounded size only",
          "[scenario][text][error_guessing]") {
  ScratchDir dir;
  const fs::path ok = dir.path / "ok.yaml";
  std::ofstream(ok) << "scenario: ok\n";
  const auto read = read_text_file(ok, 100);
  CHECK(read.problem.empty());
  CHECK(read.text == "scenario: ok\n");

  CHECK(read_text_file(ok, 5).problem == "13 bytes, more than the limit of 5 bytes");
  CHECK(read_text_file(dir.path / "missing.yaml", 100).problem == "No such file or directory");
  CHECK(read_text_file(dir.path, 100).problem == "a directory, not a file");
  CHECK(read_text_file("/dev/zero", 100).problem == "a device, not a regular file");
  // A FIFO with no writer: refused at once, not waited on.
  const fs::path fifo = dir.path / "fifo.csv";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  const auto start = std::chrono::steady_clock::now();
  CHECK(read_text_file(fifo, 100).problem == "a FIFO, not a regular file");
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(1));
}

TEST_CASE("scenario::limits: README.md's input limits table lists every limit",
          "[scenario][limits][docs]") {
  std::ifstream in(fs::path(REGSIM_SOURCE_DIR) / "README.md");
  const std::string readme{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  const auto row = [&](const std::string& text) {
    INFO(text);
    CHECK(readme.find(text) != std::string::npos);
  };
  row(fmt::format("calibration targets) | {} bytes |", limits::scenario_bytes));
  row(fmt::format("price, demand and design files) | {} bytes |", limits::csv_bytes));
  row(fmt::format("| an `extends` chain | {} files |", limits::extends_depth));
  row(fmt::format("| YAML nodes of one file, aliases expanded | {} |", limits::yaml_nodes));
  row(fmt::format("| YAML nesting of lists and maps | {} levels |", limits::yaml_depth));
  row(fmt::format("| cities of a region | {} |", limits::cities));
  row(fmt::format("| production units of a region | {} |", limits::mines));
  row(fmt::format("(population, workforce, ...) | {} |", limits::persons));
  row(fmt::format("| policies | {} |", limits::policies));
  row(fmt::format("| goals | {} |", limits::goals));
  row(fmt::format("| uncertainties | {} (", limits::uncertainties));
}
