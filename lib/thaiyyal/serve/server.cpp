#include "thaiyyal/serve/server.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <utility>

#include "thaiyyal/dynload/dynload.h"
#include "thaiyyal/serve/listener.h"

namespace thaiyyal::serve {
namespace {

const ListenerModule& listener_module() {
  // Initialized once; a failed load throws and is retried by the next call.
  static const ListenerModule& module = []() -> const ListenerModule& {
    using Entry = const ListenerModule* (*)();
    void* symbol = dynload::load_module_entry(kListenerModuleFile, kListenerModuleEnv,
                                              kListenerModuleEntry, "the HTTP server module");
    const ListenerModule* table = reinterpret_cast<Entry>(symbol)();
    if (table == nullptr || table->abi != kListenerAbi || table->make_listener == nullptr) {
      throw dynload::LoadError(std::string("cannot load the HTTP server module: ") +
                               kListenerModuleFile + " is from another version of thaiyyal");
    }
    return *table;
  }();
  return module;
}

/// The answer when the handler itself failed.
Response internal_error() {
  Response res;
  res.status = 500;
  return res;
}

}  // namespace

std::unique_ptr<Listener> make_listener(ListenerOptions options) {
  std::unique_ptr<Listener> listener(listener_module().make_listener(std::move(options)));
  if (!listener) throw dynload::LoadError("the HTTP server module could not create a listener");
  return listener;
}

std::optional<ListenAddress> parse_listen_address(std::string_view text, std::string* error) {
  auto fail = [&](std::string message) -> std::optional<ListenAddress> {
    if (error) *error = std::move(message);
    return std::nullopt;
  };
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos) {
    return fail(fmt::format("'{}' is not an address: expected HOST:PORT or :PORT", text));
  }
  std::string_view host = text.substr(0, colon);
  const std::string_view port_text = text.substr(colon + 1);
  int port = 0;
  const auto res = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || res.ec != std::errc() ||
      res.ptr != port_text.data() + port_text.size() || port < 0 || port > 65535) {
    return fail(fmt::format("'{}': the port must be a number from 0 to 65535", text));
  }
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    return fail(fmt::format("'{}': write an IPv6 host in brackets, e.g. [::1]:8080", text));
  }
  ListenAddress out;
  out.host = host.empty() ? "0.0.0.0" : std::string(host);
  out.port = port;
  return out;
}

struct Server::Impl {
  std::unique_ptr<Listener> listener;  ///< created by start()
};

Server::Server(ServerOptions options)
    : options_(std::move(options)),
      handler_(std::make_unique<Handler>(options_.handler)),
      impl_(std::make_unique<Impl>()) {}

Server::~Server() { stop(); }

int Server::start() {
  std::lock_guard lock(mutex_);
  if (running_) return port_;
  std::string error;
  const auto address = parse_listen_address(options_.addr, &error);
  if (!address) throw ServerError(error);

  Handler& handler = *handler_;
  ListenerOptions lo;
  // The listener module may run on another copy of the C++ runtime: no
  // exception may reach it.
  lo.handle = [&handler](const Request& req) {
    try {
      return handler.handle(req);
    } catch (...) {
      return internal_error();
    }
  };
  const std::uint64_t max_body = options_.handler.max_body_bytes;
  lo.refused = [&handler, max_body](const Request& req, int status, bool threw) {
    std::string details;
    if (!threw) {
      details = status == 413 ? fmt::format("the limit is {} bytes", max_body)
                              : fmt::format("the request was refused ({})", status);
    }
    try {
      return handler.refused(req, status, std::move(details));
    } catch (...) {
      return internal_error();
    }
  };
  lo.max_body = static_cast<std::size_t>(max_body);
  lo.read_timeout = options_.read_timeout;
  lo.write_timeout = options_.write_timeout;
  lo.keep_alive_seconds =
      static_cast<long>(std::max<std::int64_t>(1, (options_.idle_timeout.count() + 999) / 1000));
  // Enough threads that requests over the execution limit reach the handler
  // (and get 429) instead of waiting in the queue.
  const std::uint64_t slots = options_.handler.max_concurrent_executions;
  lo.threads = slots == 0 ? 64 : static_cast<std::size_t>(std::min<std::uint64_t>(slots + 8, 1024));
  try {
    impl_->listener = make_listener(std::move(lo));
  } catch (const dynload::LoadError& e) {
    throw ServerError(fmt::format("cannot listen on {}: {}", options_.addr, e.what()));
  }
  Listener& listener = *impl_->listener;

  int err = 0;
  const int port = listener.bind(address->host, address->port, err);
  if (port < 0) {
    impl_->listener.reset();
    throw ServerError(fmt::format("cannot listen on {}{}", options_.addr,
                                  err ? std::string(": ") + std::strerror(err) : std::string()));
  }
  port_ = port;
  thread_ = std::thread([&listener] { listener.listen(); });
  // stop() may come at once: wait until the accept loop runs so that it sees
  // the request to stop.
  for (int i = 0; i < 2000 && !listener.is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  running_ = true;
  return port_;
}

void Server::begin_stop() { handler_->start_draining(); }

void Server::stop() {
  std::lock_guard lock(mutex_);
  if (!running_) return;
  // Readiness turns false and new executions get 503 at once, while the
  // listener stays open: load balancers see the drain, and the running
  // executions are answered on their connections.
  handler_->start_draining();
  if (!handler_->wait_idle(options_.shutdown_timeout)) {
    handler_->cancel_running();
    handler_->wait_idle(std::chrono::seconds(5));
  }
  impl_->listener->stop();
  if (thread_.joinable()) thread_.join();
  handler_->close_history();
  running_ = false;
}

int Server::port() const {
  std::lock_guard lock(mutex_);
  return port_;
}

}  // namespace thaiyyal::serve
