#include "thaiyyal/graph/dag.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>

#include "thaiyyal/diag/spellcheck.h"

namespace thaiyyal::graph {
namespace {

constexpr std::uint32_t kNone = UINT32_MAX;

/// Suggests existing ids for misspelled ones. Each suggestion compares against
/// every id, so suggestions stop for large graphs and after a total budget of
/// comparisons: thousands of dangling edges must not take seconds.
class IdSpeller {
 public:
  explicit IdSpeller(const Workflow& wf) : wf_(wf) {}

  void suggest(diag::Diagnostic& d, std::string_view id) {
    const std::size_t n = wf_.nodes.size();
    if (n > kMaxNodes || budget_ < n) return;
    budget_ -= n;
    if (ids_.empty()) {
      ids_.reserve(n);
      for (const auto& node : wf_.nodes) ids_.push_back(node.id);
    }
    if (auto near = diag::spellcheck(id, ids_)) {
      d.notes.push_back(fmt::format("did you mean '{}'?", *near));
    }
  }

 private:
  static constexpr std::size_t kMaxNodes = 2000;
  const Workflow& wf_;
  std::size_t budget_ = 200000;  ///< id comparisons left
  std::vector<std::string_view> ids_;
};

}  // namespace

std::size_t Dag::slot_of(std::string_view id) const {
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = std::hash<std::string_view>{}(id)&mask;; i = (i + 1) & mask) {
    const auto node = slots_[i];
    if (node == kNone || ids_[node] == id) return i;
  }
}

std::optional<std::size_t> Dag::index_of(std::string_view id) const {
  const auto node = slots_[slot_of(id)];
  if (node == kNone) return std::nullopt;
  return node;
}

std::optional<Dag> Dag::build(const Workflow& wf, diag::Diagnostics& diags) {
  Dag g;
  const std::size_t n = wf.nodes.size();
  const std::size_t m = wf.edges.size();
  bool ok = true;
  g.ids_.reserve(n);
  for (const auto& node : wf.nodes) g.ids_.emplace_back(node.id);
  std::size_t cap = 16;
  while (cap < n * 2) cap <<= 1;
  g.slots_.assign(cap, kNone);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& node = wf.nodes[i];
    auto& slot = g.slots_[g.slot_of(node.id)];
    if (slot == kNone) {
      slot = static_cast<std::uint32_t>(i);
      continue;
    }
    ok = false;
    auto& d = diags.error("duplicate-id", fmt::format("duplicate node id: {}", node.id),
                          wf.location(node_path(node.index), &node));
    const auto first = wf.location(node_path(wf.nodes[slot].index));
    if (first.line > 0) {
      d.notes.push_back(fmt::format("first defined at line {}", first.line));
    }
  }
  g.edge_ends_.assign(m, {kNone, kNone});
  std::vector<std::uint32_t> in_count(n, 0);
  std::vector<std::uint32_t> out_count(n, 0);
  IdSpeller speller(wf);
  for (std::size_t e = 0; e < m; ++e) {
    const auto& edge = wf.edges[e];
    const auto s = g.index_of(edge.source);
    const auto t = g.index_of(edge.target);
    const auto label = [&] { return edge.id.empty() ? fmt::format("#{}", edge.index) : edge.id; };
    if (!s) {
      ok = false;
      auto& d = diags.error(
          "unknown-node",
          fmt::format("edge {} references unknown source node '{}'", label(), edge.source),
          wf.location(edge_path(edge.index, "source")));
      speller.suggest(d, edge.source);
    }
    if (!t) {
      ok = false;
      auto& d = diags.error(
          "unknown-node",
          fmt::format("edge {} references unknown target node '{}'", label(), edge.target),
          wf.location(edge_path(edge.index, "target")));
      speller.suggest(d, edge.target);
    }
    if (!s || !t) continue;
    g.edge_ends_[e] = {static_cast<std::uint32_t>(*s), static_cast<std::uint32_t>(*t)};
    ++out_count[*s];
    ++in_count[*t];
    if (*s == *t) {
      ok = false;
      diags.error("self-loop",
                  fmt::format("workflow contains cycles (circular dependencies): node '{}' has "
                              "an edge to itself",
                              edge.source),
                  wf.location(edge_path(edge.index), &wf.nodes[*s]));
    }
  }
  // Adjacency as flat arrays: offsets from the counts, then the edges in
  // edge order.
  const auto offsets = [n](const std::vector<std::uint32_t>& count) {
    std::vector<std::uint32_t> start(n + 1, 0);
    for (std::size_t i = 0; i < n; ++i) start[i + 1] = start[i] + count[i];
    return start;
  };
  g.in_start_ = offsets(in_count);
  g.out_start_ = offsets(out_count);
  g.in_edges_.resize(g.in_start_[n]);
  g.out_edges_.resize(g.out_start_[n]);
  {
    std::vector<std::uint32_t> in_next(g.in_start_.begin(), g.in_start_.end() - 1);
    std::vector<std::uint32_t> out_next(g.out_start_.begin(), g.out_start_.end() - 1);
    for (std::size_t e = 0; e < m; ++e) {
      const auto [s, t] = g.edge_ends_[e];
      if (s == kNone || t == kNone) continue;
      g.out_edges_[out_next[s]++] = static_cast<std::uint32_t>(e);
      g.in_edges_[in_next[t]++] = static_cast<std::uint32_t>(e);
    }
  }
  // Kahn's algorithm with the reference's tie-breaking. It also runs when the
  // problems above were found, so that a cycle is reported with them; edges
  // with an unknown end are not in the graph, and self-loops (reported
  // already) are left out here.
  std::vector<std::uint32_t> indegree(n, 0);
  for (const auto& [s, t] : g.edge_ends_) {
    if (s != kNone && t != kNone && s != t) ++indegree[t];
  }
  std::vector<std::uint32_t> roots;
  for (std::uint32_t i = 0; i < n; ++i) {
    if (indegree[i] == 0) roots.push_back(i);
  }
  std::sort(roots.begin(), roots.end(),
            [&](auto a, auto b) { return wf.nodes[a].id < wf.nodes[b].id; });
  // FIFO: order_ is the queue itself (a node is appended when it becomes
  // ready, and taken in the order appended).
  g.order_.reserve(n);
  g.order_.assign(roots.begin(), roots.end());
  for (std::size_t head = 0; head < g.order_.size(); ++head) {
    const auto u = g.order_[head];
    for (auto e : g.outgoing(u)) {
      const auto v = g.edge_ends_[e].second;
      if (v != u && --indegree[v] == 0) g.order_.push_back(v);
    }
  }
  if (g.order_.size() == n) {
    if (!ok) return std::nullopt;
    return g;
  }

  // Some nodes are on (or behind) a cycle. Walk backwards along incoming edges
  // that stay inside the unsorted set until a node repeats: that is a cycle.
  std::vector<std::uint32_t> seen_at(n, kNone);
  std::uint32_t start = kNone;
  for (std::uint32_t i = 0; i < n; ++i) {
    if (indegree[i] > 0) {
      start = i;
      break;
    }
  }
  std::vector<std::uint32_t> walk;
  std::uint32_t cur = start;
  while (seen_at[cur] == kNone) {
    seen_at[cur] = static_cast<std::uint32_t>(walk.size());
    walk.push_back(cur);
    std::uint32_t next = kNone;
    for (auto e : g.incoming(cur)) {
      const auto s = g.edge_ends_[e].first;
      if (s != cur && indegree[s] > 0) {
        next = s;
        break;
      }
    }
    cur = next;  // every unsorted node has an unsorted predecessor
  }
  std::vector<std::uint32_t> cycle(walk.begin() + seen_at[cur], walk.end());
  std::reverse(cycle.begin(), cycle.end());
  // Start from the node that comes first in the document, so the message does
  // not depend on where the walk entered the cycle.
  std::rotate(cycle.begin(), std::min_element(cycle.begin(), cycle.end()), cycle.end());
  // Name every node of a short cycle; elide the middle of a long one.
  constexpr std::size_t kShown = 8;
  std::string names;
  for (std::size_t k = 0; k < cycle.size(); ++k) {
    if (cycle.size() > kShown && k == kShown - 2) {
      names += "... -> ";
      k = cycle.size() - 2;
    }
    names += fmt::format("'{}' -> ", wf.nodes[cycle[k]].id);
  }
  names += fmt::format("'{}'", wf.nodes[cycle.front()].id);
  const auto& first = wf.nodes[cycle.front()];
  auto& d = diags.error("cycle",
                        fmt::format("workflow contains cycles (circular dependencies): {}", names),
                        wf.location(node_path(first.index), &first));
  if (cycle.size() > kShown) {
    d.notes.push_back(fmt::format("the cycle has {} nodes", cycle.size()));
  }
  const std::size_t stuck = n - g.order_.size();
  if (stuck > cycle.size()) {
    d.notes.push_back(fmt::format("{} node(s) are on or downstream of a cycle", stuck));
  }
  return std::nullopt;
}

}  // namespace thaiyyal::graph
