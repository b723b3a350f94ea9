#include "thaiyyal/diag/render.h"

#include <doctest/doctest.h>

#include <string>

using namespace thaiyyal::diag;

namespace {

/// An error at line:column (1-based) of `text`, `length` bytes long.
Diagnostic at(std::string text, int line, int column, int length, std::string message = "bad") {
  Diagnostic d;
  d.code = "c";
  d.message = std::move(message);
  d.where.file = std::make_shared<SourceFile>("f.json", std::move(text));
  d.where.line = line;
  d.where.column = column;
  d.where.length = length;
  return d;
}

}  // namespace

TEST_SUITE("diag") {
  TEST_CASE("render: prefix without file, line or column") {
    Diagnostic d;
    d.message = "no location";
    CHECK(render_text(d) == "error[error]: no location\n");
    d.code = "io";
    d.severity = Severity::Warning;
    d.where.file = std::make_shared<SourceFile>("x.yaml", "a: 1\n");
    CHECK(render_text(d) == "x.yaml: warning[io]: no location\n");
    d.where.line = 1;
    d.severity = Severity::Info;
    CHECK(render_text(d) ==
          "x.yaml:1: info[io]: no location\n"
          "    1 | a: 1\n");
    d.where.json_path = "$.a";
    CHECK(render_text(d) ==
          "x.yaml:1: info[io]: no location\n"
          "  at $.a\n"
          "    1 | a: 1\n");
    RenderOptions no_source;
    no_source.show_source = false;
    CHECK(render_text(d, no_source) == "x.yaml:1: info[io]: no location\n  at $.a\n");
  }

  TEST_CASE("render: carets under the span") {
    CHECK(render_text(at("{\"a\": 12}", 1, 7, 2)) ==
          "f.json:1:7: error[c]: bad\n"
          "    1 | {\"a\": 12}\n"
          "      |       ^^\n");
    // A zero length still shows one caret; a column past the end points after it.
    CHECK(render_text(at("abc", 1, 2, 0)) ==
          "f.json:1:2: error[c]: bad\n"
          "    1 | abc\n"
          "      |  ^\n");
    CHECK(render_text(at("abc", 1, 4, 1)) ==
          "f.json:1:4: error[c]: bad\n"
          "    1 | abc\n"
          "      |    ^\n");
    // Spans stop at the end of the line.
    CHECK(render_text(at("ab\ncd", 1, 2, 40)) ==
          "f.json:1:2: error[c]: bad\n"
          "    1 | ab\n"
          "      |  ^\n");
    // Wide line numbers widen the gutter.
    std::string many(123456, '\n');
    many += "x";
    CHECK(render_text(at(many, 123457, 1, 1)) ==
          "f.json:123457:1: error[c]: bad\n"
          "123457 | x\n"
          "       | ^\n");
  }

  TEST_CASE("render: carets count characters, not bytes") {
    // "é" and "€" are 2 and 3 bytes, one column each.
    CHECK(render_text(at("{\"\xC3\xA9\xE2\x82\xAC\": tru}", 1, 11, 3)) ==
          "f.json:1:11: error[c]: bad\n"
          "    1 | {\"\xC3\xA9\xE2\x82\xAC\": tru}\n"
          "      |        ^^^\n");
    CHECK(render_text(at("x: \"\xC3\xA9\xC3\xA9\"", 1, 4, 6)) ==
          "f.json:1:4: error[c]: bad\n"
          "    1 | x: \"\xC3\xA9\xC3\xA9\"\n"
          "      |    ^^^^\n");
  }

  TEST_CASE("render: tabs, control characters and invalid UTF-8 in the source line") {
    CHECK(render_text(at("\tk: v", 1, 2, 1)) ==
          "f.json:1:2: error[c]: bad\n"
          "    1 |  k: v\n"
          "      |  ^\n");
    CHECK(render_text(at("a\x1B[2Jb\xFFz", 1, 7, 1)) ==
          "f.json:1:7: error[c]: bad\n"
          "    1 | a\xEF\xBF\xBD[2Jb\xEF\xBF\xBDz\n"
          "      |       ^\n");
    // CRLF line ends are not shown.
    CHECK(render_text(at("ab\r\ncd\r\n", 2, 1, 2)) ==
          "f.json:2:1: error[c]: bad\n"
          "    2 | cd\n"
          "      | ^^\n");
  }

  TEST_CASE("render: a byte order mark is not shown") {
    CHECK(render_text(at("\xEF\xBB\xBF{\"a\": x}", 1, 10, 1)) ==
          "f.json:1:10: error[c]: bad\n"
          "    1 | {\"a\": x}\n"
          "      |       ^\n");
    CHECK(render_text(at("\xEF\xBB\xBF\nx", 2, 1, 1)) ==
          "f.json:2:1: error[c]: bad\n"
          "    2 | x\n"
          "      | ^\n");
  }

  TEST_CASE("render: long lines show a window around the column") {
    const std::string line = std::string(200, 'a') + "XY" + std::string(200, 'b');
    CHECK(render_text(at(line, 1, 201, 2)) ==
          "f.json:1:201: error[c]: bad\n"
          "    1 | ..." +
              std::string(50, 'a') + "XY" + std::string(48, 'b') +
              "...\n"
              "      |    " +
              std::string(50, ' ') + "^^\n");
    // Near the start there is no leading ellipsis.
    CHECK(render_text(at(line, 1, 3, 1)) ==
          "f.json:1:3: error[c]: bad\n"
          "    1 | " +
              std::string(100, 'a') +
              "...\n"
              "      |   ^\n");
    // A window edge inside a multi-byte character moves to a character boundary.
    std::string wide;
    for (int i = 0; i < 100; ++i) wide += "\xC3\xA9";  // 200 bytes, 100 characters
    wide += "!";
    const std::string out = render_text(at(wide, 1, 201, 1));
    CHECK(out ==
          "f.json:1:201: error[c]: bad\n"
          "    1 | ..." +
              [] {
                std::string s;
                for (int i = 0; i < 25; ++i) s += "\xC3\xA9";
                return s;
              }() +
              "!\n"
              "      |    " +
              std::string(25, ' ') + "^\n");
  }

  TEST_CASE("render: user text in messages cannot drive the terminal") {
    Diagnostic d;
    d.code = "duplicate-id";
    d.message = "duplicate node id: a\x1B[2J\nb\t\x7F\xFF";
    d.where.has_node = true;
    d.where.node_id = "a\x1B[2J\nb";
    d.where.json_path = "$.nodes[1]";
    d.notes.push_back("first\rsecond");
    CHECK(render_text(d) ==
          "error[duplicate-id]: duplicate node id: a\\x1B[2J\\nb\\t\\x7F\xEF\xBF\xBD\n"
          "  in node 'a\\x1B[2J\\nb' at $.nodes[1]\n"
          "  note: first\\rsecond\n");
    // Valid UTF-8 is kept as is.
    d.message = "caf\xC3\xA9 \xF0\x9F\x98\x80";
    d.where = {};
    d.notes.clear();
    CHECK(render_text(d) == "error[duplicate-id]: caf\xC3\xA9 \xF0\x9F\x98\x80\n");
    // The file name is shown the same way.
    Diagnostic f = at("x", 1, 1, 1);
    f.where.file = std::make_shared<SourceFile>("a\nb.json", "x");
    CHECK(render_text(f) ==
          "a\\nb.json:1:1: error[c]: bad\n"
          "    1 | x\n"
          "      | ^\n");
  }

  TEST_CASE("render: colours only when asked") {
    RenderOptions color;
    color.color = true;
    CHECK(render_text(at("ab", 1, 2, 1), color) ==
          "\x1b[1mf.json:1:2: \x1b[0m\x1b[1;31merror[c]\x1b[0m: \x1b[1mbad\x1b[0m\n"
          "    1 | ab\n"
          "      |  \x1b[1;32m^\x1b[0m\n");
    Diagnostic w;
    w.severity = Severity::Warning;
    w.code = "w";
    w.message = "m";
    CHECK(render_text(w, color) == "\x1b[1m\x1b[0m\x1b[1;33mwarning[w]\x1b[0m: \x1b[1mm\x1b[0m\n");
  }

  TEST_CASE("render_json: every field, and only known positions") {
    Diagnostic d = at("{}", 1, 2, 1, "say \"hi\"\n");
    d.severity = Severity::Warning;
    d.where.json_path = "$.a";
    CHECK(
        render_json(d) ==
        R"({"severity":"warning","code":"c","message":"say \"hi\"\n","file":"f.json","line":1,"column":2,"path":"$.a"})");
    Diagnostic bare;
    bare.message = "m";
    CHECK(render_json(bare) == R"({"severity":"error","code":"","message":"m"})");
    bare.where.has_node = true;  // an empty node id is still a node id
    bare.notes = {"n1", "n\xFF"};
    CHECK(render_json(bare) ==
          "{\"severity\":\"error\",\"code\":\"\",\"message\":\"m\",\"node_id\":\"\",\"notes\":["
          "\"n1\",\"n\xEF\xBF\xBD\"]}");
    Diagnostic file_only;
    file_only.where.file = std::make_shared<SourceFile>("<stdin>", "");
    CHECK(render_json(file_only) ==
          R"({"severity":"error","code":"","message":"","file":"<stdin>"})");
  }

  TEST_CASE("utf8_sequence_length accepts exactly well-formed UTF-8") {
    auto len = [](std::string_view s) { return utf8_sequence_length(s, 0); };
    CHECK(len("a") == 1);
    CHECK(len(std::string_view("\0", 1)) == 1);
    CHECK(len("\xC3\xA9") == 2);
    CHECK(len("\xE2\x82\xAC") == 3);
    CHECK(len("\xF0\x9F\x98\x80") == 4);
    CHECK(len("\xF4\x8F\xBF\xBF") == 4);  // U+10FFFF
    CHECK(len("\xF4\x90\x80\x80") == 0);  // past U+10FFFF
    CHECK(len("\xC0\xAF") == 0);          // overlong
    CHECK(len("\xE0\x80\xAF") == 0);      // overlong
    CHECK(len("\xED\xA0\x80") == 0);      // surrogate
    CHECK(len("\x80") == 0);              // lone continuation
    CHECK(len("\xC3") == 0);              // cut short
    CHECK(len("\xC3z") == 0);
    CHECK(len("\xFF") == 0);
    CHECK(len("\xF8\x88\x80\x80\x80") == 0);  // 5-byte form
  }

  TEST_CASE("append_json_string escapes and repairs") {
    std::string out;
    append_json_string(out, std::string("\"\\/\b\f\n\r\t\x01\x1F\x7F\0", 12));
    // DEL is written as is, as Go's encoder does.
    CHECK(out == "\"\\\"\\\\/\\b\\f\\n\\r\\t\\u0001\\u001f\x7F\\u0000\"");
    out.clear();
    append_json_string(out, "\xE2\x82\xAC\xE2\x82");
    CHECK(out == "\"\xE2\x82\xAC\xEF\xBF\xBD\xEF\xBF\xBD\"");
  }
}
