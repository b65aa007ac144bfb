#include "support/csv.hpp"

#include "support/text.hpp"

namespace regsim::support {

namespace {

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.emplace_back(line);
    start = end + 1;
  }
  return lines;
}

void problem(CsvTable& t, int line, int column, std::string message, std::string expected) {
  t.problems.push_back({line, column, std::move(message), std::move(expected)});
}

}  // namespace

CsvTable tokenize_csv(std::string_view text) {
  CsvTable t;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  t.lines = split_lines(text);

  const std::size_t n = text.size();
  std::size_t pos = 0;
  std::size_t line_start = 0;
  int line = 1;
  auto at_eol = [&](std::size_t p) {
    return p >= n || text[p] == '\n' || (text[p] == '\r' && p + 1 < n && text[p + 1] == '\n') ||
           (text[p] == '\r' && p + 1 == n);
  };
  auto skip_eol = [&]() {
    if (pos < n && text[pos] == '\r') ++pos;
    if (pos < n && text[pos] == '\n') ++pos;
    ++line;
    line_start = pos;
  };

  while (pos < n) {
    if (at_eol(pos)) {  // blank line
      skip_eol();
      continue;
    }
    CsvRecord rec;
    rec.line = line;
    bool broken = false;
    while (true) {
      CsvField f;
      f.line = line;
      f.column = code_points(text.substr(line_start, pos - line_start)) + 1;
      const std::size_t field_start = pos;
      if (pos < n && text[pos] == '"') {
        ++pos;
        bool closed = false;
        while (pos < n) {
          const char c = text[pos];
          if (c == '"') {
            if (pos + 1 < n && text[pos + 1] == '"') {
              f.text += '"';
              pos += 2;
              continue;
            }
            ++pos;
            closed = true;
            break;
          }
          if (c == '\n') {
            ++line;
            line_start = pos + 1;
          }
          f.text += c;
          ++pos;
        }
        if (!closed) {
          problem(t, f.line, f.column, "unterminated quoted field",
                  "a closing '\"' before the end of the file");
          broken = true;
          pos = n;
          break;
        }
        if (!at_eol(pos) && text[pos] != ',') {
          problem(t, line, code_points(text.substr(line_start, pos - line_start)) + 1,
                  "unexpected character after a closing quote", "',' or the end of the line");
          broken = true;
          while (!at_eol(pos)) ++pos;
        }
      } else {
        while (!at_eol(pos) && text[pos] != ',') {
          if (text[pos] == '"') {
            problem(t, line, code_points(text.substr(line_start, pos - line_start)) + 1,
                    "quote inside an unquoted field",
                    "the whole field in quotes, with '\"\"' for a quote");
            broken = true;
          }
          f.text += text[pos];
          ++pos;
        }
      }
      if (f.line == line) {
        f.width = code_points(text.substr(field_start, pos - field_start));
      }
      rec.fields.push_back(std::move(f));
      if (pos < n && text[pos] == ',') {
        ++pos;
        continue;
      }
      break;
    }
    rec.broken = broken;
    t.records.push_back(std::move(rec));
    if (pos < n) skip_eol();
  }
  return t;
}

}  // namespace regsim::support
