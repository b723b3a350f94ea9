// The routes over the store: saved workflows with their versions (spec 04
// §1.6.3-§1.6.7, R-09) and the execution history.
#include <fmt/format.h>

#include <array>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <span>
#include <stdexcept>

#include "thaiyyal/check/compiled_workflow.h"
#include "thaiyyal/engine/engine.h"
#include "thaiyyal/expr/dates.h"
#include "thaiyyal/serve/handler.h"
#include "thaiyyal/serve/handler_context.h"
#include "thaiyyal/store/history_writer.h"
#include "thaiyyal/store/values.h"
#include "thaiyyal/support/random.h"

namespace thaiyyal::serve {
namespace {

/// A random UUID version 4, lowercase and hyphenated.
std::string uuid_v4() {
  std::uint64_t hi = support::random_u64();
  std::uint64_t lo = support::random_u64();
  hi = (hi & ~0xF000ull) | 0x4000ull;                         // version 4
  lo = (lo & 0x3FFFFFFFFFFFFFFFull) | 0x8000000000000000ull;  // variant 10
  return fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", hi >> 32, (hi >> 16) & 0xFFFF,
                     hi & 0xFFFF, lo >> 48, lo & 0xFFFFFFFFFFFFull);
}

bool blank(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }

/// Ids a client may choose: 1-128 letters, digits and `._-`, not a word the
/// routes use themselves.
std::string id_problem(std::string_view id) {
  if (id.empty() || id.size() > 128) return "a workflow id has 1 to 128 characters";
  for (const char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') {
      return fmt::format("a workflow id may only hold letters, digits, '.', '_' and '-' (not {:?})",
                         std::string(1, c));
    }
  }
  for (std::string_view reserved : {"execute", "validate", "save", "list", "load", "delete"}) {
    if (id == reserved) return fmt::format("\"{}\" is a route name and cannot be an id", id);
  }
  return "";
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() + 0 && hex_value(s[i + 1]) >= 0 &&
               hex_value(s[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

/// The first value of query parameter `name` (from Request::query, or from
/// a query string left in the path).
std::optional<std::string> query_param(const Request& request, std::string_view name) {
  for (const auto& [key, value] : request.query) {
    if (key == name) return value;
  }
  const auto q = request.path.find('?');
  if (q == std::string::npos) return std::nullopt;
  std::string_view rest = std::string_view(request.path).substr(q + 1);
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    const auto eq = pair.find('=');
    if (percent_decode(pair.substr(0, eq)) == name) {
      return eq == std::string_view::npos ? std::string() : percent_decode(pair.substr(eq + 1));
    }
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

/// How long a history read waits for the rows queued before it.
constexpr std::chrono::seconds kHistoryFlushWait{5};

std::optional<std::int64_t> positive_integer(std::string_view s) {
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v < 1) return std::nullopt;
  return v;
}

/// The body of save and update: a JSON object (an error text when it is not).
std::optional<Value> body_object(const Request& request, std::string& problem) {
  try {
    Value v = parse_json(request.body);
    if (!v.is_object()) {
      problem = "the request body must be a JSON object";
      return std::nullopt;
    }
    return v;
  } catch (const JsonParseError& e) {
    problem =
        fmt::format("the request body is not valid JSON at byte {}: {}", e.offset(), e.what());
    return std::nullopt;
  }
}

const std::string* string_field(const Value& o, std::string_view key) {
  const Value* v = o.find(key);
  return v && v->is_string() ? &v->as_string() : nullptr;
}

}  // namespace

Response Handler::stored(Context& ctx, Response (Handler::*answer)(Context&)) {
  if (!options_.store) {
    return ctx.error(503, "STORAGE_UNAVAILABLE", "Storage unavailable",
                     "this server has no storage configured");
  }
  try {
    return (this->*answer)(ctx);
  } catch (const store::Unavailable& e) {
    if (options_.log_error) options_.log_error(fmt::format("storage: {}", e.what()));
    Response r = ctx.error(503, "STORAGE_UNAVAILABLE", "Storage unavailable", e.what());
    r.set_header("Retry-After", "1");
    return r;
  }
}

/// Checks a document to be saved as a workflow; the 400 answer when it is
/// not one.
static std::optional<Response> invalid_document(const Handler::Context& ctx, const Value& data,
                                                const Limits& limits, std::string_view action) {
  diag::Diagnostics diags;
  std::string text;
  try {
    text = to_json(data);
  } catch (const std::exception& e) {
    return ctx.error(400, "WORKFLOW_INVALID",
                     fmt::format("Failed to {} workflow: invalid workflow data", action), e.what());
  }
  auto wf = detail::load_text(text, nullptr, limits, diags);
  if (wf) {
    auto shared = std::make_shared<const Workflow>(std::move(*wf));
    check::compile_workflow(shared, diags, {}, check::CheckOptions{std::vector<std::string>{}});
  }
  if (!wf || diags.has_blocking_errors()) {
    const diag::Diagnostic* first = nullptr;
    for (const auto* d : detail::in_source_order(diags)) {
      if (d->severity == diag::Severity::Error) {
        first = d;
        break;
      }
    }
    Object extra;
    extra.append_unique("diagnostics", detail::diagnostics_value(diags));
    return ctx.error(400, "WORKFLOW_INVALID",
                     fmt::format("Failed to {} workflow: invalid workflow data", action),
                     first ? first->message : "the workflow could not be loaded", std::move(extra));
  }
  return std::nullopt;
}

Response Handler::save_workflow(Context& ctx) {
  std::string problem;
  auto body = body_object(ctx.request, problem);
  if (!body) return ctx.error(400, "INVALID_JSON", "Failed to parse request", problem);
  const std::string* name = string_field(*body, "name");
  if (!name || blank(*name)) {
    return ctx.error(400, "BAD_REQUEST", "Failed to save workflow: workflow name is required",
                     "the body needs a non-empty \"name\" string");
  }
  const Value* data = body->find("data");
  if (!data) {
    return ctx.error(400, "BAD_REQUEST", "Failed to save workflow: workflow data is required",
                     "the body needs a \"data\" workflow document");
  }
  std::string id;
  if (const Value* given = body->find("id")) {
    if (!given->is_string()) {
      return ctx.error(400, "BAD_REQUEST", "Failed to save workflow: invalid workflow id",
                       "\"id\" must be a string");
    }
    id = given->as_string();
    if (auto p = id_problem(id); !p.empty()) {
      return ctx.error(400, "BAD_REQUEST", "Failed to save workflow: invalid workflow id", p);
    }
  } else {
    id = uuid_v4();
  }
  if (auto bad = invalid_document(ctx, *data, options_.limits, "save")) return std::move(*bad);
  const std::string* description = string_field(*body, "description");
  store::StoredWorkflow wf;
  wf.meta.id = id;
  wf.meta.name = *name;
  wf.meta.description = description ? *description : "";
  wf.meta.version = 1;
  wf.meta.created_at = wf.meta.updated_at = detail::timestamp_now();
  wf.data = to_json(*data);
  switch (options_.store->create_workflow(wf, options_.max_saved_workflows)) {
    case store::SaveOutcome::Saved:
      break;
    case store::SaveOutcome::Conflict:
      return ctx.error(409, "CONFLICT", "Failed to save workflow: the id is taken",
                       fmt::format("workflow with ID {} already exists", id));
    case store::SaveOutcome::Full:
      return ctx.error(507, "REGISTRY_FULL", "Failed to save workflow: the registry is full",
                       fmt::format("the server holds its maximum of {} saved workflows",
                                   options_.max_saved_workflows));
  }
  Object o;
  o.append_unique("success", Value(true));
  o.append_unique("id", Value(id));
  o.append_unique("message", Value("Workflow saved successfully"));
  o.append_unique("version", Value(std::int64_t{1}));
  return ctx.json(201, Value(std::move(o)));
}

Response Handler::list_workflows(Context& ctx) {
  Array list;
  for (const auto& m : options_.store->list_workflows()) list.push_back(store::to_value(m));
  Object o;
  o.append_unique("success", Value(true));
  const auto count = static_cast<std::int64_t>(list.size());
  o.append_unique("workflows", Value(std::move(list)));
  o.append_unique("count", Value(count));
  return ctx.json(200, Value(std::move(o)));
}

/// The 400 for a blank id and the 404 for an unknown one (E2 texts).
static Response id_required(const Handler::Context& ctx) {
  return ctx.error(400, "BAD_REQUEST", "Workflow ID is required",
                   "the path needs a workflow id after the last '/'");
}
static Response workflow_not_found(const Handler::Context& ctx, std::string_view id) {
  const std::string text = fmt::format("workflow with ID {} not found", id);
  return ctx.error(404, "NOT_FOUND", text, text);
}

Response Handler::load_workflow(Context& ctx) {
  const std::string& id = ctx.params.at(0);
  if (blank(id)) return id_required(ctx);
  auto wf = options_.store->get_workflow(id);
  if (!wf) return workflow_not_found(ctx, id);
  Object w = store::to_value(wf->meta).as_object();
  w.append_unique("data", parse_json(wf->data));
  Object o;
  o.append_unique("success", Value(true));
  o.append_unique("workflow", Value(std::move(w)));
  return ctx.json(200, Value(std::move(o)));
}

Response Handler::delete_workflow(Context& ctx) {
  const std::string& id = ctx.params.at(0);
  if (blank(id)) return id_required(ctx);
  if (!options_.store->delete_workflow(id)) return workflow_not_found(ctx, id);
  Object o;
  o.append_unique("success", Value(true));
  o.append_unique("message", Value("Workflow deleted successfully"));
  return ctx.json(200, Value(std::move(o)));
}

Response Handler::execute_saved(Context& ctx) {
  const std::string& id = ctx.params.at(0);
  if (blank(id)) return id_required(ctx);
  SavedRun saved;
  std::string data;
  if (auto v = query_param(ctx.request, "version")) {
    auto n = positive_integer(*v);
    if (!n) {
      return ctx.error(400, "BAD_REQUEST", "Invalid version",
                       fmt::format("version must be a positive integer, not {:?}", *v));
    }
    auto version = options_.store->get_version(id, *n);
    if (!version) {
      const bool exists = options_.store->get_workflow(id).has_value();
      return ctx.error(404, "NOT_FOUND", "Failed to load workflow",
                       exists ? fmt::format("workflow with ID {} has no version {}", id, *n)
                              : fmt::format("workflow with ID {} not found", id));
    }
    saved = SavedRun{id, version->meta.name, version->meta.version};
    data = std::move(version->data);
  } else {
    auto wf = options_.store->get_workflow(id);
    if (!wf) {
      return ctx.error(404, "NOT_FOUND", "Failed to load workflow",
                       fmt::format("workflow with ID {} not found", id));
    }
    saved = SavedRun{id, wf->meta.name, wf->meta.version};
    data = std::move(wf->data);
  }
  const std::string json_type = "application/json";
  return run_text(ctx, data, &json_type, &saved);
}

Response Handler::update_workflow(Context& ctx) {
  const std::string& id = ctx.params.at(0);
  if (blank(id)) return id_required(ctx);
  std::string problem;
  auto body = body_object(ctx.request, problem);
  if (!body) return ctx.error(400, "INVALID_JSON", "Failed to parse request", problem);
  auto current = options_.store->get_workflow(id);
  if (!current) return workflow_not_found(ctx, id);
  std::string name = current->meta.name;
  if (const Value* v = body->find("name")) {
    if (!v->is_string() || blank(v->as_string())) {
      return ctx.error(400, "BAD_REQUEST", "Failed to update workflow: workflow name is required",
                       "\"name\", when given, must be a non-empty string");
    }
    name = v->as_string();
  }
  std::string description = current->meta.description;
  if (const std::string* d = string_field(*body, "description")) description = *d;
  std::string data = current->data;
  if (const Value* d = body->find("data")) {
    if (auto bad = invalid_document(ctx, *d, options_.limits, "update")) return std::move(*bad);
    data = to_json(*d);
  }
  auto meta = options_.store->update_workflow(id, name, description, data, detail::timestamp_now());
  if (!meta) return workflow_not_found(ctx, id);
  Object o;
  o.append_unique("success", Value(true));
  o.append_unique("id", Value(id));
  o.append_unique("version", Value(meta->version));
  o.append_unique("message", Value("Workflow updated successfully"));
  return ctx.json(200, Value(std::move(o)));
}

Response Handler::list_versions(Context& ctx) {
  const std::string& id = ctx.params.at(0);
  if (blank(id)) return id_required(ctx);
  auto versions = options_.store->list_versions(id);
  if (!versions) return workflow_not_found(ctx, id);
  Array list;
  for (const auto& v : *versions) {
    Object e;
    e.append_unique("version", Value(v.version));
    e.append_unique("name", Value(v.name));
    if (!v.description.empty()) e.append_unique("description", Value(v.description));
    e.append_unique("created_at", Value(v.created_at));
    list.emplace_back(std::move(e));
  }
  Object o;
  o.append_unique("success", Value(true));
  o.append_unique("workflow_id", Value(id));
  const auto count = static_cast<std::int64_t>(list.size());
  o.append_unique("versions", Value(std::move(list)));
  o.append_unique("count", Value(count));
  return ctx.json(200, Value(std::move(o)));
}

Response Handler::get_version(Context& ctx) {
  const std::string& id = ctx.params.at(0);
  if (blank(id)) return id_required(ctx);
  const auto n = positive_integer(ctx.params.at(1));
  if (!n) {
    return ctx.error(400, "BAD_REQUEST", "Invalid version",
                     fmt::format("version must be a positive integer, not {:?}", ctx.params.at(1)));
  }
  auto v = options_.store->get_version(id, *n);
  if (!v) {
    if (!options_.store->get_workflow(id)) return workflow_not_found(ctx, id);
    const std::string text = fmt::format("workflow with ID {} has no version {}", id, *n);
    return ctx.error(404, "NOT_FOUND", text, text);
  }
  Object w;
  w.append_unique("id", Value(id));
  w.append_unique("version", Value(v->meta.version));
  w.append_unique("name", Value(v->meta.name));
  if (!v->meta.description.empty()) w.append_unique("description", Value(v->meta.description));
  w.append_unique("created_at", Value(v->meta.created_at));
  w.append_unique("data", parse_json(v->data));
  Object o;
  o.append_unique("success", Value(true));
  o.append_unique("workflow", Value(std::move(w)));
  return ctx.json(200, Value(std::move(o)));
}

Response Handler::list_executions(Context& ctx) {
  // A run answered before this request is in the history it reads.
  if (history_) history_->flush(kHistoryFlushWait);
  store::ExecutionFilter filter;
  if (auto v = query_param(ctx.request, "workflow_id")) filter.workflow_id = *v;
  if (auto v = query_param(ctx.request, "status")) filter.status = *v;
  if (auto v = query_param(ctx.request, "cursor")) filter.cursor = *v;
  if (auto v = query_param(ctx.request, "limit")) {
    auto n = positive_integer(*v);
    if (!n || *n > 1000) {
      return ctx.error(400, "BAD_REQUEST", "Invalid limit",
                       fmt::format("limit must be an integer from 1 to 1000, not {:?}", *v));
    }
    filter.limit = static_cast<std::size_t>(*n);
  }
  store::ExecutionPage page;
  try {
    page = options_.store->list_executions(filter);
  } catch (const std::invalid_argument&) {
    return ctx.error(400, "BAD_REQUEST", "Invalid cursor",
                     "cursor must be a next_cursor value from an earlier page");
  }
  Array list;
  for (const auto& row : page.rows) list.push_back(store::to_value(row, false));
  Object o;
  o.append_unique("success", Value(true));
  const auto count = static_cast<std::int64_t>(list.size());
  o.append_unique("executions", Value(std::move(list)));
  o.append_unique("count", Value(count));
  o.append_unique("next_cursor", page.next_cursor.empty() ? Value() : Value(page.next_cursor));
  return ctx.json(200, Value(std::move(o)));
}

Response Handler::get_execution(Context& ctx) {
  const std::string& id = ctx.params.at(0);
  if (blank(id)) {
    return ctx.error(400, "BAD_REQUEST", "Execution ID is required",
                     "the path needs an execution id after the last '/'");
  }
  if (history_) history_->flush(kHistoryFlushWait);
  auto row = options_.store->get_execution(id);
  if (!row) {
    const std::string text = fmt::format("execution with ID {} not found", id);
    return ctx.error(404, "NOT_FOUND", text, text);
  }
  Object o;
  o.append_unique("success", Value(true));
  o.append_unique("execution", store::to_value(*row, true));
  return ctx.json(200, Value(std::move(o)));
}

void Handler::record_history(const Context& ctx, const engine::RunResult& result,
                             std::string result_json, const SavedRun* saved,
                             std::chrono::system_clock::time_point started,
                             std::chrono::microseconds elapsed) {
  if (!history_) return;
  store::ExecutionRow row;
  row.id = result.execution_id;
  if (saved) {
    row.workflow_id = saved->id;
    row.workflow_version = saved->version;
  }
  row.trigger = saved ? "stored" : "inline";
  row.status = std::string(engine::run_status_name(result.status));
  const auto ms = [](std::chrono::system_clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  };
  row.started_at = expr::detail::format_instant(ms(started));
  row.finished_at = expr::detail::format_instant(
      ms(started + std::chrono::duration_cast<std::chrono::system_clock::duration>(elapsed)));
  row.duration_us = elapsed.count();
  if (!result.errors.empty()) row.error = result.errors.front();
  row.request_id = ctx.request_id;
  if (result_json.size() > options_.history_max_result_bytes) {
    row.result_truncated = true;
  } else {
    row.result = std::move(result_json);
  }
  history_->record(std::move(row));
}

}  // namespace thaiyyal::serve

namespace thaiyyal::serve {
namespace {

/// The paths of a client configuration that hold secrets.
constexpr std::array<std::array<std::string_view, 3>, 3> kSecretPaths = {{
    {"auth", "basic_auth", "password"},
    {"auth", "token", "token"},
    {"auth", "api_key", "value"},
}};

/// `v` with the string at `path` redacted: ***REDACTED*** unless empty or an
/// `${env:NAME}` reference (which names a secret, it is not one).
Value redact_at(const Value& v, std::span<const std::string_view> path) {
  if (path.empty()) {
    if (!v.is_string() || v.as_string().empty()) return v;
    const std::string& text = v.as_string();
    if (text.rfind("${env:", 0) == 0 && text.back() == '}') return v;
    return Value(std::string(http::kRedacted));
  }
  const Value* child = v.find(path.front());
  if (!child) return v;
  Object copy = v.as_object();
  copy.set(std::string(path.front()), redact_at(*child, path.subspan(1)));
  return Value(std::move(copy));
}

/// `config` with every inline secret redacted.
Value redact_config(const Value& config) {
  Value out = config;
  for (const auto& path : kSecretPaths) out = redact_at(out, path);
  return out;
}

}  // namespace

Response Handler::register_client(Context& ctx) {
  std::string problem;
  auto body = body_object(ctx.request, problem);
  if (!body) return ctx.error(400, "INVALID_JSON", "Failed to parse request", problem);
  const Value* config = body->find("config");
  if (!config || config->is_null()) {
    return ctx.error(400, "BAD_REQUEST", "config is required",
                     "the body needs a \"config\" object (spec: uid, auth, network, security)");
  }
  if (!config->is_object()) {
    return ctx.error(400, "INVALID_JSON", "Failed to parse request",
                     "\"config\" must be an object");
  }
  // The same reader as the operator's clients file: every rule, in order.
  diag::Diagnostics diags;
  Array list;
  list.push_back(*config);
  http::ClientRegistry registry =
      http::read_clients(Value(std::move(list)), {}, nullptr, nullptr, http::process_env, diags);
  if (diags.has_errors() || registry.size() != 1) {
    std::string first = "the configuration is not valid";
    for (const auto* d : detail::in_source_order(diags)) {
      if (d->severity == diag::Severity::Error) {
        first = d->message;
        break;
      }
    }
    return ctx.error(400, "BAD_REQUEST",
                     fmt::format("Failed to create HTTP client: invalid config: {}", first), first);
  }
  const std::string uid = registry.uids().front();
  store::StoredClient client{uid, to_json(redact_config(*config)), detail::timestamp_now()};
  switch (options_.store->add_client(client, options_.max_registered_clients)) {
    case store::SaveOutcome::Saved:
      break;
    case store::SaveOutcome::Conflict: {
      const std::string text =
          fmt::format("Failed to register HTTP client: client with UID \"{}\" already exists", uid);
      return ctx.error(409, "CONFLICT", text, text);
    }
    case store::SaveOutcome::Full:
      return ctx.error(507, "REGISTRY_FULL", "Failed to register HTTP client: the registry is full",
                       fmt::format("the server holds its maximum of {} HTTP clients",
                                   options_.max_registered_clients));
  }
  Object o;
  o.append_unique("success", Value(true));
  o.append_unique("message", Value("HTTP client registered successfully"));
  o.append_unique("uid", Value(uid));
  return ctx.json(201, Value(std::move(o)));
}

Response Handler::list_clients(Context& ctx) {
  Array uids;
  for (const auto& c : options_.store->list_clients()) uids.emplace_back(c.uid);
  Object o;
  o.append_unique("success", Value(true));
  const auto count = static_cast<std::int64_t>(uids.size());
  o.append_unique("clients", Value(std::move(uids)));
  o.append_unique("count", Value(count));
  return ctx.json(200, Value(std::move(o)));
}

static Response client_not_found(const Handler::Context& ctx, std::string_view uid) {
  const std::string text = fmt::format("HTTP client with UID \"{}\" not found", uid);
  return ctx.error(404, "NOT_FOUND", text, text);
}

Response Handler::get_client(Context& ctx) {
  const std::string& uid = ctx.params.at(0);
  auto client = options_.store->get_client(uid);
  if (!client) return client_not_found(ctx, uid);
  Object o;
  o.append_unique("success", Value(true));
  o.append_unique("uid", Value(client->uid));
  o.append_unique("config", parse_json(client->config));
  o.append_unique("created_at", Value(client->created_at));
  return ctx.json(200, Value(std::move(o)));
}

Response Handler::delete_client(Context& ctx) {
  const std::string& uid = ctx.params.at(0);
  if (!options_.store->delete_client(uid)) return client_not_found(ctx, uid);
  Object o;
  o.append_unique("success", Value(true));
  o.append_unique("message", Value("HTTP client deleted successfully"));
  return ctx.json(200, Value(std::move(o)));
}

}  // namespace thaiyyal::serve

namespace thaiyyal::serve {

std::shared_ptr<const http::ClientRegistry> Handler::clients_for(const Workflow& wf) {
  const auto& base = options_.http_clients;
  if (!options_.store) return base;
  std::vector<std::string> wanted;
  for (const auto& node : wf.nodes) {
    const Value* uid = node.data.find("http_client_uid");
    if (!uid || !uid->is_string() || uid->as_string().empty()) continue;
    if (base && base->find(uid->as_string())) continue;
    if (std::find(wanted.begin(), wanted.end(), uid->as_string()) == wanted.end()) {
      wanted.push_back(uid->as_string());
    }
  }
  if (wanted.empty()) return base;
  auto merged = std::make_shared<http::ClientRegistry>(base ? *base : http::ClientRegistry{});
  for (const auto& uid : wanted) {
    std::optional<store::StoredClient> stored_client;
    try {
      stored_client = options_.store->get_client(uid);
    } catch (const std::exception& e) {
      if (options_.log_error) options_.log_error(fmt::format("storage: {}", e.what()));
    }
    if (!stored_client) continue;
    diag::Diagnostics diags;
    Array list;
    list.push_back(parse_json(stored_client->config));
    http::ClientRegistry one =
        http::read_clients(Value(std::move(list)), {}, nullptr, nullptr, http::process_env, diags);
    const http::NamedClient* found = one.find(uid);
    if (!found) continue;
    http::NamedClient client = *found;
    client.may_widen = false;
    if (client.password == http::kRedacted || client.token == http::kRedacted ||
        client.api_key_value == http::kRedacted) {
      client.unusable =
          "its secret was given inline when it was registered and is not stored; register it "
          "with ${env:NAME} references";
    }
    merged->add(std::move(client));
  }
  return merged;
}

}  // namespace thaiyyal::serve
