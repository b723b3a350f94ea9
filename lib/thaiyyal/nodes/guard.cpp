#include "thaiyyal/nodes/guard.h"

#include <cmath>

namespace thaiyyal::nodes {

Nanos GuardPolicy::delay_after(std::uint32_t attempt) const {
  double ns = static_cast<double>(initial_delay.count());
  switch (backoff) {
    case Backoff::Exponential:
      ns *= std::pow(multiplier, static_cast<double>(attempt) - 1);
      break;
    case Backoff::Linear:
      ns *= attempt;
      break;
    case Backoff::Constant:
      break;
  }
  const double cap = static_cast<double>(max_delay.count());
  if (!std::isfinite(ns) || ns > cap) ns = cap;
  if (ns <= 0) return Nanos(0);
  return Nanos(static_cast<std::int64_t>(ns));
}

bool GuardPolicy::retries(const std::string& error) const {
  if (retry_on_errors.empty()) return true;
  for (const auto& p : retry_on_errors) {
    if (error.find(p) != std::string::npos) return true;
  }
  return false;
}

}  // namespace thaiyyal::nodes
