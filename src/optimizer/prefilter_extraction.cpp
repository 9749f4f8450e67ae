// Prefilter extraction: from the conjunction of the filters directly above a scan, derives literals that every
// matching record's raw bytes must contain (case-insensitively), so readers can skip records without parsing, and
// the string columns whose values the literals must be in (LogicalScan::prefilter_columns).
// Only string columns and literals made of printable ASCII that JSON and CSV never escape qualify: a literal
// with '"', '\\' or '/' could appear escaped in the raw record, so it yields no prefilter.
#include "optimizer/optimizer.h"

#include <algorithm>
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

/// The literal disjunction implied by one conjunct (empty when it implies nothing), and the string columns whose
/// values the literals were derived from.
struct Implied {
  Disjunction literals;
  std::vector<std::string> columns;
};

void AddColumn(std::vector<std::string>& columns, const std::string& name) {
  if (std::find(columns.begin(), columns.end(), name) == columns.end()) columns.push_back(name);
}

Implied FromConjunct(const BoundExpr& expr) {
  if (expr.kind != BoundExprKind::kCall) return {};
  if (ImpliesContains(expr.function) && expr.args.size() == 2 && IsStringColumn(*expr.args[0]) &&
      IsStringConstant(*expr.args[1])) {
    const std::string& literal = expr.args[1]->constant.string_value;
    if (SafeLiteral(literal)) return {{literal}, {expr.args[0]->column_name}};
    return {};
  }
  bool set_operator = expr.function == "has_any" || expr.function == "in" || expr.function == "in~";
  if (set_operator && !expr.subquery && expr.args.size() >= 2 && IsStringColumn(*expr.args[0])) {
    Implied implied{{}, {expr.args[0]->column_name}};
    for (size_t i = 1; i < expr.args.size(); ++i) {
      if (!IsStringConstant(*expr.args[i])) return {};
      const std::string& literal = expr.args[i]->constant.string_value;
      if (!SafeLiteral(literal)) return {};
      implied.literals.push_back(literal);
    }
    return implied;
  }
  if (expr.function == "or" && expr.args.size() == 2) {
    Implied left = FromConjunct(*expr.args[0]);
    Implied right = FromConjunct(*expr.args[1]);
    if (left.literals.empty() || right.literals.empty()) return {};
    left.literals.insert(left.literals.end(), right.literals.begin(), right.literals.end());
    for (const auto& column : right.columns) AddColumn(left.columns, column);
    return left;
  }
  return {};
}

void CollectConjuncts(const BoundExpr& expr, std::vector<Implied>& out) {
  if (expr.kind == BoundExprKind::kCall && expr.function == "and") {
    for (const auto& arg : expr.args) CollectConjuncts(*arg, out);
    return;
  }
  Implied implied = FromConjunct(expr);
  if (!implied.literals.empty()) out.push_back(std::move(implied));
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
  std::vector<Implied> prefilter;
  for (const LogicalFilter* filter : filters) CollectConjuncts(*filter->predicate, prefilter);
  scan.prefilter_columns.resize(scan.prefilter.size());
  for (auto& entry : prefilter) {
    // A name that is not one of the scan's own string columns leaves the literals unplaced (anywhere in the record).
    for (const auto& column : entry.columns) {
      auto index = FindColumn(scan.schema, column);
      if (!index || scan.schema[*index].type != KqlType::kString) {
        entry.columns.clear();
        break;
      }
    }
    bool duplicate = false;
    for (size_t index = 0; index < scan.prefilter.size(); ++index) {
      duplicate = duplicate ||
                  (scan.prefilter[index] == entry.literals && scan.prefilter_columns[index] == entry.columns);
    }
    if (duplicate) continue;
    scan.prefilter.push_back(std::move(entry.literals));
    scan.prefilter_columns.push_back(std::move(entry.columns));
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
