/// Internal to nodes/: what a kind's file needs, and the declarations of every
/// kind's KindInfo (defined one per file, listed in registry.cpp).
#pragma once

#include <memory>
#include <span>

#include "thaiyyal/nodes/config_reader.h"
#include "thaiyyal/nodes/node_kind.h"
#include "thaiyyal/nodes/run_context.h"

namespace thaiyyal::nodes {

extern const KindInfo kNumberKind;

}  // namespace thaiyyal::nodes
