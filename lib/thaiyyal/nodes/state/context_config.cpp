#include "thaiyyal/nodes/state/context_config.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>

#include "thaiyyal/diag/spellcheck.h"
#include "thaiyyal/expr/dates.h"
#include "thaiyyal/nodes/kinds.h"
#include "thaiyyal/nodes/values.h"

namespace thaiyyal::nodes {
namespace {

constexpr Choice<ContextType> kContextTypes[] = {
    {"string", ContextType::String},
    {"number", ContextType::Number},
    {"boolean", ContextType::Boolean},
    {"time_string", ContextType::TimeString},
    {"epoch_second", ContextType::EpochSecond},
    {"epoch_ms", ContextType::EpochMs},
    {"null", ContextType::Null},
};

std::vector<PathStep> entry_path(std::size_t i, std::string_view key = {}) {
  std::vector<PathStep> p{PathStep{"context_values", std::nullopt}, PathStep{"", i}};
  if (!key.empty()) p.push_back(PathStep{std::string(key), std::nullopt});
  return p;
}

/// A string member of entry `i`: "" when absent or null, nullopt (reported)
/// when it has another type.
std::optional<std::string> entry_string(ConfigReader& r, const Object& obj, std::size_t i,
                                        std::string_view key) {
  const Value* v = obj.find(key);
  if (!v || v->is_null()) return std::string();
  if (!v->is_string()) {
    r.fail_at(entry_path(i, key), "wrong-type",
              fmt::format("context_values[{}].{} must be a string, got {}", i, key,
                          kind_name(v->kind())));
    return std::nullopt;
  }
  return v->as_string();
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex_digit(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
char lower_ascii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool equals_ignore_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower_ascii(a[i]) != lower_ascii(b[i])) return false;
  }
  return true;
}

/// Digits (of the given kind) with single underscores between them, as Go's
/// number syntax allows; appends the digits without underscores to `out`.
/// Returns the number of digits read.
std::size_t scan_digits(std::string_view s, std::size_t& i, bool hex, std::string& out) {
  std::size_t n = 0;
  while (i < s.size()) {
    const char ch = s[i];
    if (hex ? is_hex_digit(ch) : is_digit(ch)) {
      out.push_back(ch);
      ++n;
      ++i;
    } else if (ch == '_' && n > 0 && i + 1 < s.size() &&
               (hex ? is_hex_digit(s[i + 1]) : is_digit(s[i + 1]))) {
      ++i;
    } else {
      break;
    }
  }
  return n;
}

enum class FloatParse : std::uint8_t { Ok, Syntax, Range, NotFinite };

/// Go's strconv.ParseFloat(s, 64) for the text it accepts: decimal and
/// hexadecimal (`0x1p4`) floating-point literals with an optional sign and
/// digit-separating underscores. `Inf`/`NaN` spellings are recognised but
/// reported as NotFinite: such values never become numbers (D2).
FloatParse parse_go_float(std::string_view s, double& out) {
  std::size_t i = 0;
  std::string text;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) text.push_back(s[i++]);
  const std::string_view rest = s.substr(i);
  for (std::string_view word : {"inf", "infinity", "nan"}) {
    if (equals_ignore_case(rest, word)) return FloatParse::NotFinite;
  }
  bool hex = false;
  if (rest.size() >= 2 && rest[0] == '0' && lower_ascii(rest[1]) == 'x') {
    hex = true;
    text += "0x";
    i += 2;
    if (i < s.size() && s[i] == '_') ++i;  // `0x_1p4`: an underscore may follow the prefix
  }
  std::size_t digits = scan_digits(s, i, hex, text);
  if (i < s.size() && s[i] == '.') {
    text.push_back('.');
    ++i;
    digits += scan_digits(s, i, hex, text);
  }
  if (digits == 0) return FloatParse::Syntax;
  const char exp_char = hex ? 'p' : 'e';
  if (i < s.size() && lower_ascii(s[i]) == exp_char) {
    text.push_back(exp_char);
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) text.push_back(s[i++]);
    if (scan_digits(s, i, false, text) == 0) return FloatParse::Syntax;
  } else if (hex) {
    return FloatParse::Syntax;  // a hexadecimal float needs its p exponent
  }
  if (i != s.size()) return FloatParse::Syntax;
  const double d = std::strtod(text.c_str(), nullptr);  // "C" locale: '.' is the point
  if (std::isinf(d)) return FloatParse::Range;
  out = d;
  return FloatParse::Ok;
}

/// Go's strconv.ParseInt(s, 10, 64): optional sign, decimal digits only.
FloatParse parse_go_int(std::string_view s, std::int64_t& out) {
  std::size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
  if (i == s.size()) return FloatParse::Syntax;
  std::uint64_t magnitude = 0;
  bool overflow = false;
  for (; i < s.size(); ++i) {
    if (!is_digit(s[i])) return FloatParse::Syntax;
    const auto digit = static_cast<std::uint64_t>(s[i] - '0');
    if (magnitude > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) {
      overflow = true;
    } else {
      magnitude = magnitude * 10 + digit;
    }
  }
  const std::uint64_t limit = negative ? std::uint64_t{1} << 63 : (std::uint64_t{1} << 63) - 1;
  if (overflow || magnitude > limit) return FloatParse::Range;
  out = negative ? static_cast<std::int64_t>(0 - magnitude) : static_cast<std::int64_t>(magnitude);
  return FloatParse::Ok;
}

/// Go's time.Parse(time.RFC3339, s): `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`,
/// with `T` and `Z` upper case and every field in range.
bool is_rfc3339(std::string_view s) {
  auto digits_at = [&](std::size_t pos, std::size_t n) {
    if (pos + n > s.size()) return false;
    for (std::size_t k = 0; k < n; ++k) {
      if (!is_digit(s[pos + k])) return false;
    }
    return true;
  };
  if (!digits_at(0, 4) || s.size() < 20 || s[4] != '-' || !digits_at(5, 2) || s[7] != '-' ||
      !digits_at(8, 2) || s[10] != 'T' || !digits_at(11, 2) || s[13] != ':' || !digits_at(14, 2) ||
      s[16] != ':' || !digits_at(17, 2)) {
    return false;
  }
  std::size_t i = 19;
  std::size_t frac = 0;
  if (s[i] == '.') {
    ++i;
    while (i < s.size() && is_digit(s[i])) ++i, ++frac;
    if (frac == 0) return false;
  }
  std::string_view zone = s.substr(i);
  if (zone != "Z") {
    if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || !digits_at(i + 1, 2) ||
        zone[3] != ':' || !digits_at(i + 4, 2)) {
      return false;
    }
  }
  // Field ranges, through the instant parser (at most 3 fraction digits).
  std::string canonical(s.substr(0, 19));
  if (frac > 0) canonical += std::string(s.substr(19, 1 + std::min<std::size_t>(frac, 3)));
  canonical += zone;
  std::int64_t ms = 0;
  return expr::detail::parse_instant(canonical, ms) != expr::detail::InstantParse::Invalid;
}

/// An epoch count (seconds or milliseconds) as the canonical instant (D21).
ContextConversion epoch_value(const Value& v, bool millis) {
  const std::string_view unit = millis ? "epoch milliseconds" : "epoch seconds";
  ContextConversion out;
  std::int64_t count = 0;
  if (const double* d = v.if_number()) {
    const double t = std::trunc(*d);
    if (!(std::fabs(t) < 9.2e18)) {
      out.error =
          fmt::format("cannot convert {} to {}: date out of range", number_to_string(*d), unit);
      return out;
    }
    count = static_cast<std::int64_t>(t);
  } else if (const std::string* s = v.if_string()) {
    switch (parse_go_int(*s, count)) {
      case FloatParse::Ok:
        break;
      case FloatParse::Range:
        out.error =
            fmt::format("cannot convert \"{}\" to {}: the whole number is out of range", *s, unit);
        return out;
      default:
        out.error = fmt::format("cannot convert \"{}\" to {}: not a whole number", *s, unit);
        return out;
    }
  } else {
    out.error = fmt::format("cannot convert type {} to {}", kind_name(v.kind()), unit);
    return out;
  }
  constexpr std::int64_t kMaxSeconds = expr::detail::kMaxInstantMs / 1000 + 1;
  const bool in_range =
      millis ? count >= expr::detail::kMinInstantMs && count <= expr::detail::kMaxInstantMs
             : count >= expr::detail::kMinInstantMs / 1000 && count < kMaxSeconds;
  if (!in_range) {
    out.error = fmt::format("cannot convert {} to {}: date out of range", count, unit);
    return out;
  }
  out.value = Value(expr::detail::format_instant(millis ? count : count * 1000));
  return out;
}

}  // namespace

std::unique_ptr<const NodeConfig> parse_context_config(ConfigReader& r, bool constant) {
  auto c = std::make_unique<ContextConfig>();
  c->constant = constant;
  const std::string_view kind = constant ? "context_constant" : "context_variable";
  const Array* values = r.array("context_values");
  auto name = r.string("context_name");
  const Value* legacy_value = r.any("context_value");
  const bool values_mistyped = r.has("context_values") && !values;
  if (!values_mistyped && (!values || values->empty()) && !r.has("context_name")) {
    r.missing("context_values or context_name");
  }
  if (values) {
    for (std::size_t i = 0; i < values->size(); ++i) {
      const Value& item = (*values)[i];
      if (!item.is_object()) {
        r.fail_at(
            entry_path(i), "wrong-type",
            fmt::format("context_values[{}] must be an object, got {}", i, kind_name(item.kind())));
        continue;
      }
      const Object& obj = item.as_object();
      auto entry_name = entry_string(r, obj, i, "name");
      auto type = entry_string(r, obj, i, "type");
      if (!entry_name || !type) continue;
      ContextEntry e;
      e.name = std::move(*entry_name);
      r.defines_context_value(e.name, constant);
      if (const Value* v = obj.find("value")) e.value = *v;
      if (auto t = find_choice(*type, kContextTypes)) {
        e.type = *t;
        auto converted = convert_context_value(e.value, e.type, *type);
        if (!converted.error.empty()) {
          c->failures.push_back(
              PendingFailure{obj.find("value") ? entry_path(i, "value") : entry_path(i),
                             fmt::format("{} node: error converting {} ({}): {}", kind, e.name,
                                         *type, converted.error),
                             constant ? e.name : std::string()});
        }
      } else {
        auto& d =
            r.fail_at(obj.find("type") ? entry_path(i, "type") : entry_path(i), "invalid-value",
                      fmt::format("{} node: error converting {} ({}): unsupported type \"{}\"",
                                  kind, e.name, *type, *type));
        const auto names = choice_names(kContextTypes);
        if (auto near = diag::spellcheck(*type, names)) {
          d.notes.push_back(fmt::format("did you mean '{}'?", *near));
        }
        d.notes.push_back(fmt::format("type must be one of {}", fmt::join(names, ", ")));
      }
      e.type_name = std::move(*type);
      c->entries.push_back(std::move(e));
    }
  }
  if (name) c->legacy_name = std::move(*name);
  if (name && (!values || values->empty())) r.defines_context_value(c->legacy_name, constant);
  if (legacy_value) c->legacy_value = *legacy_value;
  if (!r.ok()) return nullptr;
  if (c->entries.empty() && !c->legacy_value) {
    r.fails_when_run("context_name", fmt::format("{} node missing context_value", kind));
  }
  return c;
}

ContextConversion convert_context_value(const Value& v, ContextType type,
                                        std::string_view type_name) {
  ContextConversion out;
  switch (type) {
    case ContextType::String:
      out.value = Value(go_text(v));  // numbers as JavaScript prints them (D2)
      return out;
    case ContextType::Number: {
      if (v.is_number()) {
        out.value = v;
        return out;
      }
      const std::string* s = v.if_string();
      if (!s) {
        out.error = fmt::format("cannot convert type {} to number", kind_name(v.kind()));
        return out;
      }
      double d = 0;
      switch (parse_go_float(*s, d)) {
        case FloatParse::Ok:
          out.value = Value(d);
          return out;
        case FloatParse::Range:
          out.error =
              fmt::format("cannot convert \"{}\" to number: the number is out of range", *s);
          return out;
        case FloatParse::NotFinite:
          out.error = fmt::format("cannot convert \"{}\" to number: not a finite number", *s);
          return out;
        case FloatParse::Syntax:
          out.error = fmt::format("cannot convert \"{}\" to number: not a number", *s);
          return out;
      }
      return out;
    }
    case ContextType::Boolean: {
      if (v.is_bool()) {
        out.value = v;
      } else if (const double* d = v.if_number()) {
        out.value = Value(*d != 0);
      } else if (const std::string* s = v.if_string()) {
        if (*s == "1" || *s == "t" || *s == "T" || *s == "TRUE" || *s == "true" || *s == "True") {
          out.value = Value(true);
        } else if (*s == "0" || *s == "f" || *s == "F" || *s == "FALSE" || *s == "false" ||
                   *s == "False") {
          out.value = Value(false);
        } else {
          out.error = fmt::format("cannot convert \"{}\" to boolean: use true, false, 1 or 0", *s);
        }
      } else {
        out.error = fmt::format("cannot convert type {} to boolean", kind_name(v.kind()));
      }
      return out;
    }
    case ContextType::TimeString: {
      const std::string text = v.is_string() ? v.as_string() : go_text(v);
      if (is_rfc3339(text)) {
        out.value = Value(text);  // kept as written
      } else {
        out.error = fmt::format(
            "invalid time string \"{}\": parsing time \"{}\": not an RFC 3339 date-time "
            "(YYYY-MM-DDTHH:MM:SS[.fraction] followed by Z or +HH:MM)",
            text, text);
      }
      return out;
    }
    case ContextType::EpochSecond:
      return epoch_value(v, /*millis=*/false);
    case ContextType::EpochMs:
      return epoch_value(v, /*millis=*/true);
    case ContextType::Null:
      return out;
  }
  out.error = fmt::format("unsupported type \"{}\"", type_name);
  return out;
}

NodeTraits describe_context(const NodeConfig& config) {
  NodeTraits t;
  t.failures = static_cast<const ContextConfig&>(config).failures;
  return t;
}

Value run_context(const NodeConfig& config, RunContext& ctx, std::span<const Value>) {
  const auto& c = static_cast<const ContextConfig&>(config);
  const std::string_view kind = c.constant ? "context_constant" : "context_variable";
  const Value type_label(c.constant ? "const" : "variable");
  auto store = [&](const std::string& name, Value v) {
    if (c.constant) {
      ctx.set_context_constant(name, std::move(v));
    } else {
      ctx.set_context_variable(name, std::move(v));
    }
  };
  // A constant given from outside the workflow (`--set`) wins over the
  // document's value: the document holds the default, the command line the
  // override. The override goes through the entry's type conversion like the
  // document's value would, and the node's result shows the value in effect.
  auto override_of = [&](const std::string& name) {
    return c.constant ? ctx.constant_override(name) : nullptr;
  };
  if (c.entries.empty()) {
    if (!c.legacy_value) throw NodeError(fmt::format("{} node missing context_value", kind));
    const Value* given = override_of(c.legacy_name);
    const Value& value = given ? *given : *c.legacy_value;
    store(c.legacy_name, value);
    return Value(Object{{"type", type_label}, {"name", Value(c.legacy_name)}, {"value", value}});
  }
  Object values;
  for (const auto& e : c.entries) {
    const Value* given = override_of(e.name);
    auto converted = convert_context_value(given ? *given : e.value, e.type, e.type_name);
    if (!converted.error.empty()) {
      // Entries before this one stay stored (spec 03 §5.5).
      throw NodeError(fmt::format("{} node: error converting {} ({}): {}{}", kind, e.name,
                                  e.type_name, converted.error,
                                  given ? " (the value given with --set)" : ""));
    }
    store(e.name, converted.value);
    values.set(e.name, std::move(converted.value));
  }
  return Value(Object{{"type", type_label},
                      {c.constant ? "constants" : "variables", Value(std::move(values))}});
}

}  // namespace thaiyyal::nodes
