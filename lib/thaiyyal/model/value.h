/// The model module owns thaiyyal's data: `Value` (the closed JSON-like value
/// every node consumes and produces), its text forms, and the workflow document
/// types (workflow.h). Plain data: no I/O, no parsing of workflow files.
///
/// Value semantics (decision D2): null, boolean, number (an IEEE double), string
/// (UTF-8 bytes), array, object (insertion-ordered, unique keys). Arrays and
/// objects are immutable and shared: copying a Value is O(1), and a Value may be
/// read from several threads at once.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace thaiyyal {

// Declared before the Array/Object types so the enumerators do not trip
// g++'s -Wshadow on scoped enumerators.
enum class Kind : std::uint8_t { Null, Bool, Number, String, Array, Object };

class Value;
class Object;
using Array = std::vector<Value>;
using ArrayPtr = std::shared_ptr<const Array>;
using ObjectPtr = std::shared_ptr<const Object>;

/// JSON type name of a kind: "null", "boolean", "number", "string", "array",
/// "object" (decision D4: every type error names these).
std::string_view kind_name(Kind k);

class Value {
 public:
  Value() = default;
  Value(std::nullptr_t) {}
  Value(bool b) : v_(b) {}
  Value(double d) : v_(d) {}
  Value(int i) : v_(static_cast<double>(i)) {}
  Value(std::int64_t i) : v_(static_cast<double>(i)) {}
  Value(std::size_t i) : v_(static_cast<double>(i)) {}
  Value(std::string s) : v_(std::move(s)) {}
  Value(std::string_view s) : v_(std::string(s)) {}
  Value(const char* s) : v_(std::string(s)) {}
  Value(Array a) : v_(std::make_shared<const Array>(std::move(a))) {}
  Value(ArrayPtr a);
  Value(Object o);
  Value(ObjectPtr o);

  Kind kind() const { return static_cast<Kind>(v_.index()); }
  bool is_null() const { return kind() == Kind::Null; }
  bool is_bool() const { return kind() == Kind::Bool; }
  bool is_number() const { return kind() == Kind::Number; }
  bool is_string() const { return kind() == Kind::String; }
  bool is_array() const { return kind() == Kind::Array; }
  bool is_object() const { return kind() == Kind::Object; }

  /// Accessors; calling one for the wrong kind is a programmer error (asserts).
  bool as_bool() const { return std::get<bool>(v_); }
  double as_number() const { return std::get<double>(v_); }
  const std::string& as_string() const { return std::get<std::string>(v_); }
  const Array& as_array() const { return *std::get<ArrayPtr>(v_); }
  const Object& as_object() const { return *std::get<ObjectPtr>(v_); }
  const ArrayPtr& array_ptr() const { return std::get<ArrayPtr>(v_); }
  const ObjectPtr& object_ptr() const { return std::get<ObjectPtr>(v_); }

  /// Checked lookups: nullptr when this is not the right kind.
  const bool* if_bool() const { return std::get_if<bool>(&v_); }
  const double* if_number() const { return std::get_if<double>(&v_); }
  const std::string* if_string() const { return std::get_if<std::string>(&v_); }
  const Array* if_array() const;
  const Object* if_object() const;

  /// Member of an object value; nullptr when absent or not an object.
  const Value* find(std::string_view key) const;

  /// Structural equality (JSON semantics; numbers by value, 0 == -0; objects
  /// compare key sets and values regardless of order).
  friend bool operator==(const Value& a, const Value& b);

 private:
  std::variant<std::monostate, bool, double, std::string, ArrayPtr, ObjectPtr> v_;
};

/// An insertion-ordered map from string keys to Values with unique keys.
/// Lookups are linear for small objects and hashed for large ones.
class Object {
 public:
  using Entry = std::pair<std::string, Value>;

  Object() = default;
  Object(std::initializer_list<Entry> entries);
  /// Takes `entries` as they are (their capacity too): the caller guarantees
  /// unique keys.
  explicit Object(std::vector<Entry>&& unique_entries);

  std::size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  const Value* find(std::string_view key) const;
  bool contains(std::string_view key) const { return find(key) != nullptr; }

  /// Inserts or replaces (a replaced key keeps its position).
  void set(std::string key, Value v);
  /// Appends without checking for an existing key. The caller guarantees
  /// uniqueness (e.g. it already called find()).
  void append_unique(std::string key, Value v);
  /// Removes a key if present; returns whether it was.
  bool erase(std::string_view key);
  void reserve(std::size_t n) { entries_.reserve(n); }

  auto begin() const { return entries_.begin(); }
  auto end() const { return entries_.end(); }
  const std::vector<Entry>& entries() const { return entries_; }

 private:
  void index_insert(std::uint32_t pos);
  void rebuild_index();
  std::vector<Entry> entries_;
  /// Open-addressing hash index (slot = position + 1, 0 = empty), kept only for
  /// large objects and maintained eagerly so const lookups never mutate.
  std::vector<std::uint32_t> slots_;
};

/// Number -> text exactly as JavaScript's String(n) (decision D2): shortest
/// round-trip digits, `1e+21`, `1e-7`, `0.1`, `-0` -> "0". Non-finite values
/// render as "NaN", "Infinity", "-Infinity" (they never reach JSON output).
std::string number_to_string(double d);
void append_number(std::string& out, double d);

/// JavaScript truthiness: false, 0, NaN, "", null are false; everything else,
/// including empty arrays and objects, is true.
bool truthy(const Value& v);

/// Depth as measured by the value-limit check (spec 01 §5.3): a scalar is 1,
/// `{"a":1}` is 2, an empty container at the top is 0.
std::size_t nesting_depth(const Value& v);

}  // namespace thaiyyal
