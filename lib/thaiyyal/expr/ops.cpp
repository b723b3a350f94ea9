#include "thaiyyal/expr/ops.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <vector>

#include "thaiyyal/diag/render.h"
#include "thaiyyal/expr/expr.h"
#include "thaiyyal/expr/text.h"
#include "thaiyyal/model/value_json.h"

namespace thaiyyal::expr::detail {

const Value kNullValue{};

void raise(std::string_view category, int column, std::string detail) {
  throw ExprError(std::string(category), column, std::move(detail));
}

void Budget::exceeded(int column) {
  raise("limit", column, "evaluation step limit exceeded (" + std::to_string(kStepLimit) + ")");
}

void Budget::charge_value(const Value& v, int column) {
  if (const auto* a = v.if_array()) {
    charge(static_cast<std::int64_t>(a->size()), column);
  } else if (const auto* s = v.if_string()) {
    charge(static_cast<std::int64_t>((s->size() + 1023) / 1024), column);
  }
}

void Budget::charge_result(const Value& v, int column) {
  charge_value(v, column);
  if (const auto* a = v.if_array()) {
    for (const auto& e : *a) charge_copy(e, column);
  }
}

void check_string_size(std::size_t bytes, int column) {
  if (bytes > kMaxStringBytes) {
    raise("limit", column, "value too large: a string of more than 10485760 bytes");
  }
}

void check_array_size(std::size_t elements, int column) {
  if (elements > kMaxArrayElements) {
    raise("limit", column, "value too large: an array of more than 1000000 elements");
  }
}

double check_finite(double x, int column) {
  if (!std::isfinite(x)) raise("math", column, "numeric overflow");
  return x;
}

bool parse_numeric_string(std::string_view s, double& out) {
  std::size_t i = 0;
  const std::size_t n = s.size();
  auto digit = [&](std::size_t k) { return k < n && s[k] >= '0' && s[k] <= '9'; };
  if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
  const std::size_t body = i;
  bool int_digits = false;
  while (digit(i)) {
    ++i;
    int_digits = true;
  }
  if (int_digits) {
    if (i < n && s[i] == '.') {
      ++i;
      while (digit(i)) ++i;
    }
  } else {
    if (!(i < n && s[i] == '.' && digit(i + 1))) return false;
    ++i;
    while (digit(i)) ++i;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digit(i)) return false;
    while (digit(i)) ++i;
  }
  if (i != n) return false;
  double v = 0;
  const char* first = s.data() + body;
  const auto res = std::from_chars(first, s.data() + n, v);
  if (res.ec == std::errc::result_out_of_range) {
    // Overflow is not numeric; underflow reads as zero. Tell them apart by
    // where the first significant digit sits.
    std::string_view mant = s.substr(body);
    long long exp10 = 0;
    if (const auto e = mant.find_first_of("eE"); e != std::string_view::npos) {
      std::string_view ex = mant.substr(e + 1);
      bool neg = false;
      if (ex[0] == '+' || ex[0] == '-') {
        neg = ex[0] == '-';
        ex.remove_prefix(1);
      }
      for (char c : ex) {
        if (exp10 < 100000) exp10 = exp10 * 10 + (c - '0');
      }
      if (neg) exp10 = -exp10;
      mant = mant.substr(0, e);
    }
    const auto dot = mant.find('.');
    const std::size_t int_len = dot == std::string_view::npos ? mant.size() : dot;
    long long lead = 0;
    for (std::size_t k = 0; k < mant.size(); ++k) {
      if (mant[k] == '.' || mant[k] == '0') continue;
      lead = k < int_len ? static_cast<long long>(int_len - k - 1)
                         : -static_cast<long long>(k - int_len);
      break;
    }
    if (lead + exp10 > 0) return false;
    v = 0;
  } else if (res.ec != std::errc() || res.ptr != s.data() + n) {
    return false;
  }
  out = s[0] == '-' ? -v : v;
  return true;
}

bool to_number(const Value& v, double& out) {
  if (const double* d = v.if_number()) {
    out = *d;
    return true;
  }
  if (const std::string* s = v.if_string()) return parse_numeric_string(*s, out);
  return false;
}

namespace {

/// JSON text of §6.4: compact, keys in byte order. `column` < 0 disables the
/// size limit (internal use); otherwise writing stops soon after the limit.
void write_json(std::string& out, const Value& v, int column) {
  JsonWriteOptions opts = JsonWriteOptions::canonical();
  if (column >= 0) opts.stop_after = kMaxStringBytes;
  append_json(out, v, opts);
  if (column >= 0) check_string_size(out.size(), column);
}

int type_rank(Kind k) {
  switch (k) {
    case Kind::Number:
      return 0;
    case Kind::String:
      return 1;
    case Kind::Bool:
      return 2;
    case Kind::Array:
      return 3;
    case Kind::Object:
      return 4;
    case Kind::Null:
      return 5;
  }
  return 5;
}

int compare_bytes(std::string_view a, std::string_view b) {
  const int c = a.compare(b);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

}  // namespace

std::string describe(const Value& v) {
  if (const auto* s = v.if_string()) {
    std::string out = "string ";
    constexpr std::size_t kShown = 40;
    if (code_point_count(*s) <= kShown) {
      diag::append_json_string(out, *s);
    } else {
      std::string cut = s->substr(0, byte_offset_of(*s, kShown));
      diag::append_json_string(out, cut);
      out.insert(out.size() - 1, "...");
    }
    return out;
  }
  return std::string(kind_name(v.kind()));
}

void append_text(std::string& out, const Value& v, int column) {
  switch (v.kind()) {
    case Kind::String:
      out += v.as_string();
      break;
    case Kind::Null:
      out += "null";
      break;
    case Kind::Bool:
      out += v.as_bool() ? "true" : "false";
      break;
    case Kind::Number:
      append_number(out, v.as_number());
      break;
    case Kind::Array:
    case Kind::Object:
      write_json(out, v, column);
      break;
  }
  check_string_size(out.size(), column);
}

std::string text_of(const Value& v, int column) {
  std::string out;
  append_text(out, v, column);
  return out;
}

void append_json_text(std::string& out, const Value& v, int column) {
  write_json(out, v, column);
  check_string_size(out.size(), column);
}

bool loose_equal(const Value& a, const Value& b, Budget& budget, int column) {
  const Kind ka = a.kind();
  const Kind kb = b.kind();
  if (ka == kb) {
    switch (ka) {
      case Kind::Null:
        return true;
      case Kind::Bool:
        return a.as_bool() == b.as_bool();
      case Kind::Number:
        return a.as_number() == b.as_number();
      case Kind::String:
        if (a.as_string().size() != b.as_string().size()) return false;
        budget.charge_bytes(a.as_string().size(), column);
        return a.as_string() == b.as_string();
      case Kind::Array: {
        const auto& x = a.as_array();
        const auto& y = b.as_array();
        if (x.size() != y.size()) return false;
        for (std::size_t i = 0; i < x.size(); ++i) {
          budget.step(column);
          if (!loose_equal(x[i], y[i], budget, column)) return false;
        }
        return true;
      }
      case Kind::Object: {
        const auto& x = a.as_object();
        const auto& y = b.as_object();
        if (x.size() != y.size()) return false;
        for (const auto& [k, xv] : x) {
          budget.step(column);
          const Value* yv = y.find(k);
          if (!yv || !loose_equal(xv, *yv, budget, column)) return false;
        }
        return true;
      }
    }
  }
  double n = 0;
  if (ka == Kind::Number && kb == Kind::String) {
    return parse_numeric_string(b.as_string(), n) && n == a.as_number();
  }
  if (ka == Kind::String && kb == Kind::Number) {
    return parse_numeric_string(a.as_string(), n) && n == b.as_number();
  }
  return false;
}

bool strict_equal(const Value& a, const Value& b, Budget& budget, int column) {
  const Kind ka = a.kind();
  if (ka != b.kind()) return false;
  switch (ka) {
    case Kind::Null:
      return true;
    case Kind::Bool:
      return a.as_bool() == b.as_bool();
    case Kind::Number:
      return a.as_number() == b.as_number();
    case Kind::String:
      if (a.as_string().size() != b.as_string().size()) return false;
      budget.charge_bytes(a.as_string().size(), column);
      return a.as_string() == b.as_string();
    case Kind::Array: {
      const auto& x = a.as_array();
      const auto& y = b.as_array();
      if (x.size() != y.size()) return false;
      for (std::size_t i = 0; i < x.size(); ++i) {
        budget.step(column);
        if (!strict_equal(x[i], y[i], budget, column)) return false;
      }
      return true;
    }
    case Kind::Object: {
      const auto& x = a.as_object();
      const auto& y = b.as_object();
      if (x.size() != y.size()) return false;
      for (const auto& [k, xv] : x) {
        budget.step(column);
        const Value* yv = y.find(k);
        if (!yv || !strict_equal(xv, *yv, budget, column)) return false;
      }
      return true;
    }
  }
  return false;
}

bool ordered(const Value& a, const Value& b, Order op, Budget& budget, int column) {
  double x = 0;
  double y = 0;
  if (a.is_string() && b.is_string()) {
    budget.charge_bytes(std::min(a.as_string().size(), b.as_string().size()), column);
    const int c = compare_bytes(a.as_string(), b.as_string());
    switch (op) {
      case Order::Less:
        return c < 0;
      case Order::LessEq:
        return c <= 0;
      case Order::Greater:
        return c > 0;
      case Order::GreaterEq:
        return c >= 0;
    }
    return false;
  }
  if (a.is_number()) {
    x = a.as_number();
    if (b.is_number()) {
      y = b.as_number();
    } else if (!(b.is_string() && parse_numeric_string(b.as_string(), y))) {
      return false;
    }
  } else if (b.is_number() && a.is_string()) {
    y = b.as_number();
    if (!parse_numeric_string(a.as_string(), x)) return false;
  } else {
    return false;
  }
  switch (op) {
    case Order::Less:
      return x < y;
    case Order::LessEq:
      return x <= y;
    case Order::Greater:
      return x > y;
    case Order::GreaterEq:
      return x >= y;
  }
  return false;
}

int sort_compare(const Value& a, const Value& b) {
  const int ra = type_rank(a.kind());
  const int rb = type_rank(b.kind());
  if (ra != rb) return ra < rb ? -1 : 1;
  switch (a.kind()) {
    case Kind::Null:
      return 0;
    case Kind::Number: {
      const double x = a.as_number();
      const double y = b.as_number();
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case Kind::String:
      return compare_bytes(a.as_string(), b.as_string());
    case Kind::Bool:
      return static_cast<int>(a.as_bool()) - static_cast<int>(b.as_bool());
    case Kind::Array: {
      if (a.array_ptr() == b.array_ptr()) return 0;
      const auto& x = a.as_array();
      const auto& y = b.as_array();
      const std::size_t n = std::min(x.size(), y.size());
      for (std::size_t i = 0; i < n; ++i) {
        if (const int c = sort_compare(x[i], y[i]); c != 0) return c;
      }
      return x.size() < y.size() ? -1 : x.size() > y.size() ? 1 : 0;
    }
    case Kind::Object: {
      if (a.object_ptr() == b.object_ptr()) return 0;
      std::string x;
      std::string y;
      write_json(x, a, -1);
      write_json(y, b, -1);
      return compare_bytes(x, y);
    }
  }
  return 0;
}

}  // namespace thaiyyal::expr::detail
