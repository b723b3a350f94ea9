// Replays tests/data/expr/*.txt: expression semantics as data, in jq's
// three-line form (jq tests/jq.test).
//
//   # a comment (only between cases)
//   EXPRESSION
//   INPUT JSON
//   EXPECTED JSON
//
// Cases are separated by blank lines. Lines starting with %% before the
// expression modify the case:
//   %%CONDITION        evaluate in condition mode (the result is true/false)
//   %%VARIABLES {...}  the workflow variables (a JSON object)
//   %%CONTEXT {...}    the context values
//   %%NODES {...}      node results by id
//   %%FAIL             the case must fail: EXPRESSION, then optionally the
//                      INPUT JSON, then the expected prefix of the message,
//                      e.g. "syntax error at column 4" or the whole message.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "thaiyyal/expr/expr.h"
#include "thaiyyal/model/value_json.h"

using namespace thaiyyal;

namespace {

struct DataCase {
  std::string file;
  int line = 0;  ///< of the expression
  bool condition = false;
  bool fail = false;
  std::string expression;
  std::string input = "null";
  std::string expected;  ///< JSON, or the message prefix of a %%FAIL case
  std::string variables = "{}";
  std::string context = "{}";
  std::string nodes = "{}";
};

bool is_message(const std::string& line) {
  for (const char* c : {"syntax", "name", "arity", "limit", "type", "math", "value"}) {
    if (line.rfind(std::string(c) + " error", 0) == 0) return true;
  }
  return false;
}

std::vector<DataCase> read_cases(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) {
    if (!l.empty() && l.back() == '\r') l.pop_back();
    lines.push_back(l);
  }
  std::vector<DataCase> cases;
  std::size_t i = 0;
  const std::string name = path.filename().string();
  auto take = [&](std::string& into, const char* what) {
    if (i >= lines.size() || lines[i].empty()) {
      FAIL(name << ":" << i + 1 << ": missing " << std::string(what));
    }
    into = lines[i++];
  };
  while (i < lines.size()) {
    if (lines[i].empty() || lines[i][0] == '#') {
      ++i;
      continue;
    }
    DataCase c;
    c.file = name;
    while (i < lines.size() && lines[i].rfind("%%", 0) == 0) {
      const std::string& d = lines[i];
      if (d == "%%CONDITION") {
        c.condition = true;
      } else if (d == "%%FAIL") {
        c.fail = true;
      } else if (d.rfind("%%VARIABLES ", 0) == 0) {
        c.variables = d.substr(12);
      } else if (d.rfind("%%CONTEXT ", 0) == 0) {
        c.context = d.substr(10);
      } else if (d.rfind("%%NODES ", 0) == 0) {
        c.nodes = d.substr(8);
      } else {
        FAIL(name << ":" << i + 1 << ": unknown directive " << d);
      }
      ++i;
    }
    c.line = static_cast<int>(i) + 1;
    take(c.expression, "expression");
    if (c.fail) {
      std::string next;
      take(next, "error message");
      if (is_message(next)) {
        c.expected = next;
      } else {
        c.input = next;
        take(c.expected, "error message");
      }
    } else {
      take(c.input, "input");
      take(c.expected, "expected value");
    }
    cases.push_back(std::move(c));
  }
  return cases;
}

class MapNodeResults final : public expr::NodeResults {
 public:
  explicit MapNodeResults(Value v) : all_(std::move(v)) {}
  const Value* find(std::string_view id) const override { return all_.find(id); }
  Value all() const override { return all_; }

 private:
  Value all_;
};

std::string canonical(const Value& v) { return to_json(v, JsonWriteOptions::canonical()); }

}  // namespace

TEST_SUITE("expr") {
  TEST_CASE("expression data files") {
    const std::filesystem::path dir = std::filesystem::path(THAIYYAL_TEST_DATA_DIR) / "expr";
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
      if (e.path().extension() == ".txt") files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    REQUIRE(!files.empty());
    std::size_t total = 0;
    for (const auto& path : files) {
      for (const DataCase& c : read_cases(path)) {
        ++total;
        INFO(c.file << ":" << c.line << ": " << c.expression);
        const Value input = parse_json(c.input);
        const Value variables = parse_json(c.variables);
        const Value context = parse_json(c.context);
        const MapNodeResults nodes(parse_json(c.nodes));
        expr::Env env;
        env.input = &input;
        env.variables = &variables.as_object();
        env.context = &context.as_object();
        env.nodes = &nodes;
        const auto mode = c.condition ? expr::Mode::Condition : expr::Mode::Value;
        std::optional<std::string> error;
        std::string got;
        try {
          got = canonical(expr::evaluate(*expr::compile(c.expression, mode), env));
        } catch (const expr::ExprError& e) {
          error = e.what();
        }
        if (c.fail) {
          if (!error) {
            FAIL_CHECK("expected an error starting with '" << c.expected << "', got " << got);
          } else {
            CHECK_MESSAGE(error->rfind(c.expected, 0) == 0,
                          "expected '" << c.expected << "', got '" << *error << "'");
          }
        } else if (error) {
          FAIL_CHECK("expected " << c.expected << ", got error: " << *error);
        } else {
          CHECK(got == canonical(parse_json(c.expected)));
        }
      }
    }
    CHECK(total > 0);
  }
}
