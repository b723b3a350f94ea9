/// Compiled workflows kept by their source text, so that a workflow posted
/// again (a health check every minute, a saved workflow executed by id) is
/// not loaded and checked again: a least-recently-used map from the exact
/// text (and how it was to be read) to the immutable CompiledWorkflow, which
/// concurrent runs share. Only workflows that compiled without blocking
/// errors are kept. Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "thaiyyal/check/compiled_workflow.h"

namespace thaiyyal::serve {

class CompiledCache {
 public:
  /// At most `max_entries` workflows whose texts total at most `max_bytes`
  /// (a text larger than a quarter of it is never kept); 0 entries = off.
  CompiledCache(std::size_t max_entries, std::size_t max_bytes);

  /// The compiled form of `key`, or null; a hit makes the entry the newest.
  std::shared_ptr<const check::CompiledWorkflow> find(std::string_view key);
  /// Keeps `compiled` under `key`, dropping the oldest entries over the bounds.
  void insert(std::string_view key, std::shared_ptr<const check::CompiledWorkflow> compiled);

  struct Stats {
    std::uint64_t hits = 0;
    std::uint64_t misses = 0;
    std::size_t entries = 0;
    std::size_t bytes = 0;
  };
  Stats stats() const;

 private:
  struct Entry {
    std::string key;
    std::shared_ptr<const check::CompiledWorkflow> compiled;
  };
  void evict();

  const std::size_t max_entries_;
  const std::size_t max_bytes_;
  mutable std::mutex mu_;
  std::list<Entry> lru_;                                                    // newest first
  std::unordered_map<std::string_view, std::list<Entry>::iterator> index_;  // keys in lru_
  std::size_t bytes_ = 0;
  std::uint64_t hits_ = 0;
  std::uint64_t misses_ = 0;
};

}  // namespace thaiyyal::serve
