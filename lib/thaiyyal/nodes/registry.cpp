#include <algorithm>

#include "thaiyyal/nodes/kinds.h"

namespace thaiyyal::nodes {
namespace {

/// The one table of node kinds, sorted by name.
const KindInfo* const kAllKinds[] = {
    &kNumberKind,
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

std::span<const KindInfo* const> all_kinds() { return kAllKinds; }

const KindInfo* find_kind(std::string_view name) {
  auto it = std::lower_bound(std::begin(kAllKinds), std::end(kAllKinds), name,
                             [](const KindInfo* k, std::string_view n) { return k->name < n; });
  if (it != std::end(kAllKinds) && (*it)->name == name) return *it;
  return nullptr;
}

}  // namespace thaiyyal::nodes
