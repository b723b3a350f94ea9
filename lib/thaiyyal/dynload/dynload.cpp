#include "thaiyyal/dynload/dynload.h"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>

namespace thaiyyal::dynload {
namespace {

/// The dynamic loader's last error, with `path` in front unless it names it.
std::string last_error(const std::string& path) {
  const char* raw = ::dlerror();
  std::string reason = raw != nullptr ? raw : "unknown error";
  if (reason.find(path) == std::string::npos) reason = path + ": " + reason;
  return reason;
}

}  // namespace

std::string executable_dir() {
  std::string buffer(4096, '\0');
  const ssize_t n = ::readlink("/proc/self/exe", buffer.data(), buffer.size());
  if (n <= 0 || static_cast<std::size_t>(n) >= buffer.size()) return {};
  buffer.resize(static_cast<std::size_t>(n));
  const auto slash = buffer.rfind('/');
  if (slash == std::string::npos) return {};
  return slash == 0 ? std::string("/") : buffer.substr(0, slash);
}

std::vector<std::string> module_candidates(const std::string& file_name, const char* env_var) {
  if (env_var != nullptr) {
    const char* exact = std::getenv(env_var);
    if (exact != nullptr && *exact != '\0') return {exact};
  }
  std::vector<std::string> out;
  if (const char* dir = std::getenv("THAIYYAL_MODULE_DIR"); dir != nullptr && *dir != '\0') {
    out.push_back(std::string(dir) + "/" + file_name);
  }
  const std::string exe = executable_dir();
  if (!exe.empty()) {
    const std::string base = exe == "/" ? "" : exe;
    out.push_back(base + "/" + file_name);
    out.push_back(base + "/../lib/thaiyyal/" + file_name);
  }
  if (out.empty()) out.push_back(file_name);
  return out;
}

void* load_module_entry(const std::string& file_name, const char* env_var, const char* entry,
                        const std::string& what) {
  std::string reasons;
  for (const auto& path : module_candidates(file_name, env_var)) {
    void* handle = ::dlopen(path.c_str(), RTLD_LAZY | RTLD_LOCAL);
    if (handle == nullptr) {
      reasons += (reasons.empty() ? "" : "; ") + last_error(path);
      continue;
    }
    ::dlerror();
    void* symbol = ::dlsym(handle, entry);
    if (symbol == nullptr) {
      reasons += (reasons.empty() ? "" : "; ") + last_error(path);
      continue;  // the handle stays open: dlclose() of a module is never safe here
    }
    return symbol;
  }
  std::string hint;
  if (env_var != nullptr) hint = std::string(" (").append(env_var).append(" names its path)");
  throw LoadError("cannot load " + what + hint + ": " + reasons);
}

void* open_library(const char* soname, const std::string& what) {
  void* handle = ::dlopen(soname, RTLD_LAZY | RTLD_LOCAL);
  if (handle == nullptr) throw LoadError("cannot load " + what + ": " + last_error(soname));
  return handle;
}

void* library_symbol(void* handle, const char* name, const std::string& what) {
  ::dlerror();
  void* symbol = ::dlsym(handle, name);
  if (symbol == nullptr) {
    const char* raw = ::dlerror();
    throw LoadError("cannot load " + what + ": " + (raw != nullptr ? raw : name));
  }
  return symbol;
}

}  // namespace thaiyyal::dynload
