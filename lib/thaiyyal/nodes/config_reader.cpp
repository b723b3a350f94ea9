#include "thaiyyal/nodes/config_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "thaiyyal/diag/spellcheck.h"

namespace thaiyyal::nodes {

ConfigReader::ConfigReader(const Workflow& wf, const NodeSpec& node, diag::Diagnostics& diags)
    : wf_(wf), node_(node), diags_(diags) {}

std::string ConfigReader::prefix() const {
  return fmt::format("failed to unmarshal data for node {} (type {}): ", node_.id, node_.type);
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
  diags_.error("missing-field", prefix() + fmt::format("missing required field: {}", what),
               wf_.location(node_path(node_.index), &node_));
}

void ConfigReader::fail(std::string_view key, std::string_view code, std::string_view detail) {
  ++errors_;
  diag::Location loc = key.empty() ? wf_.location(node_path(node_.index), &node_)
                                   : location_in_data({PathStep{std::string(key), std::nullopt}});
  diags_.error(std::string(code), prefix() + std::string(detail), std::move(loc));
}

void ConfigReader::fail_at(const std::vector<PathStep>& data_path, std::string_view code,
                           std::string_view detail, int column_offset, int length) {
  ++errors_;
  diag::Location loc = location_in_data(data_path);
  if (column_offset >= 0 && loc.line > 0) {
    // Point inside a string value: skip its opening quote in JSON sources.
    const auto text = loc.file ? loc.file->line_text(loc.line) : std::string_view{};
    const auto col = static_cast<std::size_t>(loc.column - 1);
    const int quote = col < text.size() && (text[col] == '"' || text[col] == '\'') ? 1 : 0;
    loc.column += quote + column_offset;
    loc.length = std::max(1, length);
  }
  diags_.error(std::string(code), prefix() + std::string(detail), std::move(loc));
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
  for (const auto& [key, value] : data()) {
    if (key == "label" || (!key.empty() && key[0] == '_')) continue;
    if (std::find(queried_.begin(), queried_.end(), key) != queried_.end()) continue;
    if (auto near = diag::spellcheck(key, queried_)) {
      auto& d =
          diags_.warning("unknown-key",
                         fmt::format("unknown key '{}' in the data of node {} (type {}) is ignored",
                                     key, node_.id, node_.type),
                         location_in_data({PathStep{key, std::nullopt}}, true));
      d.notes.push_back(fmt::format("did you mean '{}'?", *near));
    }
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
  try {
    return expr::compile(text, mode);
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
    fail_at(data_path, "expression", fmt::format("{}: {}", label, e.what()),
            static_cast<int>(byte_offset), e.length());
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

void ConfigReader::warn_fails_when_run(std::string_view key, std::string_view cause,
                                       const std::vector<std::string_view>& choices) {
  auto& d = diags_.warning(
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

}  // namespace thaiyyal::nodes
