/// The store of a command (serve, workflows, history): SQLite in the data
/// directory, or PostgreSQL when a database URL is set; and the background
/// pruning of the execution history.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "settings.h"
#include "thaiyyal/store/store.h"

namespace thaiyyal::app {

/// Opens the store the settings name. Throws store::Unavailable (one line,
/// no password) when it cannot be opened, SettingsError when no location can
/// be chosen.
std::shared_ptr<store::Store> open_store(const ServiceSettings& settings);

/// Deletes history rows beyond --history-max-runs or older than
/// --history-max-age: once at start, then every `interval`, on its own
/// thread, until destroyed.
class HistoryPruner {
 public:
  HistoryPruner(std::shared_ptr<store::Store> store, std::uint64_t max_runs,
                std::chrono::milliseconds max_age, std::chrono::milliseconds interval,
                std::function<void(std::string_view error)> log_error);
  HistoryPruner(const HistoryPruner&) = delete;
  HistoryPruner& operator=(const HistoryPruner&) = delete;
  ~HistoryPruner();

  /// One pruning pass now; returns the rows deleted (0 on a storage error,
  /// which is logged).
  std::size_t prune_once();

 private:
  std::shared_ptr<store::Store> store_;
  std::uint64_t max_runs_;
  std::chrono::milliseconds max_age_;
  std::chrono::milliseconds interval_;
  std::function<void(std::string_view)> log_error_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace thaiyyal::app
