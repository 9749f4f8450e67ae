// Token: one lexical unit of KQL text with its kind, source span and decoded value.
// Keywords are not separate kinds: KQL keywords are contextual, so the parser matches identifier text.
#pragma once
#include <string>
#include <string_view>

#include "base/source_span.h"
#include "syntax/layer.h"

namespace kql::syntax {

/// Lexical token kinds.
enum class TokenKind {
  kEnd,            ///< End of input.
  kIdentifier,     ///< Names and keywords: letters, digits, `_`, optionally starting with `$`.
  kLong,           ///< Integer literal: 123, 0x1F.
  kReal,           ///< Real literal: 1.5, 1e3.
  kTimeSpan,       ///< Number with a time unit: 1d, 1.5h, 100ms, 1tick.
  kString,         ///< String literal; `value` holds the decoded text.
  kTypedLiteral,   ///< datetime(...), date(...), time(...), timespan(...), guid(...), dynamic(...); `value` holds
                   ///< the text between the parentheses and `keyword` the leading word.
  kLeftParen,      ///< (
  kRightParen,     ///< )
  kLeftBracket,    ///< [
  kRightBracket,   ///< ]
  kLeftBrace,      ///< {
  kRightBrace,     ///< }
  kComma,          ///< ,
  kSemicolon,      ///< ;
  kPipe,           ///< |
  kDot,            ///< .
  kDotDot,         ///< ..
  kColon,          ///< :
  kAssign,         ///< =
  kEqual,          ///< ==
  kNotEqual,       ///< !=
  kLessGreater,    ///< <>
  kLess,           ///< <
  kLessEqual,      ///< <=
  kGreater,        ///< >
  kGreaterEqual,   ///< >=
  kEqualTilde,     ///< =~
  kBangTilde,      ///< !~
  kBang,           ///< ! (prefix of !has, !in, !contains, ...)
  kTilde,          ///< ~ (suffix of in~)
  kPlus,           ///< +
  kMinus,          ///< -
  kStar,           ///< *
  kSlash,          ///< /
  kPercent,        ///< %
  kArrow,          ///< =>
  kQuestion,       ///< ?
  kAt,             ///< @ (only when not starting a verbatim string)
  kError,          ///< An invalid character or malformed literal; a diagnostic was reported.
};

/// One token. `text` views the source; `value` holds decoded content for strings and typed literals.
struct Token {
  TokenKind kind = TokenKind::kEnd;
  SourceSpan span;
  std::string_view text;  ///< The token exactly as written.
  std::string value;      ///< kString: decoded value; kTypedLiteral: inner text; kTimeSpan: unit.
  std::string_view keyword;  ///< kTypedLiteral: datetime, guid, dynamic, ...

  /// Byte offset just past the token.
  uint32_t End() const { return span.offset + span.length; }
};

/// Returns a short display form of a token kind for diagnostics, e.g. "')'" or "identifier".
std::string_view TokenKindDisplay(TokenKind kind);

}  // namespace kql::syntax
