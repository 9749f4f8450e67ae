// Tabular sources and pipelines: table references, union, datatable, print, range, externaldata, find, search, evaluate.
#include "syntax/grammar_parser.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <utility>
#include "syntax/layer.h"

namespace kql::syntax {

bool GrammarParser::AtTabularKeyword() const {
  if (!At(TokenKind::kIdentifier)) return false;
  const std::string_view word = Cur().text;
  const Token& next = PeekTok(1);
  if (word == "datatable") return next.kind == TokenKind::kLeftParen || ParamNameLength(1) > 0;
  if (word == "externaldata" || word == "external_data") {
    return next.kind == TokenKind::kLeftParen || ParamNameLength(1) > 0;
  }
  if (word == "print") {
    return next.kind != TokenKind::kAssign && next.kind != TokenKind::kComma && next.kind != TokenKind::kRightParen &&
           next.kind != TokenKind::kDot && next.kind != TokenKind::kPipe &&
           next.kind != TokenKind::kSemicolon && next.kind != TokenKind::kEqual;
  }
  if (word == "range") return next.kind == TokenKind::kIdentifier && PeekIsWord(2, "from");
  if (word == "union") {
    return next.kind == TokenKind::kIdentifier || next.kind == TokenKind::kLeftParen ||
           next.kind == TokenKind::kStar || next.kind == TokenKind::kLeftBracket;
  }
  if (word == "find") {
    return next.kind == TokenKind::kIdentifier || next.kind == TokenKind::kLeftParen ||
           next.kind == TokenKind::kString;
  }
  if (word == "search") {
    return next.kind == TokenKind::kIdentifier || next.kind == TokenKind::kLeftParen ||
           next.kind == TokenKind::kString || next.kind == TokenKind::kStar;
  }
  if (word == "evaluate") return next.kind == TokenKind::kIdentifier;
  return false;
}

OperatorPtr GrammarParser::ParseSourceKeyword() {
  const SourceSpan start = Cur().span;
  const std::string name(Advance().text);
  if (name == "datatable") return ParseDatatable(start);
  if (name == "print") return ParsePrint(start);
  if (name == "range") return ParseRange(start);
  if (name == "union") return ParseUnion(start, name);
  if (name == "find") return ParseFind(start);
  if (name == "search") return ParseSearch(start, name);
  if (name == "evaluate") return ParseEvaluate(start, name);
  return ParseExternalData(start, name);
}

namespace {

// Reads the string argument of database("x") / cluster("x").
bool StringArgument(const CallExpr& call, std::string* value) {
  if (call.args.size() != 1) return false;
  const auto* literal = call.args[0]->TryAs<LiteralExpr>();
  if (!literal || literal->literal_kind != LiteralKind::kString) return false;
  *value = literal->text;
  return true;
}

// Fills cluster/database from `database("d")` or `cluster("c").database("d")`.
bool QualifierToTableRef(const Expr& qualifier, TableRefOp* ref) {
  const auto* call = qualifier.TryAs<CallExpr>();
  if (!call || call->name != "database" || !StringArgument(*call, &ref->database)) return false;
  if (!call->target) return true;
  const auto* cluster = call->target->TryAs<CallExpr>();
  return cluster && cluster->name == "cluster" && !cluster->target && StringArgument(*cluster, &ref->cluster);
}

}  // namespace

OperatorPtr GrammarParser::ExprToSource(ExprPtr expr) {
  const SourceSpan span = expr->span;
  switch (expr->kind) {
    case ExprKind::kName: {
      auto ref = std::make_unique<TableRefOp>();
      ref->span = span;
      ref->table = expr->As<NameExpr>().name;
      ref->name = ref->table;
      return ref;
    }
    case ExprKind::kCall: {
      auto source = std::make_unique<CallSourceOp>();
      source->span = span;
      auto& call = expr->As<CallExpr>();
      source->name = call.name;
      source->qualifier = std::move(call.target);
      source->call.reset(static_cast<CallExpr*>(expr.release()));
      return source;
    }
    case ExprKind::kMember: {
      auto& member = expr->As<MemberExpr>();
      auto ref = std::make_unique<TableRefOp>();
      ref->span = span;
      ref->table = member.member;
      ref->name = member.member;
      if (QualifierToTableRef(*member.target, ref.get())) return ref;
      if (member.target->kind == ExprKind::kCall) {
        // A pattern reference such as App('a1').Metrics: kept as text for the binder to reject or expand.
        auto pattern = std::make_unique<GenericOp>();
        pattern->span = span;
        pattern->name = "pattern-reference";
        pattern->raw_arguments = std::string(text_.substr(span.offset, span.length));
        return pattern;
      }
      break;
    }
    case ExprKind::kParen: {
      auto subquery = std::make_unique<SubqueryOp>();
      subquery->span = span;
      subquery->name = "(";
      subquery->pipeline = ToPipeline(std::move(expr->As<ParenExpr>().inner));
      return subquery;
    }
    case ExprKind::kTabular: {
      auto subquery = std::make_unique<SubqueryOp>();
      subquery->span = span;
      subquery->name = "(";
      subquery->pipeline = std::move(expr->As<TabularExpr>().pipeline);
      return subquery;
    }
    case ExprKind::kError: {
      auto error = std::make_unique<GenericOp>();
      error->span = span;
      error->name = "<error>";
      return error;
    }
    default: break;
  }
  Error(kParseExpectedTabular, span, "Expected a tabular expression but found a scalar expression");
  auto error = std::make_unique<GenericOp>();
  error->span = span;
  error->name = "<error>";
  return error;
}

PipelinePtr GrammarParser::ToPipeline(ExprPtr expr) {
  if (expr->kind == ExprKind::kTabular) return std::move(expr->As<TabularExpr>().pipeline);
  auto pipeline = std::make_unique<Pipeline>();
  pipeline->span = expr->span;
  pipeline->source = ExprToSource(std::move(expr));
  return pipeline;
}

void GrammarParser::ParsePipelineTail(Pipeline& pipeline) {
  while (At(TokenKind::kPipe)) {
    const SourceSpan pipe_span = Advance().span;
    if (!At(TokenKind::kIdentifier)) {
      Error(kParseEmptyPipelineStage, Cur().span, "Expected an operator after '|' but found " + Describe(Cur()));
      (void)pipe_span;
      Synchronize();
      continue;
    }
    OperatorPtr op = ParseOperator();
    if (op) pipeline.operators.push_back(std::move(op));
    if (!panic_ && !At(TokenKind::kPipe) && !At(TokenKind::kSemicolon) && !At(TokenKind::kRightParen) &&
        !At(TokenKind::kRightBrace) && !At(TokenKind::kRightBracket) && !At(TokenKind::kComma) &&
        !At(TokenKind::kEnd)) {
      Error(kParseUnexpectedToken, Cur().span,
            "Unexpected " + Describe(Cur()) + " after the '" +
                (pipeline.operators.empty() ? std::string("?") : pipeline.operators.back()->name) + "' operator");
    }
    if (panic_) Synchronize();
  }
  pipeline.span = SpanFrom(pipeline.span);
}

// A pipeline whose first stage is an operator applied to an implicit input: `where x > 1 | take 5`.
PipelinePtr GrammarParser::ParseImplicitPipeline() {
  DepthGuard guard(*this);
  auto pipeline = std::make_unique<Pipeline>();
  pipeline->span = Cur().span;
  if (guard.too_deep()) return pipeline;
  Accept(TokenKind::kPipe);
  if (!At(TokenKind::kIdentifier)) {
    Error(kParseEmptyPipelineStage, Cur().span, "Expected an operator but found " + Describe(Cur()));
    Synchronize();
  } else {
    OperatorPtr op = ParseOperator();
    if (op) pipeline->operators.push_back(std::move(op));
    if (panic_) Synchronize();
  }
  ParsePipelineTail(*pipeline);
  return pipeline;
}

PipelinePtr GrammarParser::ParseParenthesizedImplicitPipeline() {
  if (!Expect(TokenKind::kLeftParen)) return std::make_unique<Pipeline>();
  PipelinePtr pipeline = ParseImplicitPipeline();
  Expect(TokenKind::kRightParen);
  return pipeline;
}

OperatorPtr GrammarParser::ParseOperator() {
  DepthGuard guard(*this);
  if (guard.too_deep()) return nullptr;
  const SourceSpan start = Cur().span;
  std::string name = ReadHyphenatedWord();
  OperatorPtr op = ParseNamedOperator(name, start);
  if (op) {
    if (op->name.empty()) op->name = name;
    op->span = SpanFrom(start);
  }
  return op;
}

PipelinePtr GrammarParser::ParseTableItem() {
  const SourceSpan start = Cur().span;
  // A wildcard table pattern such as Security* or *Events.
  if ((At(TokenKind::kIdentifier) || At(TokenKind::kStar)) && PeekTok(1).kind != TokenKind::kLeftParen &&
      PeekTok(1).kind != TokenKind::kDot) {
    bool wildcard = At(TokenKind::kStar);
    size_t length = 1;
    while ((PeekTok(length).kind == TokenKind::kStar || PeekTok(length).kind == TokenKind::kIdentifier) &&
           PeekAdjacent(length)) {
      wildcard = wildcard || PeekTok(length).kind == TokenKind::kStar;
      ++length;
    }
    if (wildcard) {
      auto ref = std::make_unique<TableRefOp>();
      for (size_t i = 0; i < length; ++i) ref->table += Advance().text;
      ref->has_wildcard = true;
      ref->name = ref->table;
      ref->span = SpanFrom(start);
      auto pipeline = std::make_unique<Pipeline>();
      pipeline->source = std::move(ref);
      pipeline->span = SpanFrom(start);
      return pipeline;
    }
  }
  ExprPtr expr = ParsePostfix();
  if (expr->kind == ExprKind::kParen && expr->As<ParenExpr>().inner) expr = std::move(expr->As<ParenExpr>().inner);
  return ToPipeline(std::move(expr));
}

std::vector<PipelinePtr> GrammarParser::ParseTableList() {
  std::vector<PipelinePtr> tables;
  do {
    tables.push_back(ParseTableItem());
  } while (Accept(TokenKind::kComma));
  return tables;
}

OperatorPtr GrammarParser::ParseUnion(const SourceSpan& start, const std::string& name) {
  auto op = std::make_unique<UnionOp>();
  op->span = start;
  op->name = name;
  op->params = ParseParams({"kind", "withsource", "isfuzzy"});
  op->tables = ParseTableList();
  return op;
}

OperatorPtr GrammarParser::ParseDatatable(const SourceSpan& start) {
  auto op = std::make_unique<DatatableOp>();
  op->span = start;
  op->name = "datatable";
  op->params = ParseParams({"*"});
  op->columns = ParseSchema();
  if (Expect(TokenKind::kLeftBracket)) {
    while (!At(TokenKind::kRightBracket) && !At(TokenKind::kEnd)) {
      op->values.push_back(ParseExpr());
      if (!Accept(TokenKind::kComma)) break;
    }
    Expect(TokenKind::kRightBracket);
  }
  return op;
}

OperatorPtr GrammarParser::ParsePrint(const SourceSpan& start) {
  auto op = std::make_unique<PrintOp>();
  op->span = start;
  op->name = "print";
  if (!At(TokenKind::kPipe) && !At(TokenKind::kSemicolon) && !At(TokenKind::kEnd) && !At(TokenKind::kRightParen)) {
    op->columns = ParseNamedList();
  }
  return op;
}

OperatorPtr GrammarParser::ParseRange(const SourceSpan& start) {
  auto op = std::make_unique<RangeOp>();
  op->span = start;
  op->name = "range";
  ParseName(&op->column, &op->column_span);
  if (ExpectWord("from")) op->from = ParseExpr();
  if (ExpectWord("to")) op->to = ParseExpr();
  if (ExpectWord("step")) op->step = ParseExpr();
  if (!op->from) op->from = MakeError(Cur().span);
  if (!op->to) op->to = MakeError(Cur().span);
  if (!op->step) op->step = MakeError(Cur().span);
  return op;
}

OperatorPtr GrammarParser::ParseExternalData(const SourceSpan& start, const std::string& name) {
  auto op = std::make_unique<ExternalDataOp>();
  op->span = start;
  op->name = name;
  op->params = ParseParams();
  op->columns = ParseSchema();
  if (Expect(TokenKind::kLeftBracket)) {
    while (!At(TokenKind::kRightBracket) && !At(TokenKind::kEnd)) {
      op->uris.push_back(ParseExpr());
      if (!Accept(TokenKind::kComma)) break;
    }
    Expect(TokenKind::kRightBracket);
  }
  if (AcceptWord("with")) op->properties = ParsePropertyList();
  return op;
}

OperatorPtr GrammarParser::ParseFind(const SourceSpan& start) {
  auto op = std::make_unique<FindOp>();
  op->span = start;
  op->name = "find";
  op->params = ParseParams({"withsource", "datascope", "kind"});
  if (AtWord("in") && PeekTok(1).kind == TokenKind::kLeftParen) {
    Advance();
    Advance();
    op->tables = ParseTableList();
    Expect(TokenKind::kRightParen);
  }
  AcceptWord("where");
  const bool saved = in_search_predicate_;
  in_search_predicate_ = true;
  op->predicate = ParseExpr();
  in_search_predicate_ = saved;
  if (AtWord("project-smart") || (AtWord("project") && PeekTok(1).kind == TokenKind::kMinus)) {
    const std::string word = ReadHyphenatedWord();
    op->project_smart = word == "project-smart";
    if (!op->project_smart) ErrorExpected("'project' or 'project-smart'");
  } else if (AcceptWord("project")) {
    op->project = ParseNamedList();
  }
  return op;
}

OperatorPtr GrammarParser::ParseSearch(const SourceSpan& start, const std::string& name) {
  auto op = std::make_unique<SearchOp>();
  op->span = start;
  op->name = name;
  op->params = ParseParams({"kind", "withsource", "datascope"});
  if (AtWord("in") && PeekTok(1).kind == TokenKind::kLeftParen) {
    Advance();
    Advance();
    op->tables = ParseTableList();
    Expect(TokenKind::kRightParen);
  }
  const bool saved = in_search_predicate_;
  in_search_predicate_ = true;
  op->predicate = ParseExpr();
  in_search_predicate_ = saved;
  return op;
}

OperatorPtr GrammarParser::ParseEvaluate(const SourceSpan& start, const std::string& name) {
  auto op = std::make_unique<EvaluateOp>();
  op->span = start;
  op->name = name;
  op->params = ParseParams();
  if (At(TokenKind::kIdentifier) && PeekTok(1).kind == TokenKind::kLeftParen) {
    op->call = ParseCall(nullptr);
    // An optional output schema: evaluate bag_unpack(d) : (a:long, b:string).
    if (Accept(TokenKind::kColon)) op->output_schema = ParseSchema();
  } else {
    ErrorExpected("a plugin call");
  }
  return op;
}

}  // namespace kql::syntax
