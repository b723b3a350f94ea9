/// What a running node may use from the engine: its own id, the run's state
/// (variables, context, accumulator, counter, cache), limits and cancellation.
/// Declared here, implemented by the engine, so nodes never depend on engine/.
#pragma once

#include <string>
#include <string_view>

#include "thaiyyal/model/limits.h"
#include "thaiyyal/model/value.h"

namespace thaiyyal::nodes {

class RunContext {
 public:
  virtual ~RunContext() = default;
  /// The id of the node being run.
  virtual const std::string& node_id() const = 0;
  virtual const Limits& limits() const = 0;
};

}  // namespace thaiyyal::nodes
