#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>

#include "thaiyyal/nodes/kinds.h"

namespace thaiyyal::nodes {
namespace {

/// The one table of node kinds, sorted by name.
const KindInfo* const kAllKinds[] = {
    &kAccumulatorKind,
    &kBooleanInputKind,
    &kCacheKind,
    &kChunkKind,
    &kCompactKind,
    &kConditionKind,
    &kContextConstantKind,
    &kContextVariableKind,
    &kCounterKind,
    &kDateInputKind,
    &kDatetimeInputKind,
    &kDelayKind,
    &kExpressionKind,
    &kExtractKind,
    &kFilterKind,
    &kFindKind,
    &kFlatMapKind,
    &kForEachKind,
    &kFormatKind,
    &kGroupByKind,
    &kHttpKind,
    &kJoinKind,
    &kMapKind,
    &kNumberKind,
    &kOperationKind,
    &kPaginatorKind,
    &kParallelKind,
    &kParseKind,
    &kPartitionKind,
    &kRangeKind,
    &kRateLimiterKind,
    &kReduceKind,
    &kRendererKind,
    &kRetryKind,
    &kReverseKind,
    &kSampleKind,
    &kSchemaValidatorKind,
    &kSliceKind,
    &kSortKind,
    &kSplitKind,
    &kSwitchKind,
    &kTextInputKind,
    &kTextOperationKind,
    &kThrottleKind,
    &kTimeoutKind,
    &kTransformKind,
    &kTransposeKind,
    &kTryCatchKind,
    &kUniqueKind,
    &kVariableKind,
    &kVisualizationKind,
    &kWhileLoopKind,
    &kZipKind,
};

/// The kinds that may leave their turn (decision D7, node_kind.h); every
/// other kind runs at its turn, alone. Deliberately short:
///  - http and delay wait (network, sleep) and touch no run state;
///  - the Pure kinds read nothing but their configuration, their inputs and
///    context templates (context writers run at their turn, so templates
///    cannot change while such a node runs).
/// Left at their turn on purpose: rate_limiter and throttle (their pacing
/// state and reported delays depend on when they run, and they pace the
/// whole run), retry/timeout/try_catch (they read the guarded node's
/// outcome), every kind that evaluates expressions, and every state kind.
const std::pair<const KindInfo*, Scheduling> kScheduling[] = {
    {&kHttpKind, Scheduling::Waiting},       {&kDelayKind, Scheduling::Waiting},
    {&kBooleanInputKind, Scheduling::Pure},  {&kDateInputKind, Scheduling::Pure},
    {&kDatetimeInputKind, Scheduling::Pure}, {&kExtractKind, Scheduling::Pure},
    {&kJoinKind, Scheduling::Pure},          {&kNumberKind, Scheduling::Pure},
    {&kOperationKind, Scheduling::Pure},     {&kParallelKind, Scheduling::Pure},
    {&kRangeKind, Scheduling::Pure},         {&kRendererKind, Scheduling::Pure},
    {&kReverseKind, Scheduling::Pure},       {&kSliceKind, Scheduling::Pure},
    {&kSplitKind, Scheduling::Pure},         {&kTextInputKind, Scheduling::Pure},
    {&kTextOperationKind, Scheduling::Pure}, {&kTransformKind, Scheduling::Pure},
    {&kVisualizationKind, Scheduling::Pure},
};

}  // namespace

Scheduling scheduling(const KindInfo& kind) {
  for (const auto& [k, s] : kScheduling) {
    if (k == &kind) return s;
  }
  return Scheduling::InTurn;
}

std::string_view category_name(Category c) {
  switch (c) {
    case Category::Input:
      return "input";
    case Category::Display:
      return "display";
    case Category::Compute:
      return "compute";
    case Category::Control:
      return "control";
    case Category::Array:
      return "array";
    case Category::State:
      return "state";
    case Category::Data:
      return "data";
    case Category::Flow:
      return "flow";
    case Category::Pacing:
      return "pacing";
    case Category::Resilience:
      return "resilience";
    case Category::Network:
      return "network";
  }
  return "input";
}

Value run_not_implemented(const NodeConfig&, RunContext& ctx, std::span<const Value>) {
  throw std::logic_error(ctx.node().type + " is not executable yet");
}

std::span<const KindInfo* const> all_kinds() { return kAllKinds; }

const KindInfo* find_kind(std::string_view name) {
  auto it = std::lower_bound(std::begin(kAllKinds), std::end(kAllKinds), name,
                             [](const KindInfo* k, std::string_view n) { return k->name < n; });
  if (it != std::end(kAllKinds) && (*it)->name == name) return *it;
  return nullptr;
}

}  // namespace thaiyyal::nodes
