#include "thaiyyal/metrics/metrics.h"

#include <curl/curl.h>
#include <dirent.h>
#include <fcntl.h>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>

namespace thaiyyal::metrics {

namespace {

using prometheus::Counter;
using prometheus::Family;
using prometheus::Gauge;
using prometheus::Histogram;
using prometheus::Labels;

const Histogram::BucketBoundaries& ms_buckets() {
  static const Histogram::BucketBoundaries b{0,   5,   10,   25,   50,   75,   100,  250,
                                             500, 750, 1000, 2500, 5000, 7500, 10000};
  return b;
}

const Histogram::BucketBoundaries& node_count_buckets() {
  static const Histogram::BucketBoundaries b{1, 2, 5, 10, 20, 50, 100, 200, 500, 1000};
  return b;
}

const Histogram::BucketBoundaries& seconds_buckets() {
  static const Histogram::BucketBoundaries b{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
                                             1,     2.5,  5,     10,   30,  60};
  return b;
}

/// Whole milliseconds, truncated; never negative.
double whole_ms(std::chrono::nanoseconds elapsed) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count();
  return ms < 0 ? 0.0 : static_cast<double>(ms);
}

double seconds(std::chrono::nanoseconds elapsed) {
  const double s = std::chrono::duration<double>(elapsed).count();
  return s < 0 ? 0.0 : s;
}

/// The request method as a bounded label: a standard method, upper-cased,
/// or "OTHER".
std::string method_label(std::string_view method) {
  std::string m(method);
  for (auto& c : m) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  static const std::array<std::string_view, 9> known{
      "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "CONNECT", "TRACE"};
  for (auto k : known) {
    if (m == k) return m;
  }
  return "OTHER";
}

/// http_calls_total{status_code}: the status for answered calls, otherwise
/// the outcome word.
std::string status_label(const engine::HttpCall& call) {
  if (call.outcome == "ok") return std::to_string(call.status);
  if (call.outcome == "blocked" || call.outcome == "timeout" || call.outcome == "aborted") {
    return std::string(call.outcome);
  }
  return "error";
}

/// Why the network policy refused a call, from its message. The key phrases
/// contain spaces, which hosts and URL paths in the message cannot.
std::string ssrf_reason(std::string_view error) {
  auto has = [&](std::string_view s) { return error.find(s) != std::string_view::npos; };
  if (has("domain not in")) return "domain";
  if (has("URL scheme not allowed") || has("missing protocol scheme") || has("invalid scheme")) {
    return "scheme";
  }
  if (has("could not resolve host")) return "dns";
  if (has("localhost addresses are blocked")) return "loopback";
  if (has("private IP addresses are blocked")) return "private";
  if (has("link-local addresses are blocked")) return "link_local";
  if (has("cloud metadata endpoints are blocked")) return "metadata";
  return "other";
}

/// Every family of the registry, built up front: a family with no series is
/// left out of the exposition, so none shows until its first use.
struct Families {
  explicit Families(prometheus::Registry& r)
      : wf_total(counter(r, "workflow_executions_total", "Workflow runs.")),
        wf_success(
            counter(r, "workflow_executions_success_total", "Workflow runs that succeeded.")),
        wf_failure(counter(r, "workflow_executions_failure_total", "Workflow runs that failed.")),
        wf_duration(histogram(r, "workflow_execution_duration_milliseconds",
                              "Workflow run time in whole milliseconds.")),
        wf_nodes(histogram(r, "workflow_nodes_executed", "Nodes run per workflow run.")),
        node_total(counter(r, "node_executions_total", "Node executions.")),
        node_success(
            counter(r, "node_executions_success_total", "Node executions that succeeded.")),
        node_failure(counter(r, "node_executions_failure_total", "Node executions that failed.")),
        node_duration(histogram(r, "node_execution_duration_milliseconds",
                                "Node execution time in whole milliseconds.")),
        http_calls(counter(r, "http_calls_total", "Outbound HTTP request attempts of http nodes.")),
        http_duration(histogram(r, "http_call_duration_milliseconds",
                                "Outbound HTTP request time in whole milliseconds.")),
        limit_exceeded(counter(r, "thaiyyal_execution_limit_exceeded_total",
                               "Workflow runs stopped by an execution limit.")),
        ssrf_blocked(counter(r, "thaiyyal_ssrf_blocked_total",
                             "Outbound HTTP requests refused by the network policy.")),
        in_flight(prometheus::BuildGauge()
                      .Name("thaiyyal_executions_in_flight")
                      .Help("Workflow runs in progress.")
                      .Register(r)),
        requests(counter(r, "thaiyyal_http_requests_total", "Answered server requests.")),
        request_duration(histogram(r, "thaiyyal_http_request_duration_seconds",
                                   "Server request time in seconds.")),
        registry_workflows(gauge(r, "thaiyyal_registry_workflows", "Saved workflows.")),
        registry_clients(gauge(r, "thaiyyal_registry_http_clients", "Registered HTTP clients.")),
        history_queue(gauge(r, "thaiyyal_history_queue_rows",
                            "Execution-history rows waiting to be written.")),
        history_written(counter(r, "thaiyyal_history_rows_written_total",
                                "Execution-history rows written to the store.")),
        history_failures(counter(r, "thaiyyal_history_write_failures_total",
                                 "Execution-history rows not recorded, by reason.")),
        build_info(prometheus::BuildGauge()
                       .Name("thaiyyal_build_info")
                       .Help("Version and commit of this build; always 1.")
                       .Register(r)) {}

  static Family<Counter>& counter(prometheus::Registry& r, const char* name, const char* help) {
    return prometheus::BuildCounter().Name(name).Help(help).Register(r);
  }
  static Family<Gauge>& gauge(prometheus::Registry& r, const char* name, const char* help) {
    return prometheus::BuildGauge().Name(name).Help(help).Register(r);
  }
  static Family<Histogram>& histogram(prometheus::Registry& r, const char* name, const char* help) {
    return prometheus::BuildHistogram().Name(name).Help(help).Register(r);
  }

  Family<Counter>& wf_total;
  Family<Counter>& wf_success;
  Family<Counter>& wf_failure;
  Family<Histogram>& wf_duration;
  Family<Histogram>& wf_nodes;
  Family<Counter>& node_total;
  Family<Counter>& node_success;
  Family<Counter>& node_failure;
  Family<Histogram>& node_duration;
  Family<Counter>& http_calls;
  Family<Histogram>& http_duration;
  Family<Counter>& limit_exceeded;
  Family<Counter>& ssrf_blocked;
  Family<Gauge>& in_flight;
  Family<Counter>& requests;
  Family<Histogram>& request_duration;
  Family<Gauge>& registry_workflows;
  Family<Gauge>& registry_clients;
  Family<Gauge>& history_queue;
  Family<Counter>& history_written;
  Family<Counter>& history_failures;
  Family<Gauge>& build_info;
};

/// Records the run, node and HTTP-call families for one trigger label. Holds
/// no per-run state; prometheus-cpp's families and metrics are thread-safe.
class RunObserver final : public engine::Observer {
 public:
  RunObserver(Families& f, std::string trigger) : f_(f), trigger_(std::move(trigger)) {}

  void on_node_success(const engine::RunInfo&, const engine::NodeInfo& node,
                       std::chrono::nanoseconds elapsed, const Value&) override {
    node_end(node, elapsed, f_.node_success);
  }

  void on_node_failure(const engine::RunInfo&, const engine::NodeInfo& node,
                       std::chrono::nanoseconds elapsed, std::string_view) override {
    node_end(node, elapsed, f_.node_failure);
  }

  void on_workflow_end(const engine::RunInfo&, const engine::RunEnd& end) override {
    const Labels labels{{"trigger", trigger_}};
    f_.wf_total.Add(labels).Increment();
    (end.success ? f_.wf_success : f_.wf_failure).Add(labels).Increment();
    f_.wf_duration.Add(labels, ms_buckets()).Observe(whole_ms(end.elapsed));
    f_.wf_nodes.Add(labels, node_count_buckets()).Observe(static_cast<double>(end.nodes_executed));
    if (!end.limit.empty()) {
      f_.limit_exceeded.Add({{"limit", std::string(end.limit)}}).Increment();
    }
  }

  void on_http_call(const engine::RunInfo&, const engine::NodeInfo&,
                    const engine::HttpCall& call) override {
    const Labels labels{{"method", method_label(call.method)},
                        {"status_code", status_label(call)},
                        {"client_uid", std::string(call.client_uid)}};
    f_.http_calls.Add(labels).Increment();
    f_.http_duration.Add(labels, ms_buckets()).Observe(whole_ms(call.elapsed));
    if (call.outcome == "blocked") {
      f_.ssrf_blocked.Add({{"reason", ssrf_reason(call.error)}}).Increment();
    }
  }

 private:
  void node_end(const engine::NodeInfo& node, std::chrono::nanoseconds elapsed,
                Family<Counter>& outcome) {
    const Labels labels{{"node_type", std::string(node.node_type)}};
    f_.node_total.Add(labels).Increment();
    outcome.Add(labels).Increment();
    f_.node_duration.Add(labels, ms_buckets()).Observe(whole_ms(elapsed));
  }

  Families& f_;
  const std::string trigger_;
};

// ---- process_* -------------------------------------------------------------

std::optional<std::string> read_file(const char* path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream os;
  os << in.rdbuf();
  return os.str();
}

prometheus::MetricFamily single(std::string name, std::string help, prometheus::MetricType type,
                                double value) {
  prometheus::MetricFamily fam;
  fam.name = std::move(name);
  fam.help = std::move(help);
  fam.type = type;
  prometheus::ClientMetric m;
  if (type == prometheus::MetricType::Counter) {
    m.counter.value = value;
  } else {
    m.gauge.value = value;
  }
  fam.metric.push_back(std::move(m));
  return fam;
}

/// The boot time in seconds since the epoch (the btime line of /proc/stat).
std::optional<double> boot_time() {
  const auto stat = read_file("/proc/stat");
  if (!stat) return std::nullopt;
  std::istringstream in(*stat);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("btime ", 0) == 0) return std::strtod(line.c_str() + 6, nullptr);
  }
  return std::nullopt;
}

std::optional<double> open_fds() {
  DIR* dir = opendir("/proc/self/fd");
  if (!dir) return std::nullopt;
  double n = 0;
  while (const dirent* e = readdir(dir)) {
    if (e->d_name[0] != '.') ++n;
  }
  closedir(dir);
  return n;
}

/// The process collector's families, read now; any that cannot be read are
/// left out.
void append_process(std::vector<prometheus::MetricFamily>& out) {
  using prometheus::MetricType;
  if (const auto stat = read_file("/proc/self/stat")) {
    // Fields after the command name, which is in parentheses and may hold
    // spaces: [0] is field 3 (state), so field N is [N - 3].
    const auto close = stat->rfind(')');
    if (close != std::string::npos) {
      std::istringstream in(stat->substr(close + 1));
      std::vector<std::string> f;
      for (std::string t; in >> t;) f.push_back(std::move(t));
      if (f.size() > 21) {
        const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
        const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
        const double utime = std::strtod(f[14 - 3].c_str(), nullptr);
        const double stime = std::strtod(f[15 - 3].c_str(), nullptr);
        const double start = std::strtod(f[22 - 3].c_str(), nullptr);
        const double vsize = std::strtod(f[23 - 3].c_str(), nullptr);
        const double rss = std::strtod(f[24 - 3].c_str(), nullptr);
        if (ticks > 0) {
          out.push_back(single("process_cpu_seconds_total",
                               "Total user and system CPU time spent in seconds.",
                               MetricType::Counter, (utime + stime) / ticks));
        }
        out.push_back(single("process_resident_memory_bytes", "Resident memory size in bytes.",
                             MetricType::Gauge, rss * page));
        out.push_back(single("process_virtual_memory_bytes", "Virtual memory size in bytes.",
                             MetricType::Gauge, vsize));
        if (const auto btime = boot_time(); btime && ticks > 0) {
          out.push_back(single("process_start_time_seconds",
                               "Start time of the process since the Unix epoch in seconds.",
                               MetricType::Gauge, *btime + start / ticks));
        }
      }
    }
  }
  if (const auto fds = open_fds()) {
    out.push_back(
        single("process_open_fds", "Number of open file descriptors.", MetricType::Gauge, *fds));
  }
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) == 0) {
    const double max = lim.rlim_cur == RLIM_INFINITY ? -1.0 : static_cast<double>(lim.rlim_cur);
    if (max >= 0) {
      out.push_back(single("process_max_fds", "Maximum number of open file descriptors.",
                           MetricType::Gauge, max));
    }
  }
}

}  // namespace

struct Metrics::Impl {
  explicit Impl(MetricsOptions o) : options(std::move(o)), families(registry) {
    families.build_info
        .Add({{"version", options.version},
              {"commit", options.commit.empty() ? std::string("unknown") : options.commit}})
        .Set(1);
  }

  MetricsOptions options;
  prometheus::Registry registry;
  Families families;
  std::mutex observers_mutex;
  std::map<std::string, std::unique_ptr<RunObserver>, std::less<>> observers;
};

Metrics::Metrics(MetricsOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

Metrics::~Metrics() = default;

engine::Observer& Metrics::observer(std::string_view trigger) {
  std::lock_guard<std::mutex> lock(impl_->observers_mutex);
  auto it = impl_->observers.find(trigger);
  if (it == impl_->observers.end()) {
    it = impl_->observers
             .emplace(std::string(trigger),
                      std::make_unique<RunObserver>(impl_->families, std::string(trigger)))
             .first;
  }
  return *it->second;
}

void Metrics::record_request(std::string_view method, std::string_view route, int status,
                             std::chrono::nanoseconds elapsed) {
  Families& f = impl_->families;
  const std::string m = method_label(method);
  f.requests.Add({{"method", m}, {"route", std::string(route)}, {"code", std::to_string(status)}})
      .Increment();
  f.request_duration.Add({{"method", m}, {"route", std::string(route)}}, seconds_buckets())
      .Observe(seconds(elapsed));
}

void Metrics::add_in_flight(int delta) {
  Gauge& g = impl_->families.in_flight.Add({});
  if (delta >= 0) {
    g.Increment(static_cast<double>(delta));
  } else {
    g.Decrement(-static_cast<double>(delta));
  }
}

void Metrics::set_registry_sizes(std::size_t workflows, std::size_t http_clients) {
  impl_->families.registry_workflows.Add({}).Set(static_cast<double>(workflows));
  impl_->families.registry_clients.Add({}).Set(static_cast<double>(http_clients));
}

void Metrics::record_history_rows(std::size_t written, std::size_t failed, std::size_t dropped) {
  Families& f = impl_->families;
  // Every series is created at the first call, so a scrape shows zeros
  // rather than no series before the first failure.
  f.history_written.Add({}).Increment(static_cast<double>(written));
  f.history_failures.Add({{"reason", "storage"}}).Increment(static_cast<double>(failed));
  f.history_failures.Add({{"reason", "queue_full"}}).Increment(static_cast<double>(dropped));
}

void Metrics::set_history_queue(std::size_t queued) {
  impl_->families.history_queue.Add({}).Set(static_cast<double>(queued));
}

std::string Metrics::text() const {
  auto families = impl_->registry.Collect();
  if (impl_->options.process) append_process(families);
  std::ostringstream os;
  os.imbue(std::locale::classic());
  prometheus::TextSerializer().Serialize(os, families);
  return os.str();
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

size_t collect_body(char* data, size_t size, size_t n, void* user) {
  auto* body = static_cast<std::string*>(user);
  const size_t len = size * n;
  if (body->size() < 4096) body->append(data, std::min(len, 4096 - body->size()));
  return len;
}

std::once_flag g_curl_init;

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
  std::call_once(g_curl_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  CURL* curl = curl_easy_init();
  if (!curl) {
    error = "cannot create an HTTP handle";
    return false;
  }
  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, "Content-Type: text/plain; version=0.0.4");
  headers = curl_slist_append(headers, "Expect:");
  std::string answer;
  char curl_error[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(curl, CURLOPT_URL, target.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, "PUT");
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, curl_error);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &collect_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer);
  if (timeout.count() > 0) {
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  }
  const CURLcode rc = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK) {
    const std::string what = curl_error[0] ? curl_error : curl_easy_strerror(rc);
    error = redact("cannot push to the pushgateway: " + what, userinfo);
    return false;
  }
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
