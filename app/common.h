/// Helpers shared by the commands: reading inputs, the limit flags, colour
/// detection, and the load-and-check stage every command starts with.
#pragma once

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "thaiyyal/check/compiled_workflow.h"
#include "thaiyyal/check/pipeline.h"
#include "thaiyyal/diag/diagnostic.h"
#include "thaiyyal/diag/render.h"
#include "thaiyyal/model/limits.h"

namespace thaiyyal::app {

/// A file or stdin that could not be read; maps to exit code 4.
class IoError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Reads `path` ("-" = stdin) into a SourceFile. Refuses directories and
/// anything larger than `hard_cap` bytes. Throws IoError.
std::shared_ptr<const diag::SourceFile> read_source(const std::string& path,
                                                    std::uint64_t hard_cap = 512ull << 20);

/// Leaves `object` to the operating system when the process exits instead of
/// destroying it: a command's large structures (a workflow of thousands of
/// nodes, its result) take longer to free value by value than the process
/// takes to exit. Still reachable, so leak checkers stay quiet. For the one
/// shot commands only, at their end.
template <typename T>
void keep_until_exit(T object) {
  static auto* const kept = new std::vector<std::shared_ptr<const void>>();
  kept->push_back(std::make_shared<const T>(std::move(object)));
}

/// A validator (used with `->transform`) that accepts exactly one of `names`,
/// ASCII case-insensitively, and rewrites the value to its listed spelling.
/// Anything else is refused with `'<value>' is not one of a, b, c` and a
/// did-you-mean; CLI11 prefixes the option name.
CLI::Validator one_of(std::vector<std::string> names);

/// `{a,b,c}`: the type text of an option taking one of `names`.
std::string choice_text(const std::vector<std::string>& names);

/// Adds an option whose value is one of a closed set of names, each mapped to
/// an enumerator; the help shows `{name,...}` and `[default: <def>]`.
template <typename E>
CLI::Option* add_enum_option(CLI::App& cmd, const std::string& flags, E& target,
                             std::vector<std::pair<std::string, E>> table, const std::string& help,
                             const std::string& def) {
  std::vector<std::string> names;
  for (const auto& entry : table) names.push_back(entry.first);
  auto* opt = cmd.add_option_function<std::string>(
      flags,
      [&target, table](const std::string& value) {
        for (const auto& [name, e] : table) {
          if (name == value) target = e;
        }
      },
      help + " [default: " + def + "]");
  opt->transform(one_of(names))->type_name(choice_text(names));
  return opt;
}

/// A string option restricted to `names` (see one_of), shown as `{a,b,c}`.
CLI::Option* add_choice_option(CLI::App& cmd, const std::string& flags, std::string& target,
                               const std::vector<std::string>& names, const std::string& help);

/// A duration for people: `3.002s` from one second up, else `12.345ms`.
std::string human_duration(std::chrono::nanoseconds d);

enum class ColorMode { Auto, Always, Never };
void add_color_flag(CLI::App& cmd, ColorMode& mode);
/// Whether to colour output written to `fd` (NO_COLOR and TERM=dumb respected).
bool use_color(ColorMode mode, int fd);

/// Writes every diagnostic of `diags`, compiler style, to `file`.
void print_diagnostics(std::FILE* file, const diag::Diagnostics& diags, bool color);

using check::load_and_check;

/// The names of a --set constants object, in order.
std::vector<std::string> constant_names(const Object& constants);

}  // namespace thaiyyal::app
