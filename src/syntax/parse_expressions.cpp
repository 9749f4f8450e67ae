// Scalar expressions: precedence levels from `or` down to postfix and primary, calls, in/between operands.
#include "syntax/grammar_parser.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <utility>
#include "syntax/layer.h"

namespace kql::syntax {

ExprPtr GrammarParser::ParseExpr() {
  DepthGuard guard(*this);
  if (guard.too_deep()) return MakeError(Cur().span);
  return ParseOr();
}

ExprPtr GrammarParser::ParseOr() {
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

ExprPtr GrammarParser::ParseAnd() {
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
bool GrammarParser::MatchComparisonOperator(BinaryOp* op, InOp* in_op, bool* is_in, bool* is_between, bool* negated,
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

ExprPtr GrammarParser::ParseComparison() { return ParseComparisonLevel(0); }

// Parses one comparison level: an operand of the next tighter level, then at most one operator of this level.
ExprPtr GrammarParser::ParseComparisonLevel(int level_index) {
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

ExprPtr GrammarParser::ParseInOperand(InOp op, ExprPtr left, const SourceSpan& op_span) {
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

ExprPtr GrammarParser::ParseAdditive() {
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

ExprPtr GrammarParser::ParseMultiplicative() {
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

ExprPtr GrammarParser::ParseUnary() {
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

ExprPtr GrammarParser::ParsePostfix() {
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

std::unique_ptr<CallExpr> GrammarParser::ParseCall(ExprPtr target) {
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

ExprPtr GrammarParser::ParsePrimary() {
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

}  // namespace kql::syntax
