/// Loading optional code at run time. The heavy libraries that only some
/// commands need (libcurl for outbound HTTP, the HTTP server library, libpq)
/// are opened with dlopen() on first use instead of being linked into the
/// executable, so that a command that never needs them never pays for
/// loading them (nor for their dependencies' initialization).
///
/// Two kinds of files are opened: the project's own modules (shared objects
/// built next to the executable, each exporting one extern "C" entry point)
/// and system libraries named by their soname.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace thaiyyal::dynload {

/// A module or library could not be opened or lacks its entry point. what()
/// is one line naming every path tried and the dynamic loader's reason.
class LoadError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The directory of the running executable (from /proc/self/exe), without a
/// trailing slash; "" when it cannot be read.
std::string executable_dir();

/// Where the module `file_name` is looked for, in order: the value of the
/// environment variable `env_var` alone when it is set and not empty;
/// otherwise `$THAIYYAL_MODULE_DIR/file_name` when that variable is set, then
/// the executable's directory, then `<executable dir>/../lib/thaiyyal/`.
std::vector<std::string> module_candidates(const std::string& file_name, const char* env_var);

/// Opens the first loadable candidate of module_candidates() and returns the
/// address of its `entry` symbol. `what` names the module in messages ("the
/// HTTP module"). The module stays loaded for the life of the process.
/// Opening an already open module is cheap, but callers keep the result
/// (e.g. in a function-local static) rather than calling this per request.
/// Throws LoadError.
void* load_module_entry(const std::string& file_name, const char* env_var, const char* entry,
                        const std::string& what);

/// Opens the system library `soname` (e.g. "libpq.so.5") through the usual
/// search path. `what` names it in messages. Throws LoadError.
void* open_library(const char* soname, const std::string& what);

/// The address of `name` in `handle` (from open_library()). Throws LoadError.
void* library_symbol(void* handle, const char* name, const std::string& what);

}  // namespace thaiyyal::dynload
