// The public API of the expression module: compile once, evaluate many times
// against an Env of borrowed pointers, errors as ExprError.
#include <doctest/doctest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "thaiyyal/expr/expr.h"
#include "thaiyyal/model/value_json.h"

using namespace thaiyyal;

namespace {

/// Node results that count how often the whole map is built.
class CountingNodes final : public expr::NodeResults {
 public:
  explicit CountingNodes(Value v) : all_(std::move(v)) {}
  const Value* find(std::string_view id) const override {
    ++finds;
    return all_.find(id);
  }
  Value all() const override {
    ++alls;
    return all_;
  }
  mutable int finds = 0;
  mutable int alls = 0;

 private:
  Value all_;
};

std::string json(const Value& v) { return to_json(v, JsonWriteOptions::canonical()); }

std::string run(std::string_view text, const expr::Env& env, expr::Mode mode = expr::Mode::Value) {
  try {
    return json(expr::evaluate(*expr::compile(text, mode), env));
  } catch (const expr::ExprError& e) {
    return std::string("error: ") + e.what();
  }
}

}  // namespace

TEST_SUITE("expr") {
  TEST_CASE("ExprError carries category, column, length and detail") {
    try {
      expr::compile("1 + * 2", expr::Mode::Value);
      FAIL("compiled");
    } catch (const expr::ExprError& e) {
      CHECK(e.category() == "syntax");
      CHECK(e.column() == 5);
      CHECK(e.length() >= 1);
      CHECK(e.detail() == "unexpected '*'");
      CHECK(std::string(e.what()) == "syntax error at column 5: unexpected '*'");
    }
    const expr::ExprError made("math", 3, "division by zero", 0);
    CHECK(made.length() == 1);
    CHECK(std::string(made.what()) == "math error at column 3: division by zero");
  }

  TEST_CASE("a program is compiled once and evaluated many times") {
    const auto program = expr::compile("item.price * item.qty > 100 && item.tags.includes('x')",
                                       expr::Mode::Condition);
    CHECK(expr::source_text(*program) == "item.price * item.qty > 100 && item.tags.includes('x')");
    const Value items = parse_json(R"([
      {"price": 50, "qty": 3, "tags": ["x"]},
      {"price": 50, "qty": 1, "tags": ["x"]},
      {"price": 500, "qty": 1, "tags": ["y"]}])");
    std::vector<bool> got;
    for (const Value& element : items.as_array()) {
      expr::Env env;
      env.input = &element;
      got.push_back(expr::evaluate_condition(*program, env));
    }
    CHECK(got == std::vector<bool>{true, false, false});
  }

  TEST_CASE("value mode returns the value; condition mode a boolean") {
    const expr::Env env;
    const auto value = expr::compile("'a' || 0", expr::Mode::Value);
    const auto cond = expr::compile("'a' || 0", expr::Mode::Condition);
    CHECK(json(expr::evaluate(*value, env)) == R"("a")");
    CHECK(json(expr::evaluate(*cond, env)) == "true");
    CHECK(expr::evaluate_condition(*value, env));
    CHECK(json(expr::evaluate(*expr::compile("[]", expr::Mode::Condition), env)) == "true");
    CHECK(json(expr::evaluate(*expr::compile("''", expr::Mode::Condition), env)) == "false");
  }

  TEST_CASE("null roots read as null and empty objects") {
    const expr::Env env;
    CHECK(run("input", env) == "null");
    CHECK(run("item", env) == "null");
    CHECK(run("[variables, context, node]", env) == "[{},{},{}]");
    CHECK(run("variables.x ?? context.y ?? node.z ?? 'none'", env) == R"("none")");
    CHECK(run("index", env) == "null");
    CHECK(run("len(variables) + len(node)", env) == "0");
  }

  TEST_CASE("per-element bindings: item, index, items, accumulator") {
    const Value input = parse_json(R"({"whole": true})");
    const Value element = parse_json(R"({"age": 30, "index": "field"})");
    const Value index(2);
    const Value items = parse_json("[1, 2, 3]");
    const Value acc(10);
    const Object variables{{"index", Value(99)}, {"k", Value(5)}};
    expr::Env env;
    env.input = &input;
    env.item = &element;
    env.index = &index;
    env.items = &items;
    env.accumulator = &acc;
    env.variables = &variables;
    CHECK(run("item.age", env) == "30");
    CHECK(run("input.whole", env) == "true");
    CHECK(run("index", env) == "2");
    CHECK(run("items.length", env) == "3");
    CHECK(run("accumulator + item.age", env) == "40");
    CHECK(run("k", env) == "5");
    // Bare names read the input (the subject), not the item.
    CHECK(run("age", env) == "null");
    CHECK(run("whole", env) == "true");
    // Inside a per-element body item and index are rebound; the rest is not.
    CHECK(run("map([7, 8], [item, index, accumulator, items.length])", env) ==
          "[[7,0,10,3],[8,1,10,3]]");
    CHECK(run("index", env) == "2");
  }

  TEST_CASE("unbound index, items and accumulator are bare names") {
    const Value input = parse_json(R"({"items": "from input"})");
    const Object variables{{"index", Value(3)}, {"accumulator", Value("acc")}};
    expr::Env env;
    env.input = &input;
    env.variables = &variables;
    CHECK(run("[index, items, accumulator]", env) == R"([3,"from input","acc"])");
  }

  TEST_CASE("node results are looked up by id, not materialised") {
    const CountingNodes nodes(parse_json(R"({"a": {"value": 1}, "b-2": [5]})"));
    expr::Env env;
    env.nodes = &nodes;
    CHECK(run("node.a.value + node.b-2[0] + node['a'].value", env) == "7");
    CHECK(nodes.alls == 0);
    CHECK(nodes.finds == 3);
    CHECK(run("len(node)", env) == "2");
    CHECK(nodes.alls == 1);
  }

  TEST_CASE("variables and context are read in place") {
    const Object variables{{"list", parse_json("[1, 2, 3]")}, {"name", Value("v")}};
    const Object context{{"k.dotted", Value(1)}};
    expr::Env env;
    env.variables = &variables;
    env.context = &context;
    CHECK(run("variables.list[-1] + context['k.dotted']", env) == "4");
    CHECK(run("variables?.name.toUpperCase()", env) == R"("V")");
    CHECK(run("variables", env) == R"({"list":[1,2,3],"name":"v"})");
    CHECK(run("context[1]", env) == "null");
    CHECK(run("context[true]", env).rfind("error: type error at column 8", 0) == 0);
  }

  TEST_CASE("results do not alias temporaries") {
    const Value input = parse_json(R"({"a": {"b": ["x", "y"]}, "s": "text"})");
    expr::Env env;
    env.input = &input;
    CHECK(run("{k: input.a}.k.b[1]", env) == R"("y")");
    CHECK(run("[input.a][0].b", env) == R"(["x","y"])");
    CHECK(run("sort(input.a.b)[1].toUpperCase()", env) == R"("Y")");
    CHECK(run("(input.s + '!').length", env) == "5");
    CHECK(run("split(input.s, '')[2]", env) == R"("x")");
    CHECK(run("coalesce(null, [input.s])[0]", env) == R"("text")");
    CHECK(run("find([[1, 2]], true)[1]", env) == "2");
    CHECK(run("(true ? {x: [input.s]} : 0).x[0]", env) == R"("text")");
  }

  TEST_CASE("run-time errors carry the column of the failing construct") {
    const expr::Env env;
    CHECK(
        run("1 + (2 * 'x')", env) ==
        R"(error: type error at column 8: cannot apply '*' to number and string "x" (it needs two numbers))");
    CHECK(run("[1, 2][0.5]", env) ==
          "error: type error at column 7: index must be an integer, got 0.5");
    CHECK(run("abs('q')", env) ==
          R"(error: type error at column 1: abs(): argument 1 must be a number, got string "q")");
    CHECK(run("'x'.join()", env) ==
          R"(error: type error at column 5: cannot call join() on string "x" (it needs an array))");
    CHECK(run("null.trim()", env) ==
          "error: type error at column 6: cannot call trim() on null (it needs a string); use "
          "?.trim() to skip null");
    CHECK(run("avg([])", env) == "error: value error at column 1: avg() of an empty array");
    CHECK(run("-[]", env) ==
          "error: type error at column 1: cannot apply unary '-' to array (it needs a number)");
  }

  TEST_CASE("step limit") {
    Array hundred;
    for (int i = 0; i < 100; ++i) hundred.emplace_back(i);
    const Value input(std::move(hundred));
    expr::Env env;
    env.input = &input;
    CHECK(run("sum(map(input, sum(map(input, 1))))", env) == "10000");
    CHECK(run("sum(map(input, sum(map(input, sum(map(input, 1))))))", env)
              .rfind("error: limit error at column ", 0) == 0);
    CHECK(run("sum(map(input, sum(map(input, sum(map(input, 1))))))", env)
              .find("evaluation step limit exceeded (1000000)") != std::string::npos);
    // The budget is per evaluation: a program that stays below it can run
    // any number of times.
    const auto program = expr::compile("sum(map(input, sum(map(input, 1))))", expr::Mode::Value);
    for (int i = 0; i < 30; ++i) CHECK(expr::evaluate(*program, env) == Value(10000));
  }

  TEST_CASE("value size limits") {
    const expr::Env env;
    const std::string ten = "'aaaaaaaaaa'";
    std::string grow = "''";
    for (int i = 0; i < 7; ++i) grow = "replace(" + grow + ", '', " + ten + ")";
    CHECK(run(grow, env) ==
          "error: limit error at column 1: value too large: a string of more than 10485760 bytes");
    std::string big = "replace(replace(replace(replace(replace(replace('', '', " + ten + "), '', " +
                      ten + "), '', " + ten + "), '', " + ten + "), '', " + ten + "), '', " + ten +
                      ")";
    CHECK(run("len(split(" + big + ", ''))", env) ==
          "error: limit error at column 5: value too large: an array of more than 1000000 "
          "elements");
    // A string grown by '+' is limited too.
    CHECK(run("len(" + big + " + " + big + " + " + big + " + " + big + " + " + big + " + " + big +
                  ")",
              env)
              .rfind("error: limit error", 0) == 0);
  }

  TEST_CASE("deep expressions evaluate without exhausting the stack") {
    std::string e;
    for (int i = 0; i < 255; ++i) e += "(1 + ";
    e += "1";
    e += std::string(255, ')');
    CHECK(run(e, expr::Env{}) == "256");
    // Every nesting level with the deepest chain of precedence levels.
    std::string worst;
    // The innermost level is evaluated first and yields false, which the
    // next level cannot negate: the error comes back through every level.
    for (int i = 0; i < 60; ++i) worst += "true ? (false || 1 && 1 == 1 < 1 + 1 * -[";
    worst += "1";
    for (int i = 0; i < 60; ++i) worst += "][0]) : 0";
    CHECK(run(worst, expr::Env{}).rfind("error: type error at column ", 0) == 0);
    // 2000-term chains, 1500-link member chains.
    std::string sum = "1";
    for (int i = 0; i < 1999; ++i) sum += "+1";
    CHECK(run(sum, expr::Env{}) == "2000");
    std::string members = "{}";
    for (int i = 0; i < 1500; ++i) members += ".a";
    CHECK(run(members, expr::Env{}) == "null");
  }

  TEST_CASE("programs are shared between threads") {
    const auto program =
        expr::compile("sum(map(input, item * index)) + len(variables)", expr::Mode::Value);
    const Value input = parse_json("[1, 2, 3, 4]");
    const Object variables{{"a", Value(1)}};
    std::atomic<int> wrong{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&] {
        expr::Env env;
        env.input = &input;
        env.variables = &variables;
        for (int i = 0; i < 2000; ++i) {
          if (!(expr::evaluate(*program, env) == Value(21))) ++wrong;
        }
      });
    }
    for (auto& t : threads) t.join();
    CHECK(wrong == 0);
  }

  TEST_CASE("now() is a canonical instant") {
    const std::string t = run("now()", expr::Env{});
    REQUIRE(t.size() == 26);
    CHECK(t[0] == '"');
    CHECK(t.substr(11, 1) == "T");
    CHECK(t.substr(24, 2) == "Z\"");
  }
}
