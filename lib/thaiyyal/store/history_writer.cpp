#include "thaiyyal/store/history_writer.h"

#include <fmt/format.h>

#include <exception>
#include <string>
#include <utility>
#include <vector>

namespace thaiyyal::store {

HistoryWriter::HistoryWriter(std::shared_ptr<Store> store, HistoryWriterOptions options)
    : store_(std::move(store)), options_(std::move(options)) {
  if (options_.max_batch == 0) options_.max_batch = 1;
  thread_ = std::thread([this] { run(); });
}

HistoryWriter::~HistoryWriter() { close(); }

void HistoryWriter::submit(ExecutionRow row) { enqueue(std::move(row)); }

void HistoryWriter::record(ExecutionRow row) {
  const std::uint64_t ticket = enqueue(std::move(row));
  if (ticket == 0) return;
  std::unique_lock lock(mu_);
  done_.wait(lock, [&] { return finished_ >= ticket; });
}

std::uint64_t HistoryWriter::enqueue(ExecutionRow row) {
  std::string warning;
  std::uint64_t ticket = 0;
  {
    std::lock_guard lock(mu_);
    if (closing_ || queue_.size() >= options_.max_queue) {
      ++stats_.dropped;
      if (!warned_full_) {
        warned_full_ = true;
        if (closing_) {
          warning = fmt::format("history: execution {} not recorded: the server is shutting down",
                                row.id);
        } else {
          warning = fmt::format(
              "history: the write queue is full ({} rows); execution {} and later ones are not "
              "recorded until the store catches up",
              queue_.size(), row.id);
        }
      }
    } else {
      queue_.push_back(std::move(row));
      ticket = ++submitted_;
      work_.notify_one();
    }
  }
  if (ticket == 0 && options_.on_rows) options_.on_rows(0, 0, 1);
  if (!warning.empty() && options_.log_error) options_.log_error(warning);
  return ticket;
}

bool HistoryWriter::flush(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  const std::uint64_t target = submitted_;
  return done_.wait_for(lock, timeout, [&] { return finished_ >= target; });
}

void HistoryWriter::close() {
  {
    std::lock_guard lock(mu_);
    if (closing_ && !thread_.joinable()) return;
    closing_ = true;
    work_.notify_one();
  }
  if (thread_.joinable()) thread_.join();
}

HistoryWriter::Stats HistoryWriter::stats() const {
  std::lock_guard lock(mu_);
  Stats s = stats_;
  s.queued = queue_.size();
  return s;
}

void HistoryWriter::run() {
  bool failed_while_closing = false;
  std::vector<ExecutionRow> batch;
  for (;;) {
    bool closing = false;
    {
      std::unique_lock lock(mu_);
      work_.wait(lock, [&] { return closing_ || !queue_.empty(); });
      if (queue_.empty()) return;  // closing, and nothing left
      closing = closing_;
      const std::size_t n = std::min(queue_.size(), options_.max_batch);
      batch.clear();
      batch.reserve(n);
      for (std::size_t i = 0; i < n; ++i) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    std::string error;
    if (!failed_while_closing) {
      try {
        store_->record_executions(batch);
      } catch (const std::exception& e) {
        error = e.what();
        if (closing) failed_while_closing = true;
      }
    } else {
      error = "the store failed while the server was shutting down";
    }
    // Counted and logged before flush() can return for these rows.
    if (options_.on_rows) {
      options_.on_rows(error.empty() ? batch.size() : 0, error.empty() ? 0 : batch.size(), 0);
    }
    if (!error.empty() && options_.log_error) {
      options_.log_error(
          batch.size() == 1
              ? fmt::format("history: execution {} not recorded: {}", batch.front().id, error)
              : fmt::format("history: {} executions ({} ... {}) not recorded: {}", batch.size(),
                            batch.front().id, batch.back().id, error));
    }
    {
      std::lock_guard lock(mu_);
      (error.empty() ? stats_.written : stats_.failed) += batch.size();
      finished_ += batch.size();
      if (error.empty()) warned_full_ = false;
    }
    done_.notify_all();
  }
}

}  // namespace thaiyyal::store
