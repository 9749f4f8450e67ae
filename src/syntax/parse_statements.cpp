// Statements (let, set, declare, alias, restrict), lambdas and function bodies, the whole query.
#include "syntax/grammar_parser.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <utility>
#include "syntax/layer.h"

namespace kql::syntax {

bool GrammarParser::AtStatementKeyword() const {
  if (AtWord("let")) return NameLength(1) > 0;
  if (AtWord("set")) return PeekTok(1).kind == TokenKind::kIdentifier;
  if (AtWord("declare")) return PeekIsWord(1, "query_parameters") || PeekIsWord(1, "pattern");
  if (AtWord("alias")) return PeekIsWord(1, "database");
  if (AtWord("restrict")) return PeekIsWord(1, "access");
  return false;
}

bool GrammarParser::AtLambda() const {
  if (!At(TokenKind::kLeftParen)) return false;
  if (PeekTok(1).kind == TokenKind::kRightParen) return PeekTok(2).kind == TokenKind::kLeftBrace;
  const size_t length = NameLength(1);
  return length > 0 && PeekTok(1 + length).kind == TokenKind::kColon;
}

std::vector<FunctionParam> GrammarParser::ParseParamList() {
  std::vector<FunctionParam> params;
  if (!Expect(TokenKind::kLeftParen)) return params;
  while (!At(TokenKind::kRightParen) && !At(TokenKind::kEnd)) {
    FunctionParam param;
    const SourceSpan start = Cur().span;
    if (!ParseName(&param.decl.name, &param.decl.span)) break;
    if (!Expect(TokenKind::kColon)) break;
    if (At(TokenKind::kLeftParen)) {
      // Tabular parameter: T:(*), T:(a:long, *).
      param.decl.is_tabular = true;
      const uint32_t schema_start = Cur().span.offset;
      Advance();
      while (!At(TokenKind::kRightParen) && !At(TokenKind::kEnd)) {
        if (Accept(TokenKind::kStar)) {
          ColumnDecl star;
          star.name = "*";
          param.decl.columns.push_back(std::move(star));
        } else {
          ColumnDecl column;
          if (!ParseColumnDecl(&column)) break;
          param.decl.columns.push_back(std::move(column));
        }
        if (!Accept(TokenKind::kComma)) break;
      }
      Expect(TokenKind::kRightParen);
      param.decl.type = std::string(text_.substr(schema_start, prev_end_ - schema_start));
    } else {
      param.decl.type = ParseTypeName();
    }
    if (Accept(TokenKind::kAssign)) param.default_value = ParseExpr();
    param.decl.span = SpanFrom(start);
    params.push_back(std::move(param));
    if (!Accept(TokenKind::kComma)) break;
  }
  Expect(TokenKind::kRightParen);
  return params;
}

std::unique_ptr<QueryBlock> GrammarParser::ParseBlockBody() {
  auto block = std::make_unique<QueryBlock>();
  block->span = Cur().span;
  if (!Expect(TokenKind::kLeftBrace)) return block;
  while (!At(TokenKind::kRightBrace) && !At(TokenKind::kEnd)) {
    const size_t before = pos_;
    if (Accept(TokenKind::kSemicolon)) continue;
    if (AtStatementKeyword()) {
      block->statements.push_back(ParseStatement());
    } else {
      if (block->result) {
        Error(kParseExpectedToken, Cur().span, "Expected '}' but found " + Describe(Cur()));
      }
      block->result = ParseExprOrPipeline();
    }
    if (!At(TokenKind::kSemicolon) && !At(TokenKind::kRightBrace) && !panic_) {
      Error(kParseExpectedToken, Cur().span, "Expected ';' or '}' but found " + Describe(Cur()));
    }
    if (panic_) Synchronize(false);
    if (At(TokenKind::kRightParen) || At(TokenKind::kRightBracket)) Advance();
    if (pos_ == before) Advance();
  }
  Expect(TokenKind::kRightBrace);
  block->span = SpanFrom(block->span);
  return block;
}

ExprPtr GrammarParser::ParseLambda(bool is_view, const SourceSpan& start) {
  DepthGuard guard(*this);
  if (guard.too_deep()) return MakeError(start);
  auto node = MakeExpr<FunctionDeclExpr>(start);
  node->is_view = is_view;
  node->params = ParseParamList();
  node->body = ParseBlockBody();
  node->span = SpanFrom(start);
  return node;
}

Statement GrammarParser::ParseStatement() {
  Statement statement;
  statement.span = Cur().span;
  const std::string keyword(Advance().text);
  if (keyword == "let") {
    statement.kind = StatementKind::kLet;
    ParseName(&statement.name, &statement.name_span);
    if (Expect(TokenKind::kAssign)) {
      const SourceSpan value_start = Cur().span;
      if (AtWord("view") && PeekTok(1).kind == TokenKind::kLeftParen) {
        Advance();
        statement.value = ParseLambda(true, value_start);
      } else if (AtLambda()) {
        statement.value = ParseLambda(false, value_start);
      } else {
        statement.value = ParseExprOrPipeline();
      }
    }
  } else if (keyword == "set") {
    statement.kind = StatementKind::kSet;
    const SourceSpan name_start = Cur().span;
    statement.name = std::string(Advance().text);
    // Option names may be dotted or hyphenated in older queries.
    while ((At(TokenKind::kDot) || At(TokenKind::kMinus)) && PeekTok(1).kind == TokenKind::kIdentifier) {
      statement.name += Advance().text;
      statement.name += Advance().text;
    }
    statement.name_span = SpanFrom(name_start);
    if (Accept(TokenKind::kAssign)) statement.value = ParseParamValue();
  } else if (keyword == "declare") {
    if (AcceptWord("query_parameters")) {
      statement.kind = StatementKind::kDeclareQueryParameters;
      statement.parameters = ParseParamList();
    } else {
      statement.kind = StatementKind::kPattern;
      const uint32_t raw_start = statement.span.offset;
      Advance();  // pattern
      ParseName(&statement.name, &statement.name_span);
      Synchronize(false);
      while (At(TokenKind::kRightBrace) || At(TokenKind::kRightParen) || At(TokenKind::kRightBracket)) {
        Advance();
        Synchronize(false);
      }
      statement.raw = std::string(text_.substr(raw_start, prev_end_ - raw_start));
    }
  } else if (keyword == "alias") {
    statement.kind = StatementKind::kAlias;
    ExpectWord("database");
    ParseName(&statement.name, &statement.name_span);
    if (Expect(TokenKind::kAssign)) statement.value = ParseExpr();
  } else {
    statement.kind = StatementKind::kRestrict;
    ExpectWord("access");
    ExpectWord("to");
    if (Expect(TokenKind::kLeftParen)) {
      if (!At(TokenKind::kRightParen)) {
        do {
          statement.names.push_back(ParsePostfix());
        } while (Accept(TokenKind::kComma));
      }
      Expect(TokenKind::kRightParen);
    }
  }
  statement.span = SpanFrom(statement.span);
  return statement;
}

Query GrammarParser::ParseQuery() {
  Query query;
  query.span = SpanAt(text_, 0, static_cast<uint32_t>(text_.size()));
  std::vector<Statement> statements;
  while (!At(TokenKind::kEnd)) {
    const size_t before = pos_;
    if (Accept(TokenKind::kSemicolon)) continue;
    if (AtStatementKeyword()) {
      statements.push_back(ParseStatement());
    } else {
      Statement statement;
      statement.kind = StatementKind::kQuery;
      statement.span = Cur().span;
      ExprPtr expr = ParseExprOrPipeline();
      if (expr->kind != ExprKind::kTabular) {
        auto tabular = MakeExpr<TabularExpr>(expr->span);
        tabular->pipeline = ToPipeline(std::move(expr));
        expr = std::move(tabular);
      }
      statement.value = std::move(expr);
      statement.span = SpanFrom(statement.span);
      statements.push_back(std::move(statement));
    }
    if (!panic_ && !At(TokenKind::kSemicolon) && !At(TokenKind::kEnd)) {
      Error(kParseExpectedToken, Cur().span, "Expected ';' or end of query but found " + Describe(Cur()));
    }
    if (panic_) {
      Synchronize(false);
      // An unbalanced closer at the top level cannot start anything: skip it.
      if (!At(TokenKind::kSemicolon) && !At(TokenKind::kEnd)) Advance();
      Synchronize(false);
    }
    if (pos_ == before) Advance();
  }
  if (!statements.empty() && statements.back().kind == StatementKind::kQuery) {
    query.body = std::move(statements.back().value->As<TabularExpr>().pipeline);
    statements.pop_back();
  }
  query.statements = std::move(statements);
  return query;
}

ExprPtr GrammarParser::ParseStandaloneExpression() {
  ExprPtr expr = ParseExpr();
  if (!panic_ && !At(TokenKind::kEnd)) {
    Error(kParseUnexpectedToken, Cur().span, "Unexpected " + Describe(Cur()) + " after the expression");
  }
  return expr;
}

}  // namespace kql::syntax
