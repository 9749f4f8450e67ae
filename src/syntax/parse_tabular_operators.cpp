// Tabular operators after `|`: join, mv-expand, parse, make-series, top-nested, scan, column patterns, the rest by name.
#include "syntax/grammar_parser.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <utility>
#include "syntax/layer.h"

namespace kql::syntax {

OperatorPtr GrammarParser::ParseJoin(OperatorKind kind, const SourceSpan& start, const std::string& name) {
  auto op = std::make_unique<JoinOp>(kind);
  op->span = start;
  op->name = name;
  op->params = ParseParams({"kind", "withsource"});
  ExprPtr right = ParsePostfix();
  // The parentheses around the right side only delimit it: `join (T | where x)` has right = T | where x.
  if (right->kind == ExprKind::kParen && right->As<ParenExpr>().inner) right = std::move(right->As<ParenExpr>().inner);
  op->right = ToPipeline(std::move(right));
  // Parameters may also follow the right side in older queries.
  for (auto& param : ParseParams({"kind"})) op->params.push_back(std::move(param));
  if (AcceptWord("on")) {
    do {
      op->conditions.push_back(ParseExpr());
    } while (Accept(TokenKind::kComma));
  } else if (AcceptWord("where")) {
    op->where = ParseExpr();
  } else if (kind == OperatorKind::kLookup || !At(TokenKind::kIdentifier)) {
    ErrorExpected("'on'");
  }
  return op;
}

OperatorPtr GrammarParser::ParseMvExpand(OperatorKind kind, const SourceSpan& start, const std::string& name) {
  auto op = std::make_unique<MvExpandOp>(kind);
  op->span = start;
  op->name = name;
  op->params = ParseParams({"bagexpansion", "with_itemindex", "kind", "itemindex"});
  do {
    MvExpandItem item;
    item.span = Cur().span;
    item.column = ParseNamedExpr();
    if (AcceptWord("to")) {
      if (ExpectWord("typeof") && Expect(TokenKind::kLeftParen)) {
        item.to_type = ParseTypeName();
        Expect(TokenKind::kRightParen);
      }
    }
    item.span = SpanFrom(item.span);
    op->items.push_back(std::move(item));
  } while (Accept(TokenKind::kComma));
  if (AcceptWord("limit")) op->limit = ParseExpr();
  if (kind == OperatorKind::kMvApply) {
    if (ExpectWord("on")) op->subquery = ParseParenthesizedImplicitPipeline();
  }
  return op;
}

OperatorPtr GrammarParser::ParseParse(OperatorKind kind, const SourceSpan& start, const std::string& name) {
  auto op = std::make_unique<ParseOp>(kind);
  op->span = start;
  op->name = name;
  op->params = ParseParams({"kind", "flags"});
  op->source = ParseExpr();
  if (kind == OperatorKind::kParseKv) {
    if (ExpectWord("as")) {
      if (Expect(TokenKind::kLeftParen)) {
        do {
          ColumnDecl decl;
          const SourceSpan decl_start = Cur().span;
          if (!ParseName(&decl.name, &decl.span)) break;
          if (Accept(TokenKind::kColon)) decl.type = ParseTypeName();
          decl.span = SpanFrom(decl_start);
          op->columns.push_back(std::move(decl));
        } while (Accept(TokenKind::kComma));
        Expect(TokenKind::kRightParen);
      }
    }
    if (AcceptWord("with")) op->properties = ParsePropertyList();
    return op;
  }
  if (!ExpectWord("with")) return op;
  while (!At(TokenKind::kPipe) && !At(TokenKind::kSemicolon) && !At(TokenKind::kRightParen) &&
         !At(TokenKind::kEnd) && !At(TokenKind::kRightBrace) && !panic_) {
    ParsePatternItem item;
    item.span = Cur().span;
    if (At(TokenKind::kStar)) {
      Advance();
      item.kind = ParsePatternItem::Kind::kStar;
    } else if (At(TokenKind::kString)) {
      item.kind = ParsePatternItem::Kind::kString;
      item.literal = ParseStringLiteral();
    } else if (AtName()) {
      item.kind = ParsePatternItem::Kind::kColumn;
      ParseName(&item.column.name, &item.column.span);
      if (Accept(TokenKind::kColon)) item.column.type = ParseTypeName();
    } else {
      Error(kParseUnexpectedToken, Cur().span, "Unexpected " + Describe(Cur()) + " in parse pattern");
      break;
    }
    item.span = SpanFrom(item.span);
    op->pattern.push_back(std::move(item));
  }
  return op;
}

OperatorPtr GrammarParser::ParseMakeSeries(const SourceSpan& start, const std::string& name) {
  auto op = std::make_unique<MakeSeriesOp>();
  op->span = start;
  op->name = name;
  op->params = ParseParams({"kind"});
  do {
    SeriesAggregate aggregate;
    aggregate.aggregate = ParseNamedExpr();
    if (AtWord("default") && PeekTok(1).kind == TokenKind::kAssign) {
      Advance();
      Advance();
      aggregate.default_value = ParseExpr();
    }
    op->aggregates.push_back(std::move(aggregate));
  } while (Accept(TokenKind::kComma));
  // The axis stops before `in range(...)`, so it is parsed below the comparison level.
  if (ExpectWord("on")) op->on = ParseAdditive();
  if (AtWord("in") && PeekIsWord(1, "range")) {
    Advance();
    Advance();
    op->in_range = true;
    if (Expect(TokenKind::kLeftParen)) {
      op->from = ParseExpr();
      if (Expect(TokenKind::kComma)) op->to = ParseExpr();
      if (Expect(TokenKind::kComma)) op->step = ParseExpr();
      Expect(TokenKind::kRightParen);
    }
  } else {
    if (AcceptWord("from")) op->from = ParseExpr();
    if (AcceptWord("to")) op->to = ParseExpr();
    if (ExpectWord("step")) op->step = ParseExpr();
  }
  if (AcceptWord("by")) op->by = ParseNamedList();
  return op;
}

OperatorPtr GrammarParser::ParseTopNested(const SourceSpan& start, const std::string& name) {
  auto op = std::make_unique<TopNestedOp>();
  op->span = start;
  op->name = name;
  do {
    TopNestedLevel level;
    if (!op->levels.empty() && AtWord("top") && PeekTok(1).kind == TokenKind::kMinus) ReadHyphenatedWord();
    level.span = Cur().span;
    if (!AtWord("of")) level.count = ParseExpr();
    if (!ExpectWord("of")) break;
    level.of = ParseNamedExpr();
    if (AtWord("with") && PeekIsWord(1, "others")) {
      Advance();
      Advance();
      if (Expect(TokenKind::kAssign)) level.others = ParseExpr();
    }
    if (!ExpectWord("by")) break;
    level.by = ParseNamedExpr();
    if (AcceptWord("asc")) {
      level.direction = SortDirection::kAscending;
    } else if (AcceptWord("desc")) {
      level.direction = SortDirection::kDescending;
    }
    level.span = SpanFrom(level.span);
    op->levels.push_back(std::move(level));
  } while (Accept(TokenKind::kComma));
  return op;
}

OperatorPtr GrammarParser::ParseScan(const SourceSpan& start, const std::string& name) {
  auto op = std::make_unique<ScanOp>();
  op->span = start;
  op->name = name;
  op->params = ParseParams({"with_match_id"});
  if (AtWord("order") && PeekIsWord(1, "by")) {
    Advance();
    Advance();
    op->order_by = ParseSortKeys();
  }
  if (AtWord("partition") && PeekIsWord(1, "by")) {
    Advance();
    Advance();
    do {
      op->partition_by.push_back(ParseExpr());
    } while (Accept(TokenKind::kComma));
  }
  if (AcceptWord("declare")) op->declarations = ParseParamList();
  if (!ExpectWord("with") || !Expect(TokenKind::kLeftParen)) return op;
  while (AtWord("step")) {
    ScanStep step;
    step.span = Advance().span;
    ParseName(&step.name, &step.span);
    if (AcceptWord("optional")) step.optional = true;
    step.params = ParseParams({"output"});
    if (!Expect(TokenKind::kColon)) break;
    step.condition = ParseExpr();
    if (Accept(TokenKind::kArrow)) step.assignments = ParseNamedList();
    step.span = SpanFrom(step.span);
    op->steps.push_back(std::move(step));
    if (!Accept(TokenKind::kSemicolon)) break;
  }
  Expect(TokenKind::kRightParen);
  return op;
}

OperatorPtr GrammarParser::ParseGeneric(const SourceSpan& start, const std::string& name) {
  auto op = std::make_unique<GenericOp>();
  op->span = start;
  op->name = name;
  const uint32_t args_start = Cur().span.offset;
  const bool saved_panic = panic_;
  Synchronize();
  panic_ = saved_panic;
  const uint32_t args_end = prev_end_ > args_start ? prev_end_ : args_start;
  op->raw_arguments = std::string(text_.substr(args_start, args_end - args_start));
  return op;
}

ColumnPattern GrammarParser::ParseColumnPattern(bool allow_order) {
  ColumnPattern pattern;
  pattern.span = Cur().span;
  if (AtBracketedName()) {
    std::string name;
    ParseName(&name, &pattern.span);
    pattern.pattern = std::move(name);
  } else if (At(TokenKind::kIdentifier) || At(TokenKind::kStar)) {
    pattern.has_wildcard = At(TokenKind::kStar);
    pattern.pattern = std::string(Advance().text);
    while ((At(TokenKind::kStar) || At(TokenKind::kIdentifier)) && Cur().span.offset == prev_end_) {
      pattern.has_wildcard = pattern.has_wildcard || At(TokenKind::kStar);
      pattern.pattern += Advance().text;
    }
  } else {
    Error(kParseExpectedName, Cur().span, "Expected a column name but found " + Describe(Cur()));
    return pattern;
  }
  if (allow_order && At(TokenKind::kIdentifier)) {
    const std::string_view word = Cur().text;
    if (word == "asc" || word == "desc" || word == "granny") {
      pattern.order_text = ReadHyphenatedWord();
      pattern.direction = pattern.order_text.find("desc") != std::string::npos ? SortDirection::kDescending
                                                                               : SortDirection::kAscending;
    }
  }
  pattern.span = SpanFrom(pattern.span);
  return pattern;
}

std::vector<ColumnPattern> GrammarParser::ParseColumnPatterns(bool allow_order) {
  std::vector<ColumnPattern> patterns;
  do {
    patterns.push_back(ParseColumnPattern(allow_order));
  } while (Accept(TokenKind::kComma));
  return patterns;
}

OperatorPtr GrammarParser::ParseNamedOperator(const std::string& name, const SourceSpan& start) {
  auto at_end_of_stage = [this] {
    return At(TokenKind::kPipe) || At(TokenKind::kSemicolon) || At(TokenKind::kRightParen) ||
           At(TokenKind::kRightBrace) || At(TokenKind::kEnd);
  };
  if (name == "where" || name == "filter") {
    auto op = std::make_unique<WhereOp>();
    op->params = ParseParams();
    op->predicate = ParseExpr();
    return op;
  }
  if (name == "project" || name == "extend") {
    auto op = std::make_unique<ProjectOp>(name == "project" ? OperatorKind::kProject : OperatorKind::kExtend);
    op->params = ParseParams();
    op->columns = ParseNamedList();
    return op;
  }
  if (name == "serialize") {
    auto op = std::make_unique<ProjectOp>(OperatorKind::kSerialize);
    op->params = ParseParams();
    if (!at_end_of_stage()) op->columns = ParseNamedList();
    return op;
  }
  if (name == "project-rename") {
    auto op = std::make_unique<ProjectOp>(OperatorKind::kProjectRename);
    do {
      NamedExpr item;
      item.span = Cur().span;
      std::string new_name;
      if (!ParseName(&new_name, &item.name_span)) break;
      item.names.push_back(std::move(new_name));
      Expect(TokenKind::kAssign);
      auto old_name = MakeExpr<NameExpr>(Cur().span);
      ParseName(&old_name->name, &old_name->span, &old_name->bracketed);
      item.expr = std::move(old_name);
      item.span = SpanFrom(item.span);
      op->columns.push_back(std::move(item));
    } while (Accept(TokenKind::kComma));
    return op;
  }
  if (name == "project-away" || name == "project-keep" || name == "project-reorder") {
    const OperatorKind kind = name == "project-away"   ? OperatorKind::kProjectAway
                              : name == "project-keep" ? OperatorKind::kProjectKeep
                                                       : OperatorKind::kProjectReorder;
    auto op = std::make_unique<ColumnListOp>(kind);
    op->columns = ParseColumnPatterns(kind == OperatorKind::kProjectReorder);
    return op;
  }
  if (name == "summarize") {
    auto op = std::make_unique<SummarizeOp>();
    op->params = ParseParams();
    if (!AtWord("by")) op->aggregates = ParseNamedList();
    if (AcceptWord("by")) op->by = ParseNamedList();
    return op;
  }
  if (name == "sort" || name == "order") {
    auto op = std::make_unique<SortOp>();
    op->params = ParseParams();
    if (ExpectWord("by")) op->keys = ParseSortKeys();
    return op;
  }
  if (name == "top") {
    auto op = std::make_unique<TopOp>();
    op->params = ParseParams();
    op->count = ParseExpr();
    if (ExpectWord("by")) op->keys = ParseSortKeys();
    return op;
  }
  if (name == "top-nested") return ParseTopNested(start, name);
  if (name == "top-hitters") {
    auto op = std::make_unique<TopHittersOp>();
    op->params = ParseParams();
    op->count = ParseExpr();
    if (ExpectWord("of")) op->of = ParseExpr();
    if (AcceptWord("by")) op->by = ParseExpr();
    return op;
  }
  if (name == "take" || name == "limit" || name == "sample") {
    auto op = std::make_unique<TakeOp>(name == "sample" ? OperatorKind::kSample : OperatorKind::kTake);
    op->params = ParseParams();
    op->count = ParseExpr();
    return op;
  }
  if (name == "sample-distinct") {
    auto op = std::make_unique<SampleDistinctOp>();
    op->params = ParseParams();
    op->count = ParseExpr();
    if (ExpectWord("of")) op->of = ParseExpr();
    return op;
  }
  if (name == "distinct") {
    auto op = std::make_unique<DistinctOp>();
    op->params = ParseParams();
    if (At(TokenKind::kStar) && (PeekTok(1).kind != TokenKind::kIdentifier || !PeekAdjacent(1))) {
      NamedExpr star;
      star.span = Cur().span;
      star.expr = MakeExpr<StarExpr>(Advance().span);
      op->columns.push_back(std::move(star));
    } else {
      op->columns = ParseNamedList();
    }
    return op;
  }
  if (name == "count" || name == "getschema" || name == "consume") {
    const OperatorKind kind = name == "count"       ? OperatorKind::kCount
                              : name == "getschema" ? OperatorKind::kGetSchema
                                                    : OperatorKind::kConsume;
    auto op = std::make_unique<SimpleOp>(kind);
    op->params = ParseParams({"decodeblocks", "kind"});
    return op;
  }
  if (name == "as") {
    auto op = std::make_unique<AsOp>();
    op->params = ParseParams();
    ParseName(&op->alias, &op->alias_span);
    return op;
  }
  if (name == "invoke") {
    auto op = std::make_unique<InvokeOp>();
    if (At(TokenKind::kIdentifier) && PeekTok(1).kind == TokenKind::kLeftParen) {
      op->call = ParseCall(nullptr);
    } else {
      ErrorExpected("a function call");
    }
    return op;
  }
  if (name == "join") return ParseJoin(OperatorKind::kJoin, start, name);
  if (name == "lookup") return ParseJoin(OperatorKind::kLookup, start, name);
  if (name == "union") return ParseUnion(start, name);
  if (name == "mv-expand" || name == "mvexpand") return ParseMvExpand(OperatorKind::kMvExpand, start, name);
  if (name == "mv-apply" || name == "mvapply") return ParseMvExpand(OperatorKind::kMvApply, start, name);
  if (name == "parse") return ParseParse(OperatorKind::kParse, start, name);
  if (name == "parse-where") return ParseParse(OperatorKind::kParseWhere, start, name);
  if (name == "parse-kv") return ParseParse(OperatorKind::kParseKv, start, name);
  if (name == "evaluate") return ParseEvaluate(start, name);
  if (name == "make-series") return ParseMakeSeries(start, name);
  if (name == "search") return ParseSearch(start, name);
  if (name == "render") {
    auto op = std::make_unique<RenderOp>();
    std::string chart;
    SourceSpan chart_span;
    if (ParseName(&chart, &chart_span)) op->chart = std::move(chart);
    op->params = ParseParams();
    if (AcceptWord("with")) op->properties = ParsePropertyList();
    return op;
  }
  if (name == "fork") {
    auto op = std::make_unique<ForkOp>();
    while (At(TokenKind::kLeftParen) || (At(TokenKind::kIdentifier) && PeekTok(1).kind == TokenKind::kAssign)) {
      std::string branch_name;
      if (At(TokenKind::kIdentifier)) {
        branch_name = std::string(Advance().text);
        Advance();
      }
      op->branches.push_back(ParseParenthesizedImplicitPipeline());
      op->branch_names.push_back(std::move(branch_name));
      if (panic_) break;
    }
    if (op->branches.empty()) ErrorExpected("'('");
    return op;
  }
  if (name == "facet") {
    auto op = std::make_unique<FacetOp>();
    if (ExpectWord("by")) op->columns = ParseColumnPatterns(false);
    if (AcceptWord("with")) op->with = ParseParenthesizedImplicitPipeline();
    return op;
  }
  if (name == "partition") {
    auto op = std::make_unique<PartitionOp>();
    op->params = ParseParams();
    if (ExpectWord("by")) {
      auto column = MakeExpr<NameExpr>(Cur().span);
      ParseName(&column->name, &column->span, &column->bracketed);
      op->by = std::move(column);
    }
    for (auto& param : ParseParams()) op->params.push_back(std::move(param));
    if (At(TokenKind::kLeftBrace)) {
      Advance();
      op->legacy_braces = true;
      op->subquery = ToPipeline(ParseExprOrPipeline());
      Expect(TokenKind::kRightBrace);
    } else {
      op->subquery = ParseParenthesizedImplicitPipeline();
    }
    return op;
  }
  if (name == "scan") return ParseScan(start, name);
  if (name == "reduce") {
    auto op = std::make_unique<ReduceOp>();
    op->params = ParseParams({"kind"});
    if (ExpectWord("by")) op->by = ParseExpr();
    if (AcceptWord("with")) {
      do {
        for (auto& param : ParseParams({"*"})) op->with.push_back(std::move(param));
      } while (Accept(TokenKind::kComma));
    }
    return op;
  }
  if (IsGraphOperatorName(name)) return ParseGraphOperator(start, name);
  if (IsGenericOperator(name)) return ParseGeneric(start, name);
  Error(kParseUnknownOperator, SpanFrom(start), "Unknown operator '" + name + "'");
  return nullptr;
}

// =================================================================================================================
// Statements
// =================================================================================================================

}  // namespace kql::syntax
