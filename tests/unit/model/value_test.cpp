#include "thaiyyal/model/value.h"

#include <doctest/doctest.h>

#include "thaiyyal/model/value_json.h"

using namespace thaiyyal;

TEST_SUITE("model") {
  TEST_CASE("numbers print as JavaScript's String(n)") {
    CHECK(number_to_string(1000000) == "1000000");
    CHECK(number_to_string(0.1) == "0.1");
    CHECK(number_to_string(1e-7) == "1e-7");
    CHECK(number_to_string(1e21) == "1e+21");
    CHECK(number_to_string(1e20) == "100000000000000000000");
    CHECK(number_to_string(123456789.5) == "123456789.5");
    CHECK(number_to_string(-0.0) == "0");
    CHECK(number_to_string(0.000001) == "0.000001");
    CHECK(number_to_string(-1.5e-10) == "-1.5e-10");
    CHECK(number_to_string(0.1 + 0.2) == "0.30000000000000004");
  }

  TEST_CASE("json round trip keeps insertion order") {
    const std::string text = R"({"b":1,"a":[true,null,"x\n"],"c":{"d":-2.5}})";
    CHECK(to_json(parse_json(text)) == text);
    JsonWriteOptions sorted;
    sorted.sort_keys = true;
    CHECK(to_json(parse_json(text), sorted) == R"({"a":[true,null,"x\n"],"b":1,"c":{"d":-2.5}})");
  }

  TEST_CASE("json errors carry offsets and codes") {
    auto fails = [](std::string_view text, std::string_view code, std::size_t offset) {
      try {
        parse_json(text);
        FAIL("parsed: " << text);
      } catch (const JsonParseError& e) {
        CHECK(e.code() == code);
        CHECK(e.offset() == offset);
      }
    };
    fails(R"({"a":1,"a":2})", "duplicate-key", 7);
    fails("[1,]", "json-syntax", 3);
    fails("1e400", "number-out-of-range", 0);
    fails("[1] x", "json-syntax", 4);
    fails("", "json-syntax", 0);
    fails(std::string(1000, '['), "nesting-too-deep", 512);
  }

  TEST_CASE("locate a path in JSON text") {
    const std::string text =
        "{\"nodes\": [\n {\"id\": \"a\"},\n {\"id\": \"b\", \"data\": {\"v\": 1}}]}";
    std::vector<PathStep> p{{"nodes", {}}, {"", 1}, {"data", {}}, {"v", {}}};
    auto off = locate_json_path(text, p);
    REQUIRE(off.has_value());
    CHECK(text.substr(*off, 1) == "1");
    CHECK(format_json_path(p) == "$.nodes[1].data.v");
  }

  TEST_CASE("objects index large key sets") {
    Object o;
    for (int i = 0; i < 100; ++i) o.set("k" + std::to_string(i), Value(i));
    CHECK(o.size() == 100);
    REQUIRE(o.find("k77") != nullptr);
    CHECK(o.find("k77")->as_number() == 77);
    o.set("k77", Value("x"));
    CHECK(o.find("k77")->as_string() == "x");
    CHECK(o.erase("k3"));
    CHECK(o.find("k3") == nullptr);
    CHECK(o.find("k99")->as_number() == 99);
  }

  TEST_CASE("truthiness and depth") {
    CHECK_FALSE(truthy(Value()));
    CHECK_FALSE(truthy(Value(0)));
    CHECK_FALSE(truthy(Value("")));
    CHECK(truthy(Value(Array{})));
    CHECK(nesting_depth(Value(1)) == 1);
    CHECK(nesting_depth(parse_json(R"({"a":1})")) == 2);
    CHECK(nesting_depth(parse_json("[[1]]")) == 3);
    CHECK(nesting_depth(parse_json("{}")) == 0);
  }
}
