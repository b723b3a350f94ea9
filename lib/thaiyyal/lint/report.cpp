#include "thaiyyal/lint/report.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <system_error>
#include <utility>
#include <vector>

#include "thaiyyal/diag/render.h"

namespace thaiyyal::lint {
namespace {

namespace fs = std::filesystem;
using diag::Diagnostic;
using diag::Severity;
using Json = nlohmann::ordered_json;

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

constexpr std::array<std::pair<Format, std::string_view>, 6> kFormats{{
    {Format::Text, "text"},
    {Format::Json, "json"},
    {Format::Sarif, "sarif"},
    {Format::Github, "github"},
    {Format::Junit, "junit"},
    {Format::Checkstyle, "checkstyle"},
}};

/// Findings at or above the failure level fail the run (Error < Warning <
/// Info in the enum).
bool fails(Severity s, Severity fail_level) {
  return static_cast<int>(s) <= static_cast<int>(fail_level);
}

std::string_view rule_id(const Diagnostic& d) {
  return d.code.empty() ? std::string_view("error") : std::string_view(d.code);
}

/// The message followed by each note on its own line.
std::string message_with_notes(const Diagnostic& d) {
  std::string out = d.message;
  for (const auto& note : d.notes) {
    out += '\n';
    out += note;
  }
  return out;
}

/// `s` with invalid UTF-8 replaced by U+FFFD.
std::string valid_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    if (const auto n = diag::utf8_sequence_length(s, i); n > 0) {
      out.append(s.substr(i, n));
      i += n;
    } else {
      out += kReplacement;
      ++i;
    }
  }
  return out;
}

/// The 1-based column in code points of a 1-based byte column of `line`.
/// Bytes past the end of the line and invalid UTF-8 count one each; a byte
/// order mark on the first line takes no column.
int code_point_column(const diag::Location& w, int byte_column) {
  if (!w.file || w.line <= 0 || byte_column <= 0) return byte_column;
  std::string_view text = w.file->line_text(w.line);
  std::size_t target = static_cast<std::size_t>(byte_column - 1);
  if (w.line == 1 && text.substr(0, 3) == "\xEF\xBB\xBF") {
    text.remove_prefix(3);
    target = target >= 3 ? target - 3 : 0;
  }
  std::size_t count = 0;
  std::size_t i = 0;
  while (i < target && i < text.size()) {
    i += std::max<std::size_t>(1, diag::utf8_sequence_length(text, i));
    ++count;
  }
  if (target > i) count += target - i;
  return static_cast<int>(count) + 1;
}

/// A finding's span: 1-based start and exclusive end columns (end = start
/// when the span has no length), in bytes or in code points.
struct Span {
  int line = 0, column = 0, end_line = 0, end_column = 0;
};

Span byte_span(const diag::Location& w) {
  Span s;
  if (w.line <= 0) return s;
  s.line = s.end_line = w.line;
  if (w.column > 0) {
    s.column = w.column;
    s.end_column = w.column + std::max(0, w.length);
  }
  return s;
}

Span code_point_span(const diag::Location& w) {
  Span s = byte_span(w);
  if (s.column > 0) {
    s.column = code_point_column(w, w.column);
    s.end_column = code_point_column(w, w.column + std::max(0, w.length));
  }
  return s;
}

/// 64-bit FNV-1a.
struct Fnv1a {
  std::uint64_t h = 14695981039346656037ULL;
  void add(std::string_view s) {
    for (const char c : s) {
      h ^= static_cast<unsigned char>(c);
      h *= 1099511628211ULL;
    }
  }
  void separator() { add(std::string_view("\0", 1)); }
};

/// A Diagnostic as render_text shows it, with the file named even when the
/// finding carries no source (an unreadable file).
std::string render_finding(const FileResult& file, const Diagnostic& d, bool color) {
  diag::RenderOptions opts;
  opts.color = color;
  if (d.where.file) return diag::render_text(d, opts);
  Diagnostic named = d;
  named.where.file = std::make_shared<diag::SourceFile>(file.name, std::string());
  return diag::render_text(named, opts);
}

/// `name` relative to `base_dir` (or the current directory), '/'-separated,
/// when it lies below it; "<stdin>" and other "<...>" names never do.
std::optional<std::string> path_below(std::string_view name, std::string_view base_dir) {
  if (name.empty() || name.front() == '<') return std::nullopt;
  std::error_code ec;
  fs::path base = base_dir.empty() ? fs::current_path(ec) : fs::absolute(fs::path(base_dir), ec);
  if (ec) return std::nullopt;
  base = base.lexically_normal();
  if (!base.has_filename() && base.has_relative_path()) base = base.parent_path();
  fs::path abs = fs::absolute(fs::path(name), ec);
  if (ec) return std::nullopt;
  const fs::path rel = abs.lexically_normal().lexically_relative(base);
  if (rel.empty()) return std::nullopt;
  std::string out = rel.generic_string();
  if (out == "." || out == ".." || out.starts_with("../")) return std::nullopt;
  return out;
}

// ---------------------------------------------------------------------------
// text

std::string plural(std::size_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

struct Totals {
  std::size_t errors = 0, warnings = 0, infos = 0, suppressed = 0;
};

Totals totals(std::span<const FileResult> files) {
  Totals t;
  for (const auto& f : files) {
    t.suppressed += f.suppressed;
    for (const auto& d : f.findings) {
      switch (d.severity) {
        case Severity::Error:
          ++t.errors;
          break;
        case Severity::Warning:
          ++t.warnings;
          break;
        case Severity::Info:
          ++t.infos;
          break;
      }
    }
  }
  return t;
}

std::string render_text_report(std::span<const FileResult> files, const ReportOptions& options) {
  std::string out;
  for (const auto& file : files) {
    for (const auto& d : file.findings) out += render_finding(file, d, options.color);
  }
  const Totals t = totals(files);
  const auto paint = [&](std::string_view color, std::string text, bool nonzero) {
    return options.color && nonzero ? fmt::format("{}{}\x1b[0m", color, text) : text;
  };
  out += plural(files.size(), "file", "files") + " linted: ";
  if (t.errors + t.warnings + t.infos == 0) {
    out += "no findings";
  } else {
    out += paint("\x1b[1;31m", plural(t.errors, "error", "errors"), t.errors > 0);
    out += ", ";
    out += paint("\x1b[1;33m", plural(t.warnings, "warning", "warnings"), t.warnings > 0);
    out += ", ";
    out += paint("\x1b[1;36m", fmt::format("{} info", t.infos), t.infos > 0);
  }
  if (t.suppressed > 0) out += fmt::format(" ({} suppressed)", t.suppressed);
  out += '\n';
  return out;
}

// ---------------------------------------------------------------------------
// json

std::string dump(const Json& j) {
  return j.dump(2, ' ', false, nlohmann::detail::error_handler_t::replace) + "\n";
}

std::string render_json_report(std::span<const FileResult> files, const ReportOptions& options) {
  Json out = Json::object();
  out["version"] = 1;
  Json list = Json::array();
  for (const auto& file : files) {
    const std::string name = relative_name(file.name, options.base_dir);
    Json f = Json::object();
    f["file"] = name;
    f["loaded"] = file.loaded;
    f["nodes"] = file.nodes;
    f["edges"] = file.edges;
    f["suppressed"] = file.suppressed;
    Json findings = Json::array();
    for (const auto& d : file.findings) {
      Json j = Json::object();
      j["rule"] = rule_id(d);
      j["severity"] = diag::severity_name(d.severity);
      j["message"] = d.message;
      const Span s = byte_span(d.where);
      if (s.line > 0) j["line"] = s.line;
      if (s.column > 0) j["column"] = s.column;
      if (s.end_line > 0) j["end_line"] = s.end_line;
      if (s.end_column > 0) j["end_column"] = s.end_column;
      if (d.where.has_node) j["node_id"] = d.where.node_id;
      if (!d.where.json_path.empty()) j["json_path"] = d.where.json_path;
      j["notes"] = d.notes;
      j["fingerprint"] = fingerprint(name, d);
      findings.push_back(std::move(j));
    }
    f["findings"] = std::move(findings);
    list.push_back(std::move(f));
  }
  out["files"] = std::move(list);
  const Totals t = totals(files);
  out["summary"] = Json{{"files", files.size()},
                        {"errors", t.errors},
                        {"warnings", t.warnings},
                        {"infos", t.infos},
                        {"suppressed", t.suppressed}};
  return dump(out);
}

// ---------------------------------------------------------------------------
// sarif

/// `path` percent-encoded for a URI: unreserved characters, '/' and the
/// sub-delimiters stay, everything else (':' included, so that a relative
/// reference never looks like a scheme) becomes %XX of its UTF-8 bytes.
std::string uri_encode_path(std::string_view path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char ch : path) {
    const auto c = static_cast<unsigned char>(ch);
    const bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      std::string_view("-._~/!$&'()*+,;=@").find(ch) != std::string_view::npos;
    if (keep) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

/// The absolute, normalized form of `p` ('/' separators), or empty.
std::string absolute_generic(const fs::path& p) {
  std::error_code ec;
  auto abs = fs::absolute(p, ec);
  if (ec) return {};
  return abs.lexically_normal().generic_string();
}

std::string file_uri(std::string abs_path, bool directory) {
  if (directory && (abs_path.empty() || abs_path.back() != '/')) abs_path += '/';
  if (abs_path.empty() || abs_path.front() != '/') abs_path.insert(0, "/");
  return "file://" + uri_encode_path(abs_path);
}

std::string pascal_case(std::string_view id) {
  std::string out;
  bool upper = true;
  for (const char c : id) {
    if (c == '-' || c == '_' || c == '.') {
      upper = true;
      continue;
    }
    out.push_back(upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
    upper = false;
  }
  return out;
}

std::string_view sarif_level(Severity s) {
  switch (s) {
    case Severity::Error:
      return "error";
    case Severity::Warning:
      return "warning";
    case Severity::Info:
      return "note";
  }
  return "error";
}

std::string with_newline(std::string_view s) {
  std::string out(s);
  if (!out.empty() && out.back() != '\n') out += '\n';
  return out;
}

Json rule_descriptor(const RuleInfo& r) {
  Json j = Json::object();
  j["id"] = r.id;
  j["name"] = pascal_case(r.id);
  j["shortDescription"] = Json{{"text", r.summary}};
  j["fullDescription"] = Json{{"text", r.explanation}};
  // The explanation, then the examples (a rule without them has none to show).
  std::string text(r.explanation);
  std::string markdown(r.explanation);
  if (!r.bad.empty() || !r.good.empty()) {
    text += fmt::format("\n\nBad:\n{}\nGood:\n{}", r.bad, r.good);
    markdown += fmt::format("\n\nBad:\n\n```yaml\n{}```\n\nGood:\n\n```yaml\n{}```\n",
                            with_newline(r.bad), with_newline(r.good));
  }
  j["help"] = Json{{"text", std::move(text)}, {"markdown", std::move(markdown)}};
  Json config = Json::object();
  if (!r.enabled_by_default) config["enabled"] = false;
  config["level"] = sarif_level(r.severity);
  j["defaultConfiguration"] = std::move(config);
  Json tags = Json::array({"workflow", r.from_validate ? "validate" : "lint"});
  j["properties"] = Json{{"tags", std::move(tags)}};
  return j;
}

Json minimal_descriptor(std::string_view code) {
  Json j = Json::object();
  j["id"] = code;
  j["name"] = pascal_case(code);
  j["shortDescription"] = Json{{"text", fmt::format("thaiyyal validate check {}", code)}};
  j["properties"] = Json{{"tags", Json::array({"workflow", "validate"})}};
  return j;
}

/// Where an artifact is: relative to %SRCROOT% when below the base
/// directory, else an absolute file URI ("<stdin>" stays relative).
Json artifact_location(std::string_view name, std::string_view base_dir) {
  if (auto rel = path_below(name, base_dir)) {
    return Json{{"uri", uri_encode_path(*rel)}, {"uriBaseId", "%SRCROOT%"}};
  }
  if (!name.empty() && name.front() != '<') {
    const std::string abs = absolute_generic(fs::path(name));
    if (!abs.empty()) return Json{{"uri", file_uri(abs, false)}};
  }
  return Json{{"uri", uri_encode_path(name)}, {"uriBaseId", "%SRCROOT%"}};
}

std::string render_sarif_report(std::span<const FileResult> files, const ReportOptions& options) {
  // Rules: every lint rule, then each other code the results use.
  Json rules = Json::array();
  std::map<std::string, std::size_t, std::less<>> rule_index;
  for (const auto& r : all_rules()) {
    rule_index.emplace(std::string(r.id), rules.size());
    rules.push_back(rule_descriptor(r));
  }
  for (const auto& file : files) {
    for (const auto& d : file.findings) {
      const auto id = rule_id(d);
      if (rule_index.find(id) != rule_index.end()) continue;
      rule_index.emplace(std::string(id), rules.size());
      rules.push_back(minimal_descriptor(id));
    }
  }

  Json artifacts = Json::array();
  std::map<std::string, std::size_t> artifact_index;  // uri -> index
  Json results = Json::array();
  for (const auto& file : files) {
    Json where = artifact_location(file.name, options.base_dir);
    const std::string uri = where["uri"].get<std::string>();
    auto [it, added] = artifact_index.emplace(uri, artifacts.size());
    if (added) {
      artifacts.push_back(Json{{"location", where}, {"roles", Json::array({"analysisTarget"})}});
    }
    where["index"] = it->second;
    const std::string name = relative_name(file.name, options.base_dir);
    for (const auto& d : file.findings) {
      const auto id = rule_id(d);
      Json result = Json::object();
      result["ruleId"] = id;
      result["ruleIndex"] = rule_index.find(id)->second;
      result["level"] = sarif_level(d.severity);
      result["message"] = Json{{"text", message_with_notes(d)}};
      Json physical = Json::object();
      physical["artifactLocation"] = where;
      const Span s = code_point_span(d.where);
      if (s.line > 0) {
        Json region = Json::object();
        region["startLine"] = s.line;
        if (s.column > 0) region["startColumn"] = s.column;
        region["endLine"] = s.end_line;
        if (s.column > 0) region["endColumn"] = s.end_column;
        physical["region"] = std::move(region);
      }
      result["locations"] = Json::array({Json{{"physicalLocation", std::move(physical)}}});
      result["partialFingerprints"] = Json{{"thaiyyal/v1", fingerprint(name, d)}};
      results.push_back(std::move(result));
    }
  }

  Json driver = Json::object();
  driver["name"] = "thaiyyal";
  driver["informationUri"] = "https://github.com/yesoreyeram/thaiyyal";
  if (!options.tool_version.empty()) driver["version"] = options.tool_version;
  driver["rules"] = std::move(rules);

  Json run = Json::object();
  run["tool"] = Json{{"driver", std::move(driver)}};
  std::string base = options.base_dir.empty() ? absolute_generic(fs::path("."))
                                              : absolute_generic(fs::path(options.base_dir));
  if (!base.empty()) {
    run["originalUriBaseIds"] = Json{{"%SRCROOT%", Json{{"uri", file_uri(base, true)}}}};
  }
  run["artifacts"] = std::move(artifacts);
  run["results"] = std::move(results);
  run["columnKind"] = "unicodeCodePoints";

  Json log = Json::object();
  log["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
  log["version"] = "2.1.0";
  log["runs"] = Json::array({std::move(run)});
  return dump(log);
}

// ---------------------------------------------------------------------------
// github

/// GitHub's toolkit escaping: data escapes %, CR and LF; properties also ':'
/// and ','. Invalid UTF-8 becomes U+FFFD.
std::string github_escape(std::string_view s, bool property) {
  std::string out;
  for (const char c : valid_utf8(s)) {
    switch (c) {
      case '%':
        out += "%25";
        break;
      case '\r':
        out += "%0D";
        break;
      case '\n':
        out += "%0A";
        break;
      case ':':
        out += property ? "%3A" : ":";
        break;
      case ',':
        out += property ? "%2C" : ",";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string render_github_report(std::span<const FileResult> files, const ReportOptions& options) {
  std::string out;
  for (const auto& file : files) {
    const std::string name = relative_name(file.name, options.base_dir);
    for (const auto& d : file.findings) {
      const std::string_view command = d.severity == Severity::Error     ? "error"
                                       : d.severity == Severity::Warning ? "warning"
                                                                         : "notice";
      std::string props = "file=" + github_escape(name, true);
      const Span s = code_point_span(d.where);
      if (s.line > 0) {
        props += fmt::format(",line={}", s.line);
        if (s.column > 0) props += fmt::format(",col={}", s.column);
        props += fmt::format(",endLine={}", s.end_line);
        if (s.column > 0) props += fmt::format(",endColumn={}", s.end_column);
      }
      props += ",title=" + github_escape(rule_id(d), true);
      out +=
          fmt::format("::{} {}::{}\n", command, props, github_escape(message_with_notes(d), false));
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// XML (junit, checkstyle)

/// Appends `s` XML-escaped. Characters XML 1.0 forbids (C0 controls other
/// than tab, LF and CR; U+FFFE, U+FFFF) are dropped and invalid UTF-8
/// becomes U+FFFD. In attributes, quotes are escaped too, and tab, LF and
/// CR are written as character references so that parsers keep them.
void append_xml(std::string& out, std::string_view s, bool attribute) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      switch (c) {
        case '&':
          out += "&amp;";
          break;
        case '<':
          out += "&lt;";
          break;
        case '>':
          out += "&gt;";
          break;
        case '"':
          out += attribute ? "&quot;" : "\"";
          break;
        case '\'':
          out += attribute ? "&apos;" : "'";
          break;
        case '\t':
          out += attribute ? "&#9;" : "\t";
          break;
        case '\n':
          out += attribute ? "&#10;" : "\n";
          break;
        case '\r':
          out += "&#13;";
          break;
        default:
          if (c >= 0x20) out.push_back(static_cast<char>(c));
      }
      continue;
    }
    const auto n = diag::utf8_sequence_length(s, i);
    if (n == 0) {
      out += kReplacement;
      ++i;
      continue;
    }
    const auto seq = s.substr(i, n);
    if (seq != "\xEF\xBF\xBE" && seq != "\xEF\xBF\xBF") out.append(seq);
    i += n;
  }
}

std::string xml(std::string_view s, bool attribute = true) {
  std::string out;
  append_xml(out, s, attribute);
  return out;
}

constexpr std::string_view kXmlDeclaration = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

std::string testcase_name(const Diagnostic& d) {
  std::string name(rule_id(d));
  if (d.where.line > 0) {
    name += fmt::format(" at {}", d.where.line);
    if (d.where.column > 0) name += fmt::format(":{}", d.where.column);
  }
  return name;
}

std::string render_junit_report(std::span<const FileResult> files, const ReportOptions& options) {
  std::size_t tests = 0, failures = 0;
  std::string suites;
  for (const auto& file : files) {
    const std::string name = xml(relative_name(file.name, options.base_dir));
    std::size_t file_tests = 0, file_failures = 0;
    std::string cases;
    for (const auto& d : file.findings) {
      ++file_tests;
      cases +=
          fmt::format("    <testcase classname=\"{}\" name=\"{}\">\n", name, xml(testcase_name(d)));
      const std::string body = xml(render_finding(file, d, false), false);
      if (fails(d.severity, options.fail_level)) {
        ++file_failures;
        cases += fmt::format("      <failure message=\"{}\" type=\"{}\">{}</failure>\n",
                             xml(message_with_notes(d)), diag::severity_name(d.severity), body);
      } else {
        cases += fmt::format("      <system-out>{}</system-out>\n", body);
      }
      cases += "    </testcase>\n";
    }
    if (file.findings.empty()) {
      ++file_tests;
      cases += fmt::format("    <testcase classname=\"{}\" name=\"lint\"/>\n", name);
    }
    suites += fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\">\n", name,
                          file_tests, file_failures);
    suites += cases;
    suites += "  </testsuite>\n";
    tests += file_tests;
    failures += file_failures;
  }
  std::string out(kXmlDeclaration);
  out += fmt::format("<testsuites name=\"thaiyyal lint\" tests=\"{}\" failures=\"{}\">\n", tests,
                     failures);
  out += suites;
  out += "</testsuites>\n";
  return out;
}

std::string render_checkstyle_report(std::span<const FileResult> files,
                                     const ReportOptions& options) {
  std::string out(kXmlDeclaration);
  out += "<checkstyle version=\"4.3\">\n";
  for (const auto& file : files) {
    const std::string name = xml(relative_name(file.name, options.base_dir));
    if (file.findings.empty()) {
      out += fmt::format("  <file name=\"{}\"/>\n", name);
      continue;
    }
    out += fmt::format("  <file name=\"{}\">\n", name);
    for (const auto& d : file.findings) {
      out += "    <error";
      const Span s = code_point_span(d.where);
      if (s.line > 0) out += fmt::format(" line=\"{}\"", s.line);
      if (s.column > 0) out += fmt::format(" column=\"{}\"", s.column);
      out +=
          fmt::format(" severity=\"{}\" message=\"{}\" source=\"thaiyyal.{}\"/>\n",
                      diag::severity_name(d.severity), xml(message_with_notes(d)), xml(rule_id(d)));
    }
    out += "  </file>\n";
  }
  out += "</checkstyle>\n";
  return out;
}

}  // namespace

std::optional<Format> parse_format(std::string_view name) {
  for (const auto& [format, n] : kFormats) {
    if (n == name) return format;
  }
  return std::nullopt;
}

std::string_view format_name(Format f) {
  for (const auto& [format, n] : kFormats) {
    if (format == f) return n;
  }
  return "text";
}

std::string render(Format format, std::span<const FileResult> files, const ReportOptions& options) {
  switch (format) {
    case Format::Text:
      return render_text_report(files, options);
    case Format::Json:
      return render_json_report(files, options);
    case Format::Sarif:
      return render_sarif_report(files, options);
    case Format::Github:
      return render_github_report(files, options);
    case Format::Junit:
      return render_junit_report(files, options);
    case Format::Checkstyle:
      return render_checkstyle_report(files, options);
  }
  return render_text_report(files, options);
}

std::string fingerprint(std::string_view file, const diag::Diagnostic& d) {
  Fnv1a h;
  h.add(d.code);
  h.separator();
  h.add(file);
  h.separator();
  if (d.where.has_node) h.add(d.where.node_id);
  h.separator();
  h.add(d.message);
  return fmt::format("{:016x}", h.h);
}

std::string relative_name(std::string_view name, std::string_view base_dir) {
  auto rel = path_below(name, base_dir);
  return rel ? *rel : std::string(name);
}

}  // namespace thaiyyal::lint
