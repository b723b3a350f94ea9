#include "storage.h"

#include <fmt/format.h>

#include "thaiyyal/expr/dates.h"

namespace thaiyyal::app {

std::shared_ptr<store::Store> open_store(const ServiceSettings& settings) {
  if (!settings.database.empty()) {
    const std::string& url = settings.database;
    if (url.rfind("postgres://", 0) != 0 && url.rfind("postgresql://", 0) != 0) {
      throw SettingsError(fmt::format(
          "--database {}: only postgres:// or postgresql:// URLs are supported (use --data-dir "
          "for SQLite)",
          store::redact_url(url)));
    }
    return store::open_postgres(url);
  }
  std::string dir = settings.data_dir.empty() ? store::default_data_dir() : settings.data_dir;
  if (dir.empty()) {
    throw SettingsError("no data directory: set --data-dir, THAIYYAL_DATA_DIR or HOME");
  }
  return store::open_sqlite(store::sqlite_path(dir));
}

HistoryPruner::HistoryPruner(std::shared_ptr<store::Store> store, std::uint64_t max_runs,
                             std::chrono::milliseconds max_age, std::chrono::milliseconds interval,
                             std::function<void(std::string_view error)> log_error)
    : store_(std::move(store)),
      max_runs_(max_runs),
      max_age_(max_age),
      interval_(interval),
      log_error_(std::move(log_error)) {
  if (max_runs_ == 0 && max_age_.count() <= 0) return;  // nothing to prune
  thread_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      lock.unlock();
      prune_once();
      lock.lock();
      cv_.wait_for(lock, interval_, [this] { return stopping_; });
    }
  });
}

HistoryPruner::~HistoryPruner() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::size_t HistoryPruner::prune_once() {
  std::string older_than;
  if (max_age_.count() > 0) {
    older_than = expr::detail::format_instant(expr::detail::now_ms() - max_age_.count());
  }
  try {
    return store_->prune_executions(static_cast<std::size_t>(max_runs_), older_than);
  } catch (const std::exception& e) {
    if (log_error_) log_error_(fmt::format("history pruning failed: {}", e.what()));
    return 0;
  }
}

}  // namespace thaiyyal::app
