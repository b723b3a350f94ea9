/// UTF-8 and Unicode helpers for the expression language. Every length,
/// position and column in the language counts code points (spec 02 §1), so
/// strings are decoded here; case mapping and white space follow the tables of
/// spec 02 §8.5 (simple case mappings of UnicodeData.txt, JavaScript's blanks).
/// Decoding never fails: a byte that does not start a valid sequence counts
/// as one code point of its own (values should be valid UTF-8 already).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace thaiyyal::expr::detail {

/// Length in bytes of the valid UTF-8 sequence starting at `s[i]`, or 0 when
/// the bytes there are not one (overlong, surrogate, truncated, > U+10FFFF).
std::size_t utf8_length_at(std::string_view s, std::size_t i);

/// Decodes the code point at byte `i` and advances `i` past it. An invalid
/// byte decodes as itself (0x80-0xFF) and advances by one.
char32_t next_code_point(std::string_view s, std::size_t& i);

/// Appends `cp` (at most U+10FFFF, not a surrogate) as UTF-8.
void append_utf8(std::string& out, char32_t cp);

/// Number of code points in `s`.
std::size_t code_point_count(std::string_view s);

/// Byte offset of the code point with index `n` (the size of `s` when `n` is
/// at or past the end).
std::size_t byte_offset_of(std::string_view s, std::size_t n);

/// Code-point index of byte offset `byte` (which must be a sequence start).
std::size_t code_point_index_of(std::string_view s, std::size_t byte);

/// Unicode simple (one-to-one) upper / lower case mapping of one code point.
char32_t simple_upper(char32_t cp);
char32_t simple_lower(char32_t cp);

/// `s` with every code point mapped by simple_upper / simple_lower.
std::string to_upper(std::string_view s);
std::string to_lower(std::string_view s);

/// JavaScript white space (spec 02 §8.5 `trim`).
bool is_js_space(char32_t cp);

/// `s` without leading and trailing JavaScript white space.
std::string_view trim_js(std::string_view s);

}  // namespace thaiyyal::expr::detail
