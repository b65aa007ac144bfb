// Reading files, `extends` and --set (loader.hpp).
#include "scenario/detail/loader.hpp"

#include <algorithm>
#include <charconv>
#include <optional>

#include <fmt/format.h>

#include "scenario/keys.hpp"
#include "scenario/text.hpp"

namespace regsim::scenario::detail {

namespace {

// The keys of a scenario file.
const std::vector<std::string> top_keys = keys::names(keys::top);

// Deep merge of maps; lists and scalars replaced, except the top-level
// `policies`, which are appended after the parent's. An uncertainty is
// replaced whole (its distribution is one choice, not a set of keys).
void merge(Tree& base, const Tree& over, const std::string& path = {}) {
  if (!base.is_map() || !over.is_map()) {
    base = over;
    return;
  }
  for (std::size_t i = 0; i < over.entries.size(); ++i) {
    const auto& [key, value] = over.entries[i];
    Tree* existing = base.find(key);
    if (!existing) {
      base.put(key, value, over.key_where[i]);
    } else if (path.empty() && key == "policies" && existing->is_sequence() &&
               value.is_sequence()) {
      existing->items.insert(existing->items.end(), value.items.begin(), value.items.end());
    } else if (path == "uncertainties") {
      *existing = value;
    } else {
      merge(*existing, value, path.empty() ? key : path + "." + key);
    }
  }
}

// The parts of a --set key path: split at dots, except within a parameter
// or uncertainty name, which contains dots itself.
std::vector<std::string> split_key_path(const std::string& path) {
  std::vector<std::string> parts;
  std::size_t pos = 0;
  while (pos <= path.size()) {
    std::size_t dot = path.find('.', pos);
    if (dot == std::string::npos) dot = path.size();
    parts.push_back(path.substr(pos, dot - pos));
    pos = dot + 1;
    if (!parts.empty() && (parts[0] == "parameters" || parts[0] == "uncertainties") &&
        parts.size() == 1 && pos <= path.size()) {
      parts.push_back(path.substr(pos));
      break;
    }
  }
  return parts;
}

}  // namespace

Tree Loader::read(const std::filesystem::path& file, std::vector<std::string>& chain,
                  const SourceLocation* from, int from_span) {
  const std::string name = file.lexically_normal().string();
  auto refuse = [&](std::string message, std::string expected) {
    if (from) {
      f_.error(*from, from_span, std::move(message), "extends", std::move(expected));
    } else {
      f_.error(SourceLocation{name, 0, 0}, 1, std::move(message), "", std::move(expected));
    }
    return Tree{};
  };
  if (chain.size() >= limits::extends_depth) {
    return refuse(
        fmt::format("'extends' chain longer than {} files (the limit)", limits::extends_depth),
        fmt::format("at most {} files from the scenario to its first ancestor",
                    limits::extends_depth));
  }
  TextFile f = read_text_file(file, limits::scenario_bytes);
  if (!f.problem.empty()) {
    return refuse(fmt::format("cannot read scenario file '{}': {}", name, f.problem),
                  from ? fmt::format("a path relative to the file that extends it, a regular "
                                     "file of at most {} bytes",
                                     limits::scenario_bytes)
                       : fmt::format("a regular file of at most {} bytes", limits::scenario_bytes));
  }
  return read_text(f.text, file, chain, from, from_span);
}

Tree Loader::read_text(const std::string& text, const std::filesystem::path& file,
                       std::vector<std::string>& chain, const SourceLocation* from, int from_span) {
  const std::string name = file.lexically_normal().string();
  Tree t = parse(text, name, f_.sources(), f_.diagnostics());
  if (t.kind == Tree::Kind::null) return t;
  if (!is_scenario_text(t, name, from, from_span)) return Tree{};
  return with_parent(t, file, chain);
}

// A file that is not a map, or has none of the scenario's keys, is not a
// scenario: said once, at the `extends` naming it, without echoing its
// lines (it may be any local file).
bool Loader::is_scenario_text(const Tree& t, const std::string& name, const SourceLocation* from,
                              int from_span) {
  const bool scenario_text =
      t.is_map() &&
      (t.entries.empty() || std::any_of(t.entries.begin(), t.entries.end(), [](const auto& e) {
         return std::find(top_keys.begin(), top_keys.end(), e.first) != top_keys.end();
       }));
  if (!scenario_text && (from || t.is_map())) {
    Diagnostic d;
    d.where = from ? *from : SourceLocation{name, 0, 0};
    d.span = from ? from_span : 1;
    d.source_line = from ? f_.sources().line(*from) : std::string{};
    d.message =
        fmt::format("not a scenario file: '{}' {}", name,
                    t.is_map() ? "has none of the scenario's keys" : "is not a map of keys");
    d.key_path = from ? "extends" : "";
    d.expected = "keys such as " + join(top_keys);
    f_.diagnostics().add(std::move(d));
    return false;
  }
  if (!t.is_map()) {
    f_.error(t.where, 1, "a scenario file must be a map of keys", "",
             "keys such as scenario:, horizon:");
    return false;
  }
  return true;
}

// The file's tree merged over its parent's, if it names one in `extends`.
Tree Loader::with_parent(const Tree& t, const std::filesystem::path& file,
                         std::vector<std::string>& chain) {
  const Tree* ext = t.find("extends");
  if (!ext) return t;
  if (!ext->is_scalar()) {
    f_.error(*ext, "'extends' must be a file path", "extends", "a path relative to this file");
    return t;
  }
  const std::filesystem::path parent_path = (file.parent_path() / ext->scalar).lexically_normal();
  const std::string parent = parent_path.string();
  chain.push_back(file.lexically_normal().string());
  if (std::find(chain.begin(), chain.end(), parent) != chain.end()) {
    std::string cycle;
    for (const auto& f : chain) cycle += f + " -> ";
    f_.error(*ext, fmt::format("circular extends: {}{}", cycle, parent), "extends",
             "a chain of files that ends");
    chain.pop_back();
    return t;
  }
  Tree base = read(parent_path, chain, &ext->where, ext->span);
  chain.pop_back();
  Tree child = t;  // without its `extends`
  child.entries.clear();
  child.key_where.clear();
  for (std::size_t i = 0; i < t.entries.size(); ++i) {
    if (t.entries[i].first == "extends") continue;
    child.entries.push_back(t.entries[i]);
    child.key_where.push_back(t.key_where[i]);
  }
  if (base.kind == Tree::Kind::null) return child;
  merge(base, child);
  return base;
}

void Loader::apply_override(Tree& root, const std::string& text, int n) {
  f_.sources().add_override(text);
  const std::size_t eq = text.find('=');
  const SourceLocation start{override_file, n, 1};
  if (eq == std::string::npos || eq == 0) {
    f_.error(start, code_points(text), fmt::format("--set '{}' is not of the form key=value", text),
             "", "key=value, e.g. experiment.replications=4");
    return;
  }
  if (auto bad = utf8_diagnostic(text, override_file)) {
    bad->where.line = n;
    f_.diagnostics().add(std::move(*bad));
    return;
  }
  const std::string path = text.substr(0, eq);
  const int value_column = code_points(text.substr(0, eq + 1));
  if (path == "extends" || path.starts_with("extends.") || path.starts_with("extends[")) {
    f_.error(start, code_points(path), "'extends' cannot be set with --set", "extends",
             "extends: in the scenario file (a scenario's ancestors are part of the file)");
    return;
  }
  Tree value =
      parse(text.substr(eq + 1), override_file, f_.sources(), f_.diagnostics(), n, value_column);
  if (value.kind == Tree::Kind::null) {
    value.kind = Tree::Kind::scalar;
    value.where = {override_file, n, value_column + 1};
  }
  set_at(root, split_key_path(path), path, value, n);
}

// Walks `parts` from the root, making the maps missing on the way, and puts
// `value` at the end; false (reported) where the path cannot be followed.
bool Loader::set_at(Tree& root, const std::vector<std::string>& parts, const std::string& path,
                    const Tree& value, int n) {
  Tree* node = &root;
  std::size_t column = 0;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    std::string key = parts[i];
    std::optional<std::size_t> index;
    const std::size_t bracket = key.find('[');
    if (bracket != std::string::npos && key.back() == ']') {
      std::size_t idx = 0;
      const auto [ptr, ec] =
          std::from_chars(key.data() + bracket + 1, key.data() + key.size() - 1, idx);
      if (ec != std::errc{} || ptr != key.data() + key.size() - 1) {
        f_.error(SourceLocation{override_file, n, static_cast<int>(column) + 1},
                 code_points(parts[i]), fmt::format("bad list index in '{}'", parts[i]), path,
                 "key[index], e.g. policies[0].set.cap");
        return false;
      }
      index = idx;
      key = key.substr(0, bracket);
    }
    const SourceLocation key_at{override_file, n, static_cast<int>(column) + 1};
    const bool last = i + 1 == parts.size();
    if (node->kind == Tree::Kind::null) node->kind = Tree::Kind::map;
    if (!node->is_map()) {
      f_.error(key_at, code_points(parts[i]),
               fmt::format("cannot set '{}': its parent is not a map", key), path);
      return false;
    }
    Tree* child = node->find(key);
    if (index) {
      if (!child || !child->is_sequence() || *index >= child->items.size()) {
        f_.error(
            key_at, code_points(parts[i]), fmt::format("no element {} in '{}'", *index, key), path,
            child && child->is_sequence() ? fmt::format("an index below {}", child->items.size())
                                          : "an existing list");
        return false;
      }
      child = &child->items[*index];
      if (last) {
        *child = value;
        return true;
      }
    } else if (last) {
      node->put(key, value, key_at);
      return true;
    } else if (!child) {
      Tree map;
      map.kind = Tree::Kind::map;
      map.where = key_at;
      node->put(key, std::move(map), key_at);
      child = node->find(key);
    }
    node = child;
    column += parts[i].size() + 1;
  }
  return true;
}

}  // namespace regsim::scenario::detail
