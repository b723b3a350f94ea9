#include "thaiyyal/metrics/metrics.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "thaiyyal/dynload/dynload.h"
#include "thaiyyal/http/transport.h"
#include "thaiyyal/metrics/backend.h"

namespace thaiyyal::metrics {

namespace {

const MetricsModule& metrics_module() {
  // Initialized once; a failed load throws and is retried by the next call.
  static const MetricsModule& module = []() -> const MetricsModule& {
    using Entry = const MetricsModule* (*)();
    void* symbol = dynload::load_module_entry(kMetricsModuleFile, kMetricsModuleEnv,
                                              kMetricsModuleEntry, "the metrics module");
    const MetricsModule* table = reinterpret_cast<Entry>(symbol)();
    if (table == nullptr || table->abi != kMetricsAbi || table->make_backend == nullptr) {
      throw dynload::LoadError(std::string("cannot load the metrics module: ") +
                               kMetricsModuleFile + " is from another version of thaiyyal");
    }
    return *table;
  }();
  return module;
}

}  // namespace

struct Metrics::Impl {
  std::unique_ptr<MetricsBackend> backend;
};

Metrics::Metrics(MetricsOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->backend.reset(metrics_module().make_backend(options));
  if (!impl_->backend) throw dynload::LoadError("the metrics module could not create a registry");
}

Metrics::~Metrics() = default;

engine::Observer& Metrics::observer(std::string_view trigger) {
  return impl_->backend->observer(trigger);
}

void Metrics::record_request(std::string_view method, std::string_view route, int status,
                             std::chrono::nanoseconds elapsed) {
  impl_->backend->record_request(method, route, status, elapsed);
}

void Metrics::add_in_flight(int delta) { impl_->backend->add_in_flight(delta); }

void Metrics::set_registry_sizes(std::size_t workflows, std::size_t http_clients) {
  impl_->backend->set_registry_sizes(workflows, http_clients);
}

void Metrics::record_history_rows(std::size_t written, std::size_t failed, std::size_t dropped) {
  impl_->backend->record_history_rows(written, failed, dropped);
}

void Metrics::set_history_queue(std::size_t queued) { impl_->backend->set_history_queue(queued); }

std::string Metrics::text() const {
  std::string out;
  std::string error;
  if (!impl_->backend->text(out, error)) throw std::runtime_error(error);
  return out;
}

// ---- write_text_file ---------------------------------------------------------

bool write_text_file(const Metrics& metrics, const std::string& path, std::string& error) {
  auto fail = [&](const std::string& what, int err) {
    error = what + " " + path + ": " + std::strerror(err);
    return false;
  };
  std::string text;
  try {
    text = metrics.text();
  } catch (const std::exception& e) {
    error = std::string("cannot collect metrics: ") + e.what();
    return false;
  }
  // The temporary name does not end in .prom, so the textfile collector
  // never reads a half-written file.
  std::string tmp = path + ".tmp.XXXXXX";
  const int fd = mkstemp(tmp.data());
  if (fd < 0) return fail("cannot create a temporary file for", errno);
  auto abandon = [&](const char* what) {
    const int err = errno;
    close(fd);
    unlink(tmp.c_str());
    return fail(what, err);
  };
  if (fchmod(fd, 0644) != 0) return abandon("cannot set the mode of the file for");
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return abandon("cannot write");
    }
    done += static_cast<std::size_t>(n);
  }
  if (fsync(fd) != 0) return abandon("cannot sync");
  if (close(fd) != 0) {
    const int err = errno;
    unlink(tmp.c_str());
    return fail("cannot write", err);
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    unlink(tmp.c_str());
    return fail("cannot rename the temporary file to", err);
  }
  return true;
}

// ---- push_to_gateway ---------------------------------------------------------

namespace {

std::string percent_encode(std::string_view s) {
  static const char* const hex = "0123456789ABCDEF";
  std::string out;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += ch;
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

/// RFC 4648 §5 base64 (URL- and filename-safe alphabet), padded; "=" for
/// the empty string, as the Pushgateway expects.
std::string base64url(std::string_view s) {
  if (s.empty()) return "=";
  static const char* const abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < s.size(); i += 3) {
    const std::uint32_t v = (std::uint32_t{static_cast<unsigned char>(s[i])} << 16) |
                            (std::uint32_t{static_cast<unsigned char>(s[i + 1])} << 8) |
                            std::uint32_t{static_cast<unsigned char>(s[i + 2])};
    out += abc[(v >> 18) & 63];
    out += abc[(v >> 12) & 63];
    out += abc[(v >> 6) & 63];
    out += abc[v & 63];
  }
  if (const std::size_t rest = s.size() - i; rest > 0) {
    std::uint32_t v = std::uint32_t{static_cast<unsigned char>(s[i])} << 16;
    if (rest == 2) v |= std::uint32_t{static_cast<unsigned char>(s[i + 1])} << 8;
    out += abc[(v >> 18) & 63];
    out += abc[(v >> 12) & 63];
    out += rest == 2 ? abc[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

bool valid_label_name(std::string_view s) {
  if (s.empty()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (!(std::isalpha(c) || c == '_' || (i > 0 && std::isdigit(c)))) return false;
  }
  return true;
}

/// "/<name>/<value>" or "/<name>@base64/<value>" of a grouping key.
std::string group_segment(std::string_view name, std::string_view value) {
  if (value.empty() || value.find('/') != std::string_view::npos) {
    return "/" + std::string(name) + "@base64/" + base64url(value);
  }
  return "/" + std::string(name) + "/" + percent_encode(value);
}

/// `text` with every occurrence of `secret` replaced.
std::string redact(std::string text, const std::string& secret) {
  if (secret.empty()) return text;
  for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at + 3)) {
    text.replace(at, secret.size(), "***");
  }
  return text;
}

bool push(const Metrics& metrics, const std::string& url, const std::string& job,
          const std::vector<std::pair<std::string, std::string>>& grouping,
          std::chrono::milliseconds timeout, std::string& error) {
  const auto scheme_end = url.find("://");
  std::string scheme = scheme_end == std::string::npos ? "" : url.substr(0, scheme_end);
  for (auto& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (scheme != "http" && scheme != "https") {
    error = "pushgateway URL must start with http:// or https://";
    return false;
  }
  // The userinfo of the URL, kept out of every message.
  std::string userinfo;
  {
    const auto auth_start = scheme_end + 3;
    const auto auth_end = url.find_first_of("/?#", auth_start);
    const std::string authority = url.substr(auth_start, auth_end - auth_start);
    if (const auto at = authority.rfind('@'); at != std::string::npos) {
      userinfo = authority.substr(0, at);
    }
  }
  if (url.find_first_of("?#", scheme_end) != std::string::npos) {
    error = "pushgateway URL must not have a query or fragment";
    return false;
  }
  if (job.empty()) {
    error = "pushgateway job name is empty";
    return false;
  }
  std::string target = url;
  while (!target.empty() && target.back() == '/') target.pop_back();
  target += "/metrics" + group_segment("job", job);
  for (const auto& [name, value] : grouping) {
    if (!valid_label_name(name) || name == "job") {
      error = "invalid pushgateway grouping label name: \"" + name + "\"";
      return false;
    }
    target += group_segment(name, value);
  }

  const std::string body = metrics.text();
  std::unique_ptr<http::Transport> transport;
  try {
    transport = http::make_curl_transport();
  } catch (const std::exception& e) {
    error = std::string("cannot push to the pushgateway: ") + e.what();
    return false;
  }
  http::Exchange ex;
  ex.method = "PUT";
  ex.url = target;
  ex.headers = {{"Content-Type", "text/plain; version=0.0.4"}};
  ex.body = body;
  ex.has_body = true;
  if (timeout.count() > 0) ex.timeout_ms = static_cast<long>(timeout.count());
  ex.max_body = 4096;
  ex.truncate_body = true;
  http::Outcome out = transport->perform(ex);
  if (out.code != http::TransferCode::Ok) {
    const std::string& what = out.detail.empty() ? out.error : out.detail;
    error = redact("cannot push to the pushgateway: " + what, userinfo);
    return false;
  }
  const long status = out.status;
  std::string& answer = out.body;
  if (status < 200 || status > 299) {
    answer.resize(std::min<std::size_t>(answer.size(), 200));
    while (!answer.empty() && std::isspace(static_cast<unsigned char>(answer.back()))) {
      answer.pop_back();
    }
    error = redact("pushgateway answered " + std::to_string(status) + ": " + answer, userinfo);
    return false;
  }
  return true;
}

}  // namespace

bool push_to_gateway(const Metrics& metrics, const std::string& url, const std::string& job,
                     const std::vector<std::pair<std::string, std::string>>& grouping,
                     std::chrono::milliseconds timeout, std::string& error) {
  try {
    return push(metrics, url, job, grouping, timeout, error);
  } catch (const std::exception& e) {
    error = std::string("cannot push to the pushgateway: ") + e.what();
  } catch (...) {
    error = "cannot push to the pushgateway";
  }
  return false;
}

}  // namespace thaiyyal::metrics
