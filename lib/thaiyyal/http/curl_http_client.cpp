#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <mutex>
#include <vector>

#include "thaiyyal/http/http_client.h"

namespace thaiyyal::http {

const std::string* Response::header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k == name) return &v;
  }
  return nullptr;
}

namespace {

std::once_flag g_curl_init;

struct Transfer {
  std::string body;
  Headers headers;
  std::size_t max_size = 0;
  bool too_large = false;
  const std::function<bool()>* should_abort = nullptr;
  bool aborted = false;
};

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::size_t len = size * n;
  if (t->body.size() + len > t->max_size) {
    t->too_large = true;
    return 0;  // aborts the transfer
  }
  t->body.append(data, len);
  return len;
}

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::size_t len = size * n;
  std::string_view line(data, len);
  if (line.substr(0, 5) == "HTTP/") {
    t->headers.clear();  // a new response (after 100-continue)
    return len;
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos) return len;
  std::string name(line.substr(0, colon));
  for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) {
    value.remove_suffix(1);
  }
  t->headers.emplace_back(std::move(name), std::string(value));
  return len;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* t = static_cast<Transfer*>(user);
  if (t->should_abort && *t->should_abort && (*t->should_abort)()) {
    t->aborted = true;
    return 1;
  }
  return 0;
}

class CurlClient final : public HttpClient {
 public:
  CurlClient(Resolver resolver, bool insecure)
      : resolver_(std::move(resolver)), insecure_(insecure) {
    std::call_once(g_curl_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    share_ = curl_share_init();
    curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
    curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
    curl_share_setopt(share_, CURLSHOPT_LOCKFUNC, &CurlClient::lock);
    curl_share_setopt(share_, CURLSHOPT_UNLOCKFUNC, &CurlClient::unlock);
    curl_share_setopt(share_, CURLSHOPT_USERDATA, this);
  }
  ~CurlClient() override { curl_share_cleanup(share_); }

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
  static void lock(CURL*, curl_lock_data data, curl_lock_access, void* user) {
    static_cast<CurlClient*>(user)->locks_[data % kLocks].lock();
  }
  static void unlock(CURL*, curl_lock_data data, void* user) {
    static_cast<CurlClient*>(user)->locks_[data % kLocks].unlock();
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
    CURL* curl = curl_easy_init();
    if (!curl) throw HttpError("could not create an HTTP handle");
    struct Cleanup {
      CURL* c;
      curl_slist* resolve = nullptr;
      curl_slist* headers = nullptr;
      ~Cleanup() {
        curl_slist_free_all(resolve);
        curl_slist_free_all(headers);
        curl_easy_cleanup(c);
      }
    } cleanup{curl};
    Transfer t;
    t.max_size = req.max_response_size;
    t.should_abort = &req.should_abort;
    const std::string full = url.text();
    // Pin the connection to the address that passed the policy.
    const std::string pin = (url.host_is_ipv6 ? "[" + url.host + "]" : url.host) + ":" +
                            std::to_string(url.effective_port()) + ":" +
                            (addr.v4 ? addr.text() : "[" + addr.text() + "]");
    cleanup.resolve = curl_slist_append(nullptr, pin.c_str());
    curl_easy_setopt(curl, CURLOPT_URL, full.c_str());
    curl_easy_setopt(curl, CURLOPT_RESOLVE, cleanup.resolve);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_SHARE, share_);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, insecure_ ? 0L : 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, insecure_ ? 0L : 2L);
    curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
    const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
    const long remaining =
        static_cast<long>(std::max<std::int64_t>(1, (req.timeout - elapsed).count()));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, remaining);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &t);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "thaiyyal");
    curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
    if (method == "HEAD") {
      curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    } else if (method != "GET") {
      curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
    }
    if (send_body) {
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, req.body.data());
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
      if (method == "GET") curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, "GET");
    }
    for (const auto& [k, v] : headers) {
      cleanup.headers = curl_slist_append(cleanup.headers, (k + ": " + v).c_str());
    }
    if (send_body) cleanup.headers = curl_slist_append(cleanup.headers, "Expect:");
    if (cleanup.headers) curl_easy_setopt(curl, CURLOPT_HTTPHEADER, cleanup.headers);
    const CURLcode rc = curl_easy_perform(curl);
    if (t.too_large) {
      throw HttpError("response too large (exceeds " + std::to_string(req.max_response_size) +
                      " bytes limit)");
    }
    if (t.aborted) throw HttpError("request aborted", false, true);
    if (rc != CURLE_OK) {
      std::string what = curl_easy_strerror(rc);
      if (rc == CURLE_OPERATION_TIMEDOUT) {
        what = "timed out after " + std::to_string(req.timeout.count()) + "ms";
      }
      throw HttpError(what);
    }
    Response res;
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    res.status = static_cast<int>(status);
    res.headers = std::move(t.headers);
    res.body = std::move(t.body);
    return res;
  }

  static constexpr int kLocks = 8;
  Resolver resolver_;
  bool insecure_;
  CURLSH* share_;
  std::mutex locks_[kLocks];
};

}  // namespace

std::shared_ptr<HttpClient> make_curl_client(Resolver resolver, bool insecure) {
  return std::make_shared<CurlClient>(std::move(resolver), insecure);
}

}  // namespace thaiyyal::http
