/// Metrics, tracing and logging shared by `execute` and `serve`: builds the
/// library's Metrics and trace Exporter from the service settings, and the
/// access-log and run-log hooks of the server.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "log_observer.h"
#include "settings.h"
#include "thaiyyal/metrics/metrics.h"
#include "thaiyyal/serve/handler.h"
#include "thaiyyal/trace/trace.h"

namespace thaiyyal::app {

/// The process's Metrics (build info with this build's version).
std::shared_ptr<metrics::Metrics> make_metrics();

/// An exporter for --otlp-endpoint, or null when it is empty. Throws
/// SettingsError for an endpoint that is not an http(s) URL.
std::shared_ptr<trace::Exporter> make_exporter(const std::string& endpoint,
                                               const std::string& source);

/// Checks a listen address setting; throws SettingsError naming `what`.
void check_listen_address(const std::string& addr, const std::string& what);

/// Handler options of the admin listener (/metrics and /health*).
serve::HandlerOptions admin_handler_options(std::shared_ptr<metrics::Metrics> metrics);

/// Logs every answered request as one `http request` line.
void log_requests(serve::HandlerOptions& options, const Logger& logger);

}  // namespace thaiyyal::app
