#include "thaiyyal/load/loader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <mutex>

#include "thaiyyal/diag/spellcheck.h"
#include "thaiyyal/load/string_source.h"
#include "thaiyyal/load/yaml_reader.h"
#include "thaiyyal/model/value_json.h"

namespace thaiyyal::load {
namespace {

using diag::Diagnostics;
using diag::Location;

/// JSON positions, found on demand. The offsets of the `nodes` and `edges`
/// elements are computed once, so each lookup scans one element only.
class JsonLocator final : public SourceLocator {
 public:
  explicit JsonLocator(std::shared_ptr<const diag::SourceFile> file) : file_(std::move(file)) {}

  Location locate(const std::vector<PathStep>& path, bool at_key) const override {
    Location loc;
    loc.file = file_;
    const std::string_view text = file_->text();
    const std::optional<std::size_t> off = offset_of(path, at_key);
    if (!off) return loc;
    auto [line, col] = file_->line_column(*off);
    loc.line = line;
    loc.column = col;
    std::size_t len = json_value_length(text, *off);
    // Keep carets on one line.
    const auto nl = text.find('\n', *off);
    if (nl != std::string_view::npos && *off + len > nl) len = nl - *off;
    loc.length = static_cast<int>(std::max<std::size_t>(1, std::min<std::size_t>(len, 80)));
    return loc;
  }

  Location locate_in_string(const std::vector<PathStep>& path, std::size_t offset,
                            std::size_t length, bool at_key) const override {
    const std::optional<std::size_t> off = offset_of(path, at_key);
    if (!off) return locate(path, at_key);
    const auto src = detail::json_string_source(file_->text(), *off);
    if (!src) return SourceLocator::locate_in_string(path, offset, length, at_key);
    return detail::string_location(file_, 0, src->range(offset, length));
  }

 private:
  /// Byte offset of the value at `path` (or of its key).
  std::optional<std::size_t> offset_of(const std::vector<PathStep>& path, bool at_key) const {
    const std::string_view text = file_->text();
    if (path.size() >= 2 && !path[0].index && (path[0].key == "nodes" || path[0].key == "edges") &&
        path[1].index) {
      const auto& elems = elements(path[0].key == "nodes" ? 0 : 1, path[0].key);
      if (*path[1].index >= elems.size()) return std::nullopt;
      std::vector<PathStep> rest(path.begin() + 2, path.end());
      if (rest.empty()) return elems[*path[1].index];
      return locate_json_path(text, rest, at_key, elems[*path[1].index]);
    }
    return locate_json_path(text, path, at_key);
  }

  const std::vector<std::size_t>& elements(int which, const std::string& key) const {
    std::lock_guard<std::mutex> lock(mu_);
    auto& slot = offsets_[which];
    if (!slot) {
      slot.emplace();
      const auto arr = locate_json_path(file_->text(), {PathStep{key, std::nullopt}});
      if (arr) *slot = json_array_element_offsets(file_->text(), *arr);
    }
    return *slot;
  }

  std::shared_ptr<const diag::SourceFile> file_;
  mutable std::mutex mu_;
  mutable std::optional<std::vector<std::size_t>> offsets_[2];
};

class YamlLocator final : public SourceLocator {
 public:
  YamlLocator(std::shared_ptr<const diag::SourceFile> file, detail::YamlMarks marks)
      : file_(std::move(file)), marks_(std::move(marks)) {}

  Location locate(const std::vector<PathStep>& path, bool at_key) const override {
    Location loc;
    loc.file = file_;
    auto it = marks_.find(format_json_path(path));
    if (it == marks_.end()) return loc;
    const auto& s = it->second;
    const int line = at_key && s.key_line >= 0 ? s.key_line : s.line;
    const int col = at_key && s.key_line >= 0 ? s.key_column : s.column;
    if (line < 0) return loc;
    loc.line = line + 1;
    loc.column = col + 1;
    loc.length =
        static_cast<int>(token_length(file_->line_text(loc.line), static_cast<std::size_t>(col)));
    return loc;
  }

  Location locate_in_string(const std::vector<PathStep>& path, std::size_t offset,
                            std::size_t length, bool at_key) const override {
    auto it = marks_.find(format_json_path(path));
    const bool known =
        it != marks_.end() && (at_key ? it->second.key_line >= 0 : it->second.is_string);
    if (!known) return SourceLocator::locate_in_string(path, offset, length, at_key);
    const auto& s = it->second;
    std::string_view text = file_->text();
    const std::size_t bom = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
    text.remove_prefix(bom);
    const auto src = detail::yaml_scalar_source(
        text, at_key ? s.key_pos : s.pos, detail::YamlScalarContext{s.block_indent, s.in_flow});
    // Reading the scalar again must give the parser's string; otherwise the
    // positions are not trusted.
    if (!src || src->value.size() != (at_key ? s.key_size : s.string_size) ||
        std::hash<std::string_view>{}(src->value) != (at_key ? s.key_hash : s.string_hash)) {
      return SourceLocator::locate_in_string(path, offset, length, at_key);
    }
    return detail::string_location(file_, bom, src->range(offset, length));
  }

  /// Length of the YAML token at `col` of `line`, for the carets: a quoted
  /// scalar up to its closing quote, a flow collection up to its closing
  /// bracket, a plain scalar up to `: `, ` #` (or, inside a flow collection,
  /// `,` `]` `}`); 1 for block indicators. Stays on the one line.
  static std::size_t token_length(std::string_view line, std::size_t col) {
    if (col >= line.size()) return 1;
    auto closing_quote = [&](std::size_t i) {
      const char q = line[i++];
      while (i < line.size()) {
        if (q == '"' && line[i] == '\\') {
          i += 2;
        } else if (line[i] == q) {
          if (q == '\'' && i + 1 < line.size() && line[i + 1] == '\'') {
            i += 2;
          } else {
            return i + 1;
          }
        } else {
          ++i;
        }
      }
      return line.size();
    };
    const char c = line[col];
    std::size_t end = col;
    if (c == '"' || c == '\'') {
      end = closing_quote(col);
    } else if (c == '[' || c == '{') {
      int depth = 0;
      while (end < line.size()) {
        const char d = line[end];
        if (d == '"' || d == '\'') {
          end = closing_quote(end);
          continue;
        }
        ++end;
        if (d == '[' || d == '{') ++depth;
        if ((d == ']' || d == '}') && --depth == 0) break;
      }
    } else if (c == '-' || c == '|' || c == '>' || c == '?') {
      if (col + 1 >= line.size() || line[col + 1] == ' ') return 1;
    }
    if (end == col) {
      // A plain scalar. Inside an unclosed flow collection a comma or a closing
      // bracket ends it too.
      int open = 0;
      for (std::size_t i = 0; i < col; ++i) {
        if (line[i] == '"' || line[i] == '\'') {
          i = closing_quote(i) - 1;
        } else if (line[i] == '[' || line[i] == '{') {
          ++open;
        } else if ((line[i] == ']' || line[i] == '}') && open > 0) {
          --open;
        }
      }
      while (end < line.size()) {
        const char d = line[end];
        if (d == ':' && (end + 1 == line.size() || line[end + 1] == ' ')) break;
        if (d == '#' && end > col && line[end - 1] == ' ') break;
        if (open > 0 && (d == ',' || d == ']' || d == '}')) break;
        ++end;
      }
      while (end > col && line[end - 1] == ' ') --end;
    }
    return std::max<std::size_t>(1, end - col);
  }

 private:
  std::shared_ptr<const diag::SourceFile> file_;
  detail::YamlMarks marks_;
};

class DocumentReader {
 public:
  DocumentReader(Workflow& wf, Diagnostics& diags) : wf_(wf), diags_(diags) {}

  Location at(const std::vector<PathStep>& path, bool at_key = false) const {
    return wf_.location(path, nullptr, at_key);
  }

  diag::Diagnostic& error(std::string code, std::string message, const std::vector<PathStep>& path,
                          const NodeSpec* node = nullptr, bool at_key = false) {
    return diags_.error(std::move(code), std::move(message), wf_.location(path, node, at_key));
  }

  void read(const Value& doc, const LoadOptions& opts) {
    const Object& top = doc.as_object();
    for (const auto& [key, value] : top) {
      if (key == "workflow_id" || key == "nodes" || key == "edges") continue;
      if (key == "lint") {
        wf_.lint = value;
        continue;
      }
      auto near = diag::spellcheck(key, {"workflow_id", "nodes", "edges"});
      if (near) {
        auto& d =
            diags_.warning("unknown-key", fmt::format("unknown top-level key '{}' is ignored", key),
                           at({PathStep{key, std::nullopt}}, true));
        d.notes.push_back(fmt::format("did you mean '{}'? keys are case-sensitive", *near));
      }
    }
    if (const Value* id = top.find("workflow_id")) {
      if (id->is_string()) {
        wf_.workflow_id = id->as_string();
      } else if (!id->is_null()) {
        error("wrong-type",
              fmt::format("workflow_id must be a string, got {}", kind_name(id->kind())),
              {PathStep{"workflow_id", std::nullopt}});
      }
    }
    if (const Value* nodes = top.find("nodes"); nodes && !nodes->is_null()) {
      if (const Array* arr = nodes->if_array()) {
        if (opts.max_nodes > 0 && arr->size() > opts.max_nodes) {
          error("too-many-nodes",
                fmt::format("too many nodes: {} (limit: {})", arr->size(), opts.max_nodes),
                {PathStep{"nodes", std::nullopt}}, nullptr, true)
              .notes.push_back("raise the limit with --max-nodes N (0 = unlimited)");
        }
        wf_.nodes.reserve(arr->size());
        for (std::size_t i = 0; i < arr->size(); ++i) read_node((*arr)[i], i);
      } else {
        error("wrong-type", fmt::format("nodes must be an array, got {}", kind_name(nodes->kind())),
              {PathStep{"nodes", std::nullopt}});
      }
    }
    if (const Value* edges = top.find("edges"); edges && !edges->is_null()) {
      if (const Array* arr = edges->if_array()) {
        if (opts.max_edges > 0 && arr->size() > opts.max_edges) {
          error("too-many-edges",
                fmt::format("too many edges: {} (limit: {})", arr->size(), opts.max_edges),
                {PathStep{"edges", std::nullopt}}, nullptr, true)
              .notes.push_back("raise the limit with --max-edges N (0 = unlimited)");
        }
        wf_.edges.reserve(arr->size());
        for (std::size_t i = 0; i < arr->size(); ++i) read_edge((*arr)[i], i);
      } else {
        error("wrong-type", fmt::format("edges must be an array, got {}", kind_name(edges->kind())),
              {PathStep{"edges", std::nullopt}});
      }
    }
  }

 private:
  void read_node(const Value& v, std::size_t i) {
    const Object* obj = v.if_object();
    if (!obj) {
      error("invalid-node", fmt::format("node must be an object, got {}", kind_name(v.kind())),
            node_path(i));
      return;
    }
    NodeSpec n;
    n.index = i;
    bool ok = true;
    if (const Value* id = obj->find("id"); id && !id->is_null()) {
      if (id->is_string()) {
        n.id = id->as_string();
      } else {
        error("wrong-type", fmt::format("node id must be a string, got {}", kind_name(id->kind())),
              path_in_node(i, "id"));
        ok = false;
      }
    }
    if (ok && n.id.empty()) {
      error("missing-id", "node id is required", node_path(i));
      ok = false;
    }
    if (const Value* type = obj->find("type"); type && !type->is_null()) {
      if (type->is_string()) {
        n.type = type->as_string();
      } else {
        error("wrong-type",
              fmt::format("node type must be a string, got {}", kind_name(type->kind())),
              path_in_node(i, "type"));
        ok = false;
      }
    }
    const Value* data = obj->find("data");
    if (!data || data->is_null()) {
      n.data = Value(Object{});
    } else if (data->is_object()) {
      n.data = *data;
    } else {
      error(
          "wrong-type",
          fmt::format("data of node '{}' must be an object, got {}", n.id, kind_name(data->kind())),
          path_in_node(i, "data"));
      ok = false;
    }
    if (!ok) return;
    if (n.type.empty()) {
      n.type = infer_kind(n.data.as_object());
      n.type_inferred = true;
    }
    wf_.nodes.push_back(std::move(n));
  }

  static std::vector<PathStep> path_in_node(std::size_t i, std::string key) {
    auto p = node_path(i);
    p.push_back(PathStep{std::move(key), std::nullopt});
    return p;
  }

  /// Reads an optional string member of an edge; false after reporting a type error.
  bool edge_string(const Object& obj, std::size_t i, std::string_view key,
                   std::optional<std::string>& out) {
    const Value* v = obj.find(key);
    if (!v || v->is_null()) return true;
    if (!v->is_string()) {
      error("wrong-type",
            fmt::format("edge {} must be a string, got {}", key, kind_name(v->kind())),
            edge_path(i, key));
      return false;
    }
    out = v->as_string();
    return true;
  }

  void read_edge(const Value& v, std::size_t i) {
    const Object* obj = v.if_object();
    if (!obj) {
      error("invalid-edge", fmt::format("edge must be an object, got {}", kind_name(v.kind())),
            edge_path(i));
      return;
    }
    std::optional<std::string> id, source, target, handle, condition, target_handle;
    bool ok = edge_string(*obj, i, "id", id);
    ok = edge_string(*obj, i, "source", source) && ok;
    ok = edge_string(*obj, i, "target", target) && ok;
    ok = edge_string(*obj, i, "sourceHandle", handle) && ok;
    ok = edge_string(*obj, i, "condition", condition) && ok;
    ok = edge_string(*obj, i, "targetHandle", target_handle) && ok;
    if (!ok) return;
    EdgeSpec e;
    e.index = i;
    e.id = id.value_or("");
    e.source = source.value_or("");
    e.target = target.value_or("");
    if (handle) {
      e.handle = std::move(handle);
    } else if (condition) {
      e.handle = std::move(condition);
      e.handle_from_condition = true;
    }
    e.target_handle = std::move(target_handle);
    wf_.edges.push_back(std::move(e));
  }

  Workflow& wf_;
  Diagnostics& diags_;
};

/// The keys of a workflow document (spec 01 §1.1).
const std::vector<std::string_view> kWorkflowKeys{"nodes", "edges", "workflow_id"};

/// True when `top` is some other kind of document: it holds keys, but none of
/// a workflow's. `{}` is an empty workflow; a document with `edges` or
/// `workflow_id` but no `nodes` is a workflow without nodes (01 §1.1).
bool is_other_document(const Object& top) {
  if (top.empty()) return false;
  for (auto key : kWorkflowKeys) {
    if (top.contains(key)) return false;
  }
  return true;
}

/// What a document that is not a workflow looks like, when its keys say so
/// plainly ("" otherwise).
std::string looks_like(const Object& top) {
  if (top.contains("apiVersion") && top.contains("kind")) {
    const Value* kind = top.find("kind");
    if (kind->is_string() && !kind->as_string().empty()) {
      return fmt::format("it looks like a Kubernetes manifest (kind: {})", kind->as_string());
    }
    return "it looks like a Kubernetes manifest";
  }
  if (top.contains("name") && top.contains("version") &&
      (top.contains("dependencies") || top.contains("devDependencies") ||
       top.contains("scripts"))) {
    return "it looks like a package.json";
  }
  if (top.contains("on") && top.contains("jobs")) return "it looks like a GitHub Actions workflow";
  return "";
}

/// Reports a document that is not a workflow, at its start.
void report_other_document(const Workflow& wf, const Object& top, Diagnostics& diags) {
  Location loc = wf.location({});
  if (loc.line > 0) loc.length = 1;
  auto& d = diags.error("not-a-workflow",
                        "this document is not a workflow: it has no \"nodes\" key", loc);
  if (auto what = looks_like(top); !what.empty()) d.notes.push_back(std::move(what));
  bool suggested = false;
  for (const auto& [key, value] : top) {
    auto near = diag::spellcheck(key, kWorkflowKeys);
    if (!near) continue;
    const bool case_only = key.size() == near->size() &&
                           std::equal(key.begin(), key.end(), near->begin(), [](char a, char b) {
                             return std::tolower(static_cast<unsigned char>(a)) ==
                                    std::tolower(static_cast<unsigned char>(b));
                           });
    d.notes.push_back(fmt::format("did you mean '{}' instead of '{}'?{}", *near, key,
                                  case_only ? " keys are case-sensitive" : ""));
    suggested = true;
  }
  if (!suggested) {
    d.notes.push_back(
        "a workflow is an object with a \"nodes\" array (and optionally \"edges\" and "
        "\"workflow_id\")");
  }
}

}  // namespace

Format detect_format(std::string_view name, std::string_view text) {
  auto ends_with = [&](std::string_view suffix) {
    return name.size() >= suffix.size() && name.substr(name.size() - suffix.size()) == suffix;
  };
  if (ends_with(".json") || ends_with(".JSON")) return Format::Json;
  if (ends_with(".yaml") || ends_with(".yml") || ends_with(".YAML") || ends_with(".YML")) {
    return Format::Yaml;
  }
  std::size_t i = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") i = 3;
  while (i < text.size() &&
         (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')) {
    ++i;
  }
  if (i < text.size() && (text[i] == '{' || text[i] == '[')) return Format::Json;
  if (i < text.size() && text.substr(i, 4) == "null") return Format::Json;
  return Format::Yaml;
}

Document parse_document(std::shared_ptr<const diag::SourceFile> file, Format format,
                        std::size_t max_depth) {
  const std::string_view text = file->text();
  if (format == Format::Auto) format = detect_format(file->name(), text);
  Location loc;
  loc.file = file;
  Document doc;
  if (format == Format::Json) {
    try {
      JsonParseOptions jo;
      jo.max_depth = max_depth;
      doc.value = parse_json(text, jo);
    } catch (const JsonParseError& e) {
      auto [line, col] = file->line_column(e.offset());
      loc.line = line;
      loc.column = col;
      loc.length = 1;
      throw diag::Error(diag::ErrorKind::Load,
                        diag::Diagnostic::make(diag::Severity::Error, e.code(), e.what(), loc));
    }
    doc.locator = std::make_shared<JsonLocator>(file);
    return doc;
  }
  detail::YamlMarks marks;
  try {
    doc.value = detail::parse_yaml_document(text, max_depth, &marks);
  } catch (const diag::Error& e) {
    diag::Diagnostic d = e.diagnostic();
    d.where.file = file;
    d.where.length = d.where.line > 0 ? 1 : 0;
    throw diag::Error(e.kind(), std::move(d));
  }
  doc.locator = std::make_shared<YamlLocator>(file, std::move(marks));
  return doc;
}

std::optional<Workflow> load_workflow(std::shared_ptr<const diag::SourceFile> file,
                                      const LoadOptions& opts, Diagnostics& diags) {
  const std::string_view text = file->text();
  Location file_loc;
  file_loc.file = file;
  if (opts.max_payload_size > 0 && text.size() > opts.max_payload_size) {
    diags
        .error("payload-too-large",
               fmt::format("payload too large: {} bytes (limit: {})", text.size(),
                           opts.max_payload_size),
               file_loc)
        .notes.push_back("raise the limit with --max-payload-size BYTES (0 = unlimited)");
    if (opts.stop_on_oversize) return std::nullopt;
  }
  Workflow wf;
  wf.source = file;
  Value doc;
  try {
    Document parsed = parse_document(file, opts.format, opts.max_depth);
    doc = std::move(parsed.value);
    wf.locator = std::move(parsed.locator);
  } catch (const diag::Error& e) {
    diag::Diagnostic d = e.diagnostic();
    d.message = "failed to parse payload: " + d.message;
    diags.add(std::move(d));
    return std::nullopt;
  }
  if (!doc.is_object()) {
    Location loc = wf.location({});
    auto& d = diags.error(
        "not-an-object",
        fmt::format("workflow must be a JSON object, got {}", kind_name(doc.kind())), loc);
    if (text.find_first_not_of(" \t\r\n", text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0) ==
        std::string_view::npos) {
      d.notes.push_back("the file is empty");
    }
    return std::nullopt;
  }
  if (is_other_document(doc.as_object())) {
    report_other_document(wf, doc.as_object(), diags);
    return std::nullopt;
  }
  DocumentReader(wf, diags).read(doc, opts);
  return wf;
}

}  // namespace thaiyyal::load
