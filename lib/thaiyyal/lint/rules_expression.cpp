#include "thaiyyal/lint/rules.h"

namespace thaiyyal::lint::detail {

std::span<const Rule> expression_rules() { return {}; }

}  // namespace thaiyyal::lint::detail
