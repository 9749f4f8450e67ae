// Prefilter extraction: from the conjunction of the filters directly above a scan, derives literals that every
// matching record's raw bytes must contain (case-insensitively), so readers can skip records without parsing.
// Only string columns and literals made of printable ASCII that JSON and CSV never escape qualify: a literal
// with '"', '\\' or '/' could appear escaped in the raw record, so it yields no prefilter.
#include "optimizer/optimizer.h"
#include "optimizer/layer.h"

namespace kql::optimizer {
namespace {

using Disjunction = std::vector<std::string>;

bool SafeLiteral(const std::string& text) {
  if (text.empty()) return false;
  for (unsigned char c : text) {
    if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '/') return false;
  }
  return true;
}

bool IsStringColumn(const BoundExpr& expr) {
  return expr.kind == BoundExprKind::kColumnRef && expr.type == KqlType::kString;
}

bool IsStringConstant(const BoundExpr& expr) {
  return expr.kind == BoundExprKind::kConstant && expr.constant.type == KqlType::kString;
}

/// Functions whose truth implies the raw record contains the (string) literal, ignoring case.
bool ImpliesContains(const std::string& function) {
  static const char* kFunctions[] = {"==",         "=~",           "has",         "has_cs",        "hasprefix",
                                     "hasprefix_cs", "hassuffix",  "hassuffix_cs", "contains",      "contains_cs",
                                     "startswith", "startswith_cs", "endswith",    "endswith_cs"};
  for (const char* name : kFunctions) {
    if (function == name) return true;
  }
  return false;
}

/// Returns the literal disjunction implied by one conjunct, or an empty list when it implies nothing.
Disjunction FromConjunct(const BoundExpr& expr) {
  if (expr.kind != BoundExprKind::kCall) return {};
  if (ImpliesContains(expr.function) && expr.args.size() == 2 && IsStringColumn(*expr.args[0]) &&
      IsStringConstant(*expr.args[1])) {
    const std::string& literal = expr.args[1]->constant.string_value;
    if (SafeLiteral(literal)) return {literal};
    return {};
  }
  bool set_operator = expr.function == "has_any" || expr.function == "in" || expr.function == "in~";
  if (set_operator && !expr.subquery && expr.args.size() >= 2 && IsStringColumn(*expr.args[0])) {
    Disjunction literals;
    for (size_t i = 1; i < expr.args.size(); ++i) {
      if (!IsStringConstant(*expr.args[i])) return {};
      const std::string& literal = expr.args[i]->constant.string_value;
      if (!SafeLiteral(literal)) return {};
      literals.push_back(literal);
    }
    return literals;
  }
  if (expr.function == "or" && expr.args.size() == 2) {
    Disjunction left = FromConjunct(*expr.args[0]);
    Disjunction right = FromConjunct(*expr.args[1]);
    if (left.empty() || right.empty()) return {};
    left.insert(left.end(), right.begin(), right.end());
    return left;
  }
  return {};
}

void CollectConjuncts(const BoundExpr& expr, std::vector<Disjunction>& out) {
  if (expr.kind == BoundExprKind::kCall && expr.function == "and") {
    for (const auto& arg : expr.args) CollectConjuncts(*arg, out);
    return;
  }
  Disjunction literals = FromConjunct(expr);
  if (!literals.empty()) out.push_back(std::move(literals));
}

void Visit(LogicalOperator& op) {
  for (auto& child : op.children) Visit(*child);
  if (op.kind != LogicalKind::kFilter) return;
  // Gather the chain of filters ending in a scan; column indices are valid because filters keep their schema.
  std::vector<const LogicalFilter*> filters;
  LogicalOperator* current = &op;
  while (current->kind == LogicalKind::kFilter) {
    filters.push_back(&current->As<LogicalFilter>());
    current = current->children[0].get();
  }
  if (current->kind != LogicalKind::kScan) return;
  auto& scan = current->As<LogicalScan>();
  std::vector<Disjunction> prefilter;
  for (const LogicalFilter* filter : filters) CollectConjuncts(*filter->predicate, prefilter);
  for (auto& entry : prefilter) {
    bool duplicate = false;
    for (const auto& existing : scan.prefilter) duplicate = duplicate || existing == entry;
    if (!duplicate) scan.prefilter.push_back(std::move(entry));
  }
}

void VisitSubqueries(LogicalOperator& op);

void VisitExpr(BoundExpr& expr) {
  if (expr.subquery) {
    Visit(*expr.subquery);
    VisitSubqueries(*expr.subquery);
  }
  for (auto& arg : expr.args) VisitExpr(*arg);
}

void VisitSubqueries(LogicalOperator& op) {
  if (op.kind == LogicalKind::kFilter) VisitExpr(*op.As<LogicalFilter>().predicate);
  if (op.kind == LogicalKind::kProject)
    for (auto& expr : op.As<LogicalProject>().exprs) VisitExpr(*expr);
  for (auto& child : op.children) VisitSubqueries(*child);
}

}  // namespace

void ExtractPrefilters(LogicalOperator& root) {
  Visit(root);
  VisitSubqueries(root);
}

}  // namespace kql::optimizer
