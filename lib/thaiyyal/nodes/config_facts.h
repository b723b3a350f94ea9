/// What a node's configuration holds that whole-workflow checks need (the
/// templates, the expressions, the context values it defines), recorded by
/// ConfigReader while a kind parses its data, so that the checks in
/// check/ never need to know which kind has which fields.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "thaiyyal/expr/expr.h"
#include "thaiyyal/model/value_json.h"
#include "thaiyyal/nodes/text_template.h"

namespace thaiyyal::nodes {

/// A string of the data that is rendered as a template (D12) and contains
/// `{{` (others need no checking).
struct TemplateSite {
  std::vector<PathStep> path;  ///< below the node's data
  bool at_key = false;         ///< the string is the key of the member at `path`
  TextTemplate text;
};

/// A string of the data that is compiled as an expression (D20: never a
/// template).
struct ExpressionSite {
  std::vector<PathStep> path;  ///< below the node's data
  std::string label;           ///< how messages name it ("cases[2].when")
  std::string text;
  std::shared_ptr<const expr::Program> program;  ///< null when it did not compile
};

/// A context constant or context variable the node defines when it runs.
struct ContextDefinition {
  std::string name;
  bool constant = false;
};

struct ConfigFacts {
  std::vector<TemplateSite> templates;
  std::vector<ExpressionSite> expressions;
  std::vector<ContextDefinition> context_values;
  /// The kind parsed the whole data without an error, so every template and
  /// expression is listed (a failed parse may stop early).
  bool complete = false;
};

}  // namespace thaiyyal::nodes
