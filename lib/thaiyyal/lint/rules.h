/// What a lint rule is made of, for the files that define rules
/// (rules_*.cpp). A rule reads the compiled workflow through LintInput and
/// reports findings through a Reporter; it never throws for any workflow
/// that compiled, and it never runs a node.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "thaiyyal/check/compiled_workflow.h"
#include "thaiyyal/diag/diagnostic.h"
#include "thaiyyal/lint/lint.h"
#include "thaiyyal/nodes/node_kind.h"

namespace thaiyyal::lint::detail {

/// Everything a rule may look at. Vectors indexed by node are indexed like
/// `wf.nodes`; `compiled.kinds[i]` is never null here.
struct LintInput {
  const Workflow& wf;
  const check::CompiledWorkflow& compiled;
  const LintOptions& options;
  /// What each node's kind says about it (KindInfo::describe; the default
  /// NodeTraits when the kind has no hook).
  std::vector<nodes::NodeTraits> traits;

  const graph::Dag& dag() const { return compiled.dag; }
  std::string_view kind(std::size_t node) const { return compiled.kinds[node]->name; }
  const nodes::ConfigFacts& facts(std::size_t node) const { return compiled.facts[node]; }
};

/// Adds findings of one rule: the code is the rule's id and the severity its
/// default.
class Reporter {
 public:
  Reporter(const RuleInfo& rule, std::vector<diag::Diagnostic>& out) : rule_(rule), out_(out) {}
  diag::Diagnostic& report(std::string message, diag::Location where) {
    return out_.emplace_back(diag::Diagnostic::make(rule_.severity, std::string(rule_.id),
                                                    std::move(message), std::move(where)));
  }

 private:
  const RuleInfo& rule_;
  std::vector<diag::Diagnostic>& out_;
};

using CheckFn = void (*)(const LintInput& in, Reporter& out);

struct Rule {
  RuleInfo info;
  CheckFn check = nullptr;  ///< null for rules whose findings come from validate
};

/// The tables of rules, one per file; lint.cpp joins and sorts them.
std::span<const Rule> validate_rules();    // rules_validate.cpp
std::span<const Rule> structure_rules();   // rules_structure.cpp
std::span<const Rule> config_rules();      // rules_config.cpp
std::span<const Rule> expression_rules();  // rules_expression.cpp

}  // namespace thaiyyal::lint::detail
