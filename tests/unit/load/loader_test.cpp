#include "thaiyyal/load/loader.h"

#include <doctest/doctest.h>

#include <string>

#include "thaiyyal/diag/render.h"

using namespace thaiyyal;
using load::Format;
using load::LoadOptions;

namespace {

struct Loaded {
  std::optional<Workflow> wf;
  std::string out;  ///< every diagnostic, rendered as the CLI prints it
  std::size_t errors = 0;
};

Loaded load_text(std::string_view name, std::string_view text, const LoadOptions& opts = {}) {
  auto file = std::make_shared<diag::SourceFile>(std::string(name), std::string(text));
  diag::Diagnostics ds;
  Loaded r;
  r.wf = load::load_workflow(file, opts, ds);
  for (const auto& d : ds.all()) r.out += diag::render_text(d);
  r.errors = ds.error_count();
  return r;
}

Loaded json(std::string_view text, const LoadOptions& opts = {}) {
  return load_text("flow.json", text, opts);
}

/// The kind inferred for a node whose data is `data_json` and that has no type.
std::string inferred(std::string_view data_json) {
  const auto r =
      json(std::string(R"({"nodes":[{"id":"n","data":)") + std::string(data_json) + "}]}");
  REQUIRE(r.wf.has_value());
  REQUIRE(r.wf->nodes.size() == 1);
  CHECK(r.wf->nodes[0].type_inferred);
  return r.wf->nodes[0].type;
}

}  // namespace

TEST_SUITE("load") {
  TEST_CASE("a valid document: ids, types, data, edges and document order") {
    const auto r = json(R"({
  "workflow_id": "demo",
  "name": "ignored",
  "nodes": [
    {"id": "n1", "type": "number", "data": {"value": 2}, "position": {"x": 0, "y": 0}},
    {"id": "n2", "type": "number", "data": {"value": 3, "label": "three"}},
    {"id": "sum", "type": "operation", "data": {"op": "add"}}
  ],
  "edges": [
    {"id": "e1", "source": "n1", "target": "sum", "sourceHandle": null, "targetHandle": null},
    {"source": "n2", "target": "sum", "type": "smoothstep"}
  ]
})");
    CHECK(r.out == "");
    REQUIRE(r.wf);
    const Workflow& wf = *r.wf;
    CHECK(wf.workflow_id == "demo");
    REQUIRE(wf.nodes.size() == 3);
    CHECK(wf.nodes[0].id == "n1");
    CHECK(wf.nodes[0].type == "number");
    CHECK_FALSE(wf.nodes[0].type_inferred);
    CHECK(wf.nodes[1].data.find("label")->as_string() == "three");
    CHECK(wf.nodes[2].index == 2);
    REQUIRE(wf.edges.size() == 2);
    CHECK(wf.edges[0].id == "e1");
    CHECK_FALSE(wf.edges[0].handle.has_value());
    CHECK_FALSE(wf.edges[0].target_handle.has_value());
    CHECK(wf.edges[1].id == "");
    CHECK(wf.edges[1].source == "n2");
    CHECK(wf.edges[1].target == "sum");
    CHECK(wf.edges[1].index == 1);
    REQUIRE(wf.source);
    CHECK(wf.source->name() == "flow.json");
  }

  TEST_CASE("empty and minimal documents") {
    for (const char* text : {"{}", R"({"nodes": null, "edges": null})",
                             R"({"nodes": [], "edges": []})", R"({"workflow_id": null})"}) {
      INFO(text);
      const auto r = json(text);
      CHECK(r.out == "");
      REQUIRE(r.wf);
      CHECK(r.wf->workflow_id == "");
      CHECK(r.wf->nodes.empty());
      CHECK(r.wf->edges.empty());
    }
  }

  TEST_CASE("a document without nodes is not a workflow") {
    auto r = json(R"({
  "name": "my-app",
  "version": "1.0.0",
  "scripts": {"test": "jest"}
})");
    CHECK_FALSE(r.wf);
    CHECK(r.errors == 1);
    CHECK(r.out ==
          "flow.json:1:1: error[not-a-workflow]: this document is not a workflow: it has no "
          "\"nodes\" key\n"
          "  at $\n"
          "    1 | {\n"
          "      | ^\n"
          "  note: it looks like a package.json\n"
          "  note: a workflow is an object with a \"nodes\" array (and optionally \"edges\" and "
          "\"workflow_id\")\n");
    r = load_text("deploy.yaml",
                  "# the web tier\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n"
                  "spec:\n  replicas: 2\n");
    CHECK_FALSE(r.wf);
    CHECK(r.out ==
          "deploy.yaml:2:1: error[not-a-workflow]: this document is not a workflow: it has no "
          "\"nodes\" key\n"
          "  at $\n"
          "    2 | apiVersion: apps/v1\n"
          "      | ^\n"
          "  note: it looks like a Kubernetes manifest (kind: Deployment)\n"
          "  note: a workflow is an object with a \"nodes\" array (and optionally \"edges\" and "
          "\"workflow_id\")\n");
    r = load_text("ci.yml", "name: CI\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n");
    CHECK_FALSE(r.wf);
    CHECK(r.out.find("  note: it looks like a GitHub Actions workflow\n") != std::string::npos);
    // Nothing recognisable: only the shape of a workflow is explained.
    r = json(R"({"name": "x", "version": "1.0.0"})");
    CHECK(r.out ==
          "flow.json:1:1: error[not-a-workflow]: this document is not a workflow: it has no "
          "\"nodes\" key\n"
          "  at $\n"
          "    1 | {\"name\": \"x\", \"version\": \"1.0.0\"}\n"
          "      | ^\n"
          "  note: a workflow is an object with a \"nodes\" array (and optionally \"edges\" and "
          "\"workflow_id\")\n");
    // A misspelt key is named instead.
    r = json(R"({"Nodes": [{"id": "a", "type": "number", "data": {"value": 1}}], "Edges": []})");
    CHECK_FALSE(r.wf);
    CHECK(r.out ==
          "flow.json:1:1: error[not-a-workflow]: this document is not a workflow: it has no "
          "\"nodes\" key\n"
          "  at $\n"
          "    1 | {\"Nodes\": [{\"id\": \"a\", \"type\": \"number\", \"data\": {\"value\": 1}}], "
          "\"Edges\": []}\n"
          "      | ^\n"
          "  note: did you mean 'nodes' instead of 'Nodes'? keys are case-sensitive\n"
          "  note: did you mean 'edges' instead of 'Edges'? keys are case-sensitive\n");
    r = load_text("flow.yaml", "node:\n  - id: a\n");
    CHECK(r.out.find("  note: did you mean 'nodes' instead of 'node'?\n") != std::string::npos);
  }

  TEST_CASE("a workflow may have no nodes") {
    // Spec 01 section 1.1: missing nodes means none. A document with any key of
    // a workflow (or no key at all) is a workflow.
    for (const char* text :
         {"{}", R"({"nodes": []})", R"({"edges": []})", R"({"workflow_id": "w", "name": "n"})",
          R"({"Nodes": [{"id": "n", "type": "number", "data": {"value": 1}}], "edges": []})"}) {
      INFO(text);
      const auto r = json(text);
      CHECK(r.errors == 0);
      REQUIRE(r.wf);
      CHECK(r.wf->nodes.empty());
    }
  }

  TEST_CASE("the document must be an object") {
    auto r = json("null");
    CHECK_FALSE(r.wf);
    CHECK(r.out ==
          "flow.json:1:1: error[not-an-object]: workflow must be a JSON object, got null\n"
          "  at $\n"
          "    1 | null\n"
          "      | ^^^^\n");
    r = json("\n  [1, 2]\n");
    CHECK_FALSE(r.wf);
    CHECK(r.out ==
          "flow.json:2:3: error[not-an-object]: workflow must be a JSON object, got array\n"
          "  at $\n"
          "    2 |   [1, 2]\n"
          "      |   ^^^^^^\n");
    r = json(R"("text")");
    CHECK(r.out ==
          "flow.json:1:1: error[not-an-object]: workflow must be a JSON object, got string\n"
          "  at $\n"
          "    1 | \"text\"\n"
          "      | ^^^^^^\n");
    r = json("42");
    CHECK(r.errors == 1);
    CHECK(r.out.rfind(
              "flow.json:1:1: error[not-an-object]: workflow must be a JSON object, got number\n",
              0) == 0);
  }

  TEST_CASE("syntax errors are reported with line, column and caret") {
    auto r = json("{\n  \"nodes\": [\n    {\"id\": \"a\",}\n  ]\n}\n");
    CHECK_FALSE(r.wf);
    CHECK(r.out ==
          "flow.json:3:16: error[json-syntax]: failed to parse payload: trailing comma in object\n"
          "    3 |     {\"id\": \"a\",}\n"
          "      |                ^\n");
    r = json("");
    CHECK(
        r.out ==
        "flow.json:1:1: error[json-syntax]: failed to parse payload: unexpected end of JSON input\n"
        "    1 | \n"
        "      | ^\n");
    r = json(R"({"nodes": [{"id": "a", "type": "num)");
    CHECK(r.out ==
          "flow.json:1:32: error[json-syntax]: failed to parse payload: unterminated string\n"
          "    1 | {\"nodes\": [{\"id\": \"a\", \"type\": \"num\n"
          "      |                                ^\n");
    r = json("{\"a\": 1,\r\n \"a\": 2}");
    CHECK(r.out ==
          "flow.json:2:2: error[duplicate-key]: failed to parse payload: duplicate key \"a\" in "
          "object\n"
          "    2 |  \"a\": 2}\n"
          "      |  ^\n");
    r = json("{\"nodes\": [1e999]}");
    CHECK(
        r.out ==
        "flow.json:1:12: error[number-out-of-range]: failed to parse payload: number out of range: "
        "1e999\n"
        "    1 | {\"nodes\": [1e999]}\n"
        "      |            ^\n");
  }

  TEST_CASE("nesting depth of the document is limited") {
    const std::string deep =
        "{\"nodes\": " + std::string(10000, '[') + std::string(10000, ']') + "}";
    auto r = json(deep);
    CHECK_FALSE(r.wf);
    CHECK(r.out.rfind(
              "flow.json:1:522: error[nesting-too-deep]: failed to parse payload: nesting too "
              "deep: more than 512 levels\n",
              0) == 0);
    LoadOptions o;
    o.max_depth = 3;
    r = json(R"({"nodes": [{"id": "a", "data": {"value": 1}}]})", o);
    CHECK(
        r.out.rfind("flow.json:1:32: error[nesting-too-deep]: failed to parse payload: nesting too "
                    "deep: more than 3 levels\n",
                    0) == 0);
  }

  TEST_CASE("workflow_id must be a string") {
    auto r = json(R"({"workflow_id": 5, "nodes": []})");
    REQUIRE(r.wf);
    CHECK(r.errors == 1);
    CHECK(r.out ==
          "flow.json:1:17: error[wrong-type]: workflow_id must be a string, got number\n"
          "  at $.workflow_id\n"
          "    1 | {\"workflow_id\": 5, \"nodes\": []}\n"
          "      |                 ^\n");
    r = json(R"({"workflow_id": {"a": [1]}})");
    CHECK(r.out ==
          "flow.json:1:17: error[wrong-type]: workflow_id must be a string, got object\n"
          "  at $.workflow_id\n"
          "    1 | {\"workflow_id\": {\"a\": [1]}}\n"
          "      |                 ^^^^^^^^^^\n");
  }

  TEST_CASE("nodes and edges must be arrays") {
    const auto r = json(R"({"nodes": {}, "edges": "x"})");
    REQUIRE(r.wf);
    CHECK(r.out ==
          "flow.json:1:11: error[wrong-type]: nodes must be an array, got object\n"
          "  at $.nodes\n"
          "    1 | {\"nodes\": {}, \"edges\": \"x\"}\n"
          "      |           ^^\n"
          "flow.json:1:24: error[wrong-type]: edges must be an array, got string\n"
          "  at $.edges\n"
          "    1 | {\"nodes\": {}, \"edges\": \"x\"}\n"
          "      |                        ^^^\n");
  }

  TEST_CASE("null and non-object entries in nodes and edges are rejected") {
    const auto r = json(R"({
  "nodes": [null, 3, {"id": "a", "type": "number", "data": {"value": 1}}],
  "edges": [null, ["a", "a"]]
})");
    REQUIRE(r.wf);
    CHECK(r.wf->nodes.size() == 1);
    CHECK(r.wf->nodes[0].index == 2);
    CHECK(r.wf->edges.empty());
    CHECK(r.out ==
          "flow.json:2:13: error[invalid-node]: node must be an object, got null\n"
          "  at $.nodes[0]\n"
          "    2 |   \"nodes\": [null, 3, {\"id\": \"a\", \"type\": \"number\", \"data\": "
          "{\"value\": 1}}],\n"
          "      |             ^^^^\n"
          "flow.json:2:19: error[invalid-node]: node must be an object, got number\n"
          "  at $.nodes[1]\n"
          "    2 |   \"nodes\": [null, 3, {\"id\": \"a\", \"type\": \"number\", \"data\": "
          "{\"value\": 1}}],\n"
          "      |                   ^\n"
          "flow.json:3:13: error[invalid-edge]: edge must be an object, got null\n"
          "  at $.edges[0]\n"
          "    3 |   \"edges\": [null, [\"a\", \"a\"]]\n"
          "      |             ^^^^\n"
          "flow.json:3:19: error[invalid-edge]: edge must be an object, got array\n"
          "  at $.edges[1]\n"
          "    3 |   \"edges\": [null, [\"a\", \"a\"]]\n"
          "      |                   ^^^^^^^^^^\n");
  }

  TEST_CASE("node ids and types must be strings") {
    const auto r = json(R"({"nodes": [
  {"id": 1, "type": "number", "data": {"value": 1}},
  {"id": "b", "type": ["number"], "data": {"value": 1}},
  {"id": true, "type": false}
]})");
    REQUIRE(r.wf);
    CHECK(r.wf->nodes.empty());
    CHECK(r.out ==
          "flow.json:2:10: error[wrong-type]: node id must be a string, got number\n"
          "  at $.nodes[0].id\n"
          "    2 |   {\"id\": 1, \"type\": \"number\", \"data\": {\"value\": 1}},\n"
          "      |          ^\n"
          "flow.json:3:23: error[wrong-type]: node type must be a string, got array\n"
          "  at $.nodes[1].type\n"
          "    3 |   {\"id\": \"b\", \"type\": [\"number\"], \"data\": {\"value\": 1}},\n"
          "      |                       ^^^^^^^^^^\n"
          "flow.json:4:10: error[wrong-type]: node id must be a string, got boolean\n"
          "  at $.nodes[2].id\n"
          "    4 |   {\"id\": true, \"type\": false}\n"
          "      |          ^^^^\n"
          "flow.json:4:24: error[wrong-type]: node type must be a string, got boolean\n"
          "  at $.nodes[2].type\n"
          "    4 |   {\"id\": true, \"type\": false}\n"
          "      |                        ^^^^^\n");
  }

  TEST_CASE("a node id is required and may not be empty") {
    const auto r = json(R"({"nodes": [
  {"type": "number", "data": {"value": 1}},
  {"id": "", "type": "number", "data": {"value": 1}},
  {"id": null, "type": "number", "data": {"value": 1}}
]})");
    REQUIRE(r.wf);
    CHECK(r.wf->nodes.empty());
    CHECK(r.out ==
          "flow.json:2:3: error[missing-id]: node id is required\n"
          "  at $.nodes[0]\n"
          "    2 |   {\"type\": \"number\", \"data\": {\"value\": 1}},\n"
          "      |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n"
          "flow.json:3:3: error[missing-id]: node id is required\n"
          "  at $.nodes[1]\n"
          "    3 |   {\"id\": \"\", \"type\": \"number\", \"data\": {\"value\": 1}},\n"
          "      |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n"
          "flow.json:4:3: error[missing-id]: node id is required\n"
          "  at $.nodes[2]\n"
          "    4 |   {\"id\": null, \"type\": \"number\", \"data\": {\"value\": 1}}\n"
          "      |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n");
  }

  TEST_CASE("missing or null data is an empty object") {
    const auto r = json(R"({"nodes": [
  {"id": "a", "type": "number"},
  {"id": "b", "type": "number", "data": null},
  {"id": "c"},
  {"id": "d", "type": null, "data": null},
  {"id": "e", "type": "", "data": {"text": "x"}}
]})");
    CHECK(r.out == "");
    REQUIRE(r.wf);
    REQUIRE(r.wf->nodes.size() == 5);
    for (const auto& n : r.wf->nodes) {
      INFO(n.id);
      REQUIRE(n.data.is_object());
    }
    CHECK(r.wf->nodes[0].data.as_object().empty());
    CHECK(r.wf->nodes[0].type == "number");
    CHECK(r.wf->nodes[1].type == "number");
    // No type and nothing to infer from: the type stays empty.
    CHECK(r.wf->nodes[2].type == "");
    CHECK(r.wf->nodes[2].type_inferred);
    CHECK(r.wf->nodes[3].type == "");
    // An empty type string triggers inference as well.
    CHECK(r.wf->nodes[4].type == "text_input");
    CHECK(r.wf->nodes[4].type_inferred);
  }

  TEST_CASE("data must be an object") {
    const auto r = json(R"({"nodes": [
  {"id": "a", "type": "number", "data": [1]},
  {"id": "b", "type": "number", "data": "value"},
  {"id": "c", "data": 7}
]})");
    REQUIRE(r.wf);
    CHECK(r.wf->nodes.empty());
    CHECK(r.out ==
          "flow.json:2:41: error[wrong-type]: data of node 'a' must be an object, got array\n"
          "  at $.nodes[0].data\n"
          "    2 |   {\"id\": \"a\", \"type\": \"number\", \"data\": [1]},\n"
          "      |                                         ^^^\n"
          "flow.json:3:41: error[wrong-type]: data of node 'b' must be an object, got string\n"
          "  at $.nodes[1].data\n"
          "    3 |   {\"id\": \"b\", \"type\": \"number\", \"data\": \"value\"},\n"
          "      |                                         ^^^^^^^\n"
          "flow.json:4:23: error[wrong-type]: data of node 'c' must be an object, got number\n"
          "  at $.nodes[2].data\n"
          "    4 |   {\"id\": \"c\", \"data\": 7}\n"
          "      |                       ^\n");
  }

  TEST_CASE("keys match exactly, including case") {
    // Node keys in another case are unknown keys: the node has no id.
    auto r = json(R"({"nodes": [{"ID": "a", "Type": "number", "Data": {"value": 1}}]})");
    CHECK(r.out ==
          "flow.json:1:12: error[missing-id]: node id is required\n"
          "  at $.nodes[0]\n"
          "    1 | {\"nodes\": [{\"ID\": \"a\", \"Type\": \"number\", \"Data\": {\"value\": 1}}]}\n"
          "      |            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n");
    // Inference matches data keys exactly: "Value" is not "value".
    r = json(R"({"nodes": [{"id": "a", "data": {"Value": 3}}]})");
    REQUIRE(r.wf);
    CHECK(r.wf->nodes[0].type == "");
    // Top-level keys in another case are ignored with a warning and a hint.
    r = json(R"({"Nodes": [{"id": "n", "type": "number", "data": {"value": 1}}], "edges": []})");
    REQUIRE(r.wf);
    CHECK(r.errors == 0);
    CHECK(r.wf->nodes.empty());
    CHECK(r.out ==
          "flow.json:1:2: warning[unknown-key]: unknown top-level key 'Nodes' is ignored\n"
          "  at $.Nodes\n"
          "    1 | {\"Nodes\": [{\"id\": \"n\", \"type\": \"number\", \"data\": {\"value\": 1}}], "
          "\"edges\": []}\n"
          "      |  ^^^^^^^\n"
          "  note: did you mean 'nodes'? keys are case-sensitive\n");
    r = json(R"({"nodes": [], "EDGES": [], "workflowId": "x", "WORKFLOW_ID": "y"})");
    CHECK(r.errors == 0);
    CHECK(r.out.find("unknown top-level key 'EDGES' is ignored") != std::string::npos);
    CHECK(r.out.find("unknown top-level key 'workflowId' is ignored") != std::string::npos);
    CHECK(r.out.find("unknown top-level key 'WORKFLOW_ID' is ignored") != std::string::npos);
    // Unrelated top-level keys (name, description, editor metadata) are silently ignored.
    r = json(
        R"({"nodes": [], "name": "n", "description": "d", "viewport": {"zoom": 1}, "version": 2})");
    CHECK(r.out == "");
  }

  TEST_CASE("edges: handles, legacy condition and type errors") {
    const auto r = json(R"({"nodes": [], "edges": [
  {"id": "e0", "source": "a", "target": "b"},
  {"id": "e1", "source": "a", "target": "b", "sourceHandle": "true"},
  {"id": "e2", "source": "a", "target": "b", "sourceHandle": ""},
  {"id": "e3", "source": "a", "target": "b", "condition": "false"},
  {"id": "e4", "source": "a", "target": "b", "sourceHandle": null, "condition": "x"},
  {"id": "e5", "source": "a", "target": "b", "sourceHandle": "h", "condition": "x"},
  {"id": "e6", "source": "a", "target": "b", "targetHandle": "array1"},
  {},
  {"id": 7, "source": "a", "target": "b"},
  {"id": "e9", "source": "a", "target": 2, "sourceHandle": true}
]})");
    REQUIRE(r.wf);
    const auto& e = r.wf->edges;
    REQUIRE(e.size() == 8);
    CHECK_FALSE(e[0].handle);
    CHECK(e[1].handle == std::optional<std::string>("true"));
    CHECK_FALSE(e[1].handle_from_condition);
    CHECK(e[2].handle == std::optional<std::string>(""));  // "" is conditional too
    CHECK(e[3].handle == std::optional<std::string>("false"));
    CHECK(e[3].handle_from_condition);
    CHECK(e[4].handle == std::optional<std::string>("x"));
    CHECK(e[4].handle_from_condition);
    CHECK(e[5].handle == std::optional<std::string>("h"));
    CHECK_FALSE(e[5].handle_from_condition);
    CHECK(e[6].target_handle == std::optional<std::string>("array1"));
    CHECK_FALSE(e[6].handle);
    CHECK(e[7].id == "");
    CHECK(e[7].source == "");
    CHECK(e[7].index == 7);
    CHECK(r.out ==
          "flow.json:10:10: error[wrong-type]: edge id must be a string, got number\n"
          "  at $.edges[8].id\n"
          "   10 |   {\"id\": 7, \"source\": \"a\", \"target\": \"b\"},\n"
          "      |          ^\n"
          "flow.json:11:41: error[wrong-type]: edge target must be a string, got number\n"
          "  at $.edges[9].target\n"
          "   11 |   {\"id\": \"e9\", \"source\": \"a\", \"target\": 2, \"sourceHandle\": true}\n"
          "      |                                         ^\n"
          "flow.json:11:60: error[wrong-type]: edge sourceHandle must be a string, got boolean\n"
          "  at $.edges[9].sourceHandle\n"
          "   11 |   {\"id\": \"e9\", \"source\": \"a\", \"target\": 2, \"sourceHandle\": true}\n"
          "      |                                                            ^^^^\n");
  }

  TEST_CASE("too many nodes and edges") {
    const std::string text = R"({"nodes": [
  {"id": "a", "type": "number", "data": {"value": 1}},
  {"id": "b", "type": "number", "data": {"value": 2}},
  {"id": "c", "type": "number", "data": {"value": 3}}
],
"edges": [{"source": "a", "target": "b"}, {"source": "b", "target": "c"}]})";
    LoadOptions o;
    o.max_nodes = 2;
    o.max_edges = 1;
    auto r = json(text, o);
    REQUIRE(r.wf);
    CHECK(r.errors == 2);
    CHECK(r.out ==
          "flow.json:1:2: error[too-many-nodes]: too many nodes: 3 (limit: 2)\n"
          "  at $.nodes\n"
          "    1 | {\"nodes\": [\n"
          "      |  ^^^^^^^\n"
          "  note: raise the limit with --max-nodes N (0 = unlimited)\n"
          "flow.json:6:1: error[too-many-edges]: too many edges: 2 (limit: 1)\n"
          "  at $.edges\n"
          "    6 | \"edges\": [{\"source\": \"a\", \"target\": \"b\"}, {\"source\": \"b\", "
          "\"target\": \"c\"}]}\n"
          "      | ^^^^^^^\n"
          "  note: raise the limit with --max-edges N (0 = unlimited)\n");
    // At the limit is fine, and 0 means unlimited.
    o.max_nodes = 3;
    o.max_edges = 2;
    CHECK(json(text, o).out == "");
    o.max_nodes = 0;
    o.max_edges = 0;
    CHECK(json(text, o).out == "");
    // The defaults are the reference's DefaultConfig: 1000 nodes, 10000 edges.
    std::string many = R"({"nodes": [)";
    for (int i = 0; i <= 1000; ++i) {
      many += (i ? "," : "") + std::string(R"({"id": "n)") + std::to_string(i) +
              R"(", "type": "number", "data": {"value": 1}})";
    }
    many += "]}";
    r = json(many);
    CHECK(r.errors == 1);
    CHECK(r.out.rfind("flow.json:1:2: error[too-many-nodes]: too many nodes: 1001 (limit: 1000)\n",
                      0) == 0);
  }

  TEST_CASE("payload too large") {
    const std::string text = R"({"nodes": [], "edges": []})";
    LoadOptions o;
    o.max_payload_size = 10;
    auto r = json(text, o);
    // Still parsed, so that every other problem is listed as well.
    REQUIRE(r.wf);
    CHECK(r.out ==
          "flow.json: error[payload-too-large]: payload too large: 26 bytes (limit: 10)\n"
          "  note: raise the limit with --max-payload-size BYTES (0 = unlimited)\n");
    o.stop_on_oversize = true;
    r = json(text, o);
    CHECK_FALSE(r.wf);
    CHECK(r.errors == 1);
    o.max_payload_size = 26;
    CHECK(json(text, o).out == "");
    o.max_payload_size = 0;
    CHECK(json(text, o).out == "");
    // The default limit is 1 MiB.
    const std::string big = R"({"nodes": [], "name": ")" + std::string(1 << 20, 'x') + R"("})";
    r = json(big);
    CHECK(r.out ==
          "flow.json: error[payload-too-large]: payload too large: 1048601 bytes (limit: 1048576)\n"
          "  note: raise the limit with --max-payload-size BYTES (0 = unlimited)\n");
  }

  TEST_CASE("every problem is reported, not just the first") {
    const auto r = json(R"({"workflow_id": 1, "nodes": [null, {"id": 2}], "edges": [3]})");
    CHECK(r.errors == 4);
  }

  TEST_CASE("type inference: every rule of spec 01 section 2, in order") {
    CHECK(inferred(R"({"value": 1})") == "number");
    CHECK(inferred(R"({"value": null})") == "number");  // presence, not value
    CHECK(inferred(R"({"text": "x"})") == "text_input");
    CHECK(inferred(R"({"boolean_value": true})") == "boolean_input");
    CHECK(inferred(R"({"date_value": "2024-01-15"})") == "date_input");
    CHECK(inferred(R"({"datetime_value": "2024-01-15T10:30:00Z"})") == "datetime_input");
    CHECK(inferred(R"({"mode": "text"})") == "visualization");
    CHECK(inferred(R"({"op": "add"})") == "operation");
    CHECK(inferred(R"({"text_op": "uppercase"})") == "text_operation");
    CHECK(inferred(R"({"url": "https://example.com"})") == "http");
    CHECK(inferred(R"({"condition": ">5", "true_path": "t"})") == "condition");
    CHECK(inferred(R"({"condition": ">5"})") == "filter");
    CHECK(inferred(R"({"expression": "a + 1", "initial_value": 0})") == "reduce");
    CHECK(inferred(R"({"expression": "", "initial_value": 0})") == "reduce");
    CHECK(inferred(R"({"expression": "a + 1"})") == "expression");
    CHECK(inferred(R"({"var_name": "x", "var_op": "set"})") == "variable");
    CHECK(inferred(R"({"field": "a"})") == "extract");
    CHECK(inferred(R"({"fields": ["a"]})") == "extract");
    CHECK(inferred(R"({"transform_type": "keys"})") == "transform");
    CHECK(inferred(R"({"accum_op": "sum"})") == "accumulator");
    CHECK(inferred(R"({"counter_op": "increment"})") == "counter");
    CHECK(inferred(R"({"cases": []})") == "switch");
    CHECK(inferred(R"({"join_strategy": "all"})") == "join");
    CHECK(inferred(R"({"paths": ["a"]})") == "split");
    CHECK(inferred(R"({"duration": "1s"})") == "delay");
    CHECK(inferred(R"({"cache_op": "get", "cache_key": "k"})") == "cache");
    CHECK(inferred(R"({"context_name": "x"})") == "context_variable");
    CHECK(inferred(R"({"context_values": []})") == "context_variable");  // never context_constant
    CHECK(inferred(R"({"max_attempts": 3})") == "retry");
    CHECK(inferred(R"({"backoff_strategy": "exponential"})") == "retry");
    CHECK(inferred(R"({"fallback_value": 0})") == "try_catch");
    CHECK(inferred(R"({"continue_on_error": true})") == "try_catch");
    CHECK(inferred(R"({"timeout": "1s", "timeout_action": "error"})") == "timeout");
    CHECK(inferred(R"({"label": "only a label"})") == "");
    CHECK(inferred("{}") == "");
  }

  TEST_CASE("type inference: precedence and fall-through") {
    CHECK(inferred(R"({"op": "add", "value": 3})") == "number");  // rule 1 first
    CHECK(inferred(R"({"mode": "text", "text": "x"})") == "text_input");
    CHECK(inferred(R"({"url": "u", "condition": "c"})") == "http");
    // Rule 10 is final: a condition never falls through to later rules.
    CHECK(inferred(R"({"condition": "", "expression": "x", "cases": []})") == "filter");
    // Rule 11 falls through when the expression is empty, null or not a string.
    CHECK(inferred(R"({"expression": "", "field": "a"})") == "extract");
    CHECK(inferred(R"({"expression": null, "cases": []})") == "switch");
    CHECK(inferred(R"({"expression": 5, "duration": "1s"})") == "delay");
    CHECK(inferred(R"({"expression": ""})") == "");
    CHECK(inferred(R"({"expression": "  "})") == "expression");  // non-empty
    // Rules needing two keys fall through with one.
    CHECK(inferred(R"({"var_name": "x"})") == "");
    CHECK(inferred(R"({"var_op": "get"})") == "");
    CHECK(inferred(R"({"var_name": "x", "field": "f"})") == "extract");
    CHECK(inferred(R"({"cache_op": "get"})") == "");
    CHECK(inferred(R"({"cache_key": "k", "max_attempts": 1})") == "retry");
    CHECK(inferred(R"({"timeout": "1s"})") == "");
    CHECK(inferred(R"({"timeout_action": "error", "fallback_value": 1})") == "try_catch");
    // Later rules in order.
    CHECK(inferred(R"({"fields": [], "transform_type": "keys"})") == "extract");
    CHECK(inferred(R"({"context_values": [], "max_attempts": 1})") == "context_variable");
  }

  TEST_CASE("type inference only applies without a type") {
    const auto r = json(R"({"nodes": [
  {"id": "a", "type": "operation", "data": {"value": 1}},
  {"id": "b", "type": "", "data": {"value": 1}},
  {"id": "c", "type": null, "data": {"op": "add"}},
  {"id": "d", "type": "banana", "data": {"value": 1}}
]})");
    REQUIRE(r.wf);
    const auto& n = r.wf->nodes;
    REQUIRE(n.size() == 4);
    CHECK(n[0].type == "operation");
    CHECK_FALSE(n[0].type_inferred);
    CHECK(n[1].type == "number");
    CHECK(n[1].type_inferred);
    CHECK(n[2].type == "operation");
    CHECK(n[2].type_inferred);
    CHECK(n[3].type == "banana");  // taken as is; the check phase reports it
    CHECK_FALSE(n[3].type_inferred);
    // infer_kind is also usable directly.
    CHECK(load::infer_kind(Object{{"text_op", Value("x")}}) == "text_operation");
    CHECK(load::infer_kind(Object{}) == "");
  }

  TEST_CASE("format detection") {
    CHECK(load::detect_format("a.json", "nodes: []") == Format::Json);
    CHECK(load::detect_format("a.JSON", "") == Format::Json);
    CHECK(load::detect_format("a.yaml", "{}") == Format::Yaml);
    CHECK(load::detect_format("a.yml", "{}") == Format::Yaml);
    CHECK(load::detect_format("a.YML", "{}") == Format::Yaml);
    CHECK(load::detect_format("<stdin>", " \n\t{\"a\": 1}") == Format::Json);
    CHECK(load::detect_format("<stdin>", "\xEF\xBB\xBF[1]") == Format::Json);
    CHECK(load::detect_format("<stdin>", "null") == Format::Json);
    CHECK(load::detect_format("<stdin>", "nodes: []") == Format::Yaml);
    CHECK(load::detect_format("<stdin>", "") == Format::Yaml);
    CHECK(load::detect_format("flow", "# comment\n{}") == Format::Yaml);
    CHECK(load::detect_format("flow.txt", "{}") == Format::Json);
  }

  TEST_CASE("the format option overrides detection") {
    LoadOptions o;
    o.format = Format::Yaml;
    auto r = load_text("flow.json", "nodes: []\n", o);
    CHECK(r.out == "");
    REQUIRE(r.wf);
    o.format = Format::Json;
    r = load_text("flow.yaml", "nodes: []\n", o);
    CHECK(r.out ==
          "flow.yaml:1:1: error[json-syntax]: failed to parse payload: invalid literal; expected "
          "'null'\n"
          "    1 | nodes: []\n"
          "      | ^\n");
  }

  TEST_CASE("json positions of nodes, data keys and edges") {
    const auto r = json(R"({
  "nodes": [
    {"id": "a", "type": "number", "data": {"value": 1}},
    {
      "id": "b",
      "type": "number",
      "data": {
        "value": "two"
      }
    }
  ],
  "edges": [
    {"id": "e1", "source": "a", "target": "b"}
  ]
})");
    REQUIRE(r.wf);
    const Workflow& wf = *r.wf;
    auto pos = [](const diag::Location& l) {
      return std::to_string(l.line) + ":" + std::to_string(l.column) + "+" +
             std::to_string(l.length) + " " + l.json_path +
             (l.has_node ? " node " + l.node_id : "");
    };
    CHECK(pos(wf.node_location(wf.nodes[0])) == "3:5+51 $.nodes[0] node a");
    CHECK(pos(wf.node_location(wf.nodes[1])) == "4:5+1 $.nodes[1] node b");
    CHECK(pos(wf.node_location(wf.nodes[1], "value")) == "8:18+5 $.nodes[1].data.value node b");
    CHECK(pos(wf.node_location(wf.nodes[1], "value", true)) ==
          "8:9+7 $.nodes[1].data.value node b");
    CHECK(pos(wf.node_location(wf.nodes[0], "value")) == "3:53+1 $.nodes[0].data.value node a");
    CHECK(pos(wf.location(edge_path(0, "target"))) == "13:43+3 $.edges[0].target");
    CHECK(pos(wf.location(edge_path(0))) == "13:5+42 $.edges[0]");
    // Paths that do not exist have no position but keep the path.
    CHECK(pos(wf.location(edge_path(5))) == "0:0+0 $.edges[5]");
    CHECK(pos(wf.node_location(wf.nodes[0], "missing")) == "0:0+0 $.nodes[0].data.missing node a");
  }
}
