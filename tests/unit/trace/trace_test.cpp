#include "thaiyyal/trace/trace.h"

#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <cstring>
#include <limits>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "thaiyyal/model/value_json.h"

using namespace thaiyyal;
using namespace thaiyyal::trace;
using namespace std::chrono_literals;

namespace {

/// One request the loopback collector received.
struct Received {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;  ///< lowercase names
  std::string body;
};

/// A minimal HTTP/1.1 server on 127.0.0.1 (a free port) that records each
/// request and answers it with `status` and `{}`, closing the connection.
class Collector {
 public:
  explicit Collector(int status = 200) : status_(status) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(listen_fd_ >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    REQUIRE(::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(::listen(listen_fd_, 16) == 0);
    socklen_t len = sizeof addr;
    REQUIRE(::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~Collector() {
    stop_ = true;
    thread_.join();
    ::close(listen_fd_);
  }
  Collector(const Collector&) = delete;
  Collector& operator=(const Collector&) = delete;

  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }

  std::vector<Received> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  void serve() {
    while (!stop_) {
      pollfd p{listen_fd_, POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0) continue;
      const int fd = ::accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) continue;
      handle(fd);
      ::close(fd);
    }
  }

  void handle(int fd) {
    std::string data;
    char buf[4096];
    std::size_t header_end = std::string::npos;
    while (header_end == std::string::npos) {
      const auto n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) return;
      data.append(buf, static_cast<std::size_t>(n));
      header_end = data.find("\r\n\r\n");
    }
    Received r;
    const std::string head = data.substr(0, header_end);
    std::size_t line_end = head.find("\r\n");
    const std::string request_line = head.substr(0, line_end);
    const auto sp1 = request_line.find(' ');
    const auto sp2 = request_line.find(' ', sp1 + 1);
    r.method = request_line.substr(0, sp1);
    r.target = request_line.substr(sp1 + 1, sp2 - sp1 - 1);
    while (line_end != std::string::npos && line_end < head.size()) {
      const auto start = line_end + 2;
      line_end = head.find("\r\n", start);
      const std::string line =
          head.substr(start, line_end == std::string::npos ? std::string::npos : line_end - start);
      const auto colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string name = line.substr(0, colon);
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      r.headers[name] = value;
    }
    const std::size_t length =
        r.headers.count("content-length") ? std::stoul(r.headers["content-length"]) : 0;
    r.body = data.substr(header_end + 4);
    while (r.body.size() < length) {
      const auto n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) return;
      r.body.append(buf, static_cast<std::size_t>(n));
    }
    {
      std::lock_guard lock(mutex_);
      requests_.push_back(std::move(r));
    }
    const std::string answer = "HTTP/1.1 " + std::to_string(status_) +
                               " X\r\nContent-Type: application/json\r\nContent-Length: "
                               "2\r\nConnection: close\r\n\r\n{}";
    ::send(fd, answer.data(), answer.size(), MSG_NOSIGNAL);
  }

  int status_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  mutable std::mutex mutex_;
  std::vector<Received> requests_;
};

/// A loopback port that nothing listens on (bound, then released).
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

/// A loopback socket that accepts connections (the kernel's backlog) but
/// never reads or answers.
struct BlackHole {
  BlackHole() {
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(fd, 16);
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    port = ntohs(addr.sin_port);
  }
  ~BlackHole() { ::close(fd); }
  int fd = -1;
  int port = 0;
};

SpanContext ctx_of(const char* trace_hex, const char* span_hex) {
  auto parsed = parse_traceparent(std::string("00-") + trace_hex + "-" + span_hex + "-01");
  REQUIRE(parsed.has_value());
  return *parsed;
}

std::chrono::system_clock::time_point at_nanos(std::int64_t ns) {
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::nanoseconds(ns)));
}

const std::string& str(const Value* v) {
  REQUIRE(v != nullptr);
  REQUIRE(v->is_string());
  return v->as_string();
}

double num(const Value* v) {
  REQUIRE(v != nullptr);
  REQUIRE(v->is_number());
  return v->as_number();
}

/// The spans of an OTLP JSON document, in order.
std::vector<Value> spans_of(const std::string& body) {
  const Value doc = parse_json(body);
  std::vector<Value> out;
  for (const auto& rs : doc.find("resourceSpans")->as_array()) {
    for (const auto& ss : rs.find("scopeSpans")->as_array()) {
      for (const auto& s : ss.find("spans")->as_array()) out.push_back(s);
    }
  }
  return out;
}

/// The value object of attribute `key` of a span (or of a resource), or nullptr.
const Value* attr(const Value& holder, std::string_view key) {
  const Value* attrs = holder.find("attributes");
  if (!attrs) return nullptr;
  for (const auto& kv : attrs->as_array()) {
    if (str(kv.find("key")) == key) return kv.find("value");
  }
  return nullptr;
}

std::string string_attr(const Value& span, std::string_view key) {
  const Value* v = attr(span, key);
  REQUIRE_MESSAGE(v != nullptr, key);
  return str(v->find("stringValue"));
}

/// Every span the collector received, from all its requests.
std::vector<Value> collected(const Collector& c) {
  std::vector<Value> out;
  for (const auto& r : c.requests()) {
    for (auto& s : spans_of(r.body)) out.push_back(std::move(s));
  }
  return out;
}

const Value& named(const std::vector<Value>& spans, std::string_view name, std::size_t nth = 0) {
  for (const auto& s : spans) {
    if (str(s.find("name")) == name && nth-- == 0) return s;
  }
  FAIL("no span " << name);
  static const Value none;
  return none;
}

Span simple_span(std::string name) {
  Span s;
  s.name = std::move(name);
  s.context.trace_id = new_trace_id();
  s.context.span_id = new_span_id();
  s.start = std::chrono::system_clock::now();
  s.end = s.start;
  return s;
}

ExporterOptions options_for(std::string endpoint) {
  ExporterOptions o;
  o.endpoint = std::move(endpoint);
  o.timeout = 2000ms;
  return o;
}

}  // namespace

TEST_SUITE("trace") {
  TEST_CASE("traceparent: parse and format round trip") {
    const std::string text = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    const auto ctx = parse_traceparent(text);
    REQUIRE(ctx.has_value());
    CHECK(to_hex(ctx->trace_id) == "4bf92f3577b34da6a3ce929d0e0e4736");
    CHECK(to_hex(ctx->span_id) == "00f067aa0ba902b7");
    CHECK(ctx->sampled);
    CHECK(format_traceparent(*ctx) == text);

    const auto unsampled =
        parse_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
    REQUIRE(unsampled.has_value());
    CHECK_FALSE(unsampled->sampled);
    CHECK(format_traceparent(*unsampled) ==
          "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");

    // Flags other than "sampled" are read but not kept.
    const auto other_flags =
        parse_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-03");
    REQUIRE(other_flags.has_value());
    CHECK(other_flags->sampled);
    CHECK(format_traceparent(*other_flags).ends_with("-01"));
  }

  TEST_CASE("traceparent: future versions are read by their first four fields") {
    const std::string base = "4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    for (const std::string& text : {"01-" + base, "cc-" + base,
                                    "fe-" + base + "-what-the-future-holds", "01-" + base + "-"}) {
      CAPTURE(text);
      const auto ctx = parse_traceparent(text);
      REQUIRE(ctx.has_value());
      CHECK(to_hex(ctx->span_id) == "00f067aa0ba902b7");
      CHECK(format_traceparent(*ctx) == "00-" + base);
    }
  }

  TEST_CASE("traceparent: invalid forms") {
    const std::string good_trace = "4bf92f3577b34da6a3ce929d0e0e4736";
    const std::string good_span = "00f067aa0ba902b7";
    const std::vector<std::string> bad = {
        "",
        "00",
        "00-" + good_trace + "-" + good_span,                         // no flags
        "00-" + good_trace + "-" + good_span + "-0",                  // short flags
        "00-" + good_trace + "-" + good_span + "-01-",                // version 00 is exactly 55
        "00-" + good_trace + "-" + good_span + "-01x",                //
        "01-" + good_trace + "-" + good_span + "-01x",                // future: must be '-' after
        "ff-" + good_trace + "-" + good_span + "-01",                 // version ff
        "0g-" + good_trace + "-" + good_span + "-01",                 // bad version hex
        "0A-" + good_trace + "-" + good_span + "-01",                 // uppercase version
        "00-" + std::string(32, '0') + "-" + good_span + "-01",       // zero trace id
        "00-" + good_trace + "-" + std::string(16, '0') + "-01",      // zero span id
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-" + good_span + "-01",   // uppercase trace id
        "00-" + good_trace + "-00F067AA0BA902B7-01",                  // uppercase span id
        "00-" + good_trace + "-" + good_span + "-0A",                 // uppercase flags
        "00-" + good_trace + "-" + good_span + "-zz",                 // bad flags hex
        "00_" + good_trace + "-" + good_span + "-01",                 // separators
        "00-" + good_trace + "_" + good_span + "-01",                 //
        "00-" + good_trace + "-" + good_span + "_01",                 //
        "00-" + good_trace.substr(1) + "-0" + good_span + "-01",      // misplaced dash
        "00-" + good_trace + "-" + good_span.substr(0, 15) + "g-01",  // non-hex in span id
        " 00-" + good_trace + "-" + good_span + "-01",                // leading space
    };
    for (const auto& text : bad) {
      CAPTURE(text);
      CHECK_FALSE(parse_traceparent(text).has_value());
    }
  }

  TEST_CASE("random ids are non-zero, distinct and lowercase hex") {
    std::set<std::string> traces;
    std::set<std::string> spans;
    for (int i = 0; i < 200; ++i) {
      const auto t = to_hex(new_trace_id());
      const auto s = to_hex(new_span_id());
      CHECK(t.size() == 32);
      CHECK(s.size() == 16);
      CHECK(t.find_first_not_of("0123456789abcdef") == std::string::npos);
      CHECK(s.find_first_not_of("0123456789abcdef") == std::string::npos);
      CHECK(t != std::string(32, '0'));
      CHECK(s != std::string(16, '0'));
      traces.insert(t);
      spans.insert(s);
    }
    CHECK(traces.size() == 200);
    CHECK(spans.size() == 200);

    // Each thread has its own generator: ids from several threads still differ.
    std::vector<std::string> from_threads(4);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < from_threads.size(); ++i) {
      threads.emplace_back([&, i] { from_threads[i] = to_hex(new_trace_id()); });
    }
    for (auto& t : threads) t.join();
    CHECK(std::set<std::string>(from_threads.begin(), from_threads.end()).size() == 4);
  }

  TEST_CASE("export url gets /v1/traces unless it has a path") {
    CHECK(Exporter(options_for("http://127.0.0.1:4318")).url() ==
          "http://127.0.0.1:4318/v1/traces");
    CHECK(Exporter(options_for("http://collector:4318/")).url() ==
          "http://collector:4318/v1/traces");
    CHECK(Exporter(options_for("https://c.example/otlp/traces")).url() ==
          "https://c.example/otlp/traces");
    CHECK(Exporter(options_for("")).url().empty());
  }

  TEST_CASE("encode: OTLP JSON with ids, parent links, kinds, times and attributes") {
    ExporterOptions o;
    o.service_name = "svc";
    o.service_version = "1.2.3";
    Exporter exporter(o);  // no endpoint: only encoding is used

    const auto parent = ctx_of("0102030405060708090a0b0c0d0e0f10", "a1a2a3a4a5a6a7a8");
    Span root;
    root.name = "workflow.execute";
    root.context = parent;
    root.kind = SpanKind::Server;
    root.start = at_nanos(1700000000123456789);
    root.end = at_nanos(1700000001000000000);
    root.attributes = {{"s", std::string("text \"quoted\"")},
                       {"i", std::int64_t{-9007199254740993}},
                       {"d", 2.5},
                       {"b", true}};
    root.status = SpanStatus::Ok;

    Span child;
    child.name = "http.request";
    child.context.trace_id = parent.trace_id;
    child.context.span_id = ctx_of("0102030405060708090a0b0c0d0e0f10", "b1b2b3b4b5b6b7b8").span_id;
    child.parent = parent.span_id;
    child.kind = SpanKind::Client;
    child.start = at_nanos(5);
    child.end = at_nanos(7);
    child.status = SpanStatus::Error;
    child.status_message = "boom";
    child.events.push_back(
        SpanEvent{"exception", at_nanos(6), {{"exception.message", std::string("boom")}}});

    Span internal = simple_span("node.execute");

    const Value doc = parse_json(exporter.encode({root, child, internal}));
    const auto& rs = doc.find("resourceSpans")->as_array();
    REQUIRE(rs.size() == 1);
    const Value* resource = rs[0].find("resource");
    REQUIRE(resource != nullptr);
    CHECK(str(attr(*resource, "service.name")->find("stringValue")) == "svc");
    CHECK(str(attr(*resource, "service.version")->find("stringValue")) == "1.2.3");
    const auto& ss = rs[0].find("scopeSpans")->as_array();
    REQUIRE(ss.size() == 1);
    CHECK(str(ss[0].find("scope")->find("name")) == "thaiyyal");

    const auto spans = spans_of(exporter.encode({root, child, internal}));
    REQUIRE(spans.size() == 3);
    const Value& r = spans[0];
    CHECK(str(r.find("traceId")) == "0102030405060708090a0b0c0d0e0f10");
    CHECK(str(r.find("spanId")) == "a1a2a3a4a5a6a7a8");
    CHECK(r.find("parentSpanId") == nullptr);
    CHECK(str(r.find("name")) == "workflow.execute");
    CHECK(num(r.find("kind")) == 2);
    CHECK(str(r.find("startTimeUnixNano")) == "1700000000123456789");
    CHECK(str(r.find("endTimeUnixNano")) == "1700000001000000000");
    CHECK(str(attr(r, "s")->find("stringValue")) == "text \"quoted\"");
    CHECK(str(attr(r, "i")->find("intValue")) == "-9007199254740993");
    CHECK(num(attr(r, "d")->find("doubleValue")) == 2.5);
    CHECK(attr(r, "b")->find("boolValue")->as_bool());
    CHECK(num(r.find("status")->find("code")) == 1);
    CHECK(r.find("status")->find("message") == nullptr);
    CHECK(r.find("events") == nullptr);

    const Value& c = spans[1];
    CHECK(str(c.find("traceId")) == "0102030405060708090a0b0c0d0e0f10");
    CHECK(str(c.find("spanId")) == "b1b2b3b4b5b6b7b8");
    CHECK(str(c.find("parentSpanId")) == "a1a2a3a4a5a6a7a8");
    CHECK(num(c.find("kind")) == 3);
    CHECK(str(c.find("startTimeUnixNano")) == "5");
    CHECK(str(c.find("endTimeUnixNano")) == "7");
    CHECK(c.find("attributes") == nullptr);
    CHECK(num(c.find("status")->find("code")) == 2);
    CHECK(str(c.find("status")->find("message")) == "boom");
    const auto& events = c.find("events")->as_array();
    REQUIRE(events.size() == 1);
    CHECK(str(events[0].find("name")) == "exception");
    CHECK(str(events[0].find("timeUnixNano")) == "6");
    CHECK(str(attr(events[0], "exception.message")->find("stringValue")) == "boom");

    CHECK(num(spans[2].find("kind")) == 1);
    CHECK(num(spans[2].find("status")->find("code")) == 0);
  }

  TEST_CASE("encode: invalid UTF-8 and non-finite doubles still give valid JSON") {
    Exporter exporter(ExporterOptions{});
    Span s = simple_span("bad \xff name");
    s.attributes = {{"nan", std::numeric_limits<double>::quiet_NaN()},
                    {"inf", -std::numeric_limits<double>::infinity()}};
    const auto spans = spans_of(exporter.encode({s}));
    REQUIRE(spans.size() == 1);
    CHECK(str(spans[0].find("name")) == "bad \xEF\xBF\xBD name");
    CHECK(str(attr(spans[0], "nan")->find("doubleValue")) == "NaN");
    CHECK(str(attr(spans[0], "inf")->find("doubleValue")) == "-Infinity");
  }

  TEST_CASE("RunTracer: workflow, node and http spans with parent links and injection") {
    Collector collector;
    auto opts = options_for(collector.endpoint());
    opts.max_batch = 2;  // several requests: spans are collected across them
    Exporter exporter(opts);

    const auto server = ctx_of("11112222333344445555666677778888", "9999aaaabbbbcccc");
    RunTracer tracer(exporter, server);
    CHECK(tracer.context().trace_id == server.trace_id);
    CHECK(tracer.context().span_id != server.span_id);

    const auto t0 = at_nanos(1'700'000'000'000'000'000);
    engine::RunInfo run{"exec-1", "wf-1", t0, "req-9"};
    tracer.on_workflow_start(run);

    engine::NodeInfo fetch{"fetch", "http", t0 + 1ms};
    tracer.on_node_start(run, fetch);
    engine::OutboundHeaders headers{{"Accept", "application/json"},
                                    {"TraceParent", "00-stale"},
                                    {"traceparent", "00-also-stale"}};
    tracer.on_http_request(run, fetch, headers);
    std::vector<std::string> injected;
    for (const auto& [k, v] : headers) {
      if (k == "traceparent" || k == "TraceParent") injected.push_back(v);
    }
    REQUIRE(injected.size() == 1);
    CHECK(headers.front().first == "Accept");
    const auto attempt1 = parse_traceparent(injected[0]);
    REQUIRE(attempt1.has_value());
    CHECK(attempt1->trace_id == server.trace_id);
    engine::HttpCall call1;
    call1.method = "GET";
    call1.status = 503;
    call1.outcome = "ok";
    call1.client_uid = "api";
    call1.elapsed = 3ms;
    tracer.on_http_call(run, fetch, call1);

    engine::OutboundHeaders headers2;
    tracer.on_http_request(run, fetch, headers2);
    REQUIRE(headers2.size() == 1);
    const auto attempt2 = parse_traceparent(headers2[0].second);
    REQUIRE(attempt2.has_value());
    CHECK(attempt2->span_id != attempt1->span_id);
    engine::HttpCall call2;
    call2.method = "GET";
    call2.outcome = "timeout";
    tracer.on_http_call(run, fetch, call2);
    tracer.on_node_success(run, fetch, 10ms, Value(1));

    engine::NodeInfo calc{"calc", "expression", t0 + 20ms};
    tracer.on_node_start(run, calc);
    tracer.on_node_failure(run, calc, 2ms, "division by zero");

    engine::RunEnd end;
    end.elapsed = 30ms;
    end.success = false;
    end.status = "failed";
    end.nodes_executed = 2;
    end.error = "division by zero";
    tracer.on_workflow_end(run, end);

    REQUIRE(exporter.flush(10s));
    CHECK(exporter.exported() == 5);
    CHECK(exporter.failed() == 0);
    const auto spans = collected(collector);
    REQUIRE(spans.size() == 5);

    const Value& wf = named(spans, "workflow.execute");
    const std::string trace_hex = to_hex(server.trace_id);
    for (const auto& s : spans) CHECK(str(s.find("traceId")) == trace_hex);
    CHECK(str(wf.find("spanId")) == to_hex(tracer.context().span_id));
    CHECK(str(wf.find("parentSpanId")) == "9999aaaabbbbcccc");
    CHECK(num(wf.find("kind")) == 1);
    CHECK(string_attr(wf, "workflow.id") == "wf-1");
    CHECK(string_attr(wf, "execution.id") == "exec-1");
    CHECK(string_attr(wf, "request.id") == "req-9");
    CHECK(string_attr(wf, "thaiyyal.status") == "failed");
    CHECK(str(attr(wf, "thaiyyal.nodes_executed")->find("intValue")) == "2");
    CHECK(str(wf.find("startTimeUnixNano")) == "1700000000000000000");
    CHECK(str(wf.find("endTimeUnixNano")) == "1700000000030000000");
    CHECK(num(wf.find("status")->find("code")) == 2);
    CHECK(str(wf.find("status")->find("message")) == "division by zero");

    const Value& n1 = named(spans, "node.execute", 0);
    const Value& n2 = named(spans, "node.execute", 1);
    const Value& fetch_span = string_attr(n1, "node.id") == "fetch" ? n1 : n2;
    const Value& calc_span = string_attr(n1, "node.id") == "fetch" ? n2 : n1;
    for (const Value* n : {&fetch_span, &calc_span}) {
      CHECK(str(n->find("parentSpanId")) == str(wf.find("spanId")));
      CHECK(string_attr(*n, "execution.id") == "exec-1");
    }
    CHECK(string_attr(fetch_span, "node.type") == "http");
    CHECK(str(fetch_span.find("startTimeUnixNano")) == "1700000000001000000");
    CHECK(str(fetch_span.find("endTimeUnixNano")) == "1700000000011000000");
    CHECK(num(fetch_span.find("status")->find("code")) == 1);
    CHECK(string_attr(calc_span, "node.id") == "calc");
    CHECK(string_attr(calc_span, "node.type") == "expression");
    CHECK(num(calc_span.find("status")->find("code")) == 2);
    CHECK(str(calc_span.find("status")->find("message")) == "division by zero");
    REQUIRE(calc_span.find("events") != nullptr);
    CHECK(str(calc_span.find("events")->as_array()[0].find("name")) == "exception");

    const Value& h1 = named(spans, "http.request", 0);
    const Value& h2 = named(spans, "http.request", 1);
    const Value& first = str(h1.find("spanId")) == to_hex(attempt1->span_id) ? h1 : h2;
    const Value& second = &first == &h1 ? h2 : h1;
    // The injected traceparent names the client span: the downstream server's
    // span becomes its child.
    CHECK(str(first.find("spanId")) == to_hex(attempt1->span_id));
    CHECK(str(second.find("spanId")) == to_hex(attempt2->span_id));
    for (const Value* h : {&first, &second}) {
      CHECK(num(h->find("kind")) == 3);
      CHECK(str(h->find("parentSpanId")) == str(fetch_span.find("spanId")));
      CHECK(string_attr(*h, "http.request.method") == "GET");
      CHECK(num(h->find("status")->find("code")) == 2);
    }
    CHECK(str(attr(first, "http.response.status_code")->find("intValue")) == "503");
    CHECK(string_attr(first, "thaiyyal.outcome") == "ok");
    CHECK(string_attr(first, "thaiyyal.client_uid") == "api");
    CHECK(attr(second, "http.response.status_code") == nullptr);
    CHECK(attr(second, "thaiyyal.client_uid") == nullptr);
    CHECK(string_attr(second, "thaiyyal.outcome") == "timeout");
    CHECK(str(second.find("status")->find("message")) == "timeout");
  }

  TEST_CASE("RunTracer: a successful run without a parent starts a new trace") {
    Collector collector;
    Exporter exporter(options_for(collector.endpoint()));
    RunTracer a(exporter, std::nullopt);
    RunTracer b(exporter, std::nullopt);
    CHECK(a.context().trace_id != b.context().trace_id);

    const auto t0 = std::chrono::system_clock::now();
    engine::RunInfo run{"e", "", t0, ""};
    a.on_workflow_start(run);
    // A request outside any node carries the run span's context.
    engine::OutboundHeaders headers;
    a.on_http_request(run, engine::NodeInfo{}, headers);
    REQUIRE(headers.size() == 1);
    engine::HttpCall call;
    call.method = "POST";
    call.status = 200;
    call.outcome = "ok";
    a.on_http_call(run, engine::NodeInfo{}, call);
    engine::RunEnd end;
    end.success = true;
    end.status = "ok";
    a.on_workflow_end(run, end);

    REQUIRE(exporter.flush(10s));
    const auto spans = collected(collector);
    REQUIRE(spans.size() == 2);
    const Value& wf = named(spans, "workflow.execute");
    const Value& http = named(spans, "http.request");
    CHECK(wf.find("parentSpanId") == nullptr);
    CHECK(str(wf.find("traceId")) == to_hex(a.context().trace_id));
    CHECK(num(wf.find("status")->find("code")) == 1);
    CHECK(attr(wf, "request.id") == nullptr);
    CHECK(string_attr(wf, "workflow.id").empty());
    CHECK(str(http.find("parentSpanId")) == to_hex(a.context().span_id));
    CHECK(num(http.find("status")->find("code")) == 0);
    CHECK(str(attr(http, "http.response.status_code")->find("intValue")) == "200");
    CHECK(str(http.find("spanId")) == to_hex(parse_traceparent(headers[0].second)->span_id));
  }

  TEST_CASE("RunTracer: an unsampled parent propagates but exports nothing") {
    Collector collector;
    Exporter exporter(options_for(collector.endpoint()));
    auto parent = parse_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
    REQUIRE(parent.has_value());
    RunTracer tracer(exporter, parent);
    engine::RunInfo run{"e", "w", std::chrono::system_clock::now(), ""};
    tracer.on_workflow_start(run);
    engine::NodeInfo node{"n", "http", run.start_time};
    tracer.on_node_start(run, node);
    engine::OutboundHeaders headers;
    tracer.on_http_request(run, node, headers);
    REQUIRE(headers.size() == 1);
    const auto injected = parse_traceparent(headers[0].second);
    REQUIRE(injected.has_value());
    CHECK_FALSE(injected->sampled);
    CHECK(injected->trace_id == parent->trace_id);
    tracer.on_http_call(run, node, engine::HttpCall{});
    tracer.on_node_success(run, node, 1ms, Value());
    tracer.on_workflow_end(run, engine::RunEnd{});
    CHECK(exporter.flush(10s));
    CHECK(exporter.exported() == 0);
    CHECK(collector.requests().empty());
  }

  TEST_CASE("Exporter: POSTs OTLP JSON to /v1/traces") {
    Collector collector;
    auto opts = options_for(collector.endpoint());
    opts.service_name = "thaiyyal-test";
    Exporter exporter(opts);
    exporter.submit(simple_span("one"));
    exporter.submit(simple_span("two"));
    REQUIRE(exporter.flush(10s));
    CHECK(exporter.exported() == 2);
    CHECK(exporter.failed() == 0);
    CHECK(exporter.dropped() == 0);

    const auto requests = collector.requests();
    REQUIRE(requests.size() == 1);
    CHECK(requests[0].method == "POST");
    CHECK(requests[0].target == "/v1/traces");
    CHECK(requests[0].headers.at("content-type") == "application/json");
    const Value doc = parse_json(requests[0].body);
    const Value* resource = doc.find("resourceSpans")->as_array()[0].find("resource");
    CHECK(str(attr(*resource, "service.name")->find("stringValue")) == "thaiyyal-test");
    const auto spans = spans_of(requests[0].body);
    REQUIRE(spans.size() == 2);
    CHECK(str(spans[0].find("name")) == "one");
    CHECK(str(spans[1].find("name")) == "two");

    // Nothing queued: flush is immediate and true.
    CHECK(exporter.flush(0ms));
  }

  TEST_CASE("Exporter: a full batch is sent without waiting for the interval") {
    Collector collector;
    auto opts = options_for(collector.endpoint());
    opts.max_batch = 3;
    opts.flush_interval = std::chrono::hours(1);
    Exporter exporter(opts);
    for (int i = 0; i < 3; ++i) exporter.submit(simple_span("s"));
    // The worker needs no flush() to send a full batch: wait for the
    // collector to see it (bounded by the doctest run, not by a sleep).
    const auto give_up = std::chrono::steady_clock::now() + 20s;
    while (collector.requests().empty() && std::chrono::steady_clock::now() < give_up) {
      std::this_thread::yield();
    }
    REQUIRE(collector.requests().size() == 1);
    CHECK(spans_of(collector.requests()[0].body).size() == 3);
  }

  TEST_CASE("Exporter: a full queue drops and counts") {
    Collector collector;
    auto opts = options_for(collector.endpoint());
    opts.max_queue = 2;
    opts.max_batch = 100;
    opts.flush_interval = std::chrono::hours(1);  // nothing leaves before flush()
    Exporter exporter(opts);
    for (int i = 0; i < 5; ++i) exporter.submit(simple_span("s" + std::to_string(i)));
    CHECK(exporter.dropped() == 3);
    REQUIRE(exporter.flush(10s));
    CHECK(exporter.exported() == 2);
    const auto spans = collected(collector);
    REQUIRE(spans.size() == 2);
    CHECK(str(spans[0].find("name")) == "s0");
    CHECK(str(spans[1].find("name")) == "s1");
  }

  TEST_CASE("Exporter: a collector error counts the spans failed") {
    Collector collector(500);
    Exporter exporter(options_for(collector.endpoint()));
    exporter.submit(simple_span("x"));
    CHECK_FALSE(exporter.flush(10s));
    CHECK(exporter.failed() == 1);
    CHECK(exporter.exported() == 0);
    CHECK(collector.requests().size() == 1);
  }

  TEST_CASE("Exporter: an unreachable endpoint fails within the request timeout") {
    SUBCASE("connection refused") {
      Exporter exporter(options_for("http://127.0.0.1:" + std::to_string(closed_port())));
      exporter.submit(simple_span("x"));
      exporter.submit(simple_span("y"));
      CHECK_FALSE(exporter.flush(20s));
      CHECK(exporter.failed() == 2);
      CHECK(exporter.exported() == 0);
    }
    SUBCASE("no answer") {
      BlackHole hole;
      auto opts = options_for("http://127.0.0.1:" + std::to_string(hole.port));
      opts.timeout = 200ms;
      Exporter exporter(opts);
      exporter.submit(simple_span("x"));
      // flush() waits far longer than the request may take: it returns
      // because the request timed out, which failed() confirms.
      CHECK_FALSE(exporter.flush(20s));
      CHECK(exporter.failed() == 1);
      // Queued at destruction: the destructor gives up after the timeout.
      exporter.submit(simple_span("y"));
    }
  }

  TEST_CASE("Exporter: off without an endpoint") {
    Exporter exporter(ExporterOptions{});
    exporter.submit(simple_span("x"));
    CHECK(exporter.flush(0ms));
    CHECK(exporter.exported() == 0);
    CHECK(exporter.dropped() == 0);
  }

  TEST_CASE("Exporter: the destructor sends what is queued") {
    Collector collector;
    {
      auto opts = options_for(collector.endpoint());
      opts.flush_interval = std::chrono::hours(1);
      Exporter exporter(opts);
      exporter.submit(simple_span("last"));
    }
    const auto spans = collected(collector);
    REQUIRE(spans.size() == 1);
    CHECK(str(spans[0].find("name")) == "last");
  }
}
