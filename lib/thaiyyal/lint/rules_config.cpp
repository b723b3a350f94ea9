#include "thaiyyal/lint/rules.h"

namespace thaiyyal::lint::detail {

std::span<const Rule> config_rules() { return {}; }

}  // namespace thaiyyal::lint::detail
