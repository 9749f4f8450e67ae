// The graph operators: make-graph, graph-match, graph-shortest-paths, graph-mark-components and graph-to-table,
// with the graph pattern notation `(a)-[e*1..3]->(b)<--(c)`, `--`, `<-[e]-`. Names and options are checked by the
// binder (bind_graph.cpp); the parser only keeps the structure.
#include "syntax/grammar_parser.h"
#include "syntax/layer.h"

// GCC 12 reports a false -Wrestrict on `"literal" + std::string` at -O3 (GCC bug 105329).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wrestrict"
#endif

namespace kql::syntax {

bool IsGraphOperatorName(std::string_view name) {
  return name == "make-graph" || name == "graph-match" || name == "graph-shortest-paths" ||
         name == "graph-mark-components" || name == "graph-to-table";
}

OperatorPtr GrammarParser::ParseGraphOperator(const SourceSpan& start, const std::string& name) {
  if (name == "make-graph") return ParseMakeGraph(start);
  if (name == "graph-match" || name == "graph-shortest-paths") {
    auto op = std::make_unique<GraphMatchOp>();
    op->span = start;
    op->name = name;
    op->params = ParseParams({"*"});
    do {
      op->sequences.push_back(ParseGraphPatternSequence());
      if (panic_) return op;
    } while (Accept(TokenKind::kComma));
    if (AcceptWord("where")) op->where = ParseExpr();
    if (AcceptWord("project")) {
      op->has_project = true;
      op->project = ParseNamedList();
    }
    return op;
  }
  if (name == "graph-mark-components") {
    auto op = std::make_unique<GraphMarkComponentsOp>();
    op->params = ParseParams({"*"});
    return op;
  }
  auto op = std::make_unique<GraphToTableOp>();
  do {
    GraphToTablePart part;
    part.span = Cur().span;
    if (AcceptWord("edges")) {
      part.edges = true;
    } else if (!AcceptWord("nodes")) {
      ErrorExpected("'nodes' or 'edges'");
      return op;
    }
    part.params = ParseParams({"*"});
    if (AcceptWord("as")) {
      SourceSpan alias_span;
      ParseName(&part.alias, &alias_span);
    }
    for (auto& param : ParseParams({"*"})) part.params.push_back(std::move(param));
    part.span = SpanFrom(part.span);
    op->parts.push_back(std::move(part));
  } while (Accept(TokenKind::kComma));
  return op;
}

OperatorPtr GrammarParser::ParseMakeGraph(const SourceSpan& start) {
  auto op = std::make_unique<MakeGraphOp>();
  op->span = start;
  if (!ParseName(&op->source, &op->source_span)) return op;
  if (!Expect(TokenKind::kMinus) || !Expect(TokenKind::kMinus) || !Expect(TokenKind::kGreater)) return op;
  if (!ParseName(&op->target, &op->target_span)) return op;
  op->params = ParseParams({"*"});
  if (AcceptWord("with")) {
    do {
      MakeGraphNodes nodes;
      nodes.span = Cur().span;
      ExprPtr table = ParsePostfix();
      // The parentheses around a nodes table only delimit it, as around a join's right side.
      if (table->kind == ExprKind::kParen && table->As<ParenExpr>().inner) {
        table = std::move(table->As<ParenExpr>().inner);
      }
      nodes.table = ToPipeline(std::move(table));
      if (!ExpectWord("on")) return op;
      SourceSpan id_span;
      if (!ParseName(&nodes.id_column, &id_span)) return op;
      nodes.span = SpanFrom(nodes.span);
      op->nodes.push_back(std::move(nodes));
    } while (Accept(TokenKind::kComma));
  }
  for (auto& param : ParseParams({"*"})) op->params.push_back(std::move(param));
  if (AtWord("partitioned") && PeekTok(1).kind == TokenKind::kMinus && PeekIsWord(2, "by") && PeekAdjacent(1) &&
      PeekAdjacent(2)) {
    ReadHyphenatedWord();
    if (!ParseName(&op->partition_column, &op->partition_span)) return op;
    op->partition_body = ParseParenthesizedImplicitPipeline();
  }
  return op;
}

std::vector<GraphPatternElement> GrammarParser::ParseGraphPatternSequence() {
  std::vector<GraphPatternElement> sequence;
  while (true) {
    // A node: `(name)` or `()`.
    GraphPatternElement node;
    node.span = Cur().span;
    if (!Expect(TokenKind::kLeftParen)) return sequence;
    if (!At(TokenKind::kRightParen)) {
      SourceSpan name_span;
      if (!ParseName(&node.name, &name_span)) return sequence;
    }
    if (!Expect(TokenKind::kRightParen)) return sequence;
    node.span = SpanFrom(node.span);
    sequence.push_back(std::move(node));
    // An edge: `-[...]->`, `<-[...]-`, `-[...]-`, `-->`, `<--`, `--`.
    if (!At(TokenKind::kMinus) && !(At(TokenKind::kLess) && PeekTok(1).kind == TokenKind::kMinus)) return sequence;
    GraphPatternElement edge;
    edge.is_edge = true;
    edge.span = Cur().span;
    const bool leftward = Accept(TokenKind::kLess);
    Expect(TokenKind::kMinus);
    if (Accept(TokenKind::kLeftBracket)) {
      if (At(TokenKind::kIdentifier)) {
        SourceSpan name_span;
        ParseName(&edge.name, &name_span);
      }
      if (Accept(TokenKind::kStar)) {
        edge.variable_length = true;
        edge.min_hops = ParseUnary();
        if (!Expect(TokenKind::kDotDot)) return sequence;
        edge.max_hops = ParseUnary();
      }
      if (!Expect(TokenKind::kRightBracket)) return sequence;
    }
    if (!Expect(TokenKind::kMinus)) return sequence;
    const bool rightward = !leftward && Accept(TokenKind::kGreater);
    edge.direction = leftward ? GraphEdgeDirection::kLeft : rightward ? GraphEdgeDirection::kRight : GraphEdgeDirection::kAny;
    edge.span = SpanFrom(edge.span);
    sequence.push_back(std::move(edge));
  }
}

}  // namespace kql::syntax
