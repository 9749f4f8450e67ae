#include "syntax/lexer.h"

#include <array>
#include <cstdint>

#include "syntax/diagnostic_codes.h"
#include "syntax/layer.h"

namespace kql::syntax {
namespace {

bool IsIdentStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || static_cast<unsigned char>(c) >= 0x80;
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsIdentPart(char c) { return IsIdentStart(c) || IsDigit(c); }
bool IsHexDigit(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// Time units accepted after a number, as Kusto spells them.
constexpr std::array<std::string_view, 35> kTimeUnits = {
    "d",           "day",          "days",         "h",           "hr",          "hrs",     "hour",
    "hours",       "m",            "min",          "minute",      "minutes",     "s",       "sec",
    "second",      "seconds",      "ms",           "milli",       "millis",      "millisec", "millisecond",
    "milliseconds", "microsecond", "microseconds", "micro",       "micros",      "microsec", "tick",
    "ticks",       "nanosecond",   "nanoseconds",  "nano",        "nanos",       "nanosec",  "hs"};

bool IsTimeUnit(std::string_view word) {
  for (std::string_view unit : kTimeUnits) {
    if (unit == word) return true;
  }
  return false;
}

// Words that take a raw literal body in parentheses.
bool IsTypedLiteralKeyword(std::string_view word) {
  return word == "datetime" || word == "date" || word == "time" || word == "timespan" || word == "guid" ||
         word == "dynamic" || word == "uuid" || word == "uniqueid";
}

void AppendUtf8(std::string& out, uint32_t code_point) {
  if (code_point < 0x80) {
    out.push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else if (code_point < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (code_point >> 18)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

class Lexer {
 public:
  Lexer(std::string_view text, DiagnosticBag& diagnostics) : text_(text), diagnostics_(diagnostics) {}

  std::vector<Token> Run() {
    std::vector<Token> tokens;
    while (true) {
      SkipTrivia();
      Token token = Next();
      const bool at_end = token.kind == TokenKind::kEnd;
      tokens.push_back(std::move(token));
      if (at_end) break;
    }
    return tokens;
  }

 private:
  char Peek(size_t ahead = 0) const { return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0'; }

  // Moves to `new_pos`, keeping the line/column bookkeeping in step.
  void MoveTo(size_t new_pos) {
    for (size_t i = pos_; i < new_pos && i < text_.size(); ++i) {
      if (text_[i] == '\n') {
        ++line_;
        line_start_ = i + 1;
      }
    }
    pos_ = new_pos;
  }

  SourceSpan SpanFrom(size_t start, uint32_t start_line, size_t start_line_start) const {
    SourceSpan span;
    span.offset = static_cast<uint32_t>(start);
    span.length = static_cast<uint32_t>(pos_ - start);
    span.line = start_line;
    span.col = static_cast<uint32_t>(start - start_line_start + 1);
    return span;
  }

  SourceSpan SpanOf(size_t start, size_t length) const {
    SourceSpan span;
    span.offset = static_cast<uint32_t>(start);
    span.length = static_cast<uint32_t>(length);
    span.line = line_;
    span.col = static_cast<uint32_t>(start >= line_start_ ? start - line_start_ + 1 : 1);
    return span;
  }

  void SkipTrivia() {
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v') {
        MoveTo(pos_ + 1);
      } else if (c == '/' && Peek(1) == '/') {
        size_t end = text_.find('\n', pos_);
        MoveTo(end == std::string_view::npos ? text_.size() : end);
      } else if (static_cast<unsigned char>(c) == 0xEF && Peek(1) == '\xBB' && Peek(2) == '\xBF') {
        MoveTo(pos_ + 3);  // Byte order mark.
      } else if (static_cast<unsigned char>(c) == 0xC2 && Peek(1) == '\xA0') {
        MoveTo(pos_ + 2);  // No-break space, common in pasted queries.
      } else {
        break;
      }
    }
  }

  Token Next() {
    const size_t start = pos_;
    const uint32_t start_line = line_;
    const size_t start_line_start = line_start_;
    Token token;
    auto finish = [&](TokenKind kind) {
      token.kind = kind;
      token.span = SpanFrom(start, start_line, start_line_start);
      token.text = text_.substr(start, pos_ - start);
      return token;
    };
    if (pos_ >= text_.size()) return finish(TokenKind::kEnd);
    const char c = text_[pos_];

    // Verbatim, obfuscated and multi-line strings.
    if ((c == 'h' || c == 'H') && (Peek(1) == '\'' || Peek(1) == '"')) {
      MoveTo(pos_ + 1);
      LexQuoted(token, start);
      return finish(TokenKind::kString);
    }
    if ((c == 'h' || c == 'H') && Peek(1) == '@' && (Peek(2) == '\'' || Peek(2) == '"')) {
      MoveTo(pos_ + 2);
      LexVerbatim(token, start);
      return finish(TokenKind::kString);
    }
    if (c == '@' && (Peek(1) == '\'' || Peek(1) == '"')) {
      MoveTo(pos_ + 1);
      LexVerbatim(token, start);
      return finish(TokenKind::kString);
    }
    if (c == '`' && Peek(1) == '`' && Peek(2) == '`') {
      size_t end = text_.find("```", pos_ + 3);
      if (end == std::string_view::npos) {
        diagnostics_.Error(std::string(kLexUnterminatedString), SpanOf(start, text_.size() - start),
                           "Unterminated multi-line string literal");
        token.value = std::string(text_.substr(pos_ + 3));
        MoveTo(text_.size());
      } else {
        token.value = std::string(text_.substr(pos_ + 3, end - pos_ - 3));
        MoveTo(end + 3);
      }
      return finish(TokenKind::kString);
    }
    if (c == '\'' || c == '"') {
      LexQuoted(token, start);
      return finish(TokenKind::kString);
    }
    if (IsIdentStart(c) || (c == '$' && IsIdentStart(Peek(1)))) {
      size_t end = pos_ + 1;
      while (end < text_.size() && IsIdentPart(text_[end])) ++end;
      std::string_view word = text_.substr(pos_, end - pos_);
      if (IsTypedLiteralKeyword(word)) {
        size_t paren = end;
        while (paren < text_.size() && (text_[paren] == ' ' || text_[paren] == '\t')) ++paren;
        if (paren < text_.size() && text_[paren] == '(') {
          MoveTo(paren + 1);
          LexTypedLiteralBody(token, start, word);
          return finish(TokenKind::kTypedLiteral);
        }
      }
      MoveTo(end);
      return finish(TokenKind::kIdentifier);
    }
    if (IsDigit(c)) return LexNumber(token, start, finish);

    auto single = [&](TokenKind kind, size_t length) {
      MoveTo(pos_ + length);
      return finish(kind);
    };
    switch (c) {
      case '(': return single(TokenKind::kLeftParen, 1);
      case ')': return single(TokenKind::kRightParen, 1);
      case '[': return single(TokenKind::kLeftBracket, 1);
      case ']': return single(TokenKind::kRightBracket, 1);
      case '{': return single(TokenKind::kLeftBrace, 1);
      case '}': return single(TokenKind::kRightBrace, 1);
      case ',': return single(TokenKind::kComma, 1);
      case ';': return single(TokenKind::kSemicolon, 1);
      case '|': return single(TokenKind::kPipe, 1);
      case ':': return single(TokenKind::kColon, 1);
      case '+': return single(TokenKind::kPlus, 1);
      case '-': return single(TokenKind::kMinus, 1);
      case '*': return single(TokenKind::kStar, 1);
      case '/': return single(TokenKind::kSlash, 1);
      case '%': return single(TokenKind::kPercent, 1);
      case '~': return single(TokenKind::kTilde, 1);
      case '?': return single(TokenKind::kQuestion, 1);
      case '@': return single(TokenKind::kAt, 1);
      case '.': return Peek(1) == '.' ? single(TokenKind::kDotDot, 2) : single(TokenKind::kDot, 1);
      case '=':
        if (Peek(1) == '=') return single(TokenKind::kEqual, 2);
        if (Peek(1) == '~') return single(TokenKind::kEqualTilde, 2);
        if (Peek(1) == '>') return single(TokenKind::kArrow, 2);
        return single(TokenKind::kAssign, 1);
      case '!':
        if (Peek(1) == '=') return single(TokenKind::kNotEqual, 2);
        if (Peek(1) == '~') return single(TokenKind::kBangTilde, 2);
        return single(TokenKind::kBang, 1);
      case '<':
        if (Peek(1) == '=') return single(TokenKind::kLessEqual, 2);
        if (Peek(1) == '>') return single(TokenKind::kLessGreater, 2);
        return single(TokenKind::kLess, 1);
      case '>':
        if (Peek(1) == '=') return single(TokenKind::kGreaterEqual, 2);
        return single(TokenKind::kGreater, 1);
      default: break;
    }
    // Consume one whole UTF-8 sequence so the message shows a complete character.
    size_t length = 1;
    const unsigned char lead = static_cast<unsigned char>(c);
    if (lead >= 0xC0) {
      while (pos_ + length < text_.size() && (static_cast<unsigned char>(text_[pos_ + length]) & 0xC0) == 0x80 &&
             length < 4) {
        ++length;
      }
    }
    std::string shown(text_.substr(pos_, length));
    if (lead < 0x20 || lead == 0x7F) shown = "\\x" + std::to_string(static_cast<int>(lead));
    diagnostics_.Error(std::string(kLexInvalidCharacter), SpanOf(start, length), "Invalid character: '" + shown + "'");
    return single(TokenKind::kError, length);
  }

  template <class Finish>
  Token LexNumber(Token& token, size_t /*start*/, Finish& finish) {
    size_t end = pos_;
    bool is_real = false;
    if (text_[end] == '0' && end + 1 < text_.size() && (text_[end + 1] == 'x' || text_[end + 1] == 'X') &&
        end + 2 < text_.size() && IsHexDigit(text_[end + 2])) {
      end += 2;
      while (end < text_.size() && IsHexDigit(text_[end])) ++end;
    } else {
      while (end < text_.size() && IsDigit(text_[end])) ++end;
      if (end + 1 < text_.size() && text_[end] == '.' && IsDigit(text_[end + 1])) {
        is_real = true;
        ++end;
        while (end < text_.size() && IsDigit(text_[end])) ++end;
      } else if (end < text_.size() && text_[end] == '.' && (end + 1 >= text_.size() || text_[end + 1] != '.') &&
                 (end + 1 >= text_.size() || !IsIdentStart(text_[end + 1]))) {
        // `1.` is a real.
        is_real = true;
        ++end;
      }
      if (end < text_.size() && (text_[end] == 'e' || text_[end] == 'E')) {
        size_t exp = end + 1;
        if (exp < text_.size() && (text_[exp] == '+' || text_[exp] == '-')) ++exp;
        if (exp < text_.size() && IsDigit(text_[exp])) {
          while (exp < text_.size() && IsDigit(text_[exp])) ++exp;
          end = exp;
          is_real = true;
        }
      }
    }
    if (end < text_.size() && IsIdentStart(text_[end])) {
      size_t unit_end = end;
      while (unit_end < text_.size() && IsIdentPart(text_[unit_end])) ++unit_end;
      std::string_view unit = text_.substr(end, unit_end - end);
      MoveTo(unit_end);
      if (IsTimeUnit(unit)) {
        token.value = std::string(unit);
        return finish(TokenKind::kTimeSpan);
      }
      // Kusto reads digits followed by letters (`5Minutebin`) as an identifier.
      return finish(TokenKind::kIdentifier);
    }
    MoveTo(end);
    return finish(is_real ? TokenKind::kReal : TokenKind::kLong);
  }

  // Lexes '...' or "..." with backslash escapes; pos_ is at the opening quote.
  void LexQuoted(Token& token, size_t start) {
    const char quote = text_[pos_];
    size_t i = pos_ + 1;
    std::string value;
    while (true) {
      if (i >= text_.size() || text_[i] == '\n' || text_[i] == '\r') {
        diagnostics_.Error(std::string(kLexUnterminatedString), SpanOf(start, i - start),
                           "Unterminated string literal");
        break;
      }
      const char ch = text_[i];
      if (ch == quote) {
        ++i;
        break;
      }
      if (ch != '\\') {
        value.push_back(ch);
        ++i;
        continue;
      }
      if (i + 1 >= text_.size()) {
        ++i;
        continue;
      }
      const char esc = text_[i + 1];
      i += 2;
      switch (esc) {
        case 'n': value.push_back('\n'); break;
        case 't': value.push_back('\t'); break;
        case 'r': value.push_back('\r'); break;
        case '0': value.push_back('\0'); break;
        case 'a': value.push_back('\a'); break;
        case 'b': value.push_back('\b'); break;
        case 'f': value.push_back('\f'); break;
        case 'v': value.push_back('\v'); break;
        case '\\': value.push_back('\\'); break;
        case '\'': value.push_back('\''); break;
        case '"': value.push_back('"'); break;
        case '/': value.push_back('/'); break;
        case '?': value.push_back('?'); break;
        case 'u':
        case 'x':
        case 'U': {
          const size_t digits = esc == 'u' ? 4 : (esc == 'U' ? 8 : 2);
          uint32_t code_point = 0;
          size_t count = 0;
          while (count < digits && i < text_.size() && IsHexDigit(text_[i])) {
            const char h = text_[i];
            code_point = code_point * 16 + static_cast<uint32_t>(IsDigit(h) ? h - '0' : (h | 0x20) - 'a' + 10);
            ++i;
            ++count;
          }
          if (count == 0 || (esc != 'x' && count != digits)) {
            diagnostics_.Error(std::string(kLexInvalidEscape), SpanOf(i - count - 2, count + 2),
                               std::string("Invalid escape sequence: '\\") + esc + "'");
          } else if (code_point <= 0x10FFFF) {
            AppendUtf8(value, code_point);
          }
          break;
        }
        default:
          diagnostics_.Error(std::string(kLexInvalidEscape), SpanOf(i - 2, 2),
                             std::string("Invalid escape sequence: '\\") + esc + "'");
          value.push_back(esc);
          break;
      }
    }
    token.value = std::move(value);
    MoveTo(i);
  }

  // Lexes @'...' or @"..." where a doubled quote stands for one; pos_ is at the opening quote.
  void LexVerbatim(Token& token, size_t start) {
    const char quote = text_[pos_];
    size_t i = pos_ + 1;
    std::string value;
    while (true) {
      if (i >= text_.size() || text_[i] == '\n') {
        diagnostics_.Error(std::string(kLexUnterminatedString), SpanOf(start, i - start),
                           "Unterminated verbatim string literal");
        break;
      }
      if (text_[i] == quote) {
        if (i + 1 < text_.size() && text_[i + 1] == quote) {
          value.push_back(quote);
          i += 2;
          continue;
        }
        ++i;
        break;
      }
      value.push_back(text_[i]);
      ++i;
    }
    token.value = std::move(value);
    MoveTo(i);
  }

  // Lexes the body of datetime(...) and friends; pos_ is just past the '('.
  void LexTypedLiteralBody(Token& token, size_t start, std::string_view word) {
    token.keyword = word;
    size_t i = pos_;
    int depth = 1;
    const bool nested = word == "dynamic";
    while (i < text_.size()) {
      const char ch = text_[i];
      if (nested && ch == '@' && i + 1 < text_.size() && (text_[i + 1] == '"' || text_[i + 1] == '\'')) {
        const char quote = text_[i + 1];  // A verbatim string: a backslash is a plain character.
        i += 2;
        while (i < text_.size() && text_[i] != quote && text_[i] != '\n') ++i;
        ++i;
        continue;
      }
      if (nested && (ch == '"' || ch == '\'')) {
        ++i;
        while (i < text_.size() && text_[i] != ch && text_[i] != '\n') {
          if (text_[i] == '\\') ++i;
          ++i;
        }
        ++i;
        continue;
      }
      if (nested && ch == '/' && i + 1 < text_.size() && text_[i + 1] == '/') {
        while (i < text_.size() && text_[i] != '\n') ++i;
        continue;
      }
      if (nested && (ch == '(' || ch == '[' || ch == '{')) ++depth;
      if (ch == ')' || (nested && (ch == ']' || ch == '}'))) {
        --depth;
        if (depth == 0) break;
      }
      if (!nested && ch == '\n') break;
      ++i;
    }
    if (i >= text_.size() || text_[i] != ')') {
      diagnostics_.Error(std::string(kLexUnterminatedLiteral), SpanOf(start, i - start),
                         "Expected ')' to close " + std::string(word) + " literal");
      token.value = std::string(Trim(text_.substr(pos_, (i > text_.size() ? text_.size() : i) - pos_)));
      MoveTo(i > text_.size() ? text_.size() : i);
      return;
    }
    token.value = std::string(Trim(text_.substr(pos_, i - pos_)));
    MoveTo(i + 1);
  }

  static std::string_view Trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r')) {
      s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) {
      s.remove_suffix(1);
    }
    return s;
  }

  std::string_view text_;
  DiagnosticBag& diagnostics_;
  size_t pos_ = 0;
  uint32_t line_ = 1;
  size_t line_start_ = 0;
};

}  // namespace

std::vector<Token> Lex(std::string_view text, DiagnosticBag& diagnostics) {
  return Lexer(text, diagnostics).Run();
}

std::string_view TokenKindDisplay(TokenKind kind) {
  switch (kind) {
    case TokenKind::kEnd: return "end of query";
    case TokenKind::kIdentifier: return "identifier";
    case TokenKind::kLong: return "integer literal";
    case TokenKind::kReal: return "real literal";
    case TokenKind::kTimeSpan: return "timespan literal";
    case TokenKind::kString: return "string literal";
    case TokenKind::kTypedLiteral: return "literal";
    case TokenKind::kLeftParen: return "'('";
    case TokenKind::kRightParen: return "')'";
    case TokenKind::kLeftBracket: return "'['";
    case TokenKind::kRightBracket: return "']'";
    case TokenKind::kLeftBrace: return "'{'";
    case TokenKind::kRightBrace: return "'}'";
    case TokenKind::kComma: return "','";
    case TokenKind::kSemicolon: return "';'";
    case TokenKind::kPipe: return "'|'";
    case TokenKind::kDot: return "'.'";
    case TokenKind::kDotDot: return "'..'";
    case TokenKind::kColon: return "':'";
    case TokenKind::kAssign: return "'='";
    case TokenKind::kEqual: return "'=='";
    case TokenKind::kNotEqual: return "'!='";
    case TokenKind::kLessGreater: return "'<>'";
    case TokenKind::kLess: return "'<'";
    case TokenKind::kLessEqual: return "'<='";
    case TokenKind::kGreater: return "'>'";
    case TokenKind::kGreaterEqual: return "'>='";
    case TokenKind::kEqualTilde: return "'=~'";
    case TokenKind::kBangTilde: return "'!~'";
    case TokenKind::kBang: return "'!'";
    case TokenKind::kTilde: return "'~'";
    case TokenKind::kPlus: return "'+'";
    case TokenKind::kMinus: return "'-'";
    case TokenKind::kStar: return "'*'";
    case TokenKind::kSlash: return "'/'";
    case TokenKind::kPercent: return "'%'";
    case TokenKind::kArrow: return "'=>'";
    case TokenKind::kQuestion: return "'?'";
    case TokenKind::kAt: return "'@'";
    case TokenKind::kError: return "invalid token";
  }
  return "token";
}

}  // namespace kql::syntax
