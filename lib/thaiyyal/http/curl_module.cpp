// The libcurl transport module (thaiyyal-http-curl.so): the only code that
// includes curl. It is loaded by make_curl_transport() on the first transfer
// and exports one extern "C" entry point.
#include <curl/curl.h>

#include <cctype>
#include <mutex>
#include <string>

#include "thaiyyal/http/transport.h"

namespace thaiyyal::http {
namespace {

std::once_flag g_curl_init;
bool g_curl_ready = false;

/// What the callbacks of one transfer share.
struct Transfer {
  std::string body;
  TransportHeaders headers;
  std::size_t max_size = 0;
  bool truncate = false;
  bool too_large = false;
  const std::function<bool()>* should_abort = nullptr;
  bool aborted = false;
};

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::size_t len = size * n;
  if (len > t->max_size - t->body.size()) {
    if (t->truncate) {
      t->body.append(data, t->max_size - t->body.size());
      return len;  // the rest is read and dropped
    }
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

class CurlTransport final : public Transport {
 public:
  explicit CurlTransport(CURLSH* share) : share_(share) {
    curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
    curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
    curl_share_setopt(share_, CURLSHOPT_LOCKFUNC, &CurlTransport::lock);
    curl_share_setopt(share_, CURLSHOPT_UNLOCKFUNC, &CurlTransport::unlock);
    curl_share_setopt(share_, CURLSHOPT_USERDATA, this);
  }
  ~CurlTransport() override { curl_share_cleanup(share_); }
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  Outcome perform(const Exchange& ex) override {
    Outcome out;
    try {
      run(ex, out);
    } catch (const std::exception& e) {
      out = Outcome{};
      out.error = e.what();
    }
    return out;
  }

 private:
  static void lock(CURL*, curl_lock_data data, curl_lock_access, void* user) {
    static_cast<CurlTransport*>(user)->locks_[data % kLocks].lock();
  }
  static void unlock(CURL*, curl_lock_data data, void* user) {
    static_cast<CurlTransport*>(user)->locks_[data % kLocks].unlock();
  }

  void run(const Exchange& ex, Outcome& out) {
    CURL* curl = curl_easy_init();
    if (!curl) {
      out.error = "could not create an HTTP handle";
      return;
    }
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
    t.max_size = ex.max_body;
    t.truncate = ex.truncate_body;
    t.should_abort = ex.should_abort;
    char error_buffer[CURL_ERROR_SIZE] = {};
    curl_easy_setopt(curl, CURLOPT_URL, ex.url.c_str());
    if (!ex.pin.empty()) {
      cleanup.resolve = curl_slist_append(nullptr, ex.pin.c_str());
      curl_easy_setopt(curl, CURLOPT_RESOLVE, cleanup.resolve);
    }
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_SHARE, share_);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, ex.verify_tls ? 1L : 0L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, ex.verify_tls ? 2L : 0L);
    if (!ex.use_proxy) curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
    if (ex.timeout_ms > 0) curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, ex.timeout_ms);
    if (ex.connect_timeout_ms > 0) {
      curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, ex.connect_timeout_ms);
    }
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &t);
    if (ex.should_abort) {
      curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
      curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
      curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &t);
    }
    curl_easy_setopt(curl, CURLOPT_USERAGENT, ex.user_agent.c_str());
    if (ex.decompress) curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
    if (ex.method == "HEAD") {
      curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    } else if (ex.method != "GET" && !(ex.method == "POST" && ex.has_body)) {
      curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, ex.method.c_str());
    }
    if (ex.has_body) {
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, ex.body.data());
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(ex.body.size()));
      if (ex.method == "GET") curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, "GET");
    }
    for (const auto& [k, v] : ex.headers) {
      cleanup.headers = curl_slist_append(cleanup.headers, (k + ": " + v).c_str());
    }
    if (ex.has_body) cleanup.headers = curl_slist_append(cleanup.headers, "Expect:");
    if (cleanup.headers) curl_easy_setopt(curl, CURLOPT_HTTPHEADER, cleanup.headers);

    const CURLcode rc = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    out.status = static_cast<int>(status);
    if (t.too_large) {
      out.code = TransferCode::TooLarge;
    } else if (t.aborted) {
      out.code = TransferCode::Aborted;
    } else if (rc == CURLE_OPERATION_TIMEDOUT) {
      out.code = TransferCode::TimedOut;
    } else if (rc != CURLE_OK) {
      out.code = TransferCode::Failed;
    } else {
      out.code = TransferCode::Ok;
    }
    if (rc != CURLE_OK) {
      out.error = curl_easy_strerror(rc);
      out.detail = error_buffer;
    }
    out.headers = std::move(t.headers);
    out.body = std::move(t.body);
  }

  static constexpr int kLocks = 8;
  CURLSH* share_;
  std::mutex locks_[kLocks];
};

Transport* make_transport() {
  std::call_once(g_curl_init,
                 [] { g_curl_ready = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK; });
  if (!g_curl_ready) return nullptr;
  CURLSH* share = curl_share_init();
  if (share == nullptr) return nullptr;
  try {
    return new CurlTransport(share);
  } catch (...) {
    curl_share_cleanup(share);
    return nullptr;
  }
}

constexpr TransportModule kModule{kTransportAbi, &make_transport};

}  // namespace
}  // namespace thaiyyal::http

/// The module's entry point: its table of functions.
extern "C" __attribute__((visibility("default"))) const thaiyyal::http::TransportModule*
thaiyyal_http_curl_module() {
  return &thaiyyal::http::kModule;
}
