// Binding of make-series: a filter on the axis bounds, an aggregate grouped by the `by` keys and the binned axis
// (bin_at(axis, step, start) written as start + bin(axis - start, step)), and a LogicalMakeSeries that lays the
// aggregates out as dynamic arrays. Result names follow summarize's (avg_x, count_), then the axis column's name;
// checked with Kusto's binder.
#include <algorithm>

#include "binder/binder_diagnostic.h"
#include "binder/query_binder.h"
#include "plan/logical_make_series.h"
#include "binder/layer.h"

namespace kql::binder {
namespace {

/// Aggregates make-series accepts: the documented ones (numeric results) plus the *if and population forms.
constexpr std::string_view kSeriesAggregates[] = {
    "avg",   "avgif",    "count",      "countif",    "dcount",  "dcountif", "max",     "maxif",    "min",
    "minif", "percentile", "take_any", "stdev",      "stdevif", "stdevp",   "sum",     "sumif",    "variance",
    "varianceif", "variancep", "count_distinct",
};

bool IsAxisType(KqlType type) {
  return type == KqlType::kDateTime || type == KqlType::kTimeSpan || IsNumeric(type) || type == KqlType::kUnknown;
}

/// True when a step of type `step` fits an axis of type `axis`.
bool StepFits(KqlType axis, KqlType step) {
  if (axis == KqlType::kUnknown || step == KqlType::kUnknown) return true;
  if (axis == KqlType::kDateTime || axis == KqlType::kTimeSpan) return step == KqlType::kTimeSpan;
  return IsNumeric(step);
}

/// True when a bound of type `bound` fits an axis of type `axis`.
bool BoundFits(KqlType axis, KqlType bound) {
  if (axis == KqlType::kUnknown || bound == KqlType::kUnknown) return true;
  if (IsNumeric(axis)) return IsNumeric(bound);
  return axis == bound;
}

/// The value of absent bins: the default converted to the aggregate's type where that is exact.
Value SeriesDefault(const Value& given, KqlType type) {
  if (given.is_null) return Value::Null(type);
  const bool given_real = given.type == KqlType::kReal || given.type == KqlType::kDecimal;
  if (type == KqlType::kReal || type == KqlType::kDecimal) {
    if (given_real) return Value::Real(given.real_value);
    if (IsInteger(given.type)) return Value::Real(static_cast<double>(given.int_value));
    return given;
  }
  if (IsInteger(type) && IsInteger(given.type)) return Value::Long(given.int_value);
  return given;
}

}  // namespace

LogicalOperatorPtr QueryBinder::BindMakeSeries(const MakeSeriesOp& op, LogicalOperatorPtr input) {
  const Schema schema = input->schema;
  auto series = std::make_unique<LogicalMakeSeries>();
  for (const OperatorParam& param : op.params) {
    if (param.name != "kind") continue;
    const bool nonempty = param.value && param.value->kind == ExprKind::kName &&
                          param.value->As<NameExpr>().name == "nonempty";
    if (!nonempty) {
      Error(kBindInvalidOperatorParameter, param.span, "make-series supports only kind=nonempty");
      continue;
    }
    series->nonempty = true;
  }
  // The axis and its bounds.
  if (!op.on || !op.step) return input;
  BoundExprPtr axis = BindExpr(*op.on, schema);
  if (!IsAxisType(axis->type)) {
    Error(kBindWrongArgumentType, op.on->span,
          "The make-series axis must be a datetime, timespan or number, not " + std::string(TypeName(axis->type)));
  }
  KqlType axis_type = axis->type == KqlType::kInt ? KqlType::kLong : axis->type;
  BoundExprPtr step = BindExpr(*op.step, Schema{});
  if (!StepFits(axis_type, step->type)) {
    Error(kBindWrongArgumentType, op.step->span,
          "The type '" + std::string(TypeName(step->type)) + "' is not an appropriate step for a " +
              std::string(TypeName(axis_type)) + " axis");
  }
  BoundExprPtr start = op.from ? BindExpr(*op.from, Schema{}) : nullptr;
  BoundExprPtr stop = op.to ? BindExpr(*op.to, Schema{}) : nullptr;
  for (const auto* bound : {&start, &stop}) {
    if (*bound && !BoundFits(axis_type, (*bound)->type)) {
      Error(kBindWrongArgumentType, (*bound)->span,
            "The make-series bound must be of the axis type " + std::string(TypeName(axis_type)) + ", not " +
                std::string(TypeName((*bound)->type)));
    }
  }
  if (IsNumeric(axis_type)) {
    // A real anywhere makes the axis real (from 0.5 step 1 over a long column).
    for (const BoundExpr* part : {start.get(), stop.get(), step.get()}) {
      if (part && (part->type == KqlType::kReal || part->type == KqlType::kDecimal)) axis_type = KqlType::kReal;
    }
  }
  // Rows outside [from, to) are dropped before aggregating; `in range` drops bins outside the axis instead.
  if (!op.in_range && (start || stop)) {
    auto filter = std::make_unique<LogicalFilter>();
    std::vector<BoundExprPtr> conditions;
    auto compare = [&](const char* name, const BoundExprPtr& bound) {
      std::vector<BoundExprPtr> operands;
      operands.push_back(axis->Clone());
      operands.push_back(bound->Clone());
      conditions.push_back(BoundExpr::MakeCall(name, KqlType::kBool, std::move(operands), op.span));
    };
    if (start) compare(">=", start);
    if (stop) compare("<", stop);
    BoundExprPtr predicate = std::move(conditions[0]);
    if (conditions.size() == 2) {
      std::vector<BoundExprPtr> both;
      both.push_back(std::move(predicate));
      both.push_back(std::move(conditions[1]));
      predicate = BoundExpr::MakeCall("and", KqlType::kBool, std::move(both), op.span);
    }
    filter->predicate = std::move(predicate);
    filter->schema = schema;
    filter->children.push_back(std::move(input));
    input = std::move(filter);
  }
  // The binned axis: start + bin(axis - start, step) (bin_at), or bin(axis, step).
  BoundExprPtr binned;
  {
    std::vector<BoundExprPtr> bin_args;
    KqlType offset_type = axis_type;
    if (start && !op.in_range) {
      offset_type = axis_type == KqlType::kDateTime ? KqlType::kTimeSpan : axis_type;
      std::vector<BoundExprPtr> difference;
      difference.push_back(axis->Clone());
      difference.push_back(start->Clone());
      bin_args.push_back(BoundExpr::MakeCall("-", offset_type, std::move(difference), op.span));
    } else {
      bin_args.push_back(axis->Clone());
    }
    bin_args.push_back(step->Clone());
    binned = BoundExpr::MakeCall("bin", offset_type, std::move(bin_args), op.span);
    if (start && !op.in_range) {
      std::vector<BoundExprPtr> sum;
      sum.push_back(start->Clone());
      sum.push_back(std::move(binned));
      binned = BoundExpr::MakeCall("+", axis_type, std::move(sum), op.span);
    }
  }
  // The aggregate: by keys, the binned axis, then the aggregates.
  auto aggregate = std::make_unique<LogicalAggregate>();
  ColumnNamer namer;
  for (const NamedExpr& item : op.by) {
    for (const std::string& name : item.names) namer.Reserve(name);
  }
  for (const SeriesAggregate& item : op.aggregates) {
    for (const std::string& name : item.aggregate.names) namer.Reserve(name);
  }
  for (const NamedExpr& item : op.by) {
    std::string name;
    BoundExprPtr key = BindGroupKey(item, schema, namer, "make-series", name);
    aggregate->schema.push_back({name, key->type});
    series->schema.push_back({name, key->type});
    aggregate->keys.push_back(std::move(key));
  }
  const std::vector<ColumnDef> keys = aggregate->schema;
  series->key_count = keys.size();
  aggregate->schema.push_back({"\x01" "axis", axis_type});
  aggregate->keys.push_back(std::move(binned));
  for (const SeriesAggregate& item : op.aggregates) {
    const Expr& expr = StripParens(*item.aggregate.expr);
    if (expr.kind != ExprKind::kCall) {
      Error(kBindExpectedAggregate, item.aggregate.expr->span,
            "make-series expects an aggregate function call such as count() or avg(x)");
      continue;
    }
    const CallExpr& call = expr.As<CallExpr>();
    const FunctionSignature* signature = FindFunction(call.name);
    if (signature != nullptr && signature->function_class == FunctionClass::kAggregate &&
        std::find(std::begin(kSeriesAggregates), std::end(kSeriesAggregates), signature->name) ==
            std::end(kSeriesAggregates)) {
      Error(kBindExpectedAggregate, call.name_span,
            "make-series supports only aggregates with numeric results, not: " + call.name);
      continue;
    }
    if (signature != nullptr && signature->name == "take_any" && call.args.size() != 1) {
      Error(kBindWrongArity, call.name_span, "make-series supports take_any of one argument only");
      continue;
    }
    std::optional<BoundAggregate> bound = BindAggregate(call, schema, item.aggregate.names, namer, keys);
    if (!bound || bound->outputs.size() != 1) continue;
    const ColumnDef output = bound->outputs[0];
    if (std::any_of(series->schema.begin(), series->schema.end(),
                    [&](const ColumnDef& column) { return column.name == output.name; })) {
      Error(kBindInvalidOperatorParameter, item.aggregate.span,
            "A column with the name '" + output.name + "' is already declared");
      continue;
    }
    Value fallback = Value::Long(0);
    if (item.default_value) {
      BoundExprPtr value = BindExpr(*item.default_value, Schema{});
      if (value->kind != BoundExprKind::kConstant) {
        if (value->type != KqlType::kUnknown) {
          Error(kBindExpectedConstant, item.default_value->span, "The make-series default must be a constant");
        }
      } else {
        fallback = value->constant;
      }
    }
    const bool numeric_output = IsNumeric(output.type) || output.type == KqlType::kBool;
    SeriesColumn column;
    column.element_type = output.type;
    column.default_value =
        numeric_output || item.default_value ? SeriesDefault(fallback, output.type) : Value::Null(output.type);
    series->series.push_back(std::move(column));
    aggregate->schema.push_back(output);
    series->schema.push_back({output.name, KqlType::kDynamic});
    aggregate->aggregates.push_back(std::move(*bound));
  }
  std::string axis_name = DeriveName(*op.on);
  axis_name = axis_name.empty() ? namer.NextGenerated() : axis_name;
  if (namer.IsTaken(axis_name) && !IsErrorSchema(schema)) {
    Error(kBindInvalidOperatorParameter, op.on->span, "A column with the name '" + axis_name + "' is already declared");
  }
  series->schema.push_back({axis_name, KqlType::kDynamic});
  series->axis_type = axis_type;
  series->start = std::move(start);
  series->stop = std::move(stop);
  series->step = std::move(step);
  series->stop_inclusive = op.in_range;
  aggregate->children.push_back(std::move(input));
  series->children.push_back(std::move(aggregate));
  return series;
}

}  // namespace kql::binder
