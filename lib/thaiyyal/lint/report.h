/// Lint results in the formats people and CI systems read: compiler-style
/// text, JSON, SARIF 2.1.0 (code scanning, editors), GitHub workflow-command
/// annotations, JUnit XML and Checkstyle XML. Pure functions of the results.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "thaiyyal/lint/lint.h"

namespace thaiyyal::lint {

enum class Format { Text, Json, Sarif, Github, Junit, Checkstyle };

/// "text", "json", "sarif", "github", "junit", "checkstyle".
std::optional<Format> parse_format(std::string_view name);
std::string_view format_name(Format f);

struct ReportOptions {
  bool color = false;        ///< text: ANSI colours
  std::string tool_version;  ///< SARIF tool.driver.version
  /// The directory file names are made relative to (SARIF artifact URIs,
  /// GitHub `file=`); empty = the current directory.
  std::string base_dir;
  /// The failure level (findings at or above it fail the run), for the text
  /// summary and JUnit's failure/skipped split.
  diag::Severity fail_level = diag::Severity::Error;
};

/// Every file's findings in `format`. Files come in the order given and
/// findings in their (source) order.
std::string render(Format format, std::span<const FileResult> files, const ReportOptions& options);

/// A finding's identity across edits that move it: a hex digest of the rule
/// id, the file name (relative), the node id and the message, not the line.
/// `--baseline` matches on it; JSON and SARIF reports carry it.
std::string fingerprint(std::string_view file, const diag::Diagnostic& d);

/// `name` relative to `base_dir` (or the current directory) when it lies
/// below it, with '/' separators; else `name` unchanged. "<stdin>" stays.
std::string relative_name(std::string_view name, std::string_view base_dir);

}  // namespace thaiyyal::lint
