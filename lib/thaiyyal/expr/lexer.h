/// The expression lexer (spec 02 §3): turns source text into tokens on
/// demand, left to right, so the first error met from the left is the one
/// reported. It keeps the previous tokens it produced, which the `node.` rule
/// of §3.7 needs. Errors are thrown as ExprError("syntax", column, ...).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace thaiyyal::expr::detail {

/// Token kinds. Punctuators are named after their shape.
enum class Tok : std::uint8_t {
  End,
  Number,
  String,
  Name,    ///< identifier or keyword (true, false, null)
  NodeId,  ///< the id after `node.` (§3.7)
  LParen,
  RParen,
  LBracket,
  RBracket,
  LBrace,
  RBrace,
  Comma,
  Colon,
  Dot,
  QuestionDot,
  Question,
  Bang,
  Less,
  LessEq,
  Greater,
  GreaterEq,
  EqEq,
  BangEq,
  EqEqEq,
  BangEqEq,
  AndAnd,
  OrOr,
  QuestionQuestion,
  Plus,
  Minus,
  Star,
  Slash,
  Percent,
};

/// The text of a punctuator token ("==", "(", ...), or a description for the
/// other kinds ("end of expression", "number", ...).
std::string_view token_spelling(Tok kind);

struct Token {
  Tok kind = Tok::End;
  int column = 1;     ///< 1-based code-point column of the first character
  int length = 1;     ///< length in code points (at least 1)
  std::string text;   ///< decoded string, name or node id
  double number = 0;  ///< value of a Number token
};

class Lexer {
 public:
  explicit Lexer(std::string_view source) : src_(source) {}

  /// Produces the next token. Throws ExprError on a lexical error.
  Token next();

  /// Column just after the last character (for "end of expression").
  int end_column() const;

 private:
  [[noreturn]] void fail(int column, std::string detail) const;
  void skip_blanks();
  char peek(std::size_t ahead = 0) const;
  Token lex_number();
  Token lex_string();
  Token lex_name();
  Token lex_node_id();
  Token punct(Tok kind, int chars);

  std::string_view src_;
  std::size_t pos_ = 0;  ///< byte offset
  int col_ = 1;          ///< code-point column of pos_
  // The last three tokens produced (most recent first), for the node-id rule.
  Tok prev_[3] = {Tok::End, Tok::End, Tok::End};
  bool prev_node_[3] = {false, false, false};  ///< that token is the identifier `node`
  std::size_t prev_end_ = 0;                   ///< byte offset just after the last token
};

}  // namespace thaiyyal::expr::detail
