#include <catch2/catch.hpp>

#include "scenario/diagnostics.hpp"

using namespace regsim::scenario;

TEST_CASE("scenario::format: GCC style with the line, a caret, the key path and a suggestion",
          "[scenario][diagnostics]") {
  Diagnostic d;
  d.where = {"fyp14.yaml", 23, 12};
  d.message = "unknown lever 'training_seat'";
  d.key_path = "policies[0].lever";
  d.expected = "one of: extraction_cap, training_seats";
  d.suggestion = "training_seats";
  d.source_line = "    lever: training_seat";
  d.span = 13;
  CHECK(format(d) ==
        "fyp14.yaml:23:12: error: unknown lever 'training_seat'\n"
        "   23 |     lever: training_seat\n"
        "      |            ^~~~~~~~~~~~~\n"
        "  at: policies[0].lever\n"
        "  expected one of: extraction_cap, training_seats\n"
        "  did you mean 'training_seats'?");
}

TEST_CASE("scenario::format: the caret stays under its character after CJK text",
          "[scenario][diagnostics][error_guessing]") {
  Diagnostic d;
  d.where = {"cities.csv", 3, 4};  // 4th character: the 'x' after two CJK characters and a comma
  d.message = "bad value";
  d.source_line = "煤城,x";
  CHECK(format(d) == "cities.csv:3:4: error: bad value\n    3 | 煤城,x\n      |      ^");
  CHECK(display_width("煤城,x", 3) == 5);
}

TEST_CASE("scenario::format: control characters are escaped, the caret still aligned",
          "[scenario][errors][error_guessing]") {
  Diagnostic d;
  d.where = {"s\x1b.yaml", 2, 8};
  d.message = "unknown key 'k\x1b]0;title\x07'";
  d.source_line = "\x1b[2J\tk: v";  // ESC [ 2 J, a tab, then the key at character 6
  d.where.column = 6;
  d.key_path = "k\x1b";
  CHECK(format(d) ==
        "s\\x1b.yaml:2:6: error: unknown key 'k\\x1b]0;title\\x07'\n"
        "    2 | \\x1b[2J k: v\n"
        "      |         ^\n"
        "  at: k\\x1b");
}

TEST_CASE("scenario::format: a long line is shown as a window around the column",
          "[scenario][errors][error_guessing]") {
  Diagnostic d;
  d.where = {"min.yaml", 1, 1001};
  d.message = "bad value";
  d.source_line = std::string(1000, 'a') + "XYZ" + std::string(1000, 'b');
  d.span = 3;
  const std::string shown = "..." + std::string(80, 'a') + "XYZ" + std::string(77, 'b') + "...";
  CHECK(format(d) == "min.yaml:1:1001: error: bad value\n    1 | " + shown + "\n      | " +
                         std::string(83, ' ') + "^~~");
}

TEST_CASE("scenario::nearest_name: suggests only plausible misspellings",
          "[scenario][diagnostics]") {
  const std::vector<std::string> levers{"training_seats", "extraction_cap", "public_jobs"};
  CHECK(nearest_name("training_seat", levers) == "training_seats");
  CHECK(nearest_name("pubilc_jobs", levers) == "public_jobs");  // transposition
  CHECK(nearest_name("wage_subsidy", levers).empty());
  CHECK(edit_distance("kitten", "sitting") == 3);
}

TEST_CASE("scenario::Diagnostics: collects up to 20 problems and throws them together",
          "[scenario][diagnostics]") {
  Diagnostics ds;
  CHECK_NOTHROW(ds.throw_if_any());
  for (int i = 0; i < 25; ++i) ds.add(Diagnostic{{"f", i + 1, 1}, "problem", "", "", "", "", 1});
  CHECK(ds.size() == Diagnostics::max_errors);
  try {
    ds.throw_if_any();
    FAIL("expected InputError");
  } catch (const InputError& e) {
    CHECK(e.diagnostics().size() == 20);
    CHECK(std::string(e.what()).rfind("f:1:1: error: problem", 0) == 0);
  }
}
