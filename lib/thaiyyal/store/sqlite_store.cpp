// The SQLite backend: one file (or a private in-memory database) in WAL
// mode. Writes go through one connection guarded by a mutex, each in its own
// BEGIN IMMEDIATE transaction (other processes wait up to the busy timeout);
// reads use a small pool of further connections so that they run alongside
// a write. The schema comes from numbered migrations that mirror the
// PostgreSQL backend's.
#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <system_error>
#include <thread>
#include <type_traits>
#include <unordered_map>
#include <utility>

#include "thaiyyal/store/schema.h"
#include "thaiyyal/store/store.h"

namespace thaiyyal::store {
namespace {

constexpr const char* kExecutionColumns =
    "id, workflow_id, workflow_version, trigger, status, started_at, finished_at, duration_us, "
    "error, result, result_truncated, request_id";

/// Idle read connections kept open.
constexpr std::size_t kMaxIdleReaders = 8;

/// The one-line reason for a failed SQLite call on the database `path`.
[[noreturn]] void fail(const std::string& path, int rc, sqlite3* db) {
  switch (rc & 0xff) {
    case SQLITE_READONLY:
      throw Unavailable("database " + path + " is read-only");
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      throw Unavailable("database " + path + " is locked");
    default: {
      const char* message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
      throw Unavailable("database " + path + ": " + (message != nullptr ? message : "error"));
    }
  }
}

/// Creates the directories of `dir` that do not exist yet (mode 0700).
void make_directories(const std::string& dir) {
  for (std::size_t end = 1; end <= dir.size(); ++end) {
    if (end != dir.size() && dir[end] != '/') continue;
    const std::string prefix = dir.substr(0, end);
    struct stat st {};
    if (::stat(prefix.c_str(), &st) == 0) continue;
    if (::mkdir(prefix.c_str(), 0700) != 0 && errno != EEXIST) {
      const int error = errno;
      throw Unavailable("cannot create the directory " + prefix + ": " +
                        std::system_category().message(error));
    }
  }
}

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StmtFinalizer {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using DbHandle = std::unique_ptr<sqlite3, DbCloser>;
using StmtHandle = std::unique_ptr<sqlite3_stmt, StmtFinalizer>;

class Connection;

/// One use of a prepared statement: bind, step, read columns; reset (and its
/// bindings cleared) when it goes out of scope, so no read stays open.
class Query {
 public:
  Query(const Connection& conn, sqlite3_stmt* stmt) : conn_(conn), stmt_(stmt) {}
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;
  ~Query() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

  Query& bind(std::string_view text) {
    // A null pointer would bind SQL NULL; every column is NOT NULL.
    check(sqlite3_bind_text64(stmt_, ++index_, text.empty() ? "" : text.data(), text.size(),
                              SQLITE_TRANSIENT, SQLITE_UTF8));
    return *this;
  }
  Query& bind(std::int64_t value) {
    check(sqlite3_bind_int64(stmt_, ++index_, value));
    return *this;
  }

  /// Steps once: true when a row is available.
  bool step();
  /// Steps to the end; returns how many rows the statement changed.
  std::size_t run();

  std::string text(int column) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    return p != nullptr
               ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)))
               : std::string();
  }
  std::int64_t integer(int column) const { return sqlite3_column_int64(stmt_, column); }

 private:
  void check(int rc) const;

  const Connection& conn_;
  sqlite3_stmt* stmt_;
  int index_ = 0;
};

/// One SQLite connection with its prepared statements, used by one thread at
/// a time.
class Connection {
 public:
  Connection(const std::string& path, bool create, std::chrono::milliseconds busy_timeout)
      : path_(path) {
    sqlite3* raw = nullptr;
    const int flags =
        SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
    const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
    db_.reset(raw);
    if (rc != SQLITE_OK) fail(path_, rc, raw);
    sqlite3_extended_result_codes(raw, 1);
    sqlite3_busy_timeout(raw, static_cast<int>(std::clamp<std::int64_t>(busy_timeout.count(), 0,
                                                                        std::int64_t{1} << 30)));
    exec("PRAGMA foreign_keys = ON");
    exec("PRAGMA synchronous = NORMAL");
  }

  [[noreturn]] void fail_with(int rc) const { fail(path_, rc, db_.get()); }

  /// Runs one statement without parameters, discarding any rows.
  void exec(const char* sql) { prepare(sql).run(); }

  /// The cached prepared statement of `sql`.
  Query prepare(const std::string& sql) {
    auto it = cache_.find(sql);
    if (it == cache_.end()) {
      sqlite3_stmt* raw = nullptr;
      const int rc = sqlite3_prepare_v3(db_.get(), sql.c_str(), static_cast<int>(sql.size() + 1),
                                        SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
      StmtHandle stmt(raw);
      if (rc != SQLITE_OK) fail_with(rc);
      it = cache_.emplace(sql, std::move(stmt)).first;
    }
    return Query(*this, it->second.get());
  }

  std::size_t changes() const { return static_cast<std::size_t>(sqlite3_changes64(db_.get())); }
  bool in_transaction() const { return sqlite3_get_autocommit(db_.get()) == 0; }

 private:
  std::string path_;
  DbHandle db_;  // declared before the statements, so closed after them
  std::unordered_map<std::string, StmtHandle> cache_;
};

void Query::check(int rc) const {
  if (rc != SQLITE_OK) conn_.fail_with(rc);
}

bool Query::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  conn_.fail_with(rc);
}

std::size_t Query::run() {
  while (step()) {
  }
  return conn_.changes();
}

WorkflowMeta workflow_meta(const Query& q) {
  return {q.text(0), q.text(1), q.text(2), q.integer(3), q.text(4), q.text(5)};
}

ExecutionRow execution_row(const Query& q, int first) {
  ExecutionRow row;
  row.id = q.text(first + 0);
  row.workflow_id = q.text(first + 1);
  row.workflow_version = q.integer(first + 2);
  row.trigger = q.text(first + 3);
  row.status = q.text(first + 4);
  row.started_at = q.text(first + 5);
  row.finished_at = q.text(first + 6);
  row.duration_us = q.integer(first + 7);
  row.error = q.text(first + 8);
  row.result = q.text(first + 9);
  row.result_truncated = q.integer(first + 10) != 0;
  row.request_id = q.text(first + 11);
  return row;
}

class SqliteStore final : public Store {
 public:
  SqliteStore(std::string path, const OpenOptions& options)
      : path_(std::move(path)), memory_(path_ == ":memory:"), busy_timeout_(options.busy_timeout) {
    if (!memory_) {
      const std::size_t slash = path_.rfind('/');
      if (slash != std::string::npos && slash > 0) make_directories(path_.substr(0, slash));
    }
    writer_ = std::make_unique<Connection>(path_, true, busy_timeout_);
    if (!memory_) {
      writer_->exec("PRAGMA journal_mode = WAL");
      // Checkpoints run on their own thread (checkpoint_loop), so that a
      // commit never waits for one: an automatic checkpoint would run inside
      // the commit that crosses the threshold, stalling every writer queued
      // behind it.
      writer_->exec("PRAGMA wal_autocheckpoint = 0");
    }
    migrate();
    if (!memory_) checkpointer_ = std::thread([this] { checkpoint_loop(); });
  }

  ~SqliteStore() override {
    {
      std::lock_guard lock(checkpoint_mu_);
      stopping_ = true;
    }
    checkpoint_cv_.notify_all();
    if (checkpointer_.joinable()) checkpointer_.join();
  }

  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  std::string_view backend() const override { return "sqlite"; }
  std::string location() const override { return path_; }

  void ping() override {
    read([](Connection& c) { return c.prepare("SELECT COUNT(*) FROM thaiyyal_schema").run(); });
  }

  int schema_version() override {
    return read([](Connection& c) { return current_version(c); });
  }

  SaveOutcome create_workflow(const StoredWorkflow& wf, std::size_t max) override {
    return write([&](Connection& c) {
      if (c.prepare("SELECT 1 FROM workflows WHERE id = ?").bind(wf.meta.id).step()) {
        return SaveOutcome::Conflict;
      }
      if (max > 0) {
        Query count = c.prepare("SELECT COUNT(*) FROM workflows");
        count.step();
        if (static_cast<std::size_t>(count.integer(0)) >= max) return SaveOutcome::Full;
      }
      const std::string& updated =
          wf.meta.updated_at.empty() ? wf.meta.created_at : wf.meta.updated_at;
      c.prepare(
           "INSERT INTO workflows (id, name, description, version, created_at, updated_at) "
           "VALUES (?, ?, ?, 1, ?, ?)")
          .bind(wf.meta.id)
          .bind(wf.meta.name)
          .bind(wf.meta.description)
          .bind(wf.meta.created_at)
          .bind(updated)
          .run();
      c.prepare(
           "INSERT INTO workflow_versions (workflow_id, version, name, description, data, "
           "created_at) VALUES (?, 1, ?, ?, ?, ?)")
          .bind(wf.meta.id)
          .bind(wf.meta.name)
          .bind(wf.meta.description)
          .bind(wf.data)
          .bind(wf.meta.created_at)
          .run();
      return SaveOutcome::Saved;
    });
  }

  std::optional<WorkflowMeta> update_workflow(std::string_view id, std::string_view name,
                                              std::string_view description, std::string_view data,
                                              std::string_view now) override {
    return write([&](Connection& c) -> std::optional<WorkflowMeta> {
      WorkflowMeta meta;
      {
        Query cur = c.prepare("SELECT version, created_at FROM workflows WHERE id = ?");
        if (!cur.bind(id).step()) return std::nullopt;
        meta.version = cur.integer(0) + 1;
        meta.created_at = cur.text(1);
      }
      meta.id = std::string(id);
      meta.name = std::string(name);
      meta.description = std::string(description);
      meta.updated_at = std::string(now);
      c.prepare(
           "INSERT INTO workflow_versions (workflow_id, version, name, description, data, "
           "created_at) VALUES (?, ?, ?, ?, ?, ?)")
          .bind(id)
          .bind(meta.version)
          .bind(name)
          .bind(description)
          .bind(data)
          .bind(now)
          .run();
      c.prepare(
           "UPDATE workflows SET name = ?, description = ?, version = ?, updated_at = ? "
           "WHERE id = ?")
          .bind(name)
          .bind(description)
          .bind(meta.version)
          .bind(now)
          .bind(id)
          .run();
      return meta;
    });
  }

  std::optional<StoredWorkflow> get_workflow(std::string_view id) override {
    return read([&](Connection& c) -> std::optional<StoredWorkflow> {
      Query q = c.prepare(
          "SELECT w.id, w.name, w.description, w.version, w.created_at, w.updated_at, v.data "
          "FROM workflows w JOIN workflow_versions v "
          "ON v.workflow_id = w.id AND v.version = w.version WHERE w.id = ?");
      if (!q.bind(id).step()) return std::nullopt;
      return StoredWorkflow{workflow_meta(q), q.text(6)};
    });
  }

  std::vector<WorkflowMeta> list_workflows() override {
    return read([](Connection& c) {
      Query q = c.prepare(
          "SELECT id, name, description, version, created_at, updated_at FROM workflows "
          "ORDER BY created_at, id");
      std::vector<WorkflowMeta> out;
      while (q.step()) out.push_back(workflow_meta(q));
      return out;
    });
  }

  bool delete_workflow(std::string_view id) override {
    return write([&](Connection& c) {
      return c.prepare("DELETE FROM workflows WHERE id = ?").bind(id).run() > 0;
    });
  }

  std::optional<std::vector<VersionMeta>> list_versions(std::string_view id) override {
    return read([&](Connection& c) -> std::optional<std::vector<VersionMeta>> {
      // Every saved workflow has version 1, so no rows means an unknown id.
      Query q = c.prepare(
          "SELECT version, name, description, created_at FROM workflow_versions "
          "WHERE workflow_id = ? ORDER BY version");
      q.bind(id);
      std::vector<VersionMeta> out;
      while (q.step()) out.push_back({q.integer(0), q.text(1), q.text(2), q.text(3)});
      if (out.empty()) return std::nullopt;
      return out;
    });
  }

  std::optional<StoredVersion> get_version(std::string_view id, std::int64_t version) override {
    return read([&](Connection& c) -> std::optional<StoredVersion> {
      Query q = c.prepare(
          "SELECT version, name, description, created_at, data FROM workflow_versions "
          "WHERE workflow_id = ? AND version = ?");
      if (!q.bind(id).bind(version).step()) return std::nullopt;
      return StoredVersion{
          std::string(id), {q.integer(0), q.text(1), q.text(2), q.text(3)}, q.text(4)};
    });
  }

  std::size_t count_workflows() override {
    return read([](Connection& c) {
      Query q = c.prepare("SELECT COUNT(*) FROM workflows");
      q.step();
      return static_cast<std::size_t>(q.integer(0));
    });
  }

  std::size_t count_clients() override {
    return read([](Connection& c) {
      Query q = c.prepare("SELECT COUNT(*) FROM http_clients");
      q.step();
      return static_cast<std::size_t>(q.integer(0));
    });
  }

  SaveOutcome add_client(const StoredClient& client, std::size_t max) override {
    return write([&](Connection& c) {
      if (c.prepare("SELECT 1 FROM http_clients WHERE uid = ?").bind(client.uid).step()) {
        return SaveOutcome::Conflict;
      }
      if (max > 0) {
        Query count = c.prepare("SELECT COUNT(*) FROM http_clients");
        count.step();
        if (static_cast<std::size_t>(count.integer(0)) >= max) return SaveOutcome::Full;
      }
      c.prepare("INSERT INTO http_clients (uid, config, created_at) VALUES (?, ?, ?)")
          .bind(client.uid)
          .bind(client.config)
          .bind(client.created_at)
          .run();
      return SaveOutcome::Saved;
    });
  }

  std::vector<StoredClient> list_clients() override {
    return read([](Connection& c) {
      Query q = c.prepare("SELECT uid, config, created_at FROM http_clients ORDER BY uid");
      std::vector<StoredClient> out;
      while (q.step()) out.push_back({q.text(0), q.text(1), q.text(2)});
      return out;
    });
  }

  std::optional<StoredClient> get_client(std::string_view uid) override {
    return read([&](Connection& c) -> std::optional<StoredClient> {
      Query q = c.prepare("SELECT uid, config, created_at FROM http_clients WHERE uid = ?");
      if (!q.bind(uid).step()) return std::nullopt;
      return StoredClient{q.text(0), q.text(1), q.text(2)};
    });
  }

  bool delete_client(std::string_view uid) override {
    return write([&](Connection& c) {
      return c.prepare("DELETE FROM http_clients WHERE uid = ?").bind(uid).run() > 0;
    });
  }

  void record_executions(std::span<const ExecutionRow> rows) override {
    if (rows.empty()) return;
    write([&](Connection& c) {
      const std::string sql = "INSERT INTO executions (" + std::string(kExecutionColumns) +
                              ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                              "ON CONFLICT (id) DO NOTHING";
      for (const auto& row : rows) {
        c.prepare(sql)
            .bind(row.id)
            .bind(row.workflow_id)
            .bind(row.workflow_version)
            .bind(row.trigger)
            .bind(row.status)
            .bind(row.started_at)
            .bind(row.finished_at)
            .bind(row.duration_us)
            .bind(row.error)
            .bind(row.result)
            .bind(std::int64_t{row.result_truncated ? 1 : 0})
            .bind(row.request_id)
            .run();
      }
      return 0;
    });
  }

  ExecutionPage list_executions(const ExecutionFilter& filter) override {
    std::int64_t before = 0;
    if (!filter.cursor.empty()) {
      const char* end = filter.cursor.data() + filter.cursor.size();
      const auto [ptr, ec] = std::from_chars(filter.cursor.data(), end, before);
      if (ec != std::errc() || ptr != end || before <= 0) {
        throw std::invalid_argument("invalid cursor");
      }
    }
    const std::size_t limit = std::clamp<std::size_t>(filter.limit, 1, 1000);
    // Only fixed fragments are joined here; every value is a bound parameter.
    std::string sql = "SELECT seq, " + std::string(kExecutionColumns) + " FROM executions WHERE 1";
    if (!filter.workflow_id.empty()) sql += " AND workflow_id = ?";
    if (!filter.status.empty()) sql += " AND status = ?";
    if (before > 0) sql += " AND seq < ?";
    sql += " ORDER BY seq DESC LIMIT ?";
    return read([&](Connection& c) {
      Query q = c.prepare(sql);
      if (!filter.workflow_id.empty()) q.bind(filter.workflow_id);
      if (!filter.status.empty()) q.bind(filter.status);
      if (before > 0) q.bind(before);
      q.bind(static_cast<std::int64_t>(limit + 1));
      ExecutionPage page;
      std::int64_t last_seq = 0;
      bool more = false;
      while (q.step()) {
        if (page.rows.size() == limit) {
          more = true;
          break;
        }
        last_seq = q.integer(0);
        page.rows.push_back(execution_row(q, 1));
      }
      if (more) page.next_cursor = std::to_string(last_seq);
      return page;
    });
  }

  std::optional<ExecutionRow> get_execution(std::string_view id) override {
    return read([&](Connection& c) -> std::optional<ExecutionRow> {
      Query q =
          c.prepare("SELECT " + std::string(kExecutionColumns) + " FROM executions WHERE id = ?");
      if (!q.bind(id).step()) return std::nullopt;
      return execution_row(q, 0);
    });
  }

  std::size_t prune_executions(std::size_t max_runs, std::string_view older_than) override {
    return write([&](Connection& c) {
      std::size_t deleted = 0;
      if (!older_than.empty()) {
        deleted += c.prepare("DELETE FROM executions WHERE started_at < ?").bind(older_than).run();
      }
      if (max_runs > 0) {
        deleted += c.prepare(
                        "DELETE FROM executions WHERE seq <= (SELECT seq FROM executions "
                        "ORDER BY seq DESC LIMIT 1 OFFSET ?)")
                       .bind(static_cast<std::int64_t>(max_runs))
                       .run();
      }
      return deleted;
    });
  }

 private:
  static int current_version(Connection& c) {
    Query q = c.prepare("SELECT COALESCE(MAX(version), 0) FROM thaiyyal_schema");
    q.step();
    return static_cast<int>(q.integer(0));
  }

  /// Applies the migrations this database lacks, one transaction each.
  void migrate() {
    const int known = static_cast<int>(detail::migrations(detail::Dialect::SQLite).size());
    for (;;) {
      const bool done = write([&](Connection& c) {
        c.exec(
            "CREATE TABLE IF NOT EXISTS thaiyyal_schema (version INTEGER PRIMARY KEY, "
            "applied_at TEXT NOT NULL)");
        const int current = current_version(c);
        if (current > known) {
          throw Unavailable("the database " + path_ + " has schema version " +
                            std::to_string(current) + "; this thaiyyal knows up to " +
                            std::to_string(known));
        }
        if (current == known) return true;
        for (const auto& sql :
             detail::migrations(detail::Dialect::SQLite)[static_cast<std::size_t>(current)])
          c.exec(sql.c_str());
        c.prepare("INSERT INTO thaiyyal_schema (version, applied_at) VALUES (?, ?)")
            .bind(std::int64_t{current + 1})
            .bind(detail::now_rfc3339())
            .run();
        return false;
      });
      if (done) return;
    }
  }

  /// Runs `fn` in one BEGIN IMMEDIATE transaction on the write connection:
  /// committed when it returns, rolled back when it throws.
  template <class Fn>
  std::invoke_result_t<Fn&, Connection&> write(Fn&& fn) {
    std::lock_guard lock(write_mu_);
    Connection& c = *writer_;
    c.exec("BEGIN IMMEDIATE");
    try {
      auto result = fn(c);
      c.exec("COMMIT");
      return result;
    } catch (...) {
      if (c.in_transaction()) {
        try {
          c.exec("ROLLBACK");
        } catch (const Unavailable&) {
          // The original failure is the one to report.
        }
      }
      throw;
    }
  }

  /// Runs `fn` on a read connection (the write connection for ":memory:",
  /// whose data no other connection can see).
  template <class Fn>
  std::invoke_result_t<Fn&, Connection&> read(Fn&& fn) {
    if (memory_) {
      std::lock_guard lock(write_mu_);
      return fn(*writer_);
    }
    std::unique_ptr<Connection> conn;
    {
      std::lock_guard lock(pool_mu_);
      if (!idle_.empty()) {
        conn = std::move(idle_.back());
        idle_.pop_back();
      }
    }
    if (!conn) conn = std::make_unique<Connection>(path_, false, busy_timeout_);
    struct Return {
      SqliteStore& store;
      std::unique_ptr<Connection>& conn;
      ~Return() {
        std::lock_guard lock(store.pool_mu_);
        if (store.idle_.size() < kMaxIdleReaders) store.idle_.push_back(std::move(conn));
      }
    } give_back{*this, conn};
    return fn(*conn);
  }

  /// Copies the write-ahead log into the database every kCheckpointEvery,
  /// in PASSIVE mode (never waiting for readers or the writer), on its own
  /// connection; a last one when the store closes.
  void checkpoint_loop() {
    std::unique_ptr<Connection> conn;
    std::unique_lock lock(checkpoint_mu_);
    for (;;) {
      const bool stop = checkpoint_cv_.wait_for(lock, kCheckpointEvery, [&] { return stopping_; });
      lock.unlock();
      try {
        if (!conn) conn = std::make_unique<Connection>(path_, false, busy_timeout_);
        conn->exec("PRAGMA wal_checkpoint(PASSIVE)");
      } catch (const Unavailable&) {
        // Busy or gone for now: the next round tries again.
        conn.reset();
      }
      lock.lock();
      if (stop) return;
    }
  }

  static constexpr std::chrono::milliseconds kCheckpointEvery{500};

  std::string path_;
  bool memory_;
  std::chrono::milliseconds busy_timeout_;
  std::mutex write_mu_;
  std::unique_ptr<Connection> writer_;
  std::mutex pool_mu_;
  std::vector<std::unique_ptr<Connection>> idle_;
  std::mutex checkpoint_mu_;
  std::condition_variable checkpoint_cv_;
  bool stopping_ = false;
  std::thread checkpointer_;
};

}  // namespace

std::unique_ptr<Store> open_sqlite(const std::string& path, const OpenOptions& options) {
  if (path.empty()) throw Unavailable("no SQLite database path given");
  return std::make_unique<SqliteStore>(path, options);
}

}  // namespace thaiyyal::store
