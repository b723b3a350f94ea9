// The checks of `validate` that lint lists as rules, so that `--explain`
// covers them and (for warnings) they can be ignored like any rule. Their
// findings come from validate itself, under the same codes.
#include "thaiyyal/lint/rules.h"

namespace thaiyyal::lint::detail {
namespace {

using diag::Severity;

constexpr bool kFromValidate = true;

const Rule kRules[] = {
    {{"handle-never-fires", Severity::Warning, "Edge handle on a node that does not route",
      "Only condition and switch nodes route: their result says which handle fires. An edge "
      "with a sourceHandle out of any other node fires only if that node's result happens to "
      "carry a matching path key, which ordinary results never do, so the target is silently "
      "skipped (spec 01 §3.4). The editor draws true/false handles on partition, which is the "
      "usual cause.",
      "nodes:\n"
      "  - {id: a, type: number, data: {value: 5}}\n"
      "  - {id: b, type: visualization, data: {mode: text}}\n"
      "edges:\n"
      "  - {source: a, target: b, sourceHandle: \"true\"}\n",
      "nodes:\n"
      "  - {id: a, type: number, data: {value: 5}}\n"
      "  - {id: b, type: visualization, data: {mode: text}}\n"
      "edges:\n"
      "  - {source: a, target: b}\n",
      kFromValidate},
     nullptr},
    {{"unknown-handle", Severity::Error, "Edge handle that its condition or switch cannot produce",
      "A condition fires `true` or `false`; a switch fires the output_path of the case that "
      "matched, or its default path. An edge whose sourceHandle is none of them never fires, "
      "so its target never runs through it. The message lists the handles the node has.",
      "nodes:\n"
      "  - {id: a, type: number, data: {value: 5}}\n"
      "  - {id: c, type: condition, data: {condition: \"input > 3\"}}\n"
      "  - {id: b, type: visualization, data: {mode: text}}\n"
      "edges:\n"
      "  - {source: a, target: c}\n"
      "  - {source: c, target: b, sourceHandle: \"yes\"}\n",
      "nodes:\n"
      "  - {id: a, type: number, data: {value: 5}}\n"
      "  - {id: c, type: condition, data: {condition: \"input > 3\"}}\n"
      "  - {id: b, type: visualization, data: {mode: text}}\n"
      "edges:\n"
      "  - {source: a, target: c}\n"
      "  - {source: c, target: b, sourceHandle: \"true\"}\n",
      kFromValidate},
     nullptr},
    {{"unknown-placeholder", Severity::Error, "Template placeholder naming no context value",
      "A `{{ const.NAME }}` placeholder is replaced by the context constant NAME, defined by a "
      "context_constant node or given with --set NAME=VALUE. When nothing defines it, the "
      "placeholder cannot be filled and the node fails when it runs. Pass --set to lint and "
      "validate for the constants the workflow is run with.",
      "nodes:\n"
      "  - {id: t, type: text_input, data: {text: \"Hello {{ const.nmae }}\"}}\n"
      "  - {id: k, type: context_constant, data: {context_name: name, context_value: Ada}}\n",
      "nodes:\n"
      "  - {id: t, type: text_input, data: {text: \"Hello {{ const.name }}\"}}\n"
      "  - {id: k, type: context_constant, data: {context_name: name, context_value: Ada}}\n",
      kFromValidate},
     nullptr},
    {{"malformed-placeholder", Severity::Warning, "Text that looks like a placeholder but is not",
      "`{{` starts a placeholder only when a closing `}}` follows with a name inside. Anything "
      "else is left in the text as written, which is rarely what was meant: usually a missing "
      "brace or a typo in the prefix.",
      "nodes:\n"
      "  - {id: t, type: text_input, data: {text: \"Hello {{ const.name\"}}\n"
      "  - {id: k, type: context_constant, data: {context_name: name, context_value: Ada}}\n",
      "nodes:\n"
      "  - {id: t, type: text_input, data: {text: \"Hello {{ const.name }}\"}}\n"
      "  - {id: k, type: context_constant, data: {context_name: name, context_value: Ada}}\n",
      kFromValidate},
     nullptr},
    {{"template-in-expression", Severity::Warning, "Template placeholder inside an expression",
      "Expressions are never template-expanded (decision D20): a `{{ const.x }}` inside one "
      "stays as written. Expressions read constants as context.x.",
      "nodes:\n"
      "  - {id: a, type: number, data: {value: 5}}\n"
      "  - {id: e, type: expression, data: {expression: \"'rate {{ const.rate }}'\"}}\n"
      "edges:\n"
      "  - {source: a, target: e}\n",
      "nodes:\n"
      "  - {id: a, type: number, data: {value: 5}}\n"
      "  - {id: e, type: expression, data: {expression: \"'rate ' + string(input)\"}}\n"
      "edges:\n"
      "  - {source: a, target: e}\n",
      kFromValidate},
     nullptr},
    {{"missing-input", Severity::Error, "Node with fewer inputs than it needs",
      "Nodes that compute from their inputs (expression, operation, condition, filter, ...) "
      "fail whenever they run without enough incoming edges. validate reports it without "
      "stopping execute, so the nodes before it still produce their results.",
      "nodes:\n"
      "  - {id: e, type: expression, data: {expression: \"input * 2\"}}\n",
      "nodes:\n"
      "  - {id: a, type: number, data: {value: 5}}\n"
      "  - {id: e, type: expression, data: {expression: \"input * 2\"}}\n"
      "edges:\n"
      "  - {source: a, target: e}\n",
      kFromValidate},
     nullptr},
    {{"variable-not-set", Severity::Error, "Variable read before any node sets it",
      "A variable node with op get fails with `variable 'NAME' not found` unless a node that "
      "stores NAME runs before it. The order of a run is fixed before it starts (spec 01 §3.2), "
      "so a store that comes later in that order does not help.",
      "nodes:\n"
      "  - {id: g, type: variable, data: {var_name: total, var_op: get}}\n",
      "nodes:\n"
      "  - {id: a, type: number, data: {value: 5}}\n"
      "  - {id: s, type: variable, data: {var_name: total, var_op: set}}\n"
      "  - {id: g, type: variable, data: {var_name: total, var_op: get}}\n"
      "edges:\n"
      "  - {source: a, target: s}\n"
      "  - {source: s, target: g}\n",
      kFromValidate},
     nullptr},
    {{"unknown-key", Severity::Warning, "Data key the node's type does not read",
      "Each node type reads a fixed set of data keys; any other key is ignored. A misspelt key "
      "(`vlaue`) or a key of another type (`field` on a filter) silently does nothing, and the "
      "node runs with its default instead.",
      "nodes:\n"
      "  - {id: a, type: number, data: {value: 1, vlaue: 2}}\n",
      "nodes:\n"
      "  - {id: a, type: number, data: {value: 2}}\n",
      kFromValidate},
     nullptr},
};

}  // namespace

std::span<const Rule> validate_rules() { return kRules; }

}  // namespace thaiyyal::lint::detail
