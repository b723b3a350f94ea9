#include "thaiyyal/diag/spellcheck.h"

#include <doctest/doctest.h>

using namespace thaiyyal::diag;

namespace {

std::string suggest(std::string_view word, const std::vector<std::string_view>& candidates) {
  return spellcheck(word, candidates).value_or("<none>");
}

}  // namespace

TEST_SUITE("diag") {
  TEST_CASE("edit distance, capped") {
    CHECK(edit_distance("", "", 3) == 0);
    CHECK(edit_distance("abc", "abc", 3) == 0);
    CHECK(edit_distance("abc", "", 3) == 3);
    CHECK(edit_distance("kitten", "sitting", 5) == 3);
    CHECK(edit_distance("htpp", "http", 3) == 1);
    CHECK(edit_distance("nubmer", "number", 3) == 2);
    // Past the cap, the answer is cap + 1 (also when the lengths alone exceed it).
    CHECK(edit_distance("kitten", "sitting", 2) == 3);
    CHECK(edit_distance("a", "abcdef", 2) == 3);
  }

  TEST_CASE("suggestions for misspelled names") {
    const std::vector<std::string_view> kinds = {"number", "text_input", "operation", "filter",
                                                 "map"};
    CHECK(suggest("nubmer", kinds) == "number");
    CHECK(suggest("numbr", kinds) == "number");
    CHECK(suggest("NUMBER", kinds) == "number");  // case-insensitive exact match first
    CHECK(suggest("text-input", kinds) == "text_input");
    CHECK(suggest("filtr", kinds) == "filter");
    CHECK(suggest("mpa", kinds) == "<none>");  // distance 2 is too far for 3 letters
    CHECK(suggest("banana", kinds) == "<none>");
    CHECK(suggest("", kinds) == "<none>");
    CHECK(suggest("x", {}) == "<none>");
  }

  TEST_CASE("no suggestion that replaces every character") {
    CHECK(suggest("x", {"a"}) == "<none>");
    CHECK(suggest("x", {"a", "b", "xy"}) == "xy");
    CHECK(suggest("1", {"2", "10"}) == "10");
    CHECK(suggest("ab", {"a"}) == "a");
  }

  TEST_CASE("the nearest candidate wins; ties keep the first") {
    CHECK(suggest("mapp", {"mop", "map"}) == "map");
    CHECK(suggest("cat", {"bat", "hat"}) == "bat");
    CHECK(suggest("cat", {"hat", "bat"}) == "hat");
  }
}
