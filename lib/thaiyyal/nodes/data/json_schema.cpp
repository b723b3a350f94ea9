#include "thaiyyal/nodes/data/json_schema.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <regex>

#include "thaiyyal/model/value_json.h"

namespace thaiyyal::nodes {
namespace {

// The compiled schema is a flat list of nodes that refer to each other by
// index, so that `$ref` cycles need no ownership cycles.

/// The instance types of the `type` keyword, as bits.
enum TypeBit : unsigned {
  kNull = 1,
  kBoolean = 2,
  kInteger = 4,
  kNumber = 8,
  kString = 16,
  kArray = 32,
  kObject = 64,
};

constexpr std::pair<std::string_view, TypeBit> kTypeNames[] = {
    {"array", kArray}, {"boolean", kBoolean}, {"integer", kInteger}, {"number", kNumber},
    {"null", kNull},   {"object", kObject},   {"string", kString},
};

/// A compiled `pattern`: searched by matching `[\s\S]*(?:p)[\s\S]*` with
/// libstdc++'s breadth-first executor, whose stack use does not grow with the
/// text (the default executor recurses per character).
struct Pattern {
  std::string source;
  std::regex re;
  bool whole = false;  ///< re is the wrapped form (match), else the plain one (search)
  bool matches(const std::string& s) const {
    return whole ? std::regex_match(s, re) : std::regex_search(s, re);
  }
};

struct Dependency {
  std::vector<std::string> properties;  ///< array form
  int schema = -1;                      ///< schema form
};

struct SchemaNode {
  std::optional<bool> constant;  ///< a `true`/`false` schema
  int ref = -1;                  ///< `$ref` target (siblings ignored, draft 7)
  unsigned types = 0;            ///< 0: any
  std::string types_text;        ///< "string" or "[string,null]"
  std::optional<Array> enumeration;
  std::optional<Value> constant_value;
  std::optional<double> minimum, maximum, exclusive_minimum, exclusive_maximum, multiple_of;
  std::optional<std::size_t> min_length, max_length, min_items, max_items, min_properties,
      max_properties;
  std::optional<Pattern> pattern;
  std::string format;
  bool unique_items = false;
  std::vector<std::string> required;
  std::vector<std::pair<std::string, int>> properties;  ///< by name, byte order
  std::vector<std::pair<Pattern, int>> pattern_properties;
  std::optional<bool> additional_properties_allowed;
  int additional_properties = -1;
  int items = -1;                ///< one schema for every item
  std::vector<int> tuple_items;  ///< `items` as an array
  std::optional<bool> additional_items_allowed;
  int additional_items = -1;
  int contains = -1;
  int property_names = -1;
  std::vector<int> all_of, any_of, one_of;
  int not_schema = -1;
  int if_schema = -1, then_schema = -1, else_schema = -1;
  std::vector<std::pair<std::string, Dependency>> dependencies;
};

}  // namespace

struct JsonSchema::Impl {
  std::vector<SchemaNode> nodes;  ///< nodes[0] is the root
};

namespace {

using CompiledSchema = JsonSchema::Impl;

[[noreturn]] void schema_error(std::string message) { throw JsonSchemaError(std::move(message)); }

class SchemaCompiler {
 public:
  explicit SchemaCompiler(const Value& root) : root_(root) {}

  std::shared_ptr<const CompiledSchema> compile() {
    auto out = std::make_shared<CompiledSchema>();
    out_ = out.get();
    compile_at(root_, "#");
    // Resolve `$ref`s (compiling their targets on first use).
    for (std::size_t i = 0; i < pending_refs_.size(); ++i) {
      const auto [node, pointer] = pending_refs_[i];
      out_->nodes[static_cast<std::size_t>(node)].ref = resolve(pointer);
    }
    return out;
  }

 private:
  int compile_at(const Value& v, const std::string& pointer) {
    if (auto it = by_pointer_.find(pointer); it != by_pointer_.end()) return it->second;
    const int index = static_cast<int>(out_->nodes.size());
    out_->nodes.emplace_back();
    by_pointer_[pointer] = index;
    if (++count_ > 100000) schema_error("schema too large");
    SchemaNode n = build(v, pointer, index);
    out_->nodes[static_cast<std::size_t>(index)] = std::move(n);
    return index;
  }

  int resolve(const std::string& ref) {
    if (ref.empty() || ref[0] != '#') {
      schema_error(
          fmt::format("unsupported $ref '{}' (only references into the schema "
                      "itself, starting with '#', are supported)",
                      ref));
    }
    const Value* v = &root_;
    std::string pointer = "#";
    std::string_view rest = std::string_view(ref).substr(1);
    if (!rest.empty() && rest[0] != '/') {
      schema_error(fmt::format("unsupported $ref '{}'", ref));
    }
    while (!rest.empty()) {
      rest.remove_prefix(1);
      const std::size_t slash = rest.find('/');
      std::string token(rest.substr(0, slash));
      rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
      // JSON pointer escapes: ~1 is '/', ~0 is '~'.
      for (std::size_t p = 0; (p = token.find('~', p)) != std::string::npos; ++p) {
        if (p + 1 < token.size() && token[p + 1] == '1') {
          token.replace(p, 2, "/");
        } else if (p + 1 < token.size() && token[p + 1] == '0') {
          token.replace(p, 2, "~");
        }
      }
      pointer += "/" + token;
      if (const Object* o = v->if_object()) {
        v = o->find(token);
      } else if (const Array* a = v->if_array()) {
        const bool digits = !token.empty() && std::all_of(token.begin(), token.end(), [](char c) {
          return c >= '0' && c <= '9';
        });
        const std::size_t k = digits ? std::stoul(token) : a->size();
        v = k < a->size() ? &(*a)[k] : nullptr;
      } else {
        v = nullptr;
      }
      if (!v) schema_error(fmt::format("$ref '{}' does not resolve", ref));
    }
    return compile_at(*v, pointer);
  }

  [[noreturn]] static void type_error(std::string_view expected, std::string_view key) {
    schema_error(fmt::format("Invalid type. Expected: {}, given: {}", expected, key));
  }

  static std::optional<double> number(const Object& o, std::string_view key) {
    const Value* v = o.find(key);
    if (!v) return std::nullopt;
    if (!v->is_number()) type_error("number", key);
    return v->as_number();
  }

  static std::optional<std::size_t> count(const Object& o, std::string_view key) {
    const Value* v = o.find(key);
    if (!v) return std::nullopt;
    if (!v->is_number() || v->as_number() != std::floor(v->as_number())) {
      type_error("integer", key);
    }
    if (v->as_number() < 0) schema_error(fmt::format("{} must be greater than or equal to 0", key));
    return static_cast<std::size_t>(std::min(v->as_number(), 1e18));
  }

  static Pattern pattern(const std::string& source) {
    Pattern p;
    p.source = source;
    try {
      std::regex plain(source, std::regex::ECMAScript);
      try {
        p.re = std::regex("[\\s\\S]*(?:" + source + ")[\\s\\S]*",
                          std::regex::ECMAScript | std::regex_constants::__polynomial);
        p.whole = true;
      } catch (const std::regex_error&) {
        p.re = std::move(plain);  // e.g. back-references, which need the other executor
      }
    } catch (const std::regex_error&) {
      schema_error(fmt::format("Invalid regex pattern '{}'", source));
    }
    return p;
  }

  int child(const Value& v, const std::string& pointer) {
    if (!v.is_object() && !v.is_bool()) schema_error("schema is invalid");
    return compile_at(v, pointer);
  }

  std::vector<int> schema_list(const Object& o, std::string_view key, const std::string& pointer) {
    std::vector<int> out;
    const Value* v = o.find(key);
    if (!v) return out;
    const Array* a = v->if_array();
    if (!a || a->empty()) schema_error(fmt::format("{} must be a non-empty array of schemas", key));
    for (std::size_t i = 0; i < a->size(); ++i) {
      out.push_back(child((*a)[i], fmt::format("{}/{}/{}", pointer, key, i)));
    }
    return out;
  }

  SchemaNode build(const Value& v, const std::string& pointer, int index) {
    SchemaNode n;
    if (v.is_bool()) {
      n.constant = v.as_bool();
      return n;
    }
    const Object* op = v.if_object();
    if (!op) schema_error("schema is invalid");
    const Object& o = *op;
    if (const Value* ref = o.find("$ref")) {
      if (!ref->is_string()) type_error("string", "$ref");
      pending_refs_.emplace_back(index, ref->as_string());
      return n;
    }
    if (const Value* t = o.find("type")) {
      std::vector<std::string> names;
      if (const std::string* s = t->if_string()) {
        names.push_back(*s);
      } else if (const Array* a = t->if_array()) {
        for (const Value& e : *a) {
          if (!e.is_string()) type_error("string/array of strings", "type");
          names.push_back(e.as_string());
        }
      } else {
        type_error("string/array of strings", "type");
      }
      for (const auto& name : names) {
        auto it = std::find_if(std::begin(kTypeNames), std::end(kTypeNames),
                               [&](const auto& e) { return e.first == name; });
        if (it == std::end(kTypeNames)) {
          schema_error(fmt::format(
              "has a primitive type that is NOT VALID -- given: /{}/ Expected valid values "
              "are:[array boolean integer number null object string]",
              name));
        }
        n.types |= it->second;
      }
      n.types_text =
          names.size() == 1 ? names[0] : "[" + fmt::format("{}", fmt::join(names, ",")) + "]";
    }
    if (const Value* e = o.find("enum")) {
      if (!e->is_array()) type_error("array", "enum");
      n.enumeration = e->as_array();
    }
    if (const Value* c = o.find("const")) n.constant_value = *c;
    n.minimum = number(o, "minimum");
    n.maximum = number(o, "maximum");
    // Draft 4 writes exclusive bounds as booleans beside minimum/maximum.
    if (const Value* x = o.find("exclusiveMinimum"); x && x->is_bool()) {
      if (x->as_bool() && n.minimum) n.exclusive_minimum = std::exchange(n.minimum, std::nullopt);
    } else {
      n.exclusive_minimum = number(o, "exclusiveMinimum");
    }
    if (const Value* x = o.find("exclusiveMaximum"); x && x->is_bool()) {
      if (x->as_bool() && n.maximum) n.exclusive_maximum = std::exchange(n.maximum, std::nullopt);
    } else {
      n.exclusive_maximum = number(o, "exclusiveMaximum");
    }
    n.multiple_of = number(o, "multipleOf");
    if (n.multiple_of && *n.multiple_of <= 0)
      schema_error("multipleOf must be strictly greater than 0");
    n.min_length = count(o, "minLength");
    n.max_length = count(o, "maxLength");
    n.min_items = count(o, "minItems");
    n.max_items = count(o, "maxItems");
    n.min_properties = count(o, "minProperties");
    n.max_properties = count(o, "maxProperties");
    if (const Value* p = o.find("pattern")) {
      if (!p->is_string()) type_error("string", "pattern");
      n.pattern = pattern(p->as_string());
    }
    if (const Value* f = o.find("format")) {
      if (!f->is_string()) type_error("string", "format");
      n.format = f->as_string();
    }
    if (const Value* u = o.find("uniqueItems")) {
      if (!u->is_bool()) type_error("boolean", "uniqueItems");
      n.unique_items = u->as_bool();
    }
    if (const Value* r = o.find("required")) {
      if (!r->is_array()) type_error("array of strings", "required");
      for (const Value& e : r->as_array()) {
        if (!e.is_string()) type_error("array of strings", "required");
        n.required.push_back(e.as_string());
      }
    }
    if (const Value* p = o.find("properties")) {
      if (!p->is_object()) type_error("object", "properties");
      for (const auto& [name, sub] : p->as_object()) {
        n.properties.emplace_back(name, child(sub, pointer + "/properties/" + name));
      }
      std::sort(n.properties.begin(), n.properties.end(),
                [](const auto& a, const auto& b) { return a.first < b.first; });
    }
    if (const Value* p = o.find("patternProperties")) {
      if (!p->is_object()) type_error("object", "patternProperties");
      for (const auto& [re, sub] : p->as_object()) {
        n.pattern_properties.emplace_back(pattern(re),
                                          child(sub, pointer + "/patternProperties/" + re));
      }
    }
    if (const Value* a = o.find("additionalProperties")) {
      if (a->is_bool()) {
        n.additional_properties_allowed = a->as_bool();
      } else {
        n.additional_properties = child(*a, pointer + "/additionalProperties");
      }
    }
    if (const Value* it = o.find("items")) {
      if (const Array* list = it->if_array()) {
        for (std::size_t i = 0; i < list->size(); ++i) {
          n.tuple_items.push_back(child((*list)[i], fmt::format("{}/items/{}", pointer, i)));
        }
      } else {
        n.items = child(*it, pointer + "/items");
      }
    }
    if (const Value* a = o.find("additionalItems")) {
      if (a->is_bool()) {
        n.additional_items_allowed = a->as_bool();
      } else {
        n.additional_items = child(*a, pointer + "/additionalItems");
      }
    }
    if (const Value* c = o.find("contains")) n.contains = child(*c, pointer + "/contains");
    if (const Value* c = o.find("propertyNames")) {
      n.property_names = child(*c, pointer + "/propertyNames");
    }
    n.all_of = schema_list(o, "allOf", pointer);
    n.any_of = schema_list(o, "anyOf", pointer);
    n.one_of = schema_list(o, "oneOf", pointer);
    if (const Value* c = o.find("not")) n.not_schema = child(*c, pointer + "/not");
    if (const Value* c = o.find("if")) {
      n.if_schema = child(*c, pointer + "/if");
      if (const Value* t = o.find("then")) n.then_schema = child(*t, pointer + "/then");
      if (const Value* e = o.find("else")) n.else_schema = child(*e, pointer + "/else");
    }
    if (const Value* d = o.find("dependencies")) {
      if (!d->is_object()) type_error("object", "dependencies");
      for (const auto& [name, dep] : d->as_object()) {
        Dependency entry;
        if (const Array* a = dep.if_array()) {
          for (const Value& e : *a) {
            if (!e.is_string()) type_error("array of strings", "dependencies");
            entry.properties.push_back(e.as_string());
          }
        } else {
          entry.schema = child(dep, pointer + "/dependencies/" + name);
        }
        n.dependencies.emplace_back(name, std::move(entry));
      }
    }
    return n;
  }

  const Value& root_;
  CompiledSchema* out_ = nullptr;
  std::map<std::string, int> by_pointer_;
  std::vector<std::pair<int, std::string>> pending_refs_;
  std::size_t count_ = 0;
};

// ---- validation -------------------------------------------------------------

using ValidationError = SchemaViolation;

bool is_integer(double d) { return d == std::floor(d); }

/// The JSON Schema type name of `v`: a whole number is an "integer".
std::string instance_type(const Value& v) {
  if (v.is_number() && is_integer(v.as_number())) return "integer";
  return std::string(kind_name(v.kind()));
}

bool type_matches(unsigned types, const Value& v) {
  switch (v.kind()) {
    case Kind::Null:
      return types & kNull;
    case Kind::Bool:
      return types & kBoolean;
    case Kind::Number:
      return (types & kNumber) || ((types & kInteger) && is_integer(v.as_number()));
    case Kind::String:
      return types & kString;
    case Kind::Array:
      return types & kArray;
    case Kind::Object:
      return types & kObject;
  }
  return false;
}

std::size_t code_points(const std::string& s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string json_text(const Value& v) { return to_json(v, JsonWriteOptions::canonical()); }

// -- formats

bool all_digits(std::string_view s, std::size_t n) {
  return s.size() == n &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int to_int(std::string_view s) {
  int v = 0;
  for (const char c : s) v = v * 10 + (c - '0');
  return v;
}

bool valid_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  if (!all_digits(s.substr(0, 4), 4) || !all_digits(s.substr(5, 2), 2) ||
      !all_digits(s.substr(8, 2), 2)) {
    return false;
  }
  const int y = to_int(s.substr(0, 4));
  const int m = to_int(s.substr(5, 2));
  const int d = to_int(s.substr(8, 2));
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1) return false;
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= kDays[m - 1] + (m == 2 && leap ? 1 : 0);
}

/// RFC 3339 full-time: hh:mm:ss[.frac](Z|±hh:mm).
bool valid_time(std::string_view s) {
  if (s.size() < 9 || s[2] != ':' || s[5] != ':') return false;
  if (!all_digits(s.substr(0, 2), 2) || !all_digits(s.substr(3, 2), 2) ||
      !all_digits(s.substr(6, 2), 2)) {
    return false;
  }
  if (to_int(s.substr(0, 2)) > 23 || to_int(s.substr(3, 2)) > 59 || to_int(s.substr(6, 2)) > 60) {
    return false;
  }
  std::size_t i = 8;
  if (s[i] == '.') {
    ++i;
    const std::size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == start) return false;
  }
  const std::string_view zone = s.substr(i);
  if (zone == "Z" || zone == "z") return true;
  return zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':' &&
         all_digits(zone.substr(1, 2), 2) && all_digits(zone.substr(4, 2), 2) &&
         to_int(zone.substr(1, 2)) <= 23 && to_int(zone.substr(4, 2)) <= 59;
}

bool valid_ipv4(std::string_view s) {
  int parts = 0;
  while (true) {
    const std::size_t dot = s.find('.');
    const std::string_view part = s.substr(0, dot);
    if (part.empty() || part.size() > 3 || !all_digits(part, part.size())) return false;
    if (part.size() > 1 && part[0] == '0') return false;
    if (to_int(part) > 255) return false;
    ++parts;
    if (dot == std::string_view::npos) break;
    s.remove_prefix(dot + 1);
  }
  return parts == 4;
}

bool valid_ipv6(std::string_view s) {
  if (s.empty() || s.size() > 45) return false;
  int groups = 0;
  bool compressed = false;
  std::size_t i = 0;
  if (s.substr(0, 2) == "::") {
    compressed = true;
    i = 2;
    if (i == s.size()) return true;
  } else if (s[0] == ':') {
    return false;
  }
  while (i < s.size()) {
    std::size_t j = i;
    while (j < s.size() && std::isxdigit(static_cast<unsigned char>(s[j]))) ++j;
    if (j < s.size() && s[j] == '.') {  // embedded IPv4 at the end
      if (!valid_ipv4(s.substr(i))) return false;
      groups += 2;
      break;
    }
    if (j == i || j - i > 4) return false;
    ++groups;
    if (j == s.size()) break;
    if (s[j] != ':') return false;
    if (j + 1 < s.size() && s[j + 1] == ':') {
      if (compressed) return false;
      compressed = true;
      i = j + 2;
      if (i == s.size()) break;
    } else {
      i = j + 1;
      if (i == s.size()) return false;
    }
  }
  return compressed ? groups < 8 : groups == 8;
}

bool valid_hostname(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  if (s.back() == '.') s.remove_suffix(1);
  while (true) {
    const std::size_t dot = s.find('.');
    const std::string_view label = s.substr(0, dot);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (const char c : label) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
    }
    if (dot == std::string_view::npos) return true;
    s.remove_prefix(dot + 1);
  }
}

bool valid_email(std::string_view s) {
  const std::size_t at = s.rfind('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == s.size()) return false;
  const std::string_view local = s.substr(0, at);
  if (local.size() > 64 || local.front() == '.' || local.back() == '.' ||
      local.find("..") != std::string_view::npos) {
    return false;
  }
  for (const char c : local) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == '@' || c == '(' || c == ')' || c == ',' ||
        c == ':' || c == ';' || c == '<' || c == '>' || c == '[' || c == ']' || c == '\\' ||
        c == '"') {
      return false;
    }
  }
  const std::string_view domain = s.substr(at + 1);
  if (domain.size() > 2 && domain.front() == '[' && domain.back() == ']') {
    const std::string_view ip = domain.substr(1, domain.size() - 2);
    return valid_ipv4(ip) || (ip.substr(0, 5) == "IPv6:" && valid_ipv6(ip.substr(5)));
  }
  return valid_hostname(domain);
}

bool valid_uri(std::string_view s, bool reference) {
  if (s.empty()) return reference;
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || c == '"' || c == '<' || c == '>' || c == '\\' || c == '^' || c == '`' ||
        c == '{' || c == '|' || c == '}' || u == 0x7F) {
      return false;
    }
  }
  const std::size_t colon = s.find(':');
  const bool has_scheme = colon != std::string_view::npos && colon > 0 &&
                          std::isalpha(static_cast<unsigned char>(s[0])) &&
                          std::all_of(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(colon),
                                      [](char c) {
                                        return std::isalnum(static_cast<unsigned char>(c)) ||
                                               c == '+' || c == '-' || c == '.';
                                      }) &&
                          s.substr(0, colon).find_first_of("/?#") == std::string_view::npos;
  return reference || has_scheme;
}

bool valid_uuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

bool valid_json_pointer(std::string_view s) {
  if (!s.empty() && s[0] != '/') return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '~' && (i + 1 >= s.size() || (s[i + 1] != '0' && s[i + 1] != '1'))) return false;
  }
  return true;
}

/// Known formats are checked; unknown ones accept everything (JSON Schema).
bool format_ok(const std::string& format, const std::string& s) {
  if (format == "date-time") {
    const std::size_t t = s.find_first_of("Tt");
    return t == 10 && valid_date(std::string_view(s).substr(0, 10)) &&
           valid_time(std::string_view(s).substr(11));
  }
  if (format == "date") return valid_date(s);
  if (format == "time") return valid_time(s);
  if (format == "email" || format == "idn-email") return valid_email(s);
  if (format == "hostname") return valid_hostname(s);
  if (format == "ipv4") return valid_ipv4(s);
  if (format == "ipv6") return valid_ipv6(s);
  if (format == "uri" || format == "iri") return valid_uri(s, false);
  if (format == "uri-reference" || format == "iri-reference") return valid_uri(s, true);
  if (format == "uuid") return valid_uuid(s);
  if (format == "json-pointer") return valid_json_pointer(s);
  if (format == "regex") {
    try {
      std::regex re(s, std::regex::ECMAScript);
      return true;
    } catch (const std::regex_error&) {
      return false;
    }
  }
  return true;
}

class Validator {
 public:
  Validator(const CompiledSchema& schema, const std::function<void()>& tick)
      : schema_(schema), tick_(tick) {}

  /// Validates `v` against node `index` at `path`, appending to `errors`.
  void validate(int index, const Value& v, std::vector<std::string>& path,
                std::vector<ValidationError>& errors, std::size_t depth = 0) {
    if (depth > 1000) schema_error("$ref recursion too deep");
    if ((++steps_ & 0x3FF) == 0 && tick_) tick_();
    const SchemaNode& n = schema_.nodes[static_cast<std::size_t>(index)];
    if (n.ref >= 0) return validate(n.ref, v, path, errors, depth + 1);
    if (n.constant) {
      if (!*n.constant) add(errors, path, "false", "False always fails validation", v);
      return;
    }
    if (n.types && !type_matches(n.types, v)) {
      add(errors, path, "invalid_type",
          fmt::format("Invalid type. Expected: {}, given: {}", n.types_text, instance_type(v)), v);
      return;
    }
    combinators(n, v, path, errors, depth);
    if (const Array* a = v.if_array()) array(n, *a, v, path, errors, depth);
    if (const std::string* s = v.if_string()) string(n, *s, v, path, errors);
    if (const double* d = v.if_number()) number(n, *d, v, path, errors);
    if (const Object* o = v.if_object()) object_keywords(n, *o, v, path, errors, depth);
    common(n, v, path, errors);
    if (const Object* o = v.if_object()) {
      for (const auto& [name, sub] : n.properties) {
        if (const Value* member = o->find(name)) {
          path.push_back(name);
          validate(sub, *member, path, errors, depth + 1);
          path.pop_back();
        }
      }
    }
  }

  bool valid(int index, const Value& v, const std::vector<std::string>& path, std::size_t depth,
             std::vector<ValidationError>* errors_out = nullptr) {
    std::vector<ValidationError> errors;
    std::vector<std::string> p = path;
    validate(index, v, p, errors, depth + 1);
    const bool ok = errors.empty();
    if (errors_out) *errors_out = std::move(errors);
    return ok;
  }

 private:
  static std::string field_of(const std::vector<std::string>& path) {
    if (path.empty()) return "(root)";
    return fmt::format("{}", fmt::join(path, "."));
  }

  static void add(std::vector<ValidationError>& errors, const std::vector<std::string>& path,
                  std::string type, std::string description, const Value& value) {
    errors.push_back({field_of(path), std::move(type), std::move(description), value});
  }

  static void merge(std::vector<ValidationError>& into, std::vector<ValidationError>& from) {
    for (auto& e : from) into.push_back(std::move(e));
  }

  void combinators(const SchemaNode& n, const Value& v, std::vector<std::string>& path,
                   std::vector<ValidationError>& errors, std::size_t depth) {
    if (!n.any_of.empty()) {
      std::optional<std::vector<ValidationError>> best;
      bool ok = false;
      for (const int s : n.any_of) {
        std::vector<ValidationError> sub;
        if (valid(s, v, path, depth, &sub)) {
          ok = true;
          break;
        }
        if (!best || sub.size() < best->size()) best = std::move(sub);
      }
      if (!ok) {
        add(errors, path, "number_any_of", "Must validate at least one schema (anyOf)", v);
        if (best) merge(errors, *best);
      }
    }
    if (!n.one_of.empty()) {
      std::size_t passed = 0;
      std::optional<std::vector<ValidationError>> best;
      for (const int s : n.one_of) {
        std::vector<ValidationError> sub;
        if (valid(s, v, path, depth, &sub)) {
          ++passed;
        } else if (!best || sub.size() < best->size()) {
          best = std::move(sub);
        }
      }
      if (passed != 1) {
        add(errors, path, "number_one_of", "Must validate one and only one schema (oneOf)", v);
        if (passed == 0 && best) merge(errors, *best);
      }
    }
    if (!n.all_of.empty()) {
      std::size_t passed = 0;
      for (const int s : n.all_of) {
        std::vector<ValidationError> sub;
        if (valid(s, v, path, depth, &sub)) ++passed;
        merge(errors, sub);
      }
      if (passed != n.all_of.size()) {
        add(errors, path, "number_all_of", "Must validate all the schemas (allOf)", v);
      }
    }
    if (n.not_schema >= 0 && valid(n.not_schema, v, path, depth)) {
      add(errors, path, "number_not", "Must not validate the schema (not)", v);
    }
    if (n.if_schema >= 0) {
      if (valid(n.if_schema, v, path, depth)) {
        std::vector<ValidationError> sub;
        if (n.then_schema >= 0 && !valid(n.then_schema, v, path, depth, &sub)) {
          add(errors, path, "condition_then", "Must validate \"then\" as \"if\" was valid", v);
          merge(errors, sub);
        }
      } else {
        std::vector<ValidationError> sub;
        if (n.else_schema >= 0 && !valid(n.else_schema, v, path, depth, &sub)) {
          add(errors, path, "condition_else", "Must validate \"else\" as \"if\" was not valid", v);
          merge(errors, sub);
        }
      }
    }
  }

  void array(const SchemaNode& n, const Array& a, const Value& v, std::vector<std::string>& path,
             std::vector<ValidationError>& errors, std::size_t depth) {
    auto item = [&](int s, std::size_t i) {
      path.push_back(std::to_string(i));
      validate(s, a[i], path, errors, depth + 1);
      path.pop_back();
    };
    if (n.items >= 0) {
      for (std::size_t i = 0; i < a.size(); ++i) item(n.items, i);
    } else if (!n.tuple_items.empty()) {
      for (std::size_t i = 0; i < a.size() && i < n.tuple_items.size(); ++i) {
        item(n.tuple_items[i], i);
      }
      if (a.size() > n.tuple_items.size()) {
        if (n.additional_items_allowed == false) {
          add(errors, path, "array_no_additional_items", "No additional items allowed on array", v);
        } else if (n.additional_items >= 0) {
          for (std::size_t i = n.tuple_items.size(); i < a.size(); ++i) item(n.additional_items, i);
        }
      }
    }
    if (n.min_items && a.size() < *n.min_items) {
      add(errors, path, "array_min_items",
          fmt::format("Array must have at least {} items", *n.min_items), v);
    }
    if (n.max_items && a.size() > *n.max_items) {
      add(errors, path, "array_max_items",
          fmt::format("Array must have at most {} items", *n.max_items), v);
    }
    if (n.unique_items) {
      bool done = false;
      for (std::size_t j = 1; j < a.size() && !done; ++j) {
        for (std::size_t i = 0; i < j; ++i) {
          if (a[i] == a[j]) {
            add(errors, path, "unique", fmt::format("array items[{},{}] must be unique", i, j), v);
            done = true;
            break;
          }
        }
      }
    }
    if (n.contains >= 0) {
      const bool any = std::any_of(
          a.begin(), a.end(), [&](const Value& e) { return valid(n.contains, e, path, depth); });
      if (!any) add(errors, path, "contains", "At least one of the items must match", v);
    }
  }

  void string(const SchemaNode& n, const std::string& s, const Value& v,
              const std::vector<std::string>& path, std::vector<ValidationError>& errors) {
    const std::size_t len = (n.min_length || n.max_length) ? code_points(s) : 0;
    if (n.min_length && len < *n.min_length) {
      add(errors, path, "string_gte",
          fmt::format("String length must be greater than or equal to {}", *n.min_length), v);
    }
    if (n.max_length && len > *n.max_length) {
      add(errors, path, "string_lte",
          fmt::format("String length must be less than or equal to {}", *n.max_length), v);
    }
    if (n.pattern && !n.pattern->matches(s)) {
      add(errors, path, "pattern", fmt::format("Does not match pattern '{}'", n.pattern->source),
          v);
    }
    if (!n.format.empty() && !format_ok(n.format, s)) {
      add(errors, path, "format", fmt::format("Does not match format '{}'", n.format), v);
    }
  }

  static void number(const SchemaNode& n, double d, const Value& v,
                     const std::vector<std::string>& path, std::vector<ValidationError>& errors) {
    if (n.multiple_of) {
      const double q = d / *n.multiple_of;
      const bool ok = std::isfinite(q) &&
                      std::fabs(q - std::nearbyint(q)) <= 1e-9 * std::max(1.0, std::fabs(q));
      if (!ok) {
        add(errors, path, "multiple_of",
            fmt::format("Must be a multiple of {}", number_to_string(*n.multiple_of)), v);
      }
    }
    if (n.maximum && d > *n.maximum) {
      add(errors, path, "number_lte",
          fmt::format("Must be less than or equal to {}", number_to_string(*n.maximum)), v);
    }
    if (n.exclusive_maximum && d >= *n.exclusive_maximum) {
      add(errors, path, "number_lt",
          fmt::format("Must be less than {}", number_to_string(*n.exclusive_maximum)), v);
    }
    if (n.minimum && d < *n.minimum) {
      add(errors, path, "number_gte",
          fmt::format("Must be greater than or equal to {}", number_to_string(*n.minimum)), v);
    }
    if (n.exclusive_minimum && d <= *n.exclusive_minimum) {
      add(errors, path, "number_gt",
          fmt::format("Must be greater than {}", number_to_string(*n.exclusive_minimum)), v);
    }
  }

  void object_keywords(const SchemaNode& n, const Object& o, const Value& v,
                       std::vector<std::string>& path, std::vector<ValidationError>& errors,
                       std::size_t depth) {
    if (n.min_properties && o.size() < *n.min_properties) {
      add(errors, path, "array_min_properties",
          fmt::format("Must have at least {} properties", *n.min_properties), v);
    }
    if (n.max_properties && o.size() > *n.max_properties) {
      add(errors, path, "array_max_properties",
          fmt::format("Must have at most {} properties", *n.max_properties), v);
    }
    for (const auto& name : n.required) {
      if (!o.contains(name)) add(errors, path, "required", fmt::format("{} is required", name), v);
    }
    // Members in byte order, so that errors come in a stable order.
    std::vector<const Object::Entry*> members;
    members.reserve(o.size());
    for (const auto& e : o) members.push_back(&e);
    std::sort(members.begin(), members.end(),
              [](const auto* a, const auto* b) { return a->first < b->first; });
    for (const auto* m : members) {
      const bool declared = std::any_of(n.properties.begin(), n.properties.end(),
                                        [&](const auto& p) { return p.first == m->first; });
      bool patterned = false;
      for (const auto& [re, sub] : n.pattern_properties) {
        if (!re.matches(m->first)) continue;
        patterned = true;
        path.push_back(m->first);
        validate(sub, m->second, path, errors, depth + 1);
        path.pop_back();
      }
      if (declared || patterned) continue;
      if (n.additional_properties_allowed == false) {
        add(errors, path, "additional_property_not_allowed",
            fmt::format("Additional property {} is not allowed", m->first), m->second);
      } else if (n.additional_properties >= 0) {
        path.push_back(m->first);
        validate(n.additional_properties, m->second, path, errors, depth + 1);
        path.pop_back();
      }
    }
    if (n.property_names >= 0) {
      for (const auto* m : members) {
        if (!valid(n.property_names, Value(m->first), path, depth)) {
          add(errors, path, "invalid_property_name",
              fmt::format("Property name of \"{}\" does not match", m->first), v);
        }
      }
    }
    for (const auto& [name, dep] : n.dependencies) {
      if (!o.contains(name)) continue;
      for (const auto& needed : dep.properties) {
        if (!o.contains(needed)) {
          add(errors, path, "missing_dependency", fmt::format("Has a dependency on {}", needed), v);
        }
      }
      if (dep.schema >= 0) {
        std::vector<ValidationError> sub;
        if (!valid(dep.schema, v, path, depth, &sub)) merge(errors, sub);
      }
    }
  }

  static void common(const SchemaNode& n, const Value& v, const std::vector<std::string>& path,
                     std::vector<ValidationError>& errors) {
    if (n.constant_value && !(*n.constant_value == v)) {
      add(errors, path, "const",
          fmt::format("{} does not match: {}", field_of(path), json_text(*n.constant_value)), v);
    }
    if (n.enumeration && std::none_of(n.enumeration->begin(), n.enumeration->end(),
                                      [&](const Value& e) { return e == v; })) {
      std::vector<std::string> allowed;
      for (const Value& e : *n.enumeration) allowed.push_back(json_text(e));
      add(errors, path, "enum",
          fmt::format("{} must be one of the following: {}", field_of(path),
                      fmt::join(allowed, ", ")),
          v);
    }
  }

  const CompiledSchema& schema_;
  const std::function<void()>& tick_;
  std::uint64_t steps_ = 0;
};
}  // namespace

JsonSchema::JsonSchema(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}

JsonSchema JsonSchema::compile(const Value& schema) {
  return JsonSchema(SchemaCompiler(schema).compile());
}

std::vector<SchemaViolation> JsonSchema::validate(const Value& instance,
                                                  const std::function<void()>& tick) const {
  std::vector<SchemaViolation> errors;
  std::vector<std::string> path;
  Validator(*impl_, tick).validate(0, instance, path, errors);
  return errors;
}

}  // namespace thaiyyal::nodes
