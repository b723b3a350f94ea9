#include "thaiyyal/load/yaml_reader.h"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cmath>
#include <unordered_set>

#include "thaiyyal/diag/render.h"
#include "thaiyyal/load/loader.h"
#include "thaiyyal/model/value_json.h"

namespace thaiyyal::load {
namespace detail {
namespace {

[[noreturn]] void fail(const YAML::Mark& m, std::string code, std::string message) {
  diag::Location loc;
  if (m.line >= 0) {
    loc.line = m.line + 1;
    loc.column = m.column + 1;
  }
  diag::raise(diag::ErrorKind::Load, std::move(code), std::move(message), loc);
}

bool all_of(std::string_view s, std::size_t from, bool (*pred)(char)) {
  if (from >= s.size()) return false;
  for (std::size_t i = from; i < s.size(); ++i) {
    if (!pred(s[i])) return false;
  }
  return true;
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_octal(char c) { return c >= '0' && c <= '7'; }
bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/// YAML 1.2 core-schema float syntax (without .inf/.nan).
bool is_core_float(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  std::size_t int_digits = 0, frac_digits = 0;
  while (i < s.size() && is_digit(s[i])) ++i, ++int_digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && is_digit(s[i])) ++i, ++frac_digits;
  }
  if (int_digits == 0 && frac_digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    std::size_t exp_digits = 0;
    while (i < s.size() && is_digit(s[i])) ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  return i == s.size();
}

class Converter {
 public:
  Converter(std::size_t max_depth, std::size_t budget, YamlMarks* marks)
      : max_depth_(max_depth), budget_(budget), marks_(marks) {}

  Value convert(const YAML::Node& n, std::vector<PathStep>& path, std::size_t depth,
                const YAML::Mark* key_mark) {
    if (++count_ > budget_) {
      fail(n.Mark(), "yaml-too-large",
           "YAML document expands to too many values (aliases are limited to prevent "
           "exponential expansion)");
    }
    if (marks_) {
      YamlSpan span;
      span.line = n.Mark().line;
      span.column = n.Mark().column;
      if (key_mark) {
        span.key_line = key_mark->line;
        span.key_column = key_mark->column;
      }
      (*marks_)[format_json_path(path)] = span;
    }
    switch (n.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        return Value();
      case YAML::NodeType::Scalar:
        return scalar(n);
      case YAML::NodeType::Sequence: {
        check_depth(n, depth + 1);
        Array items;
        items.reserve(n.size());
        std::size_t i = 0;
        for (const auto& child : n) {
          path.push_back(PathStep{"", i++});
          items.push_back(convert(child, path, depth + 1, nullptr));
          path.pop_back();
        }
        return Value(std::move(items));
      }
      case YAML::NodeType::Map: {
        check_depth(n, depth + 1);
        Object obj;
        for (const auto& kv : n) {
          const YAML::Node& k = kv.first;
          if (!k.IsScalar()) {
            fail(k.Mark(), "yaml-syntax", "mapping keys must be scalars");
          }
          std::string key = k.Scalar();
          if (obj.contains(key)) {
            std::string msg = "duplicate key ";
            diag::append_json_string(msg, key);
            fail(k.Mark(), "duplicate-key", msg + " in mapping");
          }
          const YAML::Mark km = k.Mark();
          path.push_back(PathStep{key, std::nullopt});
          Value v = convert(kv.second, path, depth + 1, &km);
          path.pop_back();
          obj.append_unique(std::move(key), std::move(v));
        }
        return Value(std::move(obj));
      }
    }
    return Value();
  }

 private:
  void check_depth(const YAML::Node& n, std::size_t depth) {
    if (max_depth_ > 0 && depth > max_depth_) {
      fail(n.Mark(), "nesting-too-deep",
           "nesting too deep: more than " + std::to_string(max_depth_) + " levels");
    }
  }

  Value scalar(const YAML::Node& n) {
    const std::string& s = n.Scalar();
    const std::string& tag = n.Tag();
    if (tag == "!" || tag == "tag:yaml.org,2002:str") return Value(s);
    if (tag != "?" && tag.rfind("tag:yaml.org,2002:", 0) != 0) {
      fail(n.Mark(), "yaml-unsupported", "unsupported YAML tag '" + tag + "'");
    }
    const bool plain = tag == "?";
    if (plain || tag == "tag:yaml.org,2002:null") {
      if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return Value();
      if (!plain) fail(n.Mark(), "yaml-unsupported", "invalid !!null value '" + s + "'");
    }
    if (plain || tag == "tag:yaml.org,2002:bool") {
      if (s == "true" || s == "True" || s == "TRUE") return Value(true);
      if (s == "false" || s == "False" || s == "FALSE") return Value(false);
      if (!plain) fail(n.Mark(), "yaml-unsupported", "invalid !!bool value '" + s + "'");
    }
    if (plain || tag == "tag:yaml.org,2002:int" || tag == "tag:yaml.org,2002:float") {
      std::string_view v = s;
      std::string_view body = v;
      if (!body.empty() && (body[0] == '+' || body[0] == '-')) body.remove_prefix(1);
      std::string lower(body);
      for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (lower == ".inf" || lower == ".nan") {
        fail(n.Mark(), "non-finite-number",
             "'" + s + "' is not a finite number; infinities and NaN are not supported");
      }
      if (s.size() > 2 && s[0] == '0' && s[1] == 'o' && all_of(s, 2, is_octal)) {
        return Value(integer(n, s.substr(2), 8));
      }
      if (s.size() > 2 && s[0] == '0' && s[1] == 'x' && all_of(s, 2, is_hex)) {
        return Value(integer(n, s.substr(2), 16));
      }
      if (is_core_float(v)) {
        double d = 0;
        const char* first = v.data() + (v[0] == '+' ? 1 : 0);
        auto res = std::from_chars(first, v.data() + v.size(), d);
        if (res.ec == std::errc::result_out_of_range && !std::isfinite(std::strtod(s.c_str(), nullptr))) {
          fail(n.Mark(), "number-out-of-range", "number out of range: " + s);
        }
        if (res.ec == std::errc::result_out_of_range) d = 0;
        return Value(d);
      }
      if (!plain) fail(n.Mark(), "yaml-unsupported", "invalid number '" + s + "'");
    }
    return Value(s);
  }

  double integer(const YAML::Node& n, const std::string& digits, int base) {
    double d = 0;
    for (char c : digits) {
      const int v = is_digit(c) ? c - '0' : (std::tolower(static_cast<unsigned char>(c)) - 'a' + 10);
      d = d * base + v;
    }
    if (!std::isfinite(d)) fail(n.Mark(), "number-out-of-range", "number out of range");
    return d;
  }

  std::size_t max_depth_;
  std::size_t budget_;
  std::size_t count_ = 0;
  YamlMarks* marks_;
};

}  // namespace

Value parse_yaml_document(std::string_view text, std::size_t max_depth, YamlMarks* marks) {
  std::vector<YAML::Node> docs;
  try {
    docs = YAML::LoadAll(std::string(text));
  } catch (const YAML::Exception& e) {
    fail(e.mark, "yaml-syntax", "invalid YAML: " + e.msg);
  }
  if (docs.size() > 1) {
    fail(docs[1].Mark(), "yaml-syntax",
         "the file holds several YAML documents; a workflow file holds exactly one");
  }
  if (docs.empty()) return Value();
  // Aliases may share subtrees; expanding them is bounded by the text size.
  const std::size_t budget = 100000 + text.size() * 4;
  Converter c(max_depth, budget, marks);
  std::vector<PathStep> path;
  return c.convert(docs[0], path, 0, nullptr);
}

}  // namespace detail

Value parse_yaml(std::string_view text, std::size_t max_depth) {
  return detail::parse_yaml_document(text, max_depth, nullptr);
}

}  // namespace thaiyyal::load
