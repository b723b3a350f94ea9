#include "thaiyyal/graph/dag.h"

#include <doctest/doctest.h>

#include <string>

#include "thaiyyal/diag/render.h"
#include "thaiyyal/load/loader.h"

using namespace thaiyyal;
using graph::Dag;

namespace {

Workflow load_json(std::string_view text) {
  auto file = std::make_shared<diag::SourceFile>("flow.json", std::string(text));
  diag::Diagnostics ds;
  load::LoadOptions o;
  o.max_nodes = 0;
  o.max_edges = 0;
  o.max_payload_size = 0;
  auto wf = load::load_workflow(file, o, ds);
  REQUIRE(wf.has_value());
  REQUIRE(ds.empty());
  return std::move(*wf);
}

/// A workflow with untyped nodes `ids` and edges "s>t" (a trailing ":h" sets a handle).
Workflow make(std::initializer_list<const char*> ids, std::initializer_list<const char*> edges) {
  Workflow wf;
  for (const char* id : ids) {
    NodeSpec n;
    n.id = id;
    n.type = "number";
    n.data = Value(Object{});
    n.index = wf.nodes.size();
    wf.nodes.push_back(std::move(n));
  }
  for (std::string e : edges) {
    EdgeSpec s;
    const auto gt = e.find('>');
    s.source = e.substr(0, gt);
    s.target = e.substr(gt + 1);
    s.index = wf.edges.size();
    s.id = "e" + std::to_string(s.index);
    wf.edges.push_back(std::move(s));
  }
  return wf;
}

struct Built {
  std::optional<Dag> dag;
  std::string out;
};

Built build(const Workflow& wf) {
  diag::Diagnostics ds;
  Built b;
  b.dag = Dag::build(wf, ds);
  for (const auto& d : ds.all()) b.out += diag::render_text(d);
  return b;
}

/// The topological order as space-separated ids.
std::string order(const Workflow& wf) {
  const auto b = build(wf);
  REQUIRE_MESSAGE(b.dag.has_value(), b.out);
  std::string s;
  for (auto i : b.dag->order()) s += (s.empty() ? "" : " ") + wf.nodes[i].id;
  return s;
}

}  // namespace

TEST_SUITE("graph") {
  TEST_CASE("roots are sorted by id byte-wise") {
    CHECK(order(make({"2", "10", "1"}, {})) == "1 10 2");
    CHECK(order(make({"a", "B", "b", "A", "_"}, {})) == "A B _ a b");
    CHECK(order(make({"n\xC3\xA9", "nz", "n"}, {})) == "n nz n\xC3\xA9");
    CHECK(order(make({}, {})) == "");
    CHECK(order(make({"only"}, {})) == "only");
  }

  TEST_CASE("every root runs before any node with incoming edges") {
    // z has no edges; it still precedes c even though "c" < "z".
    CHECK(order(make({"c", "a", "z"}, {"a>c"})) == "a z c");
    CHECK(order(make({"10", "2", "3"}, {"2>3"})) == "10 2 3");
  }

  TEST_CASE("the queue is FIFO and successors follow edge order") {
    // Conformance case 34: b's successors are enqueued in edge order (y before x).
    CHECK(order(make({"a", "b", "x", "y"}, {"b>y", "b>x", "a>b"})) == "a b y x");
    // After the roots, order follows the queue, not the ids.
    CHECK(order(make({"r1", "r2", "z", "a"}, {"r1>z", "r2>a"})) == "r1 r2 z a");
    CHECK(order(make({"r2", "r1", "z", "a"}, {"r2>a", "r1>z"})) == "r1 r2 z a");
    // A node is enqueued when its in-degree reaches zero, i.e. after its last predecessor.
    CHECK(order(make({"a", "b", "c", "d"}, {"a>d", "a>b", "b>c", "c>d"})) == "a b c d");
    CHECK(order(make({"a", "b", "c", "j"}, {"a>j", "b>j", "c>j", "a>c"})) == "a b c j");
  }

  TEST_CASE("duplicate edges count once per copy") {
    const Workflow wf = make({"a", "b", "c"}, {"a>b", "a>b", "b>c"});
    const auto b = build(wf);
    REQUIRE(b.dag);
    CHECK(b.out == "");
    CHECK(b.dag->incoming(1).size() == 2);
    CHECK(b.dag->outgoing(0).size() == 2);
    CHECK(order(wf) == "a b c");
  }

  TEST_CASE("adjacency, edge ends and terminal nodes") {
    const Workflow wf = make({"a", "b", "c", "d"}, {"a>b", "a>c", "b>d", "c>d"});
    const auto b = build(wf);
    REQUIRE(b.dag);
    const Dag& g = *b.dag;
    CHECK(g.node_count() == 4);
    CHECK(g.index_of("c") == std::optional<std::size_t>(2));
    CHECK_FALSE(g.index_of("zz").has_value());
    CHECK(std::vector<std::uint32_t>(g.outgoing(0).begin(), g.outgoing(0).end()) ==
          std::vector<std::uint32_t>{0, 1});
    CHECK(std::vector<std::uint32_t>(g.incoming(3).begin(), g.incoming(3).end()) ==
          std::vector<std::uint32_t>{2, 3});
    CHECK(g.incoming(0).empty());
    CHECK(g.edge_source(2) == 1);
    CHECK(g.edge_target(2) == 3);
    CHECK_FALSE(g.is_terminal(0));
    CHECK_FALSE(g.is_terminal(1));
    CHECK(g.is_terminal(3));
    // An orphan is terminal.
    const Workflow orphan = make({"x"}, {});
    CHECK(build(orphan).dag->is_terminal(0));
  }

  TEST_CASE("a two-node cycle names its nodes") {
    const Workflow wf = load_json(R"({"nodes": [
  {"id": "a", "type": "number", "data": {"value": 1}},
  {"id": "b", "type": "number", "data": {"value": 2}}
], "edges": [
  {"id": "e1", "source": "a", "target": "b"},
  {"id": "e2", "source": "b", "target": "a"}
]})");
    const auto b = build(wf);
    CHECK_FALSE(b.dag);
    CHECK(
        b.out ==
        "flow.json:2:3: error[cycle]: workflow contains cycles (circular dependencies): 'a' -> 'b' "
        "-> 'a'\n"
        "  in node 'a' at $.nodes[0]\n"
        "    2 |   {\"id\": \"a\", \"type\": \"number\", \"data\": {\"value\": 1}},\n"
        "      |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n");
  }

  TEST_CASE("longer cycles and nodes downstream of a cycle") {
    auto b = build(make({"a", "b", "c"}, {"a>b", "b>c", "c>a"}));
    CHECK_FALSE(b.dag);
    CHECK(b.out ==
          "error[cycle]: workflow contains cycles (circular dependencies): 'a' -> 'b' -> 'c' -> "
          "'a'\n"
          "  in node 'a' at $.nodes[0]\n");
    // A root feeding a cycle, and a node behind it: only the cycle is named.
    b = build(make({"r", "x", "y", "after"}, {"r>x", "x>y", "y>x", "y>after"}));
    CHECK_FALSE(b.dag);
    CHECK(b.out ==
          "error[cycle]: workflow contains cycles (circular dependencies): 'x' -> 'y' -> 'x'\n"
          "  in node 'x' at $.nodes[1]\n"
          "  note: 3 node(s) are on or downstream of a cycle\n");
    // Two separate cycles: one diagnostic.
    b = build(make({"a", "b", "c", "d"}, {"a>b", "b>a", "c>d", "d>c"}));
    CHECK_FALSE(b.dag);
    CHECK(b.out ==
          "error[cycle]: workflow contains cycles (circular dependencies): 'a' -> 'b' -> 'a'\n"
          "  in node 'a' at $.nodes[0]\n"
          "  note: 4 node(s) are on or downstream of a cycle\n");
  }

  TEST_CASE("a cycle is named from its node that comes first in the document") {
    // Whatever node the search enters the cycle by.
    auto b = build(make({"c", "b", "a"}, {"a>b", "b>c", "c>a"}));
    CHECK(b.out ==
          "error[cycle]: workflow contains cycles (circular dependencies): 'c' -> 'a' -> 'b' -> "
          "'c'\n"
          "  in node 'c' at $.nodes[0]\n");
    b = build(make({"x", "p", "q"}, {"q>p", "p>q", "x>p"}));
    CHECK(b.out ==
          "error[cycle]: workflow contains cycles (circular dependencies): 'p' -> 'q' -> 'p'\n"
          "  in node 'p' at $.nodes[1]\n");
    // Eight nodes are named in full; nine are elided.
    b = build(make({"a", "b", "c", "d", "e", "f", "g", "h"},
                   {"a>b", "b>c", "c>d", "d>e", "e>f", "f>g", "g>h", "h>a"}));
    CHECK(b.out ==
          "error[cycle]: workflow contains cycles (circular dependencies): 'a' -> 'b' -> 'c' -> "
          "'d' -> 'e' -> 'f' -> 'g' -> 'h' -> 'a'\n"
          "  in node 'a' at $.nodes[0]\n");
    b = build(make({"a", "b", "c", "d", "e", "f", "g", "h", "i"},
                   {"a>b", "b>c", "c>d", "d>e", "e>f", "f>g", "g>h", "h>i", "i>a"}));
    CHECK(b.out ==
          "error[cycle]: workflow contains cycles (circular dependencies): 'a' -> 'b' -> 'c' -> "
          "'d' -> 'e' -> 'f' -> ... -> 'h' -> 'i' -> 'a'\n"
          "  in node 'a' at $.nodes[0]\n"
          "  note: the cycle has 9 nodes\n");
  }

  TEST_CASE("self-loops") {
    const Workflow wf =
        load_json(R"({"nodes": [{"id": "a", "type": "number", "data": {"value": 1}}],
"edges": [{"id": "loop", "source": "a", "target": "a"}]})");
    const auto b = build(wf);
    CHECK_FALSE(b.dag);
    CHECK(
        b.out ==
        "flow.json:2:11: error[self-loop]: workflow contains cycles (circular dependencies): node "
        "'a' has an edge to itself\n"
        "  in node 'a' at $.edges[0]\n"
        "    2 | \"edges\": [{\"id\": \"loop\", \"source\": \"a\", \"target\": \"a\"}]}\n"
        "      |           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n");
  }

  TEST_CASE("unknown edge endpoints, with did-you-mean") {
    const Workflow wf = load_json(R"({"nodes": [
  {"id": "fetch_user", "type": "number", "data": {"value": 1}},
  {"id": "sum", "type": "number", "data": {"value": 2}}
], "edges": [
  {"id": "e1", "source": "fetch_usr", "target": "sum"},
  {"id": "e2", "source": "sum", "target": "ghost"},
  {"source": "nobody", "target": "sum"}
]})");
    const auto b = build(wf);
    CHECK_FALSE(b.dag);
    CHECK(
        b.out ==
        "flow.json:5:26: error[unknown-node]: edge e1 references unknown source node 'fetch_usr'\n"
        "  at $.edges[0].source\n"
        "    5 |   {\"id\": \"e1\", \"source\": \"fetch_usr\", \"target\": \"sum\"},\n"
        "      |                          ^^^^^^^^^^^\n"
        "  note: did you mean 'fetch_user'?\n"
        "flow.json:6:43: error[unknown-node]: edge e2 references unknown target node 'ghost'\n"
        "  at $.edges[1].target\n"
        "    6 |   {\"id\": \"e2\", \"source\": \"sum\", \"target\": \"ghost\"},\n"
        "      |                                           ^^^^^^^\n"
        "flow.json:7:14: error[unknown-node]: edge #2 references unknown source node 'nobody'\n"
        "  at $.edges[2].source\n"
        "    7 |   {\"source\": \"nobody\", \"target\": \"sum\"}\n"
        "      |              ^^^^^^^^\n");
  }

  TEST_CASE("an edge with both endpoints unknown reports both") {
    const auto b = build(make({"a"}, {"x>y"}));
    CHECK_FALSE(b.dag);
    CHECK(b.out ==
          "error[unknown-node]: edge e0 references unknown source node 'x'\n"
          "  at $.edges[0].source\n"
          "error[unknown-node]: edge e0 references unknown target node 'y'\n"
          "  at $.edges[0].target\n");
  }

  TEST_CASE("duplicate ids point at the first definition") {
    const Workflow wf = load_json(R"({"nodes": [
  {"id": "a", "type": "number", "data": {"value": 1}},
  {"id": "b", "type": "number", "data": {"value": 2}},
  {"id": "a", "type": "number", "data": {"value": 3}}
]})");
    const auto b = build(wf);
    CHECK_FALSE(b.dag);
    CHECK(b.out ==
          "flow.json:4:3: error[duplicate-id]: duplicate node id: a\n"
          "  in node 'a' at $.nodes[2]\n"
          "    4 |   {\"id\": \"a\", \"type\": \"number\", \"data\": {\"value\": 3}}\n"
          "      |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n"
          "  note: first defined at line 2\n");
  }

  TEST_CASE("several structural problems are all reported") {
    const auto b = build(make({"a", "a", "b"}, {"a>zz", "b>b"}));
    CHECK_FALSE(b.dag);
    CHECK(
        b.out ==
        "error[duplicate-id]: duplicate node id: a\n"
        "  in node 'a' at $.nodes[1]\n"
        "error[unknown-node]: edge e0 references unknown target node 'zz'\n"
        "  at $.edges[0].target\n"
        "error[self-loop]: workflow contains cycles (circular dependencies): node 'b' has an edge "
        "to itself\n"
        "  in node 'b' at $.edges[1]\n");
  }

  TEST_CASE("a cycle is reported along with the other structural problems") {
    const auto b = build(make({"a", "b", "c", "a", "d"}, {"b>c", "c>b", "d>d", "ghost>d", "a>b"}));
    CHECK_FALSE(b.dag);
    CHECK(
        b.out ==
        "error[duplicate-id]: duplicate node id: a\n"
        "  in node 'a' at $.nodes[3]\n"
        "error[self-loop]: workflow contains cycles (circular dependencies): node 'd' has an edge "
        "to itself\n"
        "  in node 'd' at $.edges[2]\n"
        "error[unknown-node]: edge e3 references unknown source node 'ghost'\n"
        "  at $.edges[3].source\n"
        "error[cycle]: workflow contains cycles (circular dependencies): 'b' -> 'c' -> 'b'\n"
        "  in node 'b' at $.nodes[1]\n");
    // A self-loop alone is reported once, not also as a cycle.
    CHECK(
        build(make({"a", "b"}, {"a>b", "b>b"})).out ==
        "error[self-loop]: workflow contains cycles (circular dependencies): node 'b' has an edge "
        "to itself\n"
        "  in node 'b' at $.edges[1]\n");
  }

  TEST_CASE("large graphs: long chains and wide fans build in linear time") {
    Workflow wf;
    const std::size_t n = 100000;
    wf.nodes.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      NodeSpec s;
      s.id = "n" + std::to_string(i);
      s.data = Value(Object{});
      s.index = i;
      wf.nodes.push_back(std::move(s));
    }
    for (std::size_t i = 1; i < n; ++i) {
      EdgeSpec e;
      e.source = "n" + std::to_string(i - 1);
      e.target = "n" + std::to_string(i);
      e.index = i - 1;
      wf.edges.push_back(std::move(e));
    }
    auto b = build(wf);
    REQUIRE(b.dag);
    CHECK(b.dag->order().size() == n);
    CHECK(b.dag->order().front() == 0);
    CHECK(b.dag->order().back() == n - 1);
    // Close the chain into one long cycle: reported without deep recursion.
    EdgeSpec back;
    back.source = "n" + std::to_string(n - 1);
    back.target = "n0";
    back.index = wf.edges.size();
    wf.edges.push_back(back);
    b = build(wf);
    CHECK_FALSE(b.dag);
    // The message names a few nodes, not all 100,000.
    CHECK(b.out ==
          "error[cycle]: workflow contains cycles (circular dependencies): 'n0' -> 'n1' -> 'n2' -> "
          "'n3' -> 'n4' -> 'n5' -> ... -> 'n99998' -> 'n99999' -> 'n0'\n"
          "  in node 'n0' at $.nodes[0]\n"
          "  note: the cycle has 100000 nodes\n");
  }

  TEST_CASE("suggestions for unknown ids stop after a budget of comparisons") {
    // 1000 ids and 500 dangling edges: the first 200 get a suggestion (200,000
    // comparisons), the rest none, so thousands of bad edges stay fast.
    Workflow wf = make({}, {});
    for (int i = 0; i < 1000; ++i) {
      NodeSpec s;
      s.id = "node_" + std::to_string(i);
      s.data = Value(Object{});
      s.index = wf.nodes.size();
      wf.nodes.push_back(std::move(s));
    }
    for (int i = 0; i < 500; ++i) {
      EdgeSpec e;
      e.source = "node_1";
      e.target = "nodx_" + std::to_string(i);
      e.index = wf.edges.size();
      wf.edges.push_back(std::move(e));
    }
    diag::Diagnostics ds;
    CHECK_FALSE(Dag::build(wf, ds).has_value());
    REQUIRE(ds.size() == 500);
    CHECK(ds.all()[0].notes == std::vector<std::string>{"did you mean 'node_0'?"});
    CHECK(ds.all()[199].notes == std::vector<std::string>{"did you mean 'node_199'?"});
    CHECK(ds.all()[200].notes.empty());
    CHECK(ds.all()[499].notes.empty());
  }

  TEST_CASE("unknown ids in large graphs skip the suggestion") {
    Workflow wf = make({}, {});
    for (int i = 0; i < 2001; ++i) {
      NodeSpec s;
      s.id = "n" + std::to_string(i);
      s.data = Value(Object{});
      s.index = wf.nodes.size();
      wf.nodes.push_back(std::move(s));
    }
    EdgeSpec e;
    e.id = "e";
    e.source = "n1";
    e.target = "n20001";
    wf.edges.push_back(e);
    CHECK(build(wf).out ==
          "error[unknown-node]: edge e references unknown target node 'n20001'\n"
          "  at $.edges[0].target\n");
  }
}
