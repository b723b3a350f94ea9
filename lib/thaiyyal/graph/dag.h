/// The graph module owns `Dag`: the immutable adjacency of a loaded workflow
/// (id -> index, incoming/outgoing edges in edge order, terminal nodes) and its
/// topological order with the reference's tie-breaking (spec 01 §3.2). Building
/// it reports duplicate ids, unknown edge endpoints and cycles (naming the
/// nodes on the cycle). It never runs anything.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "thaiyyal/diag/diagnostic.h"
#include "thaiyyal/model/workflow.h"

namespace thaiyyal::graph {

class Dag {
 public:
  /// Builds the graph of `wf`, adding every structural problem to `diags`.
  /// Returns nullopt when the graph cannot be run (duplicate ids, unknown
  /// endpoints, cycles). `wf` must outlive the Dag. O(nodes + edges).
  static std::optional<Dag> build(const Workflow& wf, diag::Diagnostics& diags);

  std::size_t node_count() const { return ids_.size(); }
  /// Index into `wf.nodes` of the node with this id (first one if duplicated).
  std::optional<std::size_t> index_of(std::string_view id) const;
  /// Indices into `wf.edges` of the edges into / out of node i, in edge order.
  std::span<const std::uint32_t> incoming(std::size_t i) const {
    return {in_edges_.data() + in_start_[i], in_start_[i + 1] - in_start_[i]};
  }
  std::span<const std::uint32_t> outgoing(std::size_t i) const {
    return {out_edges_.data() + out_start_[i], out_start_[i + 1] - out_start_[i]};
  }
  /// Node indices of each edge (source, target), by edge index.
  std::size_t edge_source(std::size_t e) const { return edge_ends_[e].first; }
  std::size_t edge_target(std::size_t e) const { return edge_ends_[e].second; }
  /// Topological order (node indices): Kahn's algorithm, initial queue sorted
  /// by id byte-wise, FIFO, successors enqueued in edge order.
  const std::vector<std::uint32_t>& order() const { return order_; }
  /// True when no edge leaves node i.
  bool is_terminal(std::size_t i) const { return out_start_[i + 1] == out_start_[i]; }

 private:
  Dag() = default;
  /// The slot of `id` in slots_ (holding its node index), or of the empty
  /// slot where it would go.
  std::size_t slot_of(std::string_view id) const;

  std::vector<std::string_view> ids_;  ///< by node index; point into the Workflow
  /// Open-addressing table of node indices by id (kNoSlot = empty); a
  /// power-of-two size at least twice the node count.
  std::vector<std::uint32_t> slots_;
  // The edges into and out of each node, in edge order: node i's are
  // in_edges_[in_start_[i] .. in_start_[i + 1]) (the same for out).
  std::vector<std::uint32_t> in_start_, in_edges_;
  std::vector<std::uint32_t> out_start_, out_edges_;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> edge_ends_;
  std::vector<std::uint32_t> order_;
};

}  // namespace thaiyyal::graph
