/// Internal to nodes/: what a kind's file needs, and the declarations of every
/// kind's KindInfo (defined one per file, listed in registry.cpp).
#pragma once

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "thaiyyal/nodes/config_reader.h"
#include "thaiyyal/nodes/node_kind.h"
#include "thaiyyal/nodes/run_context.h"

namespace thaiyyal::nodes {

/// The run function of a kind whose executor does not exist yet: throws
/// std::logic_error("<kind> is not executable yet"). Each KindInfo refers to
/// it until its executor replaces it.
Value run_not_implemented(const NodeConfig& config, RunContext& ctx, std::span<const Value> inputs);

/// One accepted spelling of a closed set of option values and its enumerator.
template <typename E>
using Choice = std::pair<std::string_view, E>;

/// The enumerator whose spelling equals `text` (ASCII case-insensitively when
/// `ignore_case`), or nullopt.
template <typename E, std::size_t N>
std::optional<E> find_choice(std::string_view text, const Choice<E> (&table)[N],
                             bool ignore_case = false) {
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  for (const auto& [name, value] : table) {
    if (name.size() != text.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < name.size() && same; ++i) {
      same = ignore_case ? lower(name[i]) == lower(text[i]) : name[i] == text[i];
    }
    if (same) return value;
  }
  return std::nullopt;
}

/// The spellings of a choice table, for "did you mean" notes.
template <typename E, std::size_t N>
std::vector<std::string_view> choice_names(const Choice<E> (&table)[N]) {
  std::vector<std::string_view> out;
  out.reserve(N);
  for (const auto& entry : table) out.push_back(entry.first);
  return out;
}

/// A number key the reference types *any*: it uses a JSON number and
/// silently runs with the node's default for any other value (spec 03-control
/// §0.1). Here any other value is a type error (`<key> must be a number, got
/// string`), as the node would run wrongly (D17); a string holding a number
/// gets a note showing it unquoted. Returns the number, else nullopt (absent,
/// null or reported).
inline std::optional<double> number_if_given(ConfigReader& r, std::string_view key,
                                             Presence p = Presence::Optional) {
  const Value* v = r.any(key, p);
  if (!v) return std::nullopt;
  if (v->is_number()) return v->as_number();
  auto& d = r.fail(key, "wrong-type",
                   fmt::format("{} must be a number, got {}", key, kind_name(v->kind())));
  if (const std::string* s = v->if_string(); s && !s->empty()) {
    char* end = nullptr;
    const double n = std::strtod(s->c_str(), &end);
    if (end == s->c_str() + s->size() && std::isfinite(n) &&
        s->find_first_of(" \t\nxXpP_iInN") == std::string::npos) {
      d.notes.push_back(
          fmt::format("write the number without quotes: {}: {}", key, number_to_string(n)));
    }
  }
  return std::nullopt;
}

// Input
extern const KindInfo kBooleanInputKind;
extern const KindInfo kDateInputKind;
extern const KindInfo kDatetimeInputKind;
extern const KindInfo kNumberKind;
extern const KindInfo kTextInputKind;
// Display
extern const KindInfo kRendererKind;
extern const KindInfo kVisualizationKind;
// Compute
extern const KindInfo kExpressionKind;
extern const KindInfo kOperationKind;
extern const KindInfo kTextOperationKind;
// Control
extern const KindInfo kConditionKind;
extern const KindInfo kForEachKind;
extern const KindInfo kSwitchKind;
extern const KindInfo kWhileLoopKind;
// Array
extern const KindInfo kChunkKind;
extern const KindInfo kCompactKind;
extern const KindInfo kFilterKind;
extern const KindInfo kFindKind;
extern const KindInfo kFlatMapKind;
extern const KindInfo kGroupByKind;
extern const KindInfo kMapKind;
extern const KindInfo kPartitionKind;
extern const KindInfo kRangeKind;
extern const KindInfo kReduceKind;
extern const KindInfo kReverseKind;
extern const KindInfo kSampleKind;
extern const KindInfo kSliceKind;
extern const KindInfo kSortKind;
extern const KindInfo kTransposeKind;
extern const KindInfo kUniqueKind;
extern const KindInfo kZipKind;
// State
extern const KindInfo kAccumulatorKind;
extern const KindInfo kCacheKind;
extern const KindInfo kContextConstantKind;
extern const KindInfo kContextVariableKind;
extern const KindInfo kCounterKind;
extern const KindInfo kVariableKind;
// Data
extern const KindInfo kExtractKind;
extern const KindInfo kFormatKind;
extern const KindInfo kParseKind;
extern const KindInfo kSchemaValidatorKind;
extern const KindInfo kTransformKind;
// Flow
extern const KindInfo kJoinKind;
extern const KindInfo kParallelKind;
extern const KindInfo kSplitKind;
// Pacing
extern const KindInfo kDelayKind;
extern const KindInfo kRateLimiterKind;
extern const KindInfo kThrottleKind;
// Resilience
extern const KindInfo kRetryKind;
extern const KindInfo kTimeoutKind;
extern const KindInfo kTryCatchKind;
// Network
extern const KindInfo kHttpKind;
extern const KindInfo kPaginatorKind;

}  // namespace thaiyyal::nodes
