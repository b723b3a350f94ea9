#include "thaiyyal/expr/builtins.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <unordered_map>

#include "thaiyyal/expr/dates.h"
#include "thaiyyal/expr/ops.h"
#include "thaiyyal/expr/text.h"

namespace thaiyyal::expr::detail {
namespace {

constexpr int kAny = -1;

constexpr FunctionInfo kFunctions[] = {
    {"abs", Fn::Abs, 1, 1},
    {"avg", Fn::Avg, 1, kAny},
    {"ceil", Fn::Ceil, 1, 1},
    {"coalesce", Fn::Coalesce, 1, kAny},
    {"concat", Fn::Concat, 1, kAny},
    {"contains", Fn::Contains, 2, 2},
    {"date", Fn::Date, 1, 1},
    {"dateAdd", Fn::DateAdd, 2, 3},
    {"dateDiff", Fn::DateDiff, 2, 3},
    {"day", Fn::Day, 1, 1},
    {"endsWith", Fn::EndsWith, 2, 2},
    {"every", Fn::Every, 2, 2},
    {"filter", Fn::Filter, 2, 2},
    {"find", Fn::Find, 2, 2},
    {"first", Fn::First, 1, 1},
    {"flatten", Fn::Flatten, 1, 1},
    {"floor", Fn::Floor, 1, 1},
    {"fromEpoch", Fn::FromEpoch, 1, 1},
    {"fromEpochMillis", Fn::FromEpochMillis, 1, 1},
    {"hour", Fn::Hour, 1, 1},
    {"isArray", Fn::IsArray, 1, 1},
    {"isBoolean", Fn::IsBoolean, 1, 1},
    {"isNull", Fn::IsNull, 1, 1},
    {"isNumber", Fn::IsNumber, 1, 1},
    {"isObject", Fn::IsObject, 1, 1},
    {"isString", Fn::IsString, 1, 1},
    {"join", Fn::Join, 1, 2},
    {"last", Fn::Last, 1, 1},
    {"len", Fn::Len, 1, 1},
    {"lower", Fn::Lower, 1, 1},
    {"map", Fn::Map, 2, 2},
    {"max", Fn::Max, 1, kAny},
    {"min", Fn::Min, 1, kAny},
    {"minute", Fn::Minute, 1, 1},
    {"month", Fn::Month, 1, 1},
    {"now", Fn::Now, 0, 0},
    {"number", Fn::Number, 1, 1},
    {"parseDate", Fn::ParseDate, 1, 1},
    {"pow", Fn::Pow, 2, 2},
    {"replace", Fn::Replace, 3, 3},
    {"reverse", Fn::Reverse, 1, 1},
    {"round", Fn::Round, 1, 1},
    {"sample", Fn::Sample, 2, 2},
    {"second", Fn::Second, 1, 1},
    {"slice", Fn::Slice, 2, 3},
    {"some", Fn::Some, 2, 2},
    {"sort", Fn::Sort, 1, 1},
    {"split", Fn::Split, 2, 2},
    {"sqrt", Fn::Sqrt, 1, 1},
    {"startsWith", Fn::StartsWith, 2, 2},
    {"string", Fn::String, 1, 1},
    {"substr", Fn::Substr, 2, 3},
    {"sum", Fn::Sum, 1, kAny},
    {"toEpoch", Fn::ToEpoch, 1, 1},
    {"toEpochMillis", Fn::ToEpochMillis, 1, 1},
    {"trim", Fn::Trim, 1, 1},
    {"typeof", Fn::Typeof, 1, 1},
    {"unique", Fn::Unique, 1, 1},
    {"upper", Fn::Upper, 1, 1},
    {"year", Fn::Year, 1, 1},
    {"zip", Fn::Zip, 2, kAny},
};

constexpr MethodInfo kMethods[] = {
    {"concat", Method::Concat, 0, kAny},
    {"endsWith", Method::EndsWith, 1, 1},
    {"first", Method::First, 0, 0},
    {"includes", Method::Includes, 1, 1},
    {"indexOf", Method::IndexOf, 1, 1},
    {"join", Method::Join, 0, 1},
    {"last", Method::Last, 0, 0},
    {"replace", Method::Replace, 2, 2},
    {"replaceAll", Method::ReplaceAll, 2, 2},
    {"reverse", Method::Reverse, 0, 0},
    {"slice", Method::Slice, 0, 2},
    {"split", Method::Split, 1, 1},
    {"startsWith", Method::StartsWith, 1, 1},
    {"toLowerCase", Method::ToLowerCase, 0, 0},
    {"toUpperCase", Method::ToUpperCase, 0, 0},
    {"trim", Method::Trim, 0, 0},
};

using Args = std::span<const Value* const>;

/// A call in progress. For methods, args[0] is the receiver and `offset` is
/// 1, so that messages number the user's arguments from 1.
struct Ctx {
  const CallSite& site;
  int offset;

  /// A type error names the call ("round(): argument 1 must be a number, ...");
  /// math and value errors use the wording of §6.5 and §10.1 as they are.
  [[noreturn]] void fail(std::string_view category, std::string detail) const {
    if (category == "type") detail = std::string(site.name) + "(): " + detail;
    raise(category, site.column, std::move(detail));
  }
  std::string which(std::size_t i) const {
    const int n = static_cast<int>(i) + 1 - offset;
    return n <= 0 ? std::string("the receiver") : "argument " + std::to_string(n);
  }
  [[noreturn]] void wrong_type(std::size_t i, std::string_view wanted, const Value& got) const {
    fail("type", which(i) + " must be " + std::string(wanted) + ", got " + describe(got));
  }
  double number(Args a, std::size_t i) const {
    double x = 0;
    if (!to_number(*a[i], x)) wrong_type(i, "a number", *a[i]);
    return x;
  }
  /// An integer argument (truncated toward zero).
  double integer(Args a, std::size_t i) const { return std::trunc(number(a, i)); }
  const std::string& string(Args a, std::size_t i) const {
    if (!a[i]->is_string()) wrong_type(i, "a string", *a[i]);
    return a[i]->as_string();
  }
  const Array& array(Args a, std::size_t i) const {
    if (!a[i]->is_array()) wrong_type(i, "an array", *a[i]);
    return a[i]->as_array();
  }
  std::string text(Args a, std::size_t i) const { return text_of(*a[i], site.column); }
};

// ---- helpers ------------------------------------------------------------------

/// Clamps a relative position (negative counts from the end) into [0, len].
std::size_t clamp_position(double pos, std::size_t len) {
  const auto n = static_cast<double>(len);
  if (pos < 0) pos += n;
  if (pos < 0) return 0;
  if (pos > n) return len;
  return static_cast<std::size_t>(pos);
}

/// Code-point substring [from, to) of `s`.
std::string code_point_slice(std::string_view s, std::size_t from, std::size_t to) {
  if (from >= to) return {};
  const std::size_t b = byte_offset_of(s, from);
  const std::size_t e = b + byte_offset_of(s.substr(b), to - from);
  return std::string(s.substr(b, e - b));
}

std::string replace_all(const Ctx& cx, const std::string& s, const std::string& from,
                        const std::string& to) {
  const int col = cx.site.column;
  std::string out;
  if (from.empty()) {
    const std::size_t cps = code_point_count(s);
    const long double size =
        static_cast<long double>(s.size()) + static_cast<long double>(cps + 1) * to.size();
    if (size > kMaxStringBytes) check_string_size(kMaxStringBytes + 1, col);
    out.reserve(static_cast<std::size_t>(size));
    std::size_t i = 0;
    out += to;
    while (i < s.size()) {
      const std::size_t start = i;
      next_code_point(s, i);
      out.append(s, start, i - start);
      out += to;
    }
    return out;
  }
  std::size_t count = 0;
  for (std::size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + from.size())) {
    ++count;
  }
  const long double size =
      static_cast<long double>(s.size()) +
      static_cast<long double>(count) * (static_cast<long double>(to.size()) - from.size());
  if (size > kMaxStringBytes) check_string_size(kMaxStringBytes + 1, col);
  out.reserve(static_cast<std::size_t>(size));
  std::size_t last = 0;
  for (std::size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + from.size())) {
    out.append(s, last, p - last);
    out += to;
    last = p + from.size();
  }
  out.append(s, last, std::string::npos);
  return out;
}

Value split_string(const Ctx& cx, const std::string& s, const std::string& sep) {
  const int col = cx.site.column;
  Array out;
  if (sep.empty()) {
    check_array_size(code_point_count(s), col);
    std::size_t i = 0;
    while (i < s.size()) {
      const std::size_t start = i;
      next_code_point(s, i);
      out.emplace_back(s.substr(start, i - start));
    }
    return Value(std::move(out));
  }
  std::size_t last = 0;
  for (std::size_t p = s.find(sep); p != std::string::npos; p = s.find(sep, p + sep.size())) {
    out.emplace_back(s.substr(last, p - last));
    check_array_size(out.size() + 1, col);
    last = p + sep.size();
  }
  out.emplace_back(s.substr(last));
  return Value(std::move(out));
}

std::size_t mix(std::size_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return h;
}

/// A hash consistent with Value's operator==; shared arrays and objects are hashed once.
std::size_t hash_value(const Value& v, std::unordered_map<const void*, std::size_t>& memo) {
  switch (v.kind()) {
    case Kind::Null:
      return 0x9e3779b97f4a7c15ULL;
    case Kind::Bool:
      return v.as_bool() ? 0x51 : 0x50;
    case Kind::Number: {
      const double d = v.as_number();
      return mix(std::hash<double>{}(d == 0 ? 0.0 : d) + 1);
    }
    case Kind::String:
      return mix(std::hash<std::string_view>{}(v.as_string()) + 2);
    case Kind::Array: {
      const void* key = v.array_ptr().get();
      if (auto it = memo.find(key); it != memo.end()) return it->second;
      std::size_t h = 3;
      for (const auto& e : v.as_array()) h = mix(h * 31 + hash_value(e, memo));
      memo.emplace(key, h);
      return h;
    }
    case Kind::Object: {
      const void* key = v.object_ptr().get();
      if (auto it = memo.find(key); it != memo.end()) return it->second;
      std::size_t h = 4;  // order-independent: members are summed
      for (const auto& [k, e] : v.as_object()) {
        h += mix(std::hash<std::string_view>{}(k)*131 + hash_value(e, memo));
      }
      memo.emplace(key, mix(h));
      return mix(h);
    }
  }
  return 0;
}

// ---- numbers -----------------------------------------------------------------

template <typename F>
void map_numbers(const Ctx& cx, Args a, Value& out, F f) {
  if (const Array* arr = a[0]->if_array()) {
    Array r;
    r.reserve(arr->size());
    for (std::size_t i = 0; i < arr->size(); ++i) {
      double x = 0;
      if (!to_number((*arr)[i], x)) {
        cx.fail("type", "element " + std::to_string(i) + " of the array must be a number, got " +
                            describe((*arr)[i]));
      }
      r.emplace_back(f(x));
    }
    out = Value(std::move(r));
    return;
  }
  out = Value(f(cx.number(a, 0)));
}

/// The collection of min/max/sum/avg (§8.2), converted to numbers.
std::vector<double> collection(const Ctx& cx, Args a) {
  std::vector<double> xs;
  auto add = [&](const Value& v, std::string_view what) {
    double x = 0;
    if (!to_number(v, x)) {
      cx.fail("type", std::string(what) + " must be a number, got " + describe(v));
    }
    xs.push_back(x);
  };
  if (a.size() == 1 && a[0]->is_array()) {
    const Array& arr = a[0]->as_array();
    xs.reserve(arr.size());
    for (std::size_t i = 0; i < arr.size(); ++i) add(arr[i], "element " + std::to_string(i));
    return xs;
  }
  xs.reserve(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i]->is_array()) {
      cx.fail("type", cx.which(i) + " is an array; pass one array alone, or several numbers");
    }
    add(*a[i], cx.which(i));
  }
  return xs;
}

void fn_min_max(const Ctx& cx, Args a, Value& out, bool is_max) {
  const auto xs = collection(cx, a);
  if (xs.empty()) cx.fail("value", std::string(cx.site.name) + "() of an empty array");
  double best = xs[0];
  for (double x : xs) best = is_max ? std::max(best, x) : std::min(best, x);
  out = Value(best);
}

void fn_sum_avg(const Ctx& cx, Args a, Value& out, bool avg) {
  const auto xs = collection(cx, a);
  if (avg && xs.empty()) cx.fail("value", "avg() of an empty array");
  double sum = 0;
  for (double x : xs) sum = check_finite(sum + x, cx.site.column);
  out = Value(avg ? check_finite(sum / static_cast<double>(xs.size()), cx.site.column) : sum);
}

// ---- arrays -------------------------------------------------------------------

void fn_sort(const Ctx& cx, Args a, Value& out) {
  const Array& arr = cx.array(a, 0);
  // Objects order by their JSON text: render each distinct object once.
  std::unordered_map<const Object*, std::string> texts;
  std::vector<const std::string*> keys(arr.size(), nullptr);
  for (std::size_t i = 0; i < arr.size(); ++i) {
    if (const Object* o = arr[i].if_object()) {
      auto [it, fresh] = texts.try_emplace(o);
      if (fresh) append_json_text(it->second, arr[i], cx.site.column);
      keys[i] = &it->second;
    }
  }
  std::vector<std::size_t> order(arr.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
    if (keys[x] && keys[y]) return keys[x] != keys[y] && *keys[x] < *keys[y];
    return sort_compare(arr[x], arr[y]) < 0;
  });
  Array r;
  r.reserve(arr.size());
  for (std::size_t i : order) r.push_back(arr[i]);
  out = Value(std::move(r));
}

void fn_unique(const Ctx& cx, Args a, Value& out) {
  const Array& arr = cx.array(a, 0);
  std::unordered_map<const void*, std::size_t> memo;
  std::unordered_multimap<std::size_t, std::size_t> seen;  // hash -> index in r
  Array r;
  for (const auto& e : arr) {
    const std::size_t h = hash_value(e, memo);
    bool dup = false;
    auto [lo, hi] = seen.equal_range(h);
    for (auto it = lo; it != hi && !dup; ++it) dup = r[it->second] == e;
    if (dup) continue;
    seen.emplace(h, r.size());
    r.push_back(e);
  }
  out = Value(std::move(r));
}

void fn_flatten(const Ctx& cx, Args a, Value& out) {
  const Array& arr = cx.array(a, 0);
  Array r;
  struct Frame {
    const Array* array;
    std::size_t next;
  };
  std::vector<Frame> stack{{&arr, 0}};
  while (!stack.empty()) {
    Frame& f = stack.back();
    if (f.next == f.array->size()) {
      stack.pop_back();
      continue;
    }
    const Value& e = (*f.array)[f.next++];
    if (const Array* inner = e.if_array()) {
      stack.push_back({inner, 0});
    } else {
      r.push_back(e);
      check_array_size(r.size(), cx.site.column);
    }
  }
  out = Value(std::move(r));
}

void fn_slice(const Ctx& cx, Args a, Value& out) {
  const Value& x = *a[0];
  if (!x.is_array() && !x.is_string()) cx.wrong_type(0, "an array or a string", x);
  const bool is_str = x.is_string();
  const std::size_t len = is_str ? code_point_count(x.as_string()) : x.as_array().size();
  const std::size_t start = a.size() > 1 ? clamp_position(cx.integer(a, 1), len) : 0;
  const std::size_t end = a.size() > 2 ? clamp_position(cx.integer(a, 2), len) : len;
  if (is_str) {
    out = Value(code_point_slice(x.as_string(), start, end));
    return;
  }
  const Array& arr = x.as_array();
  if (start >= end) {
    out = Value(Array{});
  } else {
    out = Value(Array(arr.begin() + static_cast<std::ptrdiff_t>(start),
                      arr.begin() + static_cast<std::ptrdiff_t>(end)));
  }
}

void fn_sample(const Ctx& cx, Args a, Value& out) {
  const Array& arr = cx.array(a, 0);
  const double k = cx.integer(a, 1);
  if (k < 0) cx.fail("value", "sample() size must not be negative, got " + number_to_string(k));
  if (k >= static_cast<double>(arr.size())) {
    out = *a[0];
    return;
  }
  const auto n = static_cast<std::size_t>(k);
  Array r;
  if (n > 0) {
    const std::size_t step = arr.size() / n;
    r.reserve(n);
    for (std::size_t i = 0; i < n; ++i) r.push_back(arr[i * step]);
  }
  out = Value(std::move(r));
}

void fn_zip(const Ctx& cx, Args a, Value& out) {
  std::size_t longest = 0;
  for (std::size_t i = 0; i < a.size(); ++i) longest = std::max(longest, cx.array(a, i).size());
  check_array_size(longest, cx.site.column);
  Array r;
  r.reserve(longest);
  for (std::size_t k = 0; k < longest; ++k) {
    Array row;
    row.reserve(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
      const Array& arr = a[i]->as_array();
      row.push_back(k < arr.size() ? arr[k] : Value());
    }
    r.emplace_back(std::move(row));
  }
  out = Value(std::move(r));
}

void fn_concat(const Ctx& cx, Args a, Value& out) {
  const Value& x = *a[0];
  const int col = cx.site.column;
  if (x.is_string()) {
    std::string s = x.as_string();
    for (std::size_t i = 1; i < a.size(); ++i) append_text(s, *a[i], col);
    out = Value(std::move(s));
    return;
  }
  if (!x.is_array()) cx.wrong_type(0, "an array or a string", x);
  std::size_t total = x.as_array().size();
  for (std::size_t i = 1; i < a.size(); ++i) {
    total += a[i]->is_array() ? a[i]->as_array().size() : 1;
  }
  check_array_size(total, col);
  Array r;
  r.reserve(total);
  r.insert(r.end(), x.as_array().begin(), x.as_array().end());
  for (std::size_t i = 1; i < a.size(); ++i) {
    if (const Array* more = a[i]->if_array()) {
      r.insert(r.end(), more->begin(), more->end());
    } else {
      r.push_back(*a[i]);
    }
  }
  out = Value(std::move(r));
}

void fn_len(const Ctx& cx, Args a, Value& out) {
  const Value& x = *a[0];
  switch (x.kind()) {
    case Kind::String:
      out = Value(code_point_count(x.as_string()));
      return;
    case Kind::Array:
      out = Value(x.as_array().size());
      return;
    case Kind::Object:
      out = Value(x.as_object().size());
      return;
    default:
      cx.wrong_type(0, "a string, an array or an object", x);
  }
}

// ---- strings ------------------------------------------------------------------

void fn_join(const Ctx& cx, Args a, Value& out) {
  const Array& arr = cx.array(a, 0);
  const std::string sep = a.size() > 1 ? cx.text(a, 1) : std::string(",");
  std::string s;
  for (std::size_t i = 0; i < arr.size(); ++i) {
    if (i) s += sep;
    if (!arr[i].is_null()) append_text(s, arr[i], cx.site.column);
    check_string_size(s.size(), cx.site.column);
  }
  out = Value(std::move(s));
}

void fn_substr(const Ctx& cx, Args a, Value& out) {
  const std::string& s = cx.string(a, 0);
  const std::size_t len = code_point_count(s);
  const std::size_t start = clamp_position(cx.integer(a, 1), len);
  std::size_t end = len;
  if (a.size() > 2) {
    const double count = cx.integer(a, 2);
    if (count <= 0) {
      out = Value(std::string());
      return;
    }
    end = count >= static_cast<double>(len - start) ? len : start + static_cast<std::size_t>(count);
  }
  out = Value(code_point_slice(s, start, end));
}

void fn_contains(const Ctx& cx, Args a, Value& out) {
  const Value& h = *a[0];
  switch (h.kind()) {
    case Kind::Null:
      out = Value(false);
      return;
    case Kind::String:
      out = Value(h.as_string().find(cx.text(a, 1)) != std::string::npos);
      return;
    case Kind::Object:
      out = Value(h.as_object().contains(cx.text(a, 1)));
      return;
    case Kind::Array:
      for (const auto& e : h.as_array()) {
        if (loose_equal(e, *a[1], cx.site.budget, cx.site.column)) {
          out = Value(true);
          return;
        }
      }
      out = Value(false);
      return;
    default:
      cx.wrong_type(0, "a string, an array, an object or null", h);
  }
}

void fn_index_of(const Ctx& cx, Args a, Value& out) {
  const Value& h = *a[0];
  if (h.is_string()) {
    const std::string needle = cx.text(a, 1);
    const auto pos = h.as_string().find(needle);
    out = pos == std::string::npos ? Value(-1) : Value(code_point_index_of(h.as_string(), pos));
    return;
  }
  const Array& arr = h.as_array();
  for (std::size_t i = 0; i < arr.size(); ++i) {
    if (loose_equal(arr[i], *a[1], cx.site.budget, cx.site.column)) {
      out = Value(i);
      return;
    }
  }
  out = Value(-1);
}

void fn_number(const Ctx& cx, Args a, Value& out) {
  const Value& x = *a[0];
  double d = 0;
  if (x.is_bool()) {
    out = Value(x.as_bool() ? 1.0 : 0.0);
  } else if (to_number(x, d)) {
    out = Value(d);
  } else {
    cx.wrong_type(0, "a number, a numeric string or a boolean", x);
  }
}

// ---- dates --------------------------------------------------------------------

std::int64_t instant(const Ctx& cx, Args a, std::size_t i) {
  const Value& v = *a[i];
  if (!v.is_string()) {
    cx.wrong_type(i,
                  v.is_number() ? "a date string (use fromEpoch or fromEpochMillis for numbers)"
                                : "a date string",
                  v);
  }
  std::int64_t ms = 0;
  switch (parse_instant(v.as_string(), ms)) {
    case InstantParse::Ok:
      return ms;
    case InstantParse::OutOfRange:
      cx.fail("value", "date out of range: " + describe(v).substr(7));
    case InstantParse::Invalid:
      break;
  }
  cx.fail("value", "invalid date: " + describe(v).substr(7));
}

/// Milliseconds (possibly fractional) to an instant string, with the range check.
Value instant_value(const Ctx& cx, double ms) {
  const double whole = std::floor(ms);
  if (!(whole >= static_cast<double>(kMinInstantMs) &&
        whole <= static_cast<double>(kMaxInstantMs))) {
    cx.fail("value", "date out of range (the years 0000 to 9999 are supported)");
  }
  return Value(format_instant(static_cast<std::int64_t>(whole)));
}

double unit_ms(const Ctx& cx, Args a, std::size_t i) {
  if (a.size() <= i) return 1000;
  const Value& u = *a[i];
  if (!u.is_string()) cx.wrong_type(i, "a time unit string", u);
  static constexpr std::pair<std::string_view, double> kUnits[] = {
      {"millisecond", 1}, {"milliseconds", 1}, {"second", 1000},    {"seconds", 1000},
      {"minute", 60000},  {"minutes", 60000},  {"hour", 3600000},   {"hours", 3600000},
      {"day", 86400000},  {"days", 86400000},  {"week", 604800000}, {"weeks", 604800000},
  };
  for (const auto& [name, ms] : kUnits) {
    if (u.as_string() == name) return ms;
  }
  cx.fail("value", "unknown time unit " + describe(u).substr(7) +
                       " (use milliseconds, seconds, minutes, hours, days or weeks)");
}

void fn_date_field(const Ctx& cx, Args a, Value& out, Fn fn) {
  const CivilTime t = civil_time(instant(cx, a, 0));
  int v = 0;
  switch (fn) {
    case Fn::Year:
      v = t.year;
      break;
    case Fn::Month:
      v = t.month;
      break;
    case Fn::Day:
      v = t.day;
      break;
    case Fn::Hour:
      v = t.hour;
      break;
    case Fn::Minute:
      v = t.minute;
      break;
    default:
      v = t.second;
      break;
  }
  out = Value(v);
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// ---- dispatch -----------------------------------------------------------------

void dispatch(Fn fn, const Ctx& cx, Args a, Value& out) {
  const int col = cx.site.column;
  switch (fn) {
    case Fn::Abs:
      map_numbers(cx, a, out, [](double x) { return std::fabs(x); });
      return;
    case Fn::Ceil:
      map_numbers(cx, a, out, [](double x) { return std::ceil(x); });
      return;
    case Fn::Floor:
      map_numbers(cx, a, out, [](double x) { return std::floor(x); });
      return;
    case Fn::Round:
      map_numbers(cx, a, out, [](double x) { return std::round(x); });
      return;
    case Fn::Sqrt: {
      const double x = cx.number(a, 0);
      if (x < 0) cx.fail("math", "square root of a negative number");
      out = Value(std::sqrt(x));
      return;
    }
    case Fn::Pow: {
      const double x = cx.number(a, 0);
      const double y = cx.number(a, 1);
      const double r = std::pow(x, y);
      if (std::isnan(r)) cx.fail("math", "result is not a number");
      if (std::isinf(r)) cx.fail("math", "numeric overflow");
      out = Value(r);
      return;
    }
    case Fn::Min:
      fn_min_max(cx, a, out, false);
      return;
    case Fn::Max:
      fn_min_max(cx, a, out, true);
      return;
    case Fn::Sum:
      fn_sum_avg(cx, a, out, false);
      return;
    case Fn::Avg:
      fn_sum_avg(cx, a, out, true);
      return;
    case Fn::Sort:
      fn_sort(cx, a, out);
      return;
    case Fn::Reverse: {
      const Array& arr = cx.array(a, 0);
      out = Value(Array(arr.rbegin(), arr.rend()));
      return;
    }
    case Fn::Unique:
      fn_unique(cx, a, out);
      return;
    case Fn::Flatten:
      fn_flatten(cx, a, out);
      return;
    case Fn::First: {
      const Array& arr = cx.array(a, 0);
      out = arr.empty() ? Value() : arr.front();
      return;
    }
    case Fn::Last: {
      const Array& arr = cx.array(a, 0);
      out = arr.empty() ? Value() : arr.back();
      return;
    }
    case Fn::Slice:
      fn_slice(cx, a, out);
      return;
    case Fn::Sample:
      fn_sample(cx, a, out);
      return;
    case Fn::Zip:
      fn_zip(cx, a, out);
      return;
    case Fn::Concat:
      fn_concat(cx, a, out);
      return;
    case Fn::Len:
      fn_len(cx, a, out);
      return;
    case Fn::Upper:
      out = Value(to_upper(cx.string(a, 0)));
      return;
    case Fn::Lower:
      out = Value(to_lower(cx.string(a, 0)));
      return;
    case Fn::Trim:
      out = Value(trim_js(cx.string(a, 0)));
      return;
    case Fn::Split: {
      const std::string& s = cx.string(a, 0);
      out = split_string(cx, s, cx.text(a, 1));
      return;
    }
    case Fn::Join:
      fn_join(cx, a, out);
      return;
    case Fn::Replace: {
      const std::string& s = cx.string(a, 0);
      const std::string from = cx.text(a, 1);
      const std::string to = cx.text(a, 2);
      out = Value(replace_all(cx, s, from, to));
      return;
    }
    case Fn::Substr:
      fn_substr(cx, a, out);
      return;
    case Fn::StartsWith: {
      const std::string& s = cx.string(a, 0);
      out = Value(s.starts_with(cx.text(a, 1)));
      return;
    }
    case Fn::EndsWith: {
      const std::string& s = cx.string(a, 0);
      out = Value(s.ends_with(cx.text(a, 1)));
      return;
    }
    case Fn::Contains:
      fn_contains(cx, a, out);
      return;
    case Fn::Typeof:
      out = Value(std::string(kind_name(a[0]->kind())));
      return;
    case Fn::IsNull:
      out = Value(a[0]->is_null());
      return;
    case Fn::IsBoolean:
      out = Value(a[0]->is_bool());
      return;
    case Fn::IsNumber:
      out = Value(a[0]->is_number());
      return;
    case Fn::IsString:
      out = Value(a[0]->is_string());
      return;
    case Fn::IsArray:
      out = Value(a[0]->is_array());
      return;
    case Fn::IsObject:
      out = Value(a[0]->is_object());
      return;
    case Fn::String:
      out = Value(text_of(*a[0], col));
      return;
    case Fn::Number:
      fn_number(cx, a, out);
      return;
    case Fn::Now:
      out = Value(format_instant(now_ms()));
      return;
    case Fn::ParseDate:
      out = Value(format_instant(instant(cx, a, 0)));
      return;
    case Fn::ToEpoch:
      out = Value(floor_div(instant(cx, a, 0), 1000));
      return;
    case Fn::ToEpochMillis:
      out = Value(instant(cx, a, 0));
      return;
    case Fn::FromEpoch:
      out = instant_value(cx, cx.number(a, 0) * 1000);
      return;
    case Fn::FromEpochMillis:
      out = instant_value(cx, cx.number(a, 0));
      return;
    case Fn::DateAdd: {
      const std::int64_t t = instant(cx, a, 0);
      const double amount = cx.number(a, 1);
      const double u = unit_ms(cx, a, 2);
      out = instant_value(cx, static_cast<double>(t) + std::floor(amount * u));
      return;
    }
    case Fn::DateDiff: {
      const std::int64_t t1 = instant(cx, a, 0);
      const std::int64_t t2 = instant(cx, a, 1);
      const double u = unit_ms(cx, a, 2);
      out = Value(static_cast<double>(t1 - t2) / u);
      return;
    }
    case Fn::Year:
    case Fn::Month:
    case Fn::Day:
    case Fn::Hour:
    case Fn::Minute:
    case Fn::Second:
      fn_date_field(cx, a, out, fn);
      return;
    case Fn::Date:
      out = Value(format_date(instant(cx, a, 0)));
      return;
    case Fn::Map:
    case Fn::Filter:
    case Fn::Find:
    case Fn::Some:
    case Fn::Every:
    case Fn::Coalesce:
      break;  // evaluated by the evaluator itself
  }
  raise("type", col, std::string(cx.site.name) + "() cannot be called here");
}

}  // namespace

const FunctionInfo* find_function(std::string_view name) {
  for (const auto& f : kFunctions) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

const MethodInfo* find_method(std::string_view name) {
  for (const auto& m : kMethods) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

const FunctionInfo& function_info(Fn fn) {
  for (const auto& f : kFunctions) {
    if (f.id == fn) return f;
  }
  return kFunctions[0];
}

const MethodInfo& method_info(Method m) {
  for (const auto& x : kMethods) {
    if (x.id == m) return x;
  }
  return kMethods[0];
}

std::vector<std::string_view> function_names() {
  std::vector<std::string_view> out;
  for (const auto& f : kFunctions) out.push_back(f.name);
  return out;
}

std::vector<std::string_view> method_names() {
  std::vector<std::string_view> out;
  for (const auto& m : kMethods) out.push_back(m.name);
  return out;
}

std::string arity_message(std::string_view name, int min_args, int max_args, int got) {
  auto plural = [](int n) { return std::to_string(n) + (n == 1 ? " argument" : " arguments"); };
  std::string expects;
  if (max_args == 0) {
    expects = "no arguments";
  } else if (min_args == max_args) {
    expects = plural(min_args);
  } else if (max_args < 0) {
    expects = "at least " + plural(min_args);
  } else {
    expects = std::to_string(min_args) + " to " + plural(max_args);
  }
  return std::string(name) + "() expects " + expects + ", got " + std::to_string(got);
}

void call_function(Fn fn, const CallSite& site, std::span<const Value* const> args, Value& out) {
  dispatch(fn, Ctx{site, 0}, args, out);
}

void call_method(Method m, const CallSite& site, const Value& receiver,
                 std::span<const Value* const> args, Value& out) {
  const Ctx cx{site, 1};
  const char* needs = nullptr;
  switch (m) {
    case Method::ToUpperCase:
    case Method::ToLowerCase:
    case Method::Trim:
    case Method::StartsWith:
    case Method::EndsWith:
    case Method::Replace:
    case Method::ReplaceAll:
    case Method::Split:
      if (!receiver.is_string()) needs = "a string";
      break;
    case Method::Includes:
    case Method::IndexOf:
    case Method::Slice:
    case Method::Concat:
      if (!receiver.is_string() && !receiver.is_array()) needs = "a string or an array";
      break;
    case Method::Join:
    case Method::Reverse:
    case Method::First:
    case Method::Last:
      if (!receiver.is_array()) needs = "an array";
      break;
  }
  if (needs) {
    raise("type", site.column,
          "cannot call " + std::string(site.name) + "() on " + describe(receiver) + " (it needs " +
              needs + ")" +
              (receiver.is_null() ? "; use ?." + std::string(site.name) + "() to skip null" : ""));
  }
  // The receiver becomes argument 0 of the matching function.
  const Value* inline_args[4];
  std::vector<const Value*> many;
  const Value** all = inline_args;
  if (args.size() + 1 > 4) {
    many.resize(args.size() + 1);
    all = many.data();
  }
  all[0] = &receiver;
  for (std::size_t i = 0; i < args.size(); ++i) all[i + 1] = args[i];
  const Args a(all, args.size() + 1);
  switch (m) {
    case Method::ToUpperCase:
      dispatch(Fn::Upper, cx, a, out);
      return;
    case Method::ToLowerCase:
      dispatch(Fn::Lower, cx, a, out);
      return;
    case Method::Trim:
      dispatch(Fn::Trim, cx, a, out);
      return;
    case Method::StartsWith:
      dispatch(Fn::StartsWith, cx, a, out);
      return;
    case Method::EndsWith:
      dispatch(Fn::EndsWith, cx, a, out);
      return;
    case Method::Replace:
    case Method::ReplaceAll:
      dispatch(Fn::Replace, cx, a, out);
      return;
    case Method::Split:
      dispatch(Fn::Split, cx, a, out);
      return;
    case Method::Includes:
      dispatch(Fn::Contains, cx, a, out);
      return;
    case Method::IndexOf:
      fn_index_of(cx, a, out);
      return;
    case Method::Slice:
      fn_slice(cx, a, out);
      return;
    case Method::Concat:
      dispatch(Fn::Concat, cx, a, out);
      return;
    case Method::Join:
      dispatch(Fn::Join, cx, a, out);
      return;
    case Method::Reverse:
      dispatch(Fn::Reverse, cx, a, out);
      return;
    case Method::First:
      dispatch(Fn::First, cx, a, out);
      return;
    case Method::Last:
      dispatch(Fn::Last, cx, a, out);
      return;
  }
}

}  // namespace thaiyyal::expr::detail
