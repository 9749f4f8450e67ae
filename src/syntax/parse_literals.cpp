// Literals: numbers, timespans, strings, typed literals (datetime, guid, dynamic, ...), typeof, type names and schemas.
#include "syntax/grammar_parser.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <utility>
#include "syntax/layer.h"

namespace kql::syntax {

ExprPtr GrammarParser::ParseNumberLiteral() {
  const Token& token = Advance();
  auto node = MakeExpr<LiteralExpr>(token.span);
  node->raw = std::string(token.text);
  std::string_view digits = token.text;
  if (token.kind == TokenKind::kTimeSpan) digits.remove_suffix(token.value.size());
  node->text = std::string(digits);
  if (token.kind == TokenKind::kLong) {
    node->literal_kind = LiteralKind::kLong;
    int64_t value = 0;
    const bool hex = digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X');
    const std::string_view body = hex ? digits.substr(2) : digits;
    uint64_t unsigned_value = 0;
    auto [ptr, ec] = std::from_chars(body.data(), body.data() + body.size(), unsigned_value, hex ? 16 : 10);
    if (ec == std::errc() && ptr == body.data() + body.size()) {
      if (hex || unsigned_value <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
        value = static_cast<int64_t>(unsigned_value);
        node->int_value = value;
      } else {
        // Too large for long: Kusto reads it as a real.
        node->literal_kind = LiteralKind::kReal;
        node->real_value = static_cast<double>(unsigned_value);
      }
    } else {
      node->literal_kind = LiteralKind::kReal;
      double real = 0;
      std::from_chars(body.data(), body.data() + body.size(), real);
      node->real_value = real;
    }
    return node;
  }
  double real = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), real);
  (void)ptr;
  const bool parsed = ec == std::errc();
  if (token.kind == TokenKind::kReal) {
    node->literal_kind = LiteralKind::kReal;
    if (parsed) node->real_value = real;
    return node;
  }
  node->literal_kind = LiteralKind::kTimeSpan;
  double fraction = 0;
  const int64_t ticks = TicksPerUnit(token.value, &fraction);
  if (parsed) {
    const double total = ticks > 0 ? real * static_cast<double>(ticks) : real * fraction;
    if (std::isfinite(total) && std::fabs(total) < 9.2e18) node->int_value = static_cast<int64_t>(std::llround(total));
  }
  return node;
}

ExprPtr GrammarParser::ParseStringLiteral() {
  const SourceSpan start = Cur().span;
  auto node = MakeExpr<LiteralExpr>(start);
  node->literal_kind = LiteralKind::kString;
  // Adjacent string literals concatenate: 'a' 'b' is 'ab'.
  while (At(TokenKind::kString)) {
    const Token& token = Advance();
    node->text += token.value;
  }
  node->span = SpanFrom(start);
  node->raw = std::string(text_.substr(node->span.offset, node->span.length));
  return node;
}

ExprPtr GrammarParser::ParseTypedLiteralToken() {
  const Token& token = Advance();
  auto node = MakeExpr<LiteralExpr>(token.span);
  node->raw = std::string(token.text);
  node->text = token.value;
  const std::string_view keyword = token.keyword;
  if (keyword == "datetime" || keyword == "date") {
    node->literal_kind = LiteralKind::kDateTime;
  } else if (keyword == "time" || keyword == "timespan") {
    node->literal_kind = LiteralKind::kTimeSpan;
    // A nested timespan literal such as timespan(2d) gets its tick value computed.
    DiagnosticBag scratch;
    std::vector<Token> inner = Lex(token.value, scratch);
    if (!scratch.HasErrors() && inner.size() == 2 && inner[0].kind == TokenKind::kTimeSpan) {
      double fraction = 0;
      const int64_t ticks = TicksPerUnit(inner[0].value, &fraction);
      std::string_view digits = inner[0].text;
      digits.remove_suffix(inner[0].value.size());
      double real = 0;
      if (std::from_chars(digits.data(), digits.data() + digits.size(), real).ec == std::errc()) {
        const double total = ticks > 0 ? real * static_cast<double>(ticks) : real * fraction;
        if (std::isfinite(total) && std::fabs(total) < 9.2e18) {
          node->int_value = static_cast<int64_t>(std::llround(total));
        }
      }
    }
  } else if (keyword == "dynamic") {
    node->literal_kind = LiteralKind::kDynamic;
  } else {
    node->literal_kind = LiteralKind::kGuid;
  }
  node->is_null = node->text == "null";
  if (node->text.empty() && keyword != "dynamic") {
    Error(kParseInvalidLiteral, token.span, "Invalid " + std::string(keyword) + " literal: empty value");
  }
  return node;
}

// bool(...), int(...), long(...), real(...), double(...), decimal(...).
ExprPtr GrammarParser::ParseScalarTypedLiteral() {
  const Token& keyword_token = Advance();
  const std::string_view keyword = keyword_token.text;
  auto node = MakeExpr<LiteralExpr>(keyword_token.span);
  Advance();  // (
  const uint32_t inner_start = Cur().span.offset;
  bool negative = false;
  bool valid = false;
  bool out_of_range = false;
  if (At(TokenKind::kPlus) || At(TokenKind::kMinus)) negative = Advance().kind == TokenKind::kMinus;
  const Token& value = Cur();
  const bool is_integer_kind = keyword == "int" || keyword == "long";
  const bool is_real_kind = keyword == "real" || keyword == "double" || keyword == "decimal";
  if (value.kind == TokenKind::kIdentifier && value.text == "null") {
    node->is_null = true;
    valid = true;
    Advance();
  } else if (keyword == "bool" || keyword == "boolean") {
    if (value.kind == TokenKind::kIdentifier && (value.text == "true" || value.text == "false")) {
      node->int_value = value.text == "true" ? 1 : 0;
      valid = true;
      Advance();
    } else if (value.kind == TokenKind::kLong && (value.text == "0" || value.text == "1")) {
      node->int_value = value.text == "1" ? 1 : 0;
      valid = true;
      Advance();
    }
  } else if (value.kind == TokenKind::kLong || value.kind == TokenKind::kReal) {
    ExprPtr number = ParseNumberLiteral();
    const auto& literal = number->As<LiteralExpr>();
    if (is_integer_kind && literal.int_value) {
      node->int_value = negative ? -*literal.int_value : *literal.int_value;
      valid = true;
    } else if (is_integer_kind && literal.real_value && std::floor(*literal.real_value) == *literal.real_value) {
      // Only values inside [-2^63, 2^63) convert; anything else is not a long (and the cast would be undefined).
      const double real = negative ? -*literal.real_value : *literal.real_value;
      if (real >= -9223372036854775808.0 && real < 9223372036854775808.0) {
        node->int_value = static_cast<int64_t>(real);
        valid = true;
      } else {
        out_of_range = true;
      }
    } else if (is_real_kind) {
      const double real = literal.int_value ? static_cast<double>(*literal.int_value) : literal.real_value.value_or(0);
      node->real_value = negative ? -real : real;
      valid = true;
    }
  } else if (is_real_kind && value.kind == TokenKind::kIdentifier &&
             (value.text == "nan" || value.text == "inf" || value.text == "infinity")) {
    const double special = value.text == "nan" ? std::numeric_limits<double>::quiet_NaN()
                                               : std::numeric_limits<double>::infinity();
    node->real_value = negative ? -special : special;
    valid = true;
    Advance();
  }
  const uint32_t inner_end = Cur().span.offset;
  if (out_of_range) {
    Error(kParseInvalidLiteral, value.span, "Invalid " + std::string(keyword) + " literal: out of range");
    Synchronize();
  } else if (!valid) {
    Error(kParseInvalidLiteral, Cur().span,
          "Invalid " + std::string(keyword) + " literal: unexpected " + Describe(Cur()));
    Synchronize();
  }
  node->text = std::string(text_.substr(inner_start, inner_end >= inner_start ? inner_end - inner_start : 0));
  while (!node->text.empty() && node->text.back() == ' ') node->text.pop_back();
  Expect(TokenKind::kRightParen);
  node->span = SpanFrom(keyword_token.span);
  node->raw = std::string(text_.substr(node->span.offset, node->span.length));
  if (keyword == "bool" || keyword == "boolean") {
    node->literal_kind = LiteralKind::kBool;
  } else if (keyword == "int") {
    node->literal_kind = LiteralKind::kInt;
  } else if (keyword == "long") {
    node->literal_kind = LiteralKind::kLong;
  } else if (keyword == "decimal") {
    node->literal_kind = LiteralKind::kDecimal;
  } else {
    node->literal_kind = LiteralKind::kReal;
  }
  return node;
}

ExprPtr GrammarParser::ParseTypeOf() {
  const SourceSpan start = Advance().span;
  auto node = MakeExpr<TypeOfExpr>(start);
  Expect(TokenKind::kLeftParen);
  if (Accept(TokenKind::kStar)) {
    node->type_name = "*";
  } else if (At(TokenKind::kIdentifier) && PeekTok(1).kind == TokenKind::kRightParen) {
    node->type_name = std::string(Advance().text);
  } else {
    do {
      if (Accept(TokenKind::kStar)) {
        ColumnDecl star;
        star.name = "*";
        node->columns.push_back(std::move(star));
        continue;
      }
      ColumnDecl decl;
      if (!ParseColumnDecl(&decl)) break;
      node->columns.push_back(std::move(decl));
    } while (Accept(TokenKind::kComma));
  }
  Expect(TokenKind::kRightParen);
  node->span = SpanFrom(start);
  return node;
}

std::string GrammarParser::ParseTypeName() {
  if (At(TokenKind::kIdentifier)) return std::string(Advance().text);
  if (At(TokenKind::kTypedLiteral)) {
    // `x:dynamic` followed by something in parentheses is never valid; report it clearly.
    ErrorExpected("a type name");
    return "";
  }
  ErrorExpected("a type name");
  return "";
}

bool GrammarParser::ParseColumnDecl(ColumnDecl* decl) {
  const SourceSpan start = Cur().span;
  if (!ParseName(&decl->name, &decl->span)) return false;
  if (!Expect(TokenKind::kColon)) return false;
  decl->type = ParseTypeName();
  decl->span = SpanFrom(start);
  return !decl->type.empty();
}

std::vector<ColumnDecl> GrammarParser::ParseSchema() {
  std::vector<ColumnDecl> columns;
  if (!Expect(TokenKind::kLeftParen)) return columns;
  if (!At(TokenKind::kRightParen)) {
    do {
      if (At(TokenKind::kRightParen)) break;
      ColumnDecl decl;
      if (!ParseColumnDecl(&decl)) break;
      columns.push_back(std::move(decl));
    } while (Accept(TokenKind::kComma));
  }
  Expect(TokenKind::kRightParen);
  return columns;
}

// An expression, or a tabular expression when a pipe follows or a tabular keyword starts it.

}  // namespace kql::syntax
