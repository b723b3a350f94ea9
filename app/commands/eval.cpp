#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "commands/commands.h"
#include "exit_codes.h"
#include "thaiyyal/expr/expr.h"
#include "thaiyyal/model/value_json.h"

namespace thaiyyal::app {
namespace {

struct EvalOptions {
  bool condition = false;
  std::string input = "null";
  std::string variables = "{}";
  std::string context = "{}";
  std::string nodes = "{}";
  std::string expression;
};

/// Node results for `thaiyyal eval`: the members of the --nodes object.
class ObjectNodeResults final : public expr::NodeResults {
 public:
  explicit ObjectNodeResults(Value all) : all_(std::move(all)) {}
  const Value* find(std::string_view id) const override { return all_.find(id); }
  Value all() const override { return all_; }

 private:
  Value all_;
};

/// Parses one JSON option; nullopt (after a message on stderr) when it is not
/// JSON or, for `want_object`, not an object.
std::optional<Value> parse_option(std::string_view flag, const std::string& text,
                                  bool want_object) {
  Value v;
  try {
    v = parse_json(text);
  } catch (const JsonParseError& e) {
    std::fprintf(stderr, "thaiyyal eval: %s: invalid JSON at byte %zu: %s\n",
                 std::string(flag).c_str(), e.offset(), e.what());
    return std::nullopt;
  }
  if (want_object && !v.is_object()) {
    std::fprintf(stderr, "thaiyyal eval: %s: expected a JSON object, got %s\n",
                 std::string(flag).c_str(), std::string(kind_name(v.kind())).c_str());
    return std::nullopt;
  }
  return v;
}

int run_eval(const EvalOptions& opts) {
  auto input = parse_option("--input", opts.input, false);
  auto variables = input ? parse_option("--variables", opts.variables, true) : std::nullopt;
  auto context = variables ? parse_option("--context", opts.context, true) : std::nullopt;
  auto nodes = context ? parse_option("--nodes", opts.nodes, true) : std::nullopt;
  if (!nodes) return kExitUsage;

  const ObjectNodeResults node_results(*nodes);
  expr::Env env;
  env.input = &*input;
  env.variables = &variables->as_object();
  env.context = &context->as_object();
  env.nodes = &node_results;
  std::string out;
  try {
    const auto mode = opts.condition ? expr::Mode::Condition : expr::Mode::Value;
    const auto program = expr::compile(opts.expression, mode);
    out = to_json(expr::evaluate(*program, env), JsonWriteOptions::canonical());
  } catch (const expr::ExprError& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return kExitRunFailed;
  }
  out += '\n';
  std::fwrite(out.data(), 1, out.size(), stdout);
  return kExitOk;
}

}  // namespace

void register_eval(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<EvalOptions>();
  auto* cmd = app.add_subcommand("eval", "Evaluate one expression against JSON data");
  cmd->footer(
      "Parses EXPR in the expression language (the one used by condition, expression,\n"
      "filter, map and the other expression fields) and prints its value as compact JSON\n"
      "with sorted members. --input is bound to `input` and `item`; --variables,\n"
      "--context and --nodes (JSON objects) to `variables`, `context` and `node`.\n"
      "Put -- before an EXPR that starts with '-'.\n\n"
      "Examples:\n"
      "  thaiyyal eval --input '{\"price\": 10, \"qty\": 3}' -- 'input.price * input.qty'\n"
      "  thaiyyal eval --condition --input '{\"value\": 150}' -- '>100 && <200'\n\n"
      "Exit codes: 0 success, 1 the expression failed to parse or evaluate\n"
      "            (the message is on stderr), 2 usage error.");
  cmd->add_flag("-c,--condition", opts->condition,
                "Condition mode: allow the >10 shorthand and print true or false");
  cmd->add_option("--input", opts->input, "The input (any JSON value; default null)")
      ->type_name("JSON");
  cmd->add_option("--variables", opts->variables, "Workflow variables (a JSON object)")
      ->type_name("JSON");
  cmd->add_option("--context", opts->context, "Context values (a JSON object)")->type_name("JSON");
  cmd->add_option("--nodes", opts->nodes, "Node results by node id (a JSON object)")
      ->type_name("JSON");
  cmd->add_option("EXPR", opts->expression, "The expression")->required()->type_name("");
  cmd->callback([opts, &exit_code] { exit_code = run_eval(*opts); });
}

}  // namespace thaiyyal::app
