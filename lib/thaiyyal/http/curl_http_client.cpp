// The workflow HTTP client: the network policy on every hop, redirects and
// credentials, over a Transport loaded on the first request.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <mutex>
#include <vector>

#include "thaiyyal/dynload/dynload.h"
#include "thaiyyal/http/http_client.h"
#include "thaiyyal/http/transport.h"

namespace thaiyyal::http {

const std::string* Response::header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k == name) return &v;
  }
  return nullptr;
}

namespace {

class CurlClient final : public HttpClient {
 public:
  CurlClient(Resolver resolver, bool insecure)
      : resolver_(std::move(resolver)), insecure_(insecure) {}

  Response send(const Request& req, const NetworkPolicy& policy) override {
    std::string error;
    auto url = parse_url(req.url, &error);
    if (!url) throw HttpError("invalid URL: " + error, true);
    Response res;
    const auto start = std::chrono::steady_clock::now();
    std::string method = req.method;
    bool send_body = req.has_body;
    Headers headers = req.headers;
    const Url origin = *url;
    bool left_origin = false;
    for (int hop = 0;; ++hop) {
      const Admission adm = admit(*url, policy, resolver_);
      if (adm.error) {
        throw HttpError(
            (hop == 0 ? "URL validation failed: " : "redirect URL validation failed: ") +
                *adm.error,
            true);
      }
      try {
        res = perform(*url, adm.addresses.front(), req, headers, method, send_body, start);
      } catch (const HttpError& e) {
        if (hop == 0 || e.aborted()) throw;
        // Say where the chain broke (without the query, which may carry secrets).
        std::string where = url->text();
        where = where.substr(0, where.find('?'));
        throw HttpError("after a redirect to " + where + ": " + e.what(), e.blocked());
      }
      const bool redirect = res.status == 301 || res.status == 302 || res.status == 303 ||
                            res.status == 307 || res.status == 308;
      const std::string* location = res.header("location");
      if (!redirect || !location || !req.follow_redirects) break;
      if (hop >= req.max_redirects) {
        throw HttpError("too many redirects (max " + std::to_string(req.max_redirects) + ")");
      }
      auto next = resolve_location(*url, *location);
      if (!next) throw HttpError("invalid redirect location: " + *location);
      url = std::move(next);
      if (!left_origin && (url->scheme != origin.scheme || url->host != origin.host ||
                           url->effective_port() != origin.effective_port())) {
        // Credentials are for the origin they were configured for.
        left_origin = true;
        headers.erase(std::remove_if(headers.begin(), headers.end(),
                                     [&](const auto& h) { return is_sensitive(h.first, req); }),
                      headers.end());
      }
      if (res.status == 303 || ((res.status == 301 || res.status == 302) && method == "POST")) {
        method = method == "HEAD" ? "HEAD" : "GET";
        send_body = false;
      }
    }
    res.final_url = url->text();
    res.duration = std::chrono::steady_clock::now() - start;
    return res;
  }

 private:
  /// The transport, created (and the module loaded) by the first request.
  Transport& transport() {
    std::call_once(transport_once_, [this] {
      try {
        transport_ = make_curl_transport();
      } catch (const dynload::LoadError& e) {
        load_error_ = e.what();
      }
    });
    if (!transport_) throw HttpError(load_error_);
    return *transport_;
  }

  static bool is_sensitive(const std::string& name, const Request& req) {
    const std::string n = ascii_lower(name);
    return n == "authorization" || n == "proxy-authorization" || n == "cookie" ||
           std::find(req.sensitive_headers.begin(), req.sensitive_headers.end(), n) !=
               req.sensitive_headers.end();
  }

  Response perform(const Url& url, const IpAddress& addr, const Request& req,
                   const Headers& headers, const std::string& method, bool send_body,
                   std::chrono::steady_clock::time_point start) {
    Transport& transport = this->transport();
    Exchange ex;
    ex.method = method;
    ex.url = url.text();
    // Pin the connection to the address that passed the policy.
    ex.pin = (url.host_is_ipv6 ? "[" + url.host + "]" : url.host) + ":" +
             std::to_string(url.effective_port()) + ":" +
             (addr.v4 ? addr.text() : "[" + addr.text() + "]");
    ex.headers = headers;
    if (send_body) {
      ex.body = req.body;
      ex.has_body = true;
    }
    const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
    ex.timeout_ms = static_cast<long>(std::max<std::int64_t>(1, (req.timeout - elapsed).count()));
    ex.max_body = req.max_response_size;
    ex.verify_tls = !insecure_;
    ex.decompress = true;
    // The transport module may run on another copy of the C++ runtime: no
    // exception may reach it.
    const std::function<bool()> should_abort = [&req]() noexcept {
      try {
        return req.should_abort && req.should_abort();
      } catch (...) {
        return true;
      }
    };
    ex.should_abort = &should_abort;
    Outcome out = transport.perform(ex);
    switch (out.code) {
      case TransferCode::Ok:
        break;
      case TransferCode::TooLarge:
        throw HttpError("response too large (exceeds " + std::to_string(req.max_response_size) +
                        " bytes limit)");
      case TransferCode::Aborted:
        throw HttpError("request aborted", false, true);
      case TransferCode::TimedOut:
        throw HttpError("timed out after " + std::to_string(req.timeout.count()) + "ms");
      case TransferCode::Failed:
        throw HttpError(out.error);
    }
    Response res;
    res.status = out.status;
    res.headers = std::move(out.headers);
    res.body = std::move(out.body);
    return res;
  }

  Resolver resolver_;
  bool insecure_;
  std::once_flag transport_once_;
  std::unique_ptr<Transport> transport_;
  std::string load_error_;
};

}  // namespace

std::shared_ptr<HttpClient> make_curl_client(Resolver resolver, bool insecure) {
  return std::make_shared<CurlClient>(std::move(resolver), insecure);
}

}  // namespace thaiyyal::http
