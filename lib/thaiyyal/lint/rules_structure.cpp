// Rules about the graph and the document's structure: how nodes are typed
// and connected.
#include <fmt/format.h>

#include "thaiyyal/lint/rules.h"

namespace thaiyyal::lint::detail {
namespace {

using diag::Severity;

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
};

}  // namespace

std::span<const Rule> structure_rules() { return kRules; }

}  // namespace thaiyyal::lint::detail
