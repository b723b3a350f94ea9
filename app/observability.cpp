#include "observability.h"

#include <fmt/format.h>

#include "thaiyyal/serve/server.h"

namespace thaiyyal::app {

std::shared_ptr<metrics::Metrics> make_metrics() {
  metrics::MetricsOptions options;
  options.version = THAIYYAL_VERSION;
  options.commit = THAIYYAL_COMMIT;
  return std::make_shared<metrics::Metrics>(options);
}

std::shared_ptr<trace::Exporter> make_exporter(const std::string& endpoint,
                                               const std::string& source) {
  if (endpoint.empty()) return nullptr;
  if (endpoint.rfind("http://", 0) != 0 && endpoint.rfind("https://", 0) != 0) {
    throw SettingsError(
        fmt::format("{}: '{}' is not an OTLP/HTTP endpoint (use e.g. http://127.0.0.1:4318)",
                    source, endpoint));
  }
  trace::ExporterOptions options;
  options.endpoint = endpoint;
  options.service_name = "thaiyyal";
  options.service_version = THAIYYAL_VERSION;
  return std::make_shared<trace::Exporter>(options);
}

void check_listen_address(const std::string& addr, const std::string& what) {
  std::string error;
  if (!serve::parse_listen_address(addr, &error)) {
    throw SettingsError(fmt::format("{}: {}", what, error));
  }
}

serve::HandlerOptions admin_handler_options(std::shared_ptr<metrics::Metrics> metrics) {
  serve::HandlerOptions options;
  options.routes = serve::RouteSet::Admin;
  options.metrics = std::move(metrics);
  options.version = THAIYYAL_VERSION;
  return options;
}

void log_requests(serve::HandlerOptions& options, const Logger& logger) {
  options.log_access = [&logger](const serve::AccessRecord& r) {
    if (!logger.enabled(LogLevel::Info)) return;
    Logger::Fields f;
    f.emplace_back("method", app::quoted(r.method));
    f.emplace_back("path", app::quoted(r.path));
    f.emplace_back("route", app::quoted(r.route));
    f.emplace_back("status", std::to_string(r.status));
    f.emplace_back(
        "duration_ms",
        fmt::format("{:.3f}", std::chrono::duration<double, std::milli>(r.elapsed).count()));
    f.emplace_back("bytes", std::to_string(r.bytes));
    f.emplace_back("request_id", app::quoted(r.request_id));
    if (!r.remote_addr.empty()) f.emplace_back("remote_addr", app::quoted(r.remote_addr));
    logger.log(LogLevel::Info, "http request", f);
  };
  options.run_logger = [&logger]() -> std::unique_ptr<engine::Observer> {
    return std::make_unique<LogObserver>(logger);
  };
}

}  // namespace thaiyyal::app
