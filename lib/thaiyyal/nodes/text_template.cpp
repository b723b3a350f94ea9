#include "thaiyyal/nodes/text_template.h"

#include <fmt/format.h>

#include "thaiyyal/diag/spellcheck.h"

namespace thaiyyal::nodes {
namespace {
bool is_word(char c) {
  return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
bool is_ws(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/// The placeholder starting exactly at `pos` (which holds `{{`), if any.
std::optional<Placeholder> placeholder_at(std::string_view s, std::size_t pos) {
  std::size_t i = pos + 2;
  while (i < s.size() && is_ws(s[i])) ++i;
  Placeholder part;
  if (s.substr(i, 6) == "const.") {
    part.is_const = true;
    i += 6;
  } else if (s.substr(i, 9) == "variable.") {
    i += 9;
  } else {
    return std::nullopt;
  }
  const std::size_t name_start = i;
  while (i < s.size() && is_word(s[i])) ++i;
  if (i == name_start) return std::nullopt;
  part.name = std::string(s.substr(name_start, i - name_start));
  while (i < s.size() && is_ws(s[i])) ++i;
  if (s.substr(i, 2) != "}}") return std::nullopt;
  part.begin = pos;
  part.end = i + 2;
  return part;
}

constexpr std::string_view kGeneralHint =
    "placeholders are {{ const.<name> }} (a context constant) or {{ variable.<name> }} (a "
    "context variable); a name is letters, digits and _";

/// The namespace `head` was probably meant to be: a near spelling or a
/// common alias (`var`, `constants`).
std::optional<std::string> namespace_guess(const std::string& head) {
  for (std::string_view alias : {"var", "vars", "variables", "v"}) {
    if (head == alias) return "variable";
  }
  for (std::string_view alias : {"constant", "constants", "consts", "c"}) {
    if (head == alias) return "const";
  }
  return diag::spellcheck(head, {"const", "variable"});
}

}  // namespace

TextTemplate::TextTemplate(std::string text) : text_(std::move(text)) {
  const std::string_view s = text_;
  std::size_t pos = 0;
  while ((pos = s.find("{{", pos)) != std::string_view::npos) {
    if (auto part = placeholder_at(s, pos)) {
      pos = part->end;
      parts_.push_back(std::move(*part));
    } else {
      ++pos;  // `{{{ const.x }}}` holds a placeholder one brace further on
    }
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

std::string TextTemplate::render(const Object* constants, const Object* variables,
                                 std::vector<const Placeholder*>* missing) const {
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
      if (missing) missing->push_back(&p);
    }
    last = p.end;
  }
  out.append(text_, last, std::string::npos);
  return out;
}

// ---- ValueTemplate ---------------------------------------------------------------

ValueTemplate::ValueTemplate(const Value& value, const SiteFn& on_site) : value_(value) {
  std::vector<PathStep> path;
  build(on_site, path);
}

void ValueTemplate::build(const SiteFn& on_site, std::vector<PathStep>& path) {
  if (const std::string* s = value_.if_string()) {
    if (s->find("{{") == std::string::npos) return;
    TextTemplate t(*s);
    if (on_site) on_site(path, false, t);
    if (t.has_placeholders()) {
      templated_ = true;
      text_ = std::move(t);
    }
  } else if (const Array* a = value_.if_array()) {
    std::vector<ValueTemplate> items(a->size());
    for (std::size_t i = 0; i < a->size(); ++i) {
      path.push_back(PathStep{"", i});
      items[i].value_ = (*a)[i];
      items[i].build(on_site, path);
      path.pop_back();
      templated_ = templated_ || items[i].templated_;
    }
    if (templated_) items_ = std::move(items);
  } else if (const Object* o = value_.if_object()) {
    std::vector<TextTemplate> keys;
    std::vector<ValueTemplate> values(o->size());
    keys.reserve(o->size());
    std::size_t i = 0;
    for (const auto& [k, v] : *o) {
      path.push_back(PathStep{k, std::nullopt});
      keys.emplace_back(k);
      if (on_site && k.find("{{") != std::string::npos) on_site(path, true, keys.back());
      values[i].value_ = v;
      values[i].build(on_site, path);
      path.pop_back();
      templated_ = templated_ || keys.back().has_placeholders() || values[i].templated_;
      ++i;
    }
    if (templated_) {
      keys_ = std::move(keys);
      member_values_ = std::move(values);
    }
  }
}

Value ValueTemplate::render(const Object* constants, const Object* variables,
                            std::vector<const Placeholder*>* missing) const {
  if (!templated_) return value_;
  if (text_) return Value(text_->render(constants, variables, missing));
  if (value_.is_array()) {
    Array out;
    out.reserve(items_.size());
    for (const auto& item : items_) out.push_back(item.render(constants, variables, missing));
    return Value(std::move(out));
  }
  Object out;
  out.reserve(keys_.size());
  for (std::size_t i = 0; i < keys_.size(); ++i) {
    std::string key = keys_[i].render(constants, variables, missing);
    if (out.contains(key)) {
      throw TemplateError(fmt::format("object key \"{}\" renders to \"{}\", which is already a key",
                                      keys_[i].text(), key));
    }
    out.append_unique(std::move(key), member_values_[i].render(constants, variables, missing));
  }
  return Value(std::move(out));
}

// ---- malformed placeholders ------------------------------------------------------

std::vector<TemplateIssue> malformed_placeholders(std::string_view s) {
  std::vector<TemplateIssue> issues;
  // The end of a `{{ ... }}` on the same line, not past the next `{{`; else
  // `fallback` (what was read).
  auto close_after = [&](std::size_t pos, std::size_t fallback) {
    const auto close = s.find("}}", pos + 2);
    const auto next_open = s.find("{{", pos + 2);
    const auto newline = s.find('\n', pos + 2);
    if (close != std::string_view::npos &&
        (next_open == std::string_view::npos || close < next_open) &&
        (newline == std::string_view::npos || close < newline)) {
      return close + 2;
    }
    return fallback;
  };
  std::size_t pos = 0;
  while ((pos = s.find("{{", pos)) != std::string_view::npos) {
    if (auto p = placeholder_at(s, pos)) {
      pos = p->end;
      continue;
    }
    if (pos + 2 < s.size() && s[pos + 2] == '{') {
      ++pos;  // a run of braces: look at its last `{{`
      continue;
    }
    TemplateIssue issue;
    issue.begin = pos;
    std::size_t i = pos + 2;
    while (i < s.size() && is_ws(s[i])) ++i;
    const std::size_t head_start = i;
    while (i < s.size() && is_word(s[i])) ++i;
    const std::string head(s.substr(head_start, i - head_start));
    if (head.empty()) {
      std::size_t k = i;
      if (s.substr(k, 2) == "}}") {
        issue.end = k + 2;
        issue.reason = "the placeholder is empty";
      } else {
        issue.end = close_after(pos, pos + 2);
        issue.reason = "expected const.<name> or variable.<name> after '{{'";
      }
      issue.hint = std::string(kGeneralHint);
    } else if (i < s.size() && s[i] == '.') {
      ++i;
      const std::size_t name_start = i;
      while (i < s.size() && is_word(s[i])) ++i;
      const std::string name(s.substr(name_start, i - name_start));
      const std::string shown_name = name.empty() ? "<name>" : name;
      if (head != "const" && head != "variable") {
        issue.end = close_after(pos, i);
        issue.reason = fmt::format("unknown namespace '{}'", head);
        if (auto near = namespace_guess(head)) {
          issue.hint = fmt::format("did you mean '{{{{ {}.{} }}}}'?", *near, shown_name);
        } else {
          issue.hint = std::string(kGeneralHint);
        }
      } else if (name.empty()) {
        issue.end = close_after(pos, i);
        issue.reason = fmt::format("no name after '{}.'", head);
        issue.hint =
            fmt::format("write {{{{ {}.<name> }}}}, where <name> is letters, digits and _", head);
      } else {
        std::size_t k = i;
        while (k < s.size() && is_ws(s[k])) ++k;
        const std::string wanted = fmt::format("write {{{{ {}.{} }}}}", head, name);
        if (k < s.size() && s[k] == '.' && k == i) {
          issue.end = close_after(pos, k + 1);
          issue.reason = fmt::format(
              "'{}.{}' is followed by '.': only a whole context value can "
              "be inserted",
              head, name);
          issue.hint = wanted;
        } else if (k >= s.size() || s[k] == '}' || (k > i && s.substr(k, 2) == "{{")) {
          issue.end = k < s.size() && s[k] == '}' ? k + 1 : i;
          issue.reason = "the placeholder is not closed with '}}'";
          issue.hint = wanted;
        } else if (k == i) {
          issue.end = close_after(pos, k + 1);
          issue.reason =
              fmt::format("'{}' after '{}.{}' cannot be part of a name", s[k], head, name);
          issue.hint = std::string(kGeneralHint);
        } else {
          issue.end = close_after(pos, k);
          issue.reason = fmt::format("unexpected text after '{}.{}'", head, name);
          issue.hint = wanted;
        }
      }
    } else {
      std::size_t k = i;
      while (k < s.size() && is_ws(s[k])) ++k;
      if (s.substr(k, 2) == "}}") {
        issue.end = k + 2;
        issue.reason = fmt::format("no namespace before '{}'", head);
        issue.hint = fmt::format(
            "write {{{{ const.{} }}}} for a context constant or {{{{ variable.{} }}}} for a "
            "context variable",
            head, head);
      } else {
        issue.end = close_after(pos, i);
        issue.reason = "expected const.<name> or variable.<name> after '{{'";
        issue.hint = std::string(kGeneralHint);
      }
    }
    issue.end = std::max(issue.end, pos + 2);
    pos = issue.end;
    issues.push_back(std::move(issue));
  }
  return issues;
}

}  // namespace thaiyyal::nodes
