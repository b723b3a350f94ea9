/// The nodes module owns every node kind: its name, category, summary, a
/// worked example, the parsing of its `data` into a typed configuration
/// (at load, once) and its execution. `registry.cpp` holds the only table of
/// kinds; nothing registers itself, and the engine never branches on kind names.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "thaiyyal/model/value.h"
#include "thaiyyal/nodes/config_reader.h"
#include "thaiyyal/nodes/guard.h"

namespace thaiyyal::nodes {

enum class Category : std::uint8_t {
  Input,       ///< constant values
  Display,     ///< pass-through for viewers
  Compute,     ///< arithmetic, text, expressions
  Control,     ///< routing and loops
  Array,       ///< array processing
  State,       ///< run-scoped state and context
  Data,        ///< extraction, reshaping, parse/format, validation
  Flow,        ///< fan-in/fan-out
  Pacing,      ///< delays and rate limits
  Resilience,  ///< retry, try/catch, timeout
  Network,     ///< HTTP
};

std::string_view category_name(Category c);

/// Base of every kind's typed configuration. Immutable after parse; shared by
/// concurrent runs of the same compiled workflow.
class NodeConfig {
 public:
  virtual ~NodeConfig() = default;
};

class RunContext;  // run-time services for a node (run_context.h)

/// Parses and checks a node's data; reports problems through the reader and
/// returns nullptr when the configuration is unusable.
using ParseFn = std::unique_ptr<const NodeConfig> (*)(ConfigReader& reader);
/// Executes a node. Throws on failure (the engine records the failure).
using RunFn = Value (*)(const NodeConfig& config, RunContext& ctx, std::span<const Value> inputs);
/// For guard kinds (D10): the policy the engine applies to the node's
/// predecessors; nullptr for every other kind.
using GuardFn = const GuardPolicy* (*)(const NodeConfig& config);

/// A failure a node is certain to raise when it runs, found in its
/// configuration but reported by the whole-workflow checks because whether
/// it happens depends on what the run is given.
struct PendingFailure {
  std::vector<PathStep> path;  ///< below the node's data
  std::string error;           ///< the run-time error, as the node raises it
  /// The context constant whose value given from outside the workflow
  /// (`--set NAME=VALUE`) replaces the value that fails; empty when nothing
  /// can prevent the failure.
  std::string unless_constant;
};

/// What the whole-workflow checks (check/static_checks.h) need to know about
/// one configured node, given by its kind's `describe` hook so that no check
/// needs to know which kind has which keys. Each default means "nothing to
/// say".
struct NodeTraits {
  /// The node routes (spec 01 §3.4): its result carries the routing keys, so
  /// an outgoing edge's handle decides whether the edge fires, and `handles`
  /// lists every handle that can (in the order to show them). An edge with a
  /// handle out of a node that does not route fires only if the result
  /// happens to carry a matching `path`/`output_path` key.
  bool routes = false;
  std::vector<std::string> handles;
  /// With fewer than `min_inputs` inputs the node fails whenever it runs,
  /// raising `too_few_inputs(n)` for n inputs.
  std::size_t min_inputs = 0;
  std::string (*too_few_inputs)(std::size_t n) = nullptr;
  /// The run variable (01 §4.1) the node stores when it runs.
  std::optional<std::string> sets_variable;
  /// A run variable the node fails without when it runs, the data key that
  /// names it, and the error it then raises.
  std::optional<std::string> needs_variable;
  std::string needs_variable_key;
  std::string variable_missing_error;
  std::vector<PendingFailure> failures;
  /// A guard (D10) that turns a failure of its predecessors into its own
  /// output, so that the run goes on past it.
  bool absorbs_failures = false;
};

/// Describes a configured node for the whole-workflow checks.
using DescribeFn = NodeTraits (*)(const NodeConfig& config);

struct KindInfo {
  std::string_view name;
  Category category;
  std::string_view summary;  ///< one line, for `nodes list`, completions and man
  std::string_view example;  ///< a `data` object (JSON) that validates
  ParseFn parse;
  RunFn run;
  /// Declared by the reference with a data schema but no executor
  /// (`paginator`): it loads, and never runs.
  bool declared_only = false;
  /// A context node (context_variable, context_constant): its result is the
  /// final output only when no other terminal node ran (decision D5).
  bool context_node = false;
  GuardFn guard = nullptr;
  /// nullptr: the default NodeTraits (the node does not route, needs no
  /// input and uses no run variable).
  DescribeFn describe = nullptr;
};

/// How the engine may schedule a kind's executions relative to the other
/// nodes of a run (decision D7). The run's observable results are those of the
/// topological order either way; a kind leaves its turn only when nothing it
/// reads can change and nothing it writes can be seen before its turn.
enum class Scheduling : std::uint8_t {
  /// At its turn and alone: every node before it in the order has finished
  /// and none after it has started. The default, and the only choice for a
  /// kind that reads or writes run state (variables, context, accumulator,
  /// counter, cache, its own pacing state), evaluates expressions (they read
  /// any node's result), draws random numbers or reads a guarded node's
  /// outcome.
  InTurn,
  /// May run before earlier nodes that are not InTurn have finished, on the
  /// engine's own thread: its result depends only on its configuration, its
  /// inputs, context templates (D12) and the limits.
  Pure,
  /// As Pure, plus time (it sleeps) and outbound HTTP (counted per attempt),
  /// so it mostly waits: it runs on a worker of the run's bounded pool,
  /// overlapping the other nodes that may.
  Waiting,
};

/// The scheduling of a kind: the registry's explicit table for built-in
/// kinds, InTurn for every other kind.
Scheduling scheduling(const KindInfo& kind);

/// Every kind, sorted by name.
std::span<const KindInfo* const> all_kinds();
/// The kind with this exact name, or nullptr.
const KindInfo* find_kind(std::string_view name);

}  // namespace thaiyyal::nodes
