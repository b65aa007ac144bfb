// User-input errors in one style for every input (YAML scenarios, CSV seeds,
// command-line flags, HDF5 files): GCC's `file:line:column: error:` form, the
// offending line with a caret, the key path, what was expected, and the
// nearest valid name. Library code throws InputError; only cli/ prints.
#pragma once

#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "support/errors.hpp"
#include "support/text.hpp"

namespace regsim::scenario {

/// Where in a user's file something is. Line and column are 1-based; 0 = unknown.
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;
};

/// One problem in user input.
struct Diagnostic {
  SourceLocation where;
  std::string message;      ///< "unknown lever 'training_seat'"
  std::string key_path;     ///< "policies[0].lever"; empty if not applicable
  std::string expected;     ///< "one of: a, b, c"; empty if not applicable
  std::string suggestion;   ///< nearest valid name; empty if none is close
  std::string source_line;  ///< the offending input line, echoed with a caret
  int span = 1;             ///< caret width in characters
};

/// Terminal columns taken by the first `characters` characters of a UTF-8
/// line (East Asian wide characters count two).
std::size_t display_width(std::string_view line, std::size_t characters);

/// Renders a diagnostic in the GCC style, over several lines, without a
/// trailing newline.
std::string format(const Diagnostic& d);

/// A problem with a whole file, not a line of it: `file: error: message`.
Diagnostic file_problem(std::string file, std::string message, std::string expected = {});

/// Line `line` (1-based) of an input split into `lines`, echoed under a
/// diagnostic; empty when the input has no such line.
std::string line_of(std::span<const std::string> lines, int line);

/// Thrown for invalid user input; carries every problem found (exit code 2).
class InputError : public BadInput {
 public:
  explicit InputError(std::vector<Diagnostic> diagnostics);
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

 private:
  std::vector<Diagnostic> diagnostics_;
};

/// Collects problems, as a compiler does, and throws them all at once.
class Diagnostics {
 public:
  static constexpr std::size_t max_errors = 20;

  /// Adds a problem; returns false once max_errors have been collected, so
  /// callers can stop scanning early.
  bool add(Diagnostic d);
  bool empty() const { return items_.empty(); }
  std::size_t size() const { return items_.size(); }
  const std::vector<Diagnostic>& all() const { return items_; }
  /// Throws InputError if any problem was collected.
  void throw_if_any() const;

 private:
  std::vector<Diagnostic> items_;
};

// The did-you-mean helpers live below every layer (support/text.hpp).
using support::edit_distance;
using support::join;
using support::nearest_name;

}  // namespace regsim::scenario
