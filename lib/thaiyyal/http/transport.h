/// The raw HTTP transfer under every outbound request: one exchange with one
/// server, no policy, no redirects. The libcurl implementation lives in a
/// separate module (thaiyyal-http-curl.so, beside the executable) that is
/// loaded on the first transfer, so that commands that send nothing never
/// load libcurl and its dependencies. The workflow HTTP client
/// (make_curl_client), the trace exporter and the Pushgateway push all send
/// through a Transport.
///
/// This header is shared by the executable and the module: it holds only
/// plain data and one interface, without libcurl types. The module may run
/// on its own copy of the C++ runtime (the executable links it statically),
/// so no exception crosses the boundary: perform() catches everything, and
/// should_abort must not throw.
#pragma once

#include <cstddef>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace thaiyyal::http {

/// Header fields in order (the same type as http::Headers).
using TransportHeaders = std::vector<std::pair<std::string, std::string>>;

/// One request to send as it is.
struct Exchange {
  std::string method = "GET";  ///< "HEAD" sends no body back; others go as they are
  std::string url;             ///< absolute http(s) URL
  /// "host:port:address" to connect to instead of resolving the host (a
  /// libcurl CURLOPT_RESOLVE entry); empty: resolve normally.
  std::string pin;
  TransportHeaders headers;
  std::string_view body;        ///< sent when has_body; must outlive perform()
  bool has_body = false;        ///< an "Expect:" header is added to skip 100-continue
  long timeout_ms = 0;          ///< whole transfer; 0 = none
  long connect_timeout_ms = 0;  ///< 0 = the library's default
  /// Response bodies longer than this fail the transfer (TooLarge), or are
  /// cut to it when truncate_body is set.
  std::size_t max_body = std::numeric_limits<std::size_t>::max();
  bool truncate_body = false;
  bool verify_tls = true;   ///< peer certificate and host name
  bool use_proxy = false;   ///< honour the *_proxy environment variables
  bool decompress = false;  ///< ask for and decode any supported content encoding
  std::string user_agent = "thaiyyal";
  /// Polled during the transfer; returning true aborts it. May be null; must
  /// not throw.
  const std::function<bool()>* should_abort = nullptr;
};

/// How a transfer ended.
enum class TransferCode { Ok, TooLarge, Aborted, TimedOut, Failed };

/// The result of one transfer.
struct Outcome {
  TransferCode code = TransferCode::Failed;
  std::string error;   ///< the library's short message for the failure
  std::string detail;  ///< its detailed message, when it has one
  int status = 0;
  TransportHeaders headers;  ///< names lower-cased, of the last response
  std::string body;
};

/// A pool of connections (and TLS sessions) reused across transfers.
/// perform() is thread-safe and never throws.
class Transport {
 public:
  virtual ~Transport() = default;
  /// Sends `exchange` and waits for the answer.
  virtual Outcome perform(const Exchange& exchange) = 0;
};

/// The table a transport module exports through its entry point.
struct TransportModule {
  int abi;  ///< kTransportAbi of the module's build
  /// A new transport; null when the library cannot create one.
  Transport* (*make_transport)();
};

/// Bumped whenever Exchange, Outcome, Transport or TransportModule change.
inline constexpr int kTransportAbi = 1;
/// The module's file name and entry point, and the variable naming its path.
inline constexpr const char* kCurlModuleFile = "thaiyyal-http-curl.so";
inline constexpr const char* kCurlModuleEntry = "thaiyyal_http_curl_module";
inline constexpr const char* kCurlModuleEnv = "THAIYYAL_HTTP_MODULE";

/// A new libcurl transport; loads the module on first use (once, thread-safe).
/// Throws dynload::LoadError (one line: the paths tried and why) when the
/// module cannot be loaded.
std::unique_ptr<Transport> make_curl_transport();

}  // namespace thaiyyal::http
