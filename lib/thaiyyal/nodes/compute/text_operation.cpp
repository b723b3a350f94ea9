#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>

#include "thaiyyal/expr/text.h"
#include "thaiyyal/nodes/kinds.h"

namespace thaiyyal::nodes {
namespace {

enum class TextOp : std::uint8_t {
  Uppercase,
  Lowercase,
  Titlecase,
  Camelcase,
  Inversecase,
  Concat,
  Repeat,
};

constexpr Choice<TextOp> kTextOps[] = {
    {"uppercase", TextOp::Uppercase},     {"lowercase", TextOp::Lowercase},
    {"titlecase", TextOp::Titlecase},     {"camelcase", TextOp::Camelcase},
    {"inversecase", TextOp::Inversecase}, {"concat", TextOp::Concat},
    {"repeat", TextOp::Repeat},
};

// -- Unicode classification for titlecase and inversecase ---------------------

/// A run of code points with the same word-break role and case class.
struct CharRange {
  std::uint32_t first;
  std::uint32_t last;
  /// 0: ends a word; 1: part of a word (ALetter, Hebrew_Letter, Numeric,
  /// ExtendNumLet, Extend, Format, ZWJ); 2: mid-word punctuation (MidLetter,
  /// MidNumLet, Single_Quote).
  std::uint8_t word;
  /// 0: uncased; 1: Lu; 2: Ll; 3: Lt; 4: another cased character.
  std::uint8_t cased;
};

/// A full title-case mapping that differs from the simple upper-case one.
struct TitleMapping {
  std::uint32_t cp;
  const char* utf8;
};

#include "thaiyyal/nodes/compute/word_tables.inc"

enum class WordRole : std::uint8_t { Breaks, InWord, Mid };
enum class CaseClass : std::uint8_t { None, Upper, Lower, Title, OtherCased };

const CharRange* char_range(char32_t cp) {
  const auto* end = std::end(kCharRanges);
  const auto* it =
      std::upper_bound(std::begin(kCharRanges), end, static_cast<std::uint32_t>(cp),
                       [](std::uint32_t c, const CharRange& r) { return c < r.first; });
  if (it == std::begin(kCharRanges)) return nullptr;
  --it;
  return cp <= it->last ? it : nullptr;
}

WordRole word_role(char32_t cp) {
  const CharRange* r = char_range(cp);
  return r ? static_cast<WordRole>(r->word) : WordRole::Breaks;
}

CaseClass case_class(char32_t cp) {
  const CharRange* r = char_range(cp);
  return r ? static_cast<CaseClass>(r->cased) : CaseClass::None;
}

/// The full title-case mapping of one code point, appended to `out`.
void append_title(std::string& out, char32_t cp) {
  const auto* end = std::end(kTitleMappings);
  const auto* it =
      std::lower_bound(std::begin(kTitleMappings), end, static_cast<std::uint32_t>(cp),
                       [](const TitleMapping& m, std::uint32_t c) { return m.cp < c; });
  if (it != end && it->cp == cp) {
    out += it->utf8;
  } else {
    expr::detail::append_utf8(out, expr::detail::simple_upper(cp));
  }
}

/// Spec 03 §3.2 titlecase: lower-case everything, then give the first cased
/// letter of each word its title-case form. Word boundaries follow the
/// Unicode word-break classes: letters, digits, `_`, marks and formats keep
/// a word going; one mid-word character (`'`, `.`, `:`) does too, two in a
/// row end it; anything else ends it.
std::string titlecase(std::string_view s) {
  const std::string lower = expr::detail::to_lower(s);
  std::string out;
  out.reserve(lower.size());
  bool in_word = false;
  bool prev_mid = false;
  for (std::size_t i = 0; i < lower.size();) {
    const char32_t cp = expr::detail::next_code_point(lower, i);
    if (case_class(cp) != CaseClass::None) {
      if (in_word) {
        expr::detail::append_utf8(out, cp);
      } else {
        append_title(out, cp);
        in_word = true;
      }
      prev_mid = false;
      continue;
    }
    expr::detail::append_utf8(out, cp);
    switch (word_role(cp)) {
      case WordRole::InWord:
        prev_mid = false;
        break;
      case WordRole::Mid:
        if (prev_mid) in_word = false;
        prev_mid = !prev_mid;
        break;
      case WordRole::Breaks:
        in_word = false;
        prev_mid = false;
        break;
    }
  }
  return out;
}

/// Go's unicode.IsSpace.
bool is_go_space(char32_t cp) {
  switch (cp) {
    case U'\t':
    case U'\n':
    case U'\v':
    case U'\f':
    case U'\r':
    case U' ':
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
      return true;
    default:
      return cp >= 0x2000 && cp <= 0x200A;
  }
}

/// Spec 03 §3.2 camelcase: words split on white space; the first is lower
/// case, each later one gets an upper-case first code point (D-14).
std::string camelcase(std::string_view s) {
  std::vector<std::string_view> words;
  std::size_t start = std::string_view::npos;
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t at = i;
    const char32_t cp = expr::detail::next_code_point(s, i);
    if (is_go_space(cp)) {
      if (start != std::string_view::npos) words.push_back(s.substr(start, at - start));
      start = std::string_view::npos;
    } else if (start == std::string_view::npos) {
      start = at;
    }
  }
  if (start != std::string_view::npos) words.push_back(s.substr(start));
  if (words.empty()) return std::string(s);
  std::string out = expr::detail::to_lower(words.front());
  for (std::size_t w = 1; w < words.size(); ++w) {
    std::size_t i = 0;
    const char32_t first = expr::detail::next_code_point(words[w], i);
    expr::detail::append_utf8(out, expr::detail::simple_upper(first));
    out += expr::detail::to_lower(words[w].substr(i));
  }
  return out;
}

/// Upper-case letters to lower case and lower-case letters to upper case;
/// everything else (title-case letters included) unchanged.
std::string inversecase(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const char32_t cp = expr::detail::next_code_point(s, i);
    switch (case_class(cp)) {
      case CaseClass::Upper:
        expr::detail::append_utf8(out, expr::detail::simple_lower(cp));
        break;
      case CaseClass::Lower:
        expr::detail::append_utf8(out, expr::detail::simple_upper(cp));
        break;
      default:
        expr::detail::append_utf8(out, cp);
        break;
    }
  }
  return out;
}

struct Config final : NodeConfig {
  std::string op_name;                 ///< as written, for the run-time message
  std::optional<TextOp> op;            ///< nullopt: `unknown text operation: <op>` at run time
  std::string separator;               ///< concat only
  std::optional<std::int64_t> repeat;  ///< repeat only; checked when the node runs
};

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  auto c = std::make_unique<Config>();
  auto op = r.string("text_op", Presence::Required);
  c->separator = r.string("separator").value_or("");
  c->repeat = r.integer("repeat_n");
  if (!op) return nullptr;
  c->op = find_choice(*op, kTextOps);
  if (!c->op) {
    r.unknown_option(
        "text_op", *op, choice_names(kTextOps),
        ConfigReader::RunEffect::fails(fmt::format("unknown text operation: {}", *op)));
  } else if (*c->op == TextOp::Repeat && !r.has("repeat_n")) {
    r.fails_when_run("text_op", "repeat operation requires repeat_n field");
  } else if (*c->op == TextOp::Repeat && c->repeat && *c->repeat < 0) {
    r.fails_when_run("repeat_n", fmt::format("repeat_n must be non-negative, got {}", *c->repeat));
  }
  c->op_name = std::move(*op);
  if (!r.ok()) return nullptr;
  return c;
}

Value run(const NodeConfig& cfg, RunContext& ctx, std::span<const Value> inputs) {
  const auto& c = static_cast<const Config&>(cfg);
  if (inputs.empty()) throw NodeError("text operation needs at least 1 input");
  if (c.op == TextOp::Concat) {
    std::string out;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      const std::string* s = inputs[i].if_string();
      if (!s) throw NodeError(fmt::format("concat operation input {} must be text/string", i));
      if (i > 0) out += c.separator;
      out += *s;
    }
    return Value(std::move(out));
  }
  const std::string* text = inputs.front().if_string();
  if (c.op == TextOp::Repeat) {
    if (!text) throw NodeError("repeat operation input must be text/string");
    if (!c.repeat) throw NodeError("repeat operation requires repeat_n field");
    if (*c.repeat < 0) {
      throw NodeError(fmt::format("repeat_n must be non-negative, got {}", *c.repeat));
    }
    const auto n = static_cast<std::uint64_t>(*c.repeat);
    const std::uint64_t max = ctx.limits().max_string_length;
    // Bounded before anything is allocated (D-13); with no string limit, by
    // what a string can hold at all.
    const std::uint64_t cap = max > 0 ? max : std::string().max_size();
    if (!text->empty() && n > cap / text->size()) {
      throw NodeError(fmt::format(
          "repeat result too long: {} repetitions of {} bytes exceed the limit of {} bytes", n,
          text->size(), cap));
    }
    std::string out;
    out.reserve(text->size() * n);
    for (std::uint64_t i = 0; i < n; ++i) out += *text;
    return Value(std::move(out));
  }
  if (!text) throw NodeError("text operation input must be text/string");
  if (!c.op) throw NodeError(fmt::format("unknown text operation: {}", c.op_name));
  switch (*c.op) {
    case TextOp::Uppercase:
      return Value(expr::detail::to_upper(*text));
    case TextOp::Lowercase:
      return Value(expr::detail::to_lower(*text));
    case TextOp::Titlecase:
      return Value(titlecase(*text));
    case TextOp::Camelcase:
      return Value(camelcase(*text));
    case TextOp::Inversecase:
      return Value(inversecase(*text));
    case TextOp::Concat:
    case TextOp::Repeat:
      break;  // handled above
  }
  return Value();
}

NodeTraits describe(const NodeConfig&) {
  NodeTraits t;
  t.min_inputs = 1;
  t.too_few_inputs = [](std::size_t) {
    return std::string("text operation needs at least 1 input");
  };
  return t;
}

}  // namespace

extern const KindInfo kTextOperationKind{
    "text_operation",
    Category::Compute,
    "Changes the case of, concatenates or repeats text inputs.",
    R"({"text_op": "titlecase"})",
    parse,
    run,
    /*declared_only=*/false,
    /*context_node=*/false,
    /*guard=*/nullptr,
    describe,
};

}  // namespace thaiyyal::nodes
