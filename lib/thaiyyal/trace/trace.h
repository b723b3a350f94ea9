/// Distributed tracing (spec 04 §3.6, recommendation R-08): W3C trace
/// context, spans of runs and nodes, and their export as OTLP/HTTP JSON to a
/// collector. Export happens on a background thread from a bounded queue
/// that drops spans rather than block a run. Off unless an endpoint is
/// configured.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "thaiyyal/engine/observer.h"

namespace thaiyyal::trace {

/// A W3C trace id: 16 bytes, never all zero when valid.
using TraceId = std::array<std::uint8_t, 16>;
/// A W3C span (parent) id: 8 bytes, never all zero when valid.
using SpanId = std::array<std::uint8_t, 8>;

/// A position in a trace: the W3C `traceparent` fields.
struct SpanContext {
  TraceId trace_id{};
  SpanId span_id{};
  /// The `sampled` trace flag. Spans of an unsampled context are not
  /// exported, but the context is still propagated (with flags 00).
  bool sampled = true;
};

/// Parses `00-<32 hex>-<16 hex>-<2 hex>` (lowercase hex; version 00 is exactly
/// 55 characters). Future versions (01 to fe) are read by their first four
/// fields when those are followed by `-` or the end, as the W3C spec asks;
/// version ff is invalid. nullopt when malformed or when an id is all zeros.
std::optional<SpanContext> parse_traceparent(std::string_view header);
/// `00-<trace id>-<span id>-01` (or -00 when not sampled).
std::string format_traceparent(const SpanContext& ctx);
/// A random non-zero trace id (thread-safe).
TraceId new_trace_id();
/// A random non-zero span id (thread-safe).
SpanId new_span_id();
/// Lowercase hex of an id (32 characters).
std::string to_hex(const TraceId& id);
/// Lowercase hex of an id (16 characters).
std::string to_hex(const SpanId& id);

/// The OTLP span kinds used here (encoded 1, 2 and 3).
enum class SpanKind : std::uint8_t { Internal, Server, Client };
/// The OTLP status codes (encoded 0, 1 and 2).
enum class SpanStatus : std::uint8_t { Unset, Ok, Error };
/// An attribute value: OTLP stringValue, intValue, doubleValue or boolValue.
using AttributeValue = std::variant<std::string, std::int64_t, double, bool>;
/// Named attribute values, in the order they are encoded.
using Attributes = std::vector<std::pair<std::string, AttributeValue>>;

/// A timed event of a span (e.g. `exception` with `exception.message`).
struct SpanEvent {
  std::string name;
  std::chrono::system_clock::time_point time;
  Attributes attributes;
};

/// One finished span, as exported.
struct Span {
  std::string name;
  SpanContext context;
  /// The parent span's id (same trace); none for a root span.
  std::optional<SpanId> parent;
  SpanKind kind = SpanKind::Internal;
  std::chrono::system_clock::time_point start;
  std::chrono::system_clock::time_point end;
  Attributes attributes;
  std::vector<SpanEvent> events;
  SpanStatus status = SpanStatus::Unset;
  /// Encoded only when non-empty (OTLP ignores it unless status is Error).
  std::string status_message;
};

/// Configuration of an Exporter.
struct ExporterOptions {
  /// The collector: http(s)://host:port (OTLP/HTTP); `/v1/traces` is
  /// appended unless the URL already has a path other than `/`. Empty:
  /// export is off and submitted spans are discarded.
  std::string endpoint;
  std::string service_name = "thaiyyal";  ///< resource attribute service.name
  std::string service_version;            ///< service.version, when non-empty
  std::size_t max_queue = 2048;           ///< spans waiting; more are dropped
  std::size_t max_batch = 512;            ///< spans per export request
  /// How long a span may wait for a batch to fill before it is exported.
  std::chrono::milliseconds flush_interval{1000};
  std::chrono::milliseconds timeout{5000};  ///< of one export request
};

/// OTLP/HTTP JSON exporter. Thread-safe; submit() never blocks on the
/// network.
class Exporter {
 public:
  /// Starts the export thread (none when the endpoint is empty).
  explicit Exporter(ExporterOptions options);
  /// Exports what is queued (for up to the request timeout in all), then
  /// stops; what is still queued at the deadline counts as dropped.
  ~Exporter();
  Exporter(const Exporter&) = delete;
  Exporter& operator=(const Exporter&) = delete;

  /// Queues a span for export, or drops it (counted) when the queue is full.
  /// Never throws.
  void submit(Span span) noexcept;
  /// Waits until every span queued at the call has been sent (or its
  /// request failed), for at most `timeout`; true when all of them were
  /// delivered in time (also when there was nothing to send).
  bool flush(std::chrono::milliseconds timeout);
  std::uint64_t dropped() const;   ///< spans lost to a full queue
  std::uint64_t exported() const;  ///< spans the collector accepted
  std::uint64_t failed() const;    ///< spans whose export request failed
  /// The URL spans are posted to (empty when export is off).
  const std::string& url() const;

  /// The OTLP JSON document (ExportTraceServiceRequest) of `spans`.
  std::string encode(const std::vector<Span>& spans) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// An observer tracing one run: a `workflow.execute` span (child of
/// `parent` when given, else a new trace) with `node.execute` children, and
/// an `http.request` client span (child of the node's span) per outbound
/// request attempt of an http node, whose context is injected into the
/// request as its `traceparent` (replacing one set by the workflow).
/// Attributes as the reference's: workflow.id, execution.id, node.id,
/// node.type (and request.id when set). Not thread-safe: one per run.
class RunTracer final : public engine::Observer {
 public:
  /// Creates the run's span context: `parent`'s trace (a new one when none)
  /// and a new span id whose parent is `parent`'s span.
  RunTracer(Exporter& exporter, std::optional<SpanContext> parent);

  /// The run's span context (valid from construction).
  const SpanContext& context() const { return run_span_.context; }

  void on_workflow_start(const engine::RunInfo& run) override;
  void on_node_start(const engine::RunInfo& run, const engine::NodeInfo& node) override;
  void on_node_success(const engine::RunInfo& run, const engine::NodeInfo& node,
                       std::chrono::nanoseconds elapsed, const Value& result) override;
  void on_node_failure(const engine::RunInfo& run, const engine::NodeInfo& node,
                       std::chrono::nanoseconds elapsed, std::string_view error) override;
  void on_workflow_end(const engine::RunInfo& run, const engine::RunEnd& end) override;
  void on_http_request(const engine::RunInfo& run, const engine::NodeInfo& node,
                       engine::OutboundHeaders& headers) override;
  void on_http_call(const engine::RunInfo& run, const engine::NodeInfo& node,
                    const engine::HttpCall& call) override;

 private:
  void finish(Span& span);
  void end_node(std::chrono::system_clock::time_point end, std::string_view error, bool failed);

  Exporter& exporter_;
  Span run_span_;
  std::optional<Span> node_span_;
  std::optional<Span> http_span_;
};

}  // namespace thaiyyal::trace
