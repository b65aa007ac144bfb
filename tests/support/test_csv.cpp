// support::tokenize_csv, the tokenizer of the seeds, price, demand and
// design readers: RFC 4180 fields, positions in characters, problems listed.
#include <catch2/catch.hpp>

#include "support/csv.hpp"

using regsim::support::tokenize_csv;

namespace {

std::vector<std::string> texts(const regsim::support::CsvRecord& r) {
  std::vector<std::string> out;
  for (const auto& f : r.fields) out.push_back(f.text);
  return out;
}

}  // namespace

TEST_CASE("support::tokenize_csv: quoted fields, CRLF, BOM and blank lines", "[support][csv]") {
  const auto t = tokenize_csv(
      "\xEF\xBB\xBFmonth,index\r\n\r\n\"2013-01\",\"1,5\"\r\n"
      "2013-02,\"say \"\"hi\"\"\"\n");
  REQUIRE(t.problems.empty());
  REQUIRE(t.records.size() == 3);
  CHECK(texts(t.records[0]) == std::vector<std::string>{"month", "index"});
  CHECK(texts(t.records[1]) == std::vector<std::string>{"2013-01", "1,5"});
  CHECK(texts(t.records[2]) == std::vector<std::string>{"2013-02", "say \"hi\""});
  CHECK(t.records[1].line == 3);  // the blank line 2 is skipped, not renumbered
  CHECK(t.records[1].fields[1].column == 11);
  CHECK(t.records[1].fields[1].width == 5);  // the raw field, quotes included
  CHECK(t.lines[2] == "\"2013-01\",\"1,5\"");
}

TEST_CASE("support::tokenize_csv: columns count characters; a line break inside quotes",
          "[support][csv]") {
  const auto t = tokenize_csv("山西,x\n\"a\nb\",c\n");
  REQUIRE(t.problems.empty());
  REQUIRE(t.records.size() == 2);
  CHECK(t.records[0].fields[1].column == 4);  // two characters and a comma, not 7 bytes
  CHECK(t.records[1].fields[0].text == "a\nb");
  CHECK(t.records[1].fields[1].line == 3);
  CHECK(t.records[1].fields[1].column == 4);
}

TEST_CASE("support::tokenize_csv: quoting problems are listed where they are", "[support][csv]") {
  auto t = tokenize_csv("a,b\"c\n\"d\"e,f\n");
  REQUIRE(t.problems.size() == 2);
  CHECK(t.problems[0].line == 1);
  CHECK(t.problems[0].column == 4);
  CHECK(t.problems[0].message == "quote inside an unquoted field");
  CHECK(t.problems[1].line == 2);
  CHECK(t.problems[1].column == 4);
  CHECK(t.problems[1].message == "unexpected character after a closing quote");
  CHECK(t.records[0].broken);
  CHECK(t.records[1].broken);

  t = tokenize_csv("a,\"open\nstill open");
  REQUIRE(t.problems.size() == 1);
  CHECK(t.problems[0].message == "unterminated quoted field");
  CHECK(t.problems[0].column == 3);
}
