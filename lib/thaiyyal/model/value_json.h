/// JSON text <-> Value. A strict RFC 8259 parser (no comments, no trailing
/// commas, no NaN), with a nesting limit, optional duplicate-key rejection and
/// byte offsets in its errors; and a writer (compact or indented, keys in
/// insertion or byte order). Non-finite numbers cannot be written (D2): the
/// writer throws JsonWriteError.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "thaiyyal/model/value.h"

namespace thaiyyal {

struct JsonParseOptions {
  std::size_t max_depth = 512;        ///< arrays/objects nested deeper fail
  bool reject_duplicate_keys = true;  ///< false: the last duplicate wins
};

/// A JSON syntax or limit error at a byte offset of the input.
class JsonParseError : public std::runtime_error {
 public:
  JsonParseError(std::string message, std::size_t offset, std::string code)
      : std::runtime_error(std::move(message)), offset_(offset), code_(std::move(code)) {}
  std::size_t offset() const { return offset_; }
  /// "json-syntax", "duplicate-key", "nesting-too-deep", "number-out-of-range".
  const std::string& code() const { return code_; }

 private:
  std::size_t offset_;
  std::string code_;
};

/// Parses one JSON document; anything but white space after it is an error.
/// Throws JsonParseError.
Value parse_json(std::string_view text, const JsonParseOptions& opts = {});

struct JsonWriteOptions {
  int indent = 0;          ///< 0: compact; n: pretty with n spaces
  bool sort_keys = false;  ///< byte-order keys (the reference's encoding)
  /// Strings as Go's encoding/json writes them: `<`, `>`, `&`, U+2028 and
  /// U+2029 escaped, invalid UTF-8 as \ufffd (the reference's RefJSON).
  bool escape_html = false;
  /// When non-zero, writing stops soon after the output reaches this many bytes
  /// (the text is then incomplete JSON: for previews that truncate anyway).
  std::size_t stop_after = 0;
  /// When set, receives the text written so far each time it passes 64 KiB
  /// and must consume it (clear the string): streams large documents
  /// without holding all of their text.
  std::function<void(std::string&)> flush;

  /// Compact with byte-ordered keys: one canonical text per value.
  static JsonWriteOptions canonical() {
    JsonWriteOptions o;
    o.sort_keys = true;
    return o;
  }
};

class JsonWriteError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Writes `v` as JSON. Throws JsonWriteError on NaN or infinity.
std::string to_json(const Value& v, const JsonWriteOptions& opts = {});
void append_json(std::string& out, const Value& v, const JsonWriteOptions& opts = {});

/// One step of a JSON path: an object key or an array index.
struct PathStep {
  std::string key;  ///< used when index is empty
  std::optional<std::size_t> index;
};

/// Renders steps as `$.nodes[3].data.value` (keys that are not identifiers are
/// written `["a b"]`).
std::string format_json_path(const std::vector<PathStep>& steps);

/// Byte offset of the value at `steps` (or of its key, for the last object
/// step when `at_key`) in JSON `text`, by a forward scan that skips unrelated
/// values. nullopt when the path does not exist or the text is malformed
/// before it. Intended for error reporting only.
std::optional<std::size_t> locate_json_path(std::string_view text,
                                            const std::vector<PathStep>& steps, bool at_key = false,
                                            std::size_t start = 0);

/// Offsets of the elements of the JSON array whose '[' is at `array_offset`.
std::vector<std::size_t> json_array_element_offsets(std::string_view text,
                                                    std::size_t array_offset);

/// Length in bytes of the JSON value starting at `offset` (0 when malformed).
std::size_t json_value_length(std::string_view text, std::size_t offset);

}  // namespace thaiyyal
