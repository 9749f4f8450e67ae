// GrammarParser: the recursive-descent parser behind syntax/parser.h, shared by the files that parse each grammar
// area (parse_expressions.cpp, parse_literals.cpp, parse_operator_arguments.cpp, parse_sources.cpp,
// parse_tabular_operators.cpp, parse_graph_operators.cpp, parse_statements.cpp). Internal to the syntax layer: use
// Parse()/ParseExpression().
//
// Diagnostic codes (the authoritative table is syntax/diagnostics.def):
//   KQL1001  Unterminated string literal                      (lexer)
//   KQL1002  Invalid character                                (lexer)
//   KQL1003  (retired; `5Minutebin` is an identifier)
//   KQL1004  Expected ')' to close a datetime/guid/dynamic    (lexer)
//   KQL1005  Invalid escape sequence                          (lexer)
//   KQL1101  Expected <token> but found <token>
//   KQL1102  Expected an expression but found <token>
//   KQL1103  Unknown operator '<name>'
//   KQL1104  Operator '<name>' is not supported
//   KQL1105  Expected a tabular expression
//   KQL1106  Query is nested too deeply
//   KQL1107  Unexpected <token>
//   KQL1108  Invalid typed literal
//   KQL1109  '*' is not allowed here
//   KQL1110  Expected a name but found <token>
//   KQL1111  Expected an operator after '|'
//
// Error recovery: the first error inside an operator or statement puts the parser in panic mode, which silences
// follow-on errors until it resynchronises at a `|`, `;`, or an unbalanced `)`/`}`/`]`. Each operator and each
#pragma once
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "syntax/diagnostic_codes.h"
#include "syntax/lexer.h"
#include "syntax/parser.h"
#include "syntax/layer.h"

namespace kql::syntax {

/// Longest chain of binary operators before the tree is considered too deep to process safely.
inline constexpr int kMaxOperatorChain = 4000;

inline constexpr int64_t kTicksPerMicrosecond = 10;
inline constexpr int64_t kTicksPerMillisecond = 10'000;
inline constexpr int64_t kTicksPerSecond = 10'000'000;

/// Ticks in one `unit` of a timespan literal (0 when unknown); nanoseconds set *fraction_of_tick instead.
int64_t TicksPerUnit(std::string_view unit, double* fraction_of_tick);

/// True for the operators the parser accepts without structure (graph-*, make-graph, ...).
bool IsGenericOperator(std::string_view name);
/// True for make-graph, graph-match, graph-shortest-paths, graph-mark-components, graph-to-table.
bool IsGraphOperatorName(std::string_view name);

/// The parser state (tokens, position, diagnostics, panic mode) and one method per grammar rule.
class GrammarParser {
 public:
  GrammarParser(std::string_view text, DiagnosticBag& diagnostics)
      : text_(text), diagnostics_(diagnostics), tokens_(Lex(text, diagnostics)) {}

  Query ParseQuery();
  ExprPtr ParseStandaloneExpression();

 private:
  // ---- Token access -------------------------------------------------------------------------------------------
  const Token& Cur() const { return tokens_[pos_]; }
  const Token& PeekTok(size_t ahead) const {
    const size_t index = pos_ + ahead;
    return index < tokens_.size() ? tokens_[index] : tokens_.back();
  }
  bool At(TokenKind kind) const { return Cur().kind == kind; }
  bool AtWord(std::string_view word) const { return Cur().kind == TokenKind::kIdentifier && Cur().text == word; }
  bool PeekIsWord(size_t ahead, std::string_view word) const {
    return PeekTok(ahead).kind == TokenKind::kIdentifier && PeekTok(ahead).text == word;
  }
  // True when token `ahead` starts exactly where token `ahead - 1` ends.
  bool PeekAdjacent(size_t ahead) const {
    if (ahead == 0) return true;
    return PeekTok(ahead).span.offset == PeekTok(ahead - 1).End() && PeekTok(ahead).kind != TokenKind::kEnd;
  }
  const Token& Advance() {
    const Token& token = tokens_[pos_];
    if (pos_ + 1 < tokens_.size()) {
      prev_end_ = token.End();
      ++pos_;
    }
    return token;
  }
  bool Accept(TokenKind kind) {
    if (!At(kind)) return false;
    Advance();
    return true;
  }
  bool AcceptWord(std::string_view word) {
    if (!AtWord(word)) return false;
    Advance();
    return true;
  }
  SourceSpan SpanFrom(const SourceSpan& start) const {
    SourceSpan span = start;
    span.length = prev_end_ > start.offset ? prev_end_ - start.offset : 0;
    return span;
  }
  std::string Describe(const Token& token) const {
    if (token.kind == TokenKind::kEnd) return "end of query";
    std::string_view shown = token.text;
    if (shown.size() > 40) return "'" + std::string(shown.substr(0, 37)) + "...'";
    return "'" + std::string(shown) + "'";
  }

  // ---- Diagnostics --------------------------------------------------------------------------------------------
  void Error(std::string_view code, const SourceSpan& span, std::string message) {
    if (panic_) return;
    panic_ = true;
    diagnostics_.Error(std::string(code), span, std::move(message));
  }
  void ErrorExpected(std::string_view what) {
    Error(kParseExpectedToken, Cur().span, "Expected " + std::string(what) + " but found " + Describe(Cur()));
  }
  bool Expect(TokenKind kind) {
    if (Accept(kind)) return true;
    ErrorExpected(TokenKindDisplay(kind));
    return false;
  }
  bool ExpectWord(std::string_view word) {
    if (AcceptWord(word)) return true;
    ErrorExpected("'" + std::string(word) + "'");
    return false;
  }
  // Skips to a `|`, `;` or unbalanced closer at nesting level zero and leaves panic mode.
  void Synchronize(bool stop_at_pipe = true) {
    int depth = 0;
    while (!At(TokenKind::kEnd)) {
      const TokenKind kind = Cur().kind;
      if (depth == 0) {
        if ((kind == TokenKind::kPipe && stop_at_pipe) || kind == TokenKind::kSemicolon ||
            kind == TokenKind::kRightParen || kind == TokenKind::kRightBrace || kind == TokenKind::kRightBracket) {
          break;
        }
      }
      if (kind == TokenKind::kLeftParen || kind == TokenKind::kLeftBrace || kind == TokenKind::kLeftBracket) ++depth;
      if (kind == TokenKind::kRightParen || kind == TokenKind::kRightBrace || kind == TokenKind::kRightBracket) {
        --depth;
      }
      Advance();
    }
    panic_ = false;
  }

  // Guards recursion; when the limit is hit it reports once and jumps to the end of input.
  class DepthGuard {
   public:
    explicit DepthGuard(GrammarParser& parser) : parser_(parser) {
      ++parser_.depth_;
      if (parser_.depth_ > kMaxParseDepth) {
        too_deep_ = true;
        parser_.ReportTooDeep();
      }
    }
    ~DepthGuard() { --parser_.depth_; }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;
    bool too_deep() const { return too_deep_; }

   private:
    GrammarParser& parser_;
    bool too_deep_ = false;
  };
  void ReportTooDeep() {
    if (!reported_too_deep_) {
      reported_too_deep_ = true;
      panic_ = false;
      Error(kParseTooDeep, Cur().span,
            "Query is nested too deeply (more than " + std::to_string(kMaxParseDepth) + " levels)");
    }
    panic_ = true;
    pos_ = tokens_.size() - 1;
  }

  template <class T>
  std::unique_ptr<T> MakeExpr(const SourceSpan& start) {
    auto node = std::make_unique<T>();
    node->span = start;
    return node;
  }
  ExprPtr MakeError(const SourceSpan& at) {
    auto node = std::make_unique<ErrorExpr>();
    node->span = at;
    node->span.length = 0;
    return node;
  }

  // ---- Names --------------------------------------------------------------------------------------------------
  bool AtBracketedName() const {
    return At(TokenKind::kLeftBracket) && PeekTok(1).kind == TokenKind::kString &&
           PeekTok(2).kind == TokenKind::kRightBracket;
  }
  bool AtName() const { return At(TokenKind::kIdentifier) || AtBracketedName(); }
  // Offset of the token after a name starting at `ahead`.
  size_t NameLength(size_t ahead) const {
    const Token& token = PeekTok(ahead);
    if (token.kind == TokenKind::kIdentifier) return 1;
    if (token.kind == TokenKind::kLeftBracket && PeekTok(ahead + 1).kind == TokenKind::kString &&
        PeekTok(ahead + 2).kind == TokenKind::kRightBracket) {
      return 3;
    }
    return 0;
  }
  // Parses an identifier or ['bracketed name']; reports KQL1110 when absent.
  bool ParseName(std::string* name, SourceSpan* span, bool* bracketed = nullptr) {
    const SourceSpan start = Cur().span;
    if (At(TokenKind::kIdentifier)) {
      *name = std::string(Advance().text);
      *span = start;
      if (bracketed) *bracketed = false;
      return true;
    }
    if (AtBracketedName()) {
      Advance();
      *name = Advance().value;
      Advance();
      *span = SpanFrom(start);
      if (bracketed) *bracketed = true;
      return true;
    }
    Error(kParseExpectedName, Cur().span, "Expected a name but found " + Describe(Cur()));
    return false;
  }
  // Reads a hyphenated word such as `project-away` or `granny-asc` (adjacent tokens only).
  std::string ReadHyphenatedWord() {
    std::string word(Advance().text);
    while (At(TokenKind::kMinus) && PeekAdjacent(0) && Cur().span.offset == prev_end_ &&
           PeekTok(1).kind == TokenKind::kIdentifier && PeekAdjacent(1)) {
      Advance();
      word += "-";
      word += Advance().text;
    }
    return word;
  }
  // Returns the number of tokens of a dotted name (`hint.strategy`) followed by `=` at `ahead`, or 0.
  size_t ParamNameLength(size_t ahead) const {
    size_t length = 0;
    if (PeekTok(ahead).kind != TokenKind::kIdentifier) return 0;
    length = 1;
    while (PeekTok(ahead + length).kind == TokenKind::kDot && PeekTok(ahead + length + 1).kind == TokenKind::kIdentifier) {
      length += 2;
    }
    if (PeekTok(ahead + length).kind != TokenKind::kAssign) return 0;
    return length;
  }

  // ---- Expressions --------------------------------------------------------------------------------------------
  ExprPtr ParseExpr();
  ExprPtr ParseOr();
  ExprPtr ParseAnd();
  ExprPtr ParseComparison();
  ExprPtr ParseComparisonLevel(int level_index);
  ExprPtr ParseAdditive();
  ExprPtr ParseMultiplicative();
  ExprPtr ParseUnary();
  ExprPtr ParsePostfix();
  ExprPtr ParsePrimary();
  ExprPtr ParseNumberLiteral();
  ExprPtr ParseStringLiteral();
  ExprPtr ParseTypedLiteralToken();
  ExprPtr ParseScalarTypedLiteral();
  ExprPtr ParseTypeOf();
  std::unique_ptr<CallExpr> ParseCall(ExprPtr target);
  ExprPtr ParseInOperand(InOp op, ExprPtr left, const SourceSpan& op_span);
  bool MatchComparisonOperator(BinaryOp* op, InOp* in_op, bool* is_in, bool* is_between, bool* negated,
                               size_t* length);
  ExprPtr ParseExprOrPipeline();
  ExprPtr ParseParamValue();
  NamedExpr ParseNamedExpr();
  std::vector<NamedExpr> ParseNamedList();
  SortTerm ParseSortKey();
  std::vector<SortTerm> ParseSortKeys();
  std::vector<OperatorParam> ParseParams(std::initializer_list<std::string_view> allowed = {});
  std::vector<ColumnDecl> ParseSchema();
  bool ParseColumnDecl(ColumnDecl* decl);
  std::string ParseTypeName();
  std::vector<OperatorParam> ParsePropertyList();

  // ---- Tabular ------------------------------------------------------------------------------------------------
  bool AtTabularKeyword() const;
  OperatorPtr ParseSourceKeyword();
  OperatorPtr ExprToSource(ExprPtr expr);
  PipelinePtr ToPipeline(ExprPtr expr);
  void ParsePipelineTail(Pipeline& pipeline);
  PipelinePtr ParseImplicitPipeline();
  PipelinePtr ParseParenthesizedImplicitPipeline();
  OperatorPtr ParseOperator();
  OperatorPtr ParseNamedOperator(const std::string& name, const SourceSpan& start);
  PipelinePtr ParseTableItem();
  std::vector<PipelinePtr> ParseTableList();
  OperatorPtr ParseUnion(const SourceSpan& start, const std::string& name);
  OperatorPtr ParseDatatable(const SourceSpan& start);
  OperatorPtr ParsePrint(const SourceSpan& start);
  OperatorPtr ParseRange(const SourceSpan& start);
  OperatorPtr ParseExternalData(const SourceSpan& start, const std::string& name);
  OperatorPtr ParseFind(const SourceSpan& start);
  OperatorPtr ParseSearch(const SourceSpan& start, const std::string& name);
  OperatorPtr ParseEvaluate(const SourceSpan& start, const std::string& name);
  OperatorPtr ParseJoin(OperatorKind kind, const SourceSpan& start, const std::string& name);
  OperatorPtr ParseMvExpand(OperatorKind kind, const SourceSpan& start, const std::string& name);
  OperatorPtr ParseParse(OperatorKind kind, const SourceSpan& start, const std::string& name);
  OperatorPtr ParseMakeSeries(const SourceSpan& start, const std::string& name);
  OperatorPtr ParseTopNested(const SourceSpan& start, const std::string& name);
  OperatorPtr ParseScan(const SourceSpan& start, const std::string& name);
  OperatorPtr ParseGeneric(const SourceSpan& start, const std::string& name);
  /// The graph operators (parse_graph_operators.cpp).
  OperatorPtr ParseGraphOperator(const SourceSpan& start, const std::string& name);
  OperatorPtr ParseMakeGraph(const SourceSpan& start);
  std::vector<GraphPatternElement> ParseGraphPatternSequence();
  ColumnPattern ParseColumnPattern(bool allow_order);
  std::vector<ColumnPattern> ParseColumnPatterns(bool allow_order);

  // ---- Statements ---------------------------------------------------------------------------------------------
  bool AtStatementKeyword() const;
  Statement ParseStatement();
  bool AtLambda() const;
  ExprPtr ParseLambda(bool is_view, const SourceSpan& start);
  std::vector<FunctionParam> ParseParamList();
  std::unique_ptr<QueryBlock> ParseBlockBody();

  std::string_view text_;
  DiagnosticBag& diagnostics_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  uint32_t prev_end_ = 0;
  int depth_ = 0;
  bool panic_ = false;
  bool reported_too_deep_ = false;
  bool in_search_predicate_ = false;
};

}  // namespace kql::syntax
