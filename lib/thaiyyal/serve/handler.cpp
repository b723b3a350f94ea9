#include "thaiyyal/serve/handler.h"

#include <fmt/format.h>

#include <algorithm>
#include <exception>
#include <optional>
#include <utility>

#include "thaiyyal/check/compiled_workflow.h"
#include "thaiyyal/diag/diagnostic.h"
#include "thaiyyal/diag/render.h"
#include "thaiyyal/diag/spellcheck.h"
#include "thaiyyal/expr/dates.h"
#include "thaiyyal/load/loader.h"
#include "thaiyyal/model/duration.h"
#include "thaiyyal/model/value_json.h"
#include "thaiyyal/serve/handler_context.h"
#include "thaiyyal/store/history_writer.h"

namespace thaiyyal::serve {
namespace detail {

constexpr std::string_view kServiceName = "thaiyyal-workflow-engine";
constexpr std::string_view kExecutePath = "/api/v1/workflow/execute";
constexpr std::string_view kValidatePath = "/api/v1/workflow/validate";
/// The name diagnostics give the posted document (as "<stdin>" for stdin).
constexpr const char* kSourceName = "<request>";

enum class RouteId : std::uint8_t {
  Execute,
  Validate,
  Health,
  Live,
  Ready,
  Version,
  Metrics,
  Save,
  List,
  Load,
  Delete,
  ExecuteSaved,
  Update,
  Versions,
  VersionOne,
  Executions,
  ExecutionOne,
  RegisterClient,
  ListClients,
  Client,
};

struct Route {
  /// The route template: `{name}` segments match one non-empty segment.
  std::string_view path;
  RouteId id;
  /// Allowed methods; empty = any method.
  std::vector<std::string_view> methods;
};

/// Literal routes come before templates, so `/api/v1/workflow/list` is never
/// taken for the id "list".
const std::vector<Route>& routes() {
  static const std::vector<Route> table = {
      {kExecutePath, RouteId::Execute, {"POST"}},
      {kValidatePath, RouteId::Validate, {"POST"}},
      {"/api/v1/workflow/save", RouteId::Save, {"POST"}},
      {"/api/v1/workflow/list", RouteId::List, {"GET", "HEAD"}},
      {"/api/v1/executions", RouteId::Executions, {"GET", "HEAD"}},
      {"/api/v1/httpclient/register", RouteId::RegisterClient, {"POST"}},
      {"/api/v1/httpclient/list", RouteId::ListClients, {"GET", "HEAD"}},
      {"/health", RouteId::Health, {}},
      {"/health/live", RouteId::Live, {}},
      {"/health/ready", RouteId::Ready, {}},
      {"/version", RouteId::Version, {"GET", "HEAD"}},
      {"/metrics", RouteId::Metrics, {}},
      {"/api/v1/workflow/load/{id}", RouteId::Load, {"GET", "HEAD"}},
      {"/api/v1/workflow/delete/{id}", RouteId::Delete, {"DELETE"}},
      {"/api/v1/workflow/execute/{id}", RouteId::ExecuteSaved, {"POST"}},
      {"/api/v1/workflow/{id}/versions", RouteId::Versions, {"GET", "HEAD"}},
      {"/api/v1/workflow/{id}/versions/{version}", RouteId::VersionOne, {"GET", "HEAD"}},
      {"/api/v1/workflow/{id}", RouteId::Update, {"GET", "HEAD", "PUT"}},
      {"/api/v1/executions/{id}", RouteId::ExecutionOne, {"GET", "HEAD"}},
      {"/api/v1/httpclient/{uid}", RouteId::Client, {"GET", "HEAD", "DELETE"}},
  };
  return table;
}

/// Whether `path` matches the template; fills `params` with the segments
/// the `{name}` parts matched.
bool matches(std::string_view tmpl, std::string_view path, std::vector<std::string>& params) {
  params.clear();
  while (true) {
    const auto t_end = tmpl.find('/');
    const auto p_end = path.find('/');
    const std::string_view t = tmpl.substr(0, t_end);
    const std::string_view p = path.substr(0, p_end);
    if (t.size() >= 2 && t.front() == '{' && t.back() == '}') {
      // Only the last segment may be empty (`/load/` gives "Workflow ID is required").
      if (p.empty() && t_end != std::string_view::npos) return false;
      params.emplace_back(p);
    } else if (t != p) {
      return false;
    }
    if (t_end == std::string_view::npos || p_end == std::string_view::npos) {
      return t_end == p_end;
    }
    tmpl.remove_prefix(t_end + 1);
    path.remove_prefix(p_end + 1);
  }
}

const Route* find_route(std::string_view path, std::vector<std::string>& params) {
  for (const auto& r : routes()) {
    if (matches(r.path, path, params)) return &r;
  }
  return nullptr;
}

bool admin_route(RouteId id) {
  return id == RouteId::Health || id == RouteId::Live || id == RouteId::Ready ||
         id == RouteId::Metrics;
}

/// Compares in time independent of where the texts differ (the length of
/// the expected token aside).
bool same_secret(std::string_view given, std::string_view expected) {
  unsigned char diff = given.size() == expected.size() ? 0 : 1;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const char g = i < given.size() ? given[i] : '\0';
    diff |= static_cast<unsigned char>(g ^ expected[i]);
  }
  return diff == 0;
}

std::string_view route_of(std::string_view path) {
  std::vector<std::string> params;
  const Route* r = find_route(path, params);
  return r ? r->path : std::string_view("unmatched");
}

/// A client's X-Request-ID is kept when it is 1-128 characters of letters,
/// digits and `-_.:/+=@`; anything else (empty, long, control characters,
/// spaces) is replaced so that logs and headers stay clean.
bool acceptable_request_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("-_.:/+=@").find(c) != std::string_view::npos;
  });
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

/// The document format a Content-Type names: JSON (application/json, any
/// +json type), YAML (application/yaml, application/x-yaml, text/yaml,
/// text/x-yaml, any +yaml type), else detected from the content.
load::Format format_of(const std::string* content_type) {
  if (!content_type) return load::Format::Auto;
  std::string type = lower_ascii(content_type->substr(0, content_type->find(';')));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.pop_back();
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.erase(0, 1);
  auto ends_with = [&](std::string_view suffix) {
    return type.size() >= suffix.size() &&
           type.compare(type.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (type == "application/json" || type == "text/json" || ends_with("+json")) {
    return load::Format::Json;
  }
  if (type == "application/yaml" || type == "application/x-yaml" || type == "text/yaml" ||
      type == "text/x-yaml" || ends_with("+yaml")) {
    return load::Format::Yaml;
  }
  return load::Format::Auto;
}

/// Whether a diagnostic reports that the text is not JSON/YAML at all.
bool is_syntax_error(const diag::Diagnostic& d) {
  return d.code == "json-syntax" || d.code == "duplicate-key" || d.code == "nesting-too-deep" ||
         d.code == "number-out-of-range" || d.code.rfind("yaml-", 0) == 0;
}

/// `<request>:3:7: message` (the position only when known), as the CLI
/// lists a result's errors.
std::string positioned(const diag::Diagnostic& d) {
  const auto& w = d.where;
  if (w.line > 0) return fmt::format("{}:{}:{}: {}", kSourceName, w.line, w.column, d.message);
  return d.message;
}

/// Diagnostics in source order (by line and column; those without a
/// position first), as `thaiyyal validate` lists them.
std::vector<const diag::Diagnostic*> in_source_order(const diag::Diagnostics& diags) {
  std::vector<const diag::Diagnostic*> out;
  for (const auto& d : diags.all()) out.push_back(&d);
  std::stable_sort(out.begin(), out.end(), [](const auto* a, const auto* b) {
    return std::pair(a->where.line, a->where.column) < std::pair(b->where.line, b->where.column);
  });
  return out;
}

/// Each diagnostic as `thaiyyal validate --format json` writes it.
Value diagnostics_value(const diag::Diagnostics& diags) {
  Array out;
  for (const auto* d : in_source_order(diags)) out.push_back(parse_json(diag::render_json(*d)));
  return Value(std::move(out));
}

/// The first error in source order, or nullptr.
const diag::Diagnostic* first_error(const diag::Diagnostics& diags) {
  for (const auto* d : in_source_order(diags)) {
    if (d->severity == diag::Severity::Error) return d;
  }
  return nullptr;
}

std::string timestamp_now() { return expr::detail::format_instant(expr::detail::now_ms()); }

std::string join(const std::vector<std::string_view>& items, std::string_view sep) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += sep;
    out += item;
  }
  return out;
}

/// Loads a request body as a workflow (JSON or YAML by Content-Type) under
/// the document limits; every problem goes to `diags`.
std::optional<Workflow> load_text(const std::string& text, const std::string* content_type,
                                  const Limits& limits, diag::Diagnostics& diags) {
  auto source = std::make_shared<diag::SourceFile>(kSourceName, text);
  load::LoadOptions lo;
  lo.format = format_of(content_type);
  lo.max_payload_size = limits.max_payload_size;
  lo.max_nodes = limits.max_nodes;
  lo.max_edges = limits.max_edges;
  lo.stop_on_oversize = true;
  return load::load_workflow(source, lo, diags);
}

std::optional<Workflow> load_body(const Request& request, const Limits& limits,
                                  diag::Diagnostics& diags) {
  return load_text(request.body, find_header(request.headers, "Content-Type"), limits, diags);
}

}  // namespace detail

using namespace detail;

Handler::Handler(HandlerOptions options)
    : options_(std::move(options)),
      started_(std::chrono::steady_clock::now()),
      cache_(options_.compiled_cache_entries, options_.compiled_cache_bytes) {
  if (options_.store && options_.history) {
    store::HistoryWriterOptions writer;
    writer.log_error = [log = options_.log_error](std::string_view line) {
      if (log) log(std::string(line));
    };
    if (options_.metrics) {
      options_.metrics->record_history_rows(0, 0, 0);
      writer.on_rows = [m = options_.metrics](std::size_t written, std::size_t failed,
                                              std::size_t dropped) {
        m->record_history_rows(written, failed, dropped);
      };
    }
    history_ = std::make_unique<store::HistoryWriter>(options_.store, std::move(writer));
  }
}

Handler::~Handler() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  watch_cv_.notify_all();
  if (watcher_.joinable()) watcher_.join();
  close_history();
}

void Handler::close_history() {
  if (history_) history_->close();
}

Response Handler::handle(const Request& request) {
  const auto started = std::chrono::steady_clock::now();
  const auto wall_start = std::chrono::system_clock::now();
  const std::string* given = find_header(request.headers, "X-Request-ID");
  Context ctx{request, given && acceptable_request_id(*given) ? *given : engine::new_execution_id(),
              request.path.substr(0, request.path.find('?'))};
  // The server span continues the caller's trace when it sends one.
  std::optional<trace::Span> span;
  if (options_.tracer) {
    span.emplace();
    const std::string* parent = find_header(request.headers, "traceparent");
    const auto parent_ctx = parent ? trace::parse_traceparent(*parent) : std::nullopt;
    span->context.trace_id = parent_ctx ? parent_ctx->trace_id : trace::new_trace_id();
    span->context.span_id = trace::new_span_id();
    if (parent_ctx) span->parent = parent_ctx->span_id;
    span->kind = trace::SpanKind::Server;
    span->start = wall_start;
    ctx.span = &*span;
  }
  std::string_view route_name = "unmatched";
  Response r = route(ctx, route_name);
  add_cors(request, r);
  const auto elapsed = std::chrono::steady_clock::now() - started;
  if (span) {
    span->name = fmt::format("{} {}", request.method, route_name);
    span->end = std::chrono::system_clock::now();
    span->attributes.emplace_back("http.request.method", request.method);
    span->attributes.emplace_back("http.route", std::string(route_name));
    span->attributes.emplace_back("http.response.status_code", std::int64_t{r.status});
    span->attributes.emplace_back("request.id", ctx.request_id);
    span->status = r.status >= 500 ? trace::SpanStatus::Error : trace::SpanStatus::Unset;
    options_.tracer->submit(std::move(*span));
  }
  record(ctx, route_name, r, std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed));
  return r;
}

Response Handler::route(Context& ctx, std::string_view& route_name) {
  const Request& request = ctx.request;
  try {
    const auto& table = routes();
    const Route* route = find_route(ctx.path, ctx.params);
    const bool admin_only = options_.routes == RouteSet::Admin;
    const bool hidden =
        route != nullptr &&
        ((admin_only && !admin_route(route->id)) ||
         (route->id == RouteId::Metrics && (!options_.metrics || !options_.metrics_route)));
    // A path a template takes only because it misspells a literal route
    // (`/api/v1/workflow/execut` is not the id "execut" to POST to).
    bool misspelt = false;
    if (route != nullptr && route->path.find('{') != std::string_view::npos &&
        std::find(route->methods.begin(), route->methods.end(), request.method) ==
            route->methods.end()) {
      std::vector<std::string_view> literal;
      for (const auto& r : table) {
        if (r.path.find('{') == std::string_view::npos) literal.push_back(r.path);
      }
      misspelt = diag::spellcheck(ctx.path, literal).has_value();
    }
    if (route == nullptr || hidden || misspelt) {
      std::vector<std::string_view> paths;
      for (const auto& r : table) {
        if (r.path.find('{') != std::string_view::npos) continue;
        if (admin_only && !admin_route(r.id)) continue;
        if (r.id == RouteId::Metrics && (!options_.metrics || !options_.metrics_route)) continue;
        paths.push_back(r.path);
      }
      std::string details = fmt::format("no route matches {}", ctx.path);
      if (auto near = diag::spellcheck(ctx.path, paths)) {
        details += fmt::format(" (did you mean {}?)", *near);
      }
      return ctx.error(404, "NOT_FOUND", "Not found", details);
    }
    route_name = route->path;
    // A browser's preflight: answered before authentication (it carries no
    // credentials), only when CORS is on.
    if (request.method == "OPTIONS" && !options_.cors_origins.empty() &&
        find_header(request.headers, "Origin") &&
        find_header(request.headers, "Access-Control-Request-Method")) {
      Response r;
      r.status = 204;
      ctx.finish(r);
      return r;
    }
    const bool needs_auth =
        !options_.auth_token.empty() && (route->path.rfind("/api/", 0) == 0 ||
                                         (route->id == RouteId::Metrics && options_.auth_metrics));
    if (needs_auth && !authorized(request)) {
      Response r = ctx.error(401, "UNAUTHORIZED", "Unauthorized",
                             find_header(request.headers, "Authorization")
                                 ? "the bearer token is not valid"
                                 : "this route needs an Authorization: Bearer token");
      r.set_header("WWW-Authenticate", "Bearer realm=\"thaiyyal\"");
      return r;
    }
    const auto& methods = route->methods;
    if (!methods.empty() &&
        std::find(methods.begin(), methods.end(), request.method) == methods.end()) {
      std::vector<std::string_view> allowed = methods;
      allowed.push_back("OPTIONS");
      if (request.method == "OPTIONS") {
        Response r;
        r.status = 204;
        r.set_header("Allow", join(allowed, ", "));
        ctx.finish(r);
        return r;
      }
      Response r = ctx.error(405, "METHOD_NOT_ALLOWED", "Method not allowed",
                             fmt::format("{} is not allowed on {}; use {}",
                                         request.method.empty() ? "?" : request.method, ctx.path,
                                         join(methods, " or ")));
      r.set_header("Allow", join(allowed, ", "));
      return r;
    }
    if (request.body.size() > options_.max_body_bytes) {
      return refusal(ctx, 413,
                     fmt::format("the body is {} bytes; the limit is {} bytes", request.body.size(),
                                 options_.max_body_bytes));
    }
    switch (route->id) {
      case RouteId::Execute:
        return execute(ctx);
      case RouteId::Validate:
        return validate(ctx);
      case RouteId::Health:
        return health(ctx, true, false);
      case RouteId::Live:
        return health(ctx, false, false);
      case RouteId::Ready:
        return health(ctx, true, true);
      case RouteId::Version:
        return version(ctx);
      case RouteId::Metrics:
        return metrics(ctx);
      case RouteId::Save:
        return stored(ctx, &Handler::save_workflow);
      case RouteId::List:
        return stored(ctx, &Handler::list_workflows);
      case RouteId::Load:
        return stored(ctx, &Handler::load_workflow);
      case RouteId::Delete:
        return stored(ctx, &Handler::delete_workflow);
      case RouteId::ExecuteSaved:
        return stored(ctx, &Handler::execute_saved);
      case RouteId::Update:
        return stored(
            ctx, request.method == "PUT" ? &Handler::update_workflow : &Handler::load_workflow);
      case RouteId::Versions:
        return stored(ctx, &Handler::list_versions);
      case RouteId::VersionOne:
        return stored(ctx, &Handler::get_version);
      case RouteId::Executions:
        return stored(ctx, &Handler::list_executions);
      case RouteId::ExecutionOne:
        return stored(ctx, &Handler::get_execution);
      case RouteId::RegisterClient:
        return stored(ctx, &Handler::register_client);
      case RouteId::ListClients:
        return stored(ctx, &Handler::list_clients);
      case RouteId::Client:
        return stored(ctx,
                      request.method == "DELETE" ? &Handler::delete_client : &Handler::get_client);
    }
    return ctx.error(500, "INTERNAL", "Internal server error", "");
  } catch (const std::exception& e) {
    if (options_.log_error) {
      options_.log_error(fmt::format("request {} {} ({}): {}", request.method, ctx.path,
                                     ctx.request_id, e.what()));
    }
    return ctx.error(500, "INTERNAL", "Internal server error", "");
  }
}

Response Handler::refused(const Request& request, int status, std::string details) {
  const std::string* given = find_header(request.headers, "X-Request-ID");
  Context ctx{request, given && acceptable_request_id(*given) ? *given : engine::new_execution_id(),
              request.path.substr(0, request.path.find('?'))};
  Response r = refusal(ctx, status, std::move(details));
  add_cors(request, r);
  record(ctx, route_of(ctx.path), r, {});
  return r;
}

void Handler::record(const Context& ctx, std::string_view route_name, const Response& r,
                     std::chrono::nanoseconds elapsed) {
  const Request& request = ctx.request;
  if (options_.metrics) {
    options_.metrics->record_request(request.method, route_name, r.status, elapsed);
  }
  if (!options_.log_access) return;
  try {
    options_.log_access(AccessRecord{request.method, ctx.path, route_name, r.status, elapsed,
                                     ctx.request_id, r.body.size(), request.remote_addr});
  } catch (...) {
    // A failing log sink must not fail the request.
  }
}

Response Handler::refusal(Context& ctx, int status, std::string details) {
  switch (status) {
    case 413:
      return ctx.error(413, "BODY_TOO_LARGE", "Request body too large", details);
    case 404:
      return ctx.error(404, "NOT_FOUND", "Not found", details);
    case 405:
      return ctx.error(405, "METHOD_NOT_ALLOWED", "Method not allowed", details);
    case 408:
      return ctx.error(408, "REQUEST_TIMEOUT", "Request timeout", details);
    case 414:
      return ctx.error(414, "BAD_REQUEST", "Request URI too long", details);
    default:
      if (status >= 500) return ctx.error(status, "INTERNAL", "Internal server error", details);
      return ctx.error(status, "BAD_REQUEST", "Bad request", details);
  }
}

Response Handler::execute(Context& ctx) {
  return run_text(ctx, ctx.request.body, find_header(ctx.request.headers, "Content-Type"), nullptr);
}

Response Handler::run_text(Context& ctx, const std::string& text, const std::string* content_type,
                           const SavedRun* saved) {
  auto token = std::make_shared<engine::CancelToken>();
  int refusal = 0;
  if (!acquire(token, ctx.request.client_gone, refusal)) {
    if (refusal == 503) {
      Response r = ctx.error(503, "UNAVAILABLE", "Server shutting down",
                             "the server is shutting down and starts no new executions");
      r.set_header("Retry-After", "1");
      return r;
    }
    Response r = ctx.error(429, "OVERLOADED", "Too many concurrent executions",
                           fmt::format("all {} execution slots are busy; retry later",
                                       options_.max_concurrent_executions));
    r.set_header("Retry-After", "1");
    return r;
  }
  struct Release {
    Handler& h;
    const std::shared_ptr<engine::CancelToken>& t;
    ~Release() { h.release(t); }
  } release{*this, token};

  const auto started = std::chrono::steady_clock::now();
  const auto wall_started = std::chrono::system_clock::now();
  const auto& limits = options_.limits;
  // The same text read the same way compiles to the same workflow: a
  // repeated one skips loading and checking.
  std::string cache_key(1, static_cast<char>(format_of(content_type)));
  cache_key += text;
  std::shared_ptr<const check::CompiledWorkflow> compiled = cache_.find(cache_key);
  std::shared_ptr<const http::ClientRegistry> clients = options_.http_clients;
  if (compiled) {
    clients = clients_for(*compiled->workflow);
  } else {
    diag::Diagnostics diags;
    auto wf = load_text(text, content_type, limits, diags);
    const diag::Diagnostic* first = first_error(diags);
    if (!wf && first) {
      Object extra;
      extra.append_unique("diagnostics", diagnostics_value(diags));
      if (first->code == "payload-too-large") {
        return ctx.error(413, "BODY_TOO_LARGE", "Workflow too large", first->message,
                         std::move(extra));
      }
      if (is_syntax_error(*first)) {
        load::Format format = format_of(content_type);
        if (format == load::Format::Auto) format = load::detect_format("", text);
        const bool yaml = format == load::Format::Yaml;
        return ctx.error(
            400, yaml ? "INVALID_YAML" : "INVALID_JSON",
            yaml ? "The request body is not valid YAML" : "The request body is not valid JSON",
            positioned(*first), std::move(extra));
      }
    }
    if (wf) {
      clients = clients_for(*wf);
      auto shared = std::make_shared<const Workflow>(std::move(*wf));
      compiled = check::compile_workflow(shared, diags, {},
                                         check::CheckOptions{std::vector<std::string>{}});
    }
    if (!compiled || diags.has_blocking_errors()) {
      const diag::Diagnostic* blocking = nullptr;
      for (const auto* d : in_source_order(diags)) {
        if (d->severity == diag::Severity::Error && !d->deferred) {
          blocking = d;
          break;
        }
      }
      Object extra;
      extra.append_unique("diagnostics", diagnostics_value(diags));
      return ctx.error(400, "WORKFLOW_INVALID", "The workflow is invalid",
                       blocking ? positioned(*blocking) : "the workflow could not be loaded",
                       std::move(extra));
    }
    cache_.insert(cache_key, compiled);
  }

  engine::RunOptions run;
  run.limits = limits;
  run.network = options_.network;
  run.http = options_.http;
  run.http_clients = clients;
  run.cancel = token;
  run.request_id = ctx.request_id;
  engine::ObserverList observers;
  std::unique_ptr<engine::Observer> logger = options_.run_logger ? options_.run_logger() : nullptr;
  observers.add(logger.get());
  if (options_.metrics) observers.add(&options_.metrics->observer(saved ? "stored" : "inline"));
  std::optional<trace::RunTracer> tracer;
  if (options_.tracer) {
    std::optional<trace::SpanContext> parent;
    if (ctx.span) parent = ctx.span->context;
    tracer.emplace(*options_.tracer, parent);
    observers.add(&*tracer);
  }
  run.observer = observers.get();
  if (options_.metrics) options_.metrics->add_in_flight(1);
  const engine::RunResult result = engine::run_workflow(*compiled, run);
  if (options_.metrics) options_.metrics->add_in_flight(-1);
  const auto elapsed = std::chrono::steady_clock::now() - started;
  const std::string execution_time = format_go_duration(std::chrono::duration_cast<Nanos>(elapsed));
  const Value document = result.to_document();
  // Serialized once, for the response and the history row alike.
  std::string document_json;
  try {
    document_json = to_json(document);
  } catch (const JsonWriteError&) {
    document_json.clear();
  }
  if (result.ok() && !document_json.empty()) {
    Response r;
    r.status = 200;
    r.body = "{\"execution_time\":" + to_json(Value(execution_time)) +
             ",\"results\":" + document_json + ",\"success\":true";
    if (saved) {
      r.body += ",\"workflow_id\":" + to_json(Value(saved->id)) +
                ",\"workflow_name\":" + to_json(Value(saved->name)) +
                ",\"version\":" + std::to_string(saved->version);
    }
    r.body += "}\n";
    r.set_header("Content-Type", "application/json");
    ctx.finish(r);
    record_history(ctx, result, std::move(document_json), saved, wall_started,
                   std::chrono::duration_cast<std::chrono::microseconds>(elapsed));
    return r;
  }
  record_history(ctx, result, std::move(document_json), saved, wall_started,
                 std::chrono::duration_cast<std::chrono::microseconds>(elapsed));

  try {
    if (result.ok()) {
      return ctx.error(500, "EXECUTION_FAILED", "Workflow execution failed",
                       "cannot encode the result: a number is not finite");
    }
    int status = 500;
    std::string_view code = "EXECUTION_FAILED";
    std::string_view summary = "Workflow execution failed";
    switch (result.status) {
      case engine::RunStatus::Ok:
      case engine::RunStatus::Failed:
        break;
      case engine::RunStatus::LimitExceeded:
        code = "LIMIT_EXCEEDED";
        summary = "Workflow execution stopped by a limit";
        break;
      case engine::RunStatus::TimedOut:
        code = "EXECUTION_TIMEOUT";
        summary = "Workflow execution timed out";
        break;
      case engine::RunStatus::Cancelled:
        status = 503;
        code = "EXECUTION_CANCELLED";
        summary = client_left(token)
                      ? "Workflow execution cancelled (the client closed the connection)"
                      : "Workflow execution cancelled (the server is shutting down)";
        break;
    }
    Object extra;
    extra.append_unique("execution_time", Value(execution_time));
    extra.append_unique("results", document);
    if (saved) {
      extra.append_unique("workflow_id", Value(saved->id));
      extra.append_unique("workflow_name", Value(saved->name));
      extra.append_unique("version", Value(saved->version));
    }
    return ctx.error(status, code, summary, result.errors.empty() ? "" : result.errors.front(),
                     std::move(extra));
  } catch (const JsonWriteError&) {
    return ctx.error(500, "EXECUTION_FAILED", "Workflow execution failed",
                     "cannot encode the result: a number is not finite");
  }
}

Response Handler::validate(Context& ctx) {
  const auto& limits = options_.limits;
  diag::Diagnostics diags;
  auto wf = load_body(ctx.request, limits, diags);
  std::optional<std::pair<std::size_t, std::size_t>> counts;
  if (wf) {
    counts.emplace(wf->nodes.size(), wf->edges.size());
    auto shared = std::make_shared<const Workflow>(std::move(*wf));
    check::compile_workflow(shared, diags, {}, check::CheckOptions{std::vector<std::string>{}});
  }
  // The reference's shape (E3: 200 with valid and error), plus every error
  // and the structured diagnostics (D-14, additive).
  Object o;
  const bool valid = !diags.has_errors();
  o.append_unique("valid", Value(valid));
  if (!valid) {
    Array errors;
    for (const auto* d : in_source_order(diags)) {
      if (d->severity == diag::Severity::Error) errors.emplace_back(positioned(*d));
    }
    o.append_unique("error", errors.front());
    o.append_unique("errors", Value(std::move(errors)));
  }
  if (counts) {
    o.append_unique("nodes", Value(counts->first));
    o.append_unique("edges", Value(counts->second));
  }
  o.append_unique("diagnostics", diagnostics_value(diags));
  return ctx.json(200, Value(std::move(o)));
}

Response Handler::health(Context& ctx, bool checks, bool readiness) {
  const std::string now = timestamp_now();
  bool healthy = true;
  Object o;
  Object check_list;
  if (checks) {
    Object engine_check;
    engine_check.append_unique("status", Value("healthy"));
    engine_check.append_unique("last_checked", Value(now));
    check_list.append_unique("engine", Value(std::move(engine_check)));
  }
  if (readiness) {
    // Not ready while shutting down or when every execution slot is busy
    // (D-18): a load balancer then sends new work elsewhere.
    std::string problem;
    if (draining_.load()) {
      problem = "the server is shutting down";
    } else if (options_.max_concurrent_executions > 0 &&
               running() >= options_.max_concurrent_executions) {
      problem = fmt::format("all {} execution slots are busy", options_.max_concurrent_executions);
    }
    Object slots;
    slots.append_unique("status", Value(problem.empty() ? "healthy" : "unhealthy"));
    slots.append_unique("last_checked", Value(now));
    if (!problem.empty()) slots.append_unique("error", Value(problem));
    check_list.append_unique("executions", Value(std::move(slots)));
    healthy = problem.empty();
    // Not ready while the database cannot be reached: saved workflows and
    // the history would fail.
    if (options_.store) {
      Object storage;
      std::string storage_problem;
      try {
        options_.store->ping();
      } catch (const std::exception& e) {
        storage_problem = e.what();
      }
      storage.append_unique("status", Value(storage_problem.empty() ? "healthy" : "unhealthy"));
      storage.append_unique("backend", Value(options_.store->backend()));
      storage.append_unique("last_checked", Value(now));
      if (!storage_problem.empty()) storage.append_unique("error", Value(storage_problem));
      check_list.append_unique("storage", Value(std::move(storage)));
      healthy = healthy && storage_problem.empty();
    }
  }
  o.append_unique("status", Value(healthy ? "healthy" : "unhealthy"));
  o.append_unique("service_name", Value(kServiceName));
  o.append_unique("service_version", Value(options_.version));
  o.append_unique("uptime", Value(format_go_duration(std::chrono::duration_cast<Nanos>(
                                std::chrono::steady_clock::now() - started_))));
  o.append_unique("timestamp", Value(now));
  if (checks) o.append_unique("checks", Value(std::move(check_list)));
  return ctx.json(healthy ? 200 : 503, Value(std::move(o)));
}

Response Handler::version(Context& ctx) {
  Object o;
  o.append_unique("service_name", Value(kServiceName));
  o.append_unique("version", Value(options_.version));
  o.append_unique("result_version", Value(engine::kResultVersion));
  return ctx.json(200, Value(std::move(o)));
}

Response Handler::metrics(Context& ctx) {
  Response r;
  r.status = 200;
  if (options_.store) {
    try {
      options_.metrics->set_registry_sizes(options_.store->count_workflows(),
                                           options_.store->count_clients());
    } catch (const std::exception&) {
      // The store is down: the gauges keep their last values; readiness
      // and the history failure counter say why.
    }
  }
  if (history_) options_.metrics->set_history_queue(history_->stats().queued);
  r.body = options_.metrics->text();
  r.set_header("Content-Type", std::string(metrics::kTextContentType));
  ctx.finish(r);
  return r;
}

bool Handler::authorized(const Request& request) const {
  const std::string* header = find_header(request.headers, "Authorization");
  if (!header) return false;
  std::string_view value = *header;
  constexpr std::string_view kScheme = "bearer ";
  if (value.size() < kScheme.size() || lower_ascii(value.substr(0, kScheme.size())) != kScheme) {
    return false;
  }
  value.remove_prefix(kScheme.size());
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  return same_secret(value, options_.auth_token);
}

void Handler::add_cors(const Request& request, Response& r) const {
  if (options_.cors_origins.empty()) return;
  r.set_header("Vary", "Origin");
  const std::string* origin = find_header(request.headers, "Origin");
  if (!origin) return;
  const auto& allowed = options_.cors_origins;
  const bool any = std::find(allowed.begin(), allowed.end(), "*") != allowed.end();
  if (!any && std::find(allowed.begin(), allowed.end(), *origin) == allowed.end()) return;
  r.set_header("Access-Control-Allow-Origin", any ? "*" : *origin);
  r.set_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
  r.set_header("Access-Control-Allow-Headers",
               "Content-Type, Authorization, X-Request-ID, traceparent");
  r.set_header("Access-Control-Expose-Headers", "X-Request-ID, Retry-After");
  r.set_header("Access-Control-Max-Age", "600");
}

bool Handler::acquire(const std::shared_ptr<engine::CancelToken>& token,
                      std::function<bool()> client_gone, int& refusal) {
  std::lock_guard lock(mutex_);
  if (draining_.load()) {
    refusal = 503;
    return false;
  }
  if (options_.max_concurrent_executions > 0 &&
      runs_.size() >= options_.max_concurrent_executions) {
    refusal = 429;
    return false;
  }
  const bool watched = static_cast<bool>(client_gone);
  runs_.push_back(Slot{token, std::move(client_gone)});
  if (watched && !watcher_.joinable()) watcher_ = std::thread([this] { watch(); });
  return true;
}

void Handler::release(const std::shared_ptr<engine::CancelToken>& token) {
  std::lock_guard lock(mutex_);
  runs_.erase(std::remove_if(runs_.begin(), runs_.end(),
                             [&](const Slot& slot) { return slot.token == token; }),
              runs_.end());
  if (runs_.empty()) idle_.notify_all();
}

bool Handler::client_left(const std::shared_ptr<engine::CancelToken>& token) const {
  std::lock_guard lock(mutex_);
  for (const auto& slot : runs_) {
    if (slot.token == token) return slot.client_left;
  }
  return false;
}

void Handler::watch() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    watch_cv_.wait_for(lock, std::chrono::milliseconds(50));
    for (auto& slot : runs_) {
      if (slot.client_left || !slot.client_gone) continue;
      bool gone = false;
      try {
        gone = slot.client_gone();
      } catch (...) {
      }
      if (gone) {
        slot.client_left = true;
        slot.token->cancel();
      }
    }
  }
}

void Handler::start_draining() {
  std::lock_guard lock(mutex_);
  draining_.store(true);
}

bool Handler::wait_idle(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return idle_.wait_for(lock, timeout, [&] { return runs_.empty(); });
}

void Handler::cancel_running() {
  std::lock_guard lock(mutex_);
  for (const auto& slot : runs_) slot.token->cancel();
}

std::uint64_t Handler::running() const {
  std::lock_guard lock(mutex_);
  return runs_.size();
}

}  // namespace thaiyyal::serve
