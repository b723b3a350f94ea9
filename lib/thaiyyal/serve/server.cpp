#include "thaiyyal/serve/server.h"

#include <fmt/format.h>
#include <httplib.h>
#include <sys/socket.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <utility>

namespace thaiyyal::serve {
namespace {

Request to_request(const httplib::Request& in) {
  Request out;
  out.method = in.method;
  out.path = in.path;
  for (const auto& [name, value] : in.headers) out.headers.emplace_back(name, value);
  out.body = in.body;
  return out;
}

void write_response(const Response& in, httplib::Response& out) {
  out.status = in.status;
  std::string content_type;
  for (const auto& [name, value] : in.headers) {
    if (find_header({{name, value}}, "Content-Type")) {
      content_type = value;
      continue;
    }
    out.set_header(name, value);
  }
  if (!in.body.empty() || !content_type.empty()) out.set_content(in.body, content_type);
}

}  // namespace

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
  httplib::Server http;
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

  auto& http = impl_->http;
  Handler& handler = *handler_;
  // Every path and method reaches the Handler, which routes by itself.
  const httplib::Server::Handler route = [&handler](const httplib::Request& req,
                                                    httplib::Response& res) {
    write_response(handler.handle(to_request(req)), res);
  };
  http.Get(".*", route);
  http.Post(".*", route);
  http.Put(".*", route);
  http.Patch(".*", route);
  http.Delete(".*", route);
  http.Options(".*", route);
  // Requests refused before routing (body over the limit, malformed request
  // line or headers) get the same JSON envelope as the routes' errors.
  const std::uint64_t max_body = options_.handler.max_body_bytes;
  http.set_error_handler(httplib::Server::HandlerWithResponse(
      [&handler, max_body](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        std::string details = res.status == 413
                                  ? fmt::format("the limit is {} bytes", max_body)
                                  : fmt::format("the request was refused ({})", res.status);
        write_response(handler.refused(to_request(req), res.status, std::move(details)), res);
        return httplib::Server::HandlerResponse::Handled;
      }));
  http.set_exception_handler(
      [&handler](const httplib::Request& req, httplib::Response& res, std::exception_ptr) {
        write_response(handler.refused(to_request(req), 500, ""), res);
      });
  // SO_REUSEADDR only: the library's default also sets SO_REUSEPORT, which
  // would let a second server bind a port that is in use.
  http.set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  http.set_payload_max_length(static_cast<std::size_t>(max_body));
  http.set_read_timeout(options_.read_timeout);
  http.set_write_timeout(options_.write_timeout);
  http.set_keep_alive_timeout(static_cast<time_t>(options_.idle_timeout.count()));
  // Enough threads that requests over the execution limit reach the handler
  // (and get 429) instead of waiting in the queue.
  const std::uint64_t slots = options_.handler.max_concurrent_executions;
  const std::size_t threads =
      slots == 0 ? 64 : static_cast<std::size_t>(std::min<std::uint64_t>(slots + 8, 1024));
  http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };

  errno = 0;
  int port = address->port;
  bool bound = false;
  if (port == 0) {
    port = http.bind_to_any_port(address->host);
    bound = port > 0;
  } else {
    bound = http.bind_to_port(address->host, port);
  }
  if (!bound) {
    const int err = errno;
    throw ServerError(fmt::format("cannot listen on {}{}", options_.addr,
                                  err ? std::string(": ") + std::strerror(err) : std::string()));
  }
  port_ = port;
  thread_ = std::thread([this] { impl_->http.listen_after_bind(); });
  // stop() may come at once: wait until the accept loop runs so that it sees
  // the request to stop.
  for (int i = 0; i < 2000 && !http.is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  running_ = true;
  return port_;
}

void Server::stop() {
  std::lock_guard lock(mutex_);
  if (!running_) return;
  handler_->start_draining();
  impl_->http.stop();
  if (!handler_->wait_idle(options_.shutdown_timeout)) handler_->cancel_running();
  if (thread_.joinable()) thread_.join();
  running_ = false;
}

int Server::port() const {
  std::lock_guard lock(mutex_);
  return port_;
}

}  // namespace thaiyyal::serve
