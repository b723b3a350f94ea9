/// The serve module's own HTTP request and response types: plain data, free
/// of the HTTP library, so that routes are functions a unit test can call
/// without a socket.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace thaiyyal::serve {

/// Header fields in arrival order; names compare ASCII case-insensitively.
using Headers = std::vector<std::pair<std::string, std::string>>;

/// The value of the first header named `name` (any letter case), or nullptr.
const std::string* find_header(const Headers& headers, std::string_view name);

/// One HTTP request as the routes see it.
struct Request {
  std::string method;  ///< upper case: GET, POST, ...
  std::string path;    ///< decoded path, without the query string
  Headers headers;
  std::string body;
  /// The client's address (ip:port), for logs; may be empty.
  std::string remote_addr = {};
  /// True once the client has closed its connection; may be empty (unknown).
  std::function<bool()> client_gone = {};
  /// The decoded query parameters, in order (`?limit=5&status=failed`). A
  /// query string left in `path` is decoded into these by the routes.
  std::vector<std::pair<std::string, std::string>> query = {};
};

/// One HTTP response.
struct Response {
  int status = 200;
  Headers headers;
  std::string body;

  /// The value of the header `name`, or nullptr.
  const std::string* header(std::string_view name) const { return find_header(headers, name); }
  /// Replaces every header `name` with one of value `value`.
  void set_header(std::string name, std::string value);
};

}  // namespace thaiyyal::serve
