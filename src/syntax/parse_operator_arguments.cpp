// What tabular operators take: expressions or pipelines, parameters, named expressions, sort keys, property lists.
#include "syntax/grammar_parser.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <utility>
#include "syntax/layer.h"

namespace kql::syntax {

ExprPtr GrammarParser::ParseExprOrPipeline() {
  DepthGuard guard(*this);
  if (guard.too_deep()) return MakeError(Cur().span);
  const SourceSpan start = Cur().span;
  if (AtTabularKeyword()) {
    auto pipeline = std::make_unique<Pipeline>();
    pipeline->source = ParseSourceKeyword();
    ParsePipelineTail(*pipeline);
    pipeline->span = SpanFrom(start);
    auto node = MakeExpr<TabularExpr>(pipeline->span);
    node->pipeline = std::move(pipeline);
    return node;
  }
  ExprPtr expr = ParseExpr();
  // After an error the `|` more likely belongs to an enclosing pipeline than to this operand.
  if (!At(TokenKind::kPipe) || panic_) return expr;
  auto pipeline = ToPipeline(std::move(expr));
  ParsePipelineTail(*pipeline);
  pipeline->span = SpanFrom(start);
  auto node = MakeExpr<TabularExpr>(pipeline->span);
  node->pipeline = std::move(pipeline);
  return node;
}

ExprPtr GrammarParser::ParseParamValue() {
  if (At(TokenKind::kIdentifier)) {
    const Token& token = Advance();
    if (token.text == "true" || token.text == "false") {
      auto node = MakeExpr<LiteralExpr>(token.span);
      node->literal_kind = LiteralKind::kBool;
      node->raw = std::string(token.text);
      node->text = node->raw;
      node->int_value = token.text == "true" ? 1 : 0;
      return node;
    }
    auto node = MakeExpr<NameExpr>(token.span);
    node->name = std::string(token.text);
    return node;
  }
  return ParseUnary();
}

// Parses `name=value` parameters whose name starts with `hint.` or is listed in `allowed` ("*" allows any).
std::vector<OperatorParam> GrammarParser::ParseParams(std::initializer_list<std::string_view> allowed) {
  std::vector<OperatorParam> params;
  while (true) {
    const size_t length = ParamNameLength(0);
    if (length == 0) break;
    const std::string_view first = Cur().text;
    bool accepted = first == "hint" && length > 1;
    for (std::string_view name : allowed) {
      if (name == first || name == "*") accepted = true;
    }
    if (!accepted) break;
    OperatorParam param;
    param.span = Cur().span;
    for (size_t i = 0; i < length; ++i) param.name += Advance().text;
    Advance();  // =
    param.value = ParseParamValue();
    param.span = SpanFrom(param.span);
    params.push_back(std::move(param));
  }
  return params;
}

NamedExpr GrammarParser::ParseNamedExpr() {
  NamedExpr item;
  item.span = Cur().span;
  const size_t name_length = NameLength(0);
  if (name_length > 0 && PeekTok(name_length).kind == TokenKind::kAssign) {
    std::string name;
    ParseName(&name, &item.name_span);
    item.names.push_back(std::move(name));
    Advance();  // =
  } else if (At(TokenKind::kLeftParen)) {
    // Tuple assignment: (a, b) = expr.
    size_t ahead = 1;
    bool tuple = false;
    while (true) {
      const size_t length = NameLength(ahead);
      if (length == 0) break;
      ahead += length;
      if (PeekTok(ahead).kind == TokenKind::kComma) {
        ++ahead;
        continue;
      }
      tuple = PeekTok(ahead).kind == TokenKind::kRightParen && PeekTok(ahead + 1).kind == TokenKind::kAssign;
      break;
    }
    if (tuple) {
      const SourceSpan names_start = Advance().span;
      do {
        std::string name;
        SourceSpan span;
        ParseName(&name, &span);
        item.names.push_back(std::move(name));
      } while (Accept(TokenKind::kComma));
      Advance();  // )
      item.name_span = SpanFrom(names_start);
      Advance();  // =
    }
  }
  item.expr = ParseExpr();
  item.span = SpanFrom(item.span);
  return item;
}

std::vector<NamedExpr> GrammarParser::ParseNamedList() {
  std::vector<NamedExpr> items;
  do {
    items.push_back(ParseNamedExpr());
  } while (Accept(TokenKind::kComma));
  return items;
}

SortTerm GrammarParser::ParseSortKey() {
  SortTerm key;
  key.span = Cur().span;
  key.expr = ParseExpr();
  if (AcceptWord("asc")) {
    key.direction = SortDirection::kAscending;
  } else if (AcceptWord("desc")) {
    key.direction = SortDirection::kDescending;
  }
  if (AcceptWord("nulls")) {
    if (AcceptWord("first")) {
      key.nulls = NullsOrder::kFirst;
    } else if (AcceptWord("last")) {
      key.nulls = NullsOrder::kLast;
    } else {
      ErrorExpected("'first' or 'last'");
    }
  }
  key.span = SpanFrom(key.span);
  return key;
}

std::vector<SortTerm> GrammarParser::ParseSortKeys() {
  std::vector<SortTerm> keys;
  do {
    keys.push_back(ParseSortKey());
  } while (Accept(TokenKind::kComma));
  return keys;
}

// `( name = value, ... )` where a value may be followed by more comma-separated values (ycolumns = a, b).
std::vector<OperatorParam> GrammarParser::ParsePropertyList() {
  std::vector<OperatorParam> properties;
  if (!Expect(TokenKind::kLeftParen)) return properties;
  std::string last_name;
  while (!At(TokenKind::kRightParen) && !At(TokenKind::kEnd)) {
    OperatorParam param;
    param.span = Cur().span;
    const size_t length = ParamNameLength(0);
    if (length > 0) {
      for (size_t i = 0; i < length; ++i) param.name += Advance().text;
      Advance();  // =
      last_name = param.name;
    } else if (!last_name.empty()) {
      param.name = last_name;
    } else {
      ErrorExpected("a property name");
      break;
    }
    param.value = ParseExpr();
    param.span = SpanFrom(param.span);
    properties.push_back(std::move(param));
    if (!Accept(TokenKind::kComma)) break;
  }
  Expect(TokenKind::kRightParen);
  return properties;
}

// =================================================================================================================
// Tabular expressions
// =================================================================================================================

}  // namespace kql::syntax
