// The HTTP listener module (thaiyyal-serve-http.so): the only code that uses
// the HTTP server library. serve::Server loads it on start() through its one
// extern "C" entry point.
#include <arpa/inet.h>
#include <dirent.h>
#include <httplib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <charconv>
#include <string>
#include <utility>

#include "thaiyyal/serve/listener.h"

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

/// ASCII case-insensitive equality of header names.
bool same_name(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto x = static_cast<unsigned char>(a[i]);
    const auto y = static_cast<unsigned char>(b[i]);
    if ((x >= 'A' && x <= 'Z' ? x + 32 : x) != (y >= 'A' && y <= 'Z' ? y + 32 : y)) return false;
  }
  return true;
}

Request to_request(const httplib::Request& in) {
  Request out;
  out.method = in.method;
  out.path = in.path;
  for (const auto& [name, value] : in.params) out.query.emplace_back(name, value);
  for (const auto& [name, value] : in.headers) out.headers.emplace_back(name, value);
  out.body = in.body;
  if (!in.remote_addr.empty()) {
    const std::string port = std::to_string(in.remote_port);
    out.remote_addr = in.remote_addr.find(':') != std::string::npos
                          ? "[" + in.remote_addr + "]:" + port
                          : in.remote_addr + ":" + port;
  }
  // Looked up on first use: only running executions ask.
  out.client_gone = [remote = in.remote_addr, remote_port = in.remote_port,
                     local_port = in.local_port, fd = -2]() mutable {
    try {
      if (fd == -2) fd = connection_fd(remote, remote_port, local_port);
      return fd >= 0 && peer_closed(fd);
    } catch (...) {
      return false;  // no exception leaves the module
    }
  };
  return out;
}

void write_response(const Response& in, httplib::Response& out) {
  out.status = in.status;
  std::string content_type;
  for (const auto& [name, value] : in.headers) {
    if (same_name(name, "Content-Type")) {
      content_type = value;
      continue;
    }
    out.set_header(name, value);
  }
  if (!in.body.empty() || !content_type.empty()) out.set_content(in.body, content_type);
}

class HttplibListener final : public Listener {
 public:
  explicit HttplibListener(ListenerOptions options) : options_(std::move(options)) {
    // Every path and method reaches the handler, which routes by itself.
    const httplib::Server::Handler route = [this](const httplib::Request& req,
                                                  httplib::Response& res) {
      write_response(options_.handle(to_request(req)), res);
    };
    http_.Get(".*", route);
    http_.Post(".*", route);
    http_.Put(".*", route);
    http_.Patch(".*", route);
    http_.Delete(".*", route);
    http_.Options(".*", route);
    // Requests refused before routing (body over the limit, malformed request
    // line or headers) get the same envelope as the routes' errors.
    http_.set_error_handler(httplib::Server::HandlerWithResponse(
        [this](const httplib::Request& req, httplib::Response& res) {
          if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
          write_response(options_.refused(to_request(req), res.status, false), res);
          return httplib::Server::HandlerResponse::Handled;
        }));
    http_.set_exception_handler(
        [this](const httplib::Request& req, httplib::Response& res, std::exception_ptr) {
          write_response(options_.refused(to_request(req), 500, true), res);
        });
    // SO_REUSEADDR only: the library's default also sets SO_REUSEPORT, which
    // would let a second server bind a port that is in use.
    http_.set_socket_options([](socket_t sock) {
      int yes = 1;
      ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
      // Headers and body leave in separate writes: without TCP_NODELAY (which
      // accepted connections inherit) each keep-alive response would wait for
      // the client's delayed ACK (~40 ms).
      ::setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof(yes));
    });
    http_.set_payload_max_length(options_.max_body);
    http_.set_read_timeout(options_.read_timeout);
    http_.set_write_timeout(options_.write_timeout);
    http_.set_keep_alive_timeout(static_cast<time_t>(options_.keep_alive_seconds));
    const std::size_t threads = options_.threads;
    http_.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  }

  // No exception leaves the module (it may run on another copy of the C++
  // runtime than the executable).
  int bind(const std::string& host, int port, int& error_number) override {
    try {
      errno = 0;
      bool bound = false;
      if (port == 0) {
        port = http_.bind_to_any_port(host);
        bound = port > 0;
      } else {
        bound = http_.bind_to_port(host, port);
      }
      error_number = bound ? 0 : errno;
      return bound ? port : -1;
    } catch (...) {
      error_number = 0;
      return -1;
    }
  }

  void listen() override {
    try {
      http_.listen_after_bind();
    } catch (...) {
    }
  }
  bool is_running() const override { return http_.is_running(); }
  void stop() override {
    try {
      http_.stop();
    } catch (...) {
    }
  }

 private:
  ListenerOptions options_;
  httplib::Server http_;
};

Listener* new_listener(ListenerOptions options) {
  try {
    return new HttplibListener(std::move(options));
  } catch (...) {
    return nullptr;
  }
}

constexpr ListenerModule kModule{kListenerAbi, &new_listener};

}  // namespace
}  // namespace thaiyyal::serve

/// The module's entry point: its table of functions.
extern "C" __attribute__((visibility("default"))) const thaiyyal::serve::ListenerModule*
thaiyyal_serve_http_module() {
  return &thaiyyal::serve::kModule;
}
