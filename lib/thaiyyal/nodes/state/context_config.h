/// The configuration shared by the two context kinds, `context_variable` and
/// `context_constant` (spec 03 §5.5-§5.6): they differ only in the map they
/// write and the labels in their output and messages.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "thaiyyal/nodes/config_reader.h"
#include "thaiyyal/nodes/node_kind.h"
#include "thaiyyal/nodes/run_context.h"

namespace thaiyyal::nodes {

/// How an entry's value is converted before it is stored.
enum class ContextType : std::uint8_t {
  String,
  Number,
  Boolean,
  TimeString,
  EpochSecond,
  EpochMs,
  Null,
};

/// One `context_values` entry.
struct ContextEntry {
  std::string name;       ///< "" allowed
  Value value;            ///< as written; converted when the node runs
  std::string type_name;  ///< as written, for messages
  ContextType type = ContextType::String;
};

struct ContextConfig final : NodeConfig {
  bool constant = false;  ///< context_constant rather than context_variable
  /// The preferred form; used whenever non-empty (the legacy keys are then ignored).
  std::vector<ContextEntry> entries;
  /// The legacy form: one name and an unconverted value. A missing value fails
  /// at run time (`<kind> node missing context_value`).
  std::string legacy_name;
  std::optional<Value> legacy_value;
  /// The entries whose value cannot be converted to their type: the node
  /// fails on the first one when it runs (for a constant, unless `--set`
  /// gives it another value).
  std::vector<PendingFailure> failures;
};

/// Parses a context node's data. An entry whose `type` is missing or not one
/// of the supported names is a load error (spec 01 §6.3), with the message the
/// node would fail with: `<kind> node: error converting <name> (<type>):
/// unsupported type "<type>"`.
std::unique_ptr<const NodeConfig> parse_context_config(ConfigReader& r, bool constant);

/// The traits of a context node: the conversions certain to fail.
NodeTraits describe_context(const NodeConfig& config);

/// Runs a context node: converts each entry (spec 03 §5.5, D2, D21), stores
/// it in the run's context variables or constants, and returns
/// `{"type": "variable"|"const", "variables"|"constants": {...}}`, or for the
/// legacy form `{"type": ..., "name": ..., "value": ...}`.
Value run_context(const NodeConfig& config, RunContext& ctx, std::span<const Value> inputs);

/// One `context_values` entry's value converted to its type, or the
/// conversion failure's detail (`cannot convert "x" to number: ...`).
struct ContextConversion {
  Value value;
  std::string error;  ///< empty on success
};
ContextConversion convert_context_value(const Value& v, ContextType type,
                                        std::string_view type_name);

}  // namespace thaiyyal::nodes
