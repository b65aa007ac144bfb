// A YAML document as a plain tree that remembers where each node came from
// (file, line, column), so that nodes merged from several files by
// `extends` and `--set` still point at their own source. yaml-cpp is used
// only in tree.cpp. Internal to the scenario layer.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "scenario/diagnostics.hpp"
#include "scenario/text.hpp"

namespace regsim::scenario::detail {

struct Tree {
  enum class Kind { null, scalar, sequence, map };
  Kind kind = Kind::null;
  std::string scalar;
  std::vector<std::pair<std::string, Tree>> entries;  ///< map: key -> value, in file order
  std::vector<SourceLocation> key_where;              ///< map: where each key is
  std::vector<Tree> items;                            ///< sequence
  SourceLocation where;
  int span = 1;  ///< characters of the node's text (scalars) for the caret

  // Not an aggregate: clang cannot decide whether pair<string, Tree> is
  // default-constructible while Tree is being defined (tools/fuzz builds
  // with clang).
  Tree() noexcept {}

  bool is_map() const { return kind == Kind::map; }
  bool is_sequence() const { return kind == Kind::sequence; }
  bool is_scalar() const { return kind == Kind::scalar; }
  /// The value of a map key, or nullptr.
  const Tree* find(std::string_view key) const;
  Tree* find(std::string_view key);
  /// Sets (or adds) a map entry.
  void put(const std::string& key, Tree value, SourceLocation key_at);
};

/// The lines of every input file read, and the --set strings, so that
/// diagnostics can echo the offending line.
class Sources {
 public:
  void add(const std::string& file, const std::string& text);
  void add_override(const std::string& text) { overrides_.push_back(text); }
  /// The line at `where`, reading the file from disk if it was not added.
  std::string line(const SourceLocation& where) const;

 private:
  mutable std::map<std::string, std::vector<std::string>> files_;
  std::vector<std::string> overrides_;
};

inline constexpr const char* override_file = "--set";

/// Parses YAML text: one document, valid UTF-8, keys once per map, at most
/// limits::yaml_nodes nodes with aliases expanded and limits::yaml_depth
/// levels. A problem becomes a diagnostic at its location and the result is
/// a null tree. `line`/`column_offset` place text that is part
/// of a larger input (a --set value).
Tree parse(const std::string& text, const std::string& file, Sources& sources, Diagnostics& diags,
           int line = 0, int column_offset = 0);

/// The tree as YAML text (block style, keys in order).
std::string emit(const Tree& tree);

}  // namespace regsim::scenario::detail
