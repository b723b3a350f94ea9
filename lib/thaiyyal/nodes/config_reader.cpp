#include "thaiyyal/nodes/config_reader.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>

#include "thaiyyal/diag/spellcheck.h"

namespace thaiyyal::nodes {

std::optional<std::string> suggest_name(std::string_view word,
                                        const std::vector<std::string_view>& candidates) {
  if (auto near = diag::spellcheck(word, candidates)) return near;
  for (const auto c : candidates) {
    if (c.size() != word.size() || c == word) continue;
    std::size_t i = 0;
    while (c[i] == word[i]) ++i;
    if (i + 1 < c.size() && c[i] == word[i + 1] && c[i + 1] == word[i] &&
        c.substr(i + 2) == word.substr(i + 2)) {
      return std::string(c);
    }
  }
  return std::nullopt;
}

ConfigReader::ConfigReader(const Workflow& wf, const NodeSpec& node, diag::Diagnostics& diags)
    : wf_(wf), node_(node), diags_(diags) {}

std::string ConfigReader::prefix() const {
  return fmt::format("failed to unmarshal data for node {} (type {}): ", node_.id, node_.type);
}

diag::Diagnostic& ConfigReader::report(diag::Diagnostic& d) const {
  // People read the problem itself (the rendering names the node); a run
  // result's `errors` keep the Go engine's wording, which scripts match.
  d.reference = prefix() + d.message;
  return d;
}

diag::Location ConfigReader::location_in_data(const std::vector<PathStep>& data_path,
                                              bool at_key) const {
  auto path = node_path(node_.index);
  path.push_back(PathStep{"data", std::nullopt});
  path.insert(path.end(), data_path.begin(), data_path.end());
  return wf_.location(path, &node_, at_key);
}

const Value* ConfigReader::raw(std::string_view key) const {
  if (std::find(queried_.begin(), queried_.end(), key) == queried_.end()) {
    queried_.push_back(key);
  }
  const Value* v = data().find(key);
  return v && !v->is_null() ? v : nullptr;
}

void ConfigReader::missing(std::string_view what) {
  ++errors_;
  report(diags_.error("missing-field", fmt::format("missing required field: {}", what),
                      wf_.location(node_path(node_.index), &node_)));
}

diag::Diagnostic& ConfigReader::fail(std::string_view key, std::string_view code,
                                     std::string_view detail) {
  ++errors_;
  diag::Location loc = key.empty() ? wf_.location(node_path(node_.index), &node_)
                                   : location_in_data({PathStep{std::string(key), std::nullopt}});
  return report(diags_.error(std::string(code), std::string(detail), std::move(loc)));
}

diag::Diagnostic& ConfigReader::fail_at(const std::vector<PathStep>& data_path,
                                        std::string_view code, std::string_view detail,
                                        int column_offset, int length) {
  ++errors_;
  diag::Location loc;
  if (column_offset >= 0) {
    // A byte offset inside the string value: the loader maps it through
    // escapes and multi-line strings.
    auto path = node_path(node_.index);
    path.push_back(PathStep{"data", std::nullopt});
    path.insert(path.end(), data_path.begin(), data_path.end());
    loc = wf_.location_in_string(path, static_cast<std::size_t>(column_offset),
                                 static_cast<std::size_t>(std::max(1, length)), &node_);
  } else {
    loc = location_in_data(data_path);
  }
  return report(diags_.error(std::string(code), std::string(detail), std::move(loc)));
}

void ConfigReader::warn(std::string_view key, std::string_view code, std::string_view message) {
  diags_.warning(std::string(code), std::string(message),
                 location_in_data({PathStep{std::string(key), std::nullopt}}));
}

void ConfigReader::type_error(std::string_view key, std::string_view expected, const Value& got) {
  fail(key, "wrong-type",
       fmt::format("{} must be {}, got {}", key, expected, kind_name(got.kind())));
}

const Value* ConfigReader::fetch(std::string_view key, Presence p) {
  const Value* v = raw(key);
  if (!v && p == Presence::Required) missing(key);
  return v;
}

std::optional<std::string> ConfigReader::string(std::string_view key, Presence p) {
  const Value* v = fetch(key, p);
  if (!v) return std::nullopt;
  if (!v->is_string()) {
    type_error(key, "a string", *v);
    return std::nullopt;
  }
  return v->as_string();
}

std::optional<double> ConfigReader::number(std::string_view key, Presence p) {
  const Value* v = fetch(key, p);
  if (!v) return std::nullopt;
  if (!v->is_number()) {
    type_error(key, "a number", *v);
    return std::nullopt;
  }
  return v->as_number();
}

std::optional<std::int64_t> ConfigReader::integer(std::string_view key, Presence p) {
  const Value* v = fetch(key, p);
  if (!v) return std::nullopt;
  if (!v->is_number()) {
    type_error(key, "an integer", *v);
    return std::nullopt;
  }
  const double d = v->as_number();
  bool integral = std::trunc(d) == d && std::fabs(d) < 9.2e18;
  // Go rejects "2.0" and "1e3" for int fields: look at the literal when the
  // document is JSON text.
  if (integral && wf_.source) {
    const auto loc = location_in_data({PathStep{std::string(key), std::nullopt}});
    if (loc.line > 0) {
      const auto text = loc.file->line_text(loc.line);
      const auto col = static_cast<std::size_t>(loc.column - 1);
      for (std::size_t i = col; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '.' || c == 'e' || c == 'E') {
          integral = false;
          break;
        }
        if (!(c == '-' || c == '+' || (c >= '0' && c <= '9'))) break;
      }
    }
  }
  if (!integral) {
    fail(key, "wrong-type", fmt::format("{} must be an integer, got {}", key, number_to_string(d)));
    return std::nullopt;
  }
  return static_cast<std::int64_t>(d);
}

std::optional<bool> ConfigReader::boolean(std::string_view key, Presence p) {
  const Value* v = fetch(key, p);
  if (!v) return std::nullopt;
  if (!v->is_bool()) {
    type_error(key, "a boolean", *v);
    return std::nullopt;
  }
  return v->as_bool();
}

const Array* ConfigReader::array(std::string_view key, Presence p) {
  const Value* v = fetch(key, p);
  if (!v) return nullptr;
  if (!v->is_array()) {
    type_error(key, "an array", *v);
    return nullptr;
  }
  return &v->as_array();
}

const Object* ConfigReader::object(std::string_view key, Presence p) {
  const Value* v = fetch(key, p);
  if (!v) return nullptr;
  if (!v->is_object()) {
    type_error(key, "an object", *v);
    return nullptr;
  }
  return &v->as_object();
}

const Value* ConfigReader::any(std::string_view key, Presence p) { return fetch(key, p); }

std::optional<std::vector<std::string>> ConfigReader::string_list(std::string_view key,
                                                                  Presence p) {
  const Array* a = array(key, p);
  if (!a) return std::nullopt;
  std::vector<std::string> out;
  out.reserve(a->size());
  for (std::size_t i = 0; i < a->size(); ++i) {
    const Value& e = (*a)[i];
    if (!e.is_string()) {
      fail_at({PathStep{std::string(key), std::nullopt}, PathStep{"", i}}, "wrong-type",
              fmt::format("{}[{}] must be a string, got {}", key, i, kind_name(e.kind())));
      return std::nullopt;
    }
    out.push_back(e.as_string());
  }
  return out;
}

void ConfigReader::report_unknown_keys() {
  std::vector<std::string_view> known;
  for (const auto key : queried_) {
    if (key != "label") known.push_back(key);
  }
  // Each one is located; past a few, one summary keeps a data object with
  // thousands of stray keys quick to check and readable.
  constexpr std::size_t kMaxReported = 10;
  std::size_t reported = 0;
  std::size_t more = 0;
  for (const auto& [key, value] : data()) {
    // `lint_ignore` is read by `thaiyyal lint` alone.
    if (key == "label" || key == "lint_ignore" || (!key.empty() && key[0] == '_')) continue;
    if (std::find(queried_.begin(), queried_.end(), key) != queried_.end()) continue;
    auto near = diag::spellcheck(key, known);
    // A parse that stopped early did not look at every key it knows.
    if (!near && !ok()) continue;
    if (reported == kMaxReported) {
      ++more;
      continue;
    }
    ++reported;
    auto& d =
        diags_.warning("unknown-key",
                       fmt::format("unknown key '{}' in the data of node {} (type {}) is ignored",
                                   key, node_.id, node_.type),
                       location_in_data({PathStep{key, std::nullopt}}, true));
    if (near) {
      d.notes.push_back(fmt::format("did you mean '{}'?", *near));
    } else if (known.empty()) {
      d.notes.push_back(fmt::format("a {} node reads no data keys", node_.type));
    } else {
      d.notes.push_back(fmt::format("a {} node reads: {}", node_.type, fmt::join(known, ", ")));
    }
  }
  if (more > 0) {
    diags_.warning(
        "unknown-key",
        fmt::format("{} more unknown key{} in the data of node {} (type {}) {} ignored", more,
                    more == 1 ? "" : "s", node_.id, node_.type, more == 1 ? "is" : "are"),
        location_in_data({}));
  }
}

bool ConfigReader::blank(std::string_view s) {
  return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

std::shared_ptr<const expr::Program> ConfigReader::expression(std::string_view key,
                                                              expr::Mode mode) {
  auto text = string(key);
  if (!text || blank(*text)) return nullptr;
  return expression_at({PathStep{std::string(key), std::nullopt}}, *text, key, mode);
}

std::shared_ptr<const expr::Program> ConfigReader::expression_at(
    const std::vector<PathStep>& data_path, const std::string& text, std::string_view label,
    expr::Mode mode) {
  facts_.expressions.push_back(ExpressionSite{data_path, std::string(label), text, nullptr});
  try {
    auto program = expr::compile(text, mode);
    facts_.expressions.back().program = program;
    return program;
  } catch (const expr::ExprError& e) {
    // Columns count code points; the source holds UTF-8 bytes, so convert
    // (the column just past the end maps to the text's length).
    std::size_t byte_offset = 0;
    for (int cp = 1; cp < e.column() && byte_offset < text.size(); ++cp) {
      ++byte_offset;
      while (byte_offset < text.size() &&
             (static_cast<unsigned char>(text[byte_offset]) & 0xC0) == 0x80) {
        ++byte_offset;
      }
    }
    std::size_t byte_end = byte_offset;
    for (int cp = 0; cp < e.length() && byte_end < text.size(); ++cp) {
      ++byte_end;
      while (byte_end < text.size() &&
             (static_cast<unsigned char>(text[byte_end]) & 0xC0) == 0x80) {
        ++byte_end;
      }
    }
    fail_at(data_path, "expression", fmt::format("{}: {}", label, e.what()),
            static_cast<int>(byte_offset), static_cast<int>(byte_end - byte_offset));
    return nullptr;
  }
}

std::optional<DurationSetting> ConfigReader::duration(std::string_view key, Presence p) {
  auto text = string(key, p);
  if (!text) return std::nullopt;
  DurationSetting d{*text, parse_node_duration(*text)};
  return d;
}

std::shared_ptr<const expr::Program> ConfigReader::required_expression(
    std::string_view key, expr::Mode mode, std::string_view blank_detail) {
  auto text = string(key, Presence::Required);
  if (!text) return nullptr;
  if (blank(*text)) {
    fail(key, "blank-expression", blank_detail);
    return nullptr;
  }
  return expression_at({PathStep{std::string(key), std::nullopt}}, *text, key, mode);
}

void ConfigReader::fails_when_run(std::string_view key, std::string_view cause,
                                  const std::vector<std::string_view>& choices) {
  auto& d = diags_.deferred_error(
      "fails-when-run",
      fmt::format("node {} (type {}) will fail when it runs: {}", node_.id, node_.type, cause),
      key.empty() ? wf_.location(node_path(node_.index), &node_)
                  : location_in_data({PathStep{std::string(key), std::nullopt}}));
  const Value* v = key.empty() ? nullptr : data().find(key);
  if (v && v->is_string() && !choices.empty()) {
    if (auto near = diag::spellcheck(v->as_string(), choices)) {
      d.notes.push_back(fmt::format("did you mean '{}'?", *near));
    }
  }
}

void ConfigReader::fails_when_run_at(const std::vector<PathStep>& data_path,
                                     std::string_view cause) {
  diags_.deferred_error(
      "fails-when-run",
      fmt::format("node {} (type {}) will fail when it runs: {}", node_.id, node_.type, cause),
      location_in_data(data_path));
}

ConfigReader::RunEffect ConfigReader::RunEffect::fails(std::string error, std::string when) {
  RunEffect e;
  e.error = std::move(error);
  e.when = std::move(when);
  return e;
}

ConfigReader::RunEffect ConfigReader::RunEffect::ignored(std::string instead) {
  RunEffect e;
  e.instead = std::move(instead);
  return e;
}

void ConfigReader::report_value(std::string_view key, std::string_view code,
                                std::string_view detail, std::vector<std::string> notes,
                                const RunEffect& effect) {
  diag::Diagnostic* d = nullptr;
  if (effect.error.empty()) {
    d = &fail(key, code, detail);
    if (!effect.instead.empty()) notes.push_back(effect.instead);
  } else {
    d = &diags_.deferred_error(std::string(code),
                               fmt::format("node {} (type {}): {}", node_.id, node_.type, detail),
                               location_in_data({PathStep{std::string(key), std::nullopt}}));
    notes.push_back(fmt::format("{}, the node fails with: {}", effect.when, effect.error));
  }
  for (auto& n : notes) d->notes.push_back(std::move(n));
}

void ConfigReader::unknown_option(std::string_view key, std::string_view value,
                                  const std::vector<std::string_view>& choices,
                                  const RunEffect& effect, bool ignore_case) {
  std::vector<std::string> notes;
  if (ignore_case) {
    // Compare in one case, suggest the spelling of the table.
    auto upper = [](std::string_view text) {
      std::string out(text);
      for (auto& ch : out) ch = ch >= 'a' && ch <= 'z' ? static_cast<char>(ch - 'a' + 'A') : ch;
      return out;
    };
    std::vector<std::string> folded;
    for (const auto c : choices) folded.push_back(upper(c));
    const std::vector<std::string_view> views(folded.begin(), folded.end());
    if (auto near = suggest_name(upper(value), views)) {
      const auto at = std::find(folded.begin(), folded.end(), *near) - folded.begin();
      notes.push_back(fmt::format("did you mean '{}'?", choices[static_cast<std::size_t>(at)]));
    }
  } else if (auto near = suggest_name(value, choices)) {
    notes.push_back(fmt::format("did you mean '{}'?", *near));
  }
  report_value(key, "unknown-option",
               fmt::format("{}: '{}' is not one of {}", key, value, fmt::join(choices, ", ")),
               std::move(notes), effect);
}

void ConfigReader::invalid_duration(std::string_view key, std::string_view text,
                                    const RunEffect& effect) {
  report_value(key, "invalid-duration", fmt::format("{}: '{}' is not a duration", key, text),
               {"write a number with a unit (ns, us, ms, s, m, h), e.g. 500ms, 1.5s, 2m, 1h30m; "
                "a bare integer means milliseconds"},
               effect);
}

// ---- templates and recorded facts -------------------------------------------------

std::optional<TextTemplate> ConfigReader::templated(std::string_view key, Presence p) {
  auto text = string(key, p);
  if (!text) return std::nullopt;
  return templated_at({PathStep{std::string(key), std::nullopt}}, std::move(*text));
}

TextTemplate ConfigReader::templated_at(const std::vector<PathStep>& data_path, std::string text,
                                        bool at_key) {
  TextTemplate t(std::move(text));
  if (t.text().find("{{") != std::string::npos) {
    facts_.templates.push_back(TemplateSite{data_path, at_key, t});
  }
  return t;
}

ValueTemplate ConfigReader::templated_value(const std::vector<PathStep>& data_path,
                                            const Value& value) {
  return ValueTemplate(value,
                       [&](const std::vector<PathStep>& path, bool at_key, const TextTemplate& t) {
                         std::vector<PathStep> full = data_path;
                         full.insert(full.end(), path.begin(), path.end());
                         facts_.templates.push_back(TemplateSite{std::move(full), at_key, t});
                       });
}

void ConfigReader::defines_context_value(std::string name, bool constant) {
  facts_.context_values.push_back(ContextDefinition{std::move(name), constant});
}

ConfigFacts ConfigReader::take_facts() {
  ConfigFacts out = std::move(facts_);
  facts_ = ConfigFacts{};
  out.complete = ok();
  return out;
}

namespace {

/// Bytes of the UTF-8 encoding of code point `cp`.
std::size_t utf8_length(std::uint32_t cp) {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

std::optional<std::uint32_t> hex_at(std::string_view s, std::size_t pos, std::size_t n) {
  if (pos + n > s.size()) return std::nullopt;
  std::uint32_t v = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const char c = s[pos + k];
    v <<= 4;
    if (c >= '0' && c <= '9') {
      v |= static_cast<std::uint32_t>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      v |= static_cast<std::uint32_t>(c - 'a' + 10);
    } else if (c >= 'A' && c <= 'F') {
      v |= static_cast<std::uint32_t>(c - 'A' + 10);
    } else {
      return std::nullopt;
    }
  }
  return v;
}

/// Walks the source spelling of a one-line string starting at `start` in
/// `line` and returns the source index holding value byte `target`, or
/// nullopt when the string does not stay on this line (or is a block
/// scalar). Double-quoted strings decode JSON and YAML escapes, single-quoted
/// ones YAML's `''`.
std::optional<std::size_t> source_index(std::string_view line, std::size_t start,
                                        std::size_t target) {
  if (start >= line.size()) return std::nullopt;
  const char quote = line[start];
  if (quote == '|' || quote == '>') return std::nullopt;
  const bool quoted = quote == '"' || quote == '\'';
  std::size_t src = quoted ? start + 1 : start;
  std::size_t value = 0;
  while (value < target) {
    if (src >= line.size()) return std::nullopt;
    const char c = line[src];
    if (quoted && c == quote &&
        !(quote == '\'' && src + 1 < line.size() && line[src + 1] == '\'')) {
      return std::nullopt;  // the string ended before the target
    }
    if (quote == '\'' && c == '\'') {
      src += 2;
      value += 1;
    } else if (quote == '"' && c == '\\' && src + 1 < line.size()) {
      const char e = line[src + 1];
      if (e == 'u') {
        auto cp = hex_at(line, src + 2, 4);
        if (!cp) return std::nullopt;
        src += 6;
        if (*cp >= 0xD800 && *cp <= 0xDBFF && line.substr(src, 2) == "\\u") {
          src += 6;  // a surrogate pair: one 4-byte character
          value += 4;
        } else {
          value += utf8_length(*cp);
        }
      } else if (e == 'x' || e == 'U') {
        const std::size_t n = e == 'x' ? 2 : 8;
        auto cp = hex_at(line, src + 2, n);
        if (!cp) return std::nullopt;
        src += 2 + n;
        value += e == 'x' ? 1 : utf8_length(*cp);
      } else {
        src += 2;
        value += 1;
      }
    } else {
      src += 1;
      value += 1;
    }
  }
  return value == target ? std::optional<std::size_t>(src) : std::nullopt;
}

}  // namespace

diag::Location ConfigReader::location_in_string(const std::vector<PathStep>& data_path,
                                                std::size_t offset, std::size_t length,
                                                bool at_key) const {
  diag::Location loc = location_in_data(data_path, at_key);
  if (loc.line <= 0 || !loc.file) return loc;
  const std::string_view line = loc.file->line_text(loc.line);
  const auto start = static_cast<std::size_t>(loc.column - 1);
  const auto begin = source_index(line, start, offset);
  if (!begin) return loc;
  const auto end = source_index(line, start, offset + length);
  loc.column = static_cast<int>(*begin) + 1;
  loc.length = end && *end > *begin ? static_cast<int>(*end - *begin) : 1;
  return loc;
}

}  // namespace thaiyyal::nodes
