#include "thaiyyal/model/duration.h"

#include <cmath>
#include <limits>

namespace thaiyyal {

std::optional<Nanos> parse_go_duration(std::string_view s) {
  if (s.empty()) return std::nullopt;
  bool negative = false;
  if (s[0] == '-' || s[0] == '+') {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return Nanos(0);
  if (s.empty()) return std::nullopt;
  long double total = 0;
  while (!s.empty()) {
    std::size_t i = 0;
    long double value = 0;
    std::size_t int_digits = 0, frac_digits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      value = value * 10 + (s[i] - '0');
      ++i;
      ++int_digits;
    }
    if (i < s.size() && s[i] == '.') {
      ++i;
      long double scale = 0.1L;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
        value += (s[i] - '0') * scale;
        scale /= 10;
        ++i;
        ++frac_digits;
      }
    }
    if (int_digits == 0 && frac_digits == 0) return std::nullopt;
    s.remove_prefix(i);
    long double unit = 0;
    auto take = [&](std::string_view u, long double ns) {
      if (s.substr(0, u.size()) == u) {
        unit = ns;
        s.remove_prefix(u.size());
        return true;
      }
      return false;
    };
    // Longest units first so "ms" is not read as "m".
    if (!(take("ns", 1) || take("us", 1e3L) || take("\xC2\xB5s", 1e3L) || take("\xCE\xBCs", 1e3L) ||
          take("ms", 1e6L) || take("s", 1e9L) || take("m", 60e9L) || take("h", 3600e9L))) {
      return std::nullopt;
    }
    total += value * unit;
    if (total > static_cast<long double>(std::numeric_limits<std::int64_t>::max())) {
      return std::nullopt;
    }
  }
  const auto ns = static_cast<std::int64_t>(std::llround(total));
  return Nanos(negative ? -ns : ns);
}

std::optional<Nanos> parse_node_duration(std::string_view s) {
  if (auto d = parse_go_duration(s)) return d;
  std::string_view digits = s;
  if (!digits.empty() && (digits[0] == '-' || digits[0] == '+')) digits.remove_prefix(1);
  if (digits.empty() || digits.size() > 15) return std::nullopt;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  const std::int64_t ms = std::stoll(std::string(digits));
  return Nanos((s[0] == '-' ? -ms : ms) * 1000000);
}

namespace {
/// Appends v / 10^prec with trailing zeros (and a bare point) trimmed.
void append_fraction(std::string& out, std::uint64_t v, int prec) {
  std::uint64_t scale = 1;
  for (int i = 0; i < prec; ++i) scale *= 10;
  out += std::to_string(v / scale);
  std::uint64_t frac = v % scale;
  if (frac == 0) return;
  std::string digits = std::to_string(frac);
  digits.insert(0, static_cast<std::size_t>(prec) - digits.size(), '0');
  while (!digits.empty() && digits.back() == '0') digits.pop_back();
  out += '.';
  out += digits;
}
}  // namespace

std::string format_go_duration(Nanos d) {
  std::int64_t ns = d.count();
  if (ns == 0) return "0s";
  std::string out;
  std::uint64_t u =
      ns < 0 ? static_cast<std::uint64_t>(-(ns + 1)) + 1 : static_cast<std::uint64_t>(ns);
  if (ns < 0) out += '-';
  if (u < 1000000000ULL) {
    if (u < 1000ULL) {
      append_fraction(out, u, 0);
      out += "ns";
    } else if (u < 1000000ULL) {
      append_fraction(out, u, 3);
      out += "\xC2\xB5s";
    } else {
      append_fraction(out, u, 6);
      out += "ms";
    }
    return out;
  }
  const std::uint64_t hours = u / 3600000000000ULL;
  u -= hours * 3600000000000ULL;
  const std::uint64_t minutes = u / 60000000000ULL;
  u -= minutes * 60000000000ULL;
  if (hours > 0) out += std::to_string(hours) + "h";
  if (hours > 0 || minutes > 0) out += std::to_string(minutes) + "m";
  append_fraction(out, u, 9);
  out += 's';
  return out;
}

}  // namespace thaiyyal
