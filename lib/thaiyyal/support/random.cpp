#include "thaiyyal/support/random.h"

#include <sys/random.h>

#include <array>
#include <chrono>
#include <functional>
#include <thread>

namespace thaiyyal::support {

std::mt19937_64& thread_rng() {
  thread_local std::mt19937_64 engine = [] {
    std::array<std::uint32_t, 8> words{};
    if (::getrandom(words.data(), sizeof words, 0) != static_cast<ssize_t>(sizeof words)) {
      // No kernel randomness (a sandbox without getrandom): the clock and the
      // thread's id still make the ids of concurrent threads differ.
      const auto now =
          static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
      const auto tid =
          static_cast<std::uint64_t>(std::hash<std::thread::id>{}(std::this_thread::get_id()));
      for (std::size_t i = 0; i < words.size(); ++i) {
        const std::uint64_t mixed = (i % 2 == 0 ? now : tid) >> (i / 2 % 2 * 32);
        words[i] = static_cast<std::uint32_t>(mixed);
      }
    }
    std::seed_seq seq(words.begin(), words.end());
    return std::mt19937_64(seq);
  }();
  return engine;
}

}  // namespace thaiyyal::support
