#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "commands/commands.h"
#include "common.h"
#include "exit_codes.h"
#include "thaiyyal/expr/expr.h"
#include "thaiyyal/model/value_json.h"

namespace thaiyyal::app {
namespace {

struct EvalOptions {
  bool condition = false;
  bool raw = false;
  bool quiet = false;
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

/// The text of `--input`: the option itself, or standard input for "-".
std::optional<std::string> input_text(const std::string& option) {
  if (option != "-") return option;
  try {
    return read_source("-")->text();
  } catch (const IoError& e) {
    std::fprintf(stderr, "thaiyyal eval: --input: %s\n", e.what());
    return std::nullopt;
  }
}

/// `error: <message>`, then the expression with a caret under the column.
void print_expr_error(const std::string& expression, const expr::ExprError& e) {
  std::string out = fmt::format("thaiyyal eval: {}\n", e.what());
  if (expression.find('\n') == std::string::npos && e.column() >= 1) {
    // Columns count code points: indent by as many characters, not bytes.
    std::size_t cps = 0;
    for (unsigned char c : expression) cps += (c & 0xC0) != 0x80;
    const auto col = std::min<std::size_t>(static_cast<std::size_t>(e.column()), cps + 1);
    out += fmt::format("  {}\n  {}{}\n", expression, std::string(col - 1, ' '),
                       std::string(static_cast<std::size_t>(std::max(1, e.length())), '^'));
  }
  std::fputs(out.c_str(), stderr);
}

int run_eval(const EvalOptions& opts) {
  const auto input_json = input_text(opts.input);
  if (!input_json) return kExitIo;
  auto input = parse_option("--input", *input_json, false);
  auto variables = input ? parse_option("--variables", opts.variables, true) : std::nullopt;
  auto context = variables ? parse_option("--context", opts.context, true) : std::nullopt;
  auto nodes = context ? parse_option("--nodes", opts.nodes, true) : std::nullopt;
  if (!nodes) return kExitUsage;

  std::shared_ptr<const expr::Program> program;
  try {
    program =
        expr::compile(opts.expression, opts.condition ? expr::Mode::Condition : expr::Mode::Value);
  } catch (const expr::ExprError& e) {
    print_expr_error(opts.expression, e);
    return kExitInvalid;
  }
  const ObjectNodeResults node_results(*nodes);
  expr::Env env;
  env.input = &*input;
  env.variables = &variables->as_object();
  env.context = &context->as_object();
  env.nodes = &node_results;
  Value result;
  try {
    result = expr::evaluate(*program, env);
  } catch (const expr::ExprError& e) {
    print_expr_error(opts.expression, e);
    return kExitRunFailed;
  }
  if (opts.quiet) return kExitOk;
  std::string out = opts.raw && result.is_string() ? result.as_string()
                                                   : to_json(result, JsonWriteOptions::canonical());
  out += '\n';
  std::fwrite(out.data(), 1, out.size(), stdout);
  return kExitOk;
}

}  // namespace

void register_eval(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<EvalOptions>();
  auto* cmd = app.add_subcommand("eval", "Evaluate one expression against JSON data");
  cmd->set_version_flag("-V,--version", std::string("thaiyyal ") + THAIYYAL_VERSION);
  cmd->footer(
      "Parses EXPR in the expression language (the one used by condition, expression,\n"
      "filter, map and the other expression fields) and prints its value as compact JSON\n"
      "with sorted members. --input is bound to `input` and `item`; --variables,\n"
      "--context and --nodes (JSON objects) to `variables`, `context` and `node`.\n"
      "Put -- before an EXPR that starts with '-'.\n\n"
      "Examples:\n"
      "  thaiyyal eval --input '{\"price\": 10, \"qty\": 3}' -- 'input.price * input.qty'\n"
      "  thaiyyal eval --condition --input '{\"value\": 150}' -- '>100 && <200'\n"
      "  curl -s https://example.org/api | thaiyyal eval --input - -r 'input.name'\n\n"
      "Exit codes: 0 success; 1 the expression failed to evaluate; 3 it does not parse\n"
      "(syntax error, unknown function); 4 stdin could not be read; 2 usage error.\n"
      "The message, with a caret under the column, is on stderr.");
  cmd->add_flag("-c,--condition", opts->condition,
                "Condition mode: allow the >10 shorthand and print true or false");
  cmd->add_flag("-r,--raw", opts->raw, "Print a string result as plain text, without quotes");
  cmd->add_flag("-q,--quiet", opts->quiet, "Print nothing; the exit status tells success");
  cmd->add_option("--input", opts->input,
                  "The input (any JSON value; default null); - reads it from stdin")
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
