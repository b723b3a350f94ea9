// expr::reads: the roots an expression reads and the member it reads first.
#include "thaiyyal/expr/reads.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "thaiyyal/expr/expr.h"

using namespace thaiyyal;
using expr::detail::RootKind;

namespace {

/// "root.member@column" per read ("root.*" when any member may be read),
/// joined with spaces.
std::string reads_of(const std::string& text, expr::Mode mode = expr::Mode::Value) {
  auto program = expr::compile(text, mode);
  std::string out;
  for (const auto& r : expr::reads(*program)) {
    std::string root;
    switch (r.root) {
      case RootKind::Input:
        root = "input";
        break;
      case RootKind::Item:
        root = "item";
        break;
      case RootKind::Index:
        root = "index";
        break;
      case RootKind::Items:
        root = "items";
        break;
      case RootKind::Accumulator:
        root = "accumulator";
        break;
      case RootKind::Variables:
        root = "variables";
        break;
      case RootKind::Context:
        root = "context";
        break;
      case RootKind::Node:
        root = "node";
        break;
    }
    if (!out.empty()) out += ' ';
    out += root + "." + (r.member ? *r.member : "*") + "@" + std::to_string(r.column);
  }
  return out;
}

}  // namespace

TEST_SUITE("expr") {
  TEST_CASE("reads: literal members, in source order, with the root's column") {
    CHECK(reads_of("context.region == 'eu' && input.age > variables['limit']") ==
          "context.region@1 input.age@27 variables.limit@39");
    CHECK(reads_of("context?.a.b + context[1]") == "context.a@1 context.1@16");
    CHECK(reads_of("node.fetch.body") == "node.fetch@1");
  }

  TEST_CASE("reads: whole roots and computed keys have no member") {
    CHECK(reads_of("len(context) + context[input.k]") == "context.*@5 context.*@16 input.k@24");
    CHECK(reads_of("input") == "input.*@1");
    CHECK(reads_of("filter(input.xs, item.on)") == "input.xs@8 item.on@18");
  }

  TEST_CASE("reads: everywhere in the tree; bare names are not roots") {
    CHECK(reads_of("[{a: context.x}, cond ? input.y : -context['z'], age]") ==
          "context.x@6 input.y@25 context.z@36");
    CHECK(reads_of("upper(input.name).length > 3 ? 'a' : 'b'") == "input.name@7");
    // Condition-mode shorthand compares the input as a whole.
    CHECK(reads_of("> context.min", expr::Mode::Condition) == "input.*@1 context.min@3");
  }
}
