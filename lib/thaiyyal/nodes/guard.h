/// Resilience guards (decision D10). A node of a guard kind (retry,
/// try_catch, timeout) guards its direct predecessors: the engine runs such a
/// predecessor under the guard's policy (re-executing it with backoff,
/// bounding its time, or letting the run continue past its failure) and tells
/// the guard node how that went through RunContext::predecessor_outcome().
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "thaiyyal/model/duration.h"

namespace thaiyyal::nodes {

struct GuardPolicy {
  enum class Type : std::uint8_t { Retry, Catch, Timeout };
  enum class Backoff : std::uint8_t { Exponential, Linear, Constant };

  Type type = Type::Catch;

  // Retry: attempts in all, the delay before attempt k+1, and which errors
  // are worth retrying (substrings; empty = every error).
  std::uint32_t max_attempts = 3;
  Backoff backoff = Backoff::Exponential;
  Nanos initial_delay = std::chrono::seconds(1);
  Nanos max_delay = std::chrono::seconds(30);
  double multiplier = 2.0;
  std::vector<std::string> retry_on_errors;

  // Timeout: the predecessor's time budget.
  Nanos timeout{0};

  /// The delay after failed attempt `attempt` (1-based), capped at max_delay.
  Nanos delay_after(std::uint32_t attempt) const;
  /// Whether an error text is worth retrying.
  bool retries(const std::string& error) const;
};

/// How the engine ran a guarded predecessor.
struct GuardOutcome {
  bool failed = false;  ///< the last attempt failed (error below)
  std::string error;    ///< the failure's cause, without the node prefix
  std::uint32_t attempts = 1;
  bool timed_out = false;      ///< stopped by a timeout guard
  bool retry_refused = false;  ///< the error did not match retry_on_errors
  Nanos elapsed{0};            ///< time of the last attempt
};

}  // namespace thaiyyal::nodes
