// Rules about the graph and the document's structure: how nodes are typed
// and connected, which nodes can run together, and what the run-wide state
// (context values, run variables, the accumulator) does across nodes.
#include <fmt/format.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "thaiyyal/expr/reads.h"
#include "thaiyyal/expr/text.h"
#include "thaiyyal/lint/rules.h"
#include "thaiyyal/model/duration.h"

namespace thaiyyal::lint::detail {
namespace {

using diag::Severity;

// ---- naming things in messages ----------------------------------------------------

/// An edge's id, or `#<index>` when it has none.
std::string edge_name(const EdgeSpec& e) {
  return e.id.empty() ? fmt::format("#{}", e.index) : e.id;
}

/// The key that holds an edge's handle.
std::string_view handle_key(const EdgeSpec& e) {
  return e.handle_from_condition ? "condition" : "sourceHandle";
}

/// `e2 (c -> j, sourceHandle 'true')`, `e3 (a -> j)`.
std::string edge_label(const EdgeSpec& e) {
  if (!e.handle) return fmt::format("{} ({} -> {})", edge_name(e), e.source, e.target);
  return fmt::format("{} ({} -> {}, {} '{}')", edge_name(e), e.source, e.target, handle_key(e),
                     *e.handle);
}

/// "a", "a and b", "a, b and c".
std::string join_words(const std::vector<std::string>& words) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += i + 1 == words.size() ? " and " : ", ";
    out += words[i];
  }
  return out;
}

/// Up to `max` labels, then "N more".
std::string join_some(const std::vector<std::string>& words, std::size_t max = 3) {
  if (words.size() <= max) return join_words(words);
  std::vector<std::string> shown(words.begin(), words.begin() + static_cast<std::ptrdiff_t>(max));
  shown.push_back(fmt::format("{} more", words.size() - max));
  return join_words(shown);
}

/// `$.nodes[node].data` followed by `below`.
std::vector<PathStep> data_path(std::size_t node, std::vector<PathStep> below) {
  auto p = node_path(node);
  p.push_back(PathStep{"data", std::nullopt});
  p.insert(p.end(), below.begin(), below.end());
  return p;
}

/// The string member `key` of a node's data, if it is one.
const std::string* data_string(const NodeSpec& node, std::string_view key) {
  const Value* v = node.data.find(key);
  return v ? v->if_string() : nullptr;
}

// ---- routing: which edges can fire, which nodes can run together -------------------

/// A routing decision: node `node` routed its result to `handle`.
struct Choice {
  std::uint32_t node;
  const std::string* handle;
};

bool operator<(const Choice& a, const Choice& b) {
  return a.node != b.node ? a.node < b.node : *a.handle < *b.handle;
}

/// Sorted, at most one choice per routing node.
using Choices = std::vector<Choice>;

/// What the edges allow without running anything (spec 01 §3.3, §3.4): which
/// edges can ever fire, which nodes some run can execute, and for each such
/// node the routing choices every run that executes it has made. A routing
/// node (condition, switch) routes each run to exactly one of its handles (a
/// condition's `path`, a switch's `output_path`), so two nodes that need
/// different handles of one routing node never run in the same run.
class Routing {
 public:
  explicit Routing(const LintInput& in)
      : in_(in),
        live_(in.wf.edges.size(), 0),
        reachable_(in.wf.nodes.size(), 0),
        needs_(in.wf.nodes.size()) {
    const auto& dag = in.dag();
    for (const auto& e : in.wf.edges) {
      const auto& t = in.traits[dag.edge_source(e.index)];
      live_[e.index] = !e.handle || (t.routes && std::find(t.handles.begin(), t.handles.end(),
                                                           *e.handle) != t.handles.end());
    }
    for (const auto v : dag.order()) {
      const auto& incoming = dag.incoming(v);
      if (incoming.empty()) {
        reachable_[v] = 1;
        continue;
      }
      bool any = false;
      Choices acc;
      for (const auto e : incoming) {
        if (!fires_sometimes(e)) continue;
        Choices c = edge_needs(e);
        if (!any) {
          acc = std::move(c);
          any = true;
        } else {
          Choices both;
          std::set_intersection(acc.begin(), acc.end(), c.begin(), c.end(),
                                std::back_inserter(both));
          acc = std::move(both);
        }
      }
      reachable_[v] = any ? 1 : 0;
      needs_[v] = std::move(acc);
    }
  }

  /// The edge has a handle and leaves a routing node.
  bool conditional(std::size_t e) const {
    return in_.wf.edges[e].handle.has_value() && in_.traits[in_.dag().edge_source(e)].routes;
  }
  /// Some run executes the edge's source and the edge fires: it is
  /// unconditional, or names a handle its routing source can route to.
  bool fires_sometimes(std::size_t e) const {
    return live_[e] && reachable_[in_.dag().edge_source(e)];
  }
  /// Some run executes the node.
  bool reachable(std::size_t n) const { return reachable_[n] != 0; }
  /// The choices made by every run in which edge e fires.
  Choices edge_needs(std::size_t e) const {
    const std::size_t s = in_.dag().edge_source(e);
    Choices c = needs_[s];
    if (conditional(e)) {
      const Choice own{static_cast<std::uint32_t>(s), &*in_.wf.edges[e].handle};
      c.insert(std::lower_bound(c.begin(), c.end(), own), own);
    }
    return c;
  }
  /// No run executes both nodes (both must be reachable).
  bool exclusive(std::size_t a, std::size_t b) const {
    const Choices& x = needs_[a];
    const Choices& y = needs_[b];
    std::size_t i = 0, j = 0;
    while (i < x.size() && j < y.size()) {
      if (x[i].node == y[j].node) {
        if (*x[i].handle != *y[j].handle) return true;
        ++i;
        ++j;
      } else if (x[i].node < y[j].node) {
        ++i;
      } else {
        ++j;
      }
    }
    return false;
  }

 private:
  const LintInput& in_;
  std::vector<char> live_;  ///< per edge: unconditional, or a handle the source has
  std::vector<char> reachable_;
  std::vector<Choices> needs_;
};

/// Why edge e never fires, for a note.
std::string never_fires_note(const LintInput& in, const EdgeSpec& e) {
  const std::size_t s = in.dag().edge_source(e.index);
  const auto& t = in.traits[s];
  if (t.routes) {
    return fmt::format("'{}' is not a handle of {} (its handles are {}), so edge {} never fires",
                       *e.handle, e.source, fmt::join(t.handles, ", "), edge_name(e));
  }
  return fmt::format(
      "{} (type {}) does not route, so edge {} never fires; remove its {} (or set it to null) "
      "to make it unconditional",
      e.source, in.wf.nodes[s].type, edge_name(e), handle_key(e));
}

// ---- the rules ---------------------------------------------------------------------

void inferred_type(const LintInput& in, Reporter& out) {
  for (const auto& node : in.wf.nodes) {
    if (!node.type_inferred) continue;
    auto& d = out.report(fmt::format("node {} has no type; it runs as {} because of its data keys",
                                     node.id, node.type),
                         in.wf.location(node_path(node.index), &node));
    d.notes.push_back(fmt::format("add type: {} to say so", node.type));
  }
}

void legacy_condition_field(const LintInput& in, Reporter& out) {
  for (const auto& edge : in.wf.edges) {
    if (!edge.handle_from_condition) continue;
    auto& d = out.report(fmt::format("edge {} -> {} names its handle with the legacy condition key",
                                     edge.source, edge.target),
                         in.wf.location(edge_path(edge.index, "condition"), nullptr, true));
    d.notes.push_back(fmt::format("write sourceHandle: {} instead", *edge.handle));
  }
}

void unreachable_node(const LintInput& in, Reporter& out) {
  const Routing routing(in);
  const auto& dag = in.dag();
  // For each node no run executes: the edges that cannot fire out of nodes
  // that can run, through which it would otherwise be reached.
  std::vector<std::vector<std::uint32_t>> cut(in.wf.nodes.size());
  for (const auto v : dag.order()) {
    if (routing.reachable(v)) continue;
    auto& c = cut[v];
    for (const auto e : dag.incoming(v)) {
      const std::size_t s = dag.edge_source(e);
      if (routing.reachable(s)) {
        c.push_back(e);  // reachable source, so the edge itself cannot fire
      } else {
        c.insert(c.end(), cut[s].begin(), cut[s].end());
      }
    }
    std::sort(c.begin(), c.end());
    c.erase(std::unique(c.begin(), c.end()), c.end());
  }
  for (const auto& node : in.wf.nodes) {
    if (routing.reachable(node.index)) continue;
    const auto& c = cut[node.index];
    std::vector<std::string> labels;
    for (const auto e : c) labels.push_back(edge_label(in.wf.edges[e]));
    auto& d = out.report(
        fmt::format("node {} never runs: every path to it goes through {} {}, which never fire{}",
                    node.id, c.size() == 1 ? "edge" : "edges", join_some(labels),
                    c.size() == 1 ? "s" : ""),
        in.wf.location(node_path(node.index), &node));
    for (std::size_t k = 0; k < c.size() && k < 3; ++k) {
      d.notes.push_back(never_fires_note(in, in.wf.edges[c[k]]));
    }
  }
}

void conditional_input_delivered(const LintInput& in, Reporter& out) {
  const Routing routing(in);
  const auto& dag = in.dag();
  for (const auto& node : in.wf.nodes) {
    const auto& incoming = dag.incoming(node.index);
    if (incoming.size() < 2 || !routing.reachable(node.index)) continue;
    std::vector<Choices> needs;  // per incoming edge, computed on first use
    for (const auto e : incoming) {
      if (!routing.conditional(e) || !routing.fires_sometimes(e)) continue;
      if (needs.empty()) {
        for (const auto o : incoming) {
          needs.push_back(routing.fires_sometimes(o) ? routing.edge_needs(o) : Choices{});
        }
      }
      const EdgeSpec& edge = in.wf.edges[e];
      const std::size_t src = dag.edge_source(e);
      const Choice own{static_cast<std::uint32_t>(src), &*edge.handle};
      // Another edge that can fire in a run where this one does not: any
      // edge that can fire, unless every run in which it fires has `src`
      // route to this edge's handle.
      const EdgeSpec* other = nullptr;
      for (std::size_t k = 0; k < incoming.size() && !other; ++k) {
        const auto o = incoming[k];
        if (o == e || !routing.fires_sometimes(o)) continue;
        if (dag.edge_source(o) == src && routing.conditional(o)) continue;
        if (std::binary_search(needs[k].begin(), needs[k].end(), own)) continue;
        other = &in.wf.edges[o];
      }
      if (!other) continue;
      auto& d = out.report(
          fmt::format("edge {} gives {} the result of {} even when it does not fire: {} also runs "
                      "because of edge {}",
                      edge_label(edge), node.id, edge.source, node.id, edge_label(*other)),
          in.wf.location(edge_path(e, handle_key(edge)), &node));
      d.notes.push_back(fmt::format(
          "a node receives the result of every source that ran, whatever the handles of its "
          "edges (spec 01 §3.5); the handle only decides whether this edge makes {} run",
          node.id));
      d.notes.push_back(fmt::format(
          "to pass {}'s result only when it routes to '{}', put a node of its own in between "
          "({} -> new node -> {}, the handle on the first edge): a skipped node delivers nothing",
          edge.source, *edge.handle, edge.source, node.id));
    }
  }
}

void multiple_terminals(const LintInput& in, Reporter& out) {
  const Routing routing(in);
  std::vector<std::size_t> candidates;
  for (const auto& node : in.wf.nodes) {
    if (in.dag().is_terminal(node.index) && !in.compiled.kinds[node.index]->context_node &&
        routing.reachable(node.index)) {
      candidates.push_back(node.index);
    }
  }
  // Only candidates that can run in the same run as another one compete.
  std::vector<std::size_t> competing;
  for (const auto a : candidates) {
    for (const auto b : candidates) {
      if (a != b && !routing.exclusive(a, b)) {
        competing.push_back(a);
        break;
      }
    }
  }
  if (competing.size() < 2) return;
  std::vector<std::string> ids;
  for (const auto i : competing) ids.push_back(in.wf.nodes[i].id);
  const NodeSpec& second = in.wf.nodes[competing[1]];
  auto& d = out.report(
      fmt::format("nodes {} are {} terminal: the final output is the result of the first of "
                  "them, in document order, that runs",
                  join_some(ids, 6), ids.size() == 2 ? "both" : "all"),
      in.wf.location(node_path(second.index), &second));
  d.notes.push_back(
      "the final output is the result of the first executed node that no edge leaves (decision "
      "D5); the other results are only in node_results");
  d.notes.push_back(
      "connect the nodes whose results matter to one last node (a join, for example) to make "
      "the final output explicit");
}

void switch_without_default(const LintInput& in, Reporter& out) {
  const auto& dag = in.dag();
  for (const auto& node : in.wf.nodes) {
    if (in.kind(node.index) != "switch") continue;
    const Value* cases_value = node.data.find("cases");
    const Array* cases = cases_value ? cases_value->if_array() : nullptr;
    if (!cases || cases->empty()) continue;
    const std::size_t last = cases->size() - 1;
    const Value& def = (*cases)[last];
    const Value* is_default = def.find("is_default");
    if (!is_default || !is_default->is_bool() || !is_default->as_bool()) continue;
    const Value* path = def.find("output_path");
    const std::string handle = path && path->is_string() && !path->as_string().empty()
                                   ? path->as_string()
                                   : std::string("default");
    bool routed = false;  // some edge leaves through a handle
    bool covered = false;
    for (const auto e : dag.outgoing(node.index)) {
      const EdgeSpec& edge = in.wf.edges[e];
      if (!edge.handle || *edge.handle == handle) covered = true;
      if (edge.handle) routed = true;
    }
    if (!routed || covered) continue;
    auto where = data_path(node.index, {PathStep{"cases", std::nullopt}, PathStep{"", last}});
    auto& d = out.report(
        fmt::format("switch {} has no edge for its default case ('{}'): when no case matches, "
                    "none of its edges fire and the nodes after it are skipped",
                    node.id, handle),
        in.wf.location(where, &node));
    d.notes.push_back(
        fmt::format("add an edge from {} with sourceHandle: {} for the values that match no case",
                    node.id, handle));
  }
}

void duplicate_edge(const LintInput& in, Reporter& out) {
  using Key = std::tuple<std::string_view, std::string_view, bool, std::string_view>;
  std::map<Key, std::size_t> first;
  for (const auto& e : in.wf.edges) {
    const Key key{e.source, e.target, e.handle.has_value(),
                  e.handle ? std::string_view(*e.handle) : std::string_view()};
    auto [it, fresh] = first.try_emplace(key, e.index);
    if (fresh) continue;
    const EdgeSpec& earlier = in.wf.edges[it->second];
    const NodeSpec& target = in.wf.nodes[in.dag().edge_target(e.index)];
    auto& d = out.report(fmt::format("edge {} repeats edge {}: {} receives the result of {} twice",
                                     edge_label(e), edge_name(earlier), e.target, e.source),
                         in.wf.location(edge_path(e.index), &target));
    d.notes.push_back(
        "inputs are gathered edge by edge, so a repeated edge delivers the same input again "
        "(spec 01 §3.5); remove one of them");
  }
}

void target_handle_ignored(const LintInput& in, Reporter& out) {
  const auto& dag = in.dag();
  for (const auto& e : in.wf.edges) {
    if (!e.target_handle) continue;
    const std::size_t t = dag.edge_target(e.index);
    const NodeSpec& target = in.wf.nodes[t];
    auto& d = out.report(fmt::format("edge {}: targetHandle '{}' is ignored; {} receives its "
                                     "inputs in the order of its edges",
                                     edge_label(e), *e.target_handle, e.target),
                         in.wf.location(edge_path(e.index, "targetHandle"), &target));
    const auto& incoming = dag.incoming(t);
    if (incoming.size() > 1) {
      std::vector<std::string> order;
      for (const auto k : incoming) {
        order.push_back(
            fmt::format("{} (edge {})", in.wf.edges[k].source, edge_name(in.wf.edges[k])));
      }
      d.notes.push_back(fmt::format("{}'s inputs, in order: {}", e.target, fmt::join(order, ", ")));
    }
    d.notes.push_back(
        "remove targetHandle, and order the edges in the document to order the inputs");
  }
}

void extra_operation_inputs(const LintInput& in, Reporter& out) {
  const auto& dag = in.dag();
  for (const auto& node : in.wf.nodes) {
    if (in.kind(node.index) != "operation") continue;
    const auto& incoming = dag.incoming(node.index);
    if (incoming.size() <= 2) continue;
    std::vector<std::string> extra;
    for (std::size_t k = 2; k < incoming.size(); ++k) {
      extra.push_back(edge_label(in.wf.edges[incoming[k]]));
    }
    auto& d = out.report(
        fmt::format("operation {} has {} incoming edges but uses only its first two inputs: "
                    "the input of {} {} is ignored",
                    node.id, incoming.size(), extra.size() == 1 ? "edge" : "edges",
                    join_some(extra)),
        in.wf.location(edge_path(incoming[2]), &node));
    d.notes.push_back(
        "an operation combines inputs[0] and inputs[1], in edge order (spec 01 §3.5); chain "
        "operations, or use an expression node, to combine more values");
  }
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

/// Compares as people read names with numbers: runs of digits by value.
int natural_compare(std::string_view a, std::string_view b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (is_digit(a[i]) && is_digit(b[j])) {
      std::size_t i_end = i, j_end = j;
      while (i_end < a.size() && is_digit(a[i_end])) ++i_end;
      while (j_end < b.size() && is_digit(b[j_end])) ++j_end;
      std::string_view x = a.substr(i, i_end - i), y = b.substr(j, j_end - j);
      x.remove_prefix(std::min(x.find_first_not_of('0'), x.size()));
      y.remove_prefix(std::min(y.find_first_not_of('0'), y.size()));
      if (x.size() != y.size()) return x.size() < y.size() ? -1 : 1;
      if (const int c = x.compare(y); c != 0) return c < 0 ? -1 : 1;
      i = i_end;
      j = j_end;
    } else {
      if (a[i] != b[j]) {
        return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[j]) ? -1 : 1;
      }
      ++i;
      ++j;
    }
  }
  const bool a_done = i == a.size(), b_done = j == b.size();
  return a_done && b_done ? 0 : (a_done ? -1 : 1);
}

void numeric_ids(const LintInput& in, Reporter& out) {
  // The nodes without incoming edges start the run in the byte order of
  // their ids (spec 01 §3.2); after them the order follows the edges.
  std::vector<const NodeSpec*> first;
  for (const auto& node : in.wf.nodes) {
    if (in.dag().incoming(node.index).empty()) first.push_back(&node);
  }
  std::sort(first.begin(), first.end(), [](const auto* a, const auto* b) { return a->id < b->id; });
  for (std::size_t k = 1; k < first.size(); ++k) {
    const NodeSpec& a = *first[k - 1];
    const NodeSpec& b = *first[k];
    if (natural_compare(a.id, b.id) <= 0) continue;
    auto id_path = node_path(a.index);
    id_path.push_back(PathStep{"id", std::nullopt});
    auto& d = out.report(fmt::format("node {} runs before node {}: ids are compared as text, not "
                                     "as numbers",
                                     a.id, b.id),
                         in.wf.location(id_path, &a));
    std::vector<std::string> order;
    for (std::size_t m = 0; m < first.size() && m < 8; ++m) order.push_back(first[m]->id);
    if (first.size() > 8) order.push_back("...");
    d.notes.push_back(
        fmt::format("the nodes without incoming edges run first, in the byte order of their ids "
                    "(spec 01 §3.2): {}",
                    fmt::join(order, ", ")));
    d.notes.push_back(
        "if the order matters, give the numbers one width (02, 10) or connect the nodes with "
        "edges");
    return;
  }
}

void context_node_with_edges(const LintInput& in, Reporter& out) {
  const auto& dag = in.dag();
  for (const auto& node : in.wf.nodes) {
    if (!in.compiled.kinds[node.index]->context_node) continue;
    const auto& incoming = dag.incoming(node.index);
    const auto& outgoing = dag.outgoing(node.index);
    if (incoming.empty() && outgoing.empty()) continue;
    std::vector<std::size_t> edges(incoming.begin(), incoming.end());
    edges.insert(edges.end(), outgoing.begin(), outgoing.end());
    std::sort(edges.begin(), edges.end());
    std::vector<std::string> labels;
    for (const auto e : edges) labels.push_back(edge_label(in.wf.edges[e]));
    auto& d = out.report(fmt::format("context node {} has {} {}", node.id,
                                     edges.size() == 1 ? "an edge:" : "edges:", join_some(labels)),
                         in.wf.location(node_path(node.index), &node));
    if (!incoming.empty()) {
      d.notes.push_back(
          "with an incoming edge it no longer runs with the nodes that have none: those may read "
          "its values before it defines them, and it is skipped when its sources are");
    }
    if (!outgoing.empty()) {
      d.notes.push_back(fmt::format(
          "its result becomes an input of {}; context values are read as context.NAME or "
          "{{{{ const.NAME }}}}, not through edges",
          in.wf.edges[outgoing.front()].target));
    }
    d.notes.push_back(
        "remove the edges: a context node defines its values for the whole run and runs first "
        "when it has none");
  }
}

/// A context value a node defines, and where.
struct Definition {
  std::size_t node;
  std::string_view name;
  bool constant;
  std::vector<PathStep> path;
};

/// Every context definition in node order, located at its `name` (or the
/// legacy `context_name`).
std::vector<Definition> context_definitions(const LintInput& in) {
  std::vector<Definition> out;
  for (const auto& node : in.wf.nodes) {
    const auto& defs = in.facts(node.index).context_values;
    if (defs.empty()) continue;
    const Value* values = node.data.find("context_values");
    const Array* items = values ? values->if_array() : nullptr;
    std::size_t next = 0;  // facts list the entries in array order
    for (const auto& def : defs) {
      std::vector<PathStep> path = node_path(node.index);
      bool found = false;
      for (; items && next < items->size() && !found; ++next) {
        const Value* name = (*items)[next].find("name");
        if (name && name->is_string() && name->as_string() == def.name) {
          path = data_path(node.index, {PathStep{"context_values", std::nullopt},
                                        PathStep{"", next}, PathStep{"name", std::nullopt}});
          found = true;
        }
      }
      if (!found) {
        if (const std::string* legacy = data_string(node, "context_name");
            legacy && *legacy == def.name) {
          path = node_data_path(node.index, "context_name");
        }
      }
      out.push_back(Definition{node.index, def.name, def.constant, std::move(path)});
    }
  }
  return out;
}

std::string_view definition_kind(bool constant) { return constant ? "constant" : "variable"; }

void duplicate_context_name(const LintInput& in, Reporter& out) {
  const auto defs = context_definitions(in);
  std::map<std::pair<std::string_view, bool>, const Definition*> first;
  for (const auto& def : defs) {
    auto [it, fresh] = first.try_emplace(std::pair(def.name, def.constant), &def);
    if (fresh) continue;
    const Definition& earlier = *it->second;
    const NodeSpec& node = in.wf.nodes[def.node];
    const std::string where_first = earlier.node == def.node
                                        ? std::string("earlier in the same node")
                                        : fmt::format("by node {}", in.wf.nodes[earlier.node].id);
    auto& d = out.report(fmt::format("context {} '{}' is defined again (first {})",
                                     definition_kind(def.constant), def.name, where_first),
                         in.wf.location(def.path, &node));
    d.notes.push_back(
        earlier.node == def.node
            ? fmt::format("the later entry overwrites the earlier one when {} runs; keep one "
                          "definition of '{}'",
                          node.id, def.name)
            : fmt::format("the value stored last wins, and among nodes without edges the order "
                          "is decided by their ids; keep one definition of '{}'",
                          def.name));
  }
}

void shadowed_constant(const LintInput& in, Reporter& out) {
  const auto defs = context_definitions(in);
  std::unordered_map<std::string_view, const Definition*> variables;
  for (const auto& def : defs) {
    if (!def.constant) variables.try_emplace(def.name, &def);
  }
  std::set<std::string_view> reported;
  for (const auto& def : defs) {
    if (!def.constant) continue;
    auto it = variables.find(def.name);
    if (it == variables.end() || !reported.insert(def.name).second) continue;
    const NodeSpec& node = in.wf.nodes[def.node];
    auto& d = out.report(
        fmt::format("context constant '{}' is shadowed by the context variable of the same name "
                    "that node {} defines: expressions read the variable as context.{}",
                    def.name, in.wf.nodes[it->second->node].id, def.name),
        in.wf.location(def.path, &node));
    d.notes.push_back(fmt::format(
        "context.NAME merges the constants and then the variables, so the variable wins (spec 01 "
        "§4.5); {{{{ const.{} }}}} still reads the constant",
        def.name));
    d.notes.push_back("rename one of them");
  }
}

/// Bare names of an expression (02 §5.2: a name that the subject does not
/// have reads the run variable of that name), and the roots `index`,
/// `items` and `accumulator`, which read a variable of their name where the
/// node does not bind them.
void variable_names(const expr::detail::Node& root, std::vector<std::string_view>& names) {
  using namespace expr::detail;
  std::vector<const Node*> stack{&root};
  auto push = [&](const NodePtr& child) {
    if (child) stack.push_back(child.get());
  };
  while (!stack.empty()) {
    const Node* n = stack.back();
    stack.pop_back();
    switch (n->kind) {
      case NodeKind::Literal:
        break;
      case NodeKind::Name:
        names.push_back(static_cast<const NameNode&>(*n).name);
        break;
      case NodeKind::Root: {
        const auto& r = static_cast<const RootNode&>(*n);
        if (r.root == RootKind::Index || r.root == RootKind::Items ||
            r.root == RootKind::Accumulator) {
          names.push_back(r.name);
        }
        break;
      }
      case NodeKind::Chain: {
        const auto& c = static_cast<const ChainNode&>(*n);
        push(c.base);
        for (const auto& link : c.links) {
          push(link.key);
          for (const auto& arg : link.args) push(arg);
        }
        break;
      }
      case NodeKind::Unary:
        push(static_cast<const UnaryNode&>(*n).operand);
        break;
      case NodeKind::Binary: {
        const auto& b = static_cast<const BinaryNode&>(*n);
        push(b.first);
        for (const auto& step : b.rest) push(step.rhs);
        break;
      }
      case NodeKind::Logical:
        for (const auto& o : static_cast<const LogicalNode&>(*n).operands) push(o);
        break;
      case NodeKind::Conditional: {
        const auto& c = static_cast<const ConditionalNode&>(*n);
        push(c.condition);
        push(c.then_branch);
        push(c.else_branch);
        break;
      }
      case NodeKind::Array:
        for (const auto& e : static_cast<const ArrayNode&>(*n).elements) push(e);
        break;
      case NodeKind::Object:
        for (const auto& entry : static_cast<const ObjectNode&>(*n).entries) push(entry.second);
        break;
      case NodeKind::Call:
        for (const auto& a : static_cast<const CallNode&>(*n).args) push(a);
        break;
      case NodeKind::Shorthand:
        push(static_cast<const ShorthandNode&>(*n).rhs);
        break;
    }
  }
}

void unused_variable(const LintInput& in, Reporter& out) {
  // Owned names: a Read's member lives only as long as the reads() list.
  std::set<std::string, std::less<>> read;
  for (std::size_t i = 0; i < in.wf.nodes.size(); ++i) {
    if (in.traits[i].needs_variable) read.insert(*in.traits[i].needs_variable);
    if (!in.facts(i).complete) return;  // some expressions may be unknown
    for (const auto& site : in.facts(i).expressions) {
      if (!site.program) return;
      for (const auto& r : expr::reads(*site.program)) {
        if (r.root != expr::detail::RootKind::Variables) continue;
        if (!r.member) return;  // any variable may be read
        read.insert(*r.member);
      }
      std::vector<std::string_view> names;
      variable_names(site.program->root(), names);
      for (const auto name : names) read.emplace(name);
    }
  }
  for (const auto& node : in.wf.nodes) {
    const auto& set = in.traits[node.index].sets_variable;
    if (!set || read.count(*set) > 0) continue;
    const std::string* key = data_string(node, "var_name");
    auto where = key && *key == *set ? in.wf.node_location(node, "var_name")
                                     : in.wf.location(node_path(node.index), &node);
    auto& d = out.report(
        fmt::format("node {} stores the variable '{}', but no node reads it", node.id, *set),
        std::move(where));
    d.notes.push_back(fmt::format(
        "read it with a variable node (var_op: get) or as variables.{} in an expression, or "
        "remove the node",
        *set));
  }
}

/// What an orphan node reads, and the node that produces it.
struct OrphanRead {
  std::size_t producer;
  std::string what;       ///< context.x, variables.x, node.x, {{ const.x }}
  std::string_view role;  ///< ", which defines it" (empty for node.*)
  diag::Location where;
};

void orphan_context_reader(const LintInput& in, Reporter& out) {
  using expr::detail::RootKind;
  const auto& dag = in.dag();
  const std::size_t count = in.wf.nodes.size();
  // The first node that produces each thing a node may read.
  std::unordered_map<std::string_view, std::size_t> context_def, constant_def, context_var_def,
      run_var;
  std::optional<std::size_t> any_context, any_run_var;
  for (std::size_t i = 0; i < count; ++i) {
    for (const auto& def : in.facts(i).context_values) {
      context_def.try_emplace(def.name, i);
      (def.constant ? constant_def : context_var_def).try_emplace(def.name, i);
      if (!any_context) any_context = i;
    }
    if (in.traits[i].sets_variable) {
      run_var.try_emplace(*in.traits[i].sets_variable, i);
      if (!any_run_var) any_run_var = i;
    }
  }
  auto lookup = [](const auto& map, std::string_view name) -> std::optional<std::size_t> {
    auto it = map.find(name);
    if (it == map.end()) return std::nullopt;
    return it->second;
  };
  // A constant given from outside the workflow is there from the start.
  auto given = [&](std::string_view name) {
    const auto& c = in.options.constants;
    return std::find(c.begin(), c.end(), name) != c.end();
  };
  for (const auto& node : in.wf.nodes) {
    const std::size_t r = node.index;
    if (!dag.incoming(r).empty() || !dag.outgoing(r).empty()) continue;
    std::optional<OrphanRead> found;
    for (const auto& site : in.facts(r).expressions) {
      if (!site.program || found) continue;
      for (const auto& read : expr::reads(*site.program)) {
        std::optional<std::size_t> producer;
        std::string what;
        std::string_view role;
        std::size_t length = 0;
        const std::string member = read.member.value_or("");
        switch (read.root) {
          case RootKind::Context:
            if (read.member && given(member)) continue;
            producer = read.member ? lookup(context_def, member) : any_context;
            what = read.member ? "context." + member : "context";
            role = ", which defines it";
            length = 7;
            break;
          case RootKind::Variables:
            producer = read.member ? lookup(run_var, member) : any_run_var;
            what = read.member ? "variables." + member : "variables";
            role = ", which stores it";
            length = 9;
            break;
          case RootKind::Node:
            if (read.member) {
              producer = dag.index_of(member);
            } else if (count > 1) {
              producer = r == 0 ? 1 : 0;
            }
            what = read.member ? "node." + member : "node";
            length = 4;
            break;
          default:
            continue;
        }
        if (!producer || *producer == r) continue;
        const std::size_t offset = expr::detail::byte_offset_of(
            site.text, static_cast<std::size_t>(std::max(read.column, 1) - 1));
        found =
            OrphanRead{*producer, std::move(what), role,
                       in.wf.location_in_string(data_path(r, site.path), offset, length, &node)};
        break;
      }
    }
    for (const auto& site : in.facts(r).templates) {
      if (found) break;
      for (const auto& p : site.text.placeholders()) {
        if (p.is_const && given(p.name)) continue;
        const auto producer = lookup(p.is_const ? constant_def : context_var_def, p.name);
        if (!producer || *producer == r) continue;
        found = OrphanRead{*producer, std::string(site.text.spelling(p)), ", which defines it",
                           in.wf.location_in_string(data_path(r, site.path), p.begin,
                                                    p.end - p.begin, &node, site.at_key)};
        break;
      }
    }
    if (!found) continue;
    const NodeSpec& producer = in.wf.nodes[found->producer];
    const bool first_wave = dag.incoming(producer.index).empty();
    std::string message;
    if (first_wave) {
      message = fmt::format(
          "node {} has no edges and reads {}: only the node ids decide whether node {}{}{} runs "
          "before it",
          node.id, found->what, producer.id, found->role, found->role.empty() ? "" : ",");
    } else {
      message = fmt::format(
          "node {} has no edges and reads {}, but it runs before node {}{}: nodes without edges "
          "run first",
          node.id, found->what, producer.id, found->role);
    }
    auto& d = out.report(std::move(message), std::move(found->where));
    if (first_wave) {
      d.notes.push_back(producer.id < node.id
                            ? fmt::format("today {} runs first, because '{}' sorts before '{}'",
                                          producer.id, producer.id, node.id)
                            : fmt::format("today {} runs first ('{}' sorts before '{}'), so it "
                                          "does not see the value",
                                          node.id, node.id, producer.id));
      d.notes.push_back(fmt::format(
          "give {} an incoming edge: a node with incoming edges runs after every node that has "
          "none",
          node.id));
    } else {
      d.notes.push_back(
          fmt::format("add an edge from {} to {} so that it runs after it", producer.id, node.id));
    }
  }
}

void delay_exceeds_timeout(const LintInput& in, Reporter& out) {
  const auto& limits = in.options.limits;
  const Nanos run_limit = limits.max_execution_time;
  const Nanos node_limit = limits.max_node_execution_time;
  // The limit reached first.
  const bool run_first =
      run_limit.count() > 0 && (node_limit.count() <= 0 || run_limit <= node_limit);
  const Nanos limit = run_first ? run_limit : node_limit;
  if (limit.count() <= 0) return;
  for (const auto& node : in.wf.nodes) {
    if (in.kind(node.index) != "delay") continue;
    const std::string* text = data_string(node, "duration");
    if (!text) continue;
    const auto wait = parse_node_duration(*text);
    if (!wait || *wait <= limit) continue;
    const std::string shown = format_go_duration(limit);
    auto& d = out.report(
        run_first ? fmt::format("delay {} waits {}, longer than the run may take ({}): the run "
                                "times out during the wait",
                                node.id, *text, shown)
                  : fmt::format("delay {} waits {}, longer than a node may run ({}): it fails "
                                "with 'node execution timeout: exceeded {}'",
                                node.id, *text, shown, shown),
        in.wf.node_location(node, "duration"));
    d.notes.push_back(fmt::format("shorten the delay, or raise the limit with {} when running it",
                                  run_first ? "--max-execution-time" : "--max-node-time"));
  }
}

void retry_cannot_fail(const LintInput& in, Reporter& out) {
  const auto& dag = in.dag();
  for (const auto& node : in.wf.nodes) {
    const auto* kind = in.compiled.kinds[node.index];
    const auto& config = in.compiled.configs[node.index];
    if (!kind->guard || !config) continue;
    const nodes::GuardPolicy* policy = kind->guard(*config);
    if (!policy || policy->type != nodes::GuardPolicy::Type::Retry) continue;
    const auto& incoming = dag.incoming(node.index);
    if (incoming.empty()) continue;
    std::vector<std::string> sources;
    bool constant = true;
    for (const auto e : incoming) {
      const std::size_t s = dag.edge_source(e);
      if (in.compiled.kinds[s]->category != nodes::Category::Input) {
        constant = false;
        break;
      }
      const std::string label = fmt::format("{} (type {})", in.wf.nodes[s].id, in.wf.nodes[s].type);
      if (std::find(sources.begin(), sources.end(), label) == sources.end())
        sources.push_back(label);
    }
    if (!constant) continue;
    auto& d =
        out.report(fmt::format("retry {} has nothing to retry: its input comes only from {}, "
                               "which never {}",
                               node.id, join_some(sources), sources.size() == 1 ? "fails" : "fail"),
                   in.wf.location(node_path(node.index), &node));
    d.notes.push_back(
        "retry re-executes a predecessor that fails, and treats an input object with an error "
        "key as a failure (decision D10); a constant input node does neither");
    d.notes.push_back(
        "put the retry right after the node that may fail (an http node, for example)");
  }
}

void shared_accumulator(const LintInput& in, Reporter& out) {
  const Routing routing(in);
  std::vector<std::pair<std::size_t, std::string_view>> seen;  // node, accum_op
  for (const auto& node : in.wf.nodes) {
    if (in.kind(node.index) != "accumulator") continue;
    const std::string* op = data_string(node, "accum_op");
    if (!op || !routing.reachable(node.index)) continue;
    for (const auto& [other, other_op] : seen) {
      if (other_op == *op || routing.exclusive(other, node.index)) continue;
      const NodeSpec& earlier = in.wf.nodes[other];
      auto& d =
          out.report(fmt::format("accumulator {} ({}) and accumulator {} ({}) share the run's one "
                                 "accumulator value",
                                 earlier.id, other_op, node.id, *op),
                     in.wf.node_location(node, "accum_op"));
      d.notes.push_back(
          "every accumulator node of a run reads and updates the same value, whatever its "
          "accum_op (spec 03 D-24): the one that runs second starts from what the first left, "
          "and fails when that is not of its kind");
      d.notes.push_back(
          "use one accum_op per workflow, or a reduce node for the other computation");
      break;
    }
    seen.emplace_back(node.index, *op);
  }
}

// ---- the table ---------------------------------------------------------------------

const Rule kRules[] = {
    {{"inferred-type", Severity::Warning, "Node type inferred rather than declared",
      "A node without a `type` gets one from the keys of its data (spec 01 §2), and the "
      "heuristics are surprising: a `condition` without `true_path` becomes a filter, an "
      "untyped `find` or `partition` becomes a filter, `sort` with `field` becomes `extract`. "
      "Declaring the type makes the workflow mean what it says, and keeps it meaning that when "
      "keys are added.",
      "nodes:\n  - id: n\n    data: {value: 3}\n",
      "nodes:\n  - id: n\n    type: number\n    data: {value: 3}\n"},
     inferred_type},
    {{"legacy-condition-field", Severity::Warning, "Edge uses the legacy `condition` field",
      "Old documents name an edge's handle with `condition`; the editor and the engine read "
      "`sourceHandle` first and fall back to `condition`. An edge with both is confusing, and "
      "tools that only know `sourceHandle` treat an edge with `condition` as unconditional.",
      "nodes:\n"
      "  - {id: x, type: number, data: {value: 5}}\n"
      "  - {id: c, type: condition, data: {condition: \"input > 3\"}}\n"
      "  - {id: t, type: visualization, data: {mode: text}}\n"
      "edges:\n"
      "  - {source: x, target: c}\n"
      "  - {source: c, target: t, condition: \"true\"}\n",
      "nodes:\n"
      "  - {id: x, type: number, data: {value: 5}}\n"
      "  - {id: c, type: condition, data: {condition: \"input > 3\"}}\n"
      "  - {id: t, type: visualization, data: {mode: text}}\n"
      "edges:\n"
      "  - {source: x, target: c}\n"
      "  - {source: c, target: t, sourceHandle: \"true\"}\n"},
     legacy_condition_field},
    {{"unreachable-node", Severity::Warning, "Node that no run can reach",
      "A node runs when it has no incoming edges or when one of its incoming edges fires, and "
      "an edge with a handle fires only when its source routes to that handle (spec 01 §3.4). "
      "Only `condition` and `switch` route; an edge with a handle out of any other node, such "
      "as the `true`/`false` handles the editor draws on `partition`, never fires. A node whose "
      "every path from a start node goes through such an edge is skipped in every run, and so "
      "is everything that depends only on it. The finding names the edges that cut it off.",
      "nodes:\n"
      "  - {id: numbers, type: range, data: {start: 1, end: 6, step: 1}}\n"
      "  - {id: split, type: partition, data: {condition: \"item % 2 == 0\"}}\n"
      "  - {id: evens, type: visualization, data: {mode: text}}\n"
      "edges:\n"
      "  - {source: numbers, target: split}\n"
      "  - {source: split, target: evens, sourceHandle: \"true\"}\n",
      "nodes:\n"
      "  - {id: numbers, type: range, data: {start: 1, end: 6, step: 1}}\n"
      "  - {id: split, type: partition, data: {condition: \"item % 2 == 0\"}}\n"
      "  - {id: evens, type: visualization, data: {mode: text}}\n"
      "edges:\n"
      "  - {source: numbers, target: split}\n"
      "  - {source: split, target: evens}\n"},
     unreachable_node},
    {{"conditional-input-delivered", Severity::Warning,
      "Conditional edge that still delivers its input",
      "Handles decide only whether an edge makes its target run, not what the target receives: "
      "a node that runs collects the result of every source that ran, through all of its "
      "incoming edges, fired or not (spec 01 §3.5, §8 item 15). So when a node has a "
      "conditional edge (a handle out of a condition or switch) and another incoming edge that "
      "can make it run, the routing node's result arrives as an input even when the condition "
      "did not route there. Put a node of its own between the routing node and the target: a "
      "skipped node delivers nothing.",
      "nodes:\n"
      "  - {id: amount, type: number, data: {value: 10}}\n"
      "  - {id: big, type: condition, data: {condition: \"input > 100\"}}\n"
      "  - {id: both, type: join, data: {join_strategy: all}}\n"
      "edges:\n"
      "  - {source: amount, target: big}\n"
      "  - {source: big, target: both, sourceHandle: \"true\"}\n"
      "  - {source: amount, target: both}\n",
      "nodes:\n"
      "  - {id: amount, type: number, data: {value: 10}}\n"
      "  - {id: big, type: condition, data: {condition: \"input > 100\"}}\n"
      "  - {id: flag, type: expression, data: {expression: \"'big: ' + input.value\"}}\n"
      "  - {id: both, type: join, data: {join_strategy: all}}\n"
      "edges:\n"
      "  - {source: amount, target: big}\n"
      "  - {source: big, target: flag, sourceHandle: \"true\"}\n"
      "  - {source: flag, target: both}\n"
      "  - {source: amount, target: both}\n"},
     conditional_input_delivered},
    {{"multiple-terminals", Severity::Info, "More than one node can give the final output",
      "The final output is the result of a terminal node (one that no edge leaves) that ran: "
      "the first in document order, context nodes left out unless nothing else ran (spec 01 "
      "§3.8, decision D5). When several terminal nodes can run in the same run, the output "
      "depends on the order of the `nodes` array, and the Go engine picks one at random. "
      "Terminal nodes on branches that exclude each other (the true and false sides of one "
      "condition) do not count. Connect the results that matter to one last node to make the "
      "output explicit.",
      "nodes:\n"
      "  - {id: a, type: number, data: {value: 2}}\n"
      "  - {id: b, type: number, data: {value: 3}}\n"
      "  - {id: sum, type: operation, data: {op: add}}\n"
      "  - {id: doubled, type: expression, data: {expression: \"input * 2\"}}\n"
      "edges:\n"
      "  - {source: a, target: sum}\n"
      "  - {source: b, target: sum}\n"
      "  - {source: a, target: doubled}\n",
      "nodes:\n"
      "  - {id: a, type: number, data: {value: 2}}\n"
      "  - {id: b, type: number, data: {value: 3}}\n"
      "  - {id: sum, type: operation, data: {op: add}}\n"
      "  - {id: doubled, type: expression, data: {expression: \"input * 2\"}}\n"
      "edges:\n"
      "  - {source: a, target: sum}\n"
      "  - {source: b, target: sum}\n"
      "  - {source: sum, target: doubled}\n"},
     multiple_terminals},
    {{"switch-without-default", Severity::Warning, "Switch whose default case has no edge",
      "A switch must have exactly one default case, the last one; it routes to the default's "
      "`output_path` (`default` when it has none) when no other case matches (spec 03 §2). A "
      "switch whose edges all carry handles but none the default's handle routes a value that "
      "matches no case nowhere: none of its edges fire, and every node after it is skipped "
      "without a word. Add an edge for the default handle.",
      "nodes:\n"
      "  - {id: weight, type: number, data: {value: 40}}\n"
      "  - id: tier\n"
      "    type: switch\n"
      "    data:\n"
      "      cases:\n"
      "        - {when: \"input < 2\", output_path: letter}\n"
      "        - {when: \"input < 20\", output_path: parcel}\n"
      "        - {is_default: true, output_path: freight}\n"
      "  - {id: letter, type: text_input, data: {text: letter post}}\n"
      "  - {id: parcel, type: text_input, data: {text: parcel}}\n"
      "edges:\n"
      "  - {source: weight, target: tier}\n"
      "  - {source: tier, target: letter, sourceHandle: letter}\n"
      "  - {source: tier, target: parcel, sourceHandle: parcel}\n",
      "nodes:\n"
      "  - {id: weight, type: number, data: {value: 40}}\n"
      "  - id: tier\n"
      "    type: switch\n"
      "    data:\n"
      "      cases:\n"
      "        - {when: \"input < 2\", output_path: letter}\n"
      "        - {when: \"input < 20\", output_path: parcel}\n"
      "        - {is_default: true, output_path: freight}\n"
      "  - {id: letter, type: text_input, data: {text: letter post}}\n"
      "  - {id: parcel, type: text_input, data: {text: parcel}}\n"
      "  - {id: freight, type: text_input, data: {text: freight}}\n"
      "edges:\n"
      "  - {source: weight, target: tier}\n"
      "  - {source: tier, target: letter, sourceHandle: letter}\n"
      "  - {source: tier, target: parcel, sourceHandle: parcel}\n"
      "  - {source: tier, target: freight, sourceHandle: freight}\n"},
     switch_without_default},
    {{"duplicate-edge", Severity::Warning, "The same edge twice",
      "Inputs are gathered edge by edge (spec 01 §3.5), so two edges with the same source, "
      "target and handle deliver the same result twice: a join or a concatenation gets it "
      "twice, and an operation gets it as both operands. It is almost always a copy left "
      "behind by an editor.",
      "nodes:\n"
      "  - {id: a, type: number, data: {value: 2}}\n"
      "  - {id: all, type: join, data: {join_strategy: all}}\n"
      "edges:\n"
      "  - {id: e1, source: a, target: all}\n"
      "  - {id: e2, source: a, target: all}\n",
      "nodes:\n"
      "  - {id: a, type: number, data: {value: 2}}\n"
      "  - {id: all, type: join, data: {join_strategy: all}}\n"
      "edges:\n"
      "  - {id: e1, source: a, target: all}\n"},
     duplicate_edge},
    {{"target-handle-ignored", Severity::Info, "Edge with a targetHandle, which is ignored",
      "The engine never reads an edge's `targetHandle` (spec 01 §1.3): a node receives its "
      "inputs in the order of its incoming edges in the document. The handles the editor draws "
      "(`array1`/`array2` on zip, the two operands of an operation) therefore say nothing "
      "about which input is which; swapping two edges in the array swaps the operands.",
      "nodes:\n"
      "  - {id: a, type: number, data: {value: 10}}\n"
      "  - {id: b, type: number, data: {value: 4}}\n"
      "  - {id: diff, type: operation, data: {op: subtract}}\n"
      "edges:\n"
      "  - {source: b, target: diff, targetHandle: right}\n"
      "  - {source: a, target: diff, targetHandle: left}\n",
      "nodes:\n"
      "  - {id: a, type: number, data: {value: 10}}\n"
      "  - {id: b, type: number, data: {value: 4}}\n"
      "  - {id: diff, type: operation, data: {op: subtract}}\n"
      "edges:\n"
      "  - {source: a, target: diff}\n"
      "  - {source: b, target: diff}\n"},
     target_handle_ignored},
    {{"extra-operation-inputs", Severity::Warning, "Operation with more than two inputs",
      "An `operation` node combines its first two inputs, in edge order, and ignores the "
      "rest (spec 01 §3.5): `add` with three incoming edges adds two numbers and drops the "
      "third without an error. Chain operations, or use an expression node, to combine more "
      "values.",
      "nodes:\n"
      "  - {id: a, type: number, data: {value: 1}}\n"
      "  - {id: b, type: number, data: {value: 2}}\n"
      "  - {id: c, type: number, data: {value: 3}}\n"
      "  - {id: sum, type: operation, data: {op: add}}\n"
      "edges:\n"
      "  - {source: a, target: sum}\n"
      "  - {source: b, target: sum}\n"
      "  - {source: c, target: sum}\n",
      "nodes:\n"
      "  - {id: a, type: number, data: {value: 1}}\n"
      "  - {id: b, type: number, data: {value: 2}}\n"
      "  - {id: c, type: number, data: {value: 3}}\n"
      "  - {id: ab, type: operation, data: {op: add}}\n"
      "  - {id: sum, type: operation, data: {op: add}}\n"
      "edges:\n"
      "  - {source: a, target: ab}\n"
      "  - {source: b, target: ab}\n"
      "  - {source: ab, target: sum}\n"
      "  - {source: c, target: sum}\n"},
     extra_operation_inputs},
    {{"numeric-ids", Severity::Info, "Numbered node ids that run in text order",
      "The nodes without incoming edges start the run in the byte order of their ids (spec 01 "
      "§3.2), so `10` runs before `2` and `step10` before `step9`. The order is visible "
      "wherever nodes share run state (counters, the accumulator, variables, the cache) and "
      "decides which of two context nodes defines a name last. The rule reports only ids whose "
      "text order differs from their numeric order; it is off unless enabled.",
      "nodes:\n"
      "  - {id: \"2\", type: counter, data: {counter_op: increment}}\n"
      "  - {id: \"10\", type: counter, data: {counter_op: increment}}\n"
      "  - {id: both, type: join, data: {join_strategy: all}}\n"
      "edges:\n"
      "  - {source: \"2\", target: both}\n"
      "  - {source: \"10\", target: both}\n",
      "nodes:\n"
      "  - {id: \"02\", type: counter, data: {counter_op: increment}}\n"
      "  - {id: \"10\", type: counter, data: {counter_op: increment}}\n"
      "  - {id: both, type: join, data: {join_strategy: all}}\n"
      "edges:\n"
      "  - {source: \"02\", target: both}\n"
      "  - {source: \"10\", target: both}\n",
      false, false},
     numeric_ids},
    {{"context-node-with-edges", Severity::Warning, "Context node connected by edges",
      "Context nodes (`context_variable`, `context_constant`) define values for the whole run "
      "and are meant to have no edges: then they run first, before every node with an "
      "incoming edge (spec 01 §4.5). An incoming edge delays them until their sources ran, so "
      "other nodes may read the values before they exist, and skips them with their sources; "
      "an outgoing edge hands their result object to the target as an input. Read context "
      "values as `context.NAME` or `{{ const.NAME }}` instead.",
      "nodes:\n"
      "  - id: settings\n"
      "    type: context_constant\n"
      "    data:\n"
      "      context_values:\n"
      "        - {name: rate, value: \"0.2\", type: number}\n"
      "  - {id: price, type: number, data: {value: 50}}\n"
      "  - {id: tax, type: expression, data: {expression: \"input * context.rate\"}}\n"
      "edges:\n"
      "  - {source: settings, target: tax}\n"
      "  - {source: price, target: tax}\n",
      "nodes:\n"
      "  - id: settings\n"
      "    type: context_constant\n"
      "    data:\n"
      "      context_values:\n"
      "        - {name: rate, value: \"0.2\", type: number}\n"
      "  - {id: price, type: number, data: {value: 50}}\n"
      "  - {id: tax, type: expression, data: {expression: \"input * context.rate\"}}\n"
      "edges:\n"
      "  - {source: price, target: tax}\n"},
     context_node_with_edges},
    {{"duplicate-context-name", Severity::Warning, "Context name defined twice",
      "Every context definition stores its value under its name when its node runs, and the "
      "one stored last wins (spec 01 §4.5). Two context constants (or two context variables) "
      "with one name therefore depend on the order of the nodes, which for context nodes is "
      "the order of their ids; keep one definition per name.",
      "nodes:\n"
      "  - id: defaults\n"
      "    type: context_constant\n"
      "    data:\n"
      "      context_values:\n"
      "        - {name: rate, value: \"0.2\", type: number}\n"
      "  - id: overrides\n"
      "    type: context_constant\n"
      "    data:\n"
      "      context_values:\n"
      "        - {name: rate, value: \"0.25\", type: number}\n"
      "  - {id: price, type: number, data: {value: 50}}\n"
      "  - {id: tax, type: expression, data: {expression: \"input * context.rate\"}}\n"
      "edges:\n"
      "  - {source: price, target: tax}\n",
      "nodes:\n"
      "  - id: defaults\n"
      "    type: context_constant\n"
      "    data:\n"
      "      context_values:\n"
      "        - {name: rate, value: \"0.25\", type: number}\n"
      "  - {id: price, type: number, data: {value: 50}}\n"
      "  - {id: tax, type: expression, data: {expression: \"input * context.rate\"}}\n"
      "edges:\n"
      "  - {source: price, target: tax}\n"},
     duplicate_context_name},
    {{"shadowed-constant", Severity::Warning, "Context constant shadowed by a context variable",
      "Expressions see one merged `context` map: the constants first, then the variables, so "
      "a context variable hides the context constant of the same name (spec 01 §4.5, §8 item "
      "20). `context.NAME` then never reads the constant, whatever `--set` gives it, while "
      "`{{ const.NAME }}` still does. Rename one of the two.",
      "nodes:\n"
      "  - id: settings\n"
      "    type: context_constant\n"
      "    data:\n"
      "      context_values:\n"
      "        - {name: rate, value: \"0.2\", type: number}\n"
      "  - id: state\n"
      "    type: context_variable\n"
      "    data:\n"
      "      context_values:\n"
      "        - {name: rate, value: \"0.1\", type: number}\n"
      "  - {id: price, type: number, data: {value: 50}}\n"
      "  - {id: tax, type: expression, data: {expression: \"input * context.rate\"}}\n"
      "edges:\n"
      "  - {source: price, target: tax}\n",
      "nodes:\n"
      "  - id: settings\n"
      "    type: context_constant\n"
      "    data:\n"
      "      context_values:\n"
      "        - {name: rate, value: \"0.2\", type: number}\n"
      "  - id: state\n"
      "    type: context_variable\n"
      "    data:\n"
      "      context_values:\n"
      "        - {name: discount, value: \"0.1\", type: number}\n"
      "  - {id: price, type: number, data: {value: 50}}\n"
      "  - id: tax\n"
      "    type: expression\n"
      "    data: {expression: \"input * (1 - context.discount) * context.rate\"}\n"
      "edges:\n"
      "  - {source: price, target: tax}\n"},
     shadowed_constant},
    {{"unused-variable", Severity::Warning, "Run variable stored and never read",
      "A `variable` node with `var_op: set` stores its first input as a run variable (spec 01 "
      "§4.1). When no node reads that name, through a `variable` get or `variables.NAME` (or a "
      "bare name) in an expression, the store does nothing but use up the variable limit: "
      "usually a misspelt name or a leftover.",
      "nodes:\n"
      "  - {id: total, type: number, data: {value: 42}}\n"
      "  - {id: remember, type: variable, data: {var_name: total, var_op: set}}\n"
      "  - {id: show, type: visualization, data: {mode: text}}\n"
      "edges:\n"
      "  - {source: total, target: remember}\n"
      "  - {source: remember, target: show}\n",
      "nodes:\n"
      "  - {id: total, type: number, data: {value: 42}}\n"
      "  - {id: remember, type: variable, data: {var_name: total, var_op: set}}\n"
      "  - {id: show, type: expression, data: {expression: \"'total: ' + variables.total\"}}\n"
      "edges:\n"
      "  - {source: total, target: remember}\n"
      "  - {source: remember, target: show}\n"},
     unused_variable},
    {{"orphan-context-reader", Severity::Warning, "Node without edges that reads run state",
      "Nodes without edges run first, in the byte order of their ids, and only then the nodes "
      "with incoming edges (spec 01 §3.2, §4.5). A node without edges that reads `context.*`, "
      "`{{ const.* }}`, `variables.*` or `node.*` therefore sees a context value only if the "
      "context node's id happens to sort first, and never sees a run variable or the result of "
      "a node with incoming edges. Give it an incoming edge so that it runs after the nodes "
      "that produce what it reads.",
      "nodes:\n"
      "  - id: settings\n"
      "    type: context_constant\n"
      "    data:\n"
      "      context_values:\n"
      "        - {name: user, value: Ada, type: string}\n"
      "  - {id: greeting, type: text_input, data: {text: \"Hello, {{ const.user }}\"}}\n",
      "nodes:\n"
      "  - id: settings\n"
      "    type: context_constant\n"
      "    data:\n"
      "      context_values:\n"
      "        - {name: user, value: Ada, type: string}\n"
      "  - {id: hello, type: text_input, data: {text: Hello}}\n"
      "  - {id: greeting, type: expression, data: {expression: \"input + ', ' + context.user\"}}\n"
      "edges:\n"
      "  - {source: hello, target: greeting}\n"},
     orphan_context_reader},
    {{"delay-exceeds-timeout", Severity::Warning, "Delay longer than the time limit",
      "A `delay` sleeps for its `duration`, and the sleep is cut short by the run's time "
      "limit (`--max-execution-time`, 5m by default) and by the time a single node may take "
      "(`--max-node-time`, 30s by default): a longer delay never completes, and the run fails "
      "with a timeout instead (decision D9). The rule compares each delay with the limits the "
      "workflow is linted with; a limit of 0 means none.",
      "nodes:\n"
      "  - {id: order, type: number, data: {value: 7}}\n"
      "  - {id: wait, type: delay, data: {duration: 10m}}\n"
      "  - {id: show, type: visualization, data: {mode: text}}\n"
      "edges:\n"
      "  - {source: order, target: wait}\n"
      "  - {source: wait, target: show}\n",
      "nodes:\n"
      "  - {id: order, type: number, data: {value: 7}}\n"
      "  - {id: wait, type: delay, data: {duration: 2s}}\n"
      "  - {id: show, type: visualization, data: {mode: text}}\n"
      "edges:\n"
      "  - {source: order, target: wait}\n"
      "  - {source: wait, target: show}\n"},
     delay_exceeds_timeout},
    {{"retry-cannot-fail", Severity::Warning, "Retry after nodes that cannot fail",
      "A `retry` node guards its direct predecessors: it re-executes one that fails, and "
      "treats an input object with an `error` key as a failure (decision D10, spec 03 §25). "
      "When every predecessor is a constant input node (number, text_input, boolean_input, "
      "date_input, datetime_input), nothing can fail and nothing can carry an error, so the "
      "retry only adds a wrapper object; it was probably meant to follow another node.",
      "nodes:\n"
      "  - {id: order, type: number, data: {value: 7}}\n"
      "  - {id: again, type: retry, data: {max_attempts: 3}}\n"
      "edges:\n"
      "  - {source: order, target: again}\n",
      "nodes:\n"
      "  - {id: fetch, type: http, data: {url: \"https://api.example.com/orders\"}}\n"
      "  - {id: again, type: retry, data: {max_attempts: 3}}\n"
      "edges:\n"
      "  - {source: fetch, target: again}\n"},
     retry_cannot_fail},
    {{"shared-accumulator", Severity::Warning, "Accumulators with different ops share one value",
      "A run has a single accumulator value, shared by every `accumulator` node whatever its "
      "`accum_op` (spec 03 D-24, decision D15). Two accumulators with different ops that can "
      "run in the same run therefore work on one value: a `concat` after a `sum` finds a "
      "number and fails, a `count` after a `sum` adds one to the sum. Use one op per workflow, "
      "or a reduce node for the other computation.",
      "nodes:\n"
      "  - {id: price, type: number, data: {value: 5}}\n"
      "  - {id: total, type: accumulator, data: {accum_op: sum}}\n"
      "  - {id: orders, type: accumulator, data: {accum_op: count}}\n"
      "edges:\n"
      "  - {source: price, target: total}\n"
      "  - {source: total, target: orders}\n",
      "nodes:\n"
      "  - {id: price, type: number, data: {value: 5}}\n"
      "  - {id: total, type: accumulator, data: {accum_op: sum}}\n"
      "  - {id: show, type: visualization, data: {mode: text}}\n"
      "edges:\n"
      "  - {source: price, target: total}\n"
      "  - {source: total, target: show}\n"},
     shared_accumulator},
};

}  // namespace

std::span<const Rule> structure_rules() { return kRules; }

}  // namespace thaiyyal::lint::detail
