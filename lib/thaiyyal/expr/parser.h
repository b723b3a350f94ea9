/// The expression parser (spec 02 §4): recursive descent over the grammar of
/// §4.1 with one token of lookahead, binary chains parsed in loops, the
/// nesting limit of §4.5 and the static checks of §4.6 (unknown function or
/// method, arity). Syntax errors win over name and arity errors; among the
/// latter the leftmost is reported.
#pragma once

#include <string_view>

#include "thaiyyal/expr/ast.h"
#include "thaiyyal/expr/expr.h"

namespace thaiyyal::expr::detail {

/// Parses `source` (already checked against the length limit). Throws
/// ExprError (syntax, name, arity or limit).
NodePtr parse(std::string_view source, Mode mode);

}  // namespace thaiyyal::expr::detail
