#include "scenario/detail/tree.hpp"

#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

namespace regsim::scenario::detail {

int code_points(std::string_view s) {
  int n = 0;
  for (const char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0U) != 0x80U) ++n;
  }
  return n;
}

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
  const auto n = static_cast<std::size_t>(where.line);
  if (where.file == override_file)
    return n <= overrides_.size() ? overrides_[n - 1] : std::string{};
  auto it = files_.find(where.file);
  if (it == files_.end()) {
    std::ifstream in(where.file, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    it = files_.emplace(where.file, split_lines(ss.str())).first;
  }
  return n <= it->second.size() ? it->second[n - 1] : std::string{};
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

Tree convert(const YAML::Node& node, const std::string& file, const std::vector<std::string>& lines,
             int line, int column_offset) {
  Tree t;
  t.where = location(node.Mark(), file, lines, line, column_offset);
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      t.kind = Tree::Kind::scalar;
      t.scalar = node.Scalar();
      t.span = std::max(1, code_points(t.scalar));
      break;
    case YAML::NodeType::Sequence:
      t.kind = Tree::Kind::sequence;
      for (const auto& item : node)
        t.items.push_back(convert(item, file, lines, line, column_offset));
      break;
    case YAML::NodeType::Map:
      t.kind = Tree::Kind::map;
      for (const auto& kv : node) {
        Tree key = convert(kv.first, file, lines, line, column_offset);
        t.entries.emplace_back(key.scalar, convert(kv.second, file, lines, line, column_offset));
        t.key_where.push_back(key.where);
      }
      break;
    default:
      t.kind = Tree::Kind::null;
      break;
  }
  return t;
}

}  // namespace

Tree parse(const std::string& text, const std::string& file, Sources& sources, Diagnostics& diags,
           int line, int column_offset) {
  const std::vector<std::string> lines = split_lines(text);
  if (line == 0) sources.add(file, text);
  try {
    const YAML::Node root = YAML::Load(text);
    return convert(root, file, lines, line, column_offset);
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
