#include "thaiyyal/diag/diagnostic.h"

#include <algorithm>

namespace thaiyyal::diag {

SourceFile::SourceFile(std::string name, std::string text)
    : name_(std::move(name)), text_(std::move(text)) {}

void SourceFile::index_lines() const {
  if (!line_starts_.empty()) return;
  line_starts_.push_back(0);
  for (std::size_t i = 0; i < text_.size(); ++i) {
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
  }
}

std::pair<int, int> SourceFile::line_column(std::size_t offset) const {
  index_lines();
  offset = std::min(offset, text_.size());
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  const auto line = static_cast<int>(it - line_starts_.begin());
  const auto col = static_cast<int>(offset - line_starts_[line - 1]) + 1;
  return {line, col};
}

std::size_t SourceFile::line_start(int line) const {
  index_lines();
  if (line < 1 || static_cast<std::size_t>(line) > line_starts_.size()) return std::string::npos;
  return line_starts_[line - 1];
}

std::string_view SourceFile::line_text(int line) const {
  const auto start = line_start(line);
  if (start == std::string::npos) return {};
  auto end = text_.find('\n', start);
  if (end == std::string::npos) end = text_.size();
  if (end > start && text_[end - 1] == '\r') --end;
  return std::string_view(text_).substr(start, end - start);
}

std::string_view severity_name(Severity s) {
  switch (s) {
    case Severity::Error:
      return "error";
    case Severity::Warning:
      return "warning";
    case Severity::Info:
      return "info";
  }
  return "error";
}

Diagnostic& Diagnostics::add(Diagnostic d) {
  if (d.severity == Severity::Error) {
    ++errors_;
    if (d.deferred) ++deferred_;
  }
  items_.push_back(std::move(d));
  return items_.back();
}

Diagnostic& Diagnostics::error(std::string code, std::string message, Location where) {
  return add(
      Diagnostic::make(Severity::Error, std::move(code), std::move(message), std::move(where)));
}

Diagnostic& Diagnostics::warning(std::string code, std::string message, Location where) {
  return add(
      Diagnostic::make(Severity::Warning, std::move(code), std::move(message), std::move(where)));
}

Diagnostic& Diagnostics::deferred_error(std::string code, std::string message, Location where) {
  Diagnostic d =
      Diagnostic::make(Severity::Error, std::move(code), std::move(message), std::move(where));
  d.deferred = true;
  return add(std::move(d));
}

void Diagnostics::append(const Diagnostics& other) {
  for (const auto& d : other.items_) add(d);
}

Error::Error(ErrorKind kind, Diagnostic d)
    : std::runtime_error(d.message), kind_(kind), diag_(std::move(d)) {}

void raise(ErrorKind kind, std::string code, std::string message, Location where) {
  throw Error(kind, Diagnostic::make(Severity::Error, std::move(code), std::move(message),
                                     std::move(where)));
}

}  // namespace thaiyyal::diag
