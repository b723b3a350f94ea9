#include "thaiyyal/expr/dates.h"

#include <algorithm>
#include <chrono>

namespace thaiyyal::expr::detail {
namespace {

constexpr std::int64_t kMsPerDay = 86400000;

// Howard Hinnant's days_from_civil / civil_from_days (public domain).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, int& year, int& month, int& day) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  year = static_cast<int>(y + (m <= 2));
  month = static_cast<int>(m);
  day = static_cast<int>(d);
}

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

/// Reads exactly `n` ASCII digits at `pos`.
bool digits(std::string_view s, std::size_t& pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const char c = s[pos + k];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  pos += n;
  out = v;
  return true;
}

bool expect(std::string_view s, std::size_t& pos, char c) {
  if (pos >= s.size() || s[pos] != c) return false;
  ++pos;
  return true;
}

void put2(std::string& out, int v) {
  out.push_back(static_cast<char>('0' + v / 10));
  out.push_back(static_cast<char>('0' + v % 10));
}

}  // namespace

InstantParse parse_instant(std::string_view s, std::int64_t& ms) {
  std::size_t pos = 0;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, frac_ms = 0;
  if (!digits(s, pos, 4, y) || !expect(s, pos, '-') || !digits(s, pos, 2, mo) ||
      !expect(s, pos, '-') || !digits(s, pos, 2, d)) {
    return InstantParse::Invalid;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo)) return InstantParse::Invalid;
  std::int64_t offset_min = 0;
  if (pos < s.size()) {
    const char sep = s[pos];
    if (sep != 'T' && sep != 't' && sep != ' ') return InstantParse::Invalid;
    ++pos;
    if (!digits(s, pos, 2, h) || !expect(s, pos, ':') || !digits(s, pos, 2, mi)) {
      return InstantParse::Invalid;
    }
    if (pos < s.size() && s[pos] == ':') {
      ++pos;
      if (!digits(s, pos, 2, sec)) return InstantParse::Invalid;
      if (pos < s.size() && s[pos] == '.') {
        ++pos;
        std::size_t n = 0;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
          // Digits beyond the third are dropped (truncation, not rounding).
          if (n < 3) frac_ms = frac_ms * 10 + (s[pos] - '0');
          ++n;
          ++pos;
        }
        if (n == 0 || n > 9) return InstantParse::Invalid;
        for (std::size_t k = n; k < 3; ++k) frac_ms *= 10;
      }
    }
    if (h > 23 || mi > 59 || sec > 59) return InstantParse::Invalid;
    if (pos < s.size()) {
      const char z = s[pos];
      if (z == 'Z' || z == 'z') {
        ++pos;
      } else if (z == '+' || z == '-') {
        ++pos;
        int oh = 0, om = 0;
        if (!digits(s, pos, 2, oh) || !expect(s, pos, ':') || !digits(s, pos, 2, om)) {
          return InstantParse::Invalid;
        }
        if (oh > 23 || om > 59) return InstantParse::Invalid;
        offset_min = (z == '+' ? 1 : -1) * static_cast<std::int64_t>(oh * 60 + om);
      } else {
        return InstantParse::Invalid;
      }
    }
  }
  if (pos != s.size()) return InstantParse::Invalid;
  const std::int64_t days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  ms = days * kMsPerDay + ((static_cast<std::int64_t>(h) * 60 + mi) * 60 + sec) * 1000 + frac_ms -
       offset_min * 60000;
  if (ms < kMinInstantMs || ms > kMaxInstantMs) return InstantParse::OutOfRange;
  return InstantParse::Ok;
}

CivilTime civil_time(std::int64_t ms) {
  std::int64_t days = ms / kMsPerDay;
  std::int64_t rem = ms % kMsPerDay;
  if (rem < 0) {
    rem += kMsPerDay;
    --days;
  }
  CivilTime t{};
  civil_from_days(days, t.year, t.month, t.day);
  t.millisecond = static_cast<int>(rem % 1000);
  rem /= 1000;
  t.second = static_cast<int>(rem % 60);
  rem /= 60;
  t.minute = static_cast<int>(rem % 60);
  t.hour = static_cast<int>(rem / 60);
  return t;
}

std::string format_date(std::int64_t ms) {
  const CivilTime t = civil_time(ms);
  std::string out;
  out.reserve(10);
  put2(out, t.year / 100);
  put2(out, t.year % 100);
  out.push_back('-');
  put2(out, t.month);
  out.push_back('-');
  put2(out, t.day);
  return out;
}

std::string format_instant(std::int64_t ms) {
  const CivilTime t = civil_time(ms);
  std::string out = format_date(ms);
  out.reserve(24);
  out.push_back('T');
  put2(out, t.hour);
  out.push_back(':');
  put2(out, t.minute);
  out.push_back(':');
  put2(out, t.second);
  out.push_back('.');
  out.push_back(static_cast<char>('0' + t.millisecond / 100));
  put2(out, t.millisecond % 100);
  out.push_back('Z');
  return out;
}

std::int64_t now_ms() {
  const auto now =
      std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  return std::clamp<std::int64_t>(now.time_since_epoch().count(), kMinInstantMs, kMaxInstantMs);
}

}  // namespace thaiyyal::expr::detail
