#include "common.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>

#include "thaiyyal/load/loader.h"

namespace thaiyyal::app {

std::shared_ptr<const diag::SourceFile> read_source(const std::string& path,
                                                    std::uint64_t hard_cap) {
  std::string text;
  std::string name = path;
  auto read_stream = [&](std::FILE* f) {
    char buf[1 << 16];
    for (;;) {
      const std::size_t n = std::fread(buf, 1, sizeof buf, f);
      if (n == 0) break;
      text.append(buf, n);
      if (text.size() > hard_cap) {
        throw IoError(name + ": input is larger than " + std::to_string(hard_cap >> 20) +
                      " MiB; refusing to read it");
      }
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
      read_stream(f);
    } catch (...) {
      std::fclose(f);
      throw;
    }
    std::fclose(f);
  }
  return std::make_shared<diag::SourceFile>(std::move(name), std::move(text));
}

void add_color_flag(CLI::App& cmd, ColorMode& mode) {
  cmd.add_option("--color", mode, "Colour diagnostics: auto (the default), always or never")
      ->transform(
          CLI::CheckedTransformer(std::map<std::string, ColorMode>{{"auto", ColorMode::Auto},
                                                                   {"always", ColorMode::Always},
                                                                   {"never", ColorMode::Never}},
                                  CLI::ignore_case))
      ->default_str("auto")
      ->option_text("auto|always|never");
}

bool use_color(ColorMode mode, int fd) {
  if (mode == ColorMode::Always) return true;
  if (mode == ColorMode::Never) return false;
  if (std::getenv("NO_COLOR")) return false;
  const char* term = std::getenv("TERM");
  if (term && std::strcmp(term, "dumb") == 0) return false;
  return ::isatty(fd) != 0;
}

std::shared_ptr<const check::CompiledWorkflow> load_and_check(
    const std::shared_ptr<const diag::SourceFile>& source, const Limits& limits,
    diag::Diagnostics& diags, std::shared_ptr<const Workflow>* loaded) {
  load::LoadOptions opts;
  opts.max_nodes = limits.max_nodes;
  opts.max_edges = limits.max_edges;
  opts.max_payload_size = limits.max_payload_size;
  auto wf = load::load_workflow(source, opts, diags);
  if (!wf) return nullptr;
  auto shared = std::make_shared<const Workflow>(std::move(*wf));
  if (loaded) *loaded = shared;
  auto compiled = check::compile_workflow(shared, diags);
  if (diags.has_errors()) return nullptr;
  return compiled;
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
