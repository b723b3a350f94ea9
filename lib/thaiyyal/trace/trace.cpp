#include "thaiyyal/trace/trace.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "thaiyyal/http/transport.h"
#include "thaiyyal/support/random.h"

namespace thaiyyal::trace {

namespace {

using SystemClock = std::chrono::system_clock;
using SteadyClock = std::chrono::steady_clock;
using Json = nlohmann::ordered_json;

// ---------------------------------------------------------------------------
// Ids and traceparent

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;  // uppercase is invalid in traceparent
}

/// Reads 2 * N lowercase hex digits into `out`.
template <std::size_t N>
bool read_hex(std::string_view text, std::array<std::uint8_t, N>& out) {
  if (text.size() != 2 * N) return false;
  for (std::size_t i = 0; i < N; ++i) {
    const int hi = hex_digit(text[2 * i]);
    const int lo = hex_digit(text[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<std::uint8_t>(hi * 16 + lo);
  }
  return true;
}

template <std::size_t N>
std::string hex_of(const std::array<std::uint8_t, N>& id) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string s(2 * N, '0');
  for (std::size_t i = 0; i < N; ++i) {
    s[2 * i] = digits[id[i] >> 4];
    s[2 * i + 1] = digits[id[i] & 0xf];
  }
  return s;
}

template <std::size_t N>
bool all_zero(const std::array<std::uint8_t, N>& id) {
  return std::all_of(id.begin(), id.end(), [](std::uint8_t b) { return b == 0; });
}

template <std::size_t N>
std::array<std::uint8_t, N> random_id() {
  std::array<std::uint8_t, N> id{};
  auto& gen = support::thread_rng();
  do {
    for (std::size_t i = 0; i < N; i += 8) {
      std::uint64_t word = gen();
      for (std::size_t j = i; j < std::min(N, i + 8); ++j) {
        id[j] = static_cast<std::uint8_t>(word & 0xff);
        word >>= 8;
      }
    }
  } while (all_zero(id));
  return id;
}

// ---------------------------------------------------------------------------
// OTLP JSON

std::string unix_nanos(SystemClock::time_point t) {
  const auto ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
  return std::to_string(ns < 0 ? 0 : ns);
}

Json any_value(const AttributeValue& v) {
  Json out = Json::object();
  if (const auto* s = std::get_if<std::string>(&v)) {
    out["stringValue"] = *s;
  } else if (const auto* i = std::get_if<std::int64_t>(&v)) {
    out["intValue"] = std::to_string(*i);  // int64 is a string in protobuf JSON
  } else if (const auto* d = std::get_if<double>(&v)) {
    if (std::isnan(*d)) {
      out["doubleValue"] = "NaN";
    } else if (std::isinf(*d)) {
      out["doubleValue"] = *d > 0 ? "Infinity" : "-Infinity";
    } else {
      out["doubleValue"] = *d;
    }
  } else {
    out["boolValue"] = std::get<bool>(v);
  }
  return out;
}

Json key_values(const Attributes& attrs) {
  Json out = Json::array();
  for (const auto& [key, value] : attrs) {
    Json kv = Json::object();
    kv["key"] = key;
    kv["value"] = any_value(value);
    out.push_back(std::move(kv));
  }
  return out;
}

int kind_code(SpanKind k) {
  switch (k) {
    case SpanKind::Internal:
      return 1;
    case SpanKind::Server:
      return 2;
    case SpanKind::Client:
      return 3;
  }
  return 0;
}

int status_code(SpanStatus s) {
  switch (s) {
    case SpanStatus::Unset:
      return 0;
    case SpanStatus::Ok:
      return 1;
    case SpanStatus::Error:
      return 2;
  }
  return 0;
}

Json span_json(const Span& s) {
  Json j = Json::object();
  j["traceId"] = hex_of(s.context.trace_id);
  j["spanId"] = hex_of(s.context.span_id);
  if (s.parent && !all_zero(*s.parent)) j["parentSpanId"] = hex_of(*s.parent);
  j["name"] = s.name;
  j["kind"] = kind_code(s.kind);
  j["startTimeUnixNano"] = unix_nanos(s.start);
  j["endTimeUnixNano"] = unix_nanos(s.end);
  if (!s.attributes.empty()) j["attributes"] = key_values(s.attributes);
  if (!s.events.empty()) {
    Json events = Json::array();
    for (const auto& e : s.events) {
      Json ej = Json::object();
      ej["timeUnixNano"] = unix_nanos(e.time);
      ej["name"] = e.name;
      if (!e.attributes.empty()) ej["attributes"] = key_values(e.attributes);
      events.push_back(std::move(ej));
    }
    j["events"] = std::move(events);
  }
  Json status = Json::object();
  status["code"] = status_code(s.status);
  if (!s.status_message.empty()) status["message"] = s.status_message;
  j["status"] = std::move(status);
  return j;
}

// ---------------------------------------------------------------------------
// Export URL and HTTP

/// `endpoint` + "/v1/traces" when it has no path (or only "/").
std::string traces_url(const std::string& endpoint) {
  if (endpoint.empty()) return {};
  const auto scheme = endpoint.find("://");
  const std::size_t authority = scheme == std::string::npos ? 0 : scheme + 3;
  const auto path = endpoint.find_first_of("/?#", authority);
  if (path == std::string::npos) return endpoint + "/v1/traces";
  if (endpoint[path] != '/') return endpoint.substr(0, path) + "/v1/traces" + endpoint.substr(path);
  const auto path_end = endpoint.find_first_of("?#", path);
  const auto path_len = (path_end == std::string::npos ? endpoint.size() : path_end) - path;
  if (path_len == 1) {
    return endpoint.substr(0, path) + "/v1/traces" +
           (path_end == std::string::npos ? "" : endpoint.substr(path_end));
  }
  return endpoint;
}

/// Sends the export requests of the export thread, over connections it
/// reuses. The transport (and libcurl) is loaded by the first post.
class Poster {
 public:
  /// POSTs `body`; true on a 2xx answer within `timeout`.
  bool post(const std::string& url, const std::string& body, std::chrono::milliseconds timeout) {
    if (timeout.count() <= 0) return false;
    if (!transport_) {
      try {
        transport_ = http::make_curl_transport();
      } catch (const std::exception&) {
        return false;  // counted as undelivered spans, like an unreachable receiver
      }
    }
    http::Exchange ex;
    ex.method = "POST";
    ex.url = url;
    ex.headers = {{"Content-Type", "application/json"}};
    ex.body = body;
    ex.has_body = true;
    ex.timeout_ms = static_cast<long>(timeout.count());
    ex.connect_timeout_ms = static_cast<long>(timeout.count());
    ex.max_body = 0;
    ex.truncate_body = true;  // the answer is not read
    ex.use_proxy = true;
    ex.user_agent = "thaiyyal-otlp";
    const http::Outcome out = transport_->perform(ex);
    return out.code == http::TransferCode::Ok && out.status >= 200 && out.status < 300;
  }

 private:
  std::unique_ptr<http::Transport> transport_;
};

void set_error(Span& span, SystemClock::time_point when, std::string_view message) {
  span.status = SpanStatus::Error;
  span.status_message = std::string(message);
  span.events.push_back(
      SpanEvent{"exception", when, {{"exception.message", std::string(message)}}});
}

SystemClock::time_point after(SystemClock::time_point start, std::chrono::nanoseconds elapsed) {
  return start + std::chrono::duration_cast<SystemClock::duration>(elapsed);
}

}  // namespace

std::optional<SpanContext> parse_traceparent(std::string_view header) {
  // version "-" trace-id "-" parent-id "-" trace-flags
  constexpr std::size_t kLength = 55;
  if (header.size() < kLength) return std::nullopt;
  std::array<std::uint8_t, 1> version{};
  if (!read_hex(header.substr(0, 2), version) || version[0] == 0xff) return std::nullopt;
  if (version[0] == 0 ? header.size() != kLength
                      : header.size() > kLength && header[kLength] != '-') {
    return std::nullopt;
  }
  if (header[2] != '-' || header[35] != '-' || header[52] != '-') return std::nullopt;
  SpanContext ctx;
  std::array<std::uint8_t, 1> flags{};
  if (!read_hex(header.substr(3, 32), ctx.trace_id) ||
      !read_hex(header.substr(36, 16), ctx.span_id) || !read_hex(header.substr(53, 2), flags)) {
    return std::nullopt;
  }
  if (all_zero(ctx.trace_id) || all_zero(ctx.span_id)) return std::nullopt;
  ctx.sampled = (flags[0] & 0x01) != 0;
  return ctx;
}

std::string format_traceparent(const SpanContext& ctx) {
  std::string s;
  s.reserve(55);
  s += "00-";
  s += hex_of(ctx.trace_id);
  s += '-';
  s += hex_of(ctx.span_id);
  s += ctx.sampled ? "-01" : "-00";
  return s;
}

TraceId new_trace_id() { return random_id<16>(); }
SpanId new_span_id() { return random_id<8>(); }
std::string to_hex(const TraceId& id) { return hex_of(id); }
std::string to_hex(const SpanId& id) { return hex_of(id); }

// ---------------------------------------------------------------------------
// Exporter

struct Exporter::Impl {
  explicit Impl(ExporterOptions o) : options(std::move(o)), url(traces_url(options.endpoint)) {
    options.max_batch = std::max<std::size_t>(options.max_batch, 1);
    options.flush_interval = std::max(options.flush_interval, std::chrono::milliseconds(1));
  }

  std::string encode(const std::vector<Span>& spans) const {
    Json resource_attrs = Json::array();
    Attributes attrs{{"service.name", options.service_name}};
    if (!options.service_version.empty())
      attrs.emplace_back("service.version", options.service_version);
    Json scope = Json::object();
    scope["name"] = "thaiyyal";
    if (!options.service_version.empty()) scope["version"] = options.service_version;
    Json span_list = Json::array();
    for (const auto& s : spans) span_list.push_back(span_json(s));
    Json scope_spans = Json::object();
    scope_spans["scope"] = std::move(scope);
    scope_spans["spans"] = std::move(span_list);
    Json resource = Json::object();
    resource["attributes"] = key_values(attrs);
    Json rs = Json::object();
    rs["resource"] = std::move(resource);
    rs["scopeSpans"] = Json::array({std::move(scope_spans)});
    Json doc = Json::object();
    doc["resourceSpans"] = Json::array({std::move(rs)});
    return doc.dump(-1, ' ', false, Json::error_handler_t::replace);
  }

  void start() {
    if (!url.empty()) worker = std::thread([this] { run(); });
  }

  void run() {
    Poster poster;
    std::unique_lock lock(mutex);
    std::optional<SteadyClock::time_point> deadline;  // set when stopping
    for (;;) {
      wake.wait_for(lock, options.flush_interval, [&] {
        return stopping || queue.size() >= options.max_batch ||
               (!waiters.empty() && !queue.empty());
      });
      if (stopping && !deadline) deadline = SteadyClock::now() + options.timeout;
      if (queue.empty()) {
        if (stopping) break;
        continue;
      }
      auto timeout = options.timeout;
      if (deadline) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - SteadyClock::now());
        if (left.count() <= 0) {
          // Out of time: what is left is lost.
          const auto lost = queue.size();
          dropped_count += lost;
          queue.clear();
          settle(lost, false);
          break;
        }
        timeout = std::min(timeout, left);
      }
      const std::size_t n = std::min(queue.size(), options.max_batch);
      std::vector<Span> batch;
      batch.reserve(n);
      for (std::size_t i = 0; i < n; ++i) {
        batch.push_back(std::move(queue.front()));
        queue.pop_front();
      }
      lock.unlock();
      bool ok = false;
      try {
        ok = poster.post(url, encode(batch), timeout);
      } catch (...) {
        ok = false;
      }
      lock.lock();
      if (ok) {
        exported_count += n;
      } else {
        failed_count += n;
      }
      settle(n, ok);
    }
  }

  /// Records that the next `n` spans in sequence were sent (delivered or
  /// not) and wakes flush(). Called with the mutex held.
  void settle(std::size_t n, bool delivered) {
    const std::uint64_t first = attempted;
    attempted += n;
    if (!delivered) {
      for (auto* w : waiters) {
        if (first < w->target && attempted > w->first) w->failed = true;
      }
    }
    done.notify_all();
  }

  void stop() {
    {
      std::lock_guard lock(mutex);
      stopping = true;
    }
    wake.notify_all();
    if (worker.joinable()) worker.join();
  }

  ExporterOptions options;
  const std::string url;

  mutable std::mutex mutex;
  std::condition_variable wake;  ///< the export thread waits on it
  std::condition_variable done;  ///< flush() waits on it
  std::deque<Span> queue;
  bool stopping = false;
  /// A flush() in progress: the sequence numbers it waits for are
  /// [first, target).
  struct Waiter {
    std::uint64_t first = 0;
    std::uint64_t target = 0;
    bool failed = false;
  };
  std::vector<Waiter*> waiters;
  /// Spans accepted by submit(), and spans taken from the queue and sent
  /// (or lost at shutdown): a span's sequence number is its position in
  /// accepted order, and spans are sent in that order.
  std::uint64_t accepted = 0;
  std::uint64_t attempted = 0;
  std::atomic<std::uint64_t> dropped_count{0};
  std::atomic<std::uint64_t> exported_count{0};
  std::atomic<std::uint64_t> failed_count{0};
  std::thread worker;
};

Exporter::Exporter(ExporterOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {
  impl_->start();
}

Exporter::~Exporter() { impl_->stop(); }

void Exporter::submit(Span span) noexcept {
  if (impl_->url.empty()) return;
  bool wake = false;
  try {
    std::lock_guard lock(impl_->mutex);
    if (impl_->stopping || impl_->queue.size() >= impl_->options.max_queue) {
      ++impl_->dropped_count;
      return;
    }
    impl_->queue.push_back(std::move(span));
    ++impl_->accepted;
    wake = impl_->queue.size() >= impl_->options.max_batch;
  } catch (...) {
    ++impl_->dropped_count;  // out of memory
    return;
  }
  if (wake) impl_->wake.notify_one();
}

bool Exporter::flush(std::chrono::milliseconds timeout) {
  if (impl_->url.empty()) return true;
  std::unique_lock lock(impl_->mutex);
  // The batch in flight, if any, is part of what is waited for.
  Impl::Waiter me{impl_->attempted, impl_->accepted, false};
  if (me.first >= me.target) return true;
  impl_->waiters.push_back(&me);
  impl_->wake.notify_one();
  const bool finished =
      impl_->done.wait_for(lock, timeout, [&] { return impl_->attempted >= me.target; });
  std::erase(impl_->waiters, &me);
  return finished && !me.failed;
}

std::uint64_t Exporter::dropped() const { return impl_->dropped_count.load(); }
std::uint64_t Exporter::exported() const { return impl_->exported_count.load(); }
std::uint64_t Exporter::failed() const { return impl_->failed_count.load(); }
const std::string& Exporter::url() const { return impl_->url; }

std::string Exporter::encode(const std::vector<Span>& spans) const { return impl_->encode(spans); }

// ---------------------------------------------------------------------------
// RunTracer

RunTracer::RunTracer(Exporter& exporter, std::optional<SpanContext> parent) : exporter_(exporter) {
  run_span_.name = "workflow.execute";
  run_span_.kind = SpanKind::Internal;
  run_span_.start = SystemClock::now();
  if (parent) {
    run_span_.context.trace_id = parent->trace_id;
    run_span_.context.sampled = parent->sampled;
    run_span_.parent = parent->span_id;
  } else {
    run_span_.context.trace_id = new_trace_id();
  }
  run_span_.context.span_id = new_span_id();
}

void RunTracer::finish(Span& span) {
  if (span.end < span.start) span.end = span.start;
  if (span.context.sampled) exporter_.submit(std::move(span));
}

void RunTracer::on_workflow_start(const engine::RunInfo& run) {
  run_span_.start = run.start_time;
  run_span_.attributes.clear();
  run_span_.attributes.emplace_back("workflow.id", std::string(run.workflow_id));
  run_span_.attributes.emplace_back("execution.id", std::string(run.execution_id));
  if (!run.request_id.empty()) {
    run_span_.attributes.emplace_back("request.id", std::string(run.request_id));
  }
}

void RunTracer::on_node_start(const engine::RunInfo& run, const engine::NodeInfo& node) {
  if (node_span_) end_node(node.start_time, "node did not finish", true);
  Span s;
  s.name = "node.execute";
  s.kind = SpanKind::Internal;
  s.context.trace_id = run_span_.context.trace_id;
  s.context.span_id = new_span_id();
  s.context.sampled = run_span_.context.sampled;
  s.parent = run_span_.context.span_id;
  s.start = node.start_time;
  s.attributes.emplace_back("node.id", std::string(node.node_id));
  s.attributes.emplace_back("node.type", std::string(node.node_type));
  s.attributes.emplace_back("execution.id", std::string(run.execution_id));
  node_span_ = std::move(s);
}

void RunTracer::end_node(SystemClock::time_point end, std::string_view error, bool failed) {
  if (http_span_) {
    http_span_->end = end;
    set_error(*http_span_, end, "request did not complete");
    finish(*http_span_);
    http_span_.reset();
  }
  if (!node_span_) return;
  node_span_->end = end;
  if (failed) {
    set_error(*node_span_, end, error);
  } else {
    node_span_->status = SpanStatus::Ok;
  }
  finish(*node_span_);
  node_span_.reset();
}

void RunTracer::on_node_success(const engine::RunInfo&, const engine::NodeInfo& node,
                                std::chrono::nanoseconds elapsed, const Value&) {
  end_node(after(node.start_time, elapsed), {}, false);
}

void RunTracer::on_node_failure(const engine::RunInfo&, const engine::NodeInfo& node,
                                std::chrono::nanoseconds elapsed, std::string_view error) {
  end_node(after(node.start_time, elapsed), error, true);
}

void RunTracer::on_workflow_end(const engine::RunInfo& run, const engine::RunEnd& end) {
  const auto end_time = after(run.start_time, end.elapsed);
  if (node_span_ || http_span_) end_node(end_time, "node did not finish", true);
  run_span_.end = end_time;
  run_span_.attributes.emplace_back("thaiyyal.status", std::string(end.status));
  if (!end.limit.empty()) {
    run_span_.attributes.emplace_back("thaiyyal.limit", std::string(end.limit));
  }
  run_span_.attributes.emplace_back("thaiyyal.nodes_executed",
                                    static_cast<std::int64_t>(end.nodes_executed));
  if (end.success) {
    run_span_.status = SpanStatus::Ok;
  } else {
    std::string_view message = end.error;
    if (message.empty()) message = end.status.empty() ? std::string_view("failed") : end.status;
    set_error(run_span_, end_time, message);
  }
  finish(run_span_);
}

void RunTracer::on_http_request(const engine::RunInfo&, const engine::NodeInfo& node,
                                engine::OutboundHeaders& headers) {
  const Span& parent = node_span_ ? *node_span_ : run_span_;
  Span s;
  s.name = "http.request";
  s.kind = SpanKind::Client;
  s.context.trace_id = parent.context.trace_id;
  s.context.span_id = new_span_id();
  s.context.sampled = parent.context.sampled;
  s.parent = parent.context.span_id;
  s.start = SystemClock::now();
  if (!node.node_id.empty()) s.attributes.emplace_back("node.id", std::string(node.node_id));

  std::erase_if(headers, [](const auto& h) {
    static constexpr std::string_view name = "traceparent";
    return h.first.size() == name.size() &&
           std::equal(h.first.begin(), h.first.end(), name.begin(), [](char a, char b) {
             return (a >= 'A' && a <= 'Z' ? static_cast<char>(a - 'A' + 'a') : a) == b;
           });
  });
  headers.emplace_back("traceparent", format_traceparent(s.context));

  if (http_span_) {  // an attempt that was never reported
    http_span_->end = s.start;
    set_error(*http_span_, s.start, "request did not complete");
    finish(*http_span_);
  }
  http_span_ = std::move(s);
}

void RunTracer::on_http_call(const engine::RunInfo&, const engine::NodeInfo& node,
                             const engine::HttpCall& call) {
  const auto now = SystemClock::now();
  if (!http_span_) {
    // No request event came first: record the call under a fresh id.
    const Span& parent = node_span_ ? *node_span_ : run_span_;
    Span s;
    s.name = "http.request";
    s.kind = SpanKind::Client;
    s.context.trace_id = parent.context.trace_id;
    s.context.span_id = new_span_id();
    s.context.sampled = parent.context.sampled;
    s.parent = parent.context.span_id;
    s.start = now - std::chrono::duration_cast<SystemClock::duration>(call.elapsed);
    if (!node.node_id.empty()) s.attributes.emplace_back("node.id", std::string(node.node_id));
    http_span_ = std::move(s);
  }
  Span& s = *http_span_;
  s.end = std::max(after(s.start, call.elapsed), s.start);
  s.attributes.emplace_back("http.request.method", std::string(call.method));
  if (call.status > 0) {
    s.attributes.emplace_back("http.response.status_code", static_cast<std::int64_t>(call.status));
  }
  s.attributes.emplace_back("thaiyyal.outcome", std::string(call.outcome));
  if (!call.client_uid.empty()) {
    s.attributes.emplace_back("thaiyyal.client_uid", std::string(call.client_uid));
  }
  if (call.outcome != "ok") {
    std::string message(call.outcome.empty() ? std::string_view("error") : call.outcome);
    if (!call.error.empty()) message += ": " + std::string(call.error);
    set_error(s, s.end, message);
  } else if (call.status >= 400) {
    // A client span is in error for any 4xx/5xx answer (OTel HTTP conventions).
    s.status = SpanStatus::Error;
    s.status_message = "HTTP " + std::to_string(call.status);
  }
  finish(s);
  http_span_.reset();
}

}  // namespace thaiyyal::trace
