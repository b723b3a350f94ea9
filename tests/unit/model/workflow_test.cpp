#include "thaiyyal/model/workflow.h"

#include <doctest/doctest.h>

#include <memory>

using namespace thaiyyal;

namespace {

/// Locates every path at one fixed file position, as a minimal locator.
class FixedLocator final : public SourceLocator {
 public:
  explicit FixedLocator(diag::Location loc) : loc_(std::move(loc)) {}
  diag::Location locate(const std::vector<PathStep>&, bool) const override { return loc_; }

 private:
  diag::Location loc_;
};

Workflow with_value_at(std::string text, int column) {
  Workflow wf;
  wf.source = std::make_shared<diag::SourceFile>("flow.json", std::move(text));
  diag::Location loc;
  loc.file = wf.source;
  loc.line = 1;
  loc.column = column;
  loc.length = 1;
  wf.locator = std::make_shared<FixedLocator>(loc);
  NodeSpec n;
  n.id = "e";
  wf.nodes.push_back(n);
  return wf;
}

}  // namespace

TEST_SUITE("model") {
  TEST_CASE("workflow: a position inside a string without a source") {
    Workflow wf;
    NodeSpec n;
    n.id = "e";
    const auto loc = wf.location_in_string(node_data_path(0, "expression"), 4, 1, &n);
    CHECK(loc.line == 0);
    CHECK(loc.file == nullptr);
    CHECK(loc.json_path == "$.nodes[0].data.expression");
    CHECK(loc.has_node);
    CHECK(loc.node_id == "e");
  }

  TEST_CASE("workflow: the default string position counts from after the opening quote") {
    // A locator that knows only where values start: the offset is added to
    // the column, past an opening quote when there is one.
    auto wf = with_value_at(R"({"expression": "a + * 2"})", 16);
    auto loc = wf.location_in_string(node_data_path(0, "expression"), 4, 1, &wf.nodes[0]);
    CHECK(loc.line == 1);
    CHECK(loc.column == 21);
    CHECK(loc.length == 1);
    CHECK(loc.json_path == "$.nodes[0].data.expression");
    CHECK(loc.node_id == "e");
    wf = with_value_at("expression: a + * 2", 13);
    loc = wf.location_in_string(node_data_path(0, "expression"), 4, 3, &wf.nodes[0]);
    CHECK(loc.column == 17);
    CHECK(loc.length == 3);
  }
}
