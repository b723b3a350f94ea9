#include "thaiyyal/check/compiled_workflow.h"

#include <fmt/format.h>

#include "thaiyyal/diag/spellcheck.h"

namespace thaiyyal::check {
namespace {

void report_unknown_kind(const Workflow& wf, const NodeSpec& n, diag::Diagnostics& diags) {
  auto& d = diags.error("unknown-kind", fmt::format("no executor registered for type: {}", n.type),
                        n.type_inferred ? wf.location(node_path(n.index), &n)
                                        : wf.location(
                                              [&] {
                                                auto p = node_path(n.index);
                                                p.push_back(PathStep{"type", std::nullopt});
                                                return p;
                                              }(),
                                              &n));
  if (n.type.empty()) {
    d.message =
        "no executor registered for type:  (the node has no type and none could be "
        "inferred from its data)";
    d.notes.push_back("set \"type\" explicitly; see `thaiyyal nodes list`");
    return;
  }
  std::vector<std::string_view> names;
  for (const auto* k : nodes::all_kinds()) {
    if (!k->declared_only) names.push_back(k->name);
  }
  if (nodes::find_kind(n.type)) {
    d.notes.push_back(
        fmt::format("'{}' is declared by the reference but cannot be executed", n.type));
  } else if (auto near = diag::spellcheck(n.type, names)) {
    d.notes.push_back(fmt::format("did you mean '{}'?", *near));
  }
}

}  // namespace

std::shared_ptr<const CompiledWorkflow> compile_workflow(std::shared_ptr<const Workflow> wf,
                                                         diag::Diagnostics& diags,
                                                         const KindLookup& lookup) {
  const std::size_t errors_before = diags.error_count();
  auto dag = graph::Dag::build(*wf, diags);
  std::vector<const nodes::KindInfo*> kinds(wf->nodes.size(), nullptr);
  std::vector<std::unique_ptr<const nodes::NodeConfig>> configs(wf->nodes.size());
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
    if (config && reader.ok()) {
      kinds[i] = kind;
      configs[i] = std::move(config);
    }
  }
  if (!dag || diags.error_count() > errors_before) return nullptr;
  auto out = std::make_shared<CompiledWorkflow>(
      CompiledWorkflow{std::move(wf), std::move(*dag), std::move(kinds), std::move(configs)});
  return out;
}

}  // namespace thaiyyal::check
