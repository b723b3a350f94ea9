/// Outbound HTTP requests behind a small interface, so nodes never see curl
/// and tests can use a fake. Implementations apply the NetworkPolicy to the
/// request and to every redirect hop, and pin connections to checked
/// addresses.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "thaiyyal/http/network_policy.h"

namespace thaiyyal::http {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method = "GET";
  std::string url;
  Headers headers;
  std::string body;
  bool has_body = false;
  std::chrono::milliseconds timeout{30000};
  std::size_t max_response_size = 10u << 20;
  int max_redirects = 10;  ///< exactly this many redirects are followed
  /// false: a redirect response is returned as it is.
  bool follow_redirects = true;
  /// Header names (lower-case) dropped when a redirect leaves the original
  /// origin, besides authorization, proxy-authorization and cookie.
  std::vector<std::string> sensitive_headers;
  /// Polled during the transfer; returning true aborts it (cancellation,
  /// deadlines).
  std::function<bool()> should_abort;
};

struct Response {
  int status = 0;
  Headers headers;  ///< names lower-cased, in arrival order
  std::string body;
  std::chrono::nanoseconds duration{0};
  std::string final_url;
  /// First value of a header (name lower-case), or nullptr.
  const std::string* header(std::string_view name) const;
};

/// A refused or failed request. `blocked` marks network-policy refusals.
class HttpError : public std::runtime_error {
 public:
  HttpError(std::string message, bool blocked = false, bool aborted = false)
      : std::runtime_error(std::move(message)), blocked_(blocked), aborted_(aborted) {}
  bool blocked() const { return blocked_; }
  bool aborted() const { return aborted_; }

 private:
  bool blocked_;
  bool aborted_;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  /// Sends a request under `policy`. Throws HttpError. Thread-safe.
  virtual Response send(const Request& request, const NetworkPolicy& policy) = 0;
};

/// The libcurl client: connection reuse across requests, TLS verification
/// against the system CA store (unless `insecure`), the policy checked on
/// every hop and the connection pinned to the checked address. Creating it
/// is cheap: libcurl (the thaiyyal-http-curl.so module, see transport.h) is
/// loaded by the first request that passes the policy; when it cannot be
/// loaded, send() throws an HttpError naming the paths tried.
std::shared_ptr<HttpClient> make_curl_client(Resolver resolver = {}, bool insecure = false);

}  // namespace thaiyyal::http
