// SqlExpression: the operator-by-operator mapping, each case stating why it is exact.
#include "clickhouse/sql_expression.h"

#include <cstdio>
#include <cstring>
#include <set>

#include "clickhouse/column_storage.h"
#include "clickhouse/layer.h"

namespace kql::clickhouse {

namespace {

using Inputs = std::vector<std::string>;

// One ASCII byte that is not a term byte (terms are ASCII letters and digits and every byte >= 0x80).
constexpr const char* kBoundary = "[\\x00-\\x2f\\x3a-\\x40\\x5b-\\x60\\x7b-\\x7f]";

bool IsAsciiText(const std::string& text) {
  for (unsigned char c : text) {
    if (c >= 0x80) return false;
  }
  return true;
}

bool IsTermChar(unsigned char c) { return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'); }

std::string LowerAscii(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

// Non-ASCII letters that Unicode simple case mapping folds to ASCII ones (KELVIN SIGN -> k, DOTTED CAPITAL I -> i):
// a needle holding these can equal non-ASCII text under the local engine's full-string folding.
bool FoldsFromNonAscii(const std::string& lowered) {
  return lowered.find('k') != std::string::npos || lowered.find('i') != std::string::npos;
}

bool IsStringType(KqlType type) { return type == KqlType::kString; }

bool IsIntLike(KqlType type) {
  return type == KqlType::kInt || type == KqlType::kLong || type == KqlType::kDateTime || type == KqlType::kTimeSpan;
}

std::optional<std::string> ConstantString(const BoundExpr& expr) {
  if (expr.kind != BoundExprKind::kConstant || expr.type != KqlType::kString) return std::nullopt;
  return expr.constant.is_null ? std::string() : expr.constant.string_value;
}

std::optional<std::string> Constant(const BoundExpr& expr) {
  const Value& value = expr.constant;
  if (value.is_null) return std::nullopt;
  switch (expr.type) {
    case KqlType::kBool: return std::string(value.int_value != 0 ? "toUInt8(1)" : "toUInt8(0)");
    case KqlType::kInt:
    case KqlType::kLong:
    case KqlType::kDateTime:
    case KqlType::kTimeSpan: return "toInt64(" + std::to_string(value.int_value) + ")";
    case KqlType::kString: return QuoteString(value.string_value);
    case KqlType::kReal: {
      // The double's own bytes (little-endian), so no server's float literal parsing can round it differently.
      uint64_t bits = 0;
      std::memcpy(&bits, &value.real_value, sizeof bits);
      char hex[17];
      for (int i = 0; i < 8; ++i) {
        std::snprintf(hex + 2 * i, 3, "%02X", static_cast<unsigned>((bits >> (8 * i)) & 0xff));
      }
      return std::string("reinterpretAsFloat64(unhex('") + hex + "'))";
    }
    default: return std::nullopt;
  }
}

// The pattern for a term operator; `start`/`end` ask for a boundary where the needle's edge is a term character.
std::string TermPattern(const std::string& needle, bool start, bool end) {
  std::string pattern;
  if (start && IsTermChar(static_cast<unsigned char>(needle.front()))) pattern += std::string("(?:^|") + kBoundary + ")";
  pattern += RegexLiteral(needle);
  if (end && IsTermChar(static_cast<unsigned char>(needle.back()))) pattern += std::string("(?:$|") + kBoundary + ")";
  return pattern;
}

// has / hasprefix / hassuffix (and _cs); nullopt for needles it cannot handle exactly.
std::optional<std::string> TermMatch(const std::string& text, std::string needle, bool case_sensitive, bool start,
                                     bool end) {
  if (!IsAsciiText(needle)) return std::nullopt;
  if (needle.empty()) return std::string("toUInt8(1)");
  if (!case_sensitive) needle = LowerAscii(needle);
  std::string haystack = case_sensitive ? text : "lower(" + text + ")";
  return "match(" + haystack + ", " + QuoteString("(?:" + TermPattern(needle, start, end) + ")") + ")";
}

std::optional<std::string> StringPredicate(const std::string& name, const std::string& text, const std::string& needle) {
  bool negated = name[0] == '!';
  std::string base = negated ? name.substr(1) : name;
  bool cs = base.size() > 3 && base.substr(base.size() - 3) == "_cs";
  if (cs) base.resize(base.size() - 3);
  std::optional<std::string> sql;
  if (!IsAsciiText(needle)) return std::nullopt;
  std::string lowered = LowerAscii(needle);
  if (base == "has") {
    sql = TermMatch(text, needle, cs, true, true);
  } else if (base == "hasprefix") {
    sql = TermMatch(text, needle, cs, true, false);
  } else if (base == "hassuffix") {
    sql = TermMatch(text, needle, cs, false, true);
  } else if (base == "contains") {
    sql = cs ? "(position(" + text + ", " + QuoteString(needle) + ") > 0)"
             : "(positionCaseInsensitive(" + text + ", " + QuoteString(needle) + ") > 0)";
  } else if (base == "startswith" || base == "endswith") {
    std::string function = base == "startswith" ? "startsWith" : "endsWith";
    if (cs) {
      sql = function + "(" + text + ", " + QuoteString(needle) + ")";
    } else if (!FoldsFromNonAscii(lowered)) {
      sql = function + "(lower(" + text + "), " + QuoteString(lowered) + ")";
    }
  }
  if (!sql) return std::nullopt;
  return negated ? "(NOT " + *sql + ")" : *sql;
}

// in / !in / in~ / !in~ over string constants.
std::optional<std::string> SetMembership(const BoundExpr& expr, const Inputs& inputs) {
  if (expr.subquery || expr.args.size() < 2 || !IsStringType(expr.args[0]->type)) return std::nullopt;
  bool negated = expr.function[0] == '!';
  bool fold = expr.function.back() == '~';
  auto probe = TranslateExpression(*expr.args[0], inputs);
  if (!probe) return std::nullopt;
  std::string list;
  for (size_t i = 1; i < expr.args.size(); ++i) {
    auto text = ConstantString(*expr.args[i]);
    if (!text) return std::nullopt;
    if (fold) {
      if (!IsAsciiText(*text) || FoldsFromNonAscii(LowerAscii(*text))) return std::nullopt;
      *text = LowerAscii(*text);
    }
    list += (list.empty() ? "" : ", ") + QuoteString(*text);
  }
  std::string subject = fold ? "lower(" + *probe + ")" : *probe;
  return "(" + subject + (negated ? " NOT IN (" : " IN (") + list + "))";
}

// has_any / has_all over string constants: AND of has; has_any as one regex of the needles' alternatives (a text
// has a match of p1|p2 exactly when it has one of p1 or p2), which the server evaluates once per row.
std::optional<std::string> TermSet(const BoundExpr& expr, const Inputs& inputs) {
  if (expr.subquery || expr.args.size() < 2 || !IsStringType(expr.args[0]->type)) return std::nullopt;
  auto text = TranslateExpression(*expr.args[0], inputs);
  if (!text) return std::nullopt;
  bool any = expr.function == "has_any";
  if (any) {
    std::string alternatives;
    for (size_t i = 1; i < expr.args.size(); ++i) {
      auto needle = ConstantString(*expr.args[i]);
      if (!needle || !IsAsciiText(*needle)) return std::nullopt;
      if (needle->empty()) return std::string("toUInt8(1)");
      alternatives += (alternatives.empty() ? "" : "|") + TermPattern(LowerAscii(*needle), true, true);
    }
    return "match(lower(" + *text + "), " + QuoteString("(?:" + alternatives + ")") + ")";
  }
  std::string sql;
  for (size_t i = 1; i < expr.args.size(); ++i) {
    auto needle = ConstantString(*expr.args[i]);
    if (!needle) return std::nullopt;
    auto term = TermMatch(*text, *needle, false, true, true);
    if (!term) return std::nullopt;
    sql += (sql.empty() ? "" : (any ? " OR " : " AND ")) + *term;
  }
  return "(" + sql + ")";
}

std::optional<std::string> Comparison(const BoundExpr& expr, const Inputs& inputs) {
  const BoundExpr& left = *expr.args[0];
  const BoundExpr& right = *expr.args[1];
  bool strings = IsStringType(left.type) && IsStringType(right.type);
  // Integers (and ticks) with integers, reals with reals, bools with bools: no int/float conversion differences.
  bool numbers = (IsIntLike(left.type) && IsIntLike(right.type)) ||
                 (left.type == KqlType::kReal && right.type == KqlType::kReal) ||
                 (left.type == KqlType::kBool && right.type == KqlType::kBool);
  if (!strings && !numbers) return std::nullopt;
  if (strings && expr.function != "==" && expr.function != "!=") return std::nullopt;
  auto a = TranslateExpression(left, inputs);
  auto b = TranslateExpression(right, inputs);
  if (!a || !b) return std::nullopt;
  std::string op = expr.function == "==" ? "=" : expr.function;
  return "(" + *a + " " + op + " " + *b + ")";
}

std::optional<std::string> Call(const BoundExpr& expr, const Inputs& inputs) {
  const std::string& name = expr.function;
  auto arg = [&](size_t index) { return TranslateExpression(*expr.args[index], inputs); };
  if (name == "and" || name == "or") {
    std::string sql;
    for (size_t i = 0; i < expr.args.size(); ++i) {
      auto part = arg(i);
      if (!part) return std::nullopt;
      sql += (i ? (name == "and" ? " AND " : " OR ") : "") + *part;
    }
    return "(" + sql + ")";
  }
  if (name == "not" && expr.args.size() == 1) {
    auto part = arg(0);
    if (!part) return std::nullopt;
    return "(NOT " + *part + ")";
  }
  if ((name == "==" || name == "!=" || name == "<" || name == "<=" || name == ">" || name == ">=") &&
      expr.args.size() == 2) {
    return Comparison(expr, inputs);
  }
  if ((name == "=~" || name == "!~") && expr.args.size() == 2 && IsStringType(expr.args[0]->type)) {
    auto needle = ConstantString(*expr.args[1]);
    auto text = arg(0);
    if (!needle || !text || !IsAsciiText(*needle) || FoldsFromNonAscii(LowerAscii(*needle))) return std::nullopt;
    return "(lower(" + *text + ") " + (name == "=~" ? "= " : "!= ") + QuoteString(LowerAscii(*needle)) + ")";
  }
  if (name == "in" || name == "!in" || name == "in~" || name == "!in~") return SetMembership(expr, inputs);
  if (name == "has_any" || name == "has_all") return TermSet(expr, inputs);
  if ((name == "between" || name == "!between") && expr.args.size() == 3 && IsIntLike(expr.args[0]->type)) {
    auto value = arg(0), low = arg(1), high = arg(2);
    if (!value || !low || !high || !IsIntLike(expr.args[1]->type) || !IsIntLike(expr.args[2]->type)) {
      return std::nullopt;
    }
    std::string sql = "(" + *value + " >= " + *low + " AND " + *value + " <= " + *high + ")";
    return name == "between" ? sql : "(NOT " + sql + ")";
  }
  if (name == "bin" && expr.args.size() == 2 && IsIntLike(expr.args[0]->type) && IsIntLike(expr.type) &&
      expr.args[1]->kind == BoundExprKind::kConstant && IsIntLike(expr.args[1]->type) &&
      !expr.args[1]->constant.is_null && expr.args[1]->constant.int_value > 0) {
    // Floor division towards -infinity from the local engine's origin (0001-01-01 for datetimes).
    auto value = arg(0);
    if (!value) return std::nullopt;
    std::string step = std::to_string(expr.args[1]->constant.int_value);
    std::string origin = expr.args[0]->type == KqlType::kDateTime ? std::to_string(-62135596800LL * 10000000LL) : "0";
    std::string shifted = "(" + *value + " - toInt64(" + origin + "))";
    return "(" + *value + " - (((" + shifted + " % " + step + ") + " + step + ") % " + step + "))";
  }
  if ((name == "isempty" || name == "isnotempty") && expr.args.size() == 1 && IsStringType(expr.args[0]->type)) {
    auto text = arg(0);
    if (!text) return std::nullopt;
    return (name == "isempty" ? "empty(" : "notEmpty(") + *text + ")";
  }
  if ((name == "isnull" || name == "isnotnull") && expr.args.size() == 1 && IsIntLike(expr.args[0]->type)) {
    auto value = arg(0);
    if (!value) return std::nullopt;
    return (name == "isnull" ? "isNull(" : "isNotNull(") + *value + ")";
  }
  if (expr.args.size() == 2 && IsStringType(expr.args[0]->type)) {
    auto needle = ConstantString(*expr.args[1]);
    auto text = arg(0);
    if (needle && text) return StringPredicate(name, *text, *needle);
  }
  return std::nullopt;
}

}  // namespace

std::string RegexLiteral(const std::string& needle) {
  std::string out;
  for (char c : needle) {
    if (!IsTermChar(static_cast<unsigned char>(c)) && static_cast<unsigned char>(c) < 0x80 && c != ' ') out += '\\';
    out += c;
  }
  return out;
}

std::optional<std::string> TranslateExpression(const BoundExpr& expr, const Inputs& inputs) {
  switch (expr.kind) {
    case BoundExprKind::kConstant: return Constant(expr);
    case BoundExprKind::kColumnRef:
      if (expr.column_index >= inputs.size()) return std::nullopt;
      return inputs[expr.column_index];
    case BoundExprKind::kCall: return Call(expr, inputs);
  }
  return std::nullopt;
}

std::optional<std::string> TranslateAggregate(const BoundAggregate& aggregate, const Inputs& inputs) {
  const std::string& name = aggregate.function;
  if (aggregate.outputs.size() != 1) return std::nullopt;
  auto arg = [&](size_t index) -> std::optional<std::string> {
    if (index >= aggregate.args.size()) return std::nullopt;
    return TranslateExpression(*aggregate.args[index], inputs);
  };
  auto type = [&](size_t index) { return aggregate.args[index]->type; };
  if (name == "count" && aggregate.args.empty()) return std::string("toInt64(count())");
  if (name == "countif" && aggregate.args.size() == 1) {
    auto predicate = arg(0);
    if (!predicate) return std::nullopt;
    return "toInt64(countIf(ifNull(" + *predicate + ", 0)))";
  }
  if ((name == "min" || name == "max") && aggregate.args.size() == 1 && IsIntLike(type(0))) {
    auto value = arg(0);
    if (!value) return std::nullopt;
    return name + "(" + *value + ")";
  }
  if (name == "sum" && aggregate.args.size() == 1 && (type(0) == KqlType::kLong || type(0) == KqlType::kInt) &&
      aggregate.outputs[0].type == KqlType::kLong) {
    // The local engine's sum of no values (or only nulls) is 0.
    auto value = arg(0);
    if (!value) return std::nullopt;
    return "ifNull(sum(" + *value + "), toInt64(0))";
  }
  if ((name == "dcount" || name == "count_distinct") && aggregate.args.size() == 1 &&
      (IsIntLike(type(0)) || IsStringType(type(0)))) {
    // Exact distinct count, as the local engine computes it (not KQL's HyperLogLog estimate).
    auto value = arg(0);
    if (!value) return std::nullopt;
    return "toInt64(uniqExact(" + *value + "))";
  }
  if (name == "make_set" && aggregate.args.size() == 1 && (type(0) == KqlType::kLong || type(0) == KqlType::kInt)) {
    // Element order of a set is unspecified in KQL; sorted here so each run prints the same.
    auto value = arg(0);
    if (!value) return std::nullopt;
    return "arraySort(groupUniqArray(" + *value + "))";
  }
  return std::nullopt;
}

}  // namespace kql::clickhouse
