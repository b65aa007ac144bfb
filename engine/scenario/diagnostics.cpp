#include "scenario/diagnostics.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "scenario/text.hpp"

namespace regsim::scenario {

namespace {

// Decodes one UTF-8 code point at s[i], advancing i (invalid bytes count as one).
char32_t next_code_point(std::string_view s, std::size_t& i) {
  const auto b = static_cast<unsigned char>(s[i++]);
  int extra = b >= 0xf0 ? 3 : b >= 0xe0 ? 2 : b >= 0xc0 ? 1 : 0;
  char32_t cp = extra == 3 ? (b & 0x07u) : extra == 2 ? (b & 0x0fu) : extra == 1 ? (b & 0x1fu) : b;
  for (; extra > 0 && i < s.size(); --extra) {
    cp = (cp << 6) | (static_cast<unsigned char>(s[i++]) & 0x3fu);
  }
  return cp;
}

// East Asian wide and full-width characters take two terminal columns.
bool is_wide(char32_t cp) {
  return (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) ||
         (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
         (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
         (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x20000 && cp <= 0x3fffd);
}

// Byte index of the character-th character of s (s.size() past its end).
std::size_t byte_of_character(std::string_view s, std::size_t character) {
  std::size_t b = 0;
  for (std::size_t n = 0; b < s.size(); ++b) {
    if ((static_cast<unsigned char>(s[b]) & 0xC0U) != 0x80U && n++ == character) break;
  }
  return b;
}

}  // namespace

std::size_t display_width(std::string_view line, std::size_t characters) {
  std::size_t width = 0, i = 0;
  for (std::size_t n = 0; n < characters && i < line.size(); ++n) {
    width += is_wide(next_code_point(line, i)) ? 2u : 1u;
  }
  return width;
}

std::string format(const Diagnostic& d) {
  // Everything printed may come from a user's file: control characters and
  // bytes that are not UTF-8 are escaped (scenario::printable).
  std::string out;
  if (!d.where.file.empty()) {
    out += printable(d.where.file);
    if (d.where.line > 0) {
      out += fmt::format(":{}", d.where.line);
      if (d.where.column > 0) out += fmt::format(":{}", d.where.column);
    }
    out += ": ";
  }
  out += fmt::format("error: {}", printable(d.message));
  if (!d.source_line.empty() && d.where.line > 0) {
    // Columns count characters; the caret is placed by display width (of
    // the escaped text), so it stays under the right character after CJK
    // text or an escape.
    // Columns count characters; the caret is placed by display width (of
    // the escaped text), so it stays under the right character after CJK
    // text or an escape. A long line (a minified or binary file) is shown
    // as a window of at most 160 characters around the column.
    constexpr std::size_t shown = 160;
    const std::string_view line = d.source_line;
    const auto col = static_cast<std::size_t>(std::max(d.where.column, 1));
    const std::size_t first = col - 1 > shown / 2 ? col - 1 - shown / 2 : 0;
    const std::size_t begin = byte_of_character(line, first);
    const std::size_t end = byte_of_character(line, first + shown);
    const std::string_view window = line.substr(begin, end - begin);
    const std::string head = begin > 0 ? "..." : "";
    const std::string before =
        head + printable(window.substr(0, byte_of_character(window, col - 1 - first)));
    const std::size_t pad = display_width(before, before.size());
    const std::size_t width = std::clamp<std::size_t>(static_cast<std::size_t>(std::max(d.span, 1)),
                                                      1, shown + first + 1 - col);
    out += fmt::format("\n{:>5} | {}{}{}\n      | {}^{}", d.where.line, head, printable(window),
                       end < line.size() ? "..." : "", std::string(pad, ' '),
                       std::string(width - 1, '~'));
  }
  if (!d.key_path.empty()) out += fmt::format("\n  at: {}", printable(d.key_path));
  if (!d.expected.empty()) out += fmt::format("\n  expected {}", printable(d.expected));
  if (!d.suggestion.empty()) out += fmt::format("\n  did you mean '{}'?", printable(d.suggestion));
  return out;
}

namespace {
std::string summary(const std::vector<Diagnostic>& ds) {
  if (ds.empty()) return "invalid input";
  std::string s = format(ds.front());
  if (ds.size() > 1) s += fmt::format("\n(and {} more)", ds.size() - 1);
  return s;
}
}  // namespace

Diagnostic file_problem(std::string file, std::string message, std::string expected) {
  Diagnostic d;
  d.where.file = std::move(file);
  d.message = std::move(message);
  d.expected = std::move(expected);
  return d;
}

std::string line_of(std::span<const std::string> lines, int line) {
  if (line < 1 || static_cast<std::size_t>(line) > lines.size()) return {};
  return lines[static_cast<std::size_t>(line - 1)];
}

InputError::InputError(std::vector<Diagnostic> diagnostics)
    : BadInput(summary(diagnostics)), diagnostics_(std::move(diagnostics)) {}

bool Diagnostics::add(Diagnostic d) {
  if (items_.size() < max_errors) items_.push_back(std::move(d));
  return items_.size() < max_errors;
}

void Diagnostics::throw_if_any() const {
  if (!items_.empty()) throw InputError(items_);
}

}  // namespace regsim::scenario
