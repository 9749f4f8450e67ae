// Binding of `scan [with_match_id=id] [declare (v:type[=default], ...)] with (step s: cond [=> v = expr, ...]; ...)`.
// Conditions and assignments see the current row (input columns and the declared variables at their defaults)
// and, as `step.column`, the row each step last matched in the match being extended (see LogicalSequenceScan).
// The legacy `order by` / `partition by` clauses and output=last are rejected by name.
#include <algorithm>

#include "binder/binder_diagnostic.h"
#include "binder/query_binder.h"
#include "plan/logical_sequence_scan.h"
#include "binder/layer.h"

namespace kql::binder {

LogicalOperatorPtr QueryBinder::BindSequenceScan(const ScanOp& op, LogicalOperatorPtr input) {
  auto scan = std::make_unique<LogicalSequenceScan>();
  for (const OperatorParam& param : op.params) {
    if (param.name == "with_match_id") {
      scan->match_id_column = ParamText(param);
    } else {
      Error(kBindInvalidOperatorParameter, param.span, "Unknown scan parameter: " + param.name);
    }
  }
  if (!op.order_by.empty() || !op.partition_by.empty()) {
    Error(kBindUnsupportedOperator, op.span,
          "The scan 'order by' / 'partition by' clauses are not supported yet; sort (or partition) the input first");
  }
  const Schema& schema = input->schema;
  for (const FunctionParam& declaration : op.declarations) {
    std::optional<KqlType> type = ParseTypeName(declaration.decl.type);
    if (!type) {
      Error(kBindInvalidLiteral, declaration.decl.span, "Unknown type name: " + declaration.decl.type);
      type = KqlType::kUnknown;
    }
    Value initial = Value::Null(*type);
    if (declaration.default_value) {
      BoundExprPtr bound = BindExpr(*declaration.default_value, Schema{});
      std::optional<Value> converted =
          bound->kind == BoundExprKind::kConstant ? ConvertConstant(bound->constant, *type) : std::nullopt;
      if (!converted) {
        Error(kBindExpectedConstant, declaration.default_value->span,
              "A scan variable's default must be a constant of its type: " + declaration.decl.name);
      } else {
        initial = *converted;
      }
    }
    if (FindColumn(schema, declaration.decl.name)) {
      Error(kBindInvalidOperatorParameter, declaration.decl.span,
            "A scan variable has the name of an input column: " + declaration.decl.name);
    }
    scan->declared.push_back({declaration.decl.name, *type});
    scan->defaults.push_back(std::move(initial));
  }
  // Evaluation schema: current row, then one copy per step under `step.column` names.
  Schema row = schema;
  row.insert(row.end(), scan->declared.begin(), scan->declared.end());
  scan->eval_schema = row;
  for (const ScanStep& step : op.steps) {
    for (const ColumnDef& column : row) scan->eval_schema.push_back({step.name + "." + column.name, column.type});
  }
  if (op.steps.empty()) Error(kBindInvalidOperatorParameter, op.span, "scan needs at least one step");
  for (const ScanStep& step : op.steps) {
    SequenceStep bound;
    bound.name = step.name;
    if (step.optional) Error(kBindUnsupportedOperator, step.span, "Optional scan steps are not supported yet");
    for (const OperatorParam& param : step.params) {
      const std::string text = ParamText(param);
      if (param.name == "output" && (text == "all" || text == "none")) {
        bound.output = text == "all";
      } else {
        Error(kBindUnsupportedOperator, param.span, "The scan step option is not supported yet: " + param.name +
                                                        "=" + text);
      }
    }
    bound.condition = step.condition ? BindPredicate(*step.condition, scan->eval_schema) : ErrorExpr(step.span);
    for (const NamedExpr& assignment : step.assignments) {
      const std::string name = assignment.names.empty() ? std::string() : assignment.names[0];
      auto declared = std::find_if(scan->declared.begin(), scan->declared.end(),
                                   [&](const ColumnDef& column) { return column.name == name; });
      if (declared == scan->declared.end()) {
        Error(kBindInvalidOperatorParameter, assignment.span,
              "A scan step can only assign declared variables: " + (name.empty() ? std::string("?") : name));
        continue;
      }
      BoundExprPtr value = BindExpr(*assignment.expr, scan->eval_schema);
      if (value->type != declared->type && value->type != KqlType::kUnknown) {
        if (!(IsNumeric(value->type) && IsNumeric(declared->type))) {
          Error(kBindWrongArgumentType, assignment.span,
                "The value's type " + std::string(TypeName(value->type)) + " does not match the variable's type " +
                    std::string(TypeName(declared->type)) + ": " + name);
        }
      }
      bound.assignments.emplace_back(static_cast<size_t>(declared - scan->declared.begin()), std::move(value));
    }
    scan->steps.push_back(std::move(bound));
  }
  scan->schema = row;
  if (!scan->match_id_column.empty()) scan->schema.push_back({scan->match_id_column, KqlType::kLong});
  scan->children.push_back(std::move(input));
  return scan;
}

}  // namespace kql::binder
