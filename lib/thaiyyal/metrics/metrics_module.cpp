// The metrics module (thaiyyal-metrics.so): the only code that uses
// prometheus-cpp. Metrics loads it through its one extern "C" entry point.
// No exception leaves it (see backend.h).
#include <dirent.h>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>
#include <sys/resource.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>

#include "thaiyyal/metrics/backend.h"

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

/// Runs `fn`, swallowing what it throws: metrics never fail a run or a
/// request, and no exception may leave the module.
template <typename Fn>
void guarded(Fn&& fn) noexcept {
  try {
    fn();
  } catch (...) {
  }
}

/// An observer whose events are guarded.
class GuardedObserver final : public engine::Observer {
 public:
  explicit GuardedObserver(std::unique_ptr<RunObserver> inner) : inner_(std::move(inner)) {}
  void on_node_success(const engine::RunInfo& r, const engine::NodeInfo& n,
                       std::chrono::nanoseconds e, const Value& v) override {
    guarded([&] { inner_->on_node_success(r, n, e, v); });
  }
  void on_node_failure(const engine::RunInfo& r, const engine::NodeInfo& n,
                       std::chrono::nanoseconds e, std::string_view err) override {
    guarded([&] { inner_->on_node_failure(r, n, e, err); });
  }
  void on_workflow_end(const engine::RunInfo& r, const engine::RunEnd& end) override {
    guarded([&] { inner_->on_workflow_end(r, end); });
  }
  void on_http_call(const engine::RunInfo& r, const engine::NodeInfo& n,
                    const engine::HttpCall& call) override {
    guarded([&] { inner_->on_http_call(r, n, call); });
  }

 private:
  std::unique_ptr<RunObserver> inner_;
};

class PrometheusBackend final : public MetricsBackend {
 public:
  explicit PrometheusBackend(const MetricsOptions& o) : options(o), families(registry) {
    families.build_info
        .Add({{"version", options.version},
              {"commit", options.commit.empty() ? std::string("unknown") : options.commit}})
        .Set(1);
  }

  engine::Observer& observer(std::string_view trigger) override {
    try {
      std::lock_guard<std::mutex> lock(observers_mutex);
      auto it = observers.find(trigger);
      if (it == observers.end()) {
        it = observers
                 .emplace(std::string(trigger),
                          std::make_unique<GuardedObserver>(
                              std::make_unique<RunObserver>(families, std::string(trigger))))
                 .first;
      }
      return *it->second;
    } catch (...) {
      static engine::Observer none;  // records nothing
      return none;
    }
  }

  void record_request(std::string_view method, std::string_view route, int status,
                      std::chrono::nanoseconds elapsed) override {
    guarded([&] {
      Families& f = families;
      const std::string m = method_label(method);
      f.requests
          .Add({{"method", m}, {"route", std::string(route)}, {"code", std::to_string(status)}})
          .Increment();
      f.request_duration.Add({{"method", m}, {"route", std::string(route)}}, seconds_buckets())
          .Observe(seconds(elapsed));
    });
  }

  void add_in_flight(int delta) override {
    guarded([&] {
      Gauge& g = families.in_flight.Add({});
      if (delta >= 0) {
        g.Increment(static_cast<double>(delta));
      } else {
        g.Decrement(-static_cast<double>(delta));
      }
    });
  }

  void set_registry_sizes(std::size_t workflows, std::size_t http_clients) override {
    guarded([&] {
      families.registry_workflows.Add({}).Set(static_cast<double>(workflows));
      families.registry_clients.Add({}).Set(static_cast<double>(http_clients));
    });
  }

  void record_history_rows(std::size_t written, std::size_t failed, std::size_t dropped) override {
    guarded([&] {
      Families& f = families;
      // Every series is created at the first call, so a scrape shows zeros
      // rather than no series before the first failure.
      f.history_written.Add({}).Increment(static_cast<double>(written));
      f.history_failures.Add({{"reason", "storage"}}).Increment(static_cast<double>(failed));
      f.history_failures.Add({{"reason", "queue_full"}}).Increment(static_cast<double>(dropped));
    });
  }

  void set_history_queue(std::size_t queued) override {
    guarded([&] { families.history_queue.Add({}).Set(static_cast<double>(queued)); });
  }

  bool text(std::string& out, std::string& error) const override {
    try {
      auto collected = registry.Collect();
      if (options.process) append_process(collected);
      std::ostringstream os;
      os.imbue(std::locale::classic());
      prometheus::TextSerializer().Serialize(os, collected);
      out = os.str();
      return true;
    } catch (const std::exception& e) {
      error = e.what();
    } catch (...) {
      error = "unknown error";
    }
    return false;
  }

 private:
  MetricsOptions options;
  prometheus::Registry registry;
  Families families;
  std::mutex observers_mutex;
  std::map<std::string, std::unique_ptr<GuardedObserver>, std::less<>> observers;
};

MetricsBackend* new_backend(const MetricsOptions& options) {
  try {
    return new PrometheusBackend(options);
  } catch (...) {
    return nullptr;
  }
}

constexpr MetricsModule kModule{kMetricsAbi, &new_backend};

}  // namespace
}  // namespace thaiyyal::metrics

/// The module's entry point: its table of functions.
extern "C" __attribute__((visibility("default"))) const thaiyyal::metrics::MetricsModule*
thaiyyal_metrics_module() {
  return &thaiyyal::metrics::kModule;
}
