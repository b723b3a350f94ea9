#pragma once
// The one schema both backends migrate to, written once with the few type
// names that differ between SQL dialects left as placeholders.

#include <string>
#include <vector>

namespace thaiyyal::store::detail {

enum class Dialect { SQLite, PostgreSQL };

/// Migration n (1-based) is migrations(d)[n - 1]: statements that run in one
/// transaction together with recording version n.
const std::vector<std::vector<std::string>>& migrations(Dialect dialect);

/// The current UTC time as RFC 3339 with milliseconds.
std::string now_rfc3339();

}  // namespace thaiyyal::store::detail
