#include "thaiyyal/lint/lint.h"

#include <fmt/format.h>

#include <algorithm>
#include <exception>
#include <unordered_map>
#include <utility>

#include "thaiyyal/check/pipeline.h"
#include "thaiyyal/diag/spellcheck.h"
#include "thaiyyal/lint/rules.h"

namespace thaiyyal::lint {
namespace {

struct Registry {
  std::vector<const detail::Rule*> rules;  // sorted by id
  std::vector<RuleInfo> infos;             // same order

  Registry() {
    for (auto table : {detail::validate_rules(), detail::structure_rules(), detail::config_rules(),
                       detail::expression_rules()}) {
      for (const auto& r : table) rules.push_back(&r);
    }
    std::sort(rules.begin(), rules.end(),
              [](const auto* a, const auto* b) { return a->info.id < b->info.id; });
    for (const auto* r : rules) infos.push_back(r->info);
  }
};

const Registry& registry() {
  static const Registry r;
  return r;
}

bool rule_enabled(const RuleInfo& info, const LintOptions& options) {
  if (options.disabled.count(info.id) > 0) return false;
  return info.enabled_by_default || options.enabled.count(info.id) > 0;
}

/// The rule ids a `lint_ignore` / `lint.ignore` list names; a malformed list
/// or an unknown id is itself a finding.
std::vector<std::string> ignore_list(const Workflow& wf, const Value& list, std::string_view label,
                                     const std::vector<PathStep>& path, const NodeSpec* node,
                                     std::vector<diag::Diagnostic>& findings) {
  std::vector<std::string> ids;
  const auto where = [&](std::vector<PathStep> p) { return wf.location(p, node); };
  const Array* items = list.if_array();
  if (!items) {
    findings.push_back(diag::Diagnostic::make(
        diag::Severity::Warning, "invalid-lint-ignore",
        fmt::format("{} must be a list of rule ids, got {}", label, kind_name(list.kind())),
        where(path)));
    return ids;
  }
  std::vector<std::string_view> known;
  for (const auto& info : registry().infos) known.push_back(info.id);
  for (std::size_t i = 0; i < items->size(); ++i) {
    auto p = path;
    p.push_back(PathStep{"", i});
    const Value& item = (*items)[i];
    if (!item.is_string()) {
      findings.push_back(diag::Diagnostic::make(
          diag::Severity::Warning, "invalid-lint-ignore",
          fmt::format("a rule id must be a string, got {}", kind_name(item.kind())), where(p)));
      continue;
    }
    const std::string& id = item.as_string();
    // Validate codes that are not rules (unknown-key, ...) may be ignored too,
    // so only a name close to a rule's is questioned.
    if (!find_rule(id)) {
      if (auto near = diag::spellcheck(id, known)) {
        auto& d = findings.emplace_back(
            diag::Diagnostic::make(diag::Severity::Warning, "invalid-lint-ignore",
                                   fmt::format("'{}' is not a lint rule", id), where(p)));
        d.notes.push_back(fmt::format("did you mean '{}'?", *near));
      }
    }
    ids.push_back(id);
  }
  return ids;
}

bool contains(const std::vector<std::string>& list, std::string_view id) {
  return std::find(list.begin(), list.end(), id) != list.end();
}

/// Runs the enabled rules over a workflow that compiled.
void run_rules(const check::CompiledWorkflow& compiled, const LintOptions& options,
               std::vector<diag::Diagnostic>& findings) {
  detail::LintInput in{*compiled.workflow, compiled, options, {}};
  in.traits.reserve(compiled.kinds.size());
  for (std::size_t i = 0; i < compiled.kinds.size(); ++i) {
    const auto* kind = compiled.kinds[i];
    in.traits.push_back(kind->describe && compiled.configs[i] ? kind->describe(*compiled.configs[i])
                                                              : nodes::NodeTraits{});
  }
  for (const auto* rule : registry().rules) {
    if (!rule->check || !rule_enabled(rule->info, options)) continue;
    detail::Reporter out(rule->info, findings);
    try {
      rule->check(in, out);
    } catch (const std::exception& e) {
      // A rule bug must not take the other files' results with it.
      findings.push_back(diag::Diagnostic::make(
          diag::Severity::Error, "lint-internal-error",
          fmt::format("rule {} failed on this workflow: {}", rule->info.id, e.what())));
    }
  }
}

}  // namespace

std::span<const RuleInfo> all_rules() { return registry().infos; }

const RuleInfo* find_rule(std::string_view id) {
  const auto& infos = registry().infos;
  auto it = std::lower_bound(infos.begin(), infos.end(), id,
                             [](const RuleInfo& r, std::string_view v) { return r.id < v; });
  return it != infos.end() && it->id == id ? &*it : nullptr;
}

FileResult lint_source(const std::shared_ptr<const diag::SourceFile>& source,
                       const LintOptions& options) {
  FileResult result;
  result.name = source->name();
  diag::Diagnostics diags;
  std::shared_ptr<const Workflow> wf;
  const auto compiled =
      check::load_and_check(source, options.limits, options.constants, diags, &wf);
  std::vector<diag::Diagnostic> findings(diags.all().begin(), diags.all().end());
  if (!wf) {
    result.findings = std::move(findings);
    return result;
  }
  result.loaded = true;
  result.nodes = wf->nodes.size();
  result.edges = wf->edges.size();
  if (compiled) run_rules(*compiled, options, findings);

  // Suppressions: the command line, the document, the node.
  std::vector<std::string> document_ignores;
  if (const Value* ignore = wf->lint.is_object() ? wf->lint.find("ignore") : nullptr) {
    document_ignores = ignore_list(
        *wf, *ignore, "lint.ignore",
        {PathStep{"lint", std::nullopt}, PathStep{"ignore", std::nullopt}}, nullptr, findings);
  } else if (!wf->lint.is_null() && !wf->lint.is_object()) {
    findings.push_back(diag::Diagnostic::make(
        diag::Severity::Warning, "invalid-lint-ignore",
        fmt::format("lint must be an object such as {{ignore: [rule-id]}}, got {}",
                    kind_name(wf->lint.kind())),
        wf->location({PathStep{"lint", std::nullopt}})));
  }
  std::unordered_map<std::string_view, std::vector<std::string>> node_ignores;
  for (const auto& node : wf->nodes) {
    if (const Value* ignore = node.data.find("lint_ignore")) {
      auto path = node_data_path(node.index, "lint_ignore");
      node_ignores[node.id] = ignore_list(*wf, *ignore, "lint_ignore", path, &node, findings);
    }
  }
  std::vector<diag::Diagnostic> kept;
  kept.reserve(findings.size());
  for (auto& d : findings) {
    const RuleInfo* rule = find_rule(d.code);
    // A validate error means the workflow does not run: never hidden.
    const bool validate_error =
        d.severity == diag::Severity::Error && (!rule || rule->from_validate);
    bool drop = false;
    if (!validate_error) {
      drop = options.disabled.count(d.code) > 0 || contains(document_ignores, d.code) ||
             (rule && !rule->from_validate && !rule_enabled(*rule, options));
      if (!drop && d.where.has_node) {
        auto it = node_ignores.find(d.where.node_id);
        drop = it != node_ignores.end() && contains(it->second, d.code);
      }
    }
    if (drop) {
      ++result.suppressed;
    } else {
      kept.push_back(std::move(d));
    }
  }
  std::stable_sort(kept.begin(), kept.end(), [](const auto& a, const auto& b) {
    return std::pair(a.where.line, a.where.column) < std::pair(b.where.line, b.where.column);
  });
  result.findings = std::move(kept);
  return result;
}

FileResult unreadable(std::string name, std::string message) {
  FileResult result;
  result.name = std::move(name);
  result.findings.push_back(
      diag::Diagnostic::make(diag::Severity::Error, "io", std::move(message)));
  return result;
}

}  // namespace thaiyyal::lint
