// The PostgreSQL backend: a small pool of libpq connections, parameterized
// text-format statements, the same numbered migrations as the SQLite backend
// (serialized across processes by an advisory lock) and one transaction per
// write. A connection that breaks is replaced on its next use, so the store
// recovers by itself when the server comes back.
#include <fmt/format.h>
#include <libpq-fe.h>

#include <algorithm>
#include <charconv>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <functional>
#include <mutex>
#include <type_traits>

#include "thaiyyal/dynload/dynload.h"
#include "thaiyyal/store/schema.h"
#include "thaiyyal/store/store.h"

namespace thaiyyal::store {
namespace {

/// libpq, opened on the first connection: commands that never use
/// PostgreSQL never load it (nor its Kerberos, LDAP and TLS dependencies).
/// Each member has the name and type of the libpq function it points to.
struct LibPq {
  decltype(&::PQclear) PQclear;
  decltype(&::PQcmdTuples) PQcmdTuples;
  decltype(&::PQconnectdbParams) PQconnectdbParams;
  decltype(&::PQerrorMessage) PQerrorMessage;
  decltype(&::PQexec) PQexec;
  decltype(&::PQexecParams) PQexecParams;
  decltype(&::PQfinish) PQfinish;
  decltype(&::PQgetvalue) PQgetvalue;
  decltype(&::PQntuples) PQntuples;
  decltype(&::PQresultErrorMessage) PQresultErrorMessage;
  decltype(&::PQresultStatus) PQresultStatus;
  decltype(&::PQsetNoticeProcessor) PQsetNoticeProcessor;
  decltype(&::PQstatus) PQstatus;
  decltype(&::PQtransactionStatus) PQtransactionStatus;
};

/// Points `slot` at the function `name` of the library `handle`.
template <typename Fn>
void bind_symbol(void* handle, Fn& slot, const char* name, const std::string& what) {
  slot = reinterpret_cast<Fn>(dynload::library_symbol(handle, name, what));
}

/// The loaded libpq; throws dynload::LoadError when it cannot be loaded.
const LibPq& pq() {
  // Initialized once; a failed load throws and is retried by the next call.
  static const LibPq lib = [] {
    const std::string what = "the PostgreSQL client library";
    void* handle = dynload::open_library("libpq.so.5", what);
    LibPq out{};
    bind_symbol(handle, out.PQclear, "PQclear", what);
    bind_symbol(handle, out.PQcmdTuples, "PQcmdTuples", what);
    bind_symbol(handle, out.PQconnectdbParams, "PQconnectdbParams", what);
    bind_symbol(handle, out.PQerrorMessage, "PQerrorMessage", what);
    bind_symbol(handle, out.PQexec, "PQexec", what);
    bind_symbol(handle, out.PQexecParams, "PQexecParams", what);
    bind_symbol(handle, out.PQfinish, "PQfinish", what);
    bind_symbol(handle, out.PQgetvalue, "PQgetvalue", what);
    bind_symbol(handle, out.PQntuples, "PQntuples", what);
    bind_symbol(handle, out.PQresultErrorMessage, "PQresultErrorMessage", what);
    bind_symbol(handle, out.PQresultStatus, "PQresultStatus", what);
    bind_symbol(handle, out.PQsetNoticeProcessor, "PQsetNoticeProcessor", what);
    bind_symbol(handle, out.PQstatus, "PQstatus", what);
    bind_symbol(handle, out.PQtransactionStatus, "PQtransactionStatus", what);
    return out;
  }();
  return lib;
}

// Advisory lock keys (any 64-bit constants unique to this schema).
constexpr const char* kMigrationLock = "7520725553412190001";
constexpr const char* kWorkflowsLock = "7520725553412190002";
constexpr const char* kClientsLock = "7520725553412190003";

/// The first non-empty line of a libpq message, trimmed.
std::string first_line(const char* message) {
  std::string_view text = message != nullptr ? message : "";
  while (!text.empty() && (text.front() == '\n' || text.front() == ' ')) text.remove_prefix(1);
  text = text.substr(0, text.find('\n'));
  while (!text.empty() && (text.back() == '\r' || text.back() == ' ')) text.remove_suffix(1);
  if (text.rfind("ERROR:  ", 0) == 0) text.remove_prefix(8);
  if (text.rfind("FATAL:  ", 0) == 0) text.remove_prefix(8);
  return text.empty() ? std::string("unknown error") : std::string(text);
}

std::int64_t to_int64(const char* text) {
  std::int64_t value = 0;
  const std::string_view s = text != nullptr ? text : "";
  std::from_chars(s.data(), s.data() + s.size(), value);
  return value;
}

/// The connection broke during the first statement of a lease: nothing was
/// done, so the call may be retried on a new connection.
struct LostBeforeWork {
  std::string message;
};

struct ResultDeleter {
  void operator()(PGresult* r) const { pq().PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

/// A statement parameter: text, or SQL NULL.
using Param = std::optional<std::string>;

class PostgresStore;

/// One pooled connection, used by one thread at a time.
class Lease {
 public:
  Lease(PostgresStore& store, PGconn* conn) : store_(store), conn_(conn) {}
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  ~Lease();

  /// Runs one statement; throws Unavailable on any failure.
  Result exec(const char* sql, const std::vector<Param>& params = {}) {
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
    Result r(pq().PQexecParams(conn_, sql, static_cast<int>(values.size()), nullptr, values.data(),
                               nullptr, nullptr, 0));
    const ExecStatusType status = r ? pq().PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
      ++statements_;
      return r;
    }
    fail(r.get());
  }

  PGconn* conn() const { return conn_; }

 private:
  [[noreturn]] void fail(const PGresult* r);

  PostgresStore& store_;
  PGconn* conn_;
  int statements_ = 0;
};

class PostgresStore final : public Store {
 public:
  PostgresStore(std::string url, const OpenOptions& options)
      : url_(std::move(url)),
        redacted_(redact_url(url_)),
        busy_timeout_(options.busy_timeout),
        idle_(std::max<std::size_t>(options.pool_size, 1), nullptr) {}

  ~PostgresStore() override {
    for (PGconn* c : idle_) {
      if (c != nullptr) pq().PQfinish(c);
    }
  }

  PostgresStore(const PostgresStore&) = delete;
  PostgresStore& operator=(const PostgresStore&) = delete;

  [[noreturn]] void unavailable(const std::string& reason) const {
    throw Unavailable("PostgreSQL database " + redacted_ + ": " + reason);
  }

  void migrate() {
    with_tx([&](Lease& c) {
      c.exec("SELECT pg_advisory_xact_lock($1::bigint)", {kMigrationLock});
      c.exec(
          "CREATE TABLE IF NOT EXISTS thaiyyal_schema (version INTEGER PRIMARY KEY, "
          "applied_at TEXT NOT NULL)");
      const int current = static_cast<int>(to_int64(pq().PQgetvalue(
          c.exec("SELECT COALESCE(MAX(version), 0) FROM thaiyyal_schema").get(), 0, 0)));
      const int known = static_cast<int>(detail::migrations(detail::Dialect::PostgreSQL).size());
      if (current > known) {
        throw Unavailable("the database " + redacted_ + " has schema version " +
                          std::to_string(current) + "; this thaiyyal knows up to " +
                          std::to_string(known));
      }
      for (int v = current + 1; v <= known; ++v) {
        for (const auto& sql :
             detail::migrations(detail::Dialect::PostgreSQL)[static_cast<std::size_t>(v - 1)])
          c.exec(sql.c_str());
        c.exec("INSERT INTO thaiyyal_schema (version, applied_at) VALUES ($1, $2)",
               {std::to_string(v), detail::now_rfc3339()});
      }
      return 0;
    });
  }

  std::string_view backend() const override { return "postgres"; }
  std::string location() const override { return redacted_; }

  void ping() override {
    with_conn([](Lease& c) { return c.exec("SELECT 1"); });
  }

  int schema_version() override {
    return with_conn([](Lease& c) {
      return static_cast<int>(to_int64(pq().PQgetvalue(
          c.exec("SELECT COALESCE(MAX(version), 0) FROM thaiyyal_schema").get(), 0, 0)));
    });
  }

  SaveOutcome create_workflow(const StoredWorkflow& wf, std::size_t max) override {
    return with_tx([&](Lease& c) {
      c.exec("SELECT pg_advisory_xact_lock($1::bigint)", {kWorkflowsLock});
      if (pq().PQntuples(c.exec("SELECT 1 FROM workflows WHERE id = $1", {wf.meta.id}).get()) > 0) {
        return SaveOutcome::Conflict;
      }
      if (max > 0) {
        const auto n =
            to_int64(pq().PQgetvalue(c.exec("SELECT COUNT(*) FROM workflows").get(), 0, 0));
        if (static_cast<std::size_t>(n) >= max) return SaveOutcome::Full;
      }
      c.exec(
          "INSERT INTO workflows (id, name, description, version, created_at, updated_at) "
          "VALUES ($1, $2, $3, 1, $4, $5)",
          {wf.meta.id, wf.meta.name, wf.meta.description, wf.meta.created_at,
           wf.meta.updated_at.empty() ? wf.meta.created_at : wf.meta.updated_at});
      c.exec(
          "INSERT INTO workflow_versions (workflow_id, version, name, description, data, "
          "created_at) VALUES ($1, 1, $2, $3, $4, $5)",
          {wf.meta.id, wf.meta.name, wf.meta.description, wf.data, wf.meta.created_at});
      return SaveOutcome::Saved;
    });
  }

  std::optional<WorkflowMeta> update_workflow(std::string_view id, std::string_view name,
                                              std::string_view description, std::string_view data,
                                              std::string_view now) override {
    return with_tx([&](Lease& c) -> std::optional<WorkflowMeta> {
      const std::string sid(id);
      const Result cur =
          c.exec("SELECT version, created_at FROM workflows WHERE id = $1 FOR UPDATE", {sid});
      if (pq().PQntuples(cur.get()) == 0) return std::nullopt;
      WorkflowMeta meta;
      meta.id = sid;
      meta.name = std::string(name);
      meta.description = std::string(description);
      meta.version = to_int64(pq().PQgetvalue(cur.get(), 0, 0)) + 1;
      meta.created_at = pq().PQgetvalue(cur.get(), 0, 1);
      meta.updated_at = std::string(now);
      const std::string version = std::to_string(meta.version);
      c.exec(
          "INSERT INTO workflow_versions (workflow_id, version, name, description, data, "
          "created_at) VALUES ($1, $2, $3, $4, $5, $6)",
          {sid, version, meta.name, meta.description, std::string(data), meta.updated_at});
      c.exec(
          "UPDATE workflows SET name = $2, description = $3, version = $4, updated_at = $5 "
          "WHERE id = $1",
          {sid, meta.name, meta.description, version, meta.updated_at});
      return meta;
    });
  }

  std::optional<StoredWorkflow> get_workflow(std::string_view id) override {
    return with_conn([&](Lease& c) -> std::optional<StoredWorkflow> {
      const Result r = c.exec(
          "SELECT w.id, w.name, w.description, w.version, w.created_at, w.updated_at, v.data "
          "FROM workflows w JOIN workflow_versions v "
          "ON v.workflow_id = w.id AND v.version = w.version WHERE w.id = $1",
          {std::string(id)});
      if (pq().PQntuples(r.get()) == 0) return std::nullopt;
      StoredWorkflow wf;
      wf.meta = workflow_meta(r.get(), 0);
      wf.data = pq().PQgetvalue(r.get(), 0, 6);
      return wf;
    });
  }

  std::vector<WorkflowMeta> list_workflows() override {
    return with_conn([](Lease& c) {
      const Result r = c.exec(
          "SELECT id, name, description, version, created_at, updated_at FROM workflows "
          "ORDER BY created_at COLLATE \"C\", id COLLATE \"C\"");
      std::vector<WorkflowMeta> out;
      for (int i = 0; i < pq().PQntuples(r.get()); ++i) out.push_back(workflow_meta(r.get(), i));
      return out;
    });
  }

  bool delete_workflow(std::string_view id) override {
    return with_tx([&](Lease& c) {
      return affected(c.exec("DELETE FROM workflows WHERE id = $1", {std::string(id)})) > 0;
    });
  }

  std::optional<std::vector<VersionMeta>> list_versions(std::string_view id) override {
    return with_conn([&](Lease& c) -> std::optional<std::vector<VersionMeta>> {
      // Every saved workflow has version 1, so no rows means an unknown id.
      const Result r = c.exec(
          "SELECT version, name, description, created_at FROM workflow_versions "
          "WHERE workflow_id = $1 ORDER BY version",
          {std::string(id)});
      if (pq().PQntuples(r.get()) == 0) return std::nullopt;
      std::vector<VersionMeta> out;
      for (int i = 0; i < pq().PQntuples(r.get()); ++i) {
        out.push_back({to_int64(pq().PQgetvalue(r.get(), i, 0)), pq().PQgetvalue(r.get(), i, 1),
                       pq().PQgetvalue(r.get(), i, 2), pq().PQgetvalue(r.get(), i, 3)});
      }
      return out;
    });
  }

  std::optional<StoredVersion> get_version(std::string_view id, std::int64_t version) override {
    return with_conn([&](Lease& c) -> std::optional<StoredVersion> {
      const Result r = c.exec(
          "SELECT version, name, description, created_at, data FROM workflow_versions "
          "WHERE workflow_id = $1 AND version = $2",
          {std::string(id), std::to_string(version)});
      if (pq().PQntuples(r.get()) == 0) return std::nullopt;
      StoredVersion v;
      v.workflow_id = std::string(id);
      v.meta = {to_int64(pq().PQgetvalue(r.get(), 0, 0)), pq().PQgetvalue(r.get(), 0, 1),
                pq().PQgetvalue(r.get(), 0, 2), pq().PQgetvalue(r.get(), 0, 3)};
      v.data = pq().PQgetvalue(r.get(), 0, 4);
      return v;
    });
  }

  std::size_t count_workflows() override {
    return with_conn([](Lease& c) {
      return static_cast<std::size_t>(
          to_int64(pq().PQgetvalue(c.exec("SELECT COUNT(*) FROM workflows").get(), 0, 0)));
    });
  }

  std::size_t count_clients() override {
    return with_conn([](Lease& c) {
      return static_cast<std::size_t>(
          to_int64(pq().PQgetvalue(c.exec("SELECT COUNT(*) FROM http_clients").get(), 0, 0)));
    });
  }

  SaveOutcome add_client(const StoredClient& client, std::size_t max) override {
    return with_tx([&](Lease& c) {
      c.exec("SELECT pg_advisory_xact_lock($1::bigint)", {kClientsLock});
      if (pq().PQntuples(c.exec("SELECT 1 FROM http_clients WHERE uid = $1", {client.uid}).get()) >
          0) {
        return SaveOutcome::Conflict;
      }
      if (max > 0) {
        const auto n =
            to_int64(pq().PQgetvalue(c.exec("SELECT COUNT(*) FROM http_clients").get(), 0, 0));
        if (static_cast<std::size_t>(n) >= max) return SaveOutcome::Full;
      }
      c.exec("INSERT INTO http_clients (uid, config, created_at) VALUES ($1, $2, $3)",
             {client.uid, client.config, client.created_at});
      return SaveOutcome::Saved;
    });
  }

  std::vector<StoredClient> list_clients() override {
    return with_conn([](Lease& c) {
      const Result r =
          c.exec("SELECT uid, config, created_at FROM http_clients ORDER BY uid COLLATE \"C\"");
      std::vector<StoredClient> out;
      for (int i = 0; i < pq().PQntuples(r.get()); ++i) {
        out.push_back({pq().PQgetvalue(r.get(), i, 0), pq().PQgetvalue(r.get(), i, 1),
                       pq().PQgetvalue(r.get(), i, 2)});
      }
      return out;
    });
  }

  std::optional<StoredClient> get_client(std::string_view uid) override {
    return with_conn([&](Lease& c) -> std::optional<StoredClient> {
      const Result r = c.exec("SELECT uid, config, created_at FROM http_clients WHERE uid = $1",
                              {std::string(uid)});
      if (pq().PQntuples(r.get()) == 0) return std::nullopt;
      return StoredClient{pq().PQgetvalue(r.get(), 0, 0), pq().PQgetvalue(r.get(), 0, 1),
                          pq().PQgetvalue(r.get(), 0, 2)};
    });
  }

  bool delete_client(std::string_view uid) override {
    return with_tx([&](Lease& c) {
      return affected(c.exec("DELETE FROM http_clients WHERE uid = $1", {std::string(uid)})) > 0;
    });
  }

  void record_executions(std::span<const ExecutionRow> rows) override {
    // One multi-row INSERT per chunk: a single statement is atomic on its
    // own, so a batch costs one round trip instead of BEGIN, one per row,
    // and COMMIT.
    constexpr std::size_t kRowsPerStatement = 500;  // 6000 parameters of 65535
    for (std::size_t from = 0; from < rows.size(); from += kRowsPerStatement) {
      const auto chunk = rows.subspan(from, std::min(kRowsPerStatement, rows.size() - from));
      std::string sql =
          "INSERT INTO executions (id, workflow_id, workflow_version, trigger, status, "
          "started_at, finished_at, duration_us, error, result, result_truncated, request_id) "
          "VALUES ";
      std::vector<Param> params;
      params.reserve(chunk.size() * 12);
      for (const auto& row : chunk) {
        if (!params.empty()) sql += ", ";
        sql += '(';
        for (int k = 1; k <= 12; ++k) {
          sql +=
              fmt::format("{}${}", k == 1 ? "" : ", ", params.size() + static_cast<std::size_t>(k));
        }
        sql += ')';
        for (auto& v : {row.id, row.workflow_id, std::to_string(row.workflow_version), row.trigger,
                        row.status, row.started_at, row.finished_at,
                        std::to_string(row.duration_us), row.error, row.result,
                        std::string(row.result_truncated ? "true" : "false"), row.request_id}) {
          params.emplace_back(v);
        }
      }
      sql += " ON CONFLICT (id) DO NOTHING";
      with_conn([&](Lease& c) {
        c.exec(sql.c_str(), params);
        return 0;
      });
    }
  }

  ExecutionPage list_executions(const ExecutionFilter& filter) override {
    Param before;
    if (!filter.cursor.empty()) {
      std::int64_t seq = 0;
      const auto* end = filter.cursor.data() + filter.cursor.size();
      const auto [ptr, ec] = std::from_chars(filter.cursor.data(), end, seq);
      if (ec != std::errc() || ptr != end || seq <= 0 || filter.cursor.front() == '+') {
        throw std::invalid_argument("invalid cursor");
      }
      before = std::to_string(seq);
    }
    const std::size_t limit = std::clamp<std::size_t>(filter.limit, 1, 1000);
    std::string sql =
        "SELECT seq, " + std::string(kExecutionColumns) + " FROM executions WHERE TRUE";
    std::vector<Param> params;
    if (!filter.workflow_id.empty()) {
      params.emplace_back(filter.workflow_id);
      sql += " AND workflow_id = $" + std::to_string(params.size());
    }
    if (!filter.status.empty()) {
      params.emplace_back(filter.status);
      sql += " AND status = $" + std::to_string(params.size());
    }
    if (before) {
      params.push_back(before);
      sql += " AND seq < $" + std::to_string(params.size()) + "::bigint";
    }
    params.emplace_back(std::to_string(limit + 1));
    sql += " ORDER BY seq DESC LIMIT $" + std::to_string(params.size());
    return with_conn([&](Lease& c) {
      const Result r = c.exec(sql.c_str(), params);
      ExecutionPage page;
      const int n = std::min(pq().PQntuples(r.get()), static_cast<int>(limit));
      for (int i = 0; i < n; ++i) page.rows.push_back(execution_row(r.get(), i, 1));
      if (static_cast<std::size_t>(pq().PQntuples(r.get())) > limit && n > 0) {
        page.next_cursor = pq().PQgetvalue(r.get(), n - 1, 0);
      }
      return page;
    });
  }

  std::optional<ExecutionRow> get_execution(std::string_view id) override {
    return with_conn([&](Lease& c) -> std::optional<ExecutionRow> {
      const Result r = c.exec(
          ("SELECT " + std::string(kExecutionColumns) + " FROM executions WHERE id = $1").c_str(),
          {std::string(id)});
      if (pq().PQntuples(r.get()) == 0) return std::nullopt;
      return execution_row(r.get(), 0, 0);
    });
  }

  std::size_t prune_executions(std::size_t max_runs, std::string_view older_than) override {
    return with_tx([&](Lease& c) {
      std::size_t deleted = 0;
      if (!older_than.empty()) {
        deleted += affected(c.exec("DELETE FROM executions WHERE started_at < $1 COLLATE \"C\"",
                                   {std::string(older_than)}));
      }
      if (max_runs > 0) {
        deleted +=
            affected(c.exec("DELETE FROM executions WHERE seq <= (SELECT seq FROM executions "
                            "ORDER BY seq DESC OFFSET $1 LIMIT 1)",
                            {std::to_string(max_runs)}));
      }
      return deleted;
    });
  }

  // Pool -------------------------------------------------------------------

  /// Takes a connection (connecting when needed), waiting up to busy_timeout.
  PGconn* acquire() {
    PGconn* conn = nullptr;
    {
      std::unique_lock lock(mu_);
      if (!cv_.wait_for(lock, busy_timeout_, [&] { return !idle_.empty(); })) {
        throw Unavailable("no database connection free within " +
                          std::to_string(busy_timeout_.count()) + " ms");
      }
      conn = idle_.back();
      idle_.pop_back();
    }
    if (conn != nullptr && pq().PQstatus(conn) == CONNECTION_OK) return conn;
    if (conn != nullptr) pq().PQfinish(conn);
    std::string reason;
    conn = connect(reason);
    if (conn == nullptr) {
      release(nullptr);
      unavailable(reason);
    }
    return conn;
  }

  /// Returns a connection (nullptr for a slot whose connection was dropped).
  void release(PGconn* conn) {
    if (conn != nullptr &&
        (pq().PQstatus(conn) != CONNECTION_OK || pq().PQtransactionStatus(conn) != PQTRANS_IDLE)) {
      pq().PQfinish(conn);
      conn = nullptr;
    }
    {
      std::lock_guard lock(mu_);
      idle_.push_back(conn);
    }
    cv_.notify_one();
  }

 private:
  static constexpr const char* kExecutionColumns =
      "id, workflow_id, workflow_version, trigger, status, started_at, finished_at, "
      "duration_us, error, result, result_truncated, request_id";

  static std::size_t affected(const Result& r) {
    return static_cast<std::size_t>(to_int64(pq().PQcmdTuples(r.get())));
  }

  static WorkflowMeta workflow_meta(const PGresult* r, int i) {
    return {pq().PQgetvalue(r, i, 0),           pq().PQgetvalue(r, i, 1), pq().PQgetvalue(r, i, 2),
            to_int64(pq().PQgetvalue(r, i, 3)), pq().PQgetvalue(r, i, 4), pq().PQgetvalue(r, i, 5)};
  }

  static ExecutionRow execution_row(const PGresult* r, int i, int first) {
    ExecutionRow row;
    auto col = [&](int k) { return pq().PQgetvalue(r, i, first + k); };
    row.id = col(0);
    row.workflow_id = col(1);
    row.workflow_version = to_int64(col(2));
    row.trigger = col(3);
    row.status = col(4);
    row.started_at = col(5);
    row.finished_at = col(6);
    row.duration_us = to_int64(col(7));
    row.error = col(8);
    row.result = col(9);
    row.result_truncated = std::string_view(col(10)) == "t";
    row.request_id = col(11);
    return row;
  }

  /// A new connection, or nullptr with the reason.
  PGconn* connect(std::string& reason) {
    // Defaults first: the URL (expanded from dbname) overrides any of them.
    const char* keys[] = {
        "connect_timeout",  "keepalives",       "keepalives_idle", "keepalives_interval",
        "keepalives_count", "application_name", "dbname",          nullptr};
    const char* values[] = {"2", "1", "30", "10", "3", "thaiyyal", url_.c_str(), nullptr};
    PGconn* conn = pq().PQconnectdbParams(keys, values, 1);
    if (conn == nullptr) {
      reason = "out of memory";
      return nullptr;
    }
    if (pq().PQstatus(conn) != CONNECTION_OK) {
      reason = first_line(pq().PQerrorMessage(conn));
      pq().PQfinish(conn);
      return nullptr;
    }
    pq().PQsetNoticeProcessor(
        conn, [](void*, const char*) {}, nullptr);
    return conn;
  }

 public:
  /// Runs fn on a pooled connection; retried once on a new connection when
  /// the pooled one turned out to be broken before anything was done.
  template <typename Fn>
  auto with_conn(Fn&& fn) -> std::invoke_result_t<Fn&, Lease&> {
    for (int attempt = 0;; ++attempt) {
      try {
        Lease lease(*this, acquire());
        return fn(lease);
      } catch (const LostBeforeWork& lost) {
        if (attempt > 0) unavailable(lost.message);
      }
    }
  }

  /// Runs fn inside BEGIN ... COMMIT (rolled back when fn throws).
  template <typename Fn>
  auto with_tx(Fn&& fn) -> std::invoke_result_t<Fn&, Lease&> {
    return with_conn([&](Lease& c) -> std::invoke_result_t<Fn&, Lease&> {
      c.exec("BEGIN");
      try {
        auto out = fn(c);
        c.exec("COMMIT");
        return out;
      } catch (...) {
        if (pq().PQstatus(c.conn()) == CONNECTION_OK &&
            pq().PQtransactionStatus(c.conn()) != PQTRANS_IDLE) {
          Result(pq().PQexec(c.conn(), "ROLLBACK"));
        }
        throw;
      }
    });
  }

 private:
  const std::string url_;
  const std::string redacted_;
  const std::chrono::milliseconds busy_timeout_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<PGconn*> idle_;  ///< free slots; nullptr = not connected
};

Lease::~Lease() { store_.release(conn_); }

void Lease::fail(const PGresult* r) {
  std::string reason =
      first_line(r != nullptr ? pq().PQresultErrorMessage(r) : pq().PQerrorMessage(conn_));
  if (reason == "unknown error") reason = first_line(pq().PQerrorMessage(conn_));
  if (pq().PQstatus(conn_) != CONNECTION_OK && statements_ == 0) throw LostBeforeWork{reason};
  store_.unavailable(reason);
}

}  // namespace

std::unique_ptr<Store> open_postgres(const std::string& url, const OpenOptions& options) {
  try {
    pq();
  } catch (const dynload::LoadError& e) {
    throw Unavailable("PostgreSQL database " + redact_url(url) + ": " + e.what());
  }
  auto store = std::make_unique<PostgresStore>(url, options);
  store->migrate();
  return store;
}

}  // namespace thaiyyal::store
