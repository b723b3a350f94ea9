/// The HTTP listener of `thaiyyal serve`: binds an address, answers every
/// request through a Handler on a pool of threads, and stops on request. The
/// sockets and HTTP parsing are a Listener (listener.h), loaded from its
/// module by start(): constructing a Server loads nothing.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>

#include "thaiyyal/serve/handler.h"

namespace thaiyyal::serve {

/// A listen address: `host:port`, `:port` (every interface), `[::1]:port`;
/// port 0 asks for a free port.
struct ListenAddress {
  std::string host;  ///< "0.0.0.0" for every interface
  int port = 0;
};

/// Parses a listen address; nullopt with `error` set when it is malformed.
std::optional<ListenAddress> parse_listen_address(std::string_view text,
                                                  std::string* error = nullptr);

/// The listener could not start (address in use, bad address...).
class ServerError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ServerOptions {
  /// Where to listen; the default is loopback only.
  std::string addr = "127.0.0.1:8080";
  /// The longest wait for each read of a request (headers and body).
  std::chrono::milliseconds read_timeout{30000};
  /// The longest wait for the client to take each part of a response.
  std::chrono::milliseconds write_timeout{70000};
  /// How long an idle keep-alive connection stays open. stop() waits for
  /// idle connections to time out, so this also bounds how long one delays
  /// shutdown.
  std::chrono::milliseconds idle_timeout{5000};
  /// stop(): how long running executions may take to finish before they are
  /// cancelled.
  std::chrono::milliseconds shutdown_timeout{30000};
  /// Routes, limits and network policy.
  HandlerOptions handler;
};

class Server {
 public:
  explicit Server(ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// Loads the listener module, binds the address and starts answering on
  /// background threads. Returns the bound port (the chosen one for port 0).
  /// Throws ServerError (also when the module cannot be loaded).
  int start();
  /// Turns readiness false and refuses new executions, lets running ones
  /// finish for the shutdown timeout, cancels the rest, then stops accepting
  /// and waits for the threads. Idempotent.
  void stop();
  /// The bound port, 0 before start().
  int port() const;

  Handler& handler() { return *handler_; }
  /// Turns readiness false and refuses new executions (503), without
  /// waiting (the first step of stop()).
  void begin_stop();

 private:
  struct Impl;
  ServerOptions options_;
  std::unique_ptr<Handler> handler_;
  std::unique_ptr<Impl> impl_;
  mutable std::mutex mutex_;
  std::thread thread_;
  int port_ = 0;
  bool running_ = false;
};

}  // namespace thaiyyal::serve
