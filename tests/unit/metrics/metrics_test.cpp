#include "thaiyyal/metrics/metrics.h"

#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "thaiyyal/http/network_policy.h"

using namespace thaiyyal;
using namespace std::chrono_literals;
using metrics::Metrics;
using metrics::MetricsOptions;

namespace {

MetricsOptions quiet() {
  MetricsOptions o;
  o.version = "1.2.3";
  o.commit = "abc123";
  o.process = false;
  return o;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

bool has_line(const std::string& text, const std::string& line) {
  for (const auto& l : lines_of(text)) {
    if (l == line) return true;
  }
  return false;
}

/// The value of the sample line starting with `series` followed by a space.
std::optional<double> sample(const std::string& text, const std::string& series) {
  for (const auto& l : lines_of(text)) {
    if (l.size() > series.size() && l.compare(0, series.size(), series) == 0 &&
        l[series.size()] == ' ') {
      return std::strtod(l.c_str() + series.size() + 1, nullptr);
    }
  }
  return std::nullopt;
}

engine::RunInfo run_info() {
  engine::RunInfo r;
  r.execution_id = "exec-1";
  r.workflow_id = "wf-secret-id";
  return r;
}

engine::RunEnd run_end(bool success, std::chrono::nanoseconds elapsed, std::size_t nodes,
                       std::string_view limit = {}) {
  engine::RunEnd e;
  e.success = success;
  e.elapsed = elapsed;
  e.nodes_executed = nodes;
  e.status = success ? "ok" : (limit.empty() ? "failed" : "limit_exceeded");
  e.limit = limit;
  return e;
}

engine::NodeInfo node(std::string_view type) {
  engine::NodeInfo n;
  n.node_id = "node-42";
  n.node_type = type;
  return n;
}

engine::HttpCall call(std::string_view method, std::string_view outcome, int status,
                      std::chrono::nanoseconds elapsed, std::string_view client = {},
                      std::string_view error = {}) {
  engine::HttpCall c;
  c.method = method;
  c.outcome = outcome;
  c.status = status;
  c.elapsed = elapsed;
  c.client_uid = client;
  c.error = error;
  return c;
}

/// A one-shot HTTP server on 127.0.0.1: accepts one connection, reads one
/// request and answers it with `status` and `body` (or, when `hold` is set,
/// holds the connection open without answering until destroyed).
class OneShotServer {
 public:
  OneShotServer(int status, std::string body, bool hold = false)
      : status_(status), body_(std::move(body)), hold_(hold) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd_ >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(::listen(fd_, 1) == 0);
    socklen_t len = sizeof addr;
    REQUIRE(::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
  }

  ~OneShotServer() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    cv_.notify_all();
    ::shutdown(fd_, SHUT_RDWR);
    thread_.join();
    ::close(fd_);
  }

  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  /// The request line, headers (names lower-cased) and body, once served.
  std::string request_line() {
    wait_served();
    return request_line_;
  }
  std::map<std::string, std::string> headers() {
    wait_served();
    return headers_;
  }
  std::string body() {
    wait_served();
    return body_in_;
  }

 private:
  void wait_served() {
    std::unique_lock<std::mutex> lock(mutex_);
    cv_.wait(lock, [&] { return served_ || stop_; });
  }

  void serve() {
    const int c = ::accept(fd_, nullptr, nullptr);
    if (c < 0) {
      finish();
      return;
    }
    std::string in;
    char buf[4096];
    std::size_t header_end = std::string::npos;
    std::size_t content_length = 0;
    while (true) {
      if (header_end == std::string::npos) {
        header_end = in.find("\r\n\r\n");
        if (header_end != std::string::npos) parse_head(in.substr(0, header_end), content_length);
      }
      if (header_end != std::string::npos && in.size() >= header_end + 4 + content_length) break;
      const ssize_t n = ::recv(c, buf, sizeof buf, 0);
      if (n <= 0) break;
      in.append(buf, static_cast<std::size_t>(n));
    }
    if (header_end != std::string::npos) body_in_ = in.substr(header_end + 4, content_length);
    finish();
    if (hold_) {
      std::unique_lock<std::mutex> lock(mutex_);
      cv_.wait(lock, [&] { return stop_; });
    } else {
      const std::string answer = "HTTP/1.1 " + std::to_string(status_) +
                                 " Whatever\r\nContent-Type: text/plain\r\nContent-Length: " +
                                 std::to_string(body_.size()) + "\r\nConnection: close\r\n\r\n" +
                                 body_;
      ::send(c, answer.data(), answer.size(), MSG_NOSIGNAL);
    }
    ::close(c);
  }

  void parse_head(const std::string& head, std::size_t& content_length) {
    std::istringstream lines(head);
    std::string line;
    std::getline(lines, line);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    request_line_ = line;
    while (std::getline(lines, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      const auto colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string name = line.substr(0, colon);
      for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      headers_[name] = value;
    }
    if (auto it = headers_.find("content-length"); it != headers_.end()) {
      content_length = std::stoul(it->second);
    }
  }

  void finish() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      served_ = true;
    }
    cv_.notify_all();
  }

  int status_;
  std::string body_;
  bool hold_;
  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool served_ = false;
  bool stop_ = false;
  std::string request_line_;
  std::map<std::string, std::string> headers_;
  std::string body_in_;
};

/// A loopback port with nothing listening on it.
int closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

/// The network policy's refusal of `url` as the HTTP client reports it.
std::string policy_refusal(const std::string& url, const http::NetworkPolicy& policy = {}) {
  std::string err;
  auto parsed = http::parse_url(url, &err);
  if (!parsed) return "invalid URL: " + err;
  const auto adm = http::admit(*parsed, policy, [](const std::string& host) {
    std::vector<http::IpAddress> out;
    if (host == "private.localhost-metadata.example") out.push_back(*http::parse_ip("169.254.7.7"));
    if (host == "public.example") out.push_back(*http::parse_ip("93.184.216.34"));
    return out;
  });
  REQUIRE(adm.error);
  return "URL validation failed: " + *adm.error;
}

struct TempDir {
  TempDir() {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / "thaiyyal-metrics-XXXXXX").string();
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    path = tmpl;
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::filesystem::path path;
};

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream os;
  os << in.rdbuf();
  return os.str();
}

}  // namespace

TEST_SUITE("metrics") {
  TEST_CASE("an idle registry exposes only build info") {
    Metrics m(quiet());
    const std::string text = m.text();
    CHECK(has_line(text, R"(thaiyyal_build_info{commit="abc123",version="1.2.3"} 1)"));
    CHECK(has_line(text, "# TYPE thaiyyal_build_info gauge"));
    CHECK(text.find("# HELP thaiyyal_build_info ") != std::string::npos);
    int samples = 0;
    for (const auto& l : lines_of(text)) {
      if (!l.empty() && l[0] != '#') ++samples;
    }
    CHECK(samples == 1);
    // Creating observers records nothing by itself.
    (void)m.observer("inline");
    CHECK(m.text() == text);
  }

  TEST_CASE("an empty commit is reported as unknown") {
    MetricsOptions o = quiet();
    o.commit.clear();
    Metrics m(o);
    CHECK(has_line(m.text(), R"(thaiyyal_build_info{commit="unknown",version="1.2.3"} 1)"));
  }

  TEST_CASE("observer() gives one observer per trigger") {
    Metrics m(quiet());
    CHECK(&m.observer("cli") == &m.observer("cli"));
    CHECK(&m.observer("cli") != &m.observer("stored"));
  }

  TEST_CASE("runs count per trigger with whole-millisecond durations") {
    Metrics m(quiet());
    auto& cli = m.observer("cli");
    const auto info = run_info();
    cli.on_workflow_start(info);
    cli.on_workflow_end(info, run_end(true, 400us, 3));     // 0 ms
    cli.on_workflow_end(info, run_end(false, 5999us, 1));   // 5 ms
    cli.on_workflow_end(info, run_end(true, 10900us, 20));  // 10 ms
    m.observer("inline").on_workflow_end(info, run_end(true, 1ms, 0));
    const std::string t = m.text();

    CHECK(has_line(t, R"(workflow_executions_total{trigger="cli"} 3)"));
    CHECK(has_line(t, R"(workflow_executions_success_total{trigger="cli"} 2)"));
    CHECK(has_line(t, R"(workflow_executions_failure_total{trigger="cli"} 1)"));
    CHECK(has_line(t, R"(workflow_executions_total{trigger="inline"} 1)"));
    CHECK(has_line(t, R"(workflow_executions_success_total{trigger="inline"} 1)"));
    CHECK_FALSE(has_line(t, R"(workflow_executions_failure_total{trigger="inline"} 0)"));

    const std::string b = "workflow_execution_duration_milliseconds_bucket{trigger=\"cli\",le=\"";
    CHECK(has_line(t, b + "0\"} 1"));
    CHECK(has_line(t, b + "5\"} 2"));
    CHECK(has_line(t, b + "10\"} 3"));
    CHECK(has_line(t, b + "10000\"} 3"));
    CHECK(has_line(t, b + "+Inf\"} 3"));
    CHECK(has_line(t, R"(workflow_execution_duration_milliseconds_sum{trigger="cli"} 15)"));
    CHECK(has_line(t, R"(workflow_execution_duration_milliseconds_count{trigger="cli"} 3)"));
    CHECK(has_line(t, "# TYPE workflow_execution_duration_milliseconds histogram"));

    const std::string nb = "workflow_nodes_executed_bucket{trigger=\"cli\",le=\"";
    CHECK(has_line(t, nb + "1\"} 1"));
    CHECK(has_line(t, nb + "2\"} 1"));
    CHECK(has_line(t, nb + "5\"} 2"));
    CHECK(has_line(t, nb + "10\"} 2"));
    CHECK(has_line(t, nb + "20\"} 3"));
    CHECK(has_line(t, nb + "1000\"} 3"));
    CHECK(has_line(t, R"(workflow_nodes_executed_sum{trigger="cli"} 24)"));
    CHECK(has_line(t, R"(workflow_nodes_executed_bucket{trigger="inline",le="1"} 1)"));

    // Workflow and node ids never become labels.
    CHECK(t.find("wf-secret-id") == std::string::npos);
    CHECK(t.find("exec-1") == std::string::npos);
    CHECK(t.find("thaiyyal_execution_limit_exceeded_total") == std::string::npos);
  }

  TEST_CASE("runs stopped by a limit count per limit") {
    Metrics m(quiet());
    auto& o = m.observer("stored");
    const auto info = run_info();
    o.on_workflow_end(info, run_end(false, 1ms, 4, "node_executions"));
    o.on_workflow_end(info, run_end(false, 1ms, 4, "node_executions"));
    o.on_workflow_end(info, run_end(false, 1ms, 4, "time"));
    const std::string t = m.text();
    CHECK(has_line(t, R"(thaiyyal_execution_limit_exceeded_total{limit="node_executions"} 2)"));
    CHECK(has_line(t, R"(thaiyyal_execution_limit_exceeded_total{limit="time"} 1)"));
    CHECK(has_line(t, R"(workflow_executions_failure_total{trigger="stored"} 3)"));
  }

  TEST_CASE("node executions count per node type") {
    Metrics m(quiet());
    auto& o = m.observer("cli");
    const auto info = run_info();
    o.on_node_start(info, node("http"));
    o.on_node_success(info, node("http"), 2700us, Value());
    o.on_node_failure(info, node("http"), 7ms, "boom");
    o.on_node_success(info, node("number"), 100us, Value());
    o.on_node_skipped(info, "node-43");
    const std::string t = m.text();
    CHECK(has_line(t, R"(node_executions_total{node_type="http"} 2)"));
    CHECK(has_line(t, R"(node_executions_success_total{node_type="http"} 1)"));
    CHECK(has_line(t, R"(node_executions_failure_total{node_type="http"} 1)"));
    CHECK(has_line(t, R"(node_executions_total{node_type="number"} 1)"));
    CHECK(has_line(t, R"(node_execution_duration_milliseconds_bucket{node_type="http",le="0"} 0)"));
    CHECK(has_line(t, R"(node_execution_duration_milliseconds_bucket{node_type="http",le="5"} 1)"));
    CHECK(
        has_line(t, R"(node_execution_duration_milliseconds_bucket{node_type="http",le="10"} 2)"));
    CHECK(has_line(t, R"(node_execution_duration_milliseconds_sum{node_type="http"} 9)"));
    CHECK(
        has_line(t, R"(node_execution_duration_milliseconds_bucket{node_type="number",le="0"} 1)"));
    CHECK(t.find("node-42") == std::string::npos);
    CHECK(t.find("node-43") == std::string::npos);
    CHECK(t.find("workflow_executions_total") == std::string::npos);
  }

  TEST_CASE("HTTP calls count per method, status and client") {
    Metrics m(quiet());
    auto& o = m.observer("inline");
    const auto info = run_info();
    const auto n = node("http");
    o.on_http_call(info, n, call("GET", "ok", 200, 12ms));
    o.on_http_call(info, n, call("get", "ok", 200, 30ms));
    o.on_http_call(info, n, call("POST", "ok", 503, 1ms, "billing"));
    o.on_http_call(info, n, call("GET", "timeout", 0, 30s));
    o.on_http_call(info, n, call("DELETE", "aborted", 0, 3ms));
    o.on_http_call(info, n, call("GET", "error", 0, 3ms));
    o.on_http_call(info, n, call("BREW", "ok", 418, 3ms));
    const std::string t = m.text();
    CHECK(has_line(t, R"(http_calls_total{client_uid="",method="GET",status_code="200"} 2)"));
    CHECK(
        has_line(t, R"(http_calls_total{client_uid="billing",method="POST",status_code="503"} 1)"));
    CHECK(has_line(t, R"(http_calls_total{client_uid="",method="GET",status_code="timeout"} 1)"));
    CHECK(
        has_line(t, R"(http_calls_total{client_uid="",method="DELETE",status_code="aborted"} 1)"));
    CHECK(has_line(t, R"(http_calls_total{client_uid="",method="GET",status_code="error"} 1)"));
    CHECK(has_line(t, R"(http_calls_total{client_uid="",method="OTHER",status_code="418"} 1)"));
    const std::string b =
        R"(http_call_duration_milliseconds_bucket{client_uid="",method="GET",status_code="200",le=")";
    CHECK(has_line(t, b + "10\"} 0"));
    CHECK(has_line(t, b + "25\"} 1"));
    CHECK(has_line(t, b + "50\"} 2"));
    CHECK(has_line(
        t,
        R"(http_call_duration_milliseconds_sum{client_uid="",method="GET",status_code="timeout"} 30000)"));
    CHECK(t.find("thaiyyal_ssrf_blocked_total") == std::string::npos);
  }

  TEST_CASE("blocked calls are classified by the policy's reason") {
    http::NetworkPolicy with_http;
    with_http.allow_http = true;
    http::NetworkPolicy allowlist;
    allowlist.allowed_domains = {"example.org"};
    const std::vector<std::pair<std::string, std::string>> cases = {
        {policy_refusal("https://127.0.0.1/"), "loopback"},
        {policy_refusal("https://localhost:8080/x"), "loopback"},
        {policy_refusal("https://[::1]/"), "loopback"},
        {policy_refusal("https://10.1.2.3/"), "private"},
        {policy_refusal("https://[fd00::1]/"), "private"},
        {policy_refusal("https://169.254.1.1/"), "link_local"},
        {policy_refusal("https://private.localhost-metadata.example/"), "link_local"},
        {policy_refusal("https://169.254.169.254/latest"), "metadata"},
        {policy_refusal("https://metadata.google.internal/"), "metadata"},
        {policy_refusal("https://public.example/", allowlist), "domain"},
        {policy_refusal("ftp://example.org/"), "scheme"},
        {policy_refusal("http://example.org/"), "scheme"},
        {policy_refusal("https://no-such-host.example/", with_http), "dns"},
        {policy_refusal("https://0.0.0.0/"), "other"},
        {policy_refusal("https://224.0.0.1/"), "other"},
        {policy_refusal("https://user:pw@example.org/"), "other"},
        {"redirect URL validation failed: IP validation failed for 10.0.0.1: private IP "
         "addresses are blocked (use --allow-private-ips to permit)",
         "private"},
    };
    for (const auto& [error, reason] : cases) {
      CAPTURE(error);
      Metrics m(quiet());
      m.observer("cli").on_http_call(run_info(), node("http"),
                                     call("GET", "blocked", 0, 0ms, "", error));
      const std::string t = m.text();
      CHECK(has_line(t, "thaiyyal_ssrf_blocked_total{reason=\"" + reason + "\"} 1"));
      CHECK(has_line(t, R"(http_calls_total{client_uid="",method="GET",status_code="blocked"} 1)"));
    }
  }

  TEST_CASE("server requests and runs in flight") {
    Metrics m(quiet());
    m.record_request("GET", "/health", 200, 30ms);
    m.record_request("GET", "/health", 200, 2ms);
    m.record_request("POST", "unmatched", 404, 1s);
    m.add_in_flight(1);
    m.add_in_flight(2);
    m.add_in_flight(-1);
    const std::string t = m.text();
    CHECK(
        has_line(t, R"(thaiyyal_http_requests_total{code="200",method="GET",route="/health"} 2)"));
    CHECK(has_line(
        t, R"(thaiyyal_http_requests_total{code="404",method="POST",route="unmatched"} 1)"));
    const std::string b =
        R"(thaiyyal_http_request_duration_seconds_bucket{method="GET",route="/health",le=")";
    CHECK(has_line(t, b + "0.005\"} 1"));
    CHECK(has_line(t, b + "0.025\"} 1"));
    CHECK(has_line(t, b + "0.05\"} 2"));
    CHECK(has_line(t, b + "60\"} 2"));
    CHECK(has_line(t, "thaiyyal_executions_in_flight 2"));
    CHECK(has_line(t, "# TYPE thaiyyal_executions_in_flight gauge"));
  }

  TEST_CASE("process metrics are read at each scrape") {
    MetricsOptions o = quiet();
    o.process = true;
    Metrics m(o);
    // Spend some CPU time so that the tick-granular counter is above zero.
    volatile double sink = 0;
    while (std::clock() < CLOCKS_PER_SEC / 20) {
      for (int i = 0; i < 100000; ++i) sink = sink + i * 0.5;
    }
    const std::string t = m.text();
    CHECK(has_line(t, "# TYPE process_cpu_seconds_total counter"));
    for (const char* name : {"process_resident_memory_bytes", "process_virtual_memory_bytes",
                             "process_open_fds", "process_max_fds", "process_start_time_seconds"}) {
      CAPTURE(name);
      CHECK(has_line(t, std::string("# TYPE ") + name + " gauge"));
      CHECK(t.find(std::string("# HELP ") + name + " ") != std::string::npos);
      const auto v = sample(t, name);
      REQUIRE(v);
      CHECK(*v > 0);
    }
    const auto cpu = sample(t, "process_cpu_seconds_total");
    REQUIRE(cpu);
    CHECK(*cpu > 0);
    const auto start = sample(t, "process_start_time_seconds");
    const double now = static_cast<double>(std::time(nullptr));
    CHECK(*start <= now + 1);
    CHECK(*start > now - 7 * 24 * 3600);
    CHECK(*sample(t, "process_resident_memory_bytes") <=
          *sample(t, "process_virtual_memory_bytes"));
    CHECK(*sample(t, "process_open_fds") <= *sample(t, "process_max_fds"));
    CHECK(Metrics(quiet()).text().find("process_") == std::string::npos);
  }

  TEST_CASE("concurrent runs give exact totals") {
    Metrics m(quiet());
    constexpr int kThreads = 8, kRuns = 500;
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
      threads.emplace_back([&m, i] {
        const auto info = run_info();
        const std::string trigger = i % 2 ? "inline" : "stored";
        for (int r = 0; r < kRuns; ++r) {
          auto& o = m.observer(trigger);
          o.on_node_success(info, node("number"), 1ms, Value());
          o.on_http_call(info, node("http"), call("GET", "ok", 200, 1ms));
          o.on_workflow_end(info, run_end(r % 5 != 0, 1ms, 2));
          if (r % 100 == 0) (void)m.text();
        }
      });
    }
    for (auto& t : threads) t.join();
    const std::string t = m.text();
    CHECK(has_line(t, R"(workflow_executions_total{trigger="inline"} 2000)"));
    CHECK(has_line(t, R"(workflow_executions_total{trigger="stored"} 2000)"));
    CHECK(has_line(t, R"(workflow_executions_success_total{trigger="inline"} 1600)"));
    CHECK(has_line(t, R"(workflow_executions_failure_total{trigger="stored"} 400)"));
    CHECK(has_line(t, R"(workflow_execution_duration_milliseconds_count{trigger="inline"} 2000)"));
    CHECK(has_line(t, R"(node_executions_total{node_type="number"} 4000)"));
    CHECK(has_line(t, R"(http_calls_total{client_uid="",method="GET",status_code="200"} 4000)"));
    CHECK(has_line(t, R"(workflow_nodes_executed_sum{trigger="stored"} 4000)"));
  }

  TEST_CASE("write_text_file replaces the file atomically") {
    TempDir dir;
    Metrics m(quiet());
    m.observer("cli").on_workflow_end(run_info(), run_end(true, 1ms, 1));
    const auto path = dir.path / "thaiyyal.prom";
    {
      std::ofstream old(path);
      old << "stale\n";
    }
    std::string error;
    REQUIRE(metrics::write_text_file(m, path.string(), error));
    CHECK(error.empty());
    CHECK(slurp(path) == m.text());
    CHECK(slurp(path).find("workflow_executions_total{trigger=\"cli\"} 1") != std::string::npos);
    // No temporary file is left behind.
    int entries = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir.path)) {
      CAPTURE(e.path().string());
      ++entries;
    }
    CHECK(entries == 1);
    const auto perms = std::filesystem::status(path).permissions();
    CHECK((perms & std::filesystem::perms::others_read) != std::filesystem::perms::none);
  }

  TEST_CASE("write_text_file reports a missing directory") {
    TempDir dir;
    Metrics m(quiet());
    const std::string path = (dir.path / "missing" / "thaiyyal.prom").string();
    std::string error;
    CHECK_FALSE(metrics::write_text_file(m, path, error));
    CHECK(error.find(path) != std::string::npos);
    CHECK(error.find("No such file or directory") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir.path / "missing"));
  }

  TEST_CASE("push_to_gateway PUTs the exposition under the grouping key") {
    Metrics m(quiet());
    m.observer("cli").on_workflow_end(run_info(), run_end(true, 1ms, 1));
    OneShotServer server(200, "");
    std::string error;
    const bool ok = metrics::push_to_gateway(m, server.url() + "/", "thaiyyal",
                                             {{"instance", "host-1"}}, 5s, error);
    CHECK(error.empty());
    CHECK(ok);
    CHECK(server.request_line() == "PUT /metrics/job/thaiyyal/instance/host-1 HTTP/1.1");
    CHECK(server.headers()["content-type"] == "text/plain; version=0.0.4");
    CHECK(server.body() == m.text());
  }

  TEST_CASE("push_to_gateway encodes grouping values") {
    Metrics m(quiet());
    OneShotServer server(202, "");
    std::string error;
    CHECK(metrics::push_to_gateway(m, server.url() + "/prefix", "batch job",
                                   {{"path", "a/b"}, {"empty", ""}, {"x", "1:2"}}, 5s, error));
    CHECK(error.empty());
    CHECK(server.request_line() ==
          "PUT /prefix/metrics/job/batch%20job/path@base64/YS9i/empty@base64/=/x/1%3A2 HTTP/1.1");
  }

  TEST_CASE("push_to_gateway reports the gateway's refusal") {
    Metrics m(quiet());
    OneShotServer server(400, "text format parsing error in line 3: bad\n");
    std::string error;
    CHECK_FALSE(metrics::push_to_gateway(m, server.url(), "thaiyyal", {}, 5s, error));
    CHECK(error == "pushgateway answered 400: text format parsing error in line 3: bad");
    CHECK(server.request_line() == "PUT /metrics/job/thaiyyal HTTP/1.1");
  }

  TEST_CASE("push_to_gateway truncates a long refusal") {
    Metrics m(quiet());
    OneShotServer server(500, std::string(1000, 'x'));
    std::string error;
    CHECK_FALSE(metrics::push_to_gateway(m, server.url(), "thaiyyal", {}, 5s, error));
    CHECK(error == "pushgateway answered 500: " + std::string(200, 'x'));
  }

  TEST_CASE("push_to_gateway reports connection errors without credentials") {
    Metrics m(quiet());
    std::string error;
    const std::string url =
        "http://pushuser:s3cr3t-token@127.0.0.1:" + std::to_string(closed_port());
    CHECK_FALSE(metrics::push_to_gateway(m, url, "thaiyyal", {}, 5s, error));
    CHECK_FALSE(error.empty());
    CHECK(error.find("s3cr3t-token") == std::string::npos);
    CHECK(error.find("pushuser") == std::string::npos);
  }

  TEST_CASE("push_to_gateway gives up after the timeout") {
    Metrics m(quiet());
    OneShotServer server(200, "", /*hold=*/true);
    std::string error;
    CHECK_FALSE(metrics::push_to_gateway(m, server.url(), "thaiyyal", {}, 200ms, error));
    CAPTURE(error);
    CHECK(error.find("timed out") != std::string::npos);
  }

  TEST_CASE("push_to_gateway refuses bad arguments without throwing") {
    Metrics m(quiet());
    std::string error;
    CHECK_FALSE(metrics::push_to_gateway(m, "ftp://127.0.0.1:1", "thaiyyal", {}, 1s, error));
    CHECK(error.find("http://") != std::string::npos);
    error.clear();
    CHECK_FALSE(metrics::push_to_gateway(m, "http://127.0.0.1:1", "", {}, 1s, error));
    CHECK(error.find("job") != std::string::npos);
    error.clear();
    CHECK_FALSE(
        metrics::push_to_gateway(m, "http://127.0.0.1:1", "j", {{"bad-name", "v"}}, 1s, error));
    CHECK(error.find("bad-name") != std::string::npos);
  }
}
