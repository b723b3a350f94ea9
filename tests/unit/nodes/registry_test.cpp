// The kind table (STYLE §6): names unique and sorted, summaries present, and
// every example validates as a one-node workflow.
#include <doctest/doctest.h>

#include <set>
#include <string>
#include <string_view>

#include "node_test_util.h"
#include "thaiyyal/nodes/node_kind.h"

using namespace thaiyyal::nodes;
using namespace thaiyyal::nodes::testing;

namespace {

/// Spec 01 §1.6: the 52 executable type strings.
constexpr std::string_view kExecutable[] = {
    "number",
    "text_input",
    "boolean_input",
    "date_input",
    "datetime_input",
    "visualization",
    "operation",
    "text_operation",
    "http",
    "expression",
    "condition",
    "for_each",
    "while_loop",
    "filter",
    "map",
    "reduce",
    "slice",
    "sort",
    "find",
    "flat_map",
    "group_by",
    "unique",
    "chunk",
    "reverse",
    "partition",
    "zip",
    "sample",
    "range",
    "compact",
    "transpose",
    "variable",
    "extract",
    "transform",
    "accumulator",
    "counter",
    "parse",
    "format",
    "switch",
    "parallel",
    "join",
    "split",
    "delay",
    "cache",
    "retry",
    "try_catch",
    "timeout",
    "rate_limiter",
    "throttle",
    "schema_validator",
    "context_variable",
    "context_constant",
    "renderer",
};

}  // namespace

TEST_SUITE("nodes") {
  TEST_CASE("the kind table: sorted, unique names, summaries, examples") {
    const auto kinds = all_kinds();
    REQUIRE(kinds.size() == 53);
    std::set<std::string_view> names;
    for (std::size_t i = 0; i < kinds.size(); ++i) {
      const KindInfo& k = *kinds[i];
      INFO(std::string(k.name));
      CHECK(names.insert(k.name).second);
      if (i > 0) CHECK(kinds[i - 1]->name < k.name);
      CHECK_FALSE(k.summary.empty());
      CHECK(k.summary.find('\n') == std::string_view::npos);
      CHECK((k.parse != nullptr));
      CHECK((k.run != nullptr));
      CHECK(find_kind(k.name) == &k);
    }
    CHECK(find_kind("htpp") == nullptr);
    CHECK(find_kind("") == nullptr);
  }

  TEST_CASE("every executable type of spec 01 §1.6 is in the table; paginator is declared only") {
    static_assert(std::size(kExecutable) == 52);
    for (auto name : kExecutable) {
      INFO(std::string(name));
      const KindInfo* k = find_kind(name);
      REQUIRE(k != nullptr);
      CHECK_FALSE(k->declared_only);
      CHECK(k->context_node == (name == "context_variable" || name == "context_constant"));
    }
    const KindInfo* paginator = find_kind("paginator");
    REQUIRE(paginator != nullptr);
    CHECK(paginator->declared_only);
  }

  TEST_CASE("every kind's example validates as the node under test") {
    for (const KindInfo* k : all_kinds()) {
      const std::string what = std::string(k->name) + " " + std::string(k->example);
      INFO(what);
      const auto r = check_node(k->name, k->example);
      if (k->declared_only) {
        CHECK(r.errors() == std::vector<std::string>{"node type 'paginator' cannot be run"});
        // A run result's `errors` keeps the Go engine's wording.
        CHECK(r.first().result_text() == "no executor registered for type: paginator");
        CHECK(r.first().notes ==
              std::vector<std::string>{"the visual editor offers 'paginator', but no engine can "
                                       "execute it; remove the node"});
        continue;
      }
      CHECK(r.errors().empty());
      CHECK(r.warnings().empty());
      REQUIRE(r.compiled != nullptr);
      CHECK(r.compiled->kinds.at(0) == k);
      CHECK(r.compiled->configs.at(0) != nullptr);
    }
  }

  TEST_CASE("paginator still checks its required key") {
    const auto r = check_node("paginator", "{}");
    CHECK(r.errors() == std::vector<std::string>{
                            prefix("paginator") + "missing required field: pagination_strategy",
                            "node type 'paginator' cannot be run"});
  }

  TEST_CASE("category names") {
    CHECK(category_name(Category::Input) == "input");
    CHECK(category_name(Category::Resilience) == "resilience");
    CHECK(category_name(Category::Network) == "network");
    CHECK(find_kind("http")->category == Category::Network);
    CHECK(find_kind("switch")->category == Category::Control);
    CHECK(find_kind("filter")->category == Category::Array);
  }
}
