/// Named HTTP clients (decision D13, spec 04 §6.6, D-10/D-11, R-10): request
/// settings an operator configures once, outside workflows, and a workflow's
/// `http` node selects with `http_client_uid`. A client supplies a base URL,
/// default headers and query parameters, authentication, timeouts and
/// redirect/size settings. Secrets come from the configuration or from the
/// environment (`${env:NAME}`) and never leave the process: every text a
/// client's request produces (results, errors) passes through redact().
///
/// A client never bypasses the network policy: its request is checked under
/// the command's policy, which the client may narrow (its own allowed_domains,
/// an explicit `false`) and, because the clients file is operator
/// configuration like the command-line flags, widen for itself with an
/// explicit `true` when the registry permits widening.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "thaiyyal/diag/diagnostic.h"
#include "thaiyyal/http/http_client.h"
#include "thaiyyal/http/network_policy.h"
#include "thaiyyal/model/value.h"
#include "thaiyyal/model/workflow.h"

namespace thaiyyal::http {

enum class AuthType : std::uint8_t { None, Basic, Bearer, ApiKey };
enum class ApiKeyLocation : std::uint8_t { Header, Query };

/// The replacement text of a secret in any output.
inline constexpr std::string_view kRedacted = "***REDACTED***";

class NamedClient {
 public:
  std::string uid;
  std::string description;
  std::string base_url;  ///< "" = node URLs must be absolute

  AuthType auth = AuthType::None;
  std::string username;  ///< basic
  std::string password;  ///< basic (secret)
  std::string token;     ///< bearer (secret)
  std::string api_key_name;
  std::string api_key_value;  ///< (secret)
  ApiKeyLocation api_key_location = ApiKeyLocation::Header;

  Headers headers;       ///< appended to every request, in order
  Headers query_params;  ///< appended to every request's query, in order

  std::optional<std::chrono::milliseconds> timeout;  ///< whole request
  bool follow_redirects = true;
  int max_redirects = 10;
  std::optional<std::uint64_t> max_response_size;

  /// Policy adjustments: nullopt inherits the command's setting.
  std::optional<bool> allow_http, allow_localhost, allow_private_ips, allow_link_local,
      allow_cloud_metadata;
  std::vector<std::string> allowed_domains;  ///< narrows: the host must match one

  /// Whether the client may widen the command's policy at all (false for
  /// clients registered by remote callers: they may only narrow it).
  bool may_widen = true;

  /// Why the client cannot be used (an environment variable it needs is not
  /// set), reported when a node selects it; empty when usable.
  std::string unusable;

  /// Every secret value (and the forms it is sent in), longest first.
  const std::vector<std::string>& secrets() const { return secrets_; }
  void add_secret(std::string value);

  /// Replaces every secret in `text` with ***REDACTED***.
  std::string redact(std::string text) const;
  /// Redacts every string (and object key) inside `v`.
  Value redact_value(const Value& v) const;

  /// The URL a node's `url` designates: absolute URLs as written (they must
  /// share the base URL's origin when one is set, so credentials go nowhere
  /// else); other text is appended to base_url with one '/' between them.
  /// Returns nullopt with `error` set when that is not possible.
  std::optional<std::string> resolve_url(std::string_view node_url, std::string* error) const;

  /// The command's policy as this client adjusts it (see the file comment).
  NetworkPolicy policy(const NetworkPolicy& command, bool allow_widening) const;

  /// Adds the client's query parameters, headers and authentication to a
  /// request whose URL and node headers are set (spec 04 §6.6 order: query
  /// parameters, headers appended, then authentication replacing a header of
  /// the same name). Marks the auth header as one to drop on cross-origin
  /// redirects.
  void decorate(Request& req) const;

 private:
  std::vector<std::string> secrets_;
};

class ClientRegistry {
 public:
  /// Whether clients may widen the command's policy (true for the operator's
  /// own clients file; false for clients registered by remote callers).
  bool allow_widening = true;

  /// Adds a client; false when the uid is taken.
  bool add(NamedClient client);
  const NamedClient* find(std::string_view uid) const;
  std::size_t size() const { return clients_.size(); }
  std::vector<std::string> uids() const;

 private:
  std::map<std::string, NamedClient, std::less<>> clients_;
};

/// Looks an environment variable up (nullopt when unset). Tests substitute
/// their own.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;
std::optional<std::string> process_env(const std::string& name);

/// Reads a list of client objects (a clients file, or the `http_clients`
/// section of a settings file). `path` is where the list sits in its document
/// (for positions). Problems
/// are added to `diags` with the file position from `locator` (may be null).
/// Client objects follow spec 04 §6.6; durations are integer nanoseconds or
/// strings such as "30s"; `${env:NAME}` in any string is replaced by that
/// variable, and the result is a secret.
ClientRegistry read_clients(const Value& list, std::vector<PathStep> path,
                            const SourceLocator* locator,
                            std::shared_ptr<const diag::SourceFile> file, const EnvLookup& env,
                            diag::Diagnostics& diags);

/// RFC 3986 percent-encoding of everything but the unreserved characters
/// (query parameter names and values).
std::string percent_encode(std::string_view s);

}  // namespace thaiyyal::http
