// Reading a scenario's files into one tree: the file and its `extends`
// chain (deep merge; policies appended), then the --set overrides. Limits
// on files and chains are those of text.hpp. Internal to the scenario layer.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "scenario/detail/fields.hpp"
#include "scenario/detail/tree.hpp"

namespace regsim::scenario::detail {

class Loader {
 public:
  /// Problems are reported through `fields` (its sources and diagnostics).
  explicit Loader(Fields& fields) : f_(fields) {}

  /// Reads `file` and its parents; `chain` holds the files being read;
  /// `from` is the `extends` naming it (nullptr for the scenario itself).
  Tree read(const std::filesystem::path& file, std::vector<std::string>& chain,
            const SourceLocation* from, int from_span);
  /// The same for a file's text already in memory.
  Tree read_text(const std::string& text, const std::filesystem::path& file,
                 std::vector<std::string>& chain, const SourceLocation* from, int from_span);
  /// Applies "a.b.c=value" (the n-th --set, 1-based).
  void apply_override(Tree& root, const std::string& text, int n);

 private:
  bool is_scenario_text(const Tree& t, const std::string& name, const SourceLocation* from,
                        int from_span);
  Tree with_parent(const Tree& t, const std::filesystem::path& file,
                   std::vector<std::string>& chain);
  bool set_at(Tree& root, const std::vector<std::string>& parts, const std::string& path,
              const Tree& value, int n);

  Fields& f_;
};

}  // namespace regsim::scenario::detail
