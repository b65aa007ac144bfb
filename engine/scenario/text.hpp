// Text inputs: the one way every text file is read (a regular file of
// bounded size, never a FIFO or a device), the one UTF-8 check, and the
// upper bounds on inputs (the table in README.md, "Input limits"). Used by
// the scenario loader, the price, demand and design readers, the targets
// file and io's seeds reader.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "scenario/diagnostics.hpp"

namespace regsim::scenario {

/// Upper bounds on inputs (README.md, "Input limits").
namespace limits {
inline constexpr std::uintmax_t scenario_bytes = 1u << 20;  ///< one YAML file (scenario, targets)
inline constexpr std::uintmax_t csv_bytes = 32u << 20;      ///< one CSV file (seeds, price, design)
inline constexpr std::size_t extends_depth = 32;            ///< files in an `extends` chain
inline constexpr std::size_t yaml_nodes = 100'000;          ///< nodes of a file, aliases expanded
inline constexpr std::size_t yaml_depth = 64;               ///< nesting of maps and lists
inline constexpr std::size_t cities = 10'000;               ///< rows of cities.csv
inline constexpr std::size_t mines = 100'000;               ///< rows of mines.csv
inline constexpr std::int64_t persons = 1'000'000'000;      ///< a person count of one city or unit
inline constexpr std::size_t policies = 1'000;
inline constexpr std::size_t uncertainties = 1'000;
inline constexpr std::size_t goals = 1'000;
}  // namespace limits

using support::code_points;

/// Byte offset of the first byte of s that does not belong to a valid UTF-8
/// sequence (overlong forms, surrogates and code points above U+10FFFF are
/// invalid), or std::nullopt if s is valid UTF-8.
std::optional<std::size_t> invalid_utf8_offset(std::string_view s);

/// file:line:column (columns in characters) of the byte at `offset` of text.
SourceLocation location_at(std::string_view text, std::size_t offset, const std::string& file);

/// The line of text holding the byte at `offset`, without its line end.
std::string_view line_at(std::string_view text, std::size_t offset);

/// The diagnostic for text that is not valid UTF-8 (`file`:line:column and
/// the byte offset), or std::nullopt if it is valid.
std::optional<Diagnostic> utf8_diagnostic(std::string_view text, const std::string& file);

/// s made safe to print on a terminal: control characters other than tab
/// and bytes that are not UTF-8 become escapes (\n, \x1b), tabs a space.
std::string printable(std::string_view s);

/// A text file read whole, or why it was not.
struct TextFile {
  std::string text;
  std::string problem;  ///< empty if read: "no such file", "not a regular file (a FIFO)", ...
};

/// Reads `path` if it is a regular file of at most `max_bytes` bytes. A
/// FIFO, a device, a directory or a larger file is refused before a byte
/// is read (the type is checked on the opened descriptor, which does not
/// block). Does not check UTF-8 (see utf8_diagnostic).
TextFile read_text_file(const std::filesystem::path& path, std::uintmax_t max_bytes);

}  // namespace regsim::scenario
