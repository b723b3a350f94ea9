/// Rendering of diagnostics for people (compiler style, with the source line and
/// carets) and for programs (JSON). Pure functions returning strings.
#pragma once

#include <string>
#include <string_view>

#include "thaiyyal/diag/diagnostic.h"

namespace thaiyyal::diag {

struct RenderOptions {
  bool color = false;       ///< ANSI colours for terminals
  bool show_source = true;  ///< the source line and carets under it
};

/// `flow.yaml:12:9: error[unknown-kind]: message`, then `  in node 'x'`, the
/// source line, carets and notes. Ends with a newline. Line and column are in
/// bytes; the carets are placed by characters. User text cannot reach the
/// terminal raw: control characters in messages, ids and notes are escaped
/// (`\n`, `\x1B`), in the source line they and invalid UTF-8 show as U+FFFD.
std::string render_text(const Diagnostic& d, const RenderOptions& opts = {});

/// One JSON object: {"severity","code","message","reference_message",
/// "fails_at_run_time","file","line","column","node_id","path","notes"};
/// reference_message only when the Go engine words the error differently,
/// fails_at_run_time only for deferred errors (true), position keys only when
/// known.
std::string render_json(const Diagnostic& d);

/// Length in bytes of the well-formed UTF-8 sequence starting at s[i] (1 for
/// ASCII), or 0 when the bytes there are not valid UTF-8 (overlong forms,
/// surrogates and values past U+10FFFF included). Requires i < s.size().
std::size_t utf8_sequence_length(std::string_view s, std::size_t i);

/// Appends code point `cp` (at most U+10FFFF) encoded as UTF-8.
void append_utf8(std::string& out, char32_t cp);

/// Appends `s` to `out` as a JSON string literal (quotes included). Control
/// characters are escaped; invalid UTF-8 is replaced by U+FFFD.
void append_json_string(std::string& out, std::string_view s);

}  // namespace thaiyyal::diag
