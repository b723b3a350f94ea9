#include "thaiyyal/lint/baseline.h"

#include <fmt/format.h>

#include <utility>
#include <vector>

#include "thaiyyal/lint/report.h"
#include "thaiyyal/model/value_json.h"

namespace thaiyyal::lint {
namespace {

const std::string* string_at(const Value& v, std::string_view key) {
  const Value* f = v.is_object() ? v.find(key) : nullptr;
  return f && f->is_string() ? &f->as_string() : nullptr;
}

const Array* array_at(const Value& v, std::string_view key) {
  const Value* f = v.is_object() ? v.find(key) : nullptr;
  return f ? f->if_array() : nullptr;
}

}  // namespace

Baseline Baseline::parse(std::string_view text) {
  Value doc;
  try {
    doc = parse_json(text);
  } catch (const JsonParseError& e) {
    throw BaselineError(fmt::format("not JSON (at byte {}): {}", e.offset(), e.what()));
  }
  Baseline b;
  const auto add = [&](const std::string& fingerprint) {
    ++b.counts_[fingerprint];
    ++b.size_;
  };
  if (const Array* runs = array_at(doc, "runs")) {
    // SARIF: every result's partialFingerprints["thaiyyal/v1"].
    for (const auto& run : *runs) {
      const Array* results = array_at(run, "results");
      if (!results) continue;
      for (const auto& result : *results) {
        const Value* fps = result.is_object() ? result.find("partialFingerprints") : nullptr;
        const std::string* fp = fps ? string_at(*fps, "thaiyyal/v1") : nullptr;
        if (!fp) {
          throw BaselineError(
              "a SARIF result has no partialFingerprints[\"thaiyyal/v1\"]; make the baseline "
              "with thaiyyal lint --format sarif or --write-baseline");
        }
        add(*fp);
      }
    }
    return b;
  }
  if (const Array* files = array_at(doc, "files")) {
    for (const auto& file : *files) {
      const Array* findings = array_at(file, "findings");
      if (!findings) continue;
      for (const auto& finding : *findings) {
        const std::string* fp = string_at(finding, "fingerprint");
        if (!fp) throw BaselineError("a finding of the JSON report has no fingerprint");
        add(*fp);
      }
    }
    return b;
  }
  throw BaselineError("neither a thaiyyal lint JSON report (\"files\") nor a SARIF log (\"runs\")");
}

std::size_t Baseline::apply(std::span<FileResult> files, std::string_view base_dir) {
  std::size_t removed = 0;
  for (auto& file : files) {
    const std::string name = relative_name(file.name, base_dir);
    std::vector<diag::Diagnostic> kept;
    kept.reserve(file.findings.size());
    for (auto& d : file.findings) {
      auto it = counts_.find(fingerprint(name, d));
      if (it != counts_.end() && it->second > 0) {
        --it->second;
        ++removed;
        ++file.suppressed;
      } else {
        kept.push_back(std::move(d));
      }
    }
    file.findings = std::move(kept);
  }
  return removed;
}

}  // namespace thaiyyal::lint
