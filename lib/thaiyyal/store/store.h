/// Persistent state of `thaiyyal serve` (spec 04 §1.6.3-§1.6.9, R-05, R-09,
/// saved workflows with every version, registered HTTP clients and
/// the execution history. Two backends share this interface and one schema
/// (applied by numbered migrations recorded in a version table): SQLite (an
/// embedded file, the default) and PostgreSQL (several replicas sharing
/// state). Every method is thread-safe and every write is one transaction,
/// so nothing is ever half-written. Times are RFC 3339 UTC texts with
/// milliseconds. A backend that cannot serve a call (unreachable, locked,
/// read-only, full) throws Unavailable; the caller answers 503.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace thaiyyal::store {

/// The store cannot serve the call now; what() is one line, without secrets.
class Unavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A saved workflow without its document.
struct WorkflowMeta {
  std::string id;
  std::string name;
  std::string description;
  std::int64_t version = 1;  ///< the latest version (the first is 1)
  std::string created_at;    ///< when version 1 was saved
  std::string updated_at;    ///< when the latest version was saved
};

/// A saved workflow's latest version.
struct StoredWorkflow {
  WorkflowMeta meta;
  std::string data;  ///< the document, compact JSON text
};

/// One version of a saved workflow.
struct VersionMeta {
  std::int64_t version = 1;
  std::string name;
  std::string description;
  std::string created_at;
};

struct StoredVersion {
  std::string workflow_id;
  VersionMeta meta;
  std::string data;
};

/// A registered HTTP client: its configuration as JSON text with every
/// secret redacted or given as an `${env:NAME}` reference.
struct StoredClient {
  std::string uid;
  std::string config;
  std::string created_at;
};

/// One run through serve.
struct ExecutionRow {
  std::string id;                     ///< the run's execution_id
  std::string workflow_id;            ///< the saved workflow; "" for inline runs
  std::int64_t workflow_version = 0;  ///< 0 for inline runs
  std::string trigger;                ///< "inline" or "stored"
  /// "succeeded", "failed", "limit_exceeded", "timed_out" or "cancelled".
  std::string status;
  std::string started_at;
  std::string finished_at;
  std::int64_t duration_us = 0;
  std::string error;              ///< the first error; "" on success
  std::string result;             ///< the result document (JSON text); "" when dropped
  bool result_truncated = false;  ///< the result was larger than the bound
  std::string request_id;
};

struct ExecutionFilter {
  std::string workflow_id;  ///< "" = any
  std::string status;       ///< "" = any
  std::size_t limit = 50;   ///< rows per page (at least 1)
  std::string cursor;       ///< from a previous page's next_cursor; "" = newest
};

/// Newest first. next_cursor is "" on the last page.
struct ExecutionPage {
  std::vector<ExecutionRow> rows;
  std::string next_cursor;
};

enum class SaveOutcome : std::uint8_t {
  Saved,
  Conflict,  ///< the id (or uid) exists
  Full,      ///< the registry holds its maximum
};

class Store {
 public:
  virtual ~Store() = default;

  /// "sqlite" or "postgres".
  virtual std::string_view backend() const = 0;
  /// Where the data lives, without credentials ("/var/lib/thaiyyal/thaiyyal.db",
  /// "postgres://app@db:5432/thaiyyal").
  virtual std::string location() const = 0;
  /// Throws Unavailable when the database cannot be reached now.
  virtual void ping() = 0;
  /// The schema version of the database (the newest migration applied).
  virtual int schema_version() = 0;

  // Saved workflows. `max` bounds how many may exist (0 = no bound).
  virtual SaveOutcome create_workflow(const StoredWorkflow& wf, std::size_t max) = 0;
  /// Saves a new version (latest + 1) at `now`; nullopt when `id` is unknown.
  virtual std::optional<WorkflowMeta> update_workflow(std::string_view id, std::string_view name,
                                                      std::string_view description,
                                                      std::string_view data,
                                                      std::string_view now) = 0;
  virtual std::optional<StoredWorkflow> get_workflow(std::string_view id) = 0;
  /// Oldest first (by created_at, then id).
  virtual std::vector<WorkflowMeta> list_workflows() = 0;
  /// Removes the workflow and its versions (history rows stay); false when unknown.
  virtual bool delete_workflow(std::string_view id) = 0;
  /// Oldest first; nullopt when the workflow is unknown.
  virtual std::optional<std::vector<VersionMeta>> list_versions(std::string_view id) = 0;
  virtual std::optional<StoredVersion> get_version(std::string_view id, std::int64_t version) = 0;
  virtual std::size_t count_workflows() = 0;

  // Registered HTTP clients. `max` as for workflows.
  virtual SaveOutcome add_client(const StoredClient& client, std::size_t max) = 0;
  /// By uid.
  virtual std::vector<StoredClient> list_clients() = 0;
  virtual std::optional<StoredClient> get_client(std::string_view uid) = 0;
  virtual bool delete_client(std::string_view uid) = 0;
  virtual std::size_t count_clients() = 0;

  // Execution history.
  /// Records runs in one transaction; a row with the same id as a recorded
  /// one is left as it is (recording is idempotent).
  virtual void record_executions(std::span<const ExecutionRow> rows) = 0;
  void record_execution(const ExecutionRow& row) { record_executions({&row, 1}); }
  virtual ExecutionPage list_executions(const ExecutionFilter& filter) = 0;
  virtual std::optional<ExecutionRow> get_execution(std::string_view id) = 0;
  /// Deletes all but the newest `max_runs` rows (0 = keep any number) and
  /// the rows that started before `older_than` ("" = any age). Returns how
  /// many were deleted.
  virtual std::size_t prune_executions(std::size_t max_runs, std::string_view older_than) = 0;
};

struct OpenOptions {
  /// How long a call waits for a lock (SQLite) or a connection (PostgreSQL).
  std::chrono::milliseconds busy_timeout{5000};
  /// PostgreSQL connections kept open.
  std::size_t pool_size = 4;
};

/// Opens (creating the directory and the file when needed) the SQLite
/// database `path` (":memory:" for a private in-memory database) and brings
/// its schema up to date. Throws Unavailable with a one-line reason.
std::unique_ptr<Store> open_sqlite(const std::string& path, const OpenOptions& options = {});

/// Connects to the PostgreSQL database of `url` (postgres://... or
/// postgresql://...) and brings its schema up to date (several processes may
/// do so at once). Throws Unavailable with a one-line reason (no password).
std::unique_ptr<Store> open_postgres(const std::string& url, const OpenOptions& options = {});

/// `url` with any password replaced by "***" (for messages and logs).
std::string redact_url(std::string_view url);

/// The default data directory: $XDG_DATA_HOME/thaiyyal, else
/// $HOME/.local/share/thaiyyal; "" when neither variable is set.
std::string default_data_dir();

/// The file of the SQLite database in a data directory.
std::string sqlite_path(const std::string& data_dir);

}  // namespace thaiyyal::store
