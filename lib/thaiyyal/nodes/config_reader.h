/// Typed reading of one node's `data` object, shared by every kind's
/// `parse_config`. Each accessor checks the JSON type of one key, reports a
/// load diagnostic `<detail>` (whose reference text, for a run result's
/// `errors`, is the Go engine's
///   failed to unmarshal data for node <id> (type <type>): <detail>)
/// with the key's file position, and returns nothing on a mismatch. A key whose
/// value is JSON null counts as absent (spec 03 §0.1). Keys match case-exactly.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "thaiyyal/diag/diagnostic.h"
#include "thaiyyal/expr/expr.h"
#include "thaiyyal/model/duration.h"
#include "thaiyyal/model/value.h"
#include "thaiyyal/model/workflow.h"
#include "thaiyyal/nodes/config_facts.h"
#include "thaiyyal/nodes/text_template.h"

namespace thaiyyal::nodes {

enum class Presence : std::uint8_t { Optional, Required };

/// The "did you mean" candidate for an unknown option value or handle:
/// diag::spellcheck's, else a candidate that is `word` with two adjacent
/// characters swapped ("ture" for "true"), which spellcheck's distance
/// counts as two edits and so misses in short words.
std::optional<std::string> suggest_name(std::string_view word,
                                        const std::vector<std::string_view>& candidates);

/// A duration setting as written and as parsed (spec 03 §0.5: Go syntax, or a
/// bare base-10 integer meaning milliseconds).
struct DurationSetting {
  std::string text;            ///< as written; several node outputs echo it
  std::optional<Nanos> value;  ///< nullopt when `text` is not a valid duration
};

class ConfigReader {
 public:
  ConfigReader(const Workflow& wf, const NodeSpec& node, diag::Diagnostics& diags);

  const NodeSpec& node() const { return node_; }
  const Workflow& workflow() const { return wf_; }
  const Object& data() const { return node_.data.as_object(); }
  /// False once any problem was reported for this node.
  bool ok() const { return errors_ == 0; }

  /// The raw value of a key; nullptr when absent or null.
  const Value* raw(std::string_view key) const;
  bool has(std::string_view key) const { return raw(key) != nullptr; }

  std::optional<std::string> string(std::string_view key, Presence p = Presence::Optional);
  std::optional<double> number(std::string_view key, Presence p = Presence::Optional);
  /// A number without fraction or exponent in its source ("2.0" fails, as in Go).
  std::optional<std::int64_t> integer(std::string_view key, Presence p = Presence::Optional);
  std::optional<bool> boolean(std::string_view key, Presence p = Presence::Optional);
  const Array* array(std::string_view key, Presence p = Presence::Optional);
  const Object* object(std::string_view key, Presence p = Presence::Optional);
  /// Any JSON value (nullptr when absent or null).
  const Value* any(std::string_view key, Presence p = Presence::Optional);
  /// An array whose elements are all strings.
  std::optional<std::vector<std::string>> string_list(std::string_view key,
                                                      Presence p = Presence::Optional);

  /// A string key holding a duration. Only the JSON type is checked here;
  /// whether the text parses is recorded in `value`, because the reference
  /// rejects a bad duration only when the node runs.
  std::optional<DurationSetting> duration(std::string_view key, Presence p = Presence::Optional);

  /// Compiles the expression held in string key `key` (02 §2.2). Returns
  /// nullptr when the key is absent, null or blank (the node applies its own
  /// rule for that) or when compiling fails; a compile error is reported as
  /// `<key>: <category> error at column <C>: <detail>`, located at that column.
  std::shared_ptr<const expr::Program> expression(std::string_view key, expr::Mode mode);
  /// Same, for an expression at a path below data (e.g. {"cases", 2, "when"});
  /// `label` names it in the message ("cases[2].when").
  std::shared_ptr<const expr::Program> expression_at(const std::vector<PathStep>& data_path,
                                                     const std::string& text,
                                                     std::string_view label, expr::Mode mode);
  /// A required expression key with the blank-field rule of 02 §2.2: absent or
  /// null reports `missing required field: <key>`; blank (empty or only
  /// blanks) reports `blank_detail` at the key (code `blank-expression`);
  /// otherwise the text is compiled. nullptr on any problem.
  std::shared_ptr<const expr::Program> required_expression(std::string_view key, expr::Mode mode,
                                                           std::string_view blank_detail);
  /// True when `s` is empty or only blanks (space, tab, CR, LF).
  static bool blank(std::string_view s);

  /// Reports `missing required field: <what>` (what may be a phrase such as
  /// "start and end"), located at the node.
  void missing(std::string_view what);
  /// Reports a problem with a key's value: `<detail>` after the usual prefix.
  /// An empty key locates the node itself. `code` is the diagnostic code.
  /// Returns the diagnostic, for notes.
  diag::Diagnostic& fail(std::string_view key, std::string_view code, std::string_view detail);
  /// Same, at an arbitrary path below the node's data (e.g. cases[1].when).
  diag::Diagnostic& fail_at(const std::vector<PathStep>& data_path, std::string_view code,
                            std::string_view detail, int column_offset = -1, int length = 0);
  /// A warning about a key (does not make the node invalid).
  void warn(std::string_view key, std::string_view code, std::string_view message);

  /// Reports (code `fails-when-run`, a deferred error) that the node fails
  /// whenever it runs, whatever its inputs (decision D17); `cause` is the
  /// run-time error it will raise. When `key` holds a string close to one of
  /// `choices`, a "did you mean" note is added. `validate` counts it as an
  /// error; the node stays runnable so `execute` fails at that node (D6).
  void fails_when_run(std::string_view key, std::string_view cause,
                      const std::vector<std::string_view>& choices = {});
  /// Same, for the value at a path below the node's data.
  void fails_when_run_at(const std::vector<PathStep>& data_path, std::string_view cause);

  /// What a node does when it runs with a value of its configuration that it
  /// cannot use: it fails (the report is then a deferred error, D17, so that
  /// `execute` still runs the nodes before it), or it silently uses something
  /// else (the report is then an ordinary error: the node would run wrongly).
  struct RunEffect {
    std::string error;    ///< the error the node raises; empty: it does not fail
    std::string when;     ///< when it raises it ("when it runs")
    std::string instead;  ///< what it does instead, when it does not fail
    /// The node raises `error` `when`.
    static RunEffect fails(std::string error, std::string when = "when it runs");
    /// The node does what `instead` says.
    static RunEffect ignored(std::string instead);
  };

  /// Reports (code `unknown-option`) that string key `key` holds `value`,
  /// which is not one of `choices`, located at the value:
  ///   `<key>: '<value>' is not one of <choice>, <choice>, ...`
  /// after `node <id> (type <type>): ` for a deferred error, or after the
  /// usual prefix for an ordinary one (see RunEffect). Notes: "did you mean"
  /// when a choice is close (compared ASCII case-insensitively when
  /// `ignore_case`), then what the node does with the value when it runs.
  void unknown_option(std::string_view key, std::string_view value,
                      const std::vector<std::string_view>& choices, const RunEffect& effect,
                      bool ignore_case = false);
  /// Reports (code `invalid-duration`) that string key `key` holds `text`,
  /// which is not a duration (spec 03 §0.5), as unknown_option() does, with a
  /// note on the duration syntax.
  void invalid_duration(std::string_view key, std::string_view text, const RunEffect& effect);

  /// After parsing: warns (code `unknown-key`) about each data key the kind
  /// never looked at, which the node ignores, with a "did you mean" note when
  /// it looks like a misspelling of one it did ("vlue" -> "value"), else a
  /// note listing the keys the kind reads. Keys the visual editor writes
  /// (`label`, `_`-prefixed ones) are never reported. When parsing stopped
  /// at an error (not every key was looked at), only the misspellings are.
  void report_unknown_keys();

  /// The Go engine's prefix of a configuration error,
  /// `failed to unmarshal data for node <id> (type <type>): `. Errors reported
  /// here carry the problem alone as their message, and this prefix plus the
  /// message as their `reference` (the text of a run result's `errors`).
  std::string prefix() const;
  /// Sets `d.reference` from prefix() and the message; returns `d`.
  diag::Diagnostic& report(diag::Diagnostic& d) const;
  /// Location of a path inside data (`{"cases", 1, "when"}`).
  diag::Location location_in_data(const std::vector<PathStep>& data_path,
                                  bool at_key = false) const;

 private:
  const Value* fetch(std::string_view key, Presence p);
  void type_error(std::string_view key, std::string_view expected, const Value& got);
  /// `detail` about the value of `key`, reported as `effect` says (see
  /// unknown_option); `notes` come before the one on the run-time effect.
  void report_value(std::string_view key, std::string_view code, std::string_view detail,
                    std::vector<std::string> notes, const RunEffect& effect);

  const Workflow& wf_;
  const NodeSpec& node_;
  mutable std::vector<std::string_view> queried_;
  diag::Diagnostics& diags_;
  std::size_t errors_ = 0;

  // -- templates (D12) and the facts whole-workflow checks read (config_facts.h)
 public:
  /// A string key whose value is a template: read as string() reads it,
  /// parsed, and recorded (when it contains `{{`) with its path.
  std::optional<TextTemplate> templated(std::string_view key, Presence p = Presence::Optional);
  /// The template for `text`, the string at `data_path` below data (the key
  /// of the member at `data_path` when `at_key`); recorded likewise.
  TextTemplate templated_at(const std::vector<PathStep>& data_path, std::string text,
                            bool at_key = false);
  /// A JSON value at `data_path` whose strings and object keys, at any depth,
  /// are templates; each one containing `{{` is recorded.
  ValueTemplate templated_value(const std::vector<PathStep>& data_path, const Value& value);
  /// Records that the node defines the context constant (or, when
  /// `constant` is false, the context variable) `name` when it runs.
  void defines_context_value(std::string name, bool constant);
  /// What was recorded so far: templates, expressions (every one compiled
  /// through expression()/expression_at(), compiled or not) and context values.
  const ConfigFacts& facts() const { return facts_; }
  /// Moves the recorded facts out, `complete` set to ok().
  ConfigFacts take_facts();
  /// The location of bytes [offset, offset + length) of the string at
  /// `data_path` (its key when `at_key`): exact columns when the string is
  /// written on one line, quoted or plain, escapes accounted for; otherwise
  /// the start of the string.
  diag::Location location_in_string(const std::vector<PathStep>& data_path, std::size_t offset,
                                    std::size_t length, bool at_key = false) const;

 private:
  ConfigFacts facts_;
};

}  // namespace thaiyyal::nodes
