#include "common.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>

#include "thaiyyal/check/context_check.h"
#include "thaiyyal/diag/spellcheck.h"
#include "thaiyyal/load/loader.h"

namespace thaiyyal::app {

std::shared_ptr<const diag::SourceFile> read_source(const std::string& path,
                                                    std::uint64_t hard_cap) {
  std::string text;
  std::string name = path;
  const auto too_large = [&] {
    return IoError(name + ": input is larger than " + std::to_string(hard_cap >> 20) +
                   " MiB; refusing to read it");
  };
  auto read_stream = [&](std::FILE* f) {
    char buf[1 << 16];
    for (;;) {
      const std::size_t n = std::fread(buf, 1, sizeof buf, f);
      if (n == 0) break;
      text.append(buf, n);
      if (text.size() > hard_cap) throw too_large();
    }
    if (std::ferror(f)) throw IoError(name + ": read error: " + std::strerror(errno));
  };
  if (path == "-") {
    name = "<stdin>";
    read_stream(stdin);
  } else {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
      throw IoError(path + ": cannot open: " + std::strerror(errno));
    }
    if (S_ISDIR(st.st_mode)) throw IoError(path + ": is a directory");
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) throw IoError(path + ": cannot open: " + std::strerror(errno));
    try {
      // A regular file is read straight into a buffer of its size (growing
      // it chunk by chunk would copy and fault in the text several times);
      // read_stream() then takes whatever the file gained meanwhile.
      if (S_ISREG(st.st_mode) && st.st_size > 0) {
        const auto want = static_cast<std::size_t>(
            std::min<std::uint64_t>(static_cast<std::uint64_t>(st.st_size), hard_cap + 1));
        text.resize(want);
        text.resize(std::fread(text.data(), 1, want, f));
        if (text.size() > hard_cap) throw too_large();
      }
      read_stream(f);
    } catch (...) {
      std::fclose(f);
      throw;
    }
    std::fclose(f);
  }
  return std::make_shared<diag::SourceFile>(std::move(name), std::move(text));
}

CLI::Validator one_of(std::vector<std::string> names) {
  return CLI::Validator(
      [names](std::string& value) -> std::string {
        auto lower = [](std::string s) {
          for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
          return s;
        };
        for (const auto& name : names) {
          if (lower(name) == lower(value)) {
            value = name;
            return {};
          }
        }
        std::string list;
        for (const auto& name : names) list += (list.empty() ? "" : ", ") + name;
        std::string message = fmt::format("'{}' is not one of {}", value, list);
        const std::vector<std::string_view> views(names.begin(), names.end());
        if (auto near = diag::spellcheck(lower(value), views)) {
          message += fmt::format(" (did you mean '{}'?)", *near);
        }
        return message;
      },
      "");
}

std::string choice_text(const std::vector<std::string>& names) {
  std::string out = "{";
  for (const auto& name : names) out += (out.size() > 1 ? "," : "") + name;
  return out + "}";
}

CLI::Option* add_choice_option(CLI::App& cmd, const std::string& flags, std::string& target,
                               const std::vector<std::string>& names, const std::string& help) {
  return cmd.add_option(flags, target, help + " [default: " + target + "]")
      ->transform(one_of(names))
      ->type_name(choice_text(names));
}

std::string human_duration(std::chrono::nanoseconds d) {
  const double ms = std::chrono::duration<double, std::milli>(d).count();
  if (ms >= 1000.0) return fmt::format("{:.3f}s", ms / 1000.0);
  return fmt::format("{:.3f}ms", ms);
}

void add_color_flag(CLI::App& cmd, ColorMode& mode) {
  add_enum_option(
      cmd, "--color", mode,
      {{"auto", ColorMode::Auto}, {"always", ColorMode::Always}, {"never", ColorMode::Never}},
      "Colour: auto (on a terminal, unless NO_COLOR is set), always or never", "auto");
}

bool use_color(ColorMode mode, int fd) {
  if (mode == ColorMode::Always) return true;
  if (mode == ColorMode::Never) return false;
  if (std::getenv("NO_COLOR")) return false;
  const char* term = std::getenv("TERM");
  if (term && std::strcmp(term, "dumb") == 0) return false;
  return ::isatty(fd) != 0;
}

std::vector<std::string> constant_names(const Object& constants) {
  std::vector<std::string> names;
  for (const auto& [name, value] : constants) names.push_back(name);
  return names;
}

void print_diagnostics(std::FILE* file, const diag::Diagnostics& diags, bool color) {
  diag::RenderOptions ro;
  ro.color = color;
  for (const auto& d : diags.all()) {
    const std::string text = diag::render_text(d, ro);
    std::fwrite(text.data(), 1, text.size(), file);
  }
}

}  // namespace thaiyyal::app
