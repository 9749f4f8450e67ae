// Binding of scalar expressions: literals, names, operators, function calls, dynamic access; typing and naming.
#include <algorithm>
#include <cctype>
#include <regex>

#include <fmt/format.h>

#include "binder/binder_diagnostic.h"
#include "binder/query_binder.h"
#include "types/datetime.h"
#include "types/dynamic.h"
#include "binder/layer.h"

namespace kql::binder {
namespace {

/// datetime(2025, 6, 14[, h, m, s]): the comma-separated form the KQL docs use in a datetime literal.
std::optional<int64_t> ParseDateTimeParts(std::string_view text) {
  static const std::regex kParts(R"(\s*(\d{1,4})\s*,\s*(\d{1,2})\s*,\s*(\d{1,2})(?:\s*,\s*(\d{1,2})\s*,\s*(\d{1,2})(?:\s*,\s*(\d{1,2}))?)?\s*)");
  std::match_results<std::string_view::const_iterator> match;
  if (!std::regex_match(text.begin(), text.end(), match, kParts)) return std::nullopt;
  auto part = [&](size_t index) { return match[index].matched ? std::stoi(match[index].str()) : 0; };
  std::string iso = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", part(1), part(2), part(3), part(4), part(5), part(6));
  return ParseDateTime(iso);
}

// Dynamic values are accepted where a bool is expected (predicates, and/or, bool arguments), but bool kernels
// read bool payloads; converting with tobool first keeps a dynamic operand from being read as one (SIGSEGV).
BoundExprPtr AsBoolOperand(BoundExprPtr expr) {
  if (expr->type != KqlType::kDynamic) return expr;
  const SourceSpan span = expr->span;
  std::vector<BoundExprPtr> args;
  args.push_back(std::move(expr));
  return BoundExpr::MakeCall("tobool", KqlType::kBool, std::move(args), span);
}

// String operators (has, contains, =~, in~, has_any, matches regex, ...) convert a non-string operand to its string
// form, as Kusto does (`RemotePort contains "44"`, `1 =~ 2`); their kernels read string payloads, so the binder
// inserts the tostring() (without it a long operand was read as strings: SIGSEGV).
BoundExprPtr AsStringOperand(BoundExprPtr expr) {
  if (expr->type == KqlType::kString || expr->type == KqlType::kUnknown) return expr;
  const SourceSpan span = expr->span;
  std::vector<BoundExprPtr> args;
  args.push_back(std::move(expr));
  return BoundExpr::MakeCall("tostring", KqlType::kString, std::move(args), span);
}

// Counts nesting of BindExpr so that hostile input cannot overflow the stack.
class DepthGuard {
 public:
  explicit DepthGuard(int& depth) : depth_(depth) { ++depth_; }
  ~DepthGuard() { --depth_; }
  DepthGuard(const DepthGuard&) = delete;
  DepthGuard& operator=(const DepthGuard&) = delete;

 private:
  int& depth_;
};

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

struct BinarySpelling {
  BinaryOp op;
  std::string_view function;
};

// The canonical BoundExpr function of each binary operator.
constexpr BinarySpelling kBinarySpellings[] = {
    {BinaryOp::kOr, "or"}, {BinaryOp::kAnd, "and"}, {BinaryOp::kEqual, "=="}, {BinaryOp::kNotEqual, "!="},
    {BinaryOp::kLess, "<"}, {BinaryOp::kLessEqual, "<="}, {BinaryOp::kGreater, ">"}, {BinaryOp::kGreaterEqual, ">="},
    {BinaryOp::kEqualCi, "=~"}, {BinaryOp::kNotEqualCi, "!~"}, {BinaryOp::kHas, "has"}, {BinaryOp::kNotHas, "!has"},
    {BinaryOp::kHasCs, "has_cs"}, {BinaryOp::kNotHasCs, "!has_cs"}, {BinaryOp::kHasPrefix, "hasprefix"},
    {BinaryOp::kNotHasPrefix, "!hasprefix"}, {BinaryOp::kHasPrefixCs, "hasprefix_cs"},
    {BinaryOp::kNotHasPrefixCs, "!hasprefix_cs"}, {BinaryOp::kHasSuffix, "hassuffix"},
    {BinaryOp::kNotHasSuffix, "!hassuffix"}, {BinaryOp::kHasSuffixCs, "hassuffix_cs"},
    {BinaryOp::kNotHasSuffixCs, "!hassuffix_cs"}, {BinaryOp::kContains, "contains"},
    {BinaryOp::kNotContains, "!contains"}, {BinaryOp::kContainsCs, "contains_cs"},
    {BinaryOp::kNotContainsCs, "!contains_cs"}, {BinaryOp::kStartsWith, "startswith"},
    {BinaryOp::kNotStartsWith, "!startswith"}, {BinaryOp::kStartsWithCs, "startswith_cs"},
    {BinaryOp::kNotStartsWithCs, "!startswith_cs"}, {BinaryOp::kEndsWith, "endswith"},
    {BinaryOp::kNotEndsWith, "!endswith"}, {BinaryOp::kEndsWithCs, "endswith_cs"},
    {BinaryOp::kNotEndsWithCs, "!endswith_cs"}, {BinaryOp::kMatchesRegex, "matches regex"}, {BinaryOp::kAdd, "+"},
    {BinaryOp::kSubtract, "-"}, {BinaryOp::kMultiply, "*"}, {BinaryOp::kDivide, "/"}, {BinaryOp::kModulo, "%"},
};


std::string_view InFunction(InOp op) {
  switch (op) {
    case InOp::kIn: return "in";
    case InOp::kNotIn: return "!in";
    case InOp::kInCi: return "in~";
    case InOp::kNotInCi: return "!in~";
    case InOp::kHasAny: return "has_any";
    case InOp::kHasAll: return "has_all";
    case InOp::kHasAnyCs: return "has_any_cs";
    case InOp::kHasAllCs: return "has_all_cs";
  }
  return "in";
}

bool IsComparison(BinaryOp op) { return op >= BinaryOp::kEqual && op <= BinaryOp::kNotEqualCi; }
bool IsStringOperator(BinaryOp op) { return op >= BinaryOp::kHas && op <= BinaryOp::kMatchesRegex; }
bool IsArithmetic(BinaryOp op) { return op >= BinaryOp::kAdd; }

// Whether values of two types can be compared with ==, <, ... (dynamic compares with anything).
bool Comparable(KqlType left, KqlType right) {
  if (left == KqlType::kUnknown || right == KqlType::kUnknown) return true;
  if (left == KqlType::kDynamic || right == KqlType::kDynamic) return true;
  if (IsNumeric(left) && IsNumeric(right)) return true;
  // Sentinel rules compare numbers with strings (EventID == "4688"); Kusto accepts it, so does the binder.
  if ((IsNumeric(left) && right == KqlType::kString) || (left == KqlType::kString && IsNumeric(right))) return true;
  auto stringish = [](KqlType type) { return type == KqlType::kString || type == KqlType::kGuid; };
  if (stringish(left) && stringish(right)) return true;
  return left == right;
}

// The result type of arithmetic, or nullopt when the operand types do not combine (Kusto's rules: int arithmetic
// yields long; datetime - datetime is timespan; datetime +- timespan is datetime; timespan * number is timespan).
std::optional<KqlType> ArithmeticType(BinaryOp op, KqlType left, KqlType right) {
  using T = KqlType;
  if (left == T::kUnknown || right == T::kUnknown) return T::kUnknown;
  if (left == T::kDynamic || right == T::kDynamic) return T::kDynamic;
  if (IsNumeric(left) && IsNumeric(right)) {
    return (left == T::kReal || right == T::kReal || left == T::kDecimal || right == T::kDecimal) ? T::kReal : T::kLong;
  }
  switch (op) {
    case BinaryOp::kAdd:
      if (left == T::kDateTime && right == T::kTimeSpan) return T::kDateTime;
      if (left == T::kTimeSpan && right == T::kDateTime) return T::kDateTime;
      if (left == T::kTimeSpan && right == T::kTimeSpan) return T::kTimeSpan;
      return std::nullopt;
    case BinaryOp::kSubtract:
      if (left == T::kDateTime && right == T::kDateTime) return T::kTimeSpan;
      if (left == T::kDateTime && right == T::kTimeSpan) return T::kDateTime;
      if (left == T::kTimeSpan && right == T::kTimeSpan) return T::kTimeSpan;
      return std::nullopt;
    case BinaryOp::kMultiply:
      if ((left == T::kTimeSpan && IsNumeric(right)) || (IsNumeric(left) && right == T::kTimeSpan)) return T::kTimeSpan;
      return std::nullopt;
    case BinaryOp::kDivide:
      if (left == T::kTimeSpan && IsNumeric(right)) return T::kTimeSpan;
      if (left == T::kTimeSpan && right == T::kTimeSpan) return T::kReal;
      return std::nullopt;
    case BinaryOp::kModulo:
      if (left == T::kTimeSpan && right == T::kTimeSpan) return T::kTimeSpan;
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

// Folds arithmetic on constants for the values lets and now()/ago() offsets commonly use (2d * 7, -5d).
BoundExprPtr FoldArithmetic(std::string_view function, KqlType type, BoundExprPtr& left, BoundExprPtr& right) {
  if (left->kind != BoundExprKind::kConstant || right->kind != BoundExprKind::kConstant) return nullptr;
  const Value& a = left->constant;
  const Value& b = right->constant;
  if (a.is_null || b.is_null) return nullptr;
  const bool integral_a = a.type != KqlType::kReal && a.type != KqlType::kDecimal;
  const bool integral_b = b.type != KqlType::kReal && b.type != KqlType::kDecimal;
  auto make = [type](int64_t ticks_or_long) {
    Value value = Value::Long(ticks_or_long);
    value.type = type;
    return value;
  };
  if (!integral_a || !integral_b) return nullptr;
  if (type != KqlType::kTimeSpan && type != KqlType::kDateTime && type != KqlType::kLong) return nullptr;
  int64_t result = 0;
  bool overflow = false;
  if (function == "+") {
    overflow = __builtin_add_overflow(a.int_value, b.int_value, &result);
  } else if (function == "-") {
    overflow = __builtin_sub_overflow(a.int_value, b.int_value, &result);
  } else if (function == "*") {
    overflow = __builtin_mul_overflow(a.int_value, b.int_value, &result);
  } else {
    return nullptr;
  }
  // Leave overflowing or out-of-range results to the executor, which applies Kusto's rules (null datetimes).
  if (overflow) return nullptr;
  if (type == KqlType::kDateTime && (result < kMinDateTimeTicks || result > kMaxDateTimeTicks)) return nullptr;
  return BoundExpr::MakeConstant(make(result), left->span);
}

// The conversion function to each scalar type (extract(..., typeof(T)), dynamic branches of iff/case).
const std::pair<KqlType, std::string_view>* FindConversion(KqlType type) {
  static constexpr std::pair<KqlType, std::string_view> kConversions[] = {
      {KqlType::kInt, "toint"},           {KqlType::kLong, "tolong"},         {KqlType::kReal, "todouble"},
      {KqlType::kDecimal, "todecimal"},   {KqlType::kBool, "tobool"},         {KqlType::kDateTime, "todatetime"},
      {KqlType::kTimeSpan, "totimespan"}, {KqlType::kGuid, "toguid"},         {KqlType::kDynamic, "todynamic"},
      {KqlType::kString, "tostring"}};
  const auto* found = std::find_if(std::begin(kConversions), std::end(kConversions),
                                   [&](const auto& entry) { return entry.first == type; });
  return found == std::end(kConversions) ? nullptr : found;
}

}  // namespace

std::string_view BinaryFunction(BinaryOp op) {
  for (const BinarySpelling& spelling : kBinarySpellings) {
    if (spelling.op == op) return spelling.function;
  }
  return "?";
}

BoundExprPtr QueryBinder::ErrorExpr(SourceSpan span) {
  BoundExprPtr expr = BoundExpr::MakeConstant(Value::Null(KqlType::kUnknown), span);
  expr->type = KqlType::kUnknown;
  return expr;
}

BoundExprPtr QueryBinder::BindPredicate(const Expr& expr, const Schema& input) {
  BoundExprPtr bound = BindExpr(expr, input);
  if (bound->type != KqlType::kBool && bound->type != KqlType::kUnknown && bound->type != KqlType::kDynamic) {
    Error(kBindExpectedBool, expr.span,
          "A predicate must be of type bool, but this expression is: " + std::string(TypeName(bound->type)));
  }
  return AsBoolOperand(std::move(bound));
}

BoundExprPtr QueryBinder::BindExpr(const Expr& expr, const Schema& input) {
  DepthGuard guard(depth_);
  if (depth_ > kMaxBindDepth) {
    if (depth_ == kMaxBindDepth + 1) Error(kBindTooDeep, expr.span, "The expression is nested too deeply");
    return ErrorExpr(expr.span);
  }
  switch (expr.kind) {
    case ExprKind::kError:
      return ErrorExpr(expr.span);
    case ExprKind::kParen:
      return BindExpr(*expr.As<ParenExpr>().inner, input);
    case ExprKind::kLiteral:
      return BindLiteral(expr.As<LiteralExpr>());
    case ExprKind::kName:
      return BindName(expr.As<NameExpr>(), input);
    case ExprKind::kStar:
      Error(kBindStarNotAllowed, expr.span, "'*' is not allowed in this expression");
      return ErrorExpr(expr.span);
    case ExprKind::kUnary: {
      const UnaryExpr& unary = expr.As<UnaryExpr>();
      // -9223372036854775808 is the smallest long, although its magnitude alone does not fit a long.
      if (const Expr& operand_expr = StripParens(*unary.operand);
          unary.op == UnaryOp::kNegate && operand_expr.kind == ExprKind::kLiteral &&
          operand_expr.As<LiteralExpr>().raw == "9223372036854775808") {
        return BoundExpr::MakeConstant(Value::Long(INT64_MIN), expr.span);
      }
      BoundExprPtr operand = BindExpr(*unary.operand, input);
      const KqlType type = operand->type;
      if (type != KqlType::kUnknown && !IsNumeric(type) && type != KqlType::kTimeSpan && type != KqlType::kDynamic) {
        Error(kBindOperandTypeMismatch, expr.span, "Unary minus needs a number or timespan, not: " + std::string(TypeName(type)));
        return ErrorExpr(expr.span);
      }
      if (unary.op == UnaryOp::kPlus) return operand;
      if (operand->kind == BoundExprKind::kConstant && !operand->constant.is_null) {
        Value value = operand->constant;
        if (value.type == KqlType::kReal) {
          value.real_value = -value.real_value;
        } else {
          value.int_value = -value.int_value;
        }
        return BoundExpr::MakeConstant(std::move(value), expr.span);
      }
      std::vector<BoundExprPtr> args;
      args.push_back(std::move(operand));
      return BoundExpr::MakeCall("neg", type == KqlType::kInt ? KqlType::kLong : type, std::move(args), expr.span);
    }
    case ExprKind::kBinary:
      // `* has "x"` (any column; a negated operator: every column) also outside search (bind_search.cpp).
      if (StripParens(*expr.As<BinaryExpr>().left).kind == ExprKind::kStar) {
        return BindStarPredicate(expr.As<BinaryExpr>(), input, false);
      }
      return BindBinary(expr.As<BinaryExpr>(), input);
    case ExprKind::kIn:
      return BindIn(expr.As<InExpr>(), input);
    case ExprKind::kBetween: {
      const BetweenExpr& between = expr.As<BetweenExpr>();
      BoundExprPtr operand = BindExpr(*between.operand, input);
      BoundExprPtr low = BindExpr(*between.low, input);
      BoundExprPtr high = BindExpr(*between.high, input);
      // `t between (start .. 1h)` means up to start + 1h.
      if (operand->type == KqlType::kDateTime && low->type == KqlType::kDateTime && high->type == KqlType::kTimeSpan) {
        std::vector<BoundExprPtr> sum;
        sum.push_back(low->Clone());
        sum.push_back(std::move(high));
        high = BoundExpr::MakeCall("+", KqlType::kDateTime, std::move(sum), between.high->span);
      }
      if (!Comparable(operand->type, low->type) || !Comparable(operand->type, high->type)) {
        Error(kBindOperandTypeMismatch, expr.span,
              "between bounds do not match the value's type: " + std::string(TypeName(operand->type)));
        return ErrorExpr(expr.span);
      }
      std::vector<BoundExprPtr> args;
      args.push_back(std::move(operand));
      args.push_back(std::move(low));
      args.push_back(std::move(high));
      return BoundExpr::MakeCall(between.negated ? "!between" : "between", KqlType::kBool, std::move(args), expr.span);
    }
    case ExprKind::kCall:
      return BindCall(expr.As<CallExpr>(), input);
    case ExprKind::kMember: {
      const MemberExpr& member = expr.As<MemberExpr>();
      if (member.target && member.target->kind == ExprKind::kName) {
        const std::string& side = member.target->As<NameExpr>().name;
        if (side == "$left" || side == "$right") {
          const Schema* schema = side == "$left" ? join_left_ : join_right_;
          if (schema == nullptr) {
            Error(kBindJoinSideOutsideJoin, member.target->span, "$left and $right are only allowed in join conditions: " + side);
            return ErrorExpr(expr.span);
          }
          NameExpr name;
          name.name = member.member;
          name.span = member.member_span;
          return BindName(name, *schema);
        }
        // scan steps' columns are bound as columns named `step.column` (see LogicalSequenceScan).
        if (!FindColumn(input, side)) {
          if (std::optional<size_t> index = FindColumn(input, side + "." + member.member)) {
            return BoundExpr::MakeColumn(*index, input[*index].name, input[*index].type, expr.span);
          }
        }
      }
      BoundExprPtr target = BindExpr(*member.target, input);
      if (target->type == KqlType::kUnknown) return ErrorExpr(expr.span);
      if (target->type != KqlType::kDynamic) {
        Error(kBindOperandTypeMismatch, member.member_span,
              "Member access needs a dynamic value, not " + std::string(TypeName(target->type)) + ": " + member.member);
        return ErrorExpr(expr.span);
      }
      std::vector<BoundExprPtr> args;
      args.push_back(std::move(target));
      args.push_back(BoundExpr::MakeConstant(Value::String(member.member), member.member_span));
      return BoundExpr::MakeCall("[]", KqlType::kDynamic, std::move(args), expr.span);
    }
    case ExprKind::kIndex: {
      const IndexExpr& index = expr.As<IndexExpr>();
      BoundExprPtr target = BindExpr(*index.target, input);
      BoundExprPtr key = BindExpr(*index.index, input);
      if (target->type == KqlType::kUnknown || key->type == KqlType::kUnknown) return ErrorExpr(expr.span);
      if (target->type != KqlType::kDynamic) {
        Error(kBindOperandTypeMismatch, expr.span, "Indexing needs a dynamic value, not: " + std::string(TypeName(target->type)));
        return ErrorExpr(expr.span);
      }
      std::vector<BoundExprPtr> args;
      args.push_back(std::move(target));
      args.push_back(std::move(key));
      return BoundExpr::MakeCall("[]", KqlType::kDynamic, std::move(args), expr.span);
    }
    case ExprKind::kTypeOf:
      Error(kBindUnsupportedFunction, expr.span, "typeof(...) is only allowed as an operator argument");
      return ErrorExpr(expr.span);
    case ExprKind::kTabular:
      Error(kBindTabularScalarMismatch, expr.span, "A tabular expression cannot be used as a scalar value");
      return ErrorExpr(expr.span);
    case ExprKind::kFunctionDecl:
      Error(kBindTabularScalarMismatch, expr.span, "A function declaration cannot be used as a scalar value");
      return ErrorExpr(expr.span);
  }
  return ErrorExpr(expr.span);
}

BoundExprPtr QueryBinder::BindLiteral(const LiteralExpr& literal) {
  const SourceSpan span = literal.span;
  auto invalid = [&](std::string_view what) {
    Error(kBindInvalidLiteral, span, "Invalid " + std::string(what) + " literal: " + literal.raw);
    return ErrorExpr(span);
  };
  switch (literal.literal_kind) {
    case LiteralKind::kBool: {
      if (literal.is_null) return BoundExpr::MakeConstant(Value::Null(KqlType::kBool), span);
      const std::string text = Lower(literal.text.empty() ? literal.raw : literal.text);
      if (text.find("true") != std::string::npos) return BoundExpr::MakeConstant(Value::Bool(true), span);
      if (text.find("false") != std::string::npos) return BoundExpr::MakeConstant(Value::Bool(false), span);
      if (text == "1" || text == "0") return BoundExpr::MakeConstant(Value::Bool(text == "1"), span);
      return invalid("bool");
    }
    case LiteralKind::kInt:
      if (literal.is_null) return BoundExpr::MakeConstant(Value::Null(KqlType::kInt), span);
      if (!literal.int_value) return invalid("int");
      return BoundExpr::MakeConstant(Value::Int(*literal.int_value), span);
    case LiteralKind::kLong:
      if (literal.is_null) return BoundExpr::MakeConstant(Value::Null(KqlType::kLong), span);
      if (!literal.int_value) return invalid("long");
      return BoundExpr::MakeConstant(Value::Long(*literal.int_value), span);
    case LiteralKind::kReal:
    case LiteralKind::kDecimal:
      if (literal.is_null) return BoundExpr::MakeConstant(Value::Null(KqlType::kReal), span);
      if (literal.real_value) return BoundExpr::MakeConstant(Value::Real(*literal.real_value), span);
      if (literal.int_value) return BoundExpr::MakeConstant(Value::Real(static_cast<double>(*literal.int_value)), span);
      try {
        return BoundExpr::MakeConstant(Value::Real(std::stod(literal.text)), span);
      } catch (const std::exception&) {
        return invalid("real");
      }
    case LiteralKind::kString:
      return BoundExpr::MakeConstant(Value::String(literal.text), span);
    case LiteralKind::kDateTime: {
      if (literal.is_null) return BoundExpr::MakeConstant(Value::Null(KqlType::kDateTime), span);
      // datetime("2015-12-14") and datetime('...') quote the text; Kusto accepts both.
      std::string_view text = literal.text;
      if (text.size() >= 2 && (text.front() == '"' || text.front() == '\'') && text.back() == text.front()) {
        text = text.substr(1, text.size() - 2);
      }
      std::optional<int64_t> ticks = ParseDateTime(text);
      if (!ticks) ticks = ParseDateTimeParts(text);
      if (!ticks) return invalid("datetime");
      return BoundExpr::MakeConstant(Value::DateTime(*ticks), span);
    }
    case LiteralKind::kTimeSpan: {
      if (literal.is_null) return BoundExpr::MakeConstant(Value::Null(KqlType::kTimeSpan), span);
      std::optional<int64_t> ticks = literal.int_value;
      if (!ticks) ticks = ParseTimeSpan(literal.text);
      if (!ticks) ticks = ParseTimeSpan(literal.raw);
      if (!ticks) return invalid("timespan");
      return BoundExpr::MakeConstant(Value::TimeSpan(*ticks), span);
    }
    case LiteralKind::kGuid: {
      if (literal.is_null) return BoundExpr::MakeConstant(Value::Null(KqlType::kGuid), span);
      std::string text = Lower(literal.text);
      const bool valid = text.size() == 36 && std::all_of(text.begin(), text.end(), [](char ch) {
                           return ch == '-' || std::isxdigit(static_cast<unsigned char>(ch));
                         });
      if (!valid) return invalid("guid");
      return BoundExpr::MakeConstant(Value::Guid(std::move(text)), span);
    }
    case LiteralKind::kDynamic: {
      if (literal.is_null) return BoundExpr::MakeConstant(Value::Null(KqlType::kDynamic), span);
      std::string error;
      Dynamic value = ParseDynamicLiteral(literal.text, &error);
      if (value == nullptr) return invalid("dynamic");
      return BoundExpr::MakeConstant(Value::FromDynamic(std::move(value)), span);
    }
    case LiteralKind::kNull:
      return BoundExpr::MakeConstant(Value::Null(KqlType::kDynamic), span);
  }
  return invalid("unknown");
}

BoundExprPtr QueryBinder::BindName(const NameExpr& name, const Schema& input) {
  // Function parameters and let names shadow columns only when no column has the name, which is what Sentinel
  // rules rely on (a let named like a column is rare; a column named like a let is never intended to be hidden).
  if (std::optional<size_t> index = FindColumn(input, name.name)) {
    return BoundExpr::MakeColumn(*index, name.name, input[*index].type, name.span);
  }
  if (const LetBinding* let = FindLet(name.name)) {
    switch (let->kind) {
      case LetBinding::Kind::kScalar: {
        BoundExprPtr value = let->scalar->Clone();
        value->span = name.span;
        return value;
      }
      case LetBinding::Kind::kFunction:
        // A function whose parameters all have defaults may be called without parentheses.
        if (CallableWithoutArguments(*let->function)) {
          LetBinding result = InlineWithoutArguments(*let->function, name.name, name.span, input);
          if (result.kind == LetBinding::Kind::kScalar) return std::move(result.scalar);
          if (result.kind == LetBinding::Kind::kError) return ErrorExpr(name.span);
        }
        [[fallthrough]];
      case LetBinding::Kind::kTabular:
        Error(kBindTabularScalarMismatch, name.span, "A tabular value cannot be used as a scalar: " + name.name);
        return ErrorExpr(name.span);
      case LetBinding::Kind::kError:
        return ErrorExpr(name.span);
    }
  }
  if (IsErrorSchema(input)) return ErrorExpr(name.span);
  if (name.name == "$left" || name.name == "$right") {
    Error(kBindJoinSideOutsideJoin, name.span, "$left and $right need a column, as in $left.Col: " + name.name);
    return ErrorExpr(name.span);
  }
  std::string message = "Unknown column, table or function: " + name.name;
  std::vector<std::string> candidates;
  for (const ColumnDef& column : input) candidates.push_back(column.name);
  for (const auto& [let_name, binding] : scopes_) {
    if (binding.kind == LetBinding::Kind::kScalar) candidates.push_back(let_name);
  }
  if (std::optional<std::string> suggestion = SuggestName(name.name, candidates)) {
    message += "; did you mean '" + *suggestion + "'?";
  }
  Error(kBindUnknownName, name.span, std::move(message));
  return ErrorExpr(name.span);
}

BoundExprPtr QueryBinder::BindColumnIfExists(const CallExpr& call, const Schema& input) {
  // column_ifexists('Name', default) is resolved while binding: the column when the input has it, else the
  // default (ASIM parsers read optional columns of custom tables this way).
  if (call.args.size() != 2) {
    Error(kBindWrongArity, call.name_span,
          "Wrong number of arguments: expected 2, got " + std::to_string(call.args.size()) + " for column_ifexists");
    return ErrorExpr(call.span);
  }
  BoundExprPtr name = BindExpr(*call.args[0], Schema{});
  if (name->kind != BoundExprKind::kConstant || name->type != KqlType::kString) {
    if (name->type != KqlType::kUnknown) {
      Error(kBindExpectedConstant, call.args[0]->span, "column_ifexists expects a constant column name");
    }
    return ErrorExpr(call.span);
  }
  if (std::optional<size_t> index = FindColumn(input, name->constant.string_value)) {
    return BoundExpr::MakeColumn(*index, input[*index].name, input[*index].type, call.span);
  }
  return BindExpr(*call.args[1], input);
}

BoundExprPtr QueryBinder::BindBinary(const BinaryExpr& binary, const Schema& input) {
  BoundExprPtr left = BindExpr(*binary.left, input);
  BoundExprPtr right = BindExpr(*binary.right, input);
  const KqlType left_type = left->type;
  const KqlType right_type = right->type;
  const std::string function(BinaryFunction(binary.op));
  const bool any_unknown = left_type == KqlType::kUnknown || right_type == KqlType::kUnknown;
  auto mismatch = [&]() {
    Error(kBindOperandTypeMismatch, binary.op_span,
          "Operator cannot be applied to operands of types " + std::string(TypeName(left_type)) + " and " +
              std::string(TypeName(right_type)) + ": " + function);
    return ErrorExpr(binary.span);
  };
  KqlType result = KqlType::kBool;
  // The case-insensitive and string operators read a dynamic operand as its string form (its kernels take
  // strings; a dynamic operand used to crash them).
  if (binary.op == BinaryOp::kEqualCi || binary.op == BinaryOp::kNotEqualCi || IsStringOperator(binary.op)) {
    for (BoundExprPtr* operand : {&left, &right}) {
      if ((*operand)->type != KqlType::kDynamic) continue;
      const SourceSpan span = (*operand)->span;
      std::vector<BoundExprPtr> operands;
      operands.push_back(std::move(*operand));
      *operand = BoundExpr::MakeCall("tostring", KqlType::kString, std::move(operands), span);
    }
  }
  if (binary.op == BinaryOp::kAnd || binary.op == BinaryOp::kOr) {
    auto boolish = [](KqlType type) {
      return type == KqlType::kBool || type == KqlType::kUnknown || type == KqlType::kDynamic;
    };
    if (!boolish(left_type) || !boolish(right_type)) return mismatch();
    left = AsBoolOperand(std::move(left));
    right = AsBoolOperand(std::move(right));
  } else if (binary.op == BinaryOp::kEqualCi || binary.op == BinaryOp::kNotEqualCi) {
    left = AsStringOperand(std::move(left));
    right = AsStringOperand(std::move(right));
  } else if (IsComparison(binary.op)) {
    // Kusto compares a bool with a number as 0 or 1 (IsCompliant == 1); the bool side goes through tolong.
    auto as_number = [](BoundExprPtr operand) {
      const SourceSpan span = operand->span;
      std::vector<BoundExprPtr> operands;
      operands.push_back(std::move(operand));
      return BoundExpr::MakeCall("tolong", KqlType::kLong, std::move(operands), span);
    };
    if (left_type == KqlType::kBool && IsNumeric(right_type)) {
      left = as_number(std::move(left));
    } else if (right_type == KqlType::kBool && IsNumeric(left_type)) {
      right = as_number(std::move(right));
    } else if (!Comparable(left_type, right_type)) {
      return mismatch();
    }
  } else if (IsStringOperator(binary.op)) {
    left = AsStringOperand(std::move(left));
    right = AsStringOperand(std::move(right));
  } else if (IsArithmetic(binary.op)) {
    std::optional<KqlType> type = ArithmeticType(binary.op, left_type, right_type);
    if (!type) return mismatch();
    result = *type;
    if (BoundExprPtr folded = FoldArithmetic(function, result, left, right)) {
      folded->span = binary.span;
      return folded;
    }
  }
  if (any_unknown && result != KqlType::kBool) result = KqlType::kUnknown;
  std::vector<BoundExprPtr> args;
  args.push_back(std::move(left));
  args.push_back(std::move(right));
  return BoundExpr::MakeCall(function, result, std::move(args), binary.span);
}

BoundExprPtr QueryBinder::BindIn(const InExpr& in, const Schema& input) {
  BoundExprPtr left = BindExpr(*in.left, input);
  std::vector<BoundExprPtr> args;
  args.push_back(std::move(left));
  BoundExprPtr call = BoundExpr::MakeCall(std::string(InFunction(in.op)), KqlType::kBool, {}, in.span);
  // A single tabular item (or a name bound to a table) is a subquery whose first column supplies the candidates.
  if (in.items.size() == 1) {
    const Expr& item = StripParens(*in.items[0]);
    const bool tabular_name = item.kind == ExprKind::kName && !FindColumn(input, item.As<NameExpr>().name) &&
                              [&] {
                                const LetBinding* let = FindLet(item.As<NameExpr>().name);
                                if (let && let->kind == LetBinding::Kind::kFunction) {
                                  return CallableWithoutArguments(*let->function);
                                }
                                return let ? let->kind == LetBinding::Kind::kTabular
                                           : catalog_.FindTable(item.As<NameExpr>().name) != nullptr;
                              }();
    if (item.kind == ExprKind::kTabular || tabular_name) {
      LetBinding value = BindValue(item, Schema{});
      if (value.kind == LetBinding::Kind::kTabular && value.plan) {
        if (value.plan->schema.empty()) {
          Error(kBindTabularScalarMismatch, item.span, "The subquery of an in-style operator has no columns");
          return ErrorExpr(in.span);
        }
        call->subquery = std::move(value.plan);
        call->args = std::move(args);
        return call;
      }
    }
  }
  for (const ExprPtr& item : in.items) args.push_back(BindExpr(*item, input));
  call->args = std::move(args);
  return call;
}

BoundExprPtr QueryBinder::BindCall(const CallExpr& call, const Schema& input) {
  const SourceSpan span = call.span;
  if (auto computed = aggregate_columns_.find(&call); computed != aggregate_columns_.end()) {
    const size_t index = computed->second;
    return BoundExpr::MakeColumn(index, input[index].name, input[index].type, span);
  }
  if (call.name == "toscalar" && call.target == nullptr && !FindLet(call.name)) return BindToScalar(call, input);
  if (call.name == "column_ifexists" && call.target == nullptr && !FindLet(call.name)) {
    return BindColumnIfExists(call, input);
  }
  // User functions (let f = (...) {...}) shadow built-ins.
  if (const LetBinding* let = FindLet(call.name); let && let->kind == LetBinding::Kind::kFunction) {
    LetBinding result = InlineFunction(*let->function, call, input);
    if (result.kind == LetBinding::Kind::kScalar) return std::move(result.scalar);
    if (result.kind == LetBinding::Kind::kTabular) {
      Error(kBindTabularScalarMismatch, call.name_span, "A tabular function cannot be used as a scalar: " + call.name);
    }
    return ErrorExpr(span);
  }
  // column_ifexists(name, default): the column when the input has it, else the default (checked at bind time).
  if ((call.name == "column_ifexists" || call.name == "columnifexists") && call.args.size() == 2) {
    const Expr& name_arg = StripParens(*call.args[0]);
    if (name_arg.kind == ExprKind::kLiteral && name_arg.As<LiteralExpr>().literal_kind == LiteralKind::kString) {
      const std::string& column = name_arg.As<LiteralExpr>().text;
      if (std::optional<size_t> index = FindColumn(input, column)) {
        return BoundExpr::MakeColumn(*index, input[*index].name, input[*index].type, span);
      }
      return BindExpr(*call.args[1], input);
    }
    Error(kBindWrongArgumentType, call.args[0]->span, "column_ifexists needs a constant column name");
    return ErrorExpr(span);
  }
  // extract_json(path, json, typeof(T)): the type argument only sets the result type.
  if ((call.name == "extract_json" || call.name == "extractjson") && call.args.size() == 3 &&
      StripParens(*call.args[2]).kind == ExprKind::kTypeOf) {
    std::optional<KqlType> type = ParseTypeName(StripParens(*call.args[2]).As<TypeOfExpr>().type_name);
    if (!type) {
      Error(kBindWrongArgumentType, call.args[2]->span, "extract_json needs typeof(<scalar type>)");
      return ErrorExpr(span);
    }
    std::vector<BoundExprPtr> args;
    args.push_back(BindExpr(*call.args[0], input));
    args.push_back(BindExpr(*call.args[1], input));
    return BoundExpr::MakeCall("extract_json", *type, std::move(args), span);
  }
  // extract(regex, group, text, typeof(T)): the captured text converted to T.
  if (call.name == "extract" && call.args.size() == 4 && StripParens(*call.args[3]).kind == ExprKind::kTypeOf) {
    std::optional<KqlType> type = ParseTypeName(StripParens(*call.args[3]).As<TypeOfExpr>().type_name);
    const auto* conversion = type ? FindConversion(*type) : nullptr;
    if (conversion == nullptr) {
      Error(kBindWrongArgumentType, call.args[3]->span, "extract needs typeof(<scalar type>)");
      return ErrorExpr(span);
    }
    std::vector<BoundExprPtr> args;
    for (size_t index = 0; index < 3; ++index) args.push_back(BindExpr(*call.args[index], input));
    BoundExprPtr text = BoundExpr::MakeCall("extract", KqlType::kString, std::move(args), span);
    if (*type == KqlType::kString) return text;
    std::vector<BoundExprPtr> converted;
    converted.push_back(std::move(text));
    const FunctionSignature* target = FindFunction(conversion->second);
    return BoundExpr::MakeCall(std::string(conversion->second), target ? target->fixed_type : *type,
                               std::move(converted), span);
  }
  // make_datetime(value): Kusto's binder accepts one argument of any type (undocumented); it converts like
  // todatetime (docs/compatibility.md).
  if (call.name == "make_datetime" && call.args.size() == 1) {
    std::vector<BoundExprPtr> args;
    args.push_back(BindExpr(*call.args[0], input));
    return BoundExpr::MakeCall("todatetime", KqlType::kDateTime, std::move(args), span);
  }
  // bin_auto(x): bin_at(x, size, at) with the query's `set query_bin_auto_size` (required) and
  // `set query_bin_auto_at` (default 0 / the epoch).
  if (call.name == "bin_auto" && call.target == nullptr && call.args.size() == 1) {
    const LetBinding* size = FindLet("\x01query_bin_auto_size");
    if (size == nullptr || size->kind != LetBinding::Kind::kScalar) {
      Error(kBindUnsupportedFunction, call.name_span, "Function is not supported: bin_auto without set query_bin_auto_size");
      return ErrorExpr(span);
    }
    std::vector<BoundExprPtr> args;
    args.push_back(BindExpr(*call.args[0], input));
    const KqlType type = args[0]->type;
    args.push_back(size->scalar->Clone());
    const LetBinding* at = FindLet("\x01query_bin_auto_at");
    if (at != nullptr && at->kind == LetBinding::Kind::kScalar) {
      args.push_back(at->scalar->Clone());
    } else {
      args.push_back(BoundExpr::MakeConstant(type == KqlType::kDateTime ? Value::DateTime(0)
                                             : type == KqlType::kTimeSpan ? Value::TimeSpan(0)
                                                                           : Value::Long(0), span));
    }
    return BoundExpr::MakeCall("bin_at", type, std::move(args), span);
  }
  // pack_all(): a property bag of every input column, bound as bag_pack("Col1", Col1, ...) over the current schema.
  if (call.name == "pack_all" && call.target == nullptr) {
    if (!call.args.empty()) {
      const Expr& flag = StripParens(*call.args[0]);
      std::string text = flag.kind == ExprKind::kLiteral ? flag.As<LiteralExpr>().text : "";
      std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
      const bool false_literal = call.args.size() == 1 && flag.kind == ExprKind::kLiteral &&
                                 flag.As<LiteralExpr>().literal_kind == LiteralKind::kBool && text == "false";
      if (!false_literal) {
        Error(kBindUnsupportedFunction, call.name_span, "Function is not supported: pack_all(ignore_null_empty=true)");
        return ErrorExpr(span);
      }
    }
    std::vector<BoundExprPtr> pairs;
    for (size_t index = 0; index < input.size(); ++index) {
      pairs.push_back(BoundExpr::MakeConstant(Value::String(input[index].name), span));
      pairs.push_back(BoundExpr::MakeColumn(index, input[index].name, input[index].type, span));
    }
    return BoundExpr::MakeCall("bag_pack", KqlType::kDynamic, std::move(pairs), span);
  }
  const FunctionSignature* signature = FindFunction(call.name);
  if (signature == nullptr) {
    if (IsKnownUnsupportedFunction(call.name) || call.name == "materialize") {
      Error(kBindUnsupportedFunction, call.name_span, "Function is not supported: " + call.name);
    } else {
      std::string message = "Unknown function: " + call.name;
      if (std::optional<std::string> suggestion = SuggestName(call.name, AllFunctionNames())) {
        message += "; did you mean '" + *suggestion + "'?";
      }
      Error(kBindUnknownFunction, call.name_span, std::move(message));
    }
    return ErrorExpr(span);
  }
  if (signature->function_class == FunctionClass::kAggregate && call.args.size() >= 2 &&
      (signature->name == "hll_merge" || signature->name == "tdigest_merge")) {
    // The scalar forms merge two or more states: hll_merge(h1, h2), tdigest_merge(t1, t2).
    std::vector<BoundExprPtr> states;
    for (const ExprPtr& arg : call.args) states.push_back(BindExpr(*arg, input));
    return BoundExpr::MakeCall(std::string(signature->name), KqlType::kDynamic, std::move(states), span);
  }
  if (signature->function_class == FunctionClass::kAggregate) {
    Error(kBindAggregateOutsideSummarize, call.name_span,
          "Aggregate functions are only allowed in summarize: " + call.name);
    return ErrorExpr(span);
  }
  const int arg_count = static_cast<int>(call.args.size());
  if (arg_count < signature->min_args || (signature->max_args >= 0 && arg_count > signature->max_args)) {
    std::string expected = std::to_string(signature->min_args);
    if (signature->max_args != signature->min_args) {
      expected += signature->max_args < 0 ? " or more" : ".." + std::to_string(signature->max_args);
    }
    Error(kBindWrongArity, call.name_span,
          "Wrong number of arguments: expected " + expected + ", got " + std::to_string(arg_count) + " for " + call.name);
    return ErrorExpr(span);
  }
  std::vector<BoundExprPtr> args;
  bool any_unknown = false;
  for (int index = 0; index < arg_count; ++index) {
    BoundExprPtr arg = BindExpr(*call.args[index], input);
    const std::string_view kinds = signature->arg_kinds;
    const char kind = kinds.empty() ? 'a' : kinds[std::min<size_t>(index, kinds.size() - 1)];
    if (!ArgumentKindAccepts(kind, arg->type)) {
      Error(kBindWrongArgumentType, call.args[index]->span,
            "Argument " + std::to_string(index + 1) + " must be of type " + std::string(ArgumentKindName(kind)) +
                ", not " + std::string(TypeName(arg->type)) + ": " + call.name);
      any_unknown = true;
    }
    if (arg->type == KqlType::kUnknown) any_unknown = true;
    if (kind == 'b') arg = AsBoolOperand(std::move(arg));
    args.push_back(std::move(arg));
  }
  const std::string canonical(signature->name);
  // now() and ago() read the query clock once, so every use in a query sees the same instant.
  if (canonical == "now" || canonical == "ago") {
    Value now = Value::DateTime(options_.now_ticks);
    if (args.empty()) return BoundExpr::MakeConstant(now, span);
    std::vector<BoundExprPtr> operands;
    operands.push_back(BoundExpr::MakeConstant(now, span));
    operands.push_back(std::move(args[0]));
    BoundExprPtr left = std::move(operands[0]);
    BoundExprPtr right = std::move(operands[1]);
    const std::string op = canonical == "now" ? "+" : "-";
    if (BoundExprPtr folded = FoldArithmetic(op, KqlType::kDateTime, left, right)) {
      folded->span = span;
      return folded;
    }
    std::vector<BoundExprPtr> pair;
    pair.push_back(std::move(left));
    pair.push_back(std::move(right));
    return BoundExpr::MakeCall(op, KqlType::kDateTime, std::move(pair), span);
  }
  KqlType result = signature->fixed_type;
  auto common_of = [&](const std::vector<size_t>& positions) {
    KqlType type = KqlType::kUnknown;
    for (size_t position : positions) {
      if (position >= args.size()) continue;
      std::optional<KqlType> common = CommonType(type, args[position]->type);
      if (!common) {
        Error(kBindWrongArgumentType, call.args[position]->span,
              "Arguments have incompatible types " + std::string(TypeName(type)) + " and " +
                  std::string(TypeName(args[position]->type)) + ": " + call.name);
        return KqlType::kUnknown;
      }
      type = *common;
    }
    return type;
  };
  // The result type of iff/case branches. As in Kusto's binder, a dynamic branch takes the type the other branches
  // share (iff(p, split(s, ":")[1], s) is a string) and is converted to it. Otherwise the branches need a common
  // type (where they have none, Kusto's binder says dynamic; kqlite reports the mismatch).
  auto branch_type = [&](const std::vector<size_t>& positions) {
    std::vector<size_t> typed;
    for (size_t position : positions) {
      if (position < args.size() && args[position]->type != KqlType::kDynamic) typed.push_back(position);
    }
    if (typed.size() == positions.size() || typed.empty()) return common_of(positions);
    const KqlType type = common_of(typed);
    const auto* conversion = FindConversion(type);
    if (conversion == nullptr) return type == KqlType::kUnknown ? type : KqlType::kDynamic;
    for (size_t position : positions) {
      if (position >= args.size() || args[position]->type != KqlType::kDynamic) continue;
      const SourceSpan arg_span = args[position]->span;
      std::vector<BoundExprPtr> converted;
      converted.push_back(std::move(args[position]));
      args[position] = BoundExpr::MakeCall(std::string(conversion->second), type, std::move(converted), arg_span);
    }
    return type;
  };
  switch (signature->return_rule) {
    case ReturnRule::kFixed:
      break;
    case ReturnRule::kFirstArg:
      result = args.empty() ? KqlType::kUnknown : args[0]->type;
      break;
    case ReturnRule::kFirstArgWidened:
      result = args.empty() ? KqlType::kUnknown : args[0]->type;
      if (result == KqlType::kInt) result = KqlType::kLong;
      break;
    case ReturnRule::kSecondArg:
      result = args.size() < 2 ? KqlType::kUnknown : args[1]->type;
      break;
    case ReturnRule::kCommonArgs: {
      std::vector<size_t> positions;
      for (size_t index = 0; index < args.size(); ++index) positions.push_back(index);
      result = common_of(positions);
      break;
    }
    case ReturnRule::kIff:
      result = branch_type({1, 2});
      break;
    case ReturnRule::kCase: {
      std::vector<size_t> positions;
      for (size_t index = 1; index < args.size(); index += 2) positions.push_back(index);
      positions.push_back(args.size() - 1);
      result = branch_type(positions);
      break;
    }
  }
  if (any_unknown && signature->return_rule != ReturnRule::kFixed) result = KqlType::kUnknown;
  return BoundExpr::MakeCall(canonical, result, std::move(args), span);
}

std::optional<Value> QueryBinder::ConvertConstant(const Value& value, KqlType target) {
  if (value.type == target) return value;
  if (value.is_null) return Value::Null(target);
  switch (target) {
    case KqlType::kInt:
    case KqlType::kLong:
      if (IsInteger(value.type)) return target == KqlType::kInt ? Value::Int(value.int_value) : Value::Long(value.int_value);
      return std::nullopt;
    case KqlType::kReal:
    case KqlType::kDecimal:
      if (IsInteger(value.type)) return Value::Real(static_cast<double>(value.int_value));
      if (value.type == KqlType::kReal) return value;
      return std::nullopt;
    case KqlType::kDynamic:
      return Value::FromDynamic(ToDynamic(value));
    case KqlType::kGuid:
      if (value.type == KqlType::kString) return Value::Guid(Lower(value.string_value));
      return std::nullopt;
    case KqlType::kDateTime:
      if (value.type == KqlType::kString) {
        if (std::optional<int64_t> ticks = ParseDateTime(value.string_value)) return Value::DateTime(*ticks);
      }
      return std::nullopt;
    case KqlType::kTimeSpan:
      if (value.type == KqlType::kString) {
        if (std::optional<int64_t> ticks = ParseTimeSpan(value.string_value)) return Value::TimeSpan(*ticks);
      }
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

std::string QueryBinder::DeriveName(const Expr& raw_expr, int depth) const {
  if (depth > 32) return "";
  const Expr& expr = StripParens(raw_expr);
  switch (expr.kind) {
    case ExprKind::kName: {
      const std::string& name = expr.As<NameExpr>().name;
      // A let-bound scalar substitutes a value, which Kusto names like any other computed column.
      return name;
    }
    case ExprKind::kMember: {
      const MemberExpr& member = expr.As<MemberExpr>();
      const std::string target = DeriveName(*member.target, depth + 1);
      if (target == "$left" || target == "$right") return member.member;
      return target.empty() ? "" : target + "_" + member.member;
    }
    case ExprKind::kIndex: {
      const IndexExpr& index = expr.As<IndexExpr>();
      const std::string target = DeriveName(*index.target, depth + 1);
      const Expr& key = StripParens(*index.index);
      if (target.empty() || key.kind != ExprKind::kLiteral) return "";
      const LiteralExpr& literal = key.As<LiteralExpr>();
      if (literal.literal_kind == LiteralKind::kString) return target + "_" + literal.text;
      if (literal.int_value) return target + "_" + std::to_string(*literal.int_value);
      return "";
    }
    case ExprKind::kCall: {
      const CallExpr& call = expr.As<CallExpr>();
      if ((call.name == "column_ifexists" || call.name == "columnifexists") && !call.args.empty()) {
        const Expr& column = StripParens(*call.args[0]);
        if (column.kind == ExprKind::kLiteral && column.As<LiteralExpr>().literal_kind == LiteralKind::kString) {
          return column.As<LiteralExpr>().text;
        }
      }
      // A parser quirk Kusto keeps: a name on the first argument names the column, bin(5Minutebin=Timestamp, 5m).
      if (!call.arg_names.empty() && !call.arg_names[0].empty()) return call.arg_names[0];
      // bin_auto(x) is named like bin(x, ...): after its argument.
      if (call.name == "bin_auto" && call.args.size() == 1) return DeriveName(*call.args[0], depth + 1);
      const FunctionSignature* signature = FindFunction(call.name);
      if (signature == nullptr || call.args.empty()) return "";
      const std::string argument = DeriveName(*call.args[0], depth + 1);
      if (argument.empty()) return "";
      switch (signature->name_rule) {
        case NameRule::kFirstArgument:
        case NameRule::kArgument:
          return argument;
        case NameRule::kNameAndArgument:
          return std::string(signature->name) + "_" + argument;
        case NameRule::kPrefixAndArgument:
          return std::string(signature->name_prefix) + "_" + argument;
        default:
          return "";
      }
    }
    default:
      return "";
  }
}

}  // namespace kql::binder
