#include "thaiyyal/nodes/text_template.h"

#include "thaiyyal/model/value_json.h"

namespace thaiyyal::nodes {
namespace {
bool is_word(char c) {
  return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
bool is_ws(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
}  // namespace

TextTemplate::TextTemplate(std::string text) : text_(std::move(text)) {
  const std::string_view s = text_;
  std::size_t pos = 0;
  while ((pos = s.find("{{", pos)) != std::string_view::npos) {
    std::size_t i = pos + 2;
    while (i < s.size() && is_ws(s[i])) ++i;
    Part part;
    if (s.substr(i, 6) == "const.") {
      part.is_const = true;
      i += 6;
    } else if (s.substr(i, 9) == "variable.") {
      i += 9;
    } else {
      pos += 2;
      continue;
    }
    const std::size_t name_start = i;
    while (i < s.size() && is_word(s[i])) ++i;
    if (i == name_start) {
      pos += 2;
      continue;
    }
    part.name = std::string(s.substr(name_start, i - name_start));
    while (i < s.size() && is_ws(s[i])) ++i;
    if (s.substr(i, 2) != "}}") {
      pos += 2;
      continue;
    }
    part.begin = pos;
    part.end = i + 2;
    parts_.push_back(std::move(part));
    pos = i + 2;
  }
}

std::string template_text(const Value& v) {
  if (const auto* s = v.if_string()) return *s;
  if (const auto* d = v.if_number()) return number_to_string(*d);
  try {
    return to_json(v);
  } catch (const JsonWriteError&) {
    return "null";
  }
}

std::string TextTemplate::render(const Object* constants, const Object* variables) const {
  if (parts_.empty()) return text_;
  std::string out;
  out.reserve(text_.size());
  std::size_t last = 0;
  for (const auto& p : parts_) {
    out.append(text_, last, p.begin - last);
    const Object* map = p.is_const ? constants : variables;
    const Value* v = map ? map->find(p.name) : nullptr;
    if (v) {
      out += template_text(*v);
    } else {
      out.append(text_, p.begin, p.end - p.begin);
    }
    last = p.end;
  }
  out.append(text_, last, std::string::npos);
  return out;
}

}  // namespace thaiyyal::nodes
