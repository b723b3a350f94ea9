// Backend-independent helpers of the store: redacting connection URLs and
// locating the default SQLite database.
#include "thaiyyal/store/store.h"

#include <cctype>
#include <cstdlib>

namespace thaiyyal::store {
namespace {

/// Replaces the value of every `password=` key (a query parameter of a URL or
/// a key of a libpq keyword/value string) with "***".
std::string redact_password_keys(std::string text) {
  static constexpr std::string_view kKey = "password=";
  std::size_t pos = 0;
  while ((pos = text.find(kKey, pos)) != std::string::npos) {
    const bool at_key_start = pos == 0 || text[pos - 1] == '?' || text[pos - 1] == '&' ||
                              text[pos - 1] == ';' ||
                              std::isspace(static_cast<unsigned char>(text[pos - 1])) != 0;
    const std::size_t value = pos + kKey.size();
    if (!at_key_start) {
      pos = value;
      continue;
    }
    std::size_t end = value;
    if (end < text.size() && text[end] == '\'') {
      // A quoted libpq value: up to the closing quote (backslash escapes).
      ++end;
      while (end < text.size() && text[end] != '\'') end += text[end] == '\\' ? 2 : 1;
      end = end < text.size() ? end + 1 : text.size();
    } else {
      while (end < text.size() && text[end] != '&' && text[end] != '#' && text[end] != ';' &&
             std::isspace(static_cast<unsigned char>(text[end])) == 0) {
        ++end;
      }
    }
    text.replace(value, end - value, "***");
    pos = value + 3;
  }
  return text;
}

}  // namespace

std::string redact_url(std::string_view url) {
  std::string out(url);
  const std::size_t scheme = out.find("://");
  if (scheme != std::string::npos) {
    const std::size_t authority = scheme + 3;
    const std::size_t authority_end = out.find_first_of("/?#", authority);
    const std::size_t limit = authority_end == std::string::npos ? out.size() : authority_end;
    const std::size_t at = out.rfind('@', limit == 0 ? 0 : limit - 1);
    if (at != std::string::npos && at >= authority) {
      const std::size_t colon = out.find(':', authority);
      if (colon != std::string::npos && colon < at) {
        out.replace(colon + 1, at - colon - 1, "***");
      }
    }
  }
  return redact_password_keys(std::move(out));
}

std::string default_data_dir() {
  const char* xdg = std::getenv("XDG_DATA_HOME");
  if (xdg != nullptr && *xdg != '\0') return std::string(xdg) + "/thaiyyal";
  const char* home = std::getenv("HOME");
  if (home != nullptr && *home != '\0') return std::string(home) + "/.local/share/thaiyyal";
  return "";
}

std::string sqlite_path(const std::string& data_dir) {
  if (!data_dir.empty() && data_dir.back() == '/') return data_dir + "thaiyyal.db";
  return data_dir + "/thaiyyal.db";
}

}  // namespace thaiyyal::store
