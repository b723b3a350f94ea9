#include "thaiyyal/lint/lint.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>
#include <utility>

#include "commands/commands.h"
#include "common.h"
#include "exit_codes.h"
#include "http_clients.h"
#include "settings.h"
#include "thaiyyal/diag/spellcheck.h"
#include "thaiyyal/lint/baseline.h"
#include "thaiyyal/lint/report.h"
#include "thaiyyal/model/value_json.h"

namespace thaiyyal::app {
namespace {

namespace fs = std::filesystem;

struct LintCommandOptions {
  std::vector<std::string> paths;
  std::string format = "text";
  bool list_rules = false;
  std::string explain;
  std::vector<std::string> ignore;
  std::vector<std::string> enable;
  std::vector<std::string> disable;
  bool strict = false;
  std::string fail_level = "error";
  std::string baseline;
  std::string write_baseline;
  std::vector<std::string> sets;
  unsigned jobs = 0;
  ColorMode color = ColorMode::Auto;
  Settings settings;
};

std::vector<std::string_view> rule_ids() {
  std::vector<std::string_view> ids;
  for (const auto& r : lint::all_rules()) ids.push_back(r.id);
  return ids;
}

/// The usage error for an id that names no rule, with a did-you-mean.
std::string unknown_rule(std::string_view flag, const std::string& id) {
  std::string message = fmt::format("{}: '{}' is not a lint rule", flag, id);
  if (auto near = diag::spellcheck(id, rule_ids())) {
    message += fmt::format(" (did you mean '{}'?)", *near);
  }
  return message + "; thaiyyal lint --list-rules shows them";
}

/// Workflow files under a directory, recursively, sorted by path; hidden
/// entries are skipped.
void expand_directory(const fs::path& dir, std::vector<std::string>& out) {
  std::vector<std::string> found;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const auto name = it->path().filename().string();
    if (!name.empty() && name[0] == '.') {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    const auto ext = it->path().extension().string();
    if ((ext == ".json" || ext == ".yaml" || ext == ".yml") && it->is_regular_file(ec)) {
      found.push_back(it->path().generic_string());
    }
  }
  std::sort(found.begin(), found.end());
  out.insert(out.end(), found.begin(), found.end());
}

std::string severity_text(diag::Severity s) { return std::string(diag::severity_name(s)); }

int list_rules(const std::string& format) {
  std::string out;
  if (format == "json") {
    Array list;
    for (const auto& r : lint::all_rules()) {
      Object o;
      o.append_unique("id", Value(std::string(r.id)));
      o.append_unique("severity", Value(severity_text(r.severity)));
      o.append_unique("enabled", Value(r.enabled_by_default));
      o.append_unique("source", Value(r.from_validate ? "validate" : "lint"));
      o.append_unique("summary", Value(std::string(r.summary)));
      list.emplace_back(std::move(o));
    }
    out = to_json(Value(std::move(list))) + "\n";
  } else {
    std::size_t width = 0;
    for (const auto& r : lint::all_rules()) width = std::max(width, r.id.size());
    for (const auto& r : lint::all_rules()) {
      out += fmt::format("{:<{}}  {:<7}  {}{}\n", r.id, width, severity_text(r.severity), r.summary,
                         r.enabled_by_default ? "" : " (off by default)");
    }
    out += fmt::format(
        "\n{} rules. Every check of thaiyyal validate is reported too, under its own code.\n"
        "thaiyyal lint --explain RULE shows why a rule exists, with a bad and a good example.\n",
        lint::all_rules().size());
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return kExitOk;
}

std::string indent(std::string_view text) {
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    out += "    ";
    out += text.substr(start, end - start);
    out += '\n';
    start = end + 1;
  }
  return out;
}

int explain(const std::string& id) {
  const lint::RuleInfo* r = lint::find_rule(id);
  if (!r) {
    std::fprintf(stderr, "thaiyyal lint: %s\n", unknown_rule("--explain", id).c_str());
    return kExitUsage;
  }
  std::string out = fmt::format("{} ({}{}{})\n\n{}\n\n", r->id, severity_text(r->severity),
                                r->enabled_by_default ? "" : ", off by default",
                                r->from_validate ? ", a validate check" : "", r->summary);
  out += r->explanation;
  out += "\n\nTriggers it:\n\n" + indent(r->bad) + "\nDoes not:\n\n" + indent(r->good);
  out += fmt::format(
      "\nTurn it off with --ignore {0}, lint: {{ignore: [{0}]}} at the top of the workflow,\n"
      "or lint_ignore: [{0}] in a node's data.\n",
      r->id);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return kExitOk;
}

/// A file of named HTTP clients (`http_clients:` and no `nodes`), as
/// examples and deployments keep beside workflows.
bool is_clients_file(const lint::FileResult& r, const diag::SourceFile& source) {
  return !r.loaded && r.findings.size() == 1 && r.findings[0].code == "not-a-workflow" &&
         source.text().find("http_clients") != std::string::npos;
}

/// Checks a clients file as `--http-clients` reads it.
lint::FileResult lint_clients(const std::string& path, const std::string& name) {
  lint::FileResult r;
  r.name = name;
  r.loaded = true;
  diag::Diagnostics diags;
  load_http_clients(path, {}, diags);
  r.findings.assign(diags.all().begin(), diags.all().end());
  return r;
}

/// Lints every file on `jobs` threads; results in the order of `files`.
std::vector<lint::FileResult> lint_all(const std::vector<std::string>& files,
                                       const lint::LintOptions& options, unsigned jobs) {
  std::vector<lint::FileResult> results(files.size());
  std::atomic<std::size_t> next{0};
  const auto work = [&] {
    for (std::size_t i = next++; i < files.size(); i = next++) {
      const std::string& path = files[i];
      const std::string name = path == "-" ? "<stdin>" : path;
      try {
        const auto source = read_source(path);
        results[i] = lint::lint_source(source, options);
        if (path != "-" && is_clients_file(results[i], *source)) {
          results[i] = lint_clients(path, name);
        }
      } catch (const IoError& e) {
        std::string message = e.what();
        // The report names the file already.
        const std::string named = name + ": ";
        if (message.rfind(named, 0) == 0) message.erase(0, named.size());
        results[i] = lint::unreadable(name, std::move(message));
      } catch (const std::exception& e) {
        results[i] = lint::unreadable(name, fmt::format("cannot lint: {}", e.what()));
      }
    }
  };
  if (jobs <= 1 || files.size() <= 1) {
    work();
    return results;
  }
  std::vector<std::thread> threads;
  const unsigned n = static_cast<unsigned>(std::min<std::size_t>(jobs, files.size()));
  for (unsigned t = 1; t < n; ++t) threads.emplace_back(work);
  work();
  for (auto& th : threads) th.join();
  return results;
}

bool write_file(const std::string& path, const std::string& text, std::string& error) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (out) out.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (out) out.close();
  if (!out) {
    error = fmt::format("cannot write {}: {}", path, std::strerror(errno));
    return false;
  }
  return true;
}

int run_lint(LintCommandOptions& opts) {
  if (opts.list_rules) return list_rules(opts.format);
  if (!opts.explain.empty()) return explain(opts.explain);
  if (opts.paths.empty()) {
    std::fprintf(stderr,
                 "thaiyyal lint: no files given (a file, a directory, or - for stdin)\n"
                 "Run with --help for more information.\n");
    return kExitUsage;
  }
  const auto format = lint::parse_format(opts.format);
  lint::LintOptions options;
  try {
    opts.settings.resolve(options.limits);
    options.constants = constant_names(parse_sets(opts.sets));
  } catch (const SettingsError& e) {
    std::fprintf(stderr, "thaiyyal lint: %s\n", e.what());
    return kExitUsage;
  }
  for (const auto& id : opts.enable) {
    if (!lint::find_rule(id)) {
      std::fprintf(stderr, "thaiyyal lint: %s\n", unknown_rule("--enable", id).c_str());
      return kExitUsage;
    }
    options.enabled.insert(id);
  }
  // --ignore and --disable also take validate codes (unknown-key, ...); only
  // a near miss of a rule id is refused.
  for (const auto* list : {&opts.ignore, &opts.disable}) {
    for (const auto& id : *list) {
      if (!lint::find_rule(id) && diag::spellcheck(id, rule_ids())) {
        std::fprintf(stderr, "thaiyyal lint: %s\n",
                     unknown_rule(list == &opts.ignore ? "--ignore" : "--disable", id).c_str());
        return kExitUsage;
      }
      options.disabled.insert(id);
    }
  }
  std::optional<lint::Baseline> baseline;
  if (!opts.baseline.empty()) {
    try {
      const auto source = read_source(opts.baseline);
      baseline = lint::Baseline::parse(source->text());
    } catch (const IoError& e) {
      std::fprintf(stderr, "thaiyyal lint: --baseline: %s\n", e.what());
      return kExitUsage;
    } catch (const lint::BaselineError& e) {
      std::fprintf(stderr, "thaiyyal lint: --baseline %s: %s\n", opts.baseline.c_str(), e.what());
      return kExitUsage;
    }
  }

  std::vector<std::string> files;
  for (const auto& p : opts.paths) {
    std::error_code ec;
    if (p != "-" && fs::is_directory(p, ec)) {
      expand_directory(p, files);
    } else {
      files.push_back(p);
    }
  }
  unsigned jobs = opts.jobs;
  if (jobs == 0) jobs = std::max(1u, std::thread::hardware_concurrency());
  auto results = lint_all(files, options, jobs);

  lint::ReportOptions ro;
  ro.color = use_color(opts.color, STDOUT_FILENO);
  ro.tool_version = THAIYYAL_VERSION;
  ro.fail_level = opts.strict && opts.fail_level == "error"
                      ? diag::Severity::Warning
                      : (opts.fail_level == "info"      ? diag::Severity::Info
                         : opts.fail_level == "warning" ? diag::Severity::Warning
                                                        : diag::Severity::Error);
  if (!opts.write_baseline.empty()) {
    std::string error;
    if (!write_file(opts.write_baseline, lint::render(lint::Format::Json, results, ro), error)) {
      std::fprintf(stderr, "thaiyyal lint: --write-baseline: %s\n", error.c_str());
      return kExitIo;
    }
  }
  if (baseline) baseline->apply(results, {});

  const std::string out = lint::render(*format, results, ro);
  std::fwrite(out.data(), 1, out.size(), stdout);

  // 3 when a file could not be loaded, else 1 when a finding reaches the
  // failure level (severities order error < warning < info).
  int exit_code = kExitOk;
  for (const auto& r : results) {
    if (!r.loaded) return kExitInvalid;
    for (const auto& d : r.findings) {
      if (static_cast<int>(d.severity) <= static_cast<int>(ro.fail_level))
        exit_code = kExitFindings;
    }
  }
  return exit_code;
}

}  // namespace

void register_lint(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<LintCommandOptions>();
  auto* cmd = app.add_subcommand(
      "lint", "Check workflow files for mistakes and smells (validate, plus lint rules)");
  cmd->set_version_flag("-V,--version", std::string("thaiyyal ") + THAIYYAL_VERSION);
  cmd->footer(
      "Reports everything thaiyyal validate reports, under the same codes, and the findings\n"
      "of lint rules: unreachable nodes, handles that never fire, inferred types, shadowed\n"
      "constants, hard-coded credentials, plain http:// URLs and more. Each rule has a\n"
      "stable id and a default severity; --list-rules lists them, --explain RULE shows why\n"
      "a rule exists with a bad and a good example. Directories are searched for *.json,\n"
      "*.yaml and *.yml files; results come in file order.\n\n"
      "Suppressing findings:\n"
      "  --ignore RULE                      on the command line (repeatable)\n"
      "  lint: {ignore: [RULE]}             at the top of a workflow\n"
      "  lint_ignore: [RULE]                in a node's data, for that node\n"
      "  --baseline lint.json               only findings not in an earlier report count\n"
      "Errors from validate (the workflow cannot run) are never suppressed.\n\n"
      "Examples:\n"
      "  thaiyyal lint flows/\n"
      "  thaiyyal lint --strict flows/*.yaml                 # CI: warnings fail too\n"
      "  thaiyyal lint flows/ --format sarif > lint.sarif     # GitHub code scanning\n"
      "  thaiyyal lint flows/ --format github                 # annotations in Actions\n"
      "  thaiyyal lint flows/ --write-baseline lint.json      # accept what is there now\n"
      "  thaiyyal lint flows/ --baseline lint.json            # then fail on new findings\n"
      "  thaiyyal lint --explain unreachable-node\n\n"
      "Exit codes: 0 no finding at the failure level; 1 findings at the failure level\n"
      "(errors; warnings too with --strict or --fail-level warning); 3 a file could not\n"
      "be read or loaded (syntax, document shape); 2 usage error.");
  cmd->add_option("paths", opts->paths, "Workflow files or directories; - reads stdin");
  add_choice_option(*cmd, "--format,-o,--output", opts->format,
                    {"text", "json", "sarif", "github", "junit", "checkstyle"}, "Output format");
  cmd->add_flag("--list-rules", opts->list_rules, "List the rules (with --format json: as JSON)");
  cmd->add_option("--explain", opts->explain, "Explain a rule, with a bad and a good example")
      ->type_name("RULE");
  cmd->add_option("--ignore", opts->ignore, "Do not report this rule or validate code (repeatable)")
      ->type_name("RULE")
      ->allow_extra_args(false);
  cmd->add_option("--disable", opts->disable, "Same as --ignore (repeatable)")
      ->type_name("RULE")
      ->allow_extra_args(false);
  cmd->add_option("--enable", opts->enable, "Turn on a rule that is off by default (repeatable)")
      ->type_name("RULE")
      ->allow_extra_args(false);
  cmd->add_flag("--strict", opts->strict, "Warnings fail too (same as --fail-level warning)");
  add_choice_option(*cmd, "--fail-level", opts->fail_level, {"error", "warning", "info"},
                    "The least severe finding that makes the exit code 1");
  cmd->add_option("--baseline", opts->baseline,
                  "Report only findings not in this earlier JSON or SARIF report")
      ->type_name("FILE");
  cmd->add_option("--write-baseline", opts->write_baseline,
                  "Also write the findings as a JSON report, to use with --baseline later")
      ->type_name("FILE");
  cmd->add_option("--set", opts->sets,
                  "A context constant the workflow will be run with (NAME=VALUE, as for "
                  "execute), so templates naming it are known; repeatable")
      ->type_name("NAME=VALUE")
      ->allow_extra_args(false);
  cmd->add_option("-j,--jobs", opts->jobs, "Files linted at once (default: one per CPU)")
      ->type_name("N");
  add_color_flag(*cmd, opts->color);
  opts->settings.bind(*cmd, {Scope::Document, Scope::Run});
  cmd->callback([opts, &exit_code] { exit_code = run_lint(*opts); });
}

}  // namespace thaiyyal::app
