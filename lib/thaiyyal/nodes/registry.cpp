#include <algorithm>
#include <stdexcept>
#include <string>

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

}  // namespace

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
