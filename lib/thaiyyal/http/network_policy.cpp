#include "thaiyyal/http/network_policy.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>

namespace thaiyyal::http {

std::string ascii_lower(std::string_view s) {
  std::string r(s);
  for (auto& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return r;
}

namespace {

std::string lower(std::string_view s) { return ascii_lower(s); }

bool in_v4(const std::uint8_t* a, std::uint32_t net, int prefix) {
  const std::uint32_t v =
      (std::uint32_t{a[0]} << 24) | (std::uint32_t{a[1]} << 16) | (std::uint32_t{a[2]} << 8) | a[3];
  const std::uint32_t mask = prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix);
  return (v & mask) == (net & mask);
}

constexpr std::uint32_t v4(int a, int b, int c, int d) {
  return (static_cast<std::uint32_t>(a) << 24) | (static_cast<std::uint32_t>(b) << 16) |
         (static_cast<std::uint32_t>(c) << 8) | static_cast<std::uint32_t>(d);
}

bool in_v6(const std::array<std::uint8_t, 16>& a, std::string_view net, int prefix) {
  auto n = parse_ip(net);
  for (int bit = 0; bit < prefix; ++bit) {
    const int byte = bit / 8, shift = 7 - bit % 8;
    if (((a[byte] >> shift) & 1) != ((n->bytes[byte] >> shift) & 1)) return false;
  }
  return true;
}

const char* const kLocalhostMsg =
    "localhost addresses are blocked (use --allow-localhost to permit)";
const char* const kPrivateMsg =
    "private IP addresses are blocked (use --allow-private-ips to permit)";
const char* const kLinkLocalMsg =
    "link-local addresses are blocked (use --allow-link-local to permit)";
const char* const kMetadataMsg =
    "cloud metadata endpoints are blocked (use --allow-cloud-metadata to permit)";

std::optional<std::string> check_v4(const std::uint8_t* a, const NetworkPolicy& p) {
  const std::uint32_t metadata[] = {v4(169, 254, 169, 254), v4(169, 254, 170, 2),
                                    v4(169, 254, 169, 123), v4(100, 100, 100, 200),
                                    v4(192, 0, 0, 192)};
  for (auto m : metadata) {
    if (in_v4(a, m, 32)) {
      if (!p.allow_cloud_metadata) return kMetadataMsg;
      return std::nullopt;
    }
  }
  if (in_v4(a, v4(127, 0, 0, 0), 8)) {
    return p.allow_localhost ? std::nullopt : std::optional<std::string>(kLocalhostMsg);
  }
  if (in_v4(a, v4(0, 0, 0, 0), 8))
    return "the unspecified/\"this network\" range 0.0.0.0/8 is blocked";
  if (in_v4(a, v4(10, 0, 0, 0), 8) || in_v4(a, v4(172, 16, 0, 0), 12) ||
      in_v4(a, v4(192, 168, 0, 0), 16) || in_v4(a, v4(100, 64, 0, 0), 10)) {
    return p.allow_private_ips ? std::nullopt : std::optional<std::string>(kPrivateMsg);
  }
  if (in_v4(a, v4(169, 254, 0, 0), 16)) {
    return p.allow_link_local ? std::nullopt : std::optional<std::string>(kLinkLocalMsg);
  }
  struct Range {
    std::uint32_t net;
    int prefix;
  };
  const Range reserved[] = {{v4(192, 0, 0, 0), 24},   {v4(192, 0, 2, 0), 24},
                            {v4(198, 18, 0, 0), 15},  {v4(198, 51, 100, 0), 24},
                            {v4(203, 0, 113, 0), 24}, {v4(224, 0, 0, 0), 4},
                            {v4(240, 0, 0, 0), 4}};
  for (const auto& r : reserved) {
    if (in_v4(a, r.net, r.prefix)) {
      return "reserved, documentation or multicast addresses are blocked";
    }
  }
  return std::nullopt;
}

}  // namespace

std::string IpAddress::text() const {
  char buf[INET6_ADDRSTRLEN] = {};
  if (v4) {
    inet_ntop(AF_INET, bytes.data() + 12, buf, sizeof buf);
  } else {
    inet_ntop(AF_INET6, bytes.data(), buf, sizeof buf);
  }
  return buf;
}

std::optional<IpAddress> parse_ip(std::string_view s) {
  IpAddress ip;
  if (s.find(':') == std::string_view::npos) {
    // Canonical dotted quad only: four decimal parts 0-255, no leading zeros.
    int parts = 0;
    std::size_t i = 0;
    while (parts < 4) {
      std::size_t start = i;
      int value = 0;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9' && i - start < 3) {
        value = value * 10 + (s[i] - '0');
        ++i;
      }
      const std::size_t len = i - start;
      if (len == 0 || value > 255 || (len > 1 && s[start] == '0')) return std::nullopt;
      ip.bytes[12 + parts] = static_cast<std::uint8_t>(value);
      ++parts;
      if (parts < 4) {
        if (i >= s.size() || s[i] != '.') return std::nullopt;
        ++i;
      }
    }
    if (i != s.size()) return std::nullopt;
    ip.bytes[10] = ip.bytes[11] = 0xFF;
    ip.v4 = true;
    return ip;
  }
  std::string text(s);
  if (inet_pton(AF_INET6, text.c_str(), ip.bytes.data()) != 1) return std::nullopt;
  // IPv4-mapped addresses are treated as IPv4.
  static const std::uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
  ip.v4 = std::memcmp(ip.bytes.data(), kMapped, 12) == 0;
  return ip;
}

std::optional<std::string> check_address(const IpAddress& ip, const NetworkPolicy& p) {
  const auto& b = ip.bytes;
  if (ip.v4) return check_v4(b.data() + 12, p);
  // IPv6 forms that embed an IPv4 address are judged by that address.
  static const std::uint8_t kZero12[12] = {};
  if (std::memcmp(b.data(), kZero12, 12) == 0) {
    const bool unspecified = std::all_of(b.begin(), b.end(), [](auto x) { return x == 0; });
    if (unspecified) return "the unspecified address :: is blocked";
    const bool loopback =
        std::all_of(b.begin(), b.end() - 1, [](auto x) { return x == 0; }) && b[15] == 1;
    if (loopback)
      return p.allow_localhost ? std::nullopt : std::optional<std::string>(kLocalhostMsg);
    return check_v4(b.data() + 12, p);  // IPv4-compatible ::a.b.c.d
  }
  if (in_v6(b, "64:ff9b::", 96)) return check_v4(b.data() + 12, p);
  if (in_v6(b, "64:ff9b:1::", 48)) return check_v4(b.data() + 12, p);
  if (in_v6(b, "2002::", 16)) return check_v4(b.data() + 2, p);
  if (in_v6(b, "2001::", 32)) {
    std::uint8_t client[4];
    for (int i = 0; i < 4; ++i) client[i] = static_cast<std::uint8_t>(b[12 + i] ^ 0xFF);
    return check_v4(client, p);
  }
  if (in_v6(b, "fd00:ec2::254", 128)) {
    return p.allow_cloud_metadata ? std::nullopt : std::optional<std::string>(kMetadataMsg);
  }
  if (in_v6(b, "fc00::", 7)) {
    return p.allow_private_ips ? std::nullopt : std::optional<std::string>(kPrivateMsg);
  }
  if (in_v6(b, "fe80::", 10)) {
    return p.allow_link_local ? std::nullopt : std::optional<std::string>(kLinkLocalMsg);
  }
  if (in_v6(b, "100::", 64) || in_v6(b, "2001:db8::", 32) || in_v6(b, "fec0::", 10) ||
      in_v6(b, "ff00::", 8)) {
    return "reserved, documentation or multicast addresses are blocked";
  }
  return std::nullopt;
}

std::string Url::text() const {
  std::string out = scheme + "://";
  out += host_is_ipv6 ? "[" + host + "]" : host;
  if (port) out += ":" + std::to_string(port);
  out += target;
  return out;
}

std::optional<Url> parse_url(std::string_view s, std::string* error) {
  auto fail = [&](const char* why) -> std::optional<Url> {
    if (error) *error = why;
    return std::nullopt;
  };
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7F) return fail("URL contains a space or control character");
  }
  const auto colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0) return fail("missing protocol scheme");
  Url url;
  url.scheme = lower(s.substr(0, colon));
  for (char c : url.scheme) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') {
      return fail("invalid scheme");
    }
  }
  std::string_view rest = s.substr(colon + 1);
  if (rest.substr(0, 2) != "//") {
    url.host.clear();
    return url;  // e.g. mailto: - no authority; refused later by the scheme check
  }
  rest.remove_prefix(2);
  const auto auth_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, auth_end);
  std::string_view tail = auth_end == std::string_view::npos ? "" : rest.substr(auth_end);
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    url.userinfo = std::string(authority.substr(0, at));
    authority.remove_prefix(at + 1);
  }
  std::string_view port_text;
  if (!authority.empty() && authority[0] == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return fail("unterminated IPv6 address");
    url.host = lower(authority.substr(1, close - 1));
    url.host_is_ipv6 = true;
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return fail("invalid characters after IPv6 address");
      port_text = after.substr(1);
    }
    if (url.host.find('%') != std::string::npos)
      return fail("IPv6 zone identifiers are not allowed");
  } else {
    const auto pc = authority.rfind(':');
    if (pc != std::string_view::npos) {
      port_text = authority.substr(pc + 1);
      authority = authority.substr(0, pc);
    }
    url.host = lower(authority);
  }
  if (!port_text.empty()) {
    int port = 0;
    for (char c : port_text) {
      if (c < '0' || c > '9' || port > 65535) return fail("invalid port");
      port = port * 10 + (c - '0');
    }
    if (port == 0 || port > 65535) return fail("invalid port");
    url.port = port;
  }
  const auto hash = tail.find('#');
  if (hash != std::string_view::npos) tail = tail.substr(0, hash);
  url.target = tail.empty() ? "/" : (tail[0] == '?' ? "/" + std::string(tail) : std::string(tail));
  return url;
}

std::optional<Url> resolve_location(const Url& base, std::string_view location) {
  if (location.find("://") != std::string_view::npos) return parse_url(location);
  Url u = base;
  u.userinfo.clear();
  if (location.substr(0, 2) == "//") return parse_url(base.scheme + ":" + std::string(location));
  if (!location.empty() && location[0] == '/') {
    u.target = std::string(location);
  } else {
    auto dir = base.target.substr(0, base.target.find('?'));
    dir = dir.substr(0, dir.rfind('/') + 1);
    u.target = dir + std::string(location);
  }
  const auto hash = u.target.find('#');
  if (hash != std::string::npos) u.target.resize(hash);
  return u;
}

std::vector<IpAddress> system_resolve(const std::string& host) {
  std::vector<IpAddress> out;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (getaddrinfo(host.c_str(), nullptr, &hints, &res) != 0) return out;
  for (addrinfo* p = res; p; p = p->ai_next) {
    IpAddress ip;
    if (p->ai_family == AF_INET) {
      const auto* sin = reinterpret_cast<const sockaddr_in*>(p->ai_addr);
      std::memcpy(ip.bytes.data() + 12, &sin->sin_addr, 4);
      ip.bytes[10] = ip.bytes[11] = 0xFF;
      ip.v4 = true;
    } else if (p->ai_family == AF_INET6) {
      const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(p->ai_addr);
      std::memcpy(ip.bytes.data(), &sin6->sin6_addr, 16);
      static const std::uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
      ip.v4 = std::memcmp(ip.bytes.data(), kMapped, 12) == 0;
    } else {
      continue;
    }
    const bool dup = std::any_of(out.begin(), out.end(),
                                 [&](const IpAddress& o) { return o.bytes == ip.bytes; });
    if (!dup) out.push_back(ip);
  }
  freeaddrinfo(res);
  return out;
}

namespace {
/// Host text made only of digits, dots and hex forms, which some resolvers
/// read as an IPv4 address (2130706433, 0x7f.1, 0177.0.0.1, 127.1).
bool looks_numeric(std::string_view h) {
  if (h.empty()) return false;
  std::size_t start = 0;
  while (start <= h.size()) {
    auto end = h.find('.', start);
    if (end == std::string_view::npos) end = h.size();
    std::string_view part = h.substr(start, end - start);
    if (part.empty()) {
      if (end != h.size()) return false;  // "a..b"
    } else if (part.size() > 2 && part[0] == '0' && (part[1] == 'x' || part[1] == 'X')) {
      for (char c : part.substr(2)) {
        if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
      }
    } else {
      for (char c : part) {
        if (c < '0' || c > '9') return false;
      }
    }
    if (end == h.size()) break;
    start = end + 1;
  }
  return true;
}

bool is_localhost_name(std::string_view h) {
  return h == "localhost" || h == "localhost.localdomain" || h == "ip6-localhost" ||
         h == "ip6-loopback" || (h.size() > 10 && h.substr(h.size() - 10) == ".localhost");
}

bool is_metadata_name(std::string_view h) {
  return h == "metadata" || h == "metadata.google.internal" || h == "metadata.goog" ||
         h == "metadata.azure.com" || h == "instance-data" || h == "instance-data.ec2.internal";
}
}  // namespace

namespace {

/// Whether `host` equals an entry or is a subdomain of one (entries may be
/// written "example.org", ".example.org" or "*.example.org"; case-insensitive).
bool matches_domain(const std::string& host, const std::vector<std::string>& entries) {
  for (const auto& entry : entries) {
    std::string dom = lower(entry);
    if (dom.rfind("*.", 0) == 0) dom.erase(0, 2);
    while (!dom.empty() && dom.front() == '.') dom.erase(0, 1);
    while (!dom.empty() && dom.back() == '.') dom.pop_back();
    if (dom.empty()) continue;
    if (host == dom ||
        (host.size() > dom.size() && host.compare(host.size() - dom.size(), dom.size(), dom) == 0 &&
         host[host.size() - dom.size() - 1] == '.')) {
      return true;
    }
  }
  return false;
}

}  // namespace

Admission admit(const Url& url, const NetworkPolicy& p, const Resolver& resolve) {
  Admission a;
  if (!url.userinfo.empty()) {
    a.error = "credentials in URLs are not allowed (configure them in a named HTTP client)";
    return a;
  }
  if (url.scheme != "https" && url.scheme != "http") {
    a.error = "URL scheme not allowed: " + url.scheme + " (allowed: https" +
              (p.allow_http ? ", http)" : "; use --allow-http to permit http)");
    return a;
  }
  if (url.scheme == "http" && !p.allow_http) {
    a.error = "URL scheme not allowed: http (allowed: https; use --allow-http to permit http)";
    return a;
  }
  std::string host = url.host;
  while (!host.empty() && host.back() == '.') host.pop_back();  // "localhost." is localhost
  if (host.empty()) {
    a.error = "URL missing hostname";
    return a;
  }
  if (!p.allowed_domains.empty() && !matches_domain(host, p.allowed_domains)) {
    a.error = "domain not in allowlist: " + host;
    return a;
  }
  if (!p.client_domains.empty() && !matches_domain(host, p.client_domains)) {
    a.error = "domain not in the HTTP client's allowed_domains: " + host;
    return a;
  }
  if (auto ip = parse_ip(host)) {
    if (auto why = check_address(*ip, p)) {
      a.error = "IP validation failed for " + host + ": " + *why;
      return a;
    }
    a.addresses.push_back(*ip);
    return a;
  }
  if (url.host_is_ipv6 || looks_numeric(host)) {
    a.error = "IP validation failed for " + host +
              ": non-canonical IP address spellings are not allowed (write a.b.c.d)";
    return a;
  }
  if (is_localhost_name(host) && !p.allow_localhost) {
    a.error = "IP validation failed for " + host +
              ": localhost addresses are blocked (use "
              "--allow-localhost to permit)";
    return a;
  }
  if (is_metadata_name(host) && !p.allow_cloud_metadata) {
    a.error = "IP validation failed for " + host +
              ": cloud metadata endpoints are blocked (use "
              "--allow-cloud-metadata to permit)";
    return a;
  }
  const auto addresses = resolve ? resolve(host) : system_resolve(host);
  if (addresses.empty()) {
    a.error = "could not resolve host: " + host;
    return a;
  }
  for (const auto& ip : addresses) {
    if (auto why = check_address(ip, p)) {
      a.error = "IP validation failed for " + host + " (" + ip.text() + "): " + *why;
      return a;
    }
  }
  a.addresses = addresses;
  return a;
}

}  // namespace thaiyyal::http
