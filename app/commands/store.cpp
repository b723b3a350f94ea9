// `thaiyyal workflows` and `thaiyyal history`: an operator's read-only view
// of the store a `serve` keeps (saved workflows, their versions, the
// execution history), through the same --data-dir / --database settings.
#include <fmt/format.h>

#include <cstdio>
#include <memory>

#include "commands/commands.h"
#include "exit_codes.h"
#include "settings.h"
#include "storage.h"
#include "thaiyyal/model/value.h"
#include "thaiyyal/model/value_json.h"
#include "thaiyyal/store/values.h"

namespace thaiyyal::app {
namespace {

struct StoreCommandOptions {
  Settings settings;
  std::string format = "text";
  std::string id;
  std::int64_t version = 0;
  std::string workflow;
  std::string status;
  std::size_t limit = 20;
};

/// Runs `body` with the store of the options; storage and settings problems
/// end the command with one line and exit 2 (usage) or 4 (unavailable).
int with_store(const char* name, const StoreCommandOptions& opts,
               const std::function<int(store::Store&)>& body) {
  try {
    Limits limits;
    ServiceSettings service;
    opts.settings.resolve(limits, nullptr, &service);
    auto st = open_store(service);
    return body(*st);
  } catch (const SettingsError& e) {
    std::fprintf(stderr, "thaiyyal %s: %s\n", name, e.what());
    return kExitUsage;
  } catch (const store::Unavailable& e) {
    std::fprintf(stderr, "thaiyyal %s: %s\n", name, e.what());
    return kExitIo;
  }
}

void print_json(const Value& v) {
  JsonWriteOptions pretty;
  pretty.indent = 2;
  std::fputs(to_json(v, pretty).c_str(), stdout);
  std::fputc('\n', stdout);
}

int workflows_list(store::Store& st, const StoreCommandOptions& opts) {
  const auto list = st.list_workflows();
  if (opts.format == "json") {
    Array a;
    for (const auto& m : list) a.push_back(store::to_value(m));
    print_json(Value(std::move(a)));
    return kExitOk;
  }
  std::fputs(fmt::format("{:<36}  {:>7}  {:<24}  {}\n", "ID", "VERSION", "UPDATED", "NAME").c_str(),
             stdout);
  for (const auto& m : list) {
    std::fputs(
        fmt::format("{:<36}  {:>7}  {:<24}  {}\n", m.id, m.version, m.updated_at, m.name).c_str(),
        stdout);
  }
  return kExitOk;
}

int workflows_show(store::Store& st, const StoreCommandOptions& opts) {
  auto wf = st.get_workflow(opts.id);
  if (!wf) {
    std::fprintf(stderr, "thaiyyal workflows show: workflow with ID %s not found\n",
                 opts.id.c_str());
    return kExitRunFailed;
  }
  const auto versions = st.list_versions(opts.id).value_or(std::vector<store::VersionMeta>{});
  if (opts.format == "json") {
    Object o = store::to_value(wf->meta).as_object();
    Array vs;
    for (const auto& v : versions) {
      Object e;
      e.append_unique("version", Value(v.version));
      e.append_unique("name", Value(v.name));
      e.append_unique("created_at", Value(v.created_at));
      vs.emplace_back(std::move(e));
    }
    o.append_unique("versions", Value(std::move(vs)));
    print_json(Value(std::move(o)));
    return kExitOk;
  }
  const auto& m = wf->meta;
  std::fputs(fmt::format("id:          {}\nname:        {}\n", m.id, m.name).c_str(), stdout);
  if (!m.description.empty()) {
    std::fputs(fmt::format("description: {}\n", m.description).c_str(), stdout);
  }
  std::fputs(
      fmt::format("created:     {}\nupdated:     {}\nversions:\n", m.created_at, m.updated_at)
          .c_str(),
      stdout);
  for (const auto& v : versions) {
    std::fputs(fmt::format("  {:>4}  {}  {}\n", v.version, v.created_at, v.name).c_str(), stdout);
  }
  return kExitOk;
}

int workflows_export(store::Store& st, const StoreCommandOptions& opts) {
  std::string data;
  if (opts.version > 0) {
    auto v = st.get_version(opts.id, opts.version);
    if (!v) {
      std::fprintf(stderr, "thaiyyal workflows export: workflow %s has no version %lld\n",
                   opts.id.c_str(), static_cast<long long>(opts.version));
      return kExitRunFailed;
    }
    data = v->data;
  } else {
    auto wf = st.get_workflow(opts.id);
    if (!wf) {
      std::fprintf(stderr, "thaiyyal workflows export: workflow with ID %s not found\n",
                   opts.id.c_str());
      return kExitRunFailed;
    }
    data = wf->data;
  }
  print_json(parse_json(data));
  return kExitOk;
}

int history_list(store::Store& st, const StoreCommandOptions& opts) {
  store::ExecutionFilter filter;
  filter.workflow_id = opts.workflow;
  filter.status = opts.status;
  filter.limit = opts.limit;
  const auto page = st.list_executions(filter);
  if (opts.format == "json") {
    Array a;
    for (const auto& r : page.rows) a.push_back(store::to_value(r, false));
    print_json(Value(std::move(a)));
    return kExitOk;
  }
  std::fputs(fmt::format("{:<16}  {:<14}  {:<7}  {:<24}  {:>10}  {}\n", "ID", "STATUS", "TRIGGER",
                         "STARTED", "DURATION", "WORKFLOW")
                 .c_str(),
             stdout);
  for (const auto& r : page.rows) {
    const std::string wf =
        r.workflow_id.empty() ? "-" : fmt::format("{}@{}", r.workflow_id, r.workflow_version);
    std::fputs(fmt::format("{:<16}  {:<14}  {:<7}  {:<24}  {:>8.1f}ms  {}\n", r.id, r.status,
                           r.trigger, r.started_at, static_cast<double>(r.duration_us) / 1000.0, wf)
                   .c_str(),
               stdout);
  }
  return kExitOk;
}

void add_format(CLI::App& cmd, StoreCommandOptions& opts) {
  cmd.add_option("--format", opts.format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->default_str("text");
}

}  // namespace

void register_store_commands(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<StoreCommandOptions>();
  auto* wf = app.add_subcommand(
      "workflows",
      "Read the saved workflows of a serve store (read-only)\n\n"
      "The store is the one serve uses: SQLite in --data-dir, or PostgreSQL with --database.\n"
      "Examples:\n"
      "  thaiyyal workflows list --data-dir /var/lib/thaiyyal\n"
      "  thaiyyal workflows show 3f2c...\n"
      "  thaiyyal workflows export 3f2c... --version 2 > flow.json\n\n"
      "Exit codes: 0 done; 1 no such workflow or version; 2 a bad setting; 4 the store "
      "cannot be read.");
  wf->require_subcommand(1);
  opts->settings.bind(*wf, {Scope::Store});
  // The store flags belong to `workflows` and may follow the subcommand.
  wf->fallthrough();
  auto* list = wf->add_subcommand("list", "List saved workflows (oldest first)");
  list->fallthrough();
  add_format(*list, *opts);
  list->callback([opts, &exit_code] {
    exit_code = with_store("workflows list", *opts,
                           [&](store::Store& st) { return workflows_list(st, *opts); });
  });
  auto* show = wf->add_subcommand("show", "Show a saved workflow and its versions");
  show->fallthrough();
  show->add_option("ID", opts->id, "The workflow's id")->required();
  add_format(*show, *opts);
  show->callback([opts, &exit_code] {
    exit_code = with_store("workflows show", *opts,
                           [&](store::Store& st) { return workflows_show(st, *opts); });
  });
  auto* exp = wf->add_subcommand("export", "Print a saved workflow's document (JSON)");
  exp->fallthrough();
  exp->add_option("ID", opts->id, "The workflow's id")->required();
  exp->add_option("--version", opts->version, "A version other than the latest")
      ->check(CLI::PositiveNumber);
  exp->callback([opts, &exit_code] {
    exit_code = with_store("workflows export", *opts,
                           [&](store::Store& st) { return workflows_export(st, *opts); });
  });

  auto hopts = std::make_shared<StoreCommandOptions>();
  auto* hist =
      app.add_subcommand("history",
                         "List recent runs recorded by serve (newest first, read-only)\n\n"
                         "Examples:\n"
                         "  thaiyyal history --data-dir /var/lib/thaiyyal --limit 5\n"
                         "  thaiyyal history --workflow 3f2c... --status failed --format json\n\n"
                         "Exit codes: 0 done; 2 a bad setting; 4 the store cannot be read.");
  hopts->settings.bind(*hist, {Scope::Store});
  hist->add_option("--workflow", hopts->workflow, "Only runs of this saved workflow");
  hist->add_option("--status", hopts->status, "Only runs that ended so")
      ->check(CLI::IsMember({"succeeded", "failed", "limit_exceeded", "timed_out", "cancelled"}));
  hist->add_option("--limit", hopts->limit, "Runs to list (1-1000)")
      ->check(CLI::Range(1, 1000))
      ->default_str("20");
  add_format(*hist, *hopts);
  hist->callback([hopts, &exit_code] {
    exit_code =
        with_store("history", *hopts, [&](store::Store& st) { return history_list(st, *hopts); });
  });
}

}  // namespace thaiyyal::app
