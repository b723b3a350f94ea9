#include "thaiyyal/check/compiled_workflow.h"

#include <fmt/format.h>

#include "thaiyyal/check/static_checks.h"
#include "thaiyyal/check/template_check.h"
#include "thaiyyal/diag/spellcheck.h"

namespace thaiyyal::check {
namespace {

void report_unknown_kind(const Workflow& wf, const NodeSpec& n, diag::Diagnostics& diags) {
  auto& d = diags.error("unknown-kind", fmt::format("unknown node type '{}'", n.type),
                        n.type_inferred ? wf.location(node_path(n.index), &n)
                                        : wf.location(
                                              [&] {
                                                auto p = node_path(n.index);
                                                p.push_back(PathStep{"type", std::nullopt});
                                                return p;
                                              }(),
                                              &n));
  d.reference = fmt::format("no executor registered for type: {}", n.type);
  if (n.type.empty()) {
    d.message = "the node has no type, and none can be inferred from its data";
    d.notes.push_back("set \"type\" explicitly; see `thaiyyal help execute` for the kinds");
    return;
  }
  std::vector<std::string_view> names;
  for (const auto* k : nodes::all_kinds()) {
    if (!k->declared_only) names.push_back(k->name);
  }
  if (nodes::find_kind(n.type)) {
    d.message = fmt::format("node type '{}' cannot be run", n.type);
    d.notes.push_back(fmt::format(
        "the visual editor offers '{}', but no engine can execute it; remove the node", n.type));
  } else if (auto near = diag::spellcheck(n.type, names)) {
    d.notes.push_back(fmt::format("did you mean '{}'?", *near));
  }
}

}  // namespace

std::shared_ptr<const CompiledWorkflow> compile_workflow(std::shared_ptr<const Workflow> wf,
                                                         diag::Diagnostics& diags,
                                                         const KindLookup& lookup,
                                                         const CheckOptions& options) {
  const std::size_t errors_before = diags.blocking_error_count();
  auto dag = graph::Dag::build(*wf, diags);
  std::vector<const nodes::KindInfo*> kinds(wf->nodes.size(), nullptr);
  std::vector<std::unique_ptr<const nodes::NodeConfig>> configs(wf->nodes.size());
  std::vector<nodes::ConfigFacts> facts(wf->nodes.size());
  for (std::size_t i = 0; i < wf->nodes.size(); ++i) {
    const NodeSpec& n = wf->nodes[i];
    const nodes::KindInfo* kind = lookup ? lookup(n.type) : nodes::find_kind(n.type);
    if (!kind || kind->declared_only) {
      // A paginator's required key is still checked, as the reference does.
      if (kind) {
        nodes::ConfigReader reader(*wf, n, diags);
        kind->parse(reader);
      }
      report_unknown_kind(*wf, n, diags);
      continue;
    }
    nodes::ConfigReader reader(*wf, n, diags);
    reader.string("label");  // every kind: a string or null (spec 03 §0.1)
    auto config = kind->parse(reader);
    reader.report_unknown_keys();
    facts[i] = reader.take_facts();
    if (config && reader.ok()) {
      kinds[i] = kind;
      configs[i] = std::move(config);
    }
  }
  check_templates(*wf, facts, options, diags);
  if (dag) check_static(*wf, *dag, kinds, configs, options, diags);
  if (!dag || diags.blocking_error_count() > errors_before) return nullptr;
  auto out = std::make_shared<CompiledWorkflow>(CompiledWorkflow{
      std::move(wf), std::move(*dag), std::move(kinds), std::move(configs), std::move(facts)});
  return out;
}

}  // namespace thaiyyal::check
