// Helpers of the lint tests: lint a document given as text, pick findings.
#pragma once

#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "thaiyyal/lint/lint.h"

namespace lint_test {

/// Lints `text` as the file `name` (the extension picks JSON or YAML).
inline thaiyyal::lint::FileResult lint_text(const std::string& text,
                                            const thaiyyal::lint::LintOptions& options = {},
                                            const std::string& name = "flow.yaml") {
  return thaiyyal::lint::lint_source(std::make_shared<thaiyyal::diag::SourceFile>(name, text),
                                     options);
}

/// The findings of `result` with this code, in order.
inline std::vector<thaiyyal::diag::Diagnostic> with_code(const thaiyyal::lint::FileResult& result,
                                                         std::string_view code) {
  std::vector<thaiyyal::diag::Diagnostic> out;
  for (const auto& d : result.findings) {
    if (d.code == code) out.push_back(d);
  }
  return out;
}

/// Every finding as "line:column code message", for failure messages.
inline std::string dump(const thaiyyal::lint::FileResult& result) {
  std::string out;
  for (const auto& d : result.findings) {
    out += std::to_string(d.where.line) + ":" + std::to_string(d.where.column) + " " + d.code +
           " " + d.message + "\n";
  }
  return out;
}

}  // namespace lint_test
