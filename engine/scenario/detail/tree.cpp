#include "scenario/detail/tree.hpp"

#include <algorithm>
#include <optional>
#include <sstream>

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include "scenario/text.hpp"

namespace regsim::scenario::detail {

const Tree* Tree::find(std::string_view key) const {
  for (const auto& [k, v] : entries) {
    if (k == key) return &v;
  }
  return nullptr;
}

Tree* Tree::find(std::string_view key) {
  for (auto& [k, v] : entries) {
    if (k == key) return &v;
  }
  return nullptr;
}

void Tree::put(const std::string& key, Tree value, SourceLocation key_at) {
  if (Tree* t = find(key)) {
    *t = std::move(value);
    return;
  }
  kind = Kind::map;
  entries.emplace_back(key, std::move(value));
  key_where.push_back(std::move(key_at));
}

namespace {

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::string line;
  std::istringstream in(text);
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  return lines;
}

}  // namespace

void Sources::add(const std::string& file, const std::string& text) {
  files_[file] = split_lines(text);
}

std::string Sources::line(const SourceLocation& where) const {
  if (where.line <= 0) return {};
  if (where.file == override_file) return line_of(overrides_, where.line);
  // A file not added is a scenario file read again (the region check);
  // the CSV readers add theirs. Read as every input is: a regular file,
  // bounded (never a FIFO that blocks).
  auto it = files_.find(where.file);
  if (it == files_.end()) {
    it = files_
             .emplace(where.file,
                      split_lines(read_text_file(where.file, limits::scenario_bytes).text))
             .first;
  }
  return line_of(it->second, where.line);
}

namespace {

// The one place where yaml-cpp's 0-based marks become 1-based locations;
// columns count characters, not bytes.
SourceLocation location(const YAML::Mark& mark, const std::string& file,
                        const std::vector<std::string>& lines, int line, int column_offset) {
  if (mark.line < 0) return {file, 0, 0};
  const auto index = static_cast<std::size_t>(mark.line);
  int column = mark.column + 1;
  if (index < lines.size() && mark.column >= 0) {
    const std::string& text = lines[index];
    column = code_points(std::string_view(text).substr(
                 0, std::min(text.size(), static_cast<std::size_t>(mark.column)))) +
             1;
  }
  if (line > 0) return {file, line, column + column_offset};
  return {file, mark.line + 1, column};
}

// yaml-cpp's node graph -> Tree. Aliases are expanded (yaml-cpp shares the
// anchored node), so the expansion is bounded: limits::yaml_nodes nodes and
// limits::yaml_depth levels, and an alias inside the node it names (a
// cycle) is refused. Duplicate keys are refused too (yaml-cpp keeps both).
class Converter {
 public:
  Converter(const std::string& file, const std::vector<std::string>& lines, int line,
            int column_offset, Diagnostics& diags)
      : file_(file), lines_(lines), line_(line), column_offset_(column_offset), diags_(diags) {}

  // Converts the document; a null tree after an error.
  Tree run(const YAML::Node& root) {
    try {
      return convert(root);
    } catch (const Refused&) {
      return Tree{};
    }
  }

 private:
  struct Refused {};

  SourceLocation where(const YAML::Node& node) const {
    return location(node.Mark(), file_, lines_, line_, column_offset_);
  }

  [[noreturn]] void refuse(SourceLocation at, std::string message, std::string expected) {
    Diagnostic d;
    d.where = std::move(at);
    d.message = std::move(message);
    d.expected = std::move(expected);
    if (d.where.file != override_file) d.source_line = line_of(lines_, d.where.line);
    diags_.add(std::move(d));
    throw Refused{};
  }

  // Where a limit is reported: the top-level key whose value is being
  // expanded (an alias's own position is not kept by yaml-cpp), or the node.
  SourceLocation blame(const YAML::Node& node) const {
    return top_key_.line > 0 ? top_key_ : where(node);
  }

  Tree convert(const YAML::Node& node) {
    if (++nodes_ > limits::yaml_nodes) {
      refuse(blame(node),
             fmt::format("the YAML has more than {} nodes once its aliases are expanded (the limit "
                         "of one input)",
                         limits::yaml_nodes),
             fmt::format("at most {} nodes: fewer aliases of large lists", limits::yaml_nodes));
    }
    Tree t;
    t.where = where(node);
    const bool container =
        node.Type() == YAML::NodeType::Sequence || node.Type() == YAML::NodeType::Map;
    if (container) {
      for (const YAML::Node& a : ancestors_) {
        if (a.is(node)) {
          refuse(blame(node), "an alias refers to a node that contains it (a cycle)",
                 "an alias of an anchor defined before it, outside it");
        }
      }
      if (ancestors_.size() >= limits::yaml_depth) {
        refuse(t.where,
               fmt::format("lists and maps nested more than {} levels deep (the limit of one "
                           "input)",
                           limits::yaml_depth),
               fmt::format("at most {} levels", limits::yaml_depth));
      }
      ancestors_.push_back(node);
    }
    switch (node.Type()) {
      case YAML::NodeType::Scalar:
        t.kind = Tree::Kind::scalar;
        t.scalar = node.Scalar();
        t.span = std::max(1, code_points(t.scalar));
        break;
      case YAML::NodeType::Sequence:
        t.kind = Tree::Kind::sequence;
        for (const auto& item : node) t.items.push_back(convert(item));
        break;
      case YAML::NodeType::Map:
        t.kind = Tree::Kind::map;
        for (const auto& kv : node) {
          Tree key = convert(kv.first);
          if (!key.is_scalar()) {
            refuse(key.where, "a map key must be a plain value", "key: value");
          }
          for (std::size_t i = 0; i < t.entries.size(); ++i) {
            if (t.entries[i].first != key.scalar) continue;
            refuse(key.where,
                   fmt::format("duplicate key '{}' (first on line {})", key.scalar,
                               t.key_where[i].line),
                   "each key once in a map");
          }
          const bool top = ancestors_.size() == 1;
          if (top) top_key_ = key.where;
          t.entries.emplace_back(key.scalar, convert(kv.second));
          t.key_where.push_back(key.where);
          if (top) top_key_ = {};
        }
        break;
      default:
        t.kind = Tree::Kind::null;
        break;
    }
    if (container) ancestors_.pop_back();
    return t;
  }

  const std::string& file_;
  const std::vector<std::string>& lines_;
  int line_, column_offset_;
  Diagnostics& diags_;
  std::size_t nodes_ = 0;
  std::vector<YAML::Node> ancestors_;
  SourceLocation top_key_;
};

// Where a second document of text starts, if it has one. The parser is
// asked twice at most: yaml-cpp's LoadAll loops forever on a stray ','
// (each call yields an empty document without consuming it).
std::optional<YAML::Mark> second_document(const std::string& text) {
  struct Starts : YAML::EventHandler {
    std::optional<YAML::Mark> mark;
    void OnDocumentStart(const YAML::Mark& m) override { mark = m; }
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
    void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
    void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  const std::string&) override {}
    void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                         YAML::EmitterStyle::value) override {}
    void OnSequenceEnd() override {}
    void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                    YAML::EmitterStyle::value) override {}
    void OnMapEnd() override {}
  };
  std::istringstream in(text);
  YAML::Parser parser(in);
  Starts first, second;
  parser.HandleNextDocument(first);
  if (!parser.HandleNextDocument(second)) return std::nullopt;
  return second.mark.value_or(YAML::Mark::null_mark());
}

}  // namespace

Tree parse(const std::string& text, const std::string& file, Sources& sources, Diagnostics& diags,
           int line, int column_offset) {
  const std::vector<std::string> lines = split_lines(text);
  if (line == 0) sources.add(file, text);
  if (auto bad = utf8_diagnostic(text, file)) {
    if (line > 0) bad->where = {file, line, bad->where.column + column_offset};
    diags.add(std::move(*bad));
    return Tree{};
  }
  // YAML allows no control characters but tab and line ends (YAML 1.2
  // §5.1); yaml-cpp 0.7 can loop forever on a NUL.
  const auto control = std::find_if(text.begin(), text.end(), [](char c) {
    const auto b = static_cast<unsigned char>(c);
    return (b < 0x20 && b != '\t' && b != '\n' && b != '\r') || b == 0x7F;
  });
  if (control != text.end()) {
    const auto offset = static_cast<std::size_t>(control - text.begin());
    Diagnostic d;
    d.where = location_at(text, offset, file);
    if (line > 0) d.where = {file, line, d.where.column + column_offset};
    d.message = fmt::format("control character \\x{:02x} at byte offset {}",
                            static_cast<unsigned char>(*control), offset);
    d.expected = "YAML text: no control characters but tabs and line ends";
    d.source_line = line > 0 ? sources.line(d.where) : std::string(line_at(text, offset));
    diags.add(std::move(d));
    return Tree{};
  }
  try {
    const YAML::Node root = YAML::Load(text);  // the first document
    if (const auto second = second_document(text)) {
      // At its '---' if there is one after the first document's root.
      SourceLocation at = location(*second, file, lines, line, column_offset);
      bool marked = false;
      for (std::size_t i = 0; i < lines.size(); ++i) {
        if (static_cast<int>(i) > root.Mark().line && lines[i].rfind("---", 0) == 0) {
          at = line > 0 ? SourceLocation{file, line, column_offset + 1}
                        : SourceLocation{file, static_cast<int>(i) + 1, 1};
          marked = true;
          break;
        }
      }
      Diagnostic d;
      d.where = at;
      d.message = marked ? "a second YAML document (after '---'): one input holds one document"
                         : "invalid YAML: text after the end of the document";
      d.expected = "a single document";
      d.source_line = sources.line(d.where);
      diags.add(std::move(d));
      return Tree{};
    }
    return Converter(file, lines, line, column_offset, diags).run(root);
  } catch (const YAML::Exception& e) {
    Diagnostic d;
    d.where = location(e.mark, file, lines, line, column_offset);
    d.message = fmt::format("invalid YAML: {}", e.msg);
    d.source_line = sources.line(d.where);
    diags.add(std::move(d));
    return Tree{};
  }
}

namespace {

void emit_node(YAML::Emitter& out, const Tree& t) {
  switch (t.kind) {
    case Tree::Kind::null:
      out << YAML::Null;
      break;
    case Tree::Kind::scalar:
      out << t.scalar;
      break;
    case Tree::Kind::sequence:
      out << YAML::BeginSeq;
      for (const auto& item : t.items) emit_node(out, item);
      out << YAML::EndSeq;
      break;
    case Tree::Kind::map:
      out << YAML::BeginMap;
      for (const auto& [k, v] : t.entries) {
        out << YAML::Key << k << YAML::Value;
        emit_node(out, v);
      }
      out << YAML::EndMap;
      break;
  }
}

}  // namespace

std::string emit(const Tree& tree) {
  YAML::Emitter out;
  emit_node(out, tree);
  return std::string(out.c_str()) + "\n";
}

}  // namespace regsim::scenario::detail
