/// Baselines: the findings of an earlier run that a team has accepted, so
/// that only new ones count. A baseline is the JSON or SARIF report of that
/// run (`thaiyyal lint --format json|sarif`, or `--write-baseline`); findings
/// are matched on their fingerprints (report.h), which do not depend on the
/// line, so edits elsewhere in a file keep its old findings matched.
#pragma once

#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

#include "thaiyyal/lint/lint.h"

namespace thaiyyal::lint {

/// A baseline file that is neither a lint JSON report nor SARIF.
class BaselineError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Baseline {
 public:
  /// Reads a JSON report or a SARIF log; throws BaselineError.
  static Baseline parse(std::string_view text);

  /// Removes from each file the findings the baseline holds (each baseline
  /// entry matches one finding: two equal findings need two entries) and
  /// returns how many it removed. Names are made relative to `base_dir` as
  /// reports make them.
  std::size_t apply(std::span<FileResult> files, std::string_view base_dir);

  std::size_t size() const { return size_; }

 private:
  std::unordered_map<std::string, std::size_t> counts_;  // fingerprint -> entries
  std::size_t size_ = 0;
};

}  // namespace thaiyyal::lint
