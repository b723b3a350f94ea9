#include "thaiyyal/diag/diagnostic.h"

#include <doctest/doctest.h>

#include "thaiyyal/diag/render.h"
#include "thaiyyal/diag/spellcheck.h"

using namespace thaiyyal::diag;

TEST_SUITE("diag") {
  TEST_CASE("line and column of offsets") {
    SourceFile f("a.json", "ab\ncd\r\nef");
    CHECK(f.line_column(0) == std::pair{1, 1});
    CHECK(f.line_column(4) == std::pair{2, 2});
    CHECK(f.line_column(7) == std::pair{3, 1});
    CHECK(f.line_column(999) == std::pair{3, 3});
    CHECK(f.line_text(2) == "cd");
    CHECK(f.line_text(9).empty());
  }

  TEST_CASE("compiler-style rendering with caret") {
    auto file = std::make_shared<SourceFile>("flow.json", "{\n  \"type\": \"htpp\"\n}\n");
    Diagnostic d;
    d.code = "unknown-kind";
    d.message = "no executor registered for type: htpp";
    d.where.file = file;
    d.where.line = 2;
    d.where.column = 11;
    d.where.length = 6;
    d.where.node_id = "fetch";
    d.where.has_node = true;
    d.where.json_path = "$.nodes[0].type";
    d.notes.push_back("did you mean 'http'?");
    CHECK(render_text(d) ==
          "flow.json:2:11: error[unknown-kind]: no executor registered for type: htpp\n"
          "  in node 'fetch' at $.nodes[0].type\n"
          "    2 |   \"type\": \"htpp\"\n"
          "      |           ^^^^^^\n"
          "  note: did you mean 'http'?\n");
    CHECK(
        render_json(d) ==
        R"({"severity":"error","code":"unknown-kind","message":"no executor registered for type: htpp","file":"flow.json","line":2,"column":11,"node_id":"fetch","path":"$.nodes[0].type","notes":["did you mean 'http'?"]})");
  }

  TEST_CASE("spellcheck suggests near names only") {
    CHECK(spellcheck("htpp", {"http", "map", "filter"}) == std::optional<std::string>("http"));
    CHECK(spellcheck("FILTER", {"http", "map", "filter"}) == std::optional<std::string>("filter"));
    CHECK_FALSE(spellcheck("zzzzzz", {"http", "map"}).has_value());
  }

  TEST_CASE("diagnostics count errors") {
    Diagnostics ds;
    ds.warning("w", "a warning");
    CHECK_FALSE(ds.has_errors());
    ds.error("e", "an error");
    CHECK(ds.error_count() == 1);
    CHECK(ds.size() == 2);
  }
}
