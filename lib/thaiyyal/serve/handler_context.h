/// What the route functions of Handler share (handler.cpp and
/// saved_routes.cpp): the per-request context and the document helpers.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "thaiyyal/diag/diagnostic.h"
#include "thaiyyal/model/limits.h"
#include "thaiyyal/model/value.h"
#include "thaiyyal/model/value_json.h"
#include "thaiyyal/model/workflow.h"
#include "thaiyyal/serve/handler.h"

namespace thaiyyal::serve {
namespace detail {

/// Loads a workflow document (JSON or YAML by Content-Type, else detected)
/// under the document limits; every problem goes to `diags`.
std::optional<Workflow> load_text(const std::string& text, const std::string* content_type,
                                  const Limits& limits, diag::Diagnostics& diags);
/// Each diagnostic as `thaiyyal validate --format json` writes it.
Value diagnostics_value(const diag::Diagnostics& diags);
/// Diagnostics in source order.
std::vector<const diag::Diagnostic*> in_source_order(const diag::Diagnostics& diags);
/// `<request>:3:7: message` (the position only when known).
std::string positioned(const diag::Diagnostic& d);
/// Now as an RFC 3339 UTC text with milliseconds.
std::string timestamp_now();

}  // namespace detail

struct Handler::Context {
  const Request& request;
  std::string request_id;
  std::string path;                      ///< without the query string
  trace::Span* span = nullptr;           ///< the request's server span, when tracing
  std::vector<std::string> params = {};  ///< what the route's `{name}` parts matched

  /// A JSON response: compact, newline-terminated, with the common headers.
  Response json(int status, const Value& body) const {
    Response r;
    r.status = status;
    r.body = to_json(body);
    r.body += '\n';
    r.set_header("Content-Type", "application/json");
    finish(r);
    return r;
  }

  /// The headers every response carries.
  void finish(Response& r) const {
    r.set_header("X-Request-ID", request_id);
    r.set_header("X-Content-Type-Options", "nosniff");
    r.set_header("Cache-Control", "no-store");
  }

  /// The error envelope: success, error, details, code, request_id,
  /// then `extra`'s keys.
  Response error(int status, std::string_view code, std::string_view summary,
                 std::string_view details, Object extra = {}) const {
    Object o;
    o.append_unique("success", Value(false));
    o.append_unique("error", Value(summary));
    o.append_unique("details", Value(details));
    o.append_unique("code", Value(code));
    o.append_unique("request_id", Value(request_id));
    for (const auto& [key, value] : extra) o.append_unique(key, value);
    return json(status, Value(std::move(o)));
  }
};

}  // namespace thaiyyal::serve
