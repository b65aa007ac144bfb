// The one CSV tokenizer every reader uses (seeds, price and demand paths,
// design files): RFC 4180 — quoted fields with "" for a quote and line
// breaks inside quotes, CRLF or LF, an optional UTF-8 BOM — with blank
// lines skipped. Positions are 1-based lines and columns counted in
// characters, as editors count them, so a reader's messages point at a cell.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace regsim::support {

struct CsvField {
  std::string text;  ///< unquoted
  int line = 0;
  int column = 0;
  int width = 1;  ///< characters of the raw field on its line (for the caret)
};

struct CsvRecord {
  int line = 0;
  std::vector<CsvField> fields;
  bool broken = false;  ///< a quoting problem (listed in CsvTable::problems)
};

/// A quoting problem: where, what, and what was expected instead.
struct CsvProblem {
  int line = 0;
  int column = 0;
  std::string message;
  std::string expected;
};

struct CsvTable {
  std::vector<std::string> lines;  ///< physical lines without line ends, for echoing
  std::vector<CsvRecord> records;  ///< in file order; blank lines are not records
  std::vector<CsvProblem> problems;
};

/// Splits text into records; what could not be read is listed in problems,
/// and the table keeps the rest.
CsvTable tokenize_csv(std::string_view text);

}  // namespace regsim::support
