#include <fmt/format.h>
#include <malloc.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <exception>
#include <iostream>
#include <string_view>
#include <vector>

#include "commands/commands.h"
#include "common.h"
#include "exit_codes.h"
#include "thaiyyal/diag/diagnostic.h"
#include "thaiyyal/diag/spellcheck.h"

namespace {

constexpr const char* kDescription =
    "thaiyyal: run and validate workflow files (JSON or YAML).\n\n"
    "A workflow is a graph of typed nodes (inputs, math and text operations,\n"
    "expressions, HTTP calls, branching, array operations, state, retries)\n"
    "connected by edges. Workflows from the Thaiyyal visual editor run unchanged.";

constexpr const char* kVersionLine = "thaiyyal " THAIYYAL_VERSION;

/// The command being run ("thaiyyal execute"), for messages.
std::string command_path(CLI::App& app) {
  auto selected = app.get_subcommands();
  return selected.empty() ? "thaiyyal" : "thaiyyal " + selected.front()->get_name();
}

std::string failure_message(const CLI::App* app, const CLI::Error& e) {
  auto* top = const_cast<CLI::App*>(app);
  while (top->get_parent()) top = top->get_parent();
  const std::string path = command_path(*top);
  return fmt::format("{}: {}\nRun '{}' for the flags.\n", path, e.what(),
                     path == "thaiyyal" ? "thaiyyal --help" : "thaiyyal help " + path.substr(9));
}

std::string unknown_command_message(CLI::App& app, std::string_view word) {
  std::vector<std::string_view> names;
  for (auto* sub : app.get_subcommands({})) names.push_back(sub->get_name());
  std::string message = fmt::format("thaiyyal: unknown command '{}'", word);
  if (auto guess = thaiyyal::diag::spellcheck(word, names)) {
    message += fmt::format(" (did you mean '{}'?)", *guess);
  }
  return message + "\nRun 'thaiyyal --help' for the list of commands.\n";
}

/// Arguments CLI11 could not place: name the command, say which words are
/// unknown options and which are extra operands, and suggest the nearest flag.
std::string extras_message(CLI::App& app) {
  auto selected = app.get_subcommands();
  CLI::App* cmd = selected.empty() ? &app : selected.front();
  const std::string path = command_path(app);
  std::vector<std::string> flags;
  for (const auto* opt : cmd->get_options()) {
    for (const auto& l : opt->get_lnames()) flags.push_back("--" + l);
    for (const auto& sn : opt->get_snames()) flags.push_back("-" + sn);
  }
  const std::vector<std::string_view> views(flags.begin(), flags.end());
  std::string out;
  bool after_unknown_option = false;
  bool operands_only = false;  // after "--", every word is an operand
  for (const auto& word : cmd->remaining()) {
    if (word == "--" && !operands_only) {
      operands_only = true;
      continue;
    }
    if (!operands_only && word.size() > 1 && word[0] == '-') {
      const std::string name = word.substr(0, word.find('='));
      out += fmt::format("{}: unknown option '{}'", path, name);
      if (auto near = thaiyyal::diag::spellcheck(name, views)) {
        out += fmt::format(" (did you mean '{}'?)", *near);
      }
      out += '\n';
      after_unknown_option = name.size() == word.size();
      continue;
    }
    // The word after an unknown option is most likely its value.
    if (!after_unknown_option) out += fmt::format("{}: unexpected argument '{}'\n", path, word);
    after_unknown_option = false;
  }
  if (out.empty()) out = fmt::format("{}: unexpected arguments\n", path);
  out += fmt::format("Run '{}' for the flags.\n",
                     cmd == &app ? "thaiyyal --help" : "thaiyyal help " + cmd->get_name());
  return out;
}

/// A command's words (its name and aliases) and its registration function.
struct Command {
  std::array<std::string_view, 2> words;  ///< "" for no second word
  void (*add)(CLI::App&, int&);
};

/// Every command, in the order of the help. A word missing here (a new
/// alias) still works: it only makes main() register every command.
constexpr std::array<Command, 6> kCommands{{
    {{"execute", "run"}, thaiyyal::app::register_execute},
    {{"validate", ""}, thaiyyal::app::register_validate},
    {{"lint", ""}, thaiyyal::app::register_lint},
    {{"eval", ""}, thaiyyal::app::register_eval},
    {{"serve", ""}, thaiyyal::app::register_serve},
    {{"workflows", "history"}, thaiyyal::app::register_store_commands},
}};

/// The command named by `word`, or nullptr.
const Command* find_command(std::string_view word) {
  if (word.empty()) return nullptr;
  for (const auto& command : kCommands) {
    for (const auto w : command.words) {
      if (w == word) return &command;
    }
  }
  return nullptr;
}

/// A one-shot command keeps the memory it frees for its next allocations:
/// large blocks (a long array, the file's text) come from the heap instead of
/// mappings of their own, and the heap is not trimmed, so memory freed and
/// allocated again is not faulted in again page by page (a page fault costs
/// more than the work on the page in most of a run). The process exits soon
/// and gives everything back. `serve` keeps the defaults, which return memory
/// between requests.
void tune_allocator_for_one_shot() {
  ::mallopt(M_MMAP_THRESHOLD, 64 << 20);
  ::mallopt(M_TRIM_THRESHOLD, 256 << 20);
  ::mallopt(M_TOP_PAD, 1 << 20);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace thaiyyal::app;
  // The version alone needs no command tree (its setup costs more than the
  // rest of the process start).
  if (argc == 2 &&
      (std::string_view(argv[1]) == "--version" || std::string_view(argv[1]) == "-V")) {
    std::fputs(kVersionLine, stdout);
    std::fputc('\n', stdout);
    return kExitOk;
  }
  // The command tree is kept until the process exits: its destructor would
  // only free memory (still reachable, so leak checkers stay quiet).
  static CLI::App* const app_ptr = new CLI::App(kDescription, "thaiyyal");
  CLI::App& app = *app_ptr;
  app.set_version_flag("-V,--version", kVersionLine);
  app.require_subcommand(1);
  app.footer(
      std::string("Run 'thaiyyal help COMMAND' (or 'thaiyyal COMMAND --help') for details.\n\n") +
      kExitCodesHelp);
  int exit_code = kExitOk;

  // `thaiyyal COMMAND ...` needs only that command's flags: registering the
  // others (hundreds of options) would take longer than running a small
  // workflow. Anything else (help, no command, a mistyped one, a flag first)
  // gets the whole tree.
  const Command* only = argc > 1 ? find_command(argv[1]) : nullptr;
  if (only != nullptr && only->words[0] != "serve") tune_allocator_for_one_shot();
  if (only != nullptr) {
    only->add(app, exit_code);
  } else {
    for (const auto& command : kCommands) command.add(app, exit_code);
  }

  // The top-level help is rendered before parsing: once a subcommand is
  // selected, CLI11's help() describes that subcommand instead.
  std::string top_help;
  std::string help_topic;
  if (only == nullptr) {
    auto* help = app.add_subcommand("help", "Show help for a command (thaiyyal help COMMAND)");
    help->add_option("command", help_topic, "The command to describe");
    help->callback([&] {
      if (help_topic.empty()) {
        std::cout << top_help;
        return;
      }
      for (auto* sub : app.get_subcommands({})) {
        if (sub->check_name(help_topic)) {
          std::cout << sub->help("thaiyyal");
          return;
        }
      }
      std::cerr << unknown_command_message(app, help_topic);
      exit_code = kExitUsage;
    });
  }
  app.failure_message(failure_message);
  if (only == nullptr) top_help = app.help();

  // An unknown first word is a mistyped command, not a missing one: say so, and
  // suggest the closest command.
  if (argc <= 1) {
    std::fputs(top_help.c_str(), stderr);
    return kExitUsage;
  }
  if (argv[1][0] != '-') {
    bool known = false;
    for (auto* sub : app.get_subcommands({})) known = known || sub->check_name(argv[1]);
    if (!known) {
      std::fputs(unknown_command_message(app, argv[1]).c_str(), stderr);
      return kExitUsage;
    }
  }

  // The reference server's Go-style flags (-addr :8080, -max-http-calls=5)
  // keep working: for serve, a single dash before a word of two or more
  // letters is read as two.
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && args.front() == "serve") {
    for (std::size_t i = 1; i < args.size(); ++i) {
      const std::string& a = args[i];
      if (a == "--") break;
      if (a.size() > 2 && a[0] == '-' && a[1] != '-' &&
          std::isalpha(static_cast<unsigned char>(a[1])) &&
          std::isalpha(static_cast<unsigned char>(a[2]))) {
        args[i] = "-" + a;
      }
    }
  }
  std::reverse(args.begin(), args.end());

  try {
    app.parse(args);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ExtrasError& e) {
    std::fputs(extras_message(app).c_str(), stderr);
    return kExitUsage;
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  } catch (const IoError& e) {
    std::fprintf(stderr, "%s: %s\n", command_path(app).c_str(), e.what());
    return kExitIo;
  } catch (const thaiyyal::diag::Error& e) {
    std::fprintf(stderr, "thaiyyal: %s\n", e.what());
    return kExitIo;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "thaiyyal: internal error: %s\n", e.what());
    return kExitIo;
  }
  std::fflush(stdout);
  return exit_code;
}
