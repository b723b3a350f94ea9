// Lexer and parser: the syntax tree of each construct as dump() renders it,
// and the errors of the front end with their columns.
#include <doctest/doctest.h>

#include <string>

#include "thaiyyal/expr/expr.h"

using namespace thaiyyal;

namespace {

std::string tree(std::string_view text, expr::Mode mode = expr::Mode::Value) {
  return expr::dump(*expr::compile(text, mode));
}

std::string error_of(std::string_view text, expr::Mode mode = expr::Mode::Value) {
  try {
    expr::compile(text, mode);
  } catch (const expr::ExprError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_SUITE("expr") {
  TEST_CASE("dump: literals") {
    CHECK(tree("42") == "42");
    CHECK(tree("1e21") == "1e+21");
    CHECK(tree(".5") == "0.5");
    CHECK(tree("'a\\nb'") == R"("a\nb")");
    CHECK(tree("\"q\\\"\"") == R"("q\"")");
    CHECK(tree("true") == "true");
    CHECK(tree("null") == "null");
    CHECK(tree("[1, 'a', [],]") == R"((array 1 "a" (array)))");
    CHECK(tree("{a: 1, 'b c': [2], null: x}") ==
          R"((object ("a" 1) ("b c" (array 2)) ("null" (name x))))");
  }

  TEST_CASE("dump: roots and bare names") {
    CHECK(tree("input") == "input");
    CHECK(tree("item") == "item");
    CHECK(tree("index + items + accumulator") == "(+ (+ index items) accumulator)");
    CHECK(tree("variables") == "variables");
    CHECK(tree("context") == "context");
    CHECK(tree("node") == "node");
    CHECK(tree("age") == "(name age)");
    CHECK(tree("$a + _b") == "(+ (name $a) (name _b))");
    CHECK(tree("TRUE") == "(name TRUE)");
  }

  TEST_CASE("dump: precedence and associativity") {
    CHECK(tree("1 + 2 * 3") == "(+ 1 (* 2 3))");
    CHECK(tree("(1 + 2) * 3") == "(* (+ 1 2) 3)");
    CHECK(tree("1 - 2 - 3") == "(- (- 1 2) 3)");
    CHECK(tree("8 / 4 % 3 * 2") == "(* (% (/ 8 4) 3) 2)");
    CHECK(tree("-2 * 3") == "(* (- 2) 3)");
    CHECK(tree("--5") == "(- (- 5))");
    CHECK(tree("+'3' + 1") == R"((+ (+ "3") 1))");
    CHECK(tree("!a == b") == "(== (! (name a)) (name b))");
    CHECK(tree("1 < 2 == 3 > 4") == "(== (< 1 2) (> 3 4))");
    CHECK(tree("3 > 2 > 1") == "(> (> 3 2) 1)");
    CHECK(tree("1 == 1 === 1 != 1 !== 1") == "(!== (!= (=== (== 1 1) 1) 1) 1)");
    CHECK(tree("a <= b >= c") == "(>= (<= (name a) (name b)) (name c))");
    CHECK(tree("a && b || c && d") == "(|| (&& (name a) (name b)) (&& (name c) (name d)))");
    CHECK(tree("a || b || c") == "(|| (|| (name a) (name b)) (name c))");
    CHECK(tree("a ?? b ?? c") == "(?? (?? (name a) (name b)) (name c))");
    CHECK(tree("x ?? 1 == 1") == "(?? (name x) (== 1 1))");
    CHECK(tree("a ? b : c ? d : e") == "(? (name a) (name b) (? (name c) (name d) (name e)))");
    CHECK(tree("a ? b ? c : d : e") == "(? (name a) (? (name b) (name c) (name d)) (name e))");
    CHECK(tree("a || b ? 1 : 2") == "(? (|| (name a) (name b)) 1 2)");
    CHECK(tree("1 + 2 > 3 && 4 ? 5 : 6") == "(? (&& (> (+ 1 2) 3) 4) 5 6)");
  }

  TEST_CASE("dump: chains") {
    CHECK(tree("input.a.b") == "(. (. input a) b)");
    CHECK(tree("input.null.true") == "(. (. input null) true)");
    CHECK(tree("input[0][-1]") == "([] ([] input 0) (- 1))");
    CHECK(tree("input?.a?.[k]") == "(?.[] (?. input a) (name k))");
    CHECK(tree("input.name?.toUpperCase()") == "(?.toUpperCase() (. input name))");
    CHECK(tree("s.replace('a', 'b').split(',')[1].length") ==
          R"((. ([] (.split() (.replace() (name s) "a" "b") ",") 1) length))");
    CHECK(tree("(input?.a).b") == "(. (?. input a) b)");
    CHECK(tree("{a: 1}.a") == R"((. (object ("a" 1)) a))");
    CHECK(tree("[1][0]") == "([] (array 1) 0)");
    CHECK(tree("'abc'.length") == R"((. "abc" length))");
    CHECK(tree("a?.5:1") == "(? (name a) 0.5 1)");
  }

  TEST_CASE("dump: node ids after node.") {
    CHECK(tree("node.my-node.value") == "(. (. node my-node) value)");
    CHECK(tree("node.1.value") == "(. (. node 1) value)");
    CHECK(tree("node.3f2a-b7c1") == "(. node 3f2a-b7c1)");
    CHECK(tree("node.a--1") == "(- (. node a) (- 1))");
    CHECK(error_of("node.a-") == "syntax error at column 8: unexpected end of expression");
    CHECK(tree("node.a.b-c") == "(- (. (. node a) b) (name c))");
    CHECK(tree("node.a.value-node.b.value") == "(- (. (. node a) value) (. (. node b) value))");
    CHECK(tree("input.node.a-b") == "(- (. (. input node) a) (name b))");
    CHECK(tree("input.price-5") == "(- (. input price) 5)");
    CHECK(tree("node['x y']") == R"(([] node "x y"))");
    CHECK(tree("node . a-b") == "(- (. node a) (name b))");
  }

  TEST_CASE("dump: calls and methods") {
    CHECK(tree("max(1, 2,)") == "(call max 1 2)");
    CHECK(tree("pow (2, 3)") == "(call pow 2 3)");
    CHECK(tree("now()") == "(call now)");
    CHECK(tree("map(input, item * 2)") == "(call map input (* item 2))");
    CHECK(tree("[1].concat()") == "(.concat() (array 1))");
    CHECK(tree("sort(x)[0]") == "([] (call sort (name x)) 0)");
  }

  TEST_CASE("dump: shorthand in condition mode") {
    const auto cond = expr::Mode::Condition;
    CHECK(tree(">100", cond) == "(> subject 100)");
    CHECK(tree(">100 && <200", cond) == "(&& (> subject 100) (< subject 200))");
    CHECK(tree("== 'a' || != null", cond) == R"((|| (== subject "a") (!= subject null)))");
    CHECK(tree("> 2 * 5", cond) == "(> subject (* 2 5))");
    CHECK(tree("(>1 && <5) || === 10", cond) ==
          "(|| (&& (> subject 1) (< subject 5)) (=== subject 10))");
    CHECK(tree("input > 1", cond) == "(> input 1)");
    CHECK(tree("a ? > 1 : <= 2", cond) == "(? (name a) (> subject 1) (<= subject 2))");
  }

  TEST_CASE("blanks: space, tab, line feed and carriage return") {
    CHECK(tree("1 +\n\t2\r\n") == "(+ 1 2)");
    CHECK(tree("\r\n  input\n.\na") == "(. input a)");
    CHECK(error_of("1 +\n\t#") == "syntax error at column 6: unexpected character '#'");
    CHECK(error_of("1\xC2\xA0+ 2") == "syntax error at column 2: unexpected character U+00A0");
    CHECK(error_of("1 \xE3\x80\x80") == "syntax error at column 3: unexpected character U+3000");
  }

  TEST_CASE("empty and blank expressions") {
    CHECK(error_of("") == "syntax error at column 1: empty expression");
    CHECK(error_of("   ") == "syntax error at column 1: empty expression");
    CHECK(error_of("\n\t") == "syntax error at column 1: empty expression");
  }

  TEST_CASE("strings: escapes and line breaks") {
    CHECK(error_of("'a\nb'") == "syntax error at column 1: unterminated string");
    CHECK(error_of("x + 'a\rb'") == "syntax error at column 5: unterminated string");
    CHECK(error_of("'a\\") == "syntax error at column 1: unterminated string");
    CHECK(error_of("'\\x41'") == "syntax error at column 2: invalid escape '\\x'");
    CHECK(error_of("'\\u12'") ==
          "syntax error at column 2: invalid escape: \\u needs four hex digits");
    CHECK(error_of("'\\ud83d'") == "syntax error at column 2: invalid escape: lone surrogate");
    CHECK(error_of("'\\ude00'") == "syntax error at column 2: invalid escape: lone surrogate");
    CHECK(error_of("'ok\xff'") == "syntax error at column 4: invalid UTF-8 in string");
    CHECK(error_of("\xff") == "syntax error at column 1: invalid UTF-8 (byte 0xFF)");
    CHECK(tree("'\\u00e9\\ud83d\\ude00'") == "\"\xC3\xA9\xF0\x9F\x98\x80\"");
  }

  TEST_CASE("numbers") {
    CHECK(error_of("1e400") == "syntax error at column 1: number out of range");
    CHECK(error_of("x + 1.5e309") == "syntax error at column 5: number out of range");
    CHECK(tree("1e-400") == "0");
    CHECK(tree("0.0000000000000000000000000000001e-300") == "0");
    CHECK(tree("00012.50") == "12.5");
    CHECK(error_of("10abc") ==
          "syntax error at column 1: a number cannot be directly followed by a name or digit");
    CHECK(error_of("1.e5").rfind("syntax error at column 1: ", 0) == 0);
    CHECK(error_of("5.") ==
          "syntax error at column 3: expected a property name after '.' but found end of "
          "expression");
    CHECK(error_of("1.2.3") == "syntax error at column 4: unexpected number 0.3");
  }

  TEST_CASE("syntax errors name what was found") {
    CHECK(error_of("1 +") == "syntax error at column 4: unexpected end of expression");
    CHECK(error_of("(1 + 2") ==
          "syntax error at column 7: expected ')' but found end of expression");
    CHECK(error_of("'it's'") == "syntax error at column 5: unexpected name 's'");
    CHECK(error_of("true ? 1") ==
          "syntax error at column 9: expected ':' but found end of expression");
    CHECK(error_of("{a 1}") ==
          "syntax error at column 4: expected ':' after the property name but found number 1");
    CHECK(error_of("a = 1") ==
          "syntax error at column 3: unexpected '='; there is no assignment, use == to compare");
    CHECK(error_of(">5") ==
          "syntax error at column 1: unexpected '>': a comparison needs a left operand (the "
          "shorthand form is allowed only in conditions)");
    CHECK(error_of("f(>5)", expr::Mode::Condition) ==
          "syntax error at column 3: unexpected '>': the comparison shorthand is not allowed "
          "inside argument lists, literals or index brackets");
    CHECK(error_of("a || b ?? c") ==
          "syntax error at column 8: unexpected '\?\?': '\?\?' cannot be mixed with '||' or '&&' "
          "without parentheses");
  }

  TEST_CASE("syntax errors win over name errors; the leftmost name error wins") {
    CHECK(error_of("foo(1) +") == "syntax error at column 9: unexpected end of expression");
    CHECK(error_of("pow(1) + foo(1)") ==
          "arity error at column 1: pow() expects 2 arguments, got 1");
    CHECK(error_of("x.nope(foo())") == "name error at column 3: unknown method 'nope'");
    CHECK(error_of("bar(foo())") == "name error at column 1: unknown function 'bar'");
    CHECK(error_of("[1].sort()") ==
          "name error at column 5: unknown method 'sort' (sort is a function: write "
          "sort(value, ...))");
  }

  TEST_CASE("nesting limit") {
    const std::string ok = std::string(256, '(') + "1" + std::string(256, ')');
    CHECK(tree(ok) == "1");
    const std::string deep = std::string(257, '(') + "1" + std::string(257, ')');
    CHECK(error_of(deep) == "limit error at column 257: expression nested too deeply (max 256)");
    // Unbalanced deep input fails at the limit, never by exhausting the stack.
    CHECK(error_of(std::string(5000, '[')) ==
          "limit error at column 257: expression nested too deeply (max 256)");
    CHECK(error_of(std::string(9000, '!')) ==
          "limit error at column 257: expression nested too deeply (max 256)");
    std::string mixed;
    for (int i = 0; i < 300; ++i) mixed += "f(-[{a: (";
    CHECK(error_of(mixed).rfind("limit error at column ", 0) == 0);
  }

  TEST_CASE("length limit counts bytes") {
    CHECK(error_of(std::string(10001, ' ')) ==
          "limit error at column 1: expression longer than 10000 bytes");
    CHECK(error_of(std::string(10000, ' ')) == "syntax error at column 1: empty expression");
  }

  TEST_CASE("columns count code points") {
    CHECK(error_of("'日本' + #") == "syntax error at column 8: unexpected character '#'");
    CHECK(error_of("'😀' + 'x' *") == "syntax error at column 12: unexpected end of expression");
    CHECK(error_of("'é' + ") == "syntax error at column 7: unexpected end of expression");
  }
}
