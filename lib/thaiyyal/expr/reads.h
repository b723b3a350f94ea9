/// What an expression reads: every use of a root identifier (`input`,
/// `context`, `variables`, `node`, ...) with the member it reads first, when
/// that member is written in the source. Whole-workflow checks use it to
/// find, without running anything, which context constants, variables or
/// input fields an expression may look at.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "thaiyyal/expr/ast.h"
#include "thaiyyal/expr/program.h"

namespace thaiyyal::expr {

/// One use of a root identifier.
struct Read {
  detail::RootKind root = detail::RootKind::Input;
  /// The member read from the root when it is written literally:
  /// `context.region`, `context?.region`, `context["region"]` all give
  /// "region" (`context[1]` gives "1"). nullopt when the root is used as a
  /// whole (`context`, `len(context)`, `context.keys()`) or with a computed
  /// key (`context[name]`): then any member may be read.
  std::optional<std::string> member;
  int column = 0;  ///< code-point column of the root
};

/// Every root read of `program` in source order (left to right, outer
/// before inner). Bare names (02 §5.2) are not roots and are not listed.
std::vector<Read> reads(const Program& program);

}  // namespace thaiyyal::expr
