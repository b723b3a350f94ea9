/// The HTTP listener under serve::Server: sockets, HTTP parsing and a pool of
/// threads. The implementation over the HTTP server library lives in a
/// separate module (thaiyyal-serve-http.so, beside the executable) that
/// Server::start() loads, so that commands that listen on nothing never load
/// the library and its dependencies (OpenSSL, zlib, brotli).
///
/// This header is shared by the executable and the module: plain data and
/// one interface, without types of the HTTP library. The module may run on
/// its own copy of the C++ runtime (the executable links it statically), so
/// no exception crosses the boundary: the listener's methods catch what the
/// library throws, and the callbacks must not throw.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "thaiyyal/serve/message.h"

namespace thaiyyal::serve {

/// What a listener needs to know.
struct ListenerOptions {
  std::chrono::milliseconds read_timeout{30000};
  std::chrono::milliseconds write_timeout{70000};
  long keep_alive_seconds = 5;  ///< idle keep-alive connections close after this
  std::size_t max_body = 0;     ///< longer request bodies are refused with 413
  std::size_t threads = 8;      ///< the worker pool
  /// Answers every routed request. Must not throw.
  std::function<Response(const Request&)> handle;
  /// Answers a request the listener refused before routing (`status`: 413,
  /// 400...), or one whose handling threw (`status` 500, `threw` true).
  /// Must not throw.
  std::function<Response(const Request&, int status, bool threw)> refused;
};

/// One listening socket and its workers. Thread-safe: stop() may be called
/// from any thread while listen() runs on another.
class Listener {
 public:
  virtual ~Listener() = default;
  /// Binds `host`:`port` (port 0: a free port). Returns the bound port, or
  /// -1 with `error_number` set to errno (0 when unknown).
  virtual int bind(const std::string& host, int port, int& error_number) = 0;
  /// Accepts and answers connections until stop(); blocks.
  virtual void listen() = 0;
  /// True while listen() accepts connections.
  virtual bool is_running() const = 0;
  /// Ends listen(): stops accepting, closes the socket, waits for the workers.
  virtual void stop() = 0;
};

/// The table a listener module exports through its entry point.
struct ListenerModule {
  int abi;  ///< kListenerAbi of the module's build
  /// A new listener; null when it cannot be created.
  Listener* (*make_listener)(ListenerOptions options);
};

/// Bumped whenever ListenerOptions, Listener, ListenerModule, Request or
/// Response change.
inline constexpr int kListenerAbi = 1;
/// The module's file name and entry point, and the variable naming its path.
inline constexpr const char* kListenerModuleFile = "thaiyyal-serve-http.so";
inline constexpr const char* kListenerModuleEntry = "thaiyyal_serve_http_module";
inline constexpr const char* kListenerModuleEnv = "THAIYYAL_SERVE_MODULE";

/// A new listener; loads the module on first use (once, thread-safe).
/// Throws dynload::LoadError when the module cannot be loaded.
std::unique_ptr<Listener> make_listener(ListenerOptions options);

}  // namespace thaiyyal::serve
