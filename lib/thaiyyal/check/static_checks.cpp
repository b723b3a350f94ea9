#include "thaiyyal/check/static_checks.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <string_view>

#include "thaiyyal/diag/spellcheck.h"

namespace thaiyyal::check {
namespace {

using nodes::NodeTraits;

std::string edge_label(const EdgeSpec& e) {
  return e.id.empty() ? fmt::format("#{}", e.index) : e.id;
}

std::string node_label(const NodeSpec& n) { return fmt::format("node {} (type {})", n.id, n.type); }

/// What a dead edge means for its target.
std::string target_note(const EdgeSpec& e, std::string_view key) {
  return fmt::format(
      "node {} runs only when another of its incoming edges fires; remove \"{}\" (or set it to "
      "null) to make this edge unconditional",
      e.target, key);
}

void check_handles(const Workflow& wf, const graph::Dag& dag,
                   const std::vector<std::optional<NodeTraits>>& traits, diag::Diagnostics& diags) {
  for (const auto& e : wf.edges) {
    if (!e.handle) continue;
    const std::size_t src = dag.edge_source(e.index);
    if (!traits[src]) continue;
    const NodeTraits& t = *traits[src];
    const NodeSpec& source = wf.nodes[src];
    const std::string_view key = e.handle_from_condition ? "condition" : "sourceHandle";
    auto where = wf.location(edge_path(e.index, key));
    if (t.routes) {
      if (std::find(t.handles.begin(), t.handles.end(), *e.handle) != t.handles.end()) continue;
      auto& d = diags.error(
          "unknown-handle",
          fmt::format("edge {}: {} '{}' is not a handle of {}: its handles are {}", edge_label(e),
                      key, *e.handle, node_label(source), fmt::join(t.handles, ", ")),
          std::move(where));
      const std::vector<std::string_view> names(t.handles.begin(), t.handles.end());
      if (auto near = nodes::suggest_name(*e.handle, names)) {
        d.notes.push_back(fmt::format("did you mean '{}'?", *near));
      }
      d.notes.push_back("the edge would never fire");
    } else {
      auto& d = diags.warning(
          "handle-never-fires",
          fmt::format("edge {}: {} does not route, so this edge with {} '{}' never fires",
                      edge_label(e), node_label(source), key, *e.handle),
          std::move(where));
      d.notes.push_back(
          "an edge with a handle fires only when its source's result is an object whose path or "
          "output_path equals the handle");
      d.notes.push_back(target_note(e, key));
    }
  }
}

/// The first successor of node i that turns its failure into an output (a
/// try_catch guard), if any: its certain failure then does not stop the run.
std::optional<std::size_t> absorber(const graph::Dag& dag,
                                    const std::vector<std::optional<NodeTraits>>& traits,
                                    std::size_t i) {
  for (const auto e : dag.outgoing(i)) {
    const std::size_t t = dag.edge_target(e);
    if (traits[t] && traits[t]->absorbs_failures) return t;
  }
  return std::nullopt;
}

/// A certain run-time failure of node i: a deferred error, or a warning
/// (noting the guard) when a guard absorbs it.
diag::Diagnostic& report_failure(const Workflow& wf, const graph::Dag& dag,
                                 const std::vector<std::optional<NodeTraits>>& traits,
                                 std::size_t i, std::string code, std::string message,
                                 diag::Location where, diag::Diagnostics& diags) {
  if (auto guard = absorber(dag, traits, i)) {
    auto& d = diags.warning(std::move(code), std::move(message), std::move(where));
    d.notes.push_back(
        fmt::format("{} catches the failure, so the run goes on", node_label(wf.nodes[*guard])));
    return d;
  }
  return diags.deferred_error(std::move(code), std::move(message), std::move(where));
}

void check_inputs(const Workflow& wf, const graph::Dag& dag,
                  const std::vector<std::optional<NodeTraits>>& traits, diag::Diagnostics& diags) {
  for (std::size_t i = 0; i < wf.nodes.size(); ++i) {
    if (!traits[i] || traits[i]->min_inputs == 0 || !traits[i]->too_few_inputs) continue;
    // A node runs with one input per incoming edge whose source ran, and
    // with at least one when it has edges at all (else it is skipped).
    const std::size_t edges = dag.incoming(i).size();
    if (edges >= traits[i]->min_inputs) continue;
    const NodeSpec& n = wf.nodes[i];
    auto& d = report_failure(wf, dag, traits, i, "missing-input",
                             fmt::format("{} will fail when it runs: {}", node_label(n),
                                         traits[i]->too_few_inputs(edges)),
                             wf.location(node_path(i), &n), diags);
    d.notes.insert(d.notes.begin(),
                   edges == 0 ? std::string("no edge leads to it")
                              : fmt::format("only {} edge{} lead{} to it", edges,
                                            edges == 1 ? "" : "s", edges == 1 ? "s" : ""));
  }
}

void check_variables(const Workflow& wf, const graph::Dag& dag,
                     const std::vector<std::optional<NodeTraits>>& traits,
                     diag::Diagnostics& diags) {
  std::vector<std::size_t> position(wf.nodes.size(), 0);
  for (std::size_t k = 0; k < dag.order().size(); ++k) position[dag.order()[k]] = k;
  for (std::size_t i = 0; i < wf.nodes.size(); ++i) {
    if (!traits[i] || !traits[i]->needs_variable) continue;
    const std::string& name = *traits[i]->needs_variable;
    std::optional<std::size_t> later;             // a node storing it that runs after i
    std::vector<std::string_view> stored_before;  // names stored before i runs
    bool found = false;
    for (std::size_t j = 0; j < wf.nodes.size() && !found; ++j) {
      if (!traits[j] || !traits[j]->sets_variable) continue;
      if (position[j] < position[i]) {
        found = *traits[j]->sets_variable == name;
        stored_before.push_back(*traits[j]->sets_variable);
      } else if (*traits[j]->sets_variable == name && !later) {
        later = j;
      }
    }
    if (found) continue;
    const NodeSpec& n = wf.nodes[i];
    auto& d =
        report_failure(wf, dag, traits, i, "variable-not-set",
                       fmt::format("{} will fail when it runs: {}", node_label(n),
                                   traits[i]->variable_missing_error),
                       wf.location(node_data_path(i, traits[i]->needs_variable_key), &n), diags);
    std::string why;
    if (later) {
      why = fmt::format(
          "node {} stores '{}', but runs after this node; add an edge from {} to {} so that it "
          "runs first",
          wf.nodes[*later].id, name, wf.nodes[*later].id, n.id);
    } else if (auto near = diag::spellcheck(name, stored_before)) {
      why = fmt::format("did you mean '{}'?", *near);
    } else {
      why = fmt::format("no node that runs before it stores a variable '{}'", name);
    }
    d.notes.insert(d.notes.begin(), std::move(why));
  }
}

void check_pending(const Workflow& wf, const graph::Dag& dag,
                   const std::vector<std::optional<NodeTraits>>& traits,
                   const CheckOptions& options, diag::Diagnostics& diags) {
  for (std::size_t i = 0; i < wf.nodes.size(); ++i) {
    if (!traits[i]) continue;
    const NodeSpec& n = wf.nodes[i];
    for (const auto& f : traits[i]->failures) {
      const bool overridable = !f.unless_constant.empty();
      if (overridable && options.constants &&
          std::find(options.constants->begin(), options.constants->end(), f.unless_constant) !=
              options.constants->end()) {
        continue;
      }
      auto path = node_path(i);
      path.push_back(PathStep{"data", std::nullopt});
      path.insert(path.end(), f.path.begin(), f.path.end());
      const std::string message =
          fmt::format("{} will fail when it runs: {}", node_label(n), f.error);
      auto where = wf.location(path, &n);
      auto& d = overridable && !options.constants
                    ? diags.warning("fails-when-run", message, std::move(where))
                    : report_failure(wf, dag, traits, i, "fails-when-run", message,
                                     std::move(where), diags);
      if (overridable) {
        d.notes.insert(
            d.notes.begin(),
            fmt::format("unless the run gives the constant another value: --set {}=VALUE",
                        f.unless_constant));
      }
    }
  }
}

}  // namespace

void check_static(const Workflow& wf, const graph::Dag& dag,
                  const std::vector<const nodes::KindInfo*>& kinds,
                  const std::vector<std::unique_ptr<const nodes::NodeConfig>>& configs,
                  const CheckOptions& options, diag::Diagnostics& diags) {
  std::vector<std::optional<NodeTraits>> traits(wf.nodes.size());
  for (std::size_t i = 0; i < wf.nodes.size(); ++i) {
    if (!kinds[i] || !configs[i]) continue;
    traits[i] = kinds[i]->describe ? kinds[i]->describe(*configs[i]) : NodeTraits{};
  }
  check_handles(wf, dag, traits, diags);
  check_inputs(wf, dag, traits, diags);
  check_variables(wf, dag, traits, diags);
  check_pending(wf, dag, traits, options, diags);
}

}  // namespace thaiyyal::check
