// libFuzzer target for the expression language: every input is compiled and,
// when it compiles, evaluated against a small fixed environment, in value
// mode and in condition mode. Only ExprError may escape compile/evaluate;
// any other exception, crash, sanitizer report or non-JSON result is a bug.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "thaiyyal/expr/expr.h"
#include "thaiyyal/model/value_json.h"

namespace {

using thaiyyal::Value;

class FixedNodes final : public thaiyyal::expr::NodeResults {
 public:
  explicit FixedNodes(Value all) : all_(std::move(all)) {}
  const Value* find(std::string_view id) const override { return all_.find(id); }
  Value all() const override { return all_; }

 private:
  Value all_;
};

struct FixedEnv {
  Value input = thaiyyal::parse_json(R"({
    "price": 12.5, "qty": 3, "name": "Ada Lovelace", "tags": ["x", "y", "été"],
    "value": {"value": 150}, "n": null, "flag": true, "num": "42", "empty": "",
    "users": [{"name": "Ann", "age": 31}, {"name": "Bob", "age": 17}, {"age": "x"}],
    "when": "2024-01-15T10:30:00.000Z", "m": [[1, 2], [3, [4, 5]]], "o": {"b": 1, "a": [2]}
  })");
  Value index = Value(1);
  Value items = thaiyyal::parse_json(R"([1, "2", null, [3], {"k": 4}])");
  Value accumulator = Value("acc");
  Value variables = thaiyyal::parse_json(R"({"min": 10, "list": [3, 1, 2], "s": "a,b"})");
  Value context = thaiyyal::parse_json(R"({"start": "2024-01-01T00:00:00.000Z", "a.b": 1})");
  FixedNodes nodes{thaiyyal::parse_json(R"({"n1": {"value": 5}, "my-node": [1, 2], "1": "one"})")};

  thaiyyal::expr::Env env(bool per_element) const {
    thaiyyal::expr::Env e;
    e.input = &input;
    e.variables = &variables.as_object();
    e.context = &context.as_object();
    e.nodes = &nodes;
    if (per_element) {
      e.item = &items.as_array()[4];
      e.index = &index;
      e.items = &items;
      e.accumulator = &accumulator;
    }
    return e;
  }
};

void run(std::string_view text, thaiyyal::expr::Mode mode, const FixedEnv& fixed) {
  std::shared_ptr<const thaiyyal::expr::Program> program;
  try {
    program = thaiyyal::expr::compile(text, mode);
  } catch (const thaiyyal::expr::ExprError& e) {
    if (e.column() < 1) std::abort();
    return;
  }
  if (thaiyyal::expr::dump(*program).empty()) std::abort();
  for (bool per_element : {false, true}) {
    try {
      const Value v = thaiyyal::expr::evaluate(*program, fixed.env(per_element));
      // Results are always JSON: to_json throws on NaN or infinity.
      (void)thaiyyal::to_json(v);
      if (mode == thaiyyal::expr::Mode::Condition && !v.is_bool()) std::abort();
    } catch (const thaiyyal::expr::ExprError& e) {
      if (e.column() < 1) std::abort();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const FixedEnv fixed;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  run(text, thaiyyal::expr::Mode::Value, fixed);
  run(text, thaiyyal::expr::Mode::Condition, fixed);
  return 0;
}
