#include "thaiyyal/lint/rules.h"

namespace thaiyyal::lint::detail {

std::span<const Rule> validate_rules() { return {}; }

}  // namespace thaiyyal::lint::detail
