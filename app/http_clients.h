/// Named HTTP clients for a command: read from `--http-clients FILE` and from
/// the `http_clients` section of the `--config` file.
#pragma once

#include <memory>
#include <string>

#include "thaiyyal/diag/diagnostic.h"
#include "thaiyyal/http/clients.h"

namespace thaiyyal::app {

/// Reads the clients of `clients_file` (a list of clients, or a mapping with
/// an `http_clients` list) and of the `http_clients` section of
/// `config_file`; either path may be empty. Problems go to `diags` with file
/// positions; returns null when there are none to read. Throws IoError when a
/// file cannot be read.
std::shared_ptr<const http::ClientRegistry> load_http_clients(const std::string& clients_file,
                                                              const std::string& config_file,
                                                              diag::Diagnostics& diags);

}  // namespace thaiyyal::app
