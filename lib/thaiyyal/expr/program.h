/// `Program`: a compiled expression (its source, its mode and its syntax tree).
/// Immutable after compile(), so it may be shared and evaluated from several
/// threads at once.
#pragma once

#include <string>

#include "thaiyyal/expr/ast.h"
#include "thaiyyal/expr/expr.h"

namespace thaiyyal::expr {

class Program {
 public:
  Program(std::string text, Mode mode, detail::NodePtr root)
      : text_(std::move(text)), mode_(mode), root_(std::move(root)) {}

  /// The source text.
  const std::string& text() const { return text_; }
  /// The mode it was compiled for (shorthand is only parsed in condition mode).
  Mode mode() const { return mode_; }
  /// The root of the syntax tree (never null).
  const detail::Node& root() const { return *root_; }

 private:
  std::string text_;
  Mode mode_;
  detail::NodePtr root_;
};

}  // namespace thaiyyal::expr
