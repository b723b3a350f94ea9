#pragma once
// Writes execution-history rows in batches (group commit): callers queue
// rows, one thread writes what is queued in one transaction, so a busy
// server pays for one commit per batch rather than one per run. record()
// waits until its row is written, so a run answered is a run recorded, on
// every replica; submit() does not wait.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string_view>
#include <thread>

#include "thaiyyal/store/store.h"

namespace thaiyyal::store {

struct HistoryWriterOptions {
  /// Rows waiting to be written; a row submitted when the queue is full is
  /// dropped (and counted) rather than holding the request.
  std::size_t max_queue = 10000;
  /// Rows written in one transaction at most.
  std::size_t max_batch = 256;
  /// One line per failed batch or first drop; may be empty.
  std::function<void(std::string_view)> log_error;
  /// Called after each batch (written or failed rows) and each drop; may be
  /// empty. Runs on the writer's or the submitter's thread.
  std::function<void(std::size_t written, std::size_t failed, std::size_t dropped)> on_rows;
};

class HistoryWriter {
 public:
  struct Stats {
    std::uint64_t written = 0;  ///< rows the store accepted
    std::uint64_t failed = 0;   ///< rows a storage failure lost
    std::uint64_t dropped = 0;  ///< rows refused because the queue was full
    std::size_t queued = 0;     ///< rows waiting now
  };

  HistoryWriter(std::shared_ptr<Store> store, HistoryWriterOptions options = {});
  /// close().
  ~HistoryWriter();
  HistoryWriter(const HistoryWriter&) = delete;
  HistoryWriter& operator=(const HistoryWriter&) = delete;

  /// Queues a row; never blocks on the store.
  void submit(ExecutionRow row);
  /// Queues a row and waits until it is written or lost to a storage
  /// failure (logged and counted); returns at once when it is dropped.
  void record(ExecutionRow row);
  /// Waits until every row submitted before this call is written (or lost
  /// to a storage failure); false when `timeout` passed first.
  bool flush(std::chrono::milliseconds timeout);
  /// Writes what is queued and stops the thread; later submits are dropped.
  /// After a storage failure while closing, the rest is counted as failed
  /// instead of waiting on the store again.
  void close();

  Stats stats() const;

 private:
  void run();
  /// Queues a row; 0 when it was dropped, else its ticket (the value
  /// finished_ reaches once it is written or lost).
  std::uint64_t enqueue(ExecutionRow row);

  std::shared_ptr<Store> store_;
  HistoryWriterOptions options_;
  mutable std::mutex mu_;
  std::condition_variable work_;  // rows queued, or closing
  std::condition_variable done_;  // a batch finished
  std::deque<ExecutionRow> queue_;
  std::uint64_t submitted_ = 0;  // rows accepted into the queue, ever
  std::uint64_t finished_ = 0;   // rows written or lost, ever
  Stats stats_;
  bool closing_ = false;
  bool warned_full_ = false;
  std::thread thread_;
};

}  // namespace thaiyyal::store
