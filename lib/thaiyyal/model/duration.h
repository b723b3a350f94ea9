/// Go-style durations: parsing ("1.5s", "1m30s", "200ms", "-5s", "0") and
/// formatting ("5m0s", "200ms", "1.5µs"), as the reference reads and writes them.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace thaiyyal {

using Nanos = std::chrono::nanoseconds;

/// Parses Go duration syntax: optional sign, then one or more <decimal><unit>
/// groups (ns, us, µs, μs, ms, s, m, h); "0" alone is valid. nullopt on bad
/// syntax or overflow.
std::optional<Nanos> parse_go_duration(std::string_view s);

/// Like parse_go_duration, but a bare base-10 integer means milliseconds
/// ("1500" = 1.5 s), as the reference's node helper does (spec 03 §0.5).
std::optional<Nanos> parse_node_duration(std::string_view s);

/// Go's Duration.String(): "0s", "1.5ms", "1m30s", "2h0m0s".
std::string format_go_duration(Nanos d);

}  // namespace thaiyyal
