#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
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

}  // namespace

int main(int argc, char** argv) {
  using namespace thaiyyal::app;
  CLI::App app(kDescription, "thaiyyal");
  app.set_version_flag("-V,--version", std::string("thaiyyal ") + THAIYYAL_VERSION);
  app.require_subcommand(1);
  app.footer(
      std::string("Run 'thaiyyal help COMMAND' (or 'thaiyyal COMMAND --help') for details.\n\n") +
      kExitCodesHelp);
  int exit_code = kExitOk;
  register_execute(app, exit_code);
  register_validate(app, exit_code);
  register_eval(app, exit_code);

  auto* help = app.add_subcommand("help", "Show help for a command");
  std::string help_topic;
  help->add_option("command", help_topic, "The command to describe");
  help->callback([&] {
    if (help_topic.empty()) {
      std::cout << app.help();
      return;
    }
    for (auto* sub : app.get_subcommands({})) {
      if (sub->get_name() == help_topic) {
        std::cout << sub->help("thaiyyal");
        return;
      }
    }
    std::cerr << fmt::format("thaiyyal: unknown command '{}'\n", help_topic);
    exit_code = kExitUsage;
  });

  // An unknown first word is a mistyped command, not a missing one: say so, and
  // suggest the closest command.
  if (argc <= 1) {
    std::fputs(app.help().c_str(), stderr);
    return kExitUsage;
  }
  if (argv[1][0] != '-') {
    std::vector<std::string_view> names;
    const std::string_view word = argv[1];
    bool known = false;
    for (auto* sub : app.get_subcommands({})) {
      names.push_back(sub->get_name());
      known = known || sub->check_name(std::string(word));
    }
    if (!known) {
      std::string message = fmt::format("thaiyyal: unknown command '{}'", word);
      if (auto guess = thaiyyal::diag::spellcheck(word, names)) {
        message += fmt::format(" (did you mean '{}'?)", *guess);
      }
      std::fprintf(stderr, "%s\nRun 'thaiyyal --help' for the list of commands.\n",
                   message.c_str());
      return kExitUsage;
    }
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  } catch (const IoError& e) {
    std::fprintf(stderr, "thaiyyal: %s\n", e.what());
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
