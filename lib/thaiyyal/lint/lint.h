/// The lint module says whether a workflow is what its author meant (decision
/// D17): every diagnostic `validate` gives, under the same codes, plus the
/// findings of rules with stable kebab-case ids that look for smells in the
/// same compiled workflow `validate` and `execute` use. It never prints;
/// report.h renders results in the CI formats.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "thaiyyal/diag/diagnostic.h"
#include "thaiyyal/model/limits.h"

namespace thaiyyal::lint {

/// One rule: what `--list-rules` and `--explain` show and SARIF carries.
struct RuleInfo {
  std::string_view id;           ///< stable, kebab-case
  diag::Severity severity;       ///< default severity
  std::string_view summary;      ///< one line (SARIF shortDescription)
  std::string_view explanation;  ///< one paragraph (SARIF fullDescription)
  std::string_view bad;          ///< a workflow (YAML) that triggers the rule
  std::string_view good;         ///< the same workflow, fixed
  /// The findings come from validate's checks under this code (lint lists
  /// the rule so it can be explained and, for warnings, ignored).
  bool from_validate = false;
  /// Off unless `--enable`d.
  bool enabled_by_default = true;
};

/// Every rule, sorted by id.
std::span<const RuleInfo> all_rules();
/// The rule with this id, or nullptr.
const RuleInfo* find_rule(std::string_view id);

struct LintOptions {
  /// Context constants the workflow will be run with (`--set` names).
  std::vector<std::string> constants;
  /// The limits of the run (load-time ones apply while loading; the run
  /// time limit is what `delay-exceeds-timeout` compares with).
  Limits limits;
  /// Rules turned off (`--ignore`, `--disable`) and on (`--enable`, for
  /// rules off by default). Validate errors cannot be turned off.
  std::set<std::string, std::less<>> disabled;
  std::set<std::string, std::less<>> enabled;
};

/// The result of linting one source.
struct FileResult {
  std::string name;  ///< as given (a path, or "<stdin>")
  /// The document loaded into a workflow (false: a syntax or shape error,
  /// or an unreadable file; `findings` then says why).
  bool loaded = false;
  /// Every finding left after suppression, in source order (line, column;
  /// those without a position first). `code` is the rule id.
  std::vector<diag::Diagnostic> findings;
  /// Findings removed by `--ignore`, the document's `lint.ignore` or a
  /// node's `lint_ignore`.
  std::size_t suppressed = 0;
  std::size_t nodes = 0, edges = 0;
};

/// Lints one source: loads and checks it as `validate` does, runs every
/// enabled rule over the compiled workflow (rules need one; a workflow with
/// blocking validate errors gets the validate findings only), then applies
/// the suppressions.
FileResult lint_source(const std::shared_ptr<const diag::SourceFile>& source,
                       const LintOptions& options);

/// A finding of a file that could not be read, for reports.
FileResult unreadable(std::string name, std::string message);

}  // namespace thaiyyal::lint
