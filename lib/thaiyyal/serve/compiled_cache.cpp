#include "thaiyyal/serve/compiled_cache.h"

#include <utility>

namespace thaiyyal::serve {

CompiledCache::CompiledCache(std::size_t max_entries, std::size_t max_bytes)
    : max_entries_(max_entries), max_bytes_(max_bytes) {}

std::shared_ptr<const check::CompiledWorkflow> CompiledCache::find(std::string_view key) {
  std::lock_guard lock(mu_);
  auto it = index_.find(key);
  if (it == index_.end()) {
    ++misses_;
    return nullptr;
  }
  ++hits_;
  lru_.splice(lru_.begin(), lru_, it->second);
  return it->second->compiled;
}

void CompiledCache::insert(std::string_view key,
                           std::shared_ptr<const check::CompiledWorkflow> compiled) {
  if (max_entries_ == 0 || !compiled || key.size() > max_bytes_ / 4) return;
  std::lock_guard lock(mu_);
  if (auto it = index_.find(key); it != index_.end()) {
    it->second->compiled = std::move(compiled);
    lru_.splice(lru_.begin(), lru_, it->second);
    return;
  }
  lru_.push_front(Entry{std::string(key), std::move(compiled)});
  index_.emplace(lru_.front().key, lru_.begin());
  bytes_ += key.size();
  evict();
}

void CompiledCache::evict() {
  while (!lru_.empty() && (lru_.size() > max_entries_ || bytes_ > max_bytes_)) {
    const Entry& oldest = lru_.back();
    bytes_ -= oldest.key.size();
    index_.erase(oldest.key);
    lru_.pop_back();
  }
}

CompiledCache::Stats CompiledCache::stats() const {
  std::lock_guard lock(mu_);
  return Stats{hits_, misses_, lru_.size(), bytes_};
}

}  // namespace thaiyyal::serve
