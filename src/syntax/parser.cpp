// Recursive-descent parser for KQL.
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
// statement can therefore report its own error, and the tree keeps ErrorExpr placeholders.
#include "syntax/parser.h"

#include <charconv>
#include <initializer_list>
#include <cmath>
#include <limits>
#include <utility>

#include "syntax/diagnostic_codes.h"
#include "syntax/lexer.h"

namespace kql {
namespace {

// Longest chain of binary operators before the tree is considered too deep to process safely.
constexpr int kMaxOperatorChain = 4000;

constexpr int64_t kTicksPerMicrosecond = 10;
constexpr int64_t kTicksPerMillisecond = 10'000;
constexpr int64_t kTicksPerSecond = 10'000'000;

int64_t TicksPerUnit(std::string_view unit, double* fraction_of_tick) {
  *fraction_of_tick = 0;
  if (unit == "d" || unit == "day" || unit == "days") return 24 * 3600 * kTicksPerSecond;
  if (unit == "h" || unit == "hr" || unit == "hrs" || unit == "hour" || unit == "hours") return 3600 * kTicksPerSecond;
  if (unit == "m" || unit == "min" || unit == "minute" || unit == "minutes") return 60 * kTicksPerSecond;
  if (unit == "s" || unit == "sec" || unit == "second" || unit == "seconds") return kTicksPerSecond;
  if (unit == "ms" || unit.substr(0, 5) == "milli") return kTicksPerMillisecond;
  if (unit.substr(0, 5) == "micro") return kTicksPerMicrosecond;
  if (unit == "tick" || unit == "ticks") return 1;
  if (unit.substr(0, 4) == "nano") {
    *fraction_of_tick = 0.01;
    return 0;
  }
  if (unit == "hs") return 1;
  return 0;
}

// Operators the parser accepts without structure.
bool IsGenericOperator(std::string_view name) {
  return name == "make-graph" || name.substr(0, 6) == "graph-" || name == "assert-schema" ||
         name == "execute-and-cache" || name == "macro-expand" || name == "project-by-names";
}

class Parser {
 public:
  Parser(std::string_view text, DiagnosticBag& diagnostics)
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
    explicit DepthGuard(Parser& parser) : parser_(parser) {
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
    Parser& parser_;
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

// =================================================================================================================
// Expressions
// =================================================================================================================

ExprPtr Parser::ParseExpr() {
  DepthGuard guard(*this);
  if (guard.too_deep()) return MakeError(Cur().span);
  return ParseOr();
}

ExprPtr Parser::ParseOr() {
  ExprPtr left = ParseAnd();
  int chain = 0;
  while (AtWord("or")) {
    if (++chain > kMaxOperatorChain) {
      ReportTooDeep();
      break;
    }
    const SourceSpan op_span = Advance().span;
    auto node = MakeExpr<BinaryExpr>(left->span);
    node->op = BinaryOp::kOr;
    node->op_span = op_span;
    node->left = std::move(left);
    node->right = ParseAnd();
    node->span = SpanFrom(node->span);
    left = std::move(node);
  }
  return left;
}

ExprPtr Parser::ParseAnd() {
  ExprPtr left = ParseComparison();
  int chain = 0;
  while (AtWord("and")) {
    if (++chain > kMaxOperatorChain) {
      ReportTooDeep();
      break;
    }
    const SourceSpan op_span = Advance().span;
    auto node = MakeExpr<BinaryExpr>(left->span);
    node->op = BinaryOp::kAnd;
    node->op_span = op_span;
    node->left = std::move(left);
    node->right = ParseComparison();
    node->span = SpanFrom(node->span);
    left = std::move(node);
  }
  return left;
}

// Recognises a comparison or string operator at the current position without consuming it.
bool Parser::MatchComparisonOperator(BinaryOp* op, InOp* in_op, bool* is_in, bool* is_between, bool* negated,
                                     size_t* length) {
  *is_in = false;
  *is_between = false;
  *negated = false;
  *length = 1;
  switch (Cur().kind) {
    case TokenKind::kEqual: *op = BinaryOp::kEqual; return true;
    case TokenKind::kNotEqual:
    case TokenKind::kLessGreater: *op = BinaryOp::kNotEqual; return true;
    case TokenKind::kLess: *op = BinaryOp::kLess; return true;
    case TokenKind::kLessEqual: *op = BinaryOp::kLessEqual; return true;
    case TokenKind::kGreater: *op = BinaryOp::kGreater; return true;
    case TokenKind::kGreaterEqual: *op = BinaryOp::kGreaterEqual; return true;
    case TokenKind::kEqualTilde: *op = BinaryOp::kEqualCi; return true;
    case TokenKind::kBangTilde: *op = BinaryOp::kNotEqualCi; return true;
    case TokenKind::kColon:
      if (in_search_predicate_) {
        *op = BinaryOp::kHas;
        return true;
      }
      return false;
    default: break;
  }
  size_t word_index = 0;
  if (At(TokenKind::kBang)) {
    if (PeekTok(1).kind != TokenKind::kIdentifier || !PeekAdjacent(1)) return false;
    *negated = true;
    word_index = 1;
  } else if (!At(TokenKind::kIdentifier)) {
    return false;
  }
  const std::string_view word = PeekTok(word_index).text;
  *length = word_index + 1;
  const bool neg = *negated;
  if (word == "in") {
    *is_in = true;
    const bool ci = PeekTok(word_index + 1).kind == TokenKind::kTilde && PeekAdjacent(word_index + 1);
    if (ci) *length += 1;
    *in_op = neg ? (ci ? InOp::kNotInCi : InOp::kNotIn) : (ci ? InOp::kInCi : InOp::kIn);
    return true;
  }
  if (word == "between") {
    *is_between = true;
    return true;
  }
  if (!neg) {
    if (word == "has_any") { *is_in = true; *in_op = InOp::kHasAny; return true; }
    if (word == "has_all") { *is_in = true; *in_op = InOp::kHasAll; return true; }
    if (word == "matches") {
      if (!PeekIsWord(1, "regex")) return false;
      *op = BinaryOp::kMatchesRegex;
      *length = 2;
      return true;
    }
    if (word == "containscs") { *op = BinaryOp::kContainsCs; return true; }
    if (word == "notcontains") { *op = BinaryOp::kNotContains; return true; }
    if (word == "notcontainscs") { *op = BinaryOp::kNotContainsCs; return true; }
    if (word == "nothas") { *op = BinaryOp::kNotHas; return true; }
    if (word == "nothascs") { *op = BinaryOp::kNotHasCs; return true; }
    if (word == "hascs") { *op = BinaryOp::kHasCs; return true; }
    if (word == "notstartswith") { *op = BinaryOp::kNotStartsWith; return true; }
    if (word == "notendswith") { *op = BinaryOp::kNotEndsWith; return true; }
  }
  struct Entry {
    std::string_view word;
    BinaryOp positive;
    BinaryOp negative;
  };
  static constexpr Entry kEntries[] = {
      {"has", BinaryOp::kHas, BinaryOp::kNotHas},
      {"has_cs", BinaryOp::kHasCs, BinaryOp::kNotHasCs},
      {"hasprefix", BinaryOp::kHasPrefix, BinaryOp::kNotHasPrefix},
      {"hasprefix_cs", BinaryOp::kHasPrefixCs, BinaryOp::kNotHasPrefixCs},
      {"hassuffix", BinaryOp::kHasSuffix, BinaryOp::kNotHasSuffix},
      {"hassuffix_cs", BinaryOp::kHasSuffixCs, BinaryOp::kNotHasSuffixCs},
      {"contains", BinaryOp::kContains, BinaryOp::kNotContains},
      {"contains_cs", BinaryOp::kContainsCs, BinaryOp::kNotContainsCs},
      {"startswith", BinaryOp::kStartsWith, BinaryOp::kNotStartsWith},
      {"startswith_cs", BinaryOp::kStartsWithCs, BinaryOp::kNotStartsWithCs},
      {"endswith", BinaryOp::kEndsWith, BinaryOp::kNotEndsWith},
      {"endswith_cs", BinaryOp::kEndsWithCs, BinaryOp::kNotEndsWithCs},
  };
  for (const Entry& entry : kEntries) {
    if (entry.word == word) {
      *op = neg ? entry.negative : entry.positive;
      return true;
    }
  }
  return false;
}

namespace {

// Kusto's three non-associative comparison levels, loosest first: equality (==, !=, in, between, has_any),
// relational (<, <=, >, >=), then string operators (=~, !~, has, contains, startswith, matches regex, ...).
enum class ComparisonLevel { kEquality, kRelational, kString };

ComparisonLevel LevelOf(BinaryOp op, bool is_in_or_between) {
  if (is_in_or_between || op == BinaryOp::kEqual || op == BinaryOp::kNotEqual) return ComparisonLevel::kEquality;
  if (op == BinaryOp::kLess || op == BinaryOp::kLessEqual || op == BinaryOp::kGreater ||
      op == BinaryOp::kGreaterEqual) {
    return ComparisonLevel::kRelational;
  }
  return ComparisonLevel::kString;
}

}  // namespace

ExprPtr Parser::ParseComparison() { return ParseComparisonLevel(0); }

// Parses one comparison level: an operand of the next tighter level, then at most one operator of this level.
ExprPtr Parser::ParseComparisonLevel(int level_index) {
  if (level_index > 2) return ParseAdditive();
  const auto level = static_cast<ComparisonLevel>(level_index);
  ExprPtr left = ParseComparisonLevel(level_index + 1);
  BinaryOp op = BinaryOp::kEqual;
  InOp in_op = InOp::kIn;
  bool is_in = false;
  bool is_between = false;
  bool negated = false;
  size_t length = 0;
  if (!MatchComparisonOperator(&op, &in_op, &is_in, &is_between, &negated, &length)) return left;
  if (LevelOf(op, is_in || is_between) != level) return left;
  const SourceSpan op_start = Cur().span;
  for (size_t i = 0; i < length; ++i) Advance();
  const SourceSpan op_span = SpanFrom(op_start);
  if (is_in) return ParseInOperand(in_op, std::move(left), op_span);
  if (is_between) {
    auto node = MakeExpr<BetweenExpr>(left->span);
    node->negated = negated;
    node->operand = std::move(left);
    if (Expect(TokenKind::kLeftParen)) {
      node->low = ParseExpr();
      if (Expect(TokenKind::kDotDot)) node->high = ParseExpr();
      Expect(TokenKind::kRightParen);
    }
    if (!node->low) node->low = MakeError(Cur().span);
    if (!node->high) node->high = MakeError(Cur().span);
    node->span = SpanFrom(node->span);
    return node;
  }
  auto node = MakeExpr<BinaryExpr>(left->span);
  node->op = op;
  node->op_span = op_span;
  node->left = std::move(left);
  node->right = ParseComparisonLevel(level_index + 1);
  node->span = SpanFrom(node->span);
  return node;
}

ExprPtr Parser::ParseInOperand(InOp op, ExprPtr left, const SourceSpan& op_span) {
  auto node = MakeExpr<InExpr>(left->span);
  node->op = op;
  node->op_span = op_span;
  node->left = std::move(left);
  if (Accept(TokenKind::kLeftParen)) {
    if (!At(TokenKind::kRightParen)) {
      do {
        node->items.push_back(ParseExprOrPipeline());
      } while (Accept(TokenKind::kComma));
    }
    Expect(TokenKind::kRightParen);
  } else {
    ErrorExpected("'('");
  }
  node->span = SpanFrom(node->span);
  return node;
}

ExprPtr Parser::ParseAdditive() {
  ExprPtr left = ParseMultiplicative();
  int chain = 0;
  while (At(TokenKind::kPlus) || At(TokenKind::kMinus)) {
    if (++chain > kMaxOperatorChain) {
      ReportTooDeep();
      break;
    }
    const Token& token = Advance();
    auto node = MakeExpr<BinaryExpr>(left->span);
    node->op = token.kind == TokenKind::kPlus ? BinaryOp::kAdd : BinaryOp::kSubtract;
    node->op_span = token.span;
    node->left = std::move(left);
    node->right = ParseMultiplicative();
    node->span = SpanFrom(node->span);
    left = std::move(node);
  }
  return left;
}

ExprPtr Parser::ParseMultiplicative() {
  ExprPtr left = ParseUnary();
  int chain = 0;
  while (At(TokenKind::kStar) || At(TokenKind::kSlash) || At(TokenKind::kPercent)) {
    if (++chain > kMaxOperatorChain) {
      ReportTooDeep();
      break;
    }
    const Token& token = Advance();
    auto node = MakeExpr<BinaryExpr>(left->span);
    node->op = token.kind == TokenKind::kStar    ? BinaryOp::kMultiply
               : token.kind == TokenKind::kSlash ? BinaryOp::kDivide
                                                 : BinaryOp::kModulo;
    node->op_span = token.span;
    node->left = std::move(left);
    node->right = ParseUnary();
    node->span = SpanFrom(node->span);
    left = std::move(node);
  }
  return left;
}

ExprPtr Parser::ParseUnary() {
  if (At(TokenKind::kMinus) || At(TokenKind::kPlus)) {
    DepthGuard guard(*this);
    if (guard.too_deep()) return MakeError(Cur().span);
    const Token& token = Advance();
    auto node = MakeExpr<UnaryExpr>(token.span);
    node->op = token.kind == TokenKind::kMinus ? UnaryOp::kNegate : UnaryOp::kPlus;
    // Kusto does not stack signs: `- -1` is an error, `-(-1)` is fine.
    node->operand = ParsePostfix();
    node->span = SpanFrom(node->span);
    return node;
  }
  return ParsePostfix();
}

ExprPtr Parser::ParsePostfix() {
  ExprPtr expr = ParsePrimary();
  int chain = 0;
  while (true) {
    if (++chain > kMaxOperatorChain) {
      ReportTooDeep();
      break;
    }
    if (At(TokenKind::kDot)) {
      if (PeekTok(1).kind == TokenKind::kIdentifier) {
        Advance();
        if (PeekTok(1).kind == TokenKind::kLeftParen) {
          const SourceSpan start = expr->span;
          auto call = ParseCall(std::move(expr));
          call->span = SpanFrom(start);
          expr = std::move(call);
          continue;
        }
        const Token& member = Advance();
        auto node = MakeExpr<MemberExpr>(expr->span);
        node->member = std::string(member.text);
        node->member_span = member.span;
        node->target = std::move(expr);
        node->span = SpanFrom(node->span);
        expr = std::move(node);
        continue;
      }
      if (PeekTok(1).kind == TokenKind::kLeftBracket && PeekTok(2).kind != TokenKind::kString) {
        // a.[0] is the same as a[0].
        Advance();
        continue;
      }
      if (PeekTok(1).kind == TokenKind::kLeftBracket && PeekTok(2).kind == TokenKind::kString &&
          PeekTok(3).kind == TokenKind::kRightBracket) {
        Advance();
        Advance();
        const Token& member = Advance();
        Advance();
        auto node = MakeExpr<MemberExpr>(expr->span);
        node->member = member.value;
        node->member_span = member.span;
        node->target = std::move(expr);
        node->span = SpanFrom(node->span);
        expr = std::move(node);
        continue;
      }
      break;
    }
    if (At(TokenKind::kLeftBracket)) {
      Advance();
      auto node = MakeExpr<IndexExpr>(expr->span);
      node->target = std::move(expr);
      node->index = ParseExpr();
      Expect(TokenKind::kRightBracket);
      node->span = SpanFrom(node->span);
      expr = std::move(node);
      continue;
    }
    break;
  }
  return expr;
}

std::unique_ptr<CallExpr> Parser::ParseCall(ExprPtr target) {
  const Token& name = Advance();
  auto call = std::make_unique<CallExpr>();
  call->span = name.span;
  call->name = std::string(name.text);
  call->name_span = name.span;
  call->target = std::move(target);
  Expect(TokenKind::kLeftParen);
  if (!At(TokenKind::kRightParen)) {
    do {
      std::string arg_name;
      if (At(TokenKind::kIdentifier) && PeekTok(1).kind == TokenKind::kAssign) {
        arg_name = std::string(Advance().text);
        Advance();
      }
      if (At(TokenKind::kStar) &&
          (PeekTok(1).kind == TokenKind::kRightParen || PeekTok(1).kind == TokenKind::kComma)) {
        call->args.push_back(MakeExpr<StarExpr>(Advance().span));
      } else {
        call->args.push_back(ParseExprOrPipeline());
      }
      call->arg_names.push_back(std::move(arg_name));
    } while (Accept(TokenKind::kComma));
  }
  Expect(TokenKind::kRightParen);
  call->span = SpanFrom(call->span);
  return call;
}

ExprPtr Parser::ParsePrimary() {
  const Token& token = Cur();
  const SourceSpan start = token.span;
  switch (token.kind) {
    case TokenKind::kLong:
    case TokenKind::kReal:
    case TokenKind::kTimeSpan: return ParseNumberLiteral();
    case TokenKind::kString: return ParseStringLiteral();
    case TokenKind::kTypedLiteral: return ParseTypedLiteralToken();
    case TokenKind::kStar: {
      Advance();
      return MakeExpr<StarExpr>(start);
    }
    case TokenKind::kLeftParen: {
      DepthGuard guard(*this);
      if (guard.too_deep()) return MakeError(start);
      Advance();
      auto node = MakeExpr<ParenExpr>(start);
      node->inner = ParseExprOrPipeline();
      Expect(TokenKind::kRightParen);
      node->span = SpanFrom(start);
      return node;
    }
    case TokenKind::kLeftBracket: {
      if (AtBracketedName()) {
        auto node = MakeExpr<NameExpr>(start);
        ParseName(&node->name, &node->span, &node->bracketed);
        return node;
      }
      break;
    }
    case TokenKind::kIdentifier: {
      const std::string_view word = token.text;
      const bool call_follows = PeekTok(1).kind == TokenKind::kLeftParen;
      // Bool literals: true, True, TRUE and the same for false.
      const bool is_true = word == "true" || word == "True" || word == "TRUE";
      if (is_true || word == "false" || word == "False" || word == "FALSE") {
        Advance();
        auto node = MakeExpr<LiteralExpr>(start);
        node->literal_kind = LiteralKind::kBool;
        node->raw = std::string(word);
        node->text = node->raw;
        node->int_value = is_true ? 1 : 0;
        return node;
      }
      if (word == "null" && !call_follows) {
        Advance();
        auto node = MakeExpr<LiteralExpr>(start);
        node->literal_kind = LiteralKind::kNull;
        node->raw = "null";
        node->is_null = true;
        return node;
      }
      if (call_follows && (word == "bool" || word == "boolean" || word == "int" || word == "long" ||
                           word == "real" || word == "double" || word == "decimal")) {
        return ParseScalarTypedLiteral();
      }
      if (call_follows && word == "typeof") return ParseTypeOf();
      if (call_follows) {
        auto call = ParseCall(nullptr);
        return call;
      }
      Advance();
      auto node = MakeExpr<NameExpr>(start);
      node->name = std::string(word);
      return node;
    }
    default: break;
  }
  Error(kParseExpectedExpression, token.span, "Expected an expression but found " + Describe(token));
  return MakeError(start);
}

ExprPtr Parser::ParseNumberLiteral() {
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

ExprPtr Parser::ParseStringLiteral() {
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

ExprPtr Parser::ParseTypedLiteralToken() {
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
ExprPtr Parser::ParseScalarTypedLiteral() {
  const Token& keyword_token = Advance();
  const std::string_view keyword = keyword_token.text;
  auto node = MakeExpr<LiteralExpr>(keyword_token.span);
  Advance();  // (
  const uint32_t inner_start = Cur().span.offset;
  bool negative = false;
  bool valid = false;
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
      node->int_value = static_cast<int64_t>(negative ? -*literal.real_value : *literal.real_value);
      valid = true;
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
  if (!valid) {
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

ExprPtr Parser::ParseTypeOf() {
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

std::string Parser::ParseTypeName() {
  if (At(TokenKind::kIdentifier)) return std::string(Advance().text);
  if (At(TokenKind::kTypedLiteral)) {
    // `x:dynamic` followed by something in parentheses is never valid; report it clearly.
    ErrorExpected("a type name");
    return "";
  }
  ErrorExpected("a type name");
  return "";
}

bool Parser::ParseColumnDecl(ColumnDecl* decl) {
  const SourceSpan start = Cur().span;
  if (!ParseName(&decl->name, &decl->span)) return false;
  if (!Expect(TokenKind::kColon)) return false;
  decl->type = ParseTypeName();
  decl->span = SpanFrom(start);
  return !decl->type.empty();
}

std::vector<ColumnDecl> Parser::ParseSchema() {
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
ExprPtr Parser::ParseExprOrPipeline() {
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

ExprPtr Parser::ParseParamValue() {
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
std::vector<OperatorParam> Parser::ParseParams(std::initializer_list<std::string_view> allowed) {
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

NamedExpr Parser::ParseNamedExpr() {
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

std::vector<NamedExpr> Parser::ParseNamedList() {
  std::vector<NamedExpr> items;
  do {
    items.push_back(ParseNamedExpr());
  } while (Accept(TokenKind::kComma));
  return items;
}

SortTerm Parser::ParseSortKey() {
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

std::vector<SortTerm> Parser::ParseSortKeys() {
  std::vector<SortTerm> keys;
  do {
    keys.push_back(ParseSortKey());
  } while (Accept(TokenKind::kComma));
  return keys;
}

// `( name = value, ... )` where a value may be followed by more comma-separated values (ycolumns = a, b).
std::vector<OperatorParam> Parser::ParsePropertyList() {
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

bool Parser::AtTabularKeyword() const {
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

OperatorPtr Parser::ParseSourceKeyword() {
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

OperatorPtr Parser::ExprToSource(ExprPtr expr) {
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

PipelinePtr Parser::ToPipeline(ExprPtr expr) {
  if (expr->kind == ExprKind::kTabular) return std::move(expr->As<TabularExpr>().pipeline);
  auto pipeline = std::make_unique<Pipeline>();
  pipeline->span = expr->span;
  pipeline->source = ExprToSource(std::move(expr));
  return pipeline;
}

void Parser::ParsePipelineTail(Pipeline& pipeline) {
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
PipelinePtr Parser::ParseImplicitPipeline() {
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

PipelinePtr Parser::ParseParenthesizedImplicitPipeline() {
  if (!Expect(TokenKind::kLeftParen)) return std::make_unique<Pipeline>();
  PipelinePtr pipeline = ParseImplicitPipeline();
  Expect(TokenKind::kRightParen);
  return pipeline;
}

OperatorPtr Parser::ParseOperator() {
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

PipelinePtr Parser::ParseTableItem() {
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

std::vector<PipelinePtr> Parser::ParseTableList() {
  std::vector<PipelinePtr> tables;
  do {
    tables.push_back(ParseTableItem());
  } while (Accept(TokenKind::kComma));
  return tables;
}

OperatorPtr Parser::ParseUnion(const SourceSpan& start, const std::string& name) {
  auto op = std::make_unique<UnionOp>();
  op->span = start;
  op->name = name;
  op->params = ParseParams({"kind", "withsource", "isfuzzy"});
  op->tables = ParseTableList();
  return op;
}

OperatorPtr Parser::ParseDatatable(const SourceSpan& start) {
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

OperatorPtr Parser::ParsePrint(const SourceSpan& start) {
  auto op = std::make_unique<PrintOp>();
  op->span = start;
  op->name = "print";
  if (!At(TokenKind::kPipe) && !At(TokenKind::kSemicolon) && !At(TokenKind::kEnd) && !At(TokenKind::kRightParen)) {
    op->columns = ParseNamedList();
  }
  return op;
}

OperatorPtr Parser::ParseRange(const SourceSpan& start) {
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

OperatorPtr Parser::ParseExternalData(const SourceSpan& start, const std::string& name) {
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

OperatorPtr Parser::ParseFind(const SourceSpan& start) {
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

OperatorPtr Parser::ParseSearch(const SourceSpan& start, const std::string& name) {
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

OperatorPtr Parser::ParseEvaluate(const SourceSpan& start, const std::string& name) {
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

OperatorPtr Parser::ParseJoin(OperatorKind kind, const SourceSpan& start, const std::string& name) {
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

OperatorPtr Parser::ParseMvExpand(OperatorKind kind, const SourceSpan& start, const std::string& name) {
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

OperatorPtr Parser::ParseParse(OperatorKind kind, const SourceSpan& start, const std::string& name) {
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

OperatorPtr Parser::ParseMakeSeries(const SourceSpan& start, const std::string& name) {
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

OperatorPtr Parser::ParseTopNested(const SourceSpan& start, const std::string& name) {
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

OperatorPtr Parser::ParseScan(const SourceSpan& start, const std::string& name) {
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

OperatorPtr Parser::ParseGeneric(const SourceSpan& start, const std::string& name) {
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

ColumnPattern Parser::ParseColumnPattern(bool allow_order) {
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

std::vector<ColumnPattern> Parser::ParseColumnPatterns(bool allow_order) {
  std::vector<ColumnPattern> patterns;
  do {
    patterns.push_back(ParseColumnPattern(allow_order));
  } while (Accept(TokenKind::kComma));
  return patterns;
}

OperatorPtr Parser::ParseNamedOperator(const std::string& name, const SourceSpan& start) {
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
  if (IsGenericOperator(name)) return ParseGeneric(start, name);
  Error(kParseUnknownOperator, SpanFrom(start), "Unknown operator '" + name + "'");
  return nullptr;
}

// =================================================================================================================
// Statements
// =================================================================================================================

bool Parser::AtStatementKeyword() const {
  if (AtWord("let")) return NameLength(1) > 0;
  if (AtWord("set")) return PeekTok(1).kind == TokenKind::kIdentifier;
  if (AtWord("declare")) return PeekIsWord(1, "query_parameters") || PeekIsWord(1, "pattern");
  if (AtWord("alias")) return PeekIsWord(1, "database");
  if (AtWord("restrict")) return PeekIsWord(1, "access");
  return false;
}

bool Parser::AtLambda() const {
  if (!At(TokenKind::kLeftParen)) return false;
  if (PeekTok(1).kind == TokenKind::kRightParen) return PeekTok(2).kind == TokenKind::kLeftBrace;
  const size_t length = NameLength(1);
  return length > 0 && PeekTok(1 + length).kind == TokenKind::kColon;
}

std::vector<FunctionParam> Parser::ParseParamList() {
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

std::unique_ptr<QueryBlock> Parser::ParseBlockBody() {
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

ExprPtr Parser::ParseLambda(bool is_view, const SourceSpan& start) {
  DepthGuard guard(*this);
  if (guard.too_deep()) return MakeError(start);
  auto node = MakeExpr<FunctionDeclExpr>(start);
  node->is_view = is_view;
  node->params = ParseParamList();
  node->body = ParseBlockBody();
  node->span = SpanFrom(start);
  return node;
}

Statement Parser::ParseStatement() {
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

Query Parser::ParseQuery() {
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

ExprPtr Parser::ParseStandaloneExpression() {
  ExprPtr expr = ParseExpr();
  if (!panic_ && !At(TokenKind::kEnd)) {
    Error(kParseUnexpectedToken, Cur().span, "Unexpected " + Describe(Cur()) + " after the expression");
  }
  return expr;
}

}  // namespace

ParseResult Parse(std::string_view text) {
  ParseResult result;
  Parser parser(text, result.diagnostics);
  result.query = parser.ParseQuery();
  return result;
}

ExpressionParseResult ParseExpression(std::string_view text) {
  ExpressionParseResult result;
  Parser parser(text, result.diagnostics);
  result.expr = parser.ParseStandaloneExpression();
  return result;
}

}  // namespace kql
