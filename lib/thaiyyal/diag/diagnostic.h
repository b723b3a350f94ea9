/// The diagnostics module owns the one problem-report type every command uses:
/// a `Diagnostic` (severity, stable code, message, location, notes), the
/// `Diagnostics` list that validation appends to, and `Error`, the exception that
/// carries a single diagnostic when a phase cannot go on. It depends on nothing
/// else in thaiyyal and never prints: rendering lives in render.h.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace thaiyyal::diag {

/// A loaded source text and its name ("flow.yaml", "<stdin>", "<expr>").
/// Immutable once built; shared by every Location that points into it.
class SourceFile {
 public:
  SourceFile(std::string name, std::string text);

  const std::string& name() const { return name_; }
  const std::string& text() const { return text_; }

  /// 1-based line and column (in bytes) of a byte offset; offsets past the end
  /// clamp to the end. O(log lines) after the first call.
  std::pair<int, int> line_column(std::size_t offset) const;
  /// Byte offset of the start of a 1-based line, or npos.
  std::size_t line_start(int line) const;
  /// Text of a 1-based line without its newline; empty when out of range.
  std::string_view line_text(int line) const;

 private:
  void index_lines() const;
  std::string name_;
  std::string text_;
  mutable std::vector<std::size_t> line_starts_;
};

/// Where a problem is: a file position (line/column are 1-based, 0 = unknown),
/// a span length for carets, and the workflow coordinates (node id, JSON path).
struct Location {
  std::shared_ptr<const SourceFile> file;
  int line = 0;
  int column = 0;
  int length = 0;
  std::string node_id;
  std::string json_path;
  bool has_node = false;  ///< node_id is meaningful (ids may be empty strings)
};

enum class Severity : std::uint8_t { Error, Warning, Info };

/// "error", "warning", "info".
std::string_view severity_name(Severity s);

/// One problem. `code` is a stable slug ("unknown-kind") that scripts may match on;
/// `message` is for people. Notes are extra lines ("did you mean ...").
struct Diagnostic {
  Severity severity = Severity::Error;
  std::string code;
  std::string message;
  Location where;
  std::vector<std::string> notes;
  /// A certain run-time failure found statically (decision D17): an error for
  /// `validate` and `lint`, but it does not stop `execute`, which runs the
  /// workflow anyway so that the nodes before the failure still produce their
  /// results (D6) and the failure carries the engine's own message.
  bool deferred = false;
  /// The Go engine's wording of this error, when it differs from `message`:
  /// a run result's `errors` carries it (spec 01 §6) so that scripts matching
  /// those texts keep working, while people read `message`. Empty: `message`
  /// is used everywhere.
  std::string reference;

  /// A diagnostic without notes.
  static Diagnostic make(Severity severity, std::string code, std::string message,
                         Location where = {}) {
    Diagnostic d;
    d.severity = severity;
    d.code = std::move(code);
    d.message = std::move(message);
    d.where = std::move(where);
    return d;
  }

  /// The text for a run result's `errors`: `reference`, else `message`.
  const std::string& result_text() const { return reference.empty() ? message : reference; }
};

/// An append-only list of diagnostics. Validation adds every problem it finds and
/// returns; callers decide what to do from `error_count()`.
class Diagnostics {
 public:
  Diagnostic& add(Diagnostic d);
  Diagnostic& error(std::string code, std::string message, Location where = {});
  Diagnostic& warning(std::string code, std::string message, Location where = {});
  /// An error with `deferred` set (see Diagnostic::deferred).
  Diagnostic& deferred_error(std::string code, std::string message, Location where = {});

  const std::vector<Diagnostic>& all() const { return items_; }
  std::size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  std::size_t error_count() const { return errors_; }
  bool has_errors() const { return errors_ > 0; }
  /// Errors that prevent a run: every error except deferred ones.
  std::size_t blocking_error_count() const { return errors_ - deferred_; }
  bool has_blocking_errors() const { return blocking_error_count() > 0; }
  void append(const Diagnostics& other);

 private:
  std::vector<Diagnostic> items_;
  std::size_t errors_ = 0;
  std::size_t deferred_ = 0;
};

/// Which phase raised an Error; maps to exit codes and REST statuses.
enum class ErrorKind : std::uint8_t { Load, Validation, Expr, Node, Http, Limit, Internal };

/// The exception a phase throws when it cannot continue. It carries exactly one
/// Diagnostic; what() is its message.
class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, Diagnostic d);
  ErrorKind kind() const { return kind_; }
  const Diagnostic& diagnostic() const { return diag_; }

 private:
  ErrorKind kind_;
  Diagnostic diag_;
};

/// The single throw helper: builds an error Diagnostic and throws it.
[[noreturn]] void raise(ErrorKind kind, std::string code, std::string message, Location where = {});

}  // namespace thaiyyal::diag
