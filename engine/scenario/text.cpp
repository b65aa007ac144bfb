#include "scenario/text.hpp"
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

namespace regsim::scenario {

namespace {

// Length of the valid UTF-8 sequence at s[i] and its code point, or 0 if the
// bytes there are not one (RFC 3629: no overlong forms, no surrogates, at
// most U+10FFFF).
std::size_t sequence_at(std::string_view s, std::size_t i, char32_t& cp) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b = byte(i);
  if (b < 0x80) {
    cp = b;
    return 1;
  }
  std::size_t n = 0;
  char32_t min = 0;
  if ((b & 0xE0U) == 0xC0U) {
    n = 2, cp = b & 0x1FU, min = 0x80;
  } else if ((b & 0xF0U) == 0xE0U) {
    n = 3, cp = b & 0x0FU, min = 0x800;
  } else if ((b & 0xF8U) == 0xF0U) {
    n = 4, cp = b & 0x07U, min = 0x10000;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0U) != 0x80U) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3FU);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

// Characters a terminal would act on rather than show: C0 and C1 controls,
// DEL, and the bidirectional overrides that reorder what is displayed.
bool is_control(char32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069);
}

}  // namespace

std::optional<std::size_t> invalid_utf8_offset(std::string_view s) {
  char32_t cp = 0;
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = sequence_at(s, i, cp);
    if (n == 0) return i;
    i += n;
  }
  return std::nullopt;
}

namespace {
std::size_t line_start(std::string_view text, std::size_t offset) {
  const std::size_t newline = offset == 0 ? std::string_view::npos : text.rfind('\n', offset - 1);
  return newline == std::string_view::npos ? 0 : newline + 1;
}
}  // namespace

SourceLocation location_at(std::string_view text, std::size_t offset, const std::string& file) {
  const std::size_t begin = line_start(text, offset);
  return {file, static_cast<int>(std::count(text.begin(), text.begin() + begin, '\n')) + 1,
          code_points(text.substr(begin, offset - begin)) + 1};
}

std::string_view line_at(std::string_view text, std::size_t offset) {
  const std::size_t begin = line_start(text, offset);
  std::size_t end = text.find('\n', offset);
  if (end == std::string_view::npos) end = text.size();
  std::string_view line = text.substr(begin, end - begin);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

std::optional<Diagnostic> utf8_diagnostic(std::string_view text, const std::string& file) {
  const auto offset = invalid_utf8_offset(text);
  if (!offset) return std::nullopt;
  Diagnostic d;
  d.where = location_at(text, *offset, file);
  d.message = fmt::format("invalid UTF-8 at byte offset {}", *offset);
  d.expected = "text encoded as UTF-8";
  d.source_line = std::string(line_at(text, *offset));
  return d;
}

std::string printable(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  char32_t cp = 0;
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = sequence_at(s, i, cp);
    if (n == 0) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(s[i]));
      ++i;
      continue;
    }
    if (cp == '\t') {
      out += ' ';
    } else if (cp == '\n') {
      out += "\\n";
    } else if (cp == '\r') {
      out += "\\r";
    } else if (is_control(cp)) {
      out += cp <= 0xFF ? fmt::format("\\x{:02x}", static_cast<unsigned>(cp))
                        : fmt::format("\\u{:04x}", static_cast<unsigned>(cp));
    } else {
      out.append(s.substr(i, n));
    }
    i += n;
  }
  return out;
}

TextFile read_text_file(const std::filesystem::path& path, std::uintmax_t max_bytes) {
  TextFile f;
  // O_NONBLOCK: opening a FIFO with no writer must not wait for one.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    f.problem = std::strerror(errno);
    return f;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    f.problem = std::strerror(errno);
  } else if (!S_ISREG(st.st_mode)) {
    f.problem = S_ISDIR(st.st_mode)                          ? "a directory, not a file"
                : S_ISFIFO(st.st_mode)                       ? "a FIFO, not a regular file"
                : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device, not a regular file"
                                                             : "not a regular file";
  } else if (static_cast<std::uintmax_t>(st.st_size) > max_bytes) {
    f.problem = fmt::format("{} bytes, more than the limit of {} bytes",
                            static_cast<std::uintmax_t>(st.st_size), max_bytes);
  }
  if (!f.problem.empty()) {
    ::close(fd);
    return f;
  }
  // Read up to one byte past the limit: a file may grow, or report a size
  // of 0 (/proc), after fstat.
  char buffer[65536];
  while (true) {
    const ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got < 0) {
      if (errno == EINTR) continue;
      f.problem = std::strerror(errno);
      break;
    }
    if (got == 0) break;
    f.text.append(buffer, static_cast<std::size_t>(got));
    if (f.text.size() > max_bytes) {
      f.problem = fmt::format("more than the limit of {} bytes", max_bytes);
      break;
    }
  }
  ::close(fd);
  if (!f.problem.empty()) f.text.clear();
  return f;
}

}  // namespace regsim::scenario
