#include "thaiyyal/model/value.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <functional>

namespace thaiyyal {

std::string_view kind_name(Kind k) {
  switch (k) {
    case Kind::Null:
      return "null";
    case Kind::Bool:
      return "boolean";
    case Kind::Number:
      return "number";
    case Kind::String:
      return "string";
    case Kind::Array:
      return "array";
    case Kind::Object:
      return "object";
  }
  return "null";
}

Value::Value(ArrayPtr a) {
  if (a) v_ = std::move(a);
}
Value::Value(Object o) : v_(std::make_shared<const Object>(std::move(o))) {}
Value::Value(ObjectPtr o) {
  if (o) v_ = std::move(o);
}

const Array* Value::if_array() const {
  const auto* p = std::get_if<ArrayPtr>(&v_);
  return p ? p->get() : nullptr;
}

const Object* Value::if_object() const {
  const auto* p = std::get_if<ObjectPtr>(&v_);
  return p ? p->get() : nullptr;
}

const Value* Value::find(std::string_view key) const {
  const auto* o = if_object();
  return o ? o->find(key) : nullptr;
}

bool operator==(const Value& a, const Value& b) {
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case Kind::Null:
      return true;
    case Kind::Bool:
      return a.as_bool() == b.as_bool();
    case Kind::Number:
      return a.as_number() == b.as_number();
    case Kind::String:
      return a.as_string() == b.as_string();
    case Kind::Array: {
      if (a.array_ptr() == b.array_ptr()) return true;
      const auto& x = a.as_array();
      const auto& y = b.as_array();
      if (x.size() != y.size()) return false;
      for (std::size_t i = 0; i < x.size(); ++i) {
        if (!(x[i] == y[i])) return false;
      }
      return true;
    }
    case Kind::Object: {
      if (a.object_ptr() == b.object_ptr()) return true;
      const auto& x = a.as_object();
      const auto& y = b.as_object();
      if (x.size() != y.size()) return false;
      for (const auto& [k, v] : x) {
        const Value* other = y.find(k);
        if (!other || !(v == *other)) return false;
      }
      return true;
    }
  }
  return false;
}

// ---- Object -----------------------------------------------------------------

namespace {
constexpr std::size_t kIndexThreshold = 16;
std::size_t hash_key(std::string_view k) { return std::hash<std::string_view>{}(k); }
}  // namespace

Object::Object(std::initializer_list<Entry> entries) {
  entries_.reserve(entries.size());
  for (const auto& e : entries) set(e.first, e.second);
}

Object::Object(std::vector<Entry>&& unique_entries) : entries_(std::move(unique_entries)) {
  rebuild_index();
}

const Value* Object::find(std::string_view key) const {
  if (slots_.empty()) {
    for (const auto& e : entries_) {
      if (e.first == key) return &e.second;
    }
    return nullptr;
  }
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = hash_key(key) & mask;; i = (i + 1) & mask) {
    const auto slot = slots_[i];
    if (slot == 0) return nullptr;
    const auto& e = entries_[slot - 1];
    if (e.first == key) return &e.second;
  }
}

void Object::index_insert(std::uint32_t pos) {
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = hash_key(entries_[pos].first) & mask;; i = (i + 1) & mask) {
    if (slots_[i] == 0) {
      slots_[i] = pos + 1;
      return;
    }
  }
}

void Object::rebuild_index() {
  if (entries_.size() <= kIndexThreshold) {
    slots_.clear();
    return;
  }
  std::size_t cap = 64;
  while (cap < entries_.size() * 2) cap <<= 1;
  slots_.assign(cap, 0);
  for (std::uint32_t i = 0; i < entries_.size(); ++i) index_insert(i);
}

void Object::append_unique(std::string key, Value v) {
  entries_.emplace_back(std::move(key), std::move(v));
  if (entries_.size() <= kIndexThreshold) return;
  if (slots_.empty() || entries_.size() * 2 > slots_.size()) {
    rebuild_index();
  } else {
    index_insert(static_cast<std::uint32_t>(entries_.size() - 1));
  }
}

void Object::set(std::string key, Value v) {
  if (const Value* existing = find(key)) {
    *const_cast<Value*>(existing) = std::move(v);
    return;
  }
  append_unique(std::move(key), std::move(v));
}

bool Object::erase(std::string_view key) {
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (it->first == key) {
      entries_.erase(it);
      rebuild_index();
      return true;
    }
  }
  return false;
}

// ---- numbers -----------------------------------------------------------------

void append_number(std::string& out, double d) {
  if (std::isnan(d)) {
    out += "NaN";
    return;
  }
  if (std::isinf(d)) {
    out += d < 0 ? "-Infinity" : "Infinity";
    return;
  }
  if (d == 0) {
    out += '0';
    return;
  }
  // Integers below 2^53 (most numbers in practice) are their digits: exact,
  // and ECMAScript writes them without exponent up to 1e21.
  if (std::fabs(d) < 9007199254740992.0 && std::trunc(d) == d) {
    char digits[24];
    const auto res = std::to_chars(digits, digits + sizeof digits, static_cast<long long>(d));
    out.append(digits, static_cast<std::size_t>(res.ptr - digits));
    return;
  }
  // Shortest round-trip digits in scientific form: "d.ddde+XX".
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<std::size_t>(res.ptr - buf));
  bool negative = false;
  if (sci.front() == '-') {
    negative = true;
    sci.remove_prefix(1);
  }
  const auto e_pos = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e_pos)) {
    if (c != '.') digits.push_back(c);
  }
  int exponent = 0;
  std::from_chars(sci.data() + e_pos + 1 + (sci[e_pos + 1] == '+' ? 1 : 0), sci.data() + sci.size(),
                  exponent);
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  const int k = static_cast<int>(digits.size());
  const int n = exponent + 1;  // position of the decimal point (ECMAScript's n)
  if (negative) out += '-';
  if (k <= n && n <= 21) {
    out += digits;
    out.append(static_cast<std::size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out.append(digits, 0, static_cast<std::size_t>(n));
    out += '.';
    out.append(digits, static_cast<std::size_t>(n));
  } else if (-6 < n && n <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-n), '0');
    out += digits;
  } else {
    out += digits[0];
    if (k > 1) {
      out += '.';
      out.append(digits, 1);
    }
    out += 'e';
    out += (n - 1) >= 0 ? '+' : '-';
    out += std::to_string(std::abs(n - 1));
  }
}

std::string number_to_string(double d) {
  std::string s;
  append_number(s, d);
  return s;
}

bool truthy(const Value& v) {
  switch (v.kind()) {
    case Kind::Null:
      return false;
    case Kind::Bool:
      return v.as_bool();
    case Kind::Number: {
      const double d = v.as_number();
      return d != 0 && !std::isnan(d);
    }
    case Kind::String:
      return !v.as_string().empty();
    case Kind::Array:
    case Kind::Object:
      return true;
  }
  return false;
}

namespace {
std::size_t depth_at(const Value& v, std::size_t level) {
  if (const auto* a = v.if_array()) {
    if (a->empty()) return level;
    std::size_t best = 0;
    for (const auto& e : *a) best = std::max(best, depth_at(e, level + 1));
    return best;
  }
  if (const auto* o = v.if_object()) {
    if (o->empty()) return level;
    std::size_t best = 0;
    for (const auto& [k, e] : *o) best = std::max(best, depth_at(e, level + 1));
    return best;
  }
  return level + 1;
}
}  // namespace

std::size_t nesting_depth(const Value& v) { return depth_at(v, 0); }

}  // namespace thaiyyal
