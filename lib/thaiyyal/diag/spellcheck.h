/// "Did you mean" suggestions for unknown names (node kinds, keys, functions).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace thaiyyal::diag {

/// Levenshtein distance, capped: returns max_distance + 1 once it is exceeded.
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t max_distance);

/// The candidate closest to `word` when it is close enough to be a likely typo
/// (distance <= max(1, word.size() / 3) and below the longer length, so "x" never
/// suggests "a"; case-insensitive exact matches first).
std::optional<std::string> spellcheck(std::string_view word,
                                      const std::vector<std::string_view>& candidates);

}  // namespace thaiyyal::diag
