#include "thaiyyal/store/schema.h"

#include <string_view>
#include <utility>

#include "thaiyyal/expr/dates.h"

namespace thaiyyal::store::detail {
namespace {

/// Migration statements with ${INT} (a 64-bit integer), ${SERIAL_KEY} (an
/// auto-incrementing primary key), ${SORTED_TEXT} (text compared byte-wise,
/// for timestamps) and ${BOOL}.
const std::vector<std::vector<std::string_view>> kMigrations = {
    {
        R"(CREATE TABLE workflows (
             id TEXT PRIMARY KEY,
             name TEXT NOT NULL,
             description TEXT NOT NULL,
             version ${INT} NOT NULL,
             created_at TEXT NOT NULL,
             updated_at TEXT NOT NULL))",
        R"(CREATE TABLE workflow_versions (
             workflow_id TEXT NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
             version ${INT} NOT NULL,
             name TEXT NOT NULL,
             description TEXT NOT NULL,
             data TEXT NOT NULL,
             created_at TEXT NOT NULL,
             PRIMARY KEY (workflow_id, version)))",
        R"(CREATE TABLE http_clients (
             uid TEXT PRIMARY KEY,
             config TEXT NOT NULL,
             created_at TEXT NOT NULL))",
        R"(CREATE TABLE executions (
             seq ${SERIAL_KEY},
             id TEXT NOT NULL UNIQUE,
             workflow_id TEXT NOT NULL,
             workflow_version ${INT} NOT NULL,
             trigger TEXT NOT NULL,
             status TEXT NOT NULL,
             started_at ${SORTED_TEXT} NOT NULL,
             finished_at TEXT NOT NULL,
             duration_us ${INT} NOT NULL,
             error TEXT NOT NULL,
             result TEXT NOT NULL,
             result_truncated ${BOOL} NOT NULL,
             request_id TEXT NOT NULL))",
        "CREATE INDEX executions_workflow ON executions (workflow_id, seq)",
        "CREATE INDEX executions_status ON executions (status, seq)",
        "CREATE INDEX executions_started ON executions (started_at)",
    },
};

std::string substitute(std::string_view sql, Dialect dialect) {
  const bool pg = dialect == Dialect::PostgreSQL;
  const std::pair<std::string_view, std::string_view> names[] = {
      {"${INT}", pg ? "BIGINT" : "INTEGER"},
      {"${SERIAL_KEY}", pg ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT"},
      {"${SORTED_TEXT}", pg ? "TEXT COLLATE \"C\"" : "TEXT"},
      {"${BOOL}", pg ? "BOOLEAN" : "INTEGER"},
  };
  std::string out;
  out.reserve(sql.size());
  std::size_t i = 0;
  while (i < sql.size()) {
    bool replaced = false;
    if (sql[i] == '$') {
      for (const auto& [from, to] : names) {
        if (sql.substr(i, from.size()) == from) {
          out += to;
          i += from.size();
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) out += sql[i++];
  }
  return out;
}

std::vector<std::vector<std::string>> build(Dialect dialect) {
  std::vector<std::vector<std::string>> list;
  for (const auto& migration : kMigrations) {
    auto& statements = list.emplace_back();
    for (const auto sql : migration) statements.push_back(substitute(sql, dialect));
  }
  return list;
}

}  // namespace

const std::vector<std::vector<std::string>>& migrations(Dialect dialect) {
  static const auto sqlite = build(Dialect::SQLite);
  static const auto postgres = build(Dialect::PostgreSQL);
  return dialect == Dialect::PostgreSQL ? postgres : sqlite;
}

std::string now_rfc3339() { return expr::detail::format_instant(expr::detail::now_ms()); }

}  // namespace thaiyyal::store::detail
