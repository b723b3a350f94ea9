#include "thaiyyal/serve/server.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <fmt/format.h>
#include <httplib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <utility>

namespace thaiyyal::serve {
namespace {

/// The port and address text of a socket name.
bool endpoint_of(const sockaddr_storage& sa, std::string& host, int& port) {
  char text[INET6_ADDRSTRLEN] = {};
  if (sa.ss_family == AF_INET) {
    const auto& in = reinterpret_cast<const sockaddr_in&>(sa);
    ::inet_ntop(AF_INET, &in.sin_addr, text, sizeof(text));
    port = ntohs(in.sin_port);
  } else if (sa.ss_family == AF_INET6) {
    const auto& in6 = reinterpret_cast<const sockaddr_in6&>(sa);
    ::inet_ntop(AF_INET6, &in6.sin6_addr, text, sizeof(text));
    port = ntohs(in6.sin6_port);
  } else {
    return false;
  }
  host = text;
  return true;
}

/// The descriptor of the connection a request arrived on, found by its
/// local and remote endpoints (the HTTP library does not expose it); -1
/// when not found.
int connection_fd(const std::string& remote_addr, int remote_port, int local_port) {
  DIR* dir = ::opendir("/proc/self/fd");
  if (!dir) return -1;
  int found = -1;
  while (const dirent* entry = ::readdir(dir)) {
    int fd = -1;
    const std::string_view name = entry->d_name;
    if (std::from_chars(name.data(), name.data() + name.size(), fd).ec != std::errc()) continue;
    sockaddr_storage local{};
    sockaddr_storage peer{};
    socklen_t local_len = sizeof(local);
    socklen_t peer_len = sizeof(peer);
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_len) != 0 ||
        ::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_len) != 0) {
      continue;
    }
    std::string host;
    int port = 0;
    std::string peer_host;
    int peer_port = 0;
    if (!endpoint_of(local, host, port) || !endpoint_of(peer, peer_host, peer_port)) continue;
    if (port == local_port && peer_port == remote_port && peer_host == remote_addr) {
      found = fd;
      break;
    }
  }
  ::closedir(dir);
  return found;
}

/// True once the peer of `fd` has closed its side (or the socket failed).
bool peer_closed(int fd) {
  pollfd p{fd, static_cast<short>(POLLRDHUP), 0};
  if (::poll(&p, 1, 0) <= 0) return false;
  return (p.revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL)) != 0;
}

Request to_request(const httplib::Request& in) {
  Request out;
  out.method = in.method;
  out.path = in.path;
  for (const auto& [name, value] : in.params) out.query.emplace_back(name, value);
  for (const auto& [name, value] : in.headers) out.headers.emplace_back(name, value);
  out.body = in.body;
  if (!in.remote_addr.empty()) {
    out.remote_addr = in.remote_addr.find(':') != std::string::npos
                          ? fmt::format("[{}]:{}", in.remote_addr, in.remote_port)
                          : fmt::format("{}:{}", in.remote_addr, in.remote_port);
  }
  // Looked up on first use: only running executions ask.
  out.client_gone = [remote = in.remote_addr, remote_port = in.remote_port,
                     local_port = in.local_port, fd = -2]() mutable {
    if (fd == -2) fd = connection_fd(remote, remote_port, local_port);
    return fd >= 0 && peer_closed(fd);
  };
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
    // Headers and body leave in separate writes: without TCP_NODELAY (which
    // accepted connections inherit) each keep-alive response would wait for
    // the client's delayed ACK (~40 ms).
    ::setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof(yes));
  });
  http.set_payload_max_length(static_cast<std::size_t>(max_body));
  http.set_read_timeout(options_.read_timeout);
  http.set_write_timeout(options_.write_timeout);
  http.set_keep_alive_timeout(
      static_cast<time_t>(std::max<std::int64_t>(1, (options_.idle_timeout.count() + 999) / 1000)));
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
  impl_->http.stop();
  if (thread_.joinable()) thread_.join();
  handler_->close_history();
  running_ = false;
}

int Server::port() const {
  std::lock_guard lock(mutex_);
  return port_;
}

}  // namespace thaiyyal::serve
