#include "thaiyyal/model/value_json.h"

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>

using namespace thaiyyal;

namespace {

/// The error parse_json raises for `text`, as "<code>@<offset>: <message>".
std::string parse_error(std::string_view text, const JsonParseOptions& opts = {}) {
  try {
    const Value v = parse_json(text, opts);
    return "parsed: " + to_json(v);
  } catch (const JsonParseError& e) {
    return e.code() + "@" + std::to_string(e.offset()) + ": " + e.what();
  }
}

std::string roundtrip(std::string_view text) { return to_json(parse_json(text)); }

}  // namespace

TEST_SUITE("model") {
  TEST_CASE("json parser: string escapes") {
    CHECK(parse_json(R"("a\"b\\c\/d\b\f\n\r\t")").as_string() == "a\"b\\c/d\b\f\n\r\t");
    CHECK(parse_json(R"("\u0041\u00e9\u20AC")").as_string() == "A\xC3\xA9\xE2\x82\xAC");
    CHECK(parse_json(R"("\u0000")").as_string() == std::string(1, '\0'));
    CHECK(parse_error(R"("a\x")") == "json-syntax@3: invalid escape '\\x' in string");
    CHECK(parse_error(R"("\u12G4")") == "json-syntax@5: invalid hex digit in \\u escape");
    CHECK(parse_error(R"("\u12)") == "json-syntax@3: truncated \\u escape");
    CHECK(parse_error(R"("abc)") == "json-syntax@0: unterminated string");
    CHECK(parse_error(R"("abc\)") == "json-syntax@0: unterminated string");
  }

  TEST_CASE("json parser: surrogate pairs and lone surrogates") {
    // U+1F600 from a pair; lone halves become U+FFFD, and the character after a
    // lone high surrogate is kept.
    CHECK(parse_json(R"("\ud83d\ude00")").as_string() == "\xF0\x9F\x98\x80");
    CHECK(parse_json(R"("\uD83D\uDE00")").as_string() == "\xF0\x9F\x98\x80");
    CHECK(parse_json(R"("\ud83dx")").as_string() == "\xEF\xBF\xBDx");
    CHECK(parse_json(R"("\ude00")").as_string() == "\xEF\xBF\xBD");
    CHECK(parse_json(R"("\ud83d\u0041")").as_string() ==
          "\xEF\xBF\xBD"
          "A");
    CHECK(parse_json(R"("\ud83d\ud83d\ude00")").as_string() == "\xEF\xBF\xBD\xF0\x9F\x98\x80");
  }

  TEST_CASE("json parser: raw UTF-8 and invalid UTF-8") {
    CHECK(parse_json("\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\"").as_string() ==
          "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80");
    CHECK(parse_error("\"ab\xFF\"") == "json-syntax@3: invalid UTF-8 in string");
    CHECK(parse_error("\"\xC3\"") == "json-syntax@1: invalid UTF-8 in string");  // cut short
    CHECK(parse_error("\"\xC3") == "json-syntax@1: invalid UTF-8 in string");
    CHECK(parse_error("\"\xC0\x80\"") == "json-syntax@1: invalid UTF-8 in string");  // overlong
    CHECK(parse_error("\"\xED\xA0\x80\"") ==
          "json-syntax@1: invalid UTF-8 in string");  // surrogate
    CHECK(parse_error("\"\xF4\x90\x80\x80\"") == "json-syntax@1: invalid UTF-8 in string");
    CHECK(parse_error("\"\x80\"") == "json-syntax@1: invalid UTF-8 in string");
    // Outside strings a non-ASCII byte is a syntax error naming the byte.
    CHECK(parse_error("\xFF") ==
          "json-syntax@0: unexpected byte 0xFF where a JSON value was expected");
  }

  TEST_CASE("json parser: control characters must be escaped") {
    CHECK(parse_error("\"a\tb\"") ==
          "json-syntax@2: control character in string (must be escaped)");
    CHECK(parse_error("\"a\nb\"") ==
          "json-syntax@2: control character in string (must be escaped)");
    CHECK(parse_error(std::string("\"a\0b\"", 5)) ==
          "json-syntax@2: control character in string (must be escaped)");
    CHECK(parse_json("\"a\x7F\"").as_string() == "a\x7F");  // DEL is allowed raw
  }

  TEST_CASE("json parser: byte order mark and white space") {
    CHECK(roundtrip("\xEF\xBB\xBF{\"a\":1}") == R"({"a":1})");
    CHECK(roundtrip(" \t\r\n[ 1 , 2 ]\r\n ") == "[1,2]");
    // A BOM is only skipped at the very start.
    CHECK(parse_error(" \xEF\xBB\xBF{}") ==
          "json-syntax@1: unexpected byte 0xEF where a JSON value was expected");
    CHECK(parse_error("\xEF\xBB\xBF") == "json-syntax@3: unexpected end of JSON input");
    // Form feed and vertical tab are not JSON white space.
    CHECK(parse_error("\f1") ==
          "json-syntax@0: unexpected byte 0x0C where a JSON value was expected");
  }

  TEST_CASE("json parser: numbers") {
    CHECK(parse_json("0").as_number() == 0);
    CHECK(parse_json("-0").as_number() == 0);
    CHECK(std::signbit(parse_json("-0").as_number()));
    CHECK(parse_json("-12.5e+2").as_number() == -1250);
    CHECK(parse_json("1E2").as_number() == 100);
    CHECK(parse_json("0.1").as_number() == 0.1);
    CHECK(parse_json("1.7976931348623157e308").as_number() == std::numeric_limits<double>::max());
    CHECK(parse_json("9007199254740993").as_number() == 9007199254740992.0);  // rounds to even
    // Whole numbers: up to 15 digits take the exact integer path, longer ones
    // the general one; both agree at the boundary.
    CHECK(parse_json("-12").as_number() == -12);
    CHECK(parse_json("999999999999999").as_number() == 999999999999999.0);
    CHECK(parse_json("-999999999999999").as_number() == -999999999999999.0);
    CHECK(parse_json("1000000000000000").as_number() == 1e15);
    CHECK(parse_json("12345678901234567890").as_number() == 12345678901234567890.0);
    CHECK(parse_json("[1,-2,30]").as_array()[1].as_number() == -2);
    // Underflow is harmless: it becomes zero (with the sign kept) or a subnormal.
    CHECK(parse_json("1e-400").as_number() == 0);
    CHECK(std::signbit(parse_json("-1e-400").as_number()));
    CHECK(parse_json("1e-99999999999999999999").as_number() == 0);
    CHECK(parse_json("4.9e-324").as_number() == std::numeric_limits<double>::denorm_min());
    CHECK(parse_json("1e-310").as_number() == 1e-310);
    CHECK(parse_json("0." + std::string(400, '0') + "1").as_number() == 0);
    // Overflow cannot be represented (D2).
    CHECK(parse_error("1e400") == "number-out-of-range@0: number out of range: 1e400");
    CHECK(parse_error("[-1e99999999999999999999]") ==
          "number-out-of-range@1: number out of range: -1e99999999999999999999");
    // A huge mantissa with a small negative exponent is still huge.
    CHECK(parse_error("1" + std::string(400, '0') + "e-10") ==
          "number-out-of-range@0: number out of range: 1" + std::string(400, '0') + "e-10");
    CHECK(parse_json("1" + std::string(300, '0') + "e-10").as_number() == 1e290);
  }

  TEST_CASE("json parser: malformed numbers") {
    CHECK(parse_error("01") == "json-syntax@1: invalid number: leading zeros are not allowed");
    CHECK(parse_error("-01") == "json-syntax@2: invalid number: leading zeros are not allowed");
    CHECK(parse_error("1.") == "json-syntax@2: invalid number: expected digits after '.'");
    CHECK(parse_error("1.e5") == "json-syntax@2: invalid number: expected digits after '.'");
    CHECK(parse_error("1e") == "json-syntax@2: invalid number: expected digits in exponent");
    CHECK(parse_error("1e+") == "json-syntax@3: invalid number: expected digits in exponent");
    CHECK(parse_error("-") == "json-syntax@1: invalid number");
    CHECK(parse_error("-a") == "json-syntax@1: invalid number");
    CHECK(parse_error(".5") == "json-syntax@0: unexpected '.' where a JSON value was expected");
    CHECK(parse_error("+1") == "json-syntax@0: unexpected '+' where a JSON value was expected");
    CHECK(parse_error("NaN") == "json-syntax@0: unexpected 'N' where a JSON value was expected");
    CHECK(parse_error("Infinity") ==
          "json-syntax@0: unexpected 'I' where a JSON value was expected");
    CHECK(parse_error("-Infinity") == "json-syntax@1: invalid number");
    CHECK(parse_error("0x10") == "json-syntax@1: unexpected 'x' after the JSON value");
  }

  TEST_CASE("json parser: literals and structure") {
    CHECK(roundtrip("[true,false,null]") == "[true,false,null]");
    CHECK(parse_error("nul") == "json-syntax@0: invalid literal; expected 'null'");
    CHECK(parse_error("True") == "json-syntax@0: unexpected 'T' where a JSON value was expected");
    CHECK(parse_error("truex") == "json-syntax@4: unexpected 'x' after the JSON value");
    CHECK(parse_error("") == "json-syntax@0: unexpected end of JSON input");
    CHECK(parse_error("   ") == "json-syntax@3: unexpected end of JSON input");
    CHECK(parse_error("[") == "json-syntax@1: unexpected end of JSON input");
    CHECK(parse_error("[1") == "json-syntax@2: unexpected end of JSON input in array");
    CHECK(parse_error("[1 2]") == "json-syntax@3: expected ',' or ']' in array, got '2'");
    CHECK(parse_error("[1,]") == "json-syntax@3: trailing comma in array");
    CHECK(parse_error("[,1]") == "json-syntax@1: unexpected ',' where a JSON value was expected");
    CHECK(parse_error("{") == "json-syntax@1: unexpected end of JSON input in object");
    CHECK(parse_error(R"({"a":1,})") == "json-syntax@7: trailing comma in object");
    CHECK(parse_error("{a:1}") == "json-syntax@1: expected a string key in object, got 'a'");
    CHECK(parse_error(R"({"a" 1})") == "json-syntax@5: expected ':' after object key, got '1'");
    CHECK(parse_error(R"({"a")") == "json-syntax@4: unexpected end of JSON input in object");
    CHECK(parse_error(R"({"a":1 "b":2})") ==
          "json-syntax@7: expected ',' or '}' in object, got '\"'");
    CHECK(parse_error(R"({"a":1})") == "parsed: {\"a\":1}");
    CHECK(parse_error("{} {}") == "json-syntax@3: unexpected '{' after the JSON value");
    CHECK(parse_error("// c\n{}") ==
          "json-syntax@0: unexpected '/' where a JSON value was expected");
  }

  TEST_CASE("json parser: nesting limit") {
    JsonParseOptions o;
    o.max_depth = 4;
    CHECK(roundtrip("[[[[]]]]") == "[[[[]]]]");
    CHECK(to_json(parse_json("[[[[]]]]", o)) == "[[[[]]]]");
    CHECK(to_json(parse_json(R"({"a":{"b":[{}]}})", o)) == R"({"a":{"b":[{}]}})");
    CHECK(parse_error("[[[[[]]]]]", o) ==
          "nesting-too-deep@4: nesting too deep: more than 4 levels");
    CHECK(parse_error(R"({"a":{"b":[{"c":[]}]}})", o) ==
          "nesting-too-deep@16: nesting too deep: more than 4 levels");
    // The default limit is 512; 10,000 levels fail fast instead of overflowing the stack.
    CHECK(parse_error(std::string(512, '[') + std::string(512, ']')).rfind("parsed: ", 0) == 0);
    CHECK(parse_error(std::string(10000, '[') + std::string(10000, ']')) ==
          "nesting-too-deep@512: nesting too deep: more than 512 levels");
    CHECK(parse_error(std::string(10000, '{')) ==
          "json-syntax@1: expected a string key in object, got '{'");
    o.max_depth = 0;  // 0 = unlimited
    CHECK(to_json(parse_json(std::string(600, '[') + std::string(600, ']'), o)).size() == 1200);
  }

  TEST_CASE("json parser: duplicate keys") {
    CHECK(parse_error(R"({"a":1,"b":2,"a":3})") ==
          R"(duplicate-key@13: duplicate key "a" in object)");
    CHECK(parse_error(R"({"x":{"k":1,"k":2}})") ==
          R"(duplicate-key@12: duplicate key "k" in object)");
    // Keys compare after unescaping.
    CHECK(parse_error(R"({"a":1,"\u0061":2})") ==
          R"(duplicate-key@7: duplicate key "a" in object)");
    // Keys are case-sensitive.
    CHECK(roundtrip(R"({"a":1,"A":2})") == R"({"a":1,"A":2})");
    JsonParseOptions last_wins;
    last_wins.reject_duplicate_keys = false;
    CHECK(to_json(parse_json(R"({"a":1,"b":2,"a":3})", last_wins)) == R"({"a":3,"b":2})");
  }

  TEST_CASE("json parser: large objects, and containers nested in their siblings' places") {
    // 40 keys: the object passes from the small form (linear search) to the
    // indexed one while it is parsed; a duplicate is found on either side.
    std::string text = "{";
    for (int i = 0; i < 40; ++i)
      text += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":" + std::to_string(i);
    const Value big = parse_json(text + "}");
    REQUIRE(big.is_object());
    CHECK(big.as_object().size() == 40);
    CHECK(big.find("k0")->as_number() == 0);
    CHECK(big.find("k39")->as_number() == 39);
    CHECK(big.as_object().entries()[17].first == "k17");
    CHECK(parse_error(text + ",\"k3\":0}") ==
          "duplicate-key@" + std::to_string(text.size() + 1) + R"(: duplicate key "k3" in object)");
    CHECK(parse_error(text + ",\"k39\":0}") == "duplicate-key@" + std::to_string(text.size() + 1) +
                                                   R"(: duplicate key "k39" in object)");
    JsonParseOptions last_wins;
    last_wins.reject_duplicate_keys = false;
    const Value replaced = parse_json(text + ",\"k2\":\"x\",\"k30\":\"y\"}", last_wins);
    CHECK(replaced.as_object().size() == 40);
    CHECK(replaced.find("k2")->as_string() == "x");
    CHECK(replaced.find("k30")->as_string() == "y");
    // Siblings at one depth, each with children of their own: every
    // container keeps exactly its own members.
    const std::string nested =
        R"({"a":{"x":[1,[2,3],{"y":[4]}],"z":{}},"b":[{"p":1},{"q":[[],[5]]}],"c":{"d":{"e":{}}}})";
    CHECK(roundtrip(nested) == nested);
  }

  TEST_CASE("json writer: compact, indented and sorted") {
    const Value v = parse_json(R"({"b":[1,{"y":null,"x":"s"}],"a":{},"c":[],"d":true})");
    CHECK(to_json(v) == R"({"b":[1,{"y":null,"x":"s"}],"a":{},"c":[],"d":true})");
    JsonWriteOptions sorted;
    sorted.sort_keys = true;
    CHECK(to_json(v, sorted) == R"({"a":{},"b":[1,{"x":"s","y":null}],"c":[],"d":true})");
    JsonWriteOptions pretty;
    pretty.indent = 2;
    CHECK(to_json(v, pretty) == R"({
  "b": [
    1,
    {
      "y": null,
      "x": "s"
    }
  ],
  "a": {},
  "c": [],
  "d": true
})");
    pretty.sort_keys = true;
    pretty.indent = 1;
    CHECK(to_json(parse_json(R"({"b":1,"a":[2]})"), pretty) ==
          "{\n \"a\": [\n  2\n ],\n \"b\": 1\n}");
    // Sorting is byte-wise: upper case before lower case, "10" before "2".
    CHECK(to_json(parse_json(R"({"b":1,"a":2,"B":3,"2":4,"10":5})"), sorted) ==
          R"({"10":5,"2":4,"B":3,"a":2,"b":1})");
    std::string out = "x=";
    append_json(out, Value(1.5));
    CHECK(out == "x=1.5");
  }

  TEST_CASE("json writer: stop_after bounds the text written for previews") {
    std::string big = "[";
    for (int i = 0; i < 10000; ++i) big += (i ? ",{\"k\":" : "{\"k\":") + std::to_string(i) + "}";
    big += "]";
    const Value v = parse_json(big);
    JsonWriteOptions bounded;
    bounded.stop_after = 20;
    const std::string text = to_json(v, bounded);
    // Stops at the first element boundary past the budget: a prefix of the full text.
    CHECK(text.size() > 20);
    CHECK(text.size() < 40);
    CHECK(to_json(v).rfind(text, 0) == 0);
    // A value that fits is written whole.
    bounded.stop_after = 1000;
    CHECK(to_json(parse_json(R"({"a":[1,2]})"), bounded) == R"({"a":[1,2]})");
  }

  TEST_CASE("json writer: numbers and strings") {
    CHECK(to_json(Value(-0.0)) == "0");
    CHECK(to_json(Value(1e21)) == "1e+21");
    CHECK(to_json(Value(1e-7)) == "1e-7");
    CHECK(to_json(Value(123456789012.0)) == "123456789012");
    CHECK(to_json(Value("q\"b\\s/\x01\x1F\x7F")) == "\"q\\\"b\\\\s/\\u0001\\u001f\x7F\"");
    CHECK(to_json(Value("\b\f\n\r\t")) == R"("\b\f\n\r\t")");
    CHECK(to_json(Value(std::string("a\0b", 3))) == R"("a\u0000b")");
    // Invalid UTF-8 never reaches the output: each bad byte becomes U+FFFD.
    CHECK(to_json(Value("a\xFF\xC3z")) == "\"a\xEF\xBF\xBD\xEF\xBF\xBDz\"");
    CHECK(to_json(Value("\xE2\x82\xAC")) == "\"\xE2\x82\xAC\"");
  }

  TEST_CASE("json writer: non-finite numbers throw") {
    const double inf = std::numeric_limits<double>::infinity();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    CHECK_THROWS_WITH_AS(to_json(Value(inf)), "cannot encode a non-finite number as JSON",
                         JsonWriteError);
    CHECK_THROWS_AS(to_json(Value(-inf)), JsonWriteError);
    CHECK_THROWS_AS(to_json(Value(Array{Value(1), Value(nan)})), JsonWriteError);
    CHECK_THROWS_AS(to_json(Value(Object{{"a", Value(nan)}})), JsonWriteError);
  }

  TEST_CASE("json round trip of every kind") {
    const std::string text =
        R"({"n":null,"t":true,"f":false,"i":-7,"d":2.5,"s":"\u00e9\n","a":[[],{}],"o":{"k":[1]}})";
    CHECK(roundtrip(text) ==
          "{\"n\":null,\"t\":true,\"f\":false,\"i\":-7,\"d\":2.5,\"s\":\"\xC3\xA9\\n\","
          "\"a\":[[],{}],\"o\":{\"k\":[1]}}");
    CHECK(parse_json(text) == parse_json(roundtrip(text)));
  }

  TEST_CASE("json paths: format") {
    CHECK(format_json_path({}) == "$");
    CHECK(format_json_path({{"nodes", {}}, {"", 3}, {"data", {}}, {"value", {}}}) ==
          "$.nodes[3].data.value");
    CHECK(format_json_path({{"a b", {}}, {"", 0}, {"_x1", {}}, {"1x", {}}, {"", {}}}) ==
          R"($["a b"][0]._x1["1x"][""])");
    CHECK(format_json_path({{"q\"", {}}}) == R"($["q\""])");
  }

  TEST_CASE("json paths: locate values and keys") {
    const std::string text = R"({
  "workflow_id": "w",
  "nodes": [
    {"id": "a", "data": {"s": "x,]}", "v": [1, {"k": 2}]}},
    {"id": "b\"]", "data": {"v": 3}}
  ]
})";
    auto at = [&](std::vector<PathStep> steps, bool at_key = false) -> std::string {
      auto off = locate_json_path(text, steps, at_key);
      if (!off) return "<none>";
      return std::string(text.substr(*off, json_value_length(text, *off)));
    };
    CHECK(at({{"workflow_id", {}}}) == R"("w")");
    CHECK(at({{"nodes", {}}, {"", 0}, {"data", {}}, {"v", {}}}) == R"([1, {"k": 2}])");
    CHECK(at({{"nodes", {}}, {"", 0}, {"data", {}}, {"v", {}}, {"", 1}, {"k", {}}}) == "2");
    CHECK(at({{"nodes", {}}, {"", 1}, {"data", {}}}) == R"({"v": 3})");
    CHECK(at({{"nodes", {}}, {"", 1}, {"id", {}}}) == R"("b\"]")");
    CHECK(at({{"nodes", {}}, {"", 0}, {"data", {}}, {"s", {}}}) == R"("x,]}")");
    // at_key points at the key of the last step.
    auto key = locate_json_path(text, {{"nodes", {}}, {"", 1}, {"data", {}}}, true);
    REQUIRE(key.has_value());
    CHECK(text.substr(*key, 6) == R"("data")");
    // Missing paths.
    CHECK(at({{"nodes", {}}, {"", 2}}) == "<none>");
    CHECK(at({{"edges", {}}}) == "<none>");
    CHECK(at({{"nodes", {}}, {"x", {}}}) == "<none>");
    CHECK(at({}) == text);
    // A BOM before the document is skipped.
    CHECK(locate_json_path("\xEF\xBB\xBF{\"a\": 1}", {{"a", {}}}) == std::optional<std::size_t>(9));
    // Malformed text does not crash the locator.
    CHECK_FALSE(locate_json_path(R"({"a": [1, 2)", {{"a", {}}, {"", 5}}).has_value());
    CHECK_FALSE(locate_json_path(R"({"a)", {{"a", {}}}).has_value());
    CHECK_FALSE(locate_json_path("", {{"a", {}}}).has_value());
  }

  TEST_CASE("json paths: array element offsets and value lengths") {
    const std::string text = R"([1, "a,b", {"k": [2]}, [] ])";
    const auto offs = json_array_element_offsets(text, 0);
    REQUIRE(offs.size() == 4);
    CHECK(text.substr(offs[0], json_value_length(text, offs[0])) == "1");
    CHECK(text.substr(offs[1], json_value_length(text, offs[1])) == R"("a,b")");
    CHECK(text.substr(offs[2], json_value_length(text, offs[2])) == R"({"k": [2]})");
    CHECK(text.substr(offs[3], json_value_length(text, offs[3])) == "[]");
    CHECK(json_array_element_offsets("[]", 0).empty());
    CHECK(json_array_element_offsets("{}", 0).empty());
    CHECK(json_array_element_offsets("[1, 2", 0).size() == 2);
    CHECK(json_value_length("[1, 2", 0) == 0);
    CHECK(json_value_length("", 0) == 0);
  }
}
