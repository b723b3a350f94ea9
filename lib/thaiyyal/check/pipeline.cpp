#include "thaiyyal/check/pipeline.h"

#include "thaiyyal/check/context_check.h"
#include "thaiyyal/load/loader.h"

namespace thaiyyal::check {

std::shared_ptr<const check::CompiledWorkflow> load_and_check(
    const std::shared_ptr<const diag::SourceFile>& source, const Limits& limits,
    const std::vector<std::string>& constants, diag::Diagnostics& diags,
    std::shared_ptr<const Workflow>* loaded) {
  load::LoadOptions opts;
  opts.max_nodes = limits.max_nodes;
  opts.max_edges = limits.max_edges;
  opts.max_payload_size = limits.max_payload_size;
  auto wf = load::load_workflow(source, opts, diags);
  if (!wf) return nullptr;
  auto shared = std::make_shared<const Workflow>(std::move(*wf));
  if (loaded) *loaded = shared;
  auto compiled = compile_workflow(shared, diags, {}, CheckOptions{constants});
  if (!compiled || diags.has_blocking_errors()) return nullptr;
  check_context_reads(*compiled, constants, diags);
  return compiled;
}

}  // namespace thaiyyal::check
