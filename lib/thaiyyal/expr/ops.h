/// The value semantics shared by operators and built-ins (spec 02 §6, §7):
/// numeric strings, TEXT and JSON text, loose and strict equality, ordering,
/// the total sort order, and the run-time limits of §11 (step budget, size of
/// produced strings and arrays). Every failure is an ExprError.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "thaiyyal/model/value.h"

namespace thaiyyal::expr::detail {

inline constexpr std::int64_t kStepLimit = 1000000;
inline constexpr std::size_t kMaxStringBytes = 10485760;
inline constexpr std::size_t kMaxArrayElements = 1000000;
inline constexpr std::size_t kMaxSourceBytes = 10000;
inline constexpr int kMaxNesting = 256;

/// The shared null (a missing name, member or element reads as this).
extern const Value kNullValue;

/// Throws ExprError(category, column, detail).
[[noreturn]] void raise(std::string_view category, int column, std::string detail);

/// The evaluation step budget of one evaluation (§11). Not thread-safe: one
/// per evaluation.
class Budget {
 public:
  /// One step (one syntax-tree node evaluated).
  void step(int column) {
    if (++used_ > kStepLimit) exceeded(column);
  }
  /// `n` steps at once.
  void charge(std::int64_t n, int column) {
    used_ += n;
    if (used_ > kStepLimit) exceeded(column);
  }
  /// The cost of a value passed to or returned by a built-in: its elements
  /// if it is an array, each started KiB if it is a string.
  void charge_value(const Value& v, int column);
  /// The cost of copying `v` into a new value: a string costs a step per 256
  /// bytes beyond its first 256. Strings are the only values whose copies
  /// are not shared, so this keeps time and memory bounded by the budget
  /// (about 256 MiB) even when one long string is copied many times
  /// (`[s, s, s]`, `map(xs, s)`).
  void charge_copy(const Value& v, int column) {
    if (const std::string* s = v.if_string(); s && s->size() > 256) {
      charge(static_cast<std::int64_t>((s->size() - 1) / 256), column);
    }
  }
  /// The cost of the result of a built-in: charge_value, plus charge_copy
  /// for each element of an array result.
  void charge_result(const Value& v, int column);
  /// The cost of reading `bytes` bytes of a string (beyond the first KiB).
  void charge_bytes(std::size_t bytes, int column) {
    if (bytes > 1024) charge(static_cast<std::int64_t>((bytes - 1) / 1024), column);
  }
  std::int64_t used() const { return used_; }

 private:
  [[noreturn]] static void exceeded(int column);
  std::int64_t used_ = 0;
};

/// Limit errors for produced values (§11).
void check_string_size(std::size_t bytes, int column);
void check_array_size(std::size_t elements, int column);

/// Whether `s` is a numeric string (§6.2); its value goes to `out`.
bool parse_numeric_string(std::string_view s, double& out);

/// A number argument (§6.2): a number, or a numeric string converted.
bool to_number(const Value& v, double& out);

/// "number", "string \"abc\"", "array", ... for error messages (D4).
std::string describe(const Value& v);

/// TEXT(v) (§6.4) appended to `out`. Fails with a limit error at `column`
/// once `out` would exceed the string size limit.
void append_text(std::string& out, const Value& v, int column);
std::string text_of(const Value& v, int column);

/// JSON text of §6.4: compact, members in code-point order.
void append_json_text(std::string& out, const Value& v, int column);

/// `a == b` (§7.3); each array element and object member visited costs a step.
bool loose_equal(const Value& a, const Value& b, Budget& budget, int column);
/// `a === b` (§7.3).
bool strict_equal(const Value& a, const Value& b, Budget& budget, int column);

/// Comparison operators of §7.4 (`<`, `<=`, `>`, `>=`); false when the pair
/// is not comparable. Comparing long strings costs steps (Budget::charge_bytes).
enum class Order : std::uint8_t { Less, LessEq, Greater, GreaterEq };
bool ordered(const Value& a, const Value& b, Order op, Budget& budget, int column);

/// The total sort order of §8.4: negative, zero or positive.
int sort_compare(const Value& a, const Value& b);

/// `x` is finite, else a math error "numeric overflow" at `column`.
double check_finite(double x, int column);

}  // namespace thaiyyal::expr::detail
