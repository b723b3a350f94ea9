// Load and validate: the text of a workflow through check::load_and_check, the
// pipeline `thaiyyal validate` runs (parse, document shape, type inference,
// every static check), for generated workflows of 10 to 10,000 nodes in JSON
// and in YAML. The documents are those of `tests/tools/gen_workflow.py mixed N`
// (byte for byte), so the figures compare with the CLI's.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "thaiyyal/check/pipeline.h"
#include "thaiyyal/diag/diagnostic.h"
#include "thaiyyal/model/limits.h"

namespace {

using namespace thaiyyal;

/// One node of the mixed shape: its id, kind and its one `data` entry.
struct Node {
  std::string id;
  std::string type;
  std::string key;
  std::string value;  ///< as written: a JSON number or a quoted string
};

/// One edge of the mixed shape.
struct Edge {
  std::string id;
  std::string source;
  std::string target;
  std::string handle;  ///< "" for none
};

std::string quoted(const std::string& s) { return '"' + s + '"'; }

/// `prefix` followed by the decimal digits of `n`.
std::string numbered(std::string prefix, int n) {
  prefix += std::to_string(n);
  return prefix;
}

/// n nodes in groups of five: a number, an expression reading it, a condition
/// on that, and a visualization on each of its true/false handles.
void mixed(int n, std::vector<Node>& nodes, std::vector<Edge>& edges) {
  for (int g = 0; g < n; g += 5) {
    std::vector<std::string> ids;
    for (int k = 0; k < 5; ++k) ids.push_back(numbered("n", g + k));
    const std::vector<Node> group = {
        {ids[0], "number", "value", std::to_string(g)},
        {ids[1], "expression", "expression", quoted(numbered("input * 2 + ", g))},
        {ids[2], "condition", "condition", quoted(numbered("input > ", g + 10))},
        {ids[3], "visualization", "mode", quoted("text")},
        {ids[4], "visualization", "mode", quoted("text")},
    };
    const int size = std::min(5, n - g);
    nodes.insert(nodes.end(), group.begin(), group.begin() + size);
    struct Wire {
      int a, b;
      const char* handle;
    };
    for (const Wire w : {Wire{0, 1, ""}, Wire{1, 2, ""}, Wire{2, 3, "true"}, Wire{2, 4, "false"}}) {
      if (w.b >= size) continue;
      edges.push_back(
          {numbered("e", g + w.a) + numbered("-", g + w.b), ids[w.a], ids[w.b], w.handle});
    }
  }
}

/// The JSON text: one node or edge per line.
std::string mixed_json(int n) {
  std::vector<Node> nodes;
  std::vector<Edge> edges;
  mixed(n, nodes, edges);
  std::string out = "{\"workflow_id\": \"mixed-" + std::to_string(n) + "\",\n \"nodes\": [\n";
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const Node& x = nodes[i];
    out += "  {\"id\": " + quoted(x.id) + ", \"type\": " + quoted(x.type) + ", \"data\": {" +
           quoted(x.key) + ": " + x.value + "}}" + (i + 1 < nodes.size() ? ",\n" : "\n");
  }
  out += " ],\n \"edges\": [\n";
  for (std::size_t i = 0; i < edges.size(); ++i) {
    const Edge& e = edges[i];
    out += "  {\"id\": " + quoted(e.id) + ", \"source\": " + quoted(e.source) +
           ", \"target\": " + quoted(e.target) +
           (e.handle.empty() ? "" : ", \"sourceHandle\": " + quoted(e.handle)) + "}" +
           (i + 1 < edges.size() ? ",\n" : "\n");
  }
  out += " ]\n}\n";
  return out;
}

/// The YAML text: block nodes, flow-style edges.
std::string mixed_yaml(int n) {
  std::vector<Node> nodes;
  std::vector<Edge> edges;
  mixed(n, nodes, edges);
  std::string out = "workflow_id: \"mixed-" + std::to_string(n) + "\"\nnodes:\n";
  for (const Node& x : nodes) {
    out += "  - id: " + quoted(x.id) + "\n    type: " + x.type + "\n    data:\n      " + x.key +
           ": " + x.value + "\n";
  }
  out += edges.empty() ? "edges: []\n" : "edges:\n";
  for (const Edge& e : edges) {
    out += "  - {id: " + quoted(e.id) + ", source: " + quoted(e.source) +
           ", target: " + quoted(e.target) +
           (e.handle.empty() ? "" : ", sourceHandle: " + quoted(e.handle)) + "}\n";
  }
  return out;
}

/// Loads and checks `name` (whose extension selects the format) once per
/// iteration, with the document limits lifted as `--max-nodes 0
/// --max-edges 0 --max-payload-size 0` do.
void load_validate(benchmark::State& state, const std::string& name, const std::string& text) {
  Limits limits;
  limits.max_nodes = limits.max_edges = limits.max_payload_size = 0;
  const auto source = std::make_shared<const diag::SourceFile>(name, text);
  for (auto _ : state) {
    diag::Diagnostics diags;
    auto compiled = check::load_and_check(source, limits, {}, diags);
    if (!compiled || diags.has_blocking_errors()) {
      state.SkipWithError("the workflow did not load and check");
      return;
    }
    benchmark::DoNotOptimize(compiled);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.counters["bytes"] = static_cast<double>(text.size());
}

/// JSON, state.range(0) nodes.
void BM_LoadValidateJson(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  load_validate(state, "mixed-" + std::to_string(n) + ".json", mixed_json(n));
}
BENCHMARK(BM_LoadValidateJson)
    ->Arg(10)
    ->Arg(100)
    ->Arg(1000)
    ->Arg(10000)
    ->Unit(benchmark::kMicrosecond);

/// YAML, state.range(0) nodes.
void BM_LoadValidateYaml(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  load_validate(state, "mixed-" + std::to_string(n) + ".yaml", mixed_yaml(n));
}
BENCHMARK(BM_LoadValidateYaml)
    ->Arg(10)
    ->Arg(100)
    ->Arg(1000)
    ->Arg(10000)
    ->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
