/// The vocabulary of built-in functions and methods (spec 02 §8): one sorted
/// table each, resolved to an enum with its arity at load time (§4.6), and
/// the implementations that work on already evaluated arguments. The
/// per-element functions and `coalesce`, which control the evaluation of
/// their own arguments, live in the evaluator.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "thaiyyal/model/value.h"

namespace thaiyyal::expr::detail {

class Budget;

/// Built-in functions (§8.8).
enum class Fn : std::uint8_t {
  Abs,
  Avg,
  Ceil,
  Coalesce,
  Concat,
  Contains,
  Date,
  DateAdd,
  DateDiff,
  Day,
  EndsWith,
  Every,
  Filter,
  Find,
  First,
  Flatten,
  Floor,
  FromEpoch,
  FromEpochMillis,
  Hour,
  IsArray,
  IsBoolean,
  IsNull,
  IsNumber,
  IsObject,
  IsString,
  Join,
  Last,
  Len,
  Lower,
  Map,
  Max,
  Min,
  Minute,
  Month,
  Now,
  Number,
  ParseDate,
  Pow,
  Replace,
  Reverse,
  Round,
  Sample,
  Second,
  Slice,
  Some,
  Sort,
  Split,
  Sqrt,
  StartsWith,
  String,
  Substr,
  Sum,
  ToEpoch,
  ToEpochMillis,
  Trim,
  Typeof,
  Unique,
  Upper,
  Year,
  Zip,
};

/// Methods (§8.9).
enum class Method : std::uint8_t {
  Concat,
  EndsWith,
  First,
  Includes,
  IndexOf,
  Join,
  Last,
  Replace,
  ReplaceAll,
  Reverse,
  Slice,
  Split,
  StartsWith,
  ToLowerCase,
  ToUpperCase,
  Trim,
};

/// A name with its arity; max_args < 0 means "no upper bound".
template <typename Id>
struct Builtin {
  std::string_view name;
  Id id;
  int min_args;
  int max_args;
};
using FunctionInfo = Builtin<Fn>;
using MethodInfo = Builtin<Method>;

/// Lookups by exact (case-sensitive) name; nullptr when unknown.
const FunctionInfo* find_function(std::string_view name);
const MethodInfo* find_method(std::string_view name);
const FunctionInfo& function_info(Fn fn);
const MethodInfo& method_info(Method m);

/// All names, for "did you mean" suggestions.
std::vector<std::string_view> function_names();
std::vector<std::string_view> method_names();

/// "pow() expects 2 arguments, got 1" and the like.
std::string arity_message(std::string_view name, int min_args, int max_args, int got);

/// What a built-in call needs besides its arguments: where it is (errors are
/// reported at the name's column, §8.1) and the step budget.
struct CallSite {
  std::string_view name;
  int column;
  Budget& budget;
};

/// Calls a function whose arguments are all evaluated (every Fn except the
/// per-element functions and coalesce). Writes the result to `out`. Throws
/// ExprError (type, math, value or limit).
void call_function(Fn fn, const CallSite& site, std::span<const Value* const> args, Value& out);

/// Calls a method on `receiver` (§8.9). Checks the receiver type first.
void call_method(Method m, const CallSite& site, const Value& receiver,
                 std::span<const Value* const> args, Value& out);

}  // namespace thaiyyal::expr::detail
