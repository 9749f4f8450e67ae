// Binding of toscalar(tabular expression): Kusto evaluates the subquery once, before the rest of the query, and
// uses the first column of its first row (null of that column's type when it has no rows). The binder does the
// same through BindOptions::evaluate_plan and folds the call to a constant; a constant datatable needs no host.
// Without a host (lint) the call is typed from the subquery's first column and its value is unknown (null).
#include "binder/binder_diagnostic.h"
#include "binder/query_binder.h"
#include "binder/layer.h"

namespace kql::binder {

BoundExprPtr QueryBinder::BindToScalar(const CallExpr& call, const Schema& input) {
  if (call.args.size() != 1) {
    Error(kBindWrongArity,
          call.name_span, "Wrong number of arguments: expected 1, got " + std::to_string(call.args.size()) +
                              " for toscalar");
    return ErrorExpr(call.span);
  }
  LetBinding value = BindValue(*call.args[0], input);
  if (value.kind == LetBinding::Kind::kScalar) return std::move(value.scalar);
  if (value.kind != LetBinding::Kind::kTabular || !value.plan) {
    if (value.kind == LetBinding::Kind::kFunction) {
      Error(kBindTabularScalarMismatch, call.args[0]->span, "toscalar expects a tabular or scalar expression");
    }
    return ErrorExpr(call.span);
  }
  const LogicalOperator& plan = *value.plan;
  if (IsErrorSchema(plan.schema)) return ErrorExpr(call.span);
  if (plan.schema.empty()) {
    Error(kBindTabularScalarMismatch, call.args[0]->span, "toscalar expects a table with at least one column");
    return ErrorExpr(call.span);
  }
  const KqlType type = plan.schema[0].type;
  std::vector<std::vector<Value>> rows;
  if (plan.kind == LogicalKind::kValues) {
    rows = plan.As<LogicalValues>().rows;
  } else if (std::optional<Table> table = options_.evaluate_plan ? options_.evaluate_plan(plan) : std::nullopt) {
    rows = table->Rows();
  } else if (!options_.evaluate_plan) {
    // Without a host (lint, explain) nothing runs: the call stands for an unknown value of the column's type.
    return BoundExpr::MakeConstant(Value::Null(type), call.span);
  } else {
    Error(kBindUnsupportedFunction, call.name_span,
          "Function is not supported: toscalar (its subquery cannot run while binding here)");
    return ErrorExpr(call.span);
  }
  Value result = rows.empty() || rows[0].empty() ? Value::Null(type) : rows[0][0];
  result.type = type;
  return BoundExpr::MakeConstant(std::move(result), call.span);
}

}  // namespace kql::binder
