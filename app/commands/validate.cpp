#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <utility>

#include "commands/commands.h"
#include "common.h"
#include "exit_codes.h"
#include "http_clients.h"
#include "settings.h"
#include "thaiyyal/diag/spellcheck.h"

namespace thaiyyal::app {
namespace {

struct ValidateOptions {
  std::vector<std::string> files;
  std::string format = "text";
  bool quiet = false;
  bool strict = false;
  std::vector<std::string> sets;
  ColorMode color = ColorMode::Auto;
  std::string http_clients_file;
  Settings settings;
};

struct FileReport {
  std::string name;
  bool readable = true;
  std::string io_error;
  std::size_t nodes = 0, edges = 0;
  diag::Diagnostics diags;
};

/// Reports http nodes whose `http_client_uid` names no client of `clients`.
void check_client_uids(const Workflow& wf, const http::ClientRegistry& clients,
                       diag::Diagnostics& diags) {
  const std::vector<std::string> uids = clients.uids();
  const std::vector<std::string_view> names(uids.begin(), uids.end());
  for (const auto& node : wf.nodes) {
    if (node.type != "http" || !node.data.is_object()) continue;
    const Value* uid = node.data.find("http_client_uid");
    if (!uid || !uid->is_string() || uid->as_string().empty()) continue;
    if (clients.find(uid->as_string())) continue;
    auto& d = diags.error("unknown-http-client",
                          fmt::format("unknown HTTP client \"{}\"", uid->as_string()),
                          wf.node_location(node, "http_client_uid"));
    if (auto guess = diag::spellcheck(uid->as_string(), names)) {
      d.notes.push_back(fmt::format("did you mean '{}'?", *guess));
    }
  }
}

/// A file's diagnostics in source order, as a compiler lists them: by line and
/// column, those without a position (payload size, empty file) first; the
/// checks' own order breaks ties.
std::vector<const diag::Diagnostic*> in_source_order(const diag::Diagnostics& diags) {
  std::vector<const diag::Diagnostic*> out;
  out.reserve(diags.size());
  for (const auto& d : diags.all()) out.push_back(&d);
  std::stable_sort(out.begin(), out.end(), [](const auto* a, const auto* b) {
    return std::pair(a->where.line, a->where.column) < std::pair(b->where.line, b->where.column);
  });
  return out;
}

int run_validate(const ValidateOptions& opts) {
  Limits limits;
  std::vector<std::string> constants;
  try {
    opts.settings.resolve(limits);
    constants = constant_names(parse_sets(opts.sets));
  } catch (const SettingsError& e) {
    std::fprintf(stderr, "thaiyyal validate: %s\n", e.what());
    return kExitUsage;
  }
  std::shared_ptr<const http::ClientRegistry> clients;
  if (!opts.http_clients_file.empty()) {
    diag::Diagnostics client_diags;
    clients = load_http_clients(opts.http_clients_file, {}, client_diags);
    if (client_diags.has_errors()) {
      print_diagnostics(stderr, client_diags, use_color(opts.color, STDERR_FILENO));
      return kExitUsage;
    }
    if (!clients) clients = std::make_shared<http::ClientRegistry>();
  }
  std::vector<FileReport> reports;
  reports.reserve(opts.files.size());
  for (const auto& path : opts.files) {
    FileReport r;
    r.name = path == "-" ? "<stdin>" : path;
    try {
      auto source = read_source(path);
      std::shared_ptr<const Workflow> wf;
      auto compiled = load_and_check(source, limits, constants, r.diags, &wf);
      if (wf) {
        r.nodes = wf->nodes.size();
        r.edges = wf->edges.size();
        if (clients) check_client_uids(*wf, *clients, r.diags);
      }
      // One file (the common case, and the one with the largest workflows)
      // is left to the process exit; many are freed one by one.
      if (opts.files.size() == 1) keep_until_exit(std::move(compiled));
    } catch (const IoError& e) {
      r.readable = false;
      r.io_error = e.what();
      // The report names the file already: "x.json: error[io]: cannot open: ...".
      const std::string named = r.name + ": ";
      if (r.io_error.rfind(named, 0) == 0) r.io_error.erase(0, named.size());
    }
    reports.push_back(std::move(r));
  }

  // The worst outcome wins: unreadable (4) > invalid (3) > warnings under
  // --strict (1) > valid (0).
  int exit_code = kExitOk;
  for (const auto& r : reports) {
    if (!r.readable) {
      exit_code = kExitIo;
    } else if (r.diags.has_errors() && exit_code != kExitIo) {
      exit_code = kExitInvalid;
    } else if (opts.strict && exit_code == kExitOk && r.diags.size() > r.diags.error_count()) {
      exit_code = kExitFindings;
    }
  }

  std::string out;
  if (opts.format == "json") {
    std::size_t errors = 0, warnings = 0;
    out = "{\"files\":[";
    for (std::size_t i = 0; i < reports.size(); ++i) {
      const auto& r = reports[i];
      if (i) out += ',';
      out += "{\"file\":";
      diag::append_json_string(out, r.name);
      const bool valid = r.readable && !r.diags.has_errors();
      out += fmt::format(",\"valid\":{}", valid ? "true" : "false");
      if (!r.readable) {
        out += ",\"error\":";
        diag::append_json_string(out, r.io_error);
        ++errors;
      } else {
        out += fmt::format(",\"nodes\":{},\"edges\":{}", r.nodes, r.edges);
      }
      out += ",\"diagnostics\":[";
      bool first = true;
      for (const auto* d : in_source_order(r.diags)) {
        if (d->severity == diag::Severity::Error) ++errors;
        if (d->severity == diag::Severity::Warning) ++warnings;
        if (opts.quiet && d->severity != diag::Severity::Error) continue;
        if (!first) out += ',';
        first = false;
        out += diag::render_json(*d);
      }
      out += "]}";
    }
    out += fmt::format("],\"valid\":{},\"errors\":{},\"warnings\":{}}}\n",
                       exit_code == kExitOk ? "true" : "false", errors, warnings);
    std::fwrite(out.data(), 1, out.size(), stdout);
    return exit_code;
  }

  diag::RenderOptions ro;
  ro.color = use_color(opts.color, STDOUT_FILENO);
  for (const auto& r : reports) {
    if (!r.readable) {
      out += fmt::format("{}: error[io]: {}\n", r.name, r.io_error);
      continue;
    }
    std::size_t errors = 0, warnings = 0;
    for (const auto* d : in_source_order(r.diags)) {
      if (d->severity == diag::Severity::Error) ++errors;
      if (d->severity == diag::Severity::Warning) ++warnings;
      if (opts.quiet && d->severity != diag::Severity::Error) continue;
      out += diag::render_text(*d, ro);
    }
    if (opts.quiet) continue;
    if (errors == 0) {
      out += fmt::format("{}: valid ({} node{}, {} edge{}", r.name, r.nodes,
                         r.nodes == 1 ? "" : "s", r.edges, r.edges == 1 ? "" : "s");
      if (warnings) out += fmt::format(", {} warning{}", warnings, warnings == 1 ? "" : "s");
      out += ")\n";
    } else {
      out += fmt::format("{}: invalid ({} error{}", r.name, errors, errors == 1 ? "" : "s");
      if (warnings) out += fmt::format(", {} warning{}", warnings, warnings == 1 ? "" : "s");
      out += ")\n";
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return exit_code;
}

}  // namespace

void register_validate(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<ValidateOptions>();
  auto* cmd = app.add_subcommand("validate", "Check workflow files without running them");
  cmd->set_version_flag("-V,--version", std::string("thaiyyal ") + THAIYYAL_VERSION);
  cmd->footer(
      "Runs every static check the engine would hit: JSON/YAML syntax, document shape,\n"
      "node types and their required keys, key types and option values, edges and their\n"
      "handles, cycles, expression syntax, templates, and failures certain to happen when\n"
      "the workflow runs. Every problem is reported, each with file:line:column and the\n"
      "node id. No network access and no node is executed. A workflow that validates\n"
      "does not fail for a structural reason when it runs.\n\n"
      "Examples:\n"
      "  thaiyyal validate flow.json\n"
      "  thaiyyal validate workflows/*.yaml --format json\n"
      "  thaiyyal validate --strict flows/*.yaml      # CI: warnings fail too\n"
      "  thaiyyal validate report.yaml --set region=eu\n"
      "  cat flow.yaml | thaiyyal validate -\n"
      "  thaiyyal validate flows/*.yaml --http-clients clients.yaml\n\n"
      "Exit codes: 0 all files valid; 1 only warnings, with --strict; 3 at least one\n"
      "invalid workflow (also when a load-time limit such as --max-nodes rejects it);\n"
      "4 a file could not be read; 2 usage error.");
  cmd->add_option("files", opts->files, "Workflow files (JSON or YAML); - reads stdin")->required();
  add_choice_option(*cmd, "--format,-o,--output", opts->format, {"text", "json"}, "Output format");
  cmd->add_flag("-q,--quiet", opts->quiet, "Print errors only (no summaries or warnings)");
  cmd->add_flag("--strict", opts->strict,
                "Fail on warnings too: exit 1 when a file has warnings but no errors");
  cmd->add_option("--set", opts->sets,
                  "A context constant the workflow will be run with (NAME=VALUE, as for "
                  "execute), so templates naming it are known; repeatable")
      ->type_name("NAME=VALUE");
  add_color_flag(*cmd, opts->color);
  cmd->add_option("--http-clients", opts->http_clients_file,
                  "Also check the named HTTP clients file, and that every http node's "
                  "http_client_uid names one of its clients (a client's unset ${env:NAME} "
                  "variables are reported only when it is used)")
      ->type_name("FILE");
  opts->settings.bind(*cmd, {Scope::Document});
  cmd->callback([opts, &exit_code] { exit_code = run_validate(*opts); });
}

}  // namespace thaiyyal::app
