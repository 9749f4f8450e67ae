#include "plan/bound_expression.h"

#include <cctype>

#include "plan/logical_operator.h"
#include "plan/layer.h"

namespace kql::plan {

BoundExpr::BoundExpr() = default;
BoundExpr::~BoundExpr() = default;
BoundExpr::BoundExpr(BoundExpr&&) noexcept = default;
BoundExpr& BoundExpr::operator=(BoundExpr&&) noexcept = default;

std::unique_ptr<BoundExpr> BoundExpr::Clone() const {
  auto copy = std::make_unique<BoundExpr>();
  copy->kind = kind;
  copy->type = type;
  copy->span = span;
  copy->constant = constant;
  copy->column_index = column_index;
  copy->column_name = column_name;
  copy->function = function;
  for (const auto& arg : args) copy->args.push_back(arg->Clone());
  if (subquery) copy->subquery = subquery->Clone();
  return copy;
}

namespace {

bool IsInfixOperator(const std::string& name) {
  static const char* kInfix[] = {"==", "!=", "<", "<=", ">", ">=", "=~", "!~", "+", "-", "*", "/", "%", "and", "or",
                                 "matches regex"};
  for (const char* op : kInfix) {
    if (name == op) return true;
  }
  // Word operators such as has, !contains_cs, startswith.
  if (name.empty()) return false;
  static const char* kWords[] = {"has", "contains", "startswith", "endswith", "hasprefix", "hassuffix"};
  std::string base = name[0] == '!' ? name.substr(1) : name;
  if (base.size() > 3 && base.compare(base.size() - 3, 3, "_cs") == 0) base.resize(base.size() - 3);
  for (const char* word : kWords) {
    if (base == word) return true;
  }
  return false;
}

std::string ConstantToString(const Value& value) {
  if (value.type == KqlType::kString) {
    std::string out;
    AppendJsonString(out, value.string_value);
    return out;
  }
  if (value.is_null) return std::string(TypeName(value.type)) + "(null)";
  switch (value.type) {
    case KqlType::kDateTime: return "datetime(" + FormatGolden(value) + ")";
    case KqlType::kTimeSpan: return "timespan(" + FormatGolden(value) + ")";
    case KqlType::kGuid: return "guid(" + value.string_value + ")";
    case KqlType::kDynamic: return "dynamic(" + FormatGolden(value) + ")";
    default: return FormatGolden(value);
  }
}

}  // namespace

std::string BoundExpr::ToString() const {
  switch (kind) {
    case BoundExprKind::kConstant: return ConstantToString(constant);
    case BoundExprKind::kColumnRef: return column_name;
    case BoundExprKind::kCall: break;
  }
  if (IsInfixOperator(function) && args.size() == 2 && !subquery) {
    return args[0]->ToString() + " " + function + " " + args[1]->ToString();
  }
  if (function == "neg" && args.size() == 1) {
    // Appending (rather than "-" + string) sidesteps a false -Wrestrict warning in GCC 12.
    std::string out = "-";
    out += args[0]->ToString();
    return out;
  }
  bool set_operator = function == "in" || function == "!in" || function == "in~" || function == "!in~" ||
                      function == "has_any" || function == "has_all" || function == "between" ||
                      function == "!between";
  if (set_operator && !args.empty()) {
    std::string out = args[0]->ToString() + " " + function + " (";
    if (subquery) {
      out += "<subquery>";
    } else {
      for (size_t i = 1; i < args.size(); ++i) {
        if (i > 1) out += function == "between" || function == "!between" ? " .. " : ", ";
        out += args[i]->ToString();
      }
    }
    return out + ")";
  }
  std::string out = function + "(";
  for (size_t i = 0; i < args.size(); ++i) {
    if (i) out += ", ";
    out += args[i]->ToString();
  }
  return out + ")";
}

std::unique_ptr<BoundExpr> BoundExpr::MakeConstant(Value value, SourceSpan span) {
  auto expr = std::make_unique<BoundExpr>();
  expr->kind = BoundExprKind::kConstant;
  expr->type = value.type;
  expr->span = span;
  expr->constant = std::move(value);
  return expr;
}

std::unique_ptr<BoundExpr> BoundExpr::MakeColumn(size_t index, std::string name, KqlType type, SourceSpan span) {
  auto expr = std::make_unique<BoundExpr>();
  expr->kind = BoundExprKind::kColumnRef;
  expr->type = type;
  expr->span = span;
  expr->column_index = index;
  expr->column_name = std::move(name);
  return expr;
}

std::unique_ptr<BoundExpr> BoundExpr::MakeCall(std::string function, KqlType type,
                                               std::vector<std::unique_ptr<BoundExpr>> args, SourceSpan span) {
  auto expr = std::make_unique<BoundExpr>();
  expr->kind = BoundExprKind::kCall;
  expr->type = type;
  expr->span = span;
  expr->function = std::move(function);
  expr->args = std::move(args);
  return expr;
}

BoundAggregate BoundAggregate::Clone() const {
  BoundAggregate copy;
  copy.function = function;
  for (const auto& arg : args) copy.args.push_back(arg->Clone());
  copy.outputs = outputs;
  return copy;
}

std::string BoundAggregate::ToString() const {
  std::string out;
  for (size_t i = 0; i < outputs.size(); ++i) {
    if (i) out += ",";
    out += outputs[i].name;
  }
  out += "=" + function + "(";
  for (size_t i = 0; i < args.size(); ++i) {
    if (i) out += ", ";
    out += args[i]->ToString();
  }
  return out + ")";
}

}  // namespace kql::plan
