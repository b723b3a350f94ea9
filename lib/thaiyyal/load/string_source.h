/// Internal to load/: where each byte of a decoded string value comes from in
/// its source text, so that a position inside the value (the column of an
/// expression error) maps to the exact line and column of the file through
/// JSON escapes, YAML quoted, plain and block scalars and their line folding.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "thaiyyal/diag/diagnostic.h"

namespace thaiyyal::load::detail {

/// A string value as decoded from the source, with the source range of every
/// byte. Bytes that one escape produces (`\u00e9`) share its range; a line
/// break that folding turned into a space or kept maps to that line break.
struct StringSource {
  std::string value;
  std::vector<std::pair<std::size_t, std::size_t>> bytes;  ///< per value byte: [begin, end)
  /// Source position just after the value's last character, not counting the
  /// final line breaks of a block scalar; where its text starts when empty.
  std::size_t end = 0;

  /// Source range of value bytes [offset, offset + length). An offset at or
  /// past the end of the value maps to the position just after its last
  /// character, before any final line breaks.
  std::pair<std::size_t, std::size_t> range(std::size_t offset, std::size_t length) const;
};

/// The JSON string whose opening quote is at byte `quote` of `text`; nullopt
/// when there is no well-formed string there.
std::optional<StringSource> json_string_source(std::string_view text, std::size_t quote);

/// Where a YAML scalar sits, which decides how its lines are read.
struct YamlScalarContext {
  int indent = -1;       ///< column of the innermost enclosing block collection (-1: none)
  bool in_flow = false;  ///< inside a flow collection ([...] or {...})
};

/// The YAML scalar whose node starts at byte `start` of `text` (at its tag or
/// anchor, if it has one), read the way the YAML parser reads it: plain,
/// single- or double-quoted (with escapes), literal or folded block scalar,
/// with indentation indicators and chomping. `text` must not include a byte
/// order mark. nullopt when no scalar could be read there.
std::optional<StringSource> yaml_scalar_source(std::string_view text, std::size_t start,
                                               const YamlScalarContext& ctx);

/// Location of the source range `r` of `file`, whose text holds the scanned
/// text from byte `base` on (a byte order mark before it). The span stays on
/// one line and is at least one byte long.
diag::Location string_location(const std::shared_ptr<const diag::SourceFile>& file,
                               std::size_t base, std::pair<std::size_t, std::size_t> r);

}  // namespace thaiyyal::load::detail
