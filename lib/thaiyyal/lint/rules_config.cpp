// Rules about what nodes are configured with: HTTP URLs and credentials, the
// values the visual editor writes, text that looks like a template but is
// never filled in, reduce's starting value and while_loop's conditions.
#include <fmt/format.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "thaiyyal/expr/ast.h"
#include "thaiyyal/expr/ops.h"
#include "thaiyyal/expr/program.h"
#include "thaiyyal/expr/text.h"
#include "thaiyyal/http/network_policy.h"
#include "thaiyyal/lint/rules.h"
#include "thaiyyal/model/value_json.h"
#include "thaiyyal/model/walk.h"
#include "thaiyyal/nodes/text_template.h"

namespace thaiyyal::lint::detail {
namespace {

using diag::Severity;
namespace ast = expr::detail;

// ---- shared helpers --------------------------------------------------------------

/// The document path of `below`, a path below the node's data.
std::vector<PathStep> data_path(const NodeSpec& node, const std::vector<PathStep>& below) {
  auto p = node_path(node.index);
  p.push_back(PathStep{"data", std::nullopt});
  p.insert(p.end(), below.begin(), below.end());
  return p;
}

/// The path of data key `key`.
std::vector<PathStep> key_path(std::string_view key) {
  return {PathStep{std::string(key), std::nullopt}};
}

/// How messages name a string of the data: `headers.Authorization`,
/// `body.items[0].token`.
std::string label_of(const std::vector<PathStep>& path) {
  std::string s;
  for (const auto& step : path) {
    if (step.index) {
      s += fmt::format("[{}]", *step.index);
    } else {
      if (!s.empty()) s += '.';
      s += step.key;
    }
  }
  return s;
}

/// At most ~48 bytes of `s`, cut at a character boundary.
std::string shorten(std::string_view s) {
  constexpr std::size_t kMax = 48;
  if (s.size() <= kMax) return std::string(s);
  std::size_t cut = kMax;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return std::string(s.substr(0, cut)) + "...";
}

/// ASCII lower case.
char lower_char(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

/// `s` in ASCII lower case.
std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = lower_char(c);
  return out;
}

/// Whether `s` starts with `prefix` (lower case), ignoring ASCII case.
bool starts_with_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (lower_char(s[i]) != prefix[i]) return false;
  }
  return true;
}

/// Whether `s` ends with `suffix`.
bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

/// `s` without leading and trailing blanks.
std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

/// The compiled expression a node keeps at data key `key`, if it compiled.
const expr::Program* program_at(const LintInput& in, std::size_t node, std::string_view key) {
  for (const auto& site : in.facts(node).expressions) {
    if (site.program && site.path.size() == 1 && !site.path[0].index && site.path[0].key == key) {
      return site.program.get();
    }
  }
  return nullptr;
}

/// Calls `f` on every node of an expression's tree, with an explicit stack
/// (trees may be deep).
template <typename F>
void walk(const ast::Node& root, F&& f) {
  std::vector<const ast::Node*> stack{&root};
  auto push = [&](const ast::NodePtr& child) {
    if (child) stack.push_back(child.get());
  };
  while (!stack.empty()) {
    const ast::Node* n = stack.back();
    stack.pop_back();
    f(*n);
    switch (n->kind) {
      case ast::NodeKind::Literal:
      case ast::NodeKind::Root:
      case ast::NodeKind::Name:
        break;
      case ast::NodeKind::Chain: {
        const auto& c = static_cast<const ast::ChainNode&>(*n);
        push(c.base);
        for (const auto& link : c.links) {
          push(link.key);
          for (const auto& arg : link.args) push(arg);
        }
        break;
      }
      case ast::NodeKind::Unary:
        push(static_cast<const ast::UnaryNode&>(*n).operand);
        break;
      case ast::NodeKind::Binary: {
        const auto& b = static_cast<const ast::BinaryNode&>(*n);
        push(b.first);
        for (const auto& step : b.rest) push(step.rhs);
        break;
      }
      case ast::NodeKind::Logical:
        for (const auto& o : static_cast<const ast::LogicalNode&>(*n).operands) push(o);
        break;
      case ast::NodeKind::Conditional: {
        const auto& c = static_cast<const ast::ConditionalNode&>(*n);
        push(c.condition);
        push(c.then_branch);
        push(c.else_branch);
        break;
      }
      case ast::NodeKind::Array:
        for (const auto& e : static_cast<const ast::ArrayNode&>(*n).elements) push(e);
        break;
      case ast::NodeKind::Object:
        for (const auto& entry : static_cast<const ast::ObjectNode&>(*n).entries) {
          push(entry.second);
        }
        break;
      case ast::NodeKind::Call:
        for (const auto& a : static_cast<const ast::CallNode&>(*n).args) push(a);
        break;
      case ast::NodeKind::Shorthand:
        push(static_cast<const ast::ShorthandNode&>(*n).rhs);
        break;
    }
  }
}

/// Byte offset in `text` of code-point column `column` (1-based).
std::size_t offset_of_column(std::string_view text, int column) {
  return ast::byte_offset_of(text, column > 1 ? static_cast<std::size_t>(column - 1) : 0);
}

// ---- insecure-http-url -----------------------------------------------------------

/// A host a plain http:// request may go to safely, as it never leaves the
/// machine: localhost names, 127.0.0.0/8 and ::1 (in the canonical spellings
/// the network policy accepts).
bool is_loopback_host(const std::string& host) {
  if (host == "localhost" || ends_with(host, ".localhost")) return true;
  std::string_view ip = host;
  if (ip.size() >= 2 && ip.front() == '[' && ip.back() == ']') ip = ip.substr(1, ip.size() - 2);
  const auto addr = http::parse_ip(ip);
  if (!addr) return false;
  const auto& b = addr->bytes;
  const bool zero_prefix = std::all_of(b.begin(), b.begin() + 10, [](auto x) { return x == 0; });
  if (addr->v4 || (zero_prefix && b[10] == 0xff && b[11] == 0xff)) return b[12] == 127;
  return zero_prefix && b[10] == 0 && b[11] == 0 && b[12] == 0 && b[13] == 0 && b[14] == 0 &&
         b[15] == 1;
}

/// The host of a URL that starts with a scheme and `://` (`[...]` kept for
/// IPv6), after any user-info; empty when there is none.
std::string_view url_host(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return {};
  std::string_view authority = url.substr(scheme_end + 3);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    authority = authority.substr(at + 1);
  }
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    return close == std::string_view::npos ? authority : authority.substr(0, close + 1);
  }
  return authority.substr(0, authority.find(':'));
}

/// insecure-http-url: an http node's url that is plain http:// to a host
/// that is not loopback.
void insecure_http_url(const LintInput& in, Reporter& out) {
  constexpr std::string_view kScheme = "http://";
  for (const auto& node : in.wf.nodes) {
    if (in.kind(node.index) != "http") continue;
    const Value* url = node.data.find("url");
    if (!url || !url->is_string()) continue;
    const std::string& text = url->as_string();
    // A template is judged by its literal start: `{{ const.base }}/x` may be
    // anything, `http://{{ const.host }}/x` is plain http whatever the host.
    if (!starts_with_ci(text, kScheme)) continue;
    const std::string_view host = url_host(text);
    if (host.find("{{") == std::string_view::npos && is_loopback_host(lower(host))) continue;
    auto& d = out.report(
        fmt::format("http node {}: url uses plain http://, so the request and the response "
                    "travel unencrypted",
                    node.id),
        in.wf.location_in_string(data_path(node, key_path("url")), 0, kScheme.size(), &node));
    d.notes.push_back(
        "use https:// (plain http:// URLs are refused unless the run allows them with "
        "--allow-http)");
  }
}

// ---- hardcoded-credential --------------------------------------------------------

/// A name lower-cased, without `-`, `_`, `.` and blanks: `X-API-Key` -> `xapikey`.
std::string squeezed(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (char c : name) {
    if (c == '-' || c == '_' || c == '.' || c == ' ') continue;
    out += lower_char(c);
  }
  return out;
}

/// A squeezed name that holds a credential: it names one (`apikey`,
/// `client_secret`, `X-Auth-Token`) and not something about one
/// (`token_type`, `page_token`, `secret_name`, `max_tokens`).
bool credential_word(const std::string& n) {
  static constexpr std::string_view kWords[] = {"token",      "secret",     "apikey",
                                                "password",   "passwd",     "accesskey",
                                                "privatekey", "credential", "signature"};
  static constexpr std::string_view kAbout[] = {
      "type",  "url",    "uri",     "name",      "id",        "count",    "length",
      "limit", "expiry", "expires", "expiresin", "expiresat", "endpoint", "hint",
      "field", "policy", "path",    "header",    "prefix",    "format",   "kind"};
  static constexpr std::string_view kNotSecret[] = {"pagetoken", "nexttoken", "continuationtoken",
                                                    "synctoken", "cursor"};
  bool named = false;
  for (auto w : kWords) named = named || n.find(w) != std::string::npos;
  if (!named) return false;
  for (auto a : kAbout) {
    if (ends_with(n, a)) return false;
  }
  for (auto w : kNotSecret) {
    if (n.find(w) != std::string::npos) return false;
  }
  return !(n.rfind("max", 0) == 0 || n.rfind("min", 0) == 0 || n.rfind("num", 0) == 0);
}

/// A header that carries a credential.
bool credential_header(std::string_view name) {
  const std::string n = squeezed(name);
  return n == "authorization" || n == "proxyauthorization" || credential_word(n);
}

/// Query parameters and form fields also use short names (`?key=`, `pwd=`).
bool credential_param(std::string_view name) {
  const std::string n = squeezed(name);
  return n == "key" || n == "auth" || n == "pwd" || n == "pass" || n == "sig" || credential_word(n);
}

/// A body member (or form field) that carries a credential.
bool credential_member(std::string_view name) {
  const std::string n = squeezed(name);
  return n == "pwd" || n == "pass" || credential_word(n);
}

/// A value written out in the document, not a placeholder for one: not
/// empty, no template or `${env:...}` reference, not an auth scheme alone
/// (`Bearer `), not a `<placeholder>`, not a boolean.
bool literal_credential(std::string_view value) {
  std::string_view v = trim(value);
  if (v.empty() || v.find("{{") != std::string_view::npos ||
      v.find("${") != std::string_view::npos) {
    return false;
  }
  if (const auto space = v.find_first_of(" \t"); space != std::string_view::npos) {
    v = trim(v.substr(space));  // `Bearer abc`: the part after the scheme
  }
  if (v.size() >= 2 && v.front() == '<' && v.back() == '>') return false;
  const std::string l = lower(v);
  for (std::string_view word :
       {"true", "false", "null", "bearer", "basic", "token", "digest", "negotiate"}) {
    if (l == word) return false;
  }
  return true;
}

/// One `name=value` of a query string or a form body, as byte offsets.
struct Param {
  std::string_view name;
  std::string_view value;
  std::size_t value_offset = 0;
};

/// The `&`-separated parameters of `text[begin, end)`.
std::vector<Param> params_of(std::string_view text, std::size_t begin, std::size_t end) {
  std::vector<Param> out;
  std::size_t pos = begin;
  while (pos < end) {
    std::size_t amp = text.find('&', pos);
    if (amp == std::string_view::npos || amp > end) amp = end;
    const std::string_view pair = text.substr(pos, amp - pos);
    if (const auto eq = pair.find('='); eq != std::string_view::npos) {
      out.push_back(Param{pair.substr(0, eq), pair.substr(eq + 1), pos + eq + 1});
    }
    pos = amp + 1;
  }
  return out;
}

constexpr std::string_view kCredentialNote =
    "keep secrets out of the document: select a named HTTP client that adds the credential "
    "(http_client_uid, the clients given with --http-clients FILE, the secret written "
    "${env:NAME}), or write {{ const.NAME }} and run with --set NAME=...";

/// The credentials one http node writes out: in its url (user-info, query),
/// headers, query and body.
class CredentialScan {
 public:
  CredentialScan(const LintInput& in, Reporter& out, const NodeSpec& node)
      : in_(in), out_(out), node_(node) {}

  void run() {
    if (const Value* url = node_.data.find("url"); url && url->is_string()) {
      scan_url(url->as_string());
    }
    if (const Object* headers =
            node_.data.find("headers") ? node_.data.find("headers")->if_object() : nullptr) {
      for (const auto& [name, value] : *headers) {
        if (value.is_string() && credential_header(name) && literal_credential(value.as_string())) {
          report(fmt::format("header {} holds a literal credential", name),
                 in_.wf.location(data_path(node_, {PathStep{"headers", std::nullopt},
                                                   PathStep{name, std::nullopt}}),
                                 &node_));
        }
      }
    }
    if (const Object* query =
            node_.data.find("query") ? node_.data.find("query")->if_object() : nullptr) {
      for (const auto& [name, value] : *query) {
        if (value.is_string() && credential_param(name) && literal_credential(value.as_string())) {
          report(fmt::format("query parameter {} holds a literal credential", name),
                 in_.wf.location(data_path(node_, {PathStep{"query", std::nullopt},
                                                   PathStep{name, std::nullopt}}),
                                 &node_));
        }
      }
    }
    if (const Value* body = node_.data.find("body")) scan_body(*body);
  }

 private:
  void report(const std::string& what, diag::Location where) {
    auto& d = out_.report(fmt::format("http node {}: {}", node_.id, what), std::move(where));
    d.notes.emplace_back(kCredentialNote);
  }

  void scan_url(const std::string& url) {
    const auto path = data_path(node_, key_path("url"));
    const std::string_view u = url;
    const auto scheme_end = u.find("://");
    if (scheme_end != std::string_view::npos &&
        u.substr(0, scheme_end).find_first_of("/?#") == std::string_view::npos) {
      const std::size_t start = scheme_end + 3;
      std::size_t end = u.find_first_of("/?#", start);
      if (end == std::string_view::npos) end = u.size();
      const auto at = u.substr(start, end - start).rfind('@');
      if (at != std::string_view::npos) {
        const std::string_view userinfo = u.substr(start, at);
        const auto colon = userinfo.find(':');
        if (colon != std::string_view::npos) {
          const std::string_view password = userinfo.substr(colon + 1);
          if (literal_credential(password)) {
            report("url has a password in its user-info (user:password@host)",
                   in_.wf.location_in_string(path, start + colon + 1, password.size(), &node_));
          }
        }
      }
    }
    const auto q = u.find('?');
    if (q == std::string_view::npos) return;
    std::size_t end = u.find('#', q);
    if (end == std::string_view::npos) end = u.size();
    for (const auto& p : params_of(u, q + 1, end)) {
      if (p.name.find("{{") != std::string_view::npos || !credential_param(p.name) ||
          !literal_credential(p.value)) {
        continue;
      }
      report(fmt::format("url query parameter {} holds a literal credential", p.name),
             in_.wf.location_in_string(path, p.value_offset, p.value.size(), &node_));
    }
  }

  void scan_body(const Value& body) {
    const std::vector<PathStep> body_path{PathStep{"body", std::nullopt}};
    if (const std::string* text = body.if_string()) {
      const std::string_view t = trim(*text);
      if (!t.empty() && (t.front() == '{' || t.front() == '[')) {
        // JSON text: its members have no position of their own.
        try {
          const Value parsed = parse_json(*text);
          scan_members(parsed, body_path, &body_path);
        } catch (const std::exception&) {
          // not JSON: nothing to say
        }
        return;
      }
      // A form body: `grant_type=password&password=...`.
      for (const auto& p : params_of(*text, 0, text->size())) {
        if (!credential_member(p.name) || !literal_credential(p.value)) continue;
        report(fmt::format("body form field {} holds a literal credential", p.name),
               in_.wf.location_in_string(data_path(node_, body_path), p.value_offset,
                                         p.value.size(), &node_));
      }
      return;
    }
    scan_members(body, body_path, nullptr);
  }

  /// Members named like credentials with literal string values, at any depth
  /// (an explicit stack: the body may be deep). `fixed`, when set, is where
  /// every finding is located (a JSON text body).
  void scan_members(const Value& root, const std::vector<PathStep>& root_path,
                    const std::vector<PathStep>* fixed) {
    std::vector<std::pair<const Value*, std::vector<PathStep>>> stack{{&root, root_path}};
    while (!stack.empty()) {
      auto [value, path] = std::move(stack.back());
      stack.pop_back();
      if (const Array* a = value->if_array()) {
        for (std::size_t k = a->size(); k-- > 0;) {
          auto p = path;
          p.push_back(PathStep{"", k});
          stack.emplace_back(&(*a)[k], std::move(p));
        }
      } else if (const Object* o = value->if_object()) {
        const auto& entries = o->entries();
        for (const auto& [key, member] : entries) {
          if (member.is_string() && credential_member(key) &&
              literal_credential(member.as_string())) {
            auto p = path;
            p.push_back(PathStep{key, std::nullopt});
            found_.emplace_back(label_of(p), fixed ? *fixed : p);
          }
        }
        for (std::size_t k = entries.size(); k-- > 0;) {
          if (entries[k].second.is_string()) continue;
          auto p = path;
          p.push_back(PathStep{entries[k].first, std::nullopt});
          stack.emplace_back(&entries[k].second, std::move(p));
        }
      }
    }
    for (auto& [label, p] : found_) {
      report(fmt::format("{} holds a literal credential", label),
             in_.wf.location(data_path(node_, p), &node_));
    }
    found_.clear();
  }

  const LintInput& in_;
  Reporter& out_;
  const NodeSpec& node_;
  std::vector<std::pair<std::string, std::vector<PathStep>>> found_;
};

/// hardcoded-credential: literal credentials in http nodes.
void hardcoded_credential(const LintInput& in, Reporter& out) {
  for (const auto& node : in.wf.nodes) {
    if (in.kind(node.index) == "http") CredentialScan(in, out, node).run();
  }
}

// ---- reduce-without-initial ------------------------------------------------------

/// Node `j`'s result is never an empty array: a constant that is not an
/// array, a range (at least one value, or it fails), or an expression that
/// is a non-empty literal array.
bool never_empty_array(const LintInput& in, std::size_t j) {
  const std::string_view kind = in.kind(j);
  if (kind == "range" || in.compiled.kinds[j]->category == nodes::Category::Input) return true;
  if (kind != "expression") return false;
  const expr::Program* p = program_at(in, j, "expression");
  if (!p) return false;
  const ast::Node& root = p->root();
  if (root.kind == ast::NodeKind::Array) {
    return !static_cast<const ast::ArrayNode&>(root).elements.empty();
  }
  if (root.kind == ast::NodeKind::Literal) {
    const Value& v = static_cast<const ast::LiteralNode&>(root).value;
    return !v.is_array() || !v.as_array().empty();
  }
  return false;
}

/// reduce-without-initial: a reduce with no initial_value whose input may be
/// an empty array.
void reduce_without_initial(const LintInput& in, Reporter& out) {
  for (const auto& node : in.wf.nodes) {
    if (in.kind(node.index) != "reduce") continue;
    const Value* initial = node.data.find("initial_value");
    if (initial && !initial->is_null()) continue;
    const auto& incoming = in.dag().incoming(node.index);
    if (incoming.empty()) continue;  // missing-input: it fails whenever it runs
    const bool can_be_empty = std::any_of(incoming.begin(), incoming.end(), [&](auto e) {
      return !never_empty_array(in, in.dag().edge_source(e));
    });
    if (!can_be_empty) continue;
    auto& d = out.report(
        fmt::format("reduce node {}: {}: the accumulator starts at 0, so an empty input array "
                    "gives result 0 whatever the expression computes",
                    node.id, initial ? "initial_value is null" : "no initial_value"),
        initial ? in.wf.location(data_path(node, key_path("initial_value")), &node)
                : in.wf.location(node_path(node.index), &node));
    d.notes.emplace_back(
        "set initial_value to what an empty array should give (0 for a sum, \"\" for text, [] "
        "for a list); the first element is combined with it too");
  }
}

// ---- editor-default --------------------------------------------------------------

/// The string member `key` of the node's data, if it is one.
const std::string* data_string(const NodeSpec& node, std::string_view key) {
  const Value* v = node.data.find(key);
  return v ? v->if_string() : nullptr;
}

/// What the editor writes for reduce: `acc + item` with `initial_value: "0"`.
void reduce_defaults(const LintInput& in, Reporter& out, const NodeSpec& node) {
  const expr::Program* program = program_at(in, node.index, "expression");
  if (!program) return;
  bool plus = false;
  int acc_column = 0;
  walk(program->root(), [&](const ast::Node& n) {
    if (n.kind == ast::NodeKind::Binary) {
      for (const auto& step : static_cast<const ast::BinaryNode&>(n).rest) {
        plus = plus || step.op == ast::BinaryOp::Add;
      }
    } else if (n.kind == ast::NodeKind::Name &&
               static_cast<const ast::NameNode&>(n).name == "acc") {
      if (acc_column == 0 || n.column < acc_column) acc_column = n.column;
    }
  });
  double number = 0;
  const std::string* initial = data_string(node, "initial_value");
  if (plus && initial && ast::parse_numeric_string(*initial, number)) {
    auto& d = out.report(
        fmt::format("reduce node {}: initial_value is the string \"{}\", so + concatenates text "
                    "(\"{}\" + 1 is \"{}1\") instead of adding",
                    node.id, *initial, *initial, *initial),
        in.wf.location(data_path(node, key_path("initial_value")), &node));
    d.notes.push_back(fmt::format("write initial_value: {} (a number)", number_to_string(number)));
  }
  if (acc_column > 0) {
    for (const auto& t : in.traits) {
      if (t.sets_variable == "acc") return;  // a workflow variable named acc
    }
    const std::string& text = program->text();
    auto& d = out.report(
        fmt::format("reduce node {}: expression reads acc, which is not the accumulator (the "
                    "visual editor writes acc + item): it is the element's member acc, or null",
                    node.id),
        in.wf.location_in_string(data_path(node, key_path("expression")),
                                 offset_of_column(text, acc_column), 3, &node));
    d.notes.emplace_back("write accumulator");
  }
}

/// editor-default: the visual editor's defaults that the engine reads
/// differently (spec 03 §28 #6), where validate does not already fail.
void editor_default(const LintInput& in, Reporter& out) {
  for (const auto& node : in.wf.nodes) {
    const std::string_view kind = in.kind(node.index);
    const auto at_key = [&](std::string_view key) {
      return in.wf.location(data_path(node, key_path(key)), &node, true);
    };
    const std::string* field = data_string(node, "field");
    const bool has_field = field && !field->empty();
    if (kind == "unique" && node.data.find("by_field")) {
      auto& d = out.report(
          fmt::format("unique node {}: by_field is not read (the visual editor writes it); the "
                      "node reads field, so {}",
                      node.id,
                      has_field ? fmt::format("elements are compared by their member '{}'", *field)
                                : std::string("whole elements are compared")),
          at_key("by_field"));
      const std::string* by = data_string(node, "by_field");
      d.notes.push_back(!has_field && by && !by->empty()
                            ? fmt::format("write field: {} instead", *by)
                            : std::string("remove by_field"));
    } else if (kind == "flat_map" && data_string(node, "expression")) {
      auto& d = out.report(
          fmt::format("flat_map node {}: expression is ignored (the visual editor writes it); "
                      "the node {}",
                      node.id,
                      has_field && *field != "."
                          ? fmt::format("expands the member '{}' of each element", *field)
                          : std::string("flattens the elements one level")),
          at_key("expression"));
      d.notes.emplace_back(
          "remove expression; to compute a value per element, put a map node before the "
          "flat_map");
    } else if (kind == "slice") {
      const Value* end = node.data.find("end");
      if (end && end->is_number() && end->as_number() == -1) {
        auto& d = out.report(
            fmt::format("slice node {}: end: -1 drops the last element (end is exclusive and "
                        "counts from the end); the visual editor writes it to mean \"to the end\"",
                        node.id),
            in.wf.location(data_path(node, key_path("end")), &node));
        d.notes.emplace_back("remove end to keep the elements up to the end of the array");
      }
    } else if (kind == "group_by" && node.data.find("key_field")) {
      auto& d = out.report(
          fmt::format("group_by node {}: key_field is not read (the visual editor writes it); "
                      "the node groups by field '{}'",
                      node.id, field ? *field : std::string()),
          at_key("key_field"));
      d.notes.emplace_back("remove key_field");
    } else if ((kind == "find" || kind == "partition") && node.data.find("expression")) {
      auto& d = out.report(
          fmt::format("{} node {}: expression is not read (the visual editor writes the test "
                      "there); the node tests its condition",
                      kind, node.id),
          at_key("expression"));
      d.notes.emplace_back("remove expression, and keep the test in condition");
    } else if (kind == "reduce") {
      reduce_defaults(in, out, node);
    }
  }
}

// ---- uninterpolated-template -----------------------------------------------------

/// A character of a template name.
bool is_word(char c) {
  return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
/// A blank inside `{{ }}`.
bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/// A `{{ name.path }}` of a string that no template fills in.
struct TemplateLike {
  std::size_t begin = 0, end = 0;
  std::string head;  ///< the first name (`variables`)
  std::string rest;  ///< what follows it (`.user.name`)
};

/// Every `{{ <name>(.<name> | [...])* }}` of `s` that is not a placeholder
/// (`{{ const.x }}`, `{{ variable.x }}`, which the template checks report).
std::vector<TemplateLike> template_like(const std::string& s) {
  std::vector<TemplateLike> out;
  if (s.find("{{") == std::string::npos) return out;
  const nodes::TextTemplate placeholders(s);
  std::size_t next_placeholder = 0;
  const auto& parts = placeholders.placeholders();
  std::size_t pos = 0;
  while ((pos = s.find("{{", pos)) != std::string::npos) {
    while (pos + 2 < s.size() && s[pos + 2] == '{') ++pos;  // the last `{{` of a run
    while (next_placeholder < parts.size() && parts[next_placeholder].end <= pos) {
      ++next_placeholder;
    }
    if (next_placeholder < parts.size() && parts[next_placeholder].begin <= pos) {
      pos = parts[next_placeholder].end;
      continue;
    }
    std::size_t i = pos + 2;
    while (i < s.size() && is_blank(s[i])) ++i;
    const std::size_t head_start = i;
    if (i >= s.size() || !(is_word(s[i]) && !(s[i] >= '0' && s[i] <= '9'))) {
      pos += 2;
      continue;
    }
    while (i < s.size() && is_word(s[i])) ++i;
    const std::size_t head_end = i;
    bool ok = true;
    while (ok && i < s.size() && (s[i] == '.' || s[i] == '[')) {
      if (s[i] == '.') {
        const std::size_t start = ++i;
        while (i < s.size() && (is_word(s[i]) || s[i] == '-')) ++i;
        ok = i > start;
      } else {
        const auto close = s.find(']', i);
        ok = close != std::string::npos && s.find('}', i) > close;
        i = ok ? close + 1 : i;
      }
    }
    const std::size_t rest_end = i;
    while (i < s.size() && is_blank(s[i])) ++i;
    if (!ok || s.compare(i, 2, "}}") != 0) {
      pos += 2;
      continue;
    }
    out.push_back(TemplateLike{pos, i + 2, s.substr(head_start, head_end - head_start),
                               s.substr(head_end, rest_end - head_end)});
    pos = i + 2;
  }
  return out;
}

/// Where a `{{ head... }}` should come from instead.
std::string template_like_note(const TemplateLike& t, bool in_expression) {
  const std::string read = t.rest.empty() ? t.head : t.head + t.rest;
  const std::string written = t.rest.empty() ? std::string("<name>") : t.rest.substr(1);
  std::string note;
  if (t.head == "variables" || t.head == "vars" || t.head == "var") {
    note = fmt::format("workflow variables are read in expressions as variables{}",
                       t.rest.empty() ? ".<name>" : t.rest);
  } else if (t.head == "node" || t.head == "nodes") {
    note = fmt::format("node results are read in expressions as node{}",
                       t.rest.empty() ? ".<id>" : t.rest);
  } else if (t.head == "input" || t.head == "item") {
    note = fmt::format("the input is read in expressions as {}", read);
  } else if (t.head == "context" || t.head == "ctx") {
    note = fmt::format(
        "context values are read in expressions as context.{}, and filled into template fields "
        "as {{{{ const.{} }}}} or {{{{ variable.{} }}}}",
        written, written, written);
  } else if (t.head == "const" || t.head == "variable") {
    note = fmt::format(
        "a placeholder inserts a whole context value, {{{{ {}.<name> }}}} with a name of letters, "
        "digits and _, and only template fields (text_input's text and http's url, headers, "
        "query and body) fill it in",
        t.head);
  } else {
    note =
        "templates fill in only {{ const.<name> }} and {{ variable.<name> }} (context values), "
        "and only in template fields: text_input's text and http's url, headers, query and "
        "body";
  }
  if (in_expression) note += "; this field is an expression, so write the read outside the quotes";
  return note;
}

/// A string's identity among the template and expression sites.
std::string site_key(const std::vector<PathStep>& path, bool at_key) {
  return format_json_path(path) + (at_key ? "#key" : "");
}

/// uninterpolated-template: `{{ name... }}` text that no template fills in,
/// outside template fields (validate reports the rest).
void uninterpolated_template(const LintInput& in, Reporter& out) {
  for (const auto& node : in.wf.nodes) {
    const auto& facts = in.facts(node.index);
    std::set<std::string> templates;  // malformed placeholders there are reported already
    std::set<std::string> expressions;
    bool sites_built = false;
    const auto check = [&](const std::string& text, const std::vector<PathStep>& path,
                           bool at_key) {
      if (text.find("{{") == std::string::npos) return;
      const auto found = template_like(text);
      if (found.empty()) return;
      if (!sites_built) {
        for (const auto& s : facts.templates) templates.insert(site_key(s.path, s.at_key));
        for (const auto& s : facts.expressions) expressions.insert(site_key(s.path, false));
        sites_built = true;
      }
      const std::string key = site_key(path, at_key);
      if (templates.count(key)) return;
      const bool in_expression = !at_key && expressions.count(key) > 0;
      for (const auto& t : found) {
        const std::string spelling = text.substr(t.begin, t.end - t.begin);
        auto& d = out.report(
            fmt::format("{} node {}: {}{}: {} is never filled in and stays as written", node.type,
                        node.id, label_of(path), at_key ? " (key)" : "", shorten(spelling)),
            in.wf.location_in_string(data_path(node, path), t.begin, t.end - t.begin, &node,
                                     at_key));
        d.notes.push_back(template_like_note(t, in_expression));
      }
    };
    for_each_string(node.data, check);
  }
}

// ---- while-loop-legacy-threshold -------------------------------------------------

/// while-loop-legacy-threshold: a while_loop condition with the comparison
/// shorthand (`>0`).
void while_loop_legacy_threshold(const LintInput& in, Reporter& out) {
  for (const auto& node : in.wf.nodes) {
    if (in.kind(node.index) != "while_loop") continue;
    const expr::Program* program = program_at(in, node.index, "condition");
    if (!program) continue;
    const ast::ShorthandNode* first = nullptr;
    walk(program->root(), [&](const ast::Node& n) {
      if (n.kind == ast::NodeKind::Shorthand && (!first || n.column < first->column)) {
        first = static_cast<const ast::ShorthandNode*>(&n);
      }
    });
    if (!first) continue;
    std::uint64_t cap = 100;
    if (const Value* m = node.data.find("max_iterations");
        m && m->is_number() && m->as_number() >= 1) {
      cap = static_cast<std::uint64_t>(m->as_number());
    }
    // The run's limit caps the node's own, as the engine does (D9).
    const std::uint64_t run_cap = in.options.limits.max_loop_iterations;
    if (run_cap > 0 && run_cap < cap) cap = run_cap;
    const std::string& text = program->text();
    const char* op = ast::binary_spelling(first->op);
    auto& d = out.report(
        fmt::format("while_loop node {}: condition \"{}\" is the legacy threshold test '{} ...' "
                    "of an input that never changes: the node either stops at once with 0 "
                    "iterations or fails after max_iterations",
                    node.id, shorten(trim(text)), op),
        in.wf.location_in_string(data_path(node, key_path("condition")),
                                 offset_of_column(text, first->column), std::string_view(op).size(),
                                 &node));
    d.notes.push_back(fmt::format(
        "it compares the input (or its member value) each time; when that holds, the node fails "
        "with 'while_loop exceeded max iterations: {}'",
        cap));
    // `>0` as a whole: the same test written on the input, for a condition node.
    std::string test = "input > 0";
    if (&program->root() == first) {
      const std::size_t after = offset_of_column(text, first->column) + std::strlen(op);
      test = fmt::format("input {} {}", op, trim(std::string_view(text).substr(after)));
    }
    d.notes.push_back(fmt::format(
        "nothing runs between two tests (spec 03 §28 #1); to branch on the value, use a "
        "condition node with condition: {}",
        test));
  }
}

// ---- the table -------------------------------------------------------------------

const Rule kRules[] = {
    {{"insecure-http-url", Severity::Warning, "HTTP request over plain http://",
      "An http node whose url starts with http:// sends the request, its headers and body, and "
      "receives the response, unencrypted: anyone on the path can read and change them. Plain "
      "http is also refused at run time unless the run allows it (--allow-http). Loopback hosts "
      "(localhost, 127.0.0.0/8, [::1]) are exempt, as the traffic never leaves the machine. A "
      "url that is a template is judged by its literal start: `{{ const.base }}/items` is not "
      "reported, `http://{{ const.host }}/items` is.",
      "nodes:\n"
      "  - id: fetch\n"
      "    type: http\n"
      "    data: {url: \"http://api.example.com/items\"}\n",
      "nodes:\n"
      "  - id: fetch\n"
      "    type: http\n"
      "    data: {url: \"https://api.example.com/items\"}\n"},
     insecure_http_url},
    {{"hardcoded-credential", Severity::Warning, "Credential written into an http node",
      "A literal credential in an http node (an Authorization, X-API-Key or *-Token header, a "
      "user:password@ in the url, a token=, api_key= or password= query parameter, a password, "
      "secret or token member of the body) travels with the document: into version control, "
      "saved workflows, logs and exports. Templates (`{{ const.NAME }}`) and `${env:NAME}` "
      "references are not literal and are not reported, nor are names that only describe a "
      "credential (token_type, page_token). Keep the secret in a named HTTP client "
      "(http_client_uid, --http-clients FILE, the secret as ${env:NAME}) or pass it with --set "
      "and read it as {{ const.NAME }}. The message names the key, never the value.",
      "nodes:\n"
      "  - id: fetch\n"
      "    type: http\n"
      "    data:\n"
      "      url: https://api.example.com/items\n"
      "      headers: {Authorization: \"Bearer abc123\"}\n",
      "nodes:\n"
      "  - id: fetch\n"
      "    type: http\n"
      "    data:\n"
      "      url: https://api.example.com/items\n"
      "      http_client_uid: example-api\n"},
     hardcoded_credential},
    {{"reduce-without-initial", Severity::Warning, "reduce without an initial value",
      "Without initial_value (or with null) a reduce node's accumulator starts at the number 0 "
      "(spec 03 §7). An empty input array then gives result 0 however the expression builds "
      "its value: a text, a list or a maximum all come out as 0, and 0 is also what the first "
      "element is combined with (0 + \"a\" is \"0a\"). Setting initial_value says what an empty "
      "array should give. The rule stays quiet when every input is known never to be an empty "
      "array: a range, a constant input node, or an expression that is a non-empty array "
      "literal.",
      "nodes:\n"
      "  - id: prices\n"
      "    type: http\n"
      "    data: {url: \"https://api.example.com/prices\"}\n"
      "  - id: total\n"
      "    type: reduce\n"
      "    data: {expression: \"accumulator + item\"}\n"
      "edges:\n"
      "  - {source: prices, target: total}\n",
      "nodes:\n"
      "  - id: prices\n"
      "    type: http\n"
      "    data: {url: \"https://api.example.com/prices\"}\n"
      "  - id: total\n"
      "    type: reduce\n"
      "    data: {expression: \"accumulator + item\", initial_value: 0}\n"
      "edges:\n"
      "  - {source: prices, target: total}\n"},
     reduce_without_initial},
    {{"editor-default", Severity::Warning,
      "Value the visual editor writes that the engine reads "
      "differently",
      "The visual editor's palette writes defaults the engine does not read as meant (spec 03 "
      "§28 #6): unique's by_field and group_by's key_field are not read (the engine reads "
      "field), flat_map's expression is ignored, find's and partition's expression is not read "
      "(the engine tests condition), reduce's `acc + item` with initial_value \"0\" concatenates "
      "text instead of adding, and slice's end: -1 drops the last element. Where the editor's "
      "key replaces a required one (group_by without field, find or partition without "
      "condition) validate already fails the workflow and this rule does not repeat it; the "
      "unknown-key warning validate gives for a leftover key may come with this finding, which "
      "says what the editor meant.",
      "nodes:\n"
      "  - id: items\n"
      "    type: range\n"
      "    data: {start: 1, end: 5}\n"
      "  - id: head\n"
      "    type: slice\n"
      "    data: {start: 0, end: -1}\n"
      "edges:\n"
      "  - {source: items, target: head}\n",
      "nodes:\n"
      "  - id: items\n"
      "    type: range\n"
      "    data: {start: 1, end: 5}\n"
      "  - id: head\n"
      "    type: slice\n"
      "    data: {start: 0}\n"
      "edges:\n"
      "  - {source: items, target: head}\n"},
     editor_default},
    {{"uninterpolated-template", Severity::Info, "Template-like text that is never filled in",
      "Templates fill in only `{{ const.NAME }}` and `{{ variable.NAME }}`, and only in template "
      "fields (text_input's text, http's url, headers, query and body; decision D12). Text such "
      "as `{{ variables.user }}`, `{{ node.fetch.id }}` or `{{ input.name }}` anywhere else in a "
      "node's data, expressions included, stays exactly as written (spec 01 §4.6). Placeholders "
      "of the two real forms outside template fields, and malformed ones inside them, are "
      "already reported by validate (placeholder-not-expanded, template-in-expression, "
      "malformed-placeholder); this rule reports the rest.",
      "nodes:\n"
      "  - id: x\n"
      "    type: number\n"
      "    data: {value: 1}\n"
      "  - id: show\n"
      "    type: visualization\n"
      "    data: {mode: text, label: \"Total: {{ node.x }}\"}\n"
      "edges:\n"
      "  - {source: x, target: show}\n",
      "nodes:\n"
      "  - id: x\n"
      "    type: number\n"
      "    data: {value: 1}\n"
      "  - id: show\n"
      "    type: visualization\n"
      "    data: {mode: text, label: \"Total\"}\n"
      "edges:\n"
      "  - {source: x, target: show}\n"},
     uninterpolated_template},
    {{"while-loop-legacy-threshold", Severity::Warning,
      "while_loop condition in the legacy threshold form",
      "A while_loop runs nothing between two tests of its condition (spec 03 §28 #1-2), so the "
      "input it tests never changes: the node reports 0 iterations when the condition is false "
      "and fails with `while_loop exceeded max iterations` when it is true. Conditions in the "
      "reference's legacy threshold form (`>0`, the editor's default, `> 5`, `<= 10`) compare "
      "the input, or its member value, and are written as if the loop counted towards the "
      "threshold; with a positive input `>0` always fails. thaiyyal evaluates while_loop "
      "conditions as expressions (D11), so documents written for the reference, where "
      "`input > 1` was always false, now compare for real; that form means what it says and is "
      "not reported. To branch on a value, use a condition node.",
      "nodes:\n"
      "  - id: n\n"
      "    type: number\n"
      "    data: {value: 3}\n"
      "  - id: loop\n"
      "    type: while_loop\n"
      "    data: {condition: \">0\"}\n"
      "edges:\n"
      "  - {source: n, target: loop}\n",
      "nodes:\n"
      "  - id: n\n"
      "    type: number\n"
      "    data: {value: 3}\n"
      "  - id: check\n"
      "    type: condition\n"
      "    data: {condition: \"input > 0\"}\n"
      "edges:\n"
      "  - {source: n, target: check}\n"},
     while_loop_legacy_threshold},
};

}  // namespace

std::span<const Rule> config_rules() { return kRules; }

}  // namespace thaiyyal::lint::detail
