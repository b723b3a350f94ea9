/// The http module owns outbound HTTP: the `HttpClient` interface, the libcurl
/// implementation (the only file that includes curl), and the network policy
/// that every request and every redirect hop must pass (decision D13, spec 04
/// §6 and R-04): https only unless plain http is allowed; loopback, private,
/// link-local, CGNAT, multicast, reserved and cloud-metadata addresses blocked
/// unless allowed; non-canonical IP spellings rejected; names resolved once,
/// every address checked, and the connection pinned to a checked address.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace thaiyyal::http {

struct NetworkPolicy {
  bool allow_http = false;            ///< plain http:// (https is always allowed)
  bool allow_localhost = false;       ///< 127/8, ::1, localhost names
  bool allow_private_ips = false;     ///< 10/8, 172.16/12, 192.168/16, fc00::/7, 100.64/10
  bool allow_link_local = false;      ///< 169.254/16, fe80::/10
  bool allow_cloud_metadata = false;  ///< 169.254.169.254 and friends, metadata names
  /// When non-empty, the host must equal an entry or be a subdomain of one
  /// (case-insensitive).
  std::vector<std::string> allowed_domains;
  /// A named client's own allowlist: when non-empty, the host must match it
  /// too (same matching rules).
  std::vector<std::string> client_domains;
};

/// An IPv4 or IPv6 address (IPv4 stored as ::ffff:a.b.c.d).
struct IpAddress {
  std::array<std::uint8_t, 16> bytes{};
  bool v4 = false;
  std::string text() const;
};

/// `s` with ASCII letters lower-cased (host names, header names).
std::string ascii_lower(std::string_view s);

/// Parses canonical dotted-quad IPv4 or IPv6 text (no zone, no brackets).
std::optional<IpAddress> parse_ip(std::string_view s);

/// A parsed absolute URL.
struct Url {
  std::string scheme;  ///< lower-cased
  std::string userinfo;
  std::string host;  ///< without brackets; lower-cased
  bool host_is_ipv6 = false;
  int port = 0;        ///< 0 = the scheme's default
  std::string target;  ///< path and query ("/" when empty), no fragment
  int effective_port() const { return port ? port : (scheme == "https" ? 443 : 80); }
  /// scheme://host[:port]target (no userinfo).
  std::string text() const;
};

/// Parses an absolute http(s)-style URL; nullopt with `error` set otherwise.
std::optional<Url> parse_url(std::string_view s, std::string* error = nullptr);
/// Resolves a redirect `location` against `base` (absolute or relative).
std::optional<Url> resolve_location(const Url& base, std::string_view location);

/// Why an address is blocked under `policy`, or nullopt when it is allowed.
std::optional<std::string> check_address(const IpAddress& ip, const NetworkPolicy& policy);

/// Looks host names up. Tests substitute their own.
using Resolver = std::function<std::vector<IpAddress>(const std::string& host)>;
/// getaddrinfo(): every A and AAAA record; empty when resolution fails.
std::vector<IpAddress> system_resolve(const std::string& host);

/// The outcome of checking a URL: the addresses a connection may use.
struct Admission {
  std::optional<std::string> error;  ///< set when the URL is refused
  std::vector<IpAddress> addresses;  ///< checked addresses to pin
};

/// Checks a URL against the policy (scheme, host, allowlist, IP spelling,
/// blocked names, then every resolved address; a name that does not resolve
/// is refused).
Admission admit(const Url& url, const NetworkPolicy& policy, const Resolver& resolve);

}  // namespace thaiyyal::http
