#include "http_clients.h"

#include <fmt/format.h>

#include "common.h"
#include "thaiyyal/load/loader.h"

namespace thaiyyal::app {
namespace {

/// Adds the clients of one file to `out`. `whole_file`: the file is a clients
/// file (a bare list is allowed); otherwise only its `http_clients` key counts.
void read_file(const std::string& path, bool whole_file, http::ClientRegistry& out,
               diag::Diagnostics& diags) {
  const auto source = read_source(path, 64u << 20);
  load::Document doc;
  try {
    doc = load::parse_document(source);
  } catch (const diag::Error& e) {
    diag::Diagnostic d = e.diagnostic();
    d.message = "cannot read HTTP clients: " + d.message;
    diags.add(std::move(d));
    return;
  }
  const Value* list = nullptr;
  std::vector<PathStep> path_steps;
  if (whole_file && doc.value.is_array()) {
    list = &doc.value;
  } else if (const Object* o = doc.value.if_object()) {
    list = o->find("http_clients");
    path_steps.push_back(PathStep{"http_clients", std::nullopt});
    if (!list && whole_file) {
      diag::Location loc;
      loc.file = source;
      diags.error("missing-key",
                  "an HTTP clients file holds a list of clients or an http_clients list", loc);
      return;
    }
  } else if (whole_file) {
    diag::Location loc;
    loc.file = source;
    diags.error("wrong-type",
                fmt::format("an HTTP clients file holds a list of clients, got {}",
                            kind_name(doc.value.kind())),
                loc);
    return;
  }
  if (!list || list->is_null()) return;
  http::ClientRegistry read =
      http::read_clients(*list, path_steps, doc.locator.get(), source, http::process_env, diags);
  for (const auto& uid : read.uids()) {
    if (!out.add(*read.find(uid))) {
      diag::Location loc;
      loc.file = source;
      diags.error("duplicate-id", fmt::format("duplicate HTTP client uid '{}'", uid), loc);
    }
  }
}

}  // namespace

std::shared_ptr<const http::ClientRegistry> load_http_clients(const std::string& clients_file,
                                                              const std::string& config_file,
                                                              diag::Diagnostics& diags) {
  if (clients_file.empty() && config_file.empty()) return nullptr;
  auto registry = std::make_shared<http::ClientRegistry>();
  if (!config_file.empty()) read_file(config_file, false, *registry, diags);
  if (!clients_file.empty()) read_file(clients_file, true, *registry, diags);
  if (registry->size() == 0) return nullptr;
  return registry;
}

}  // namespace thaiyyal::app
