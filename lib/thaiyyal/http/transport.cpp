#include "thaiyyal/http/transport.h"

#include <string>

#include "thaiyyal/dynload/dynload.h"

namespace thaiyyal::http {
namespace {

const TransportModule& curl_module() {
  // Initialized once; a failed load throws and is retried by the next call.
  static const TransportModule& module = []() -> const TransportModule& {
    using Entry = const TransportModule* (*)();
    void* symbol = dynload::load_module_entry(kCurlModuleFile, kCurlModuleEnv, kCurlModuleEntry,
                                              "the HTTP module");
    const TransportModule* table = reinterpret_cast<Entry>(symbol)();
    if (table == nullptr || table->abi != kTransportAbi || table->make_transport == nullptr) {
      throw dynload::LoadError(std::string("cannot load the HTTP module: ") + kCurlModuleFile +
                               " is from another version of thaiyyal (interface " +
                               std::to_string(table != nullptr ? table->abi : 0) + ", expected " +
                               std::to_string(kTransportAbi) + ")");
    }
    return *table;
  }();
  return module;
}

}  // namespace

std::unique_ptr<Transport> make_curl_transport() {
  std::unique_ptr<Transport> transport(curl_module().make_transport());
  if (!transport) throw dynload::LoadError("the HTTP module could not initialize libcurl");
  return transport;
}

}  // namespace thaiyyal::http
