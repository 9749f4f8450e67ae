// Binding of the reshaping `evaluate` plugins, written as the pipelines they stand for and bound over the
// plugin's input (BindRewrite):
//   narrow()  -> one row per input cell: Row (the input row's 0-based position), Column (its name), Value (tostring).
//   pivot(P [, agg(c) [, g1, g2...]]) -> summarize agg by g..., tostring(P), then one column per value of P
//   (bag_unpack: the columns sorted by name); cells without rows are 0 for count/dcount/sum/countif, else null.
#include <algorithm>

#include "binder/binder_diagnostic.h"
#include "binder/query_binder.h"
#include "binder/layer.h"

namespace kql::binder {
namespace {

/// The name under which a rewrite's pipeline sees the plugin's input.
constexpr const char* kRewriteInput = "__evaluate_input";

/// A string literal: `'text'` with quotes and backslashes escaped.
std::string StringLiteral(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "'";
}

/// A column name as a KQL identifier (`['name']`).
std::string QuotedColumn(const std::string& name) { return "[" + StringLiteral(name) + "]"; }

/// The name of a column argument, or "" when the argument is not a plain column name.
std::string ColumnArgument(const Expr& expr) {
  const Expr& stripped = StripParens(expr);
  return stripped.kind == ExprKind::kName ? stripped.As<NameExpr>().name : std::string();
}

}  // namespace

LogicalOperatorPtr QueryBinder::BindRewrite(const std::string& pipeline_text, LogicalOperatorPtr input,
                                            SourceSpan span) {
  ParseResult parsed = Parse(std::string(kRewriteInput) + "\n| " + pipeline_text);
  if (!parsed.ok() || parsed.query.body == nullptr) {
    Error(kBindUnsupportedOperator, span, "internal rewrite does not parse: " + pipeline_text);
    return input;
  }
  LetBinding binding;
  binding.kind = LetBinding::Kind::kTabular;
  binding.plan = std::move(input);
  scopes_.emplace_back(kRewriteInput, std::move(binding));
  const size_t saved_scopes = scopes_.size() - 1;
  const size_t first = diagnostics_.items().size();
  LogicalOperatorPtr plan = BindPipeline(*parsed.query.body, nullptr);
  scopes_.resize(saved_scopes);
  // Diagnostics of the generated text point into it: they are moved to the plugin call.
  for (auto item = diagnostics_.mutable_items().begin() + static_cast<std::ptrdiff_t>(first);
       item != diagnostics_.mutable_items().end(); ++item) {
    item->span = span;
  }
  return plan;
}

LogicalOperatorPtr QueryBinder::BindNarrow(const CallExpr& call, LogicalOperatorPtr input) {
  if (!call.args.empty()) {
    Error(kBindWrongArity, call.name_span, "narrow() takes no arguments");
    return input;
  }
  const Schema schema = input->schema;
  std::string pairs = "pack_array(";
  for (size_t index = 0; index < schema.size(); ++index) {
    pairs += (index ? ", " : "") + std::string("pack_array(") + StringLiteral(schema[index].name) + ", tostring(" +
             QuotedColumn(schema[index].name) + "))";
  }
  pairs += ")";
  return BindRewrite("serialize __narrow_row = row_number() - 1\n| project __narrow_row, __narrow_pairs = " + pairs +
                         "\n| mv-expand __narrow_pairs\n| project Row = __narrow_row, Column = "
                         "tostring(__narrow_pairs[0]), Value = tostring(__narrow_pairs[1])",
                     std::move(input), call.name_span);
}

LogicalOperatorPtr QueryBinder::BindPivot(const EvaluateOp& op, LogicalOperatorPtr input) {
  const CallExpr& call = *op.call;
  if (!op.output_schema.empty()) {
    Error(kBindUnsupportedOperator, op.span, "The operator is not supported yet: 'evaluate pivot' with an output schema");
    return input;
  }
  if (call.args.empty()) {
    Error(kBindWrongArity, call.name_span, "pivot() expects the column to pivot");
    return input;
  }
  const Schema schema = input->schema;
  const std::string pivot = ColumnArgument(*call.args[0]);
  if (pivot.empty() || !FindColumn(schema, pivot)) {
    Error(kBindUnknownName, call.args[0]->span, "pivot() expects a column of its input as its first argument");
    return input;
  }
  // The aggregation: count() by default, else aggregate(column...) with plain column arguments.
  std::string aggregate = "count()";
  std::string aggregate_name = "count";
  std::vector<std::string> used = {pivot};
  if (call.args.size() >= 2) {
    const Expr& arg = StripParens(*call.args[1]);
    static const std::vector<std::string> kAggregates = {"min", "max", "take_any", "any", "sum", "dcount", "avg",
                                                         "stdev", "variance", "make_list", "make_bag", "make_set",
                                                         "count", "countif"};
    if (arg.kind != ExprKind::kCall ||
        std::find(kAggregates.begin(), kAggregates.end(), arg.As<CallExpr>().name) == kAggregates.end()) {
      Error(kBindExpectedAggregate, call.args[1]->span,
            "pivot() expects one of min, max, take_any, sum, dcount, avg, stdev, variance, make_list, make_bag, "
            "make_set, count as its aggregation");
      return input;
    }
    const CallExpr& agg = arg.As<CallExpr>();
    aggregate_name = agg.name;
    aggregate = agg.name + "(";
    for (size_t index = 0; index < agg.args.size(); ++index) {
      const std::string column = ColumnArgument(*agg.args[index]);
      if (column.empty()) {
        Error(kBindUnsupportedOperator, agg.args[index]->span,
              "The operator is not supported yet: 'evaluate pivot' aggregating an expression; extend a column first");
        return input;
      }
      aggregate += (index ? ", " : "") + QuotedColumn(column);
      used.push_back(column);
    }
    aggregate += ")";
  }
  // Group-by columns: the ones given, else every column but the pivoted and aggregated ones.
  std::vector<std::string> keys;
  for (size_t index = 2; index < call.args.size(); ++index) {
    const std::string column = ColumnArgument(*call.args[index]);
    if (column.empty() || !FindColumn(schema, column)) {
      Error(kBindUnknownName, call.args[index]->span, "pivot() expects column names to group by");
      return input;
    }
    keys.push_back(column);
  }
  if (call.args.size() <= 2) {
    for (const ColumnDef& column : schema) {
      if (std::find(used.begin(), used.end(), column.name) == used.end()) keys.push_back(column.name);
    }
  }
  std::string by;
  for (const std::string& key : keys) by += QuotedColumn(key) + ", ";
  // The aggregate's type: a value column whose cells are all null comes out of bag_unpack as dynamic.
  const std::string first_step =
      "summarize __pivot_value = " + aggregate + " by " + by + "__pivot_key = tostring(" + QuotedColumn(pivot) + ")";
  KqlType value_type = KqlType::kDynamic;
  if (LogicalOperatorPtr probe = BindRewrite(first_step, input->Clone(), call.name_span);
      probe != nullptr && !probe->schema.empty()) {
    value_type = probe->schema.back().type;
  }
  LogicalOperatorPtr plan = BindRewrite(
      first_step + "\n| summarize __pivot_bag = make_bag(bag_pack(__pivot_key, __pivot_value))" +
          (keys.empty() ? std::string() : " by " + by.substr(0, by.size() - 2)) +
          "\n| evaluate bag_unpack(__pivot_bag)",
      std::move(input), call.name_span);
  const bool zero_default =
      aggregate_name == "count" || aggregate_name == "countif" || aggregate_name == "dcount" || aggregate_name == "sum";
  if (plan == nullptr || IsErrorSchema(plan->schema)) return plan;
  // Value columns get the aggregate's type; cells of groups without rows for a value are the aggregate of no rows:
  // 0 for the counting aggregates, else null.
  auto project = std::make_unique<LogicalProject>();
  for (size_t index = 0; index < plan->schema.size(); ++index) {
    ColumnDef column = plan->schema[index];
    BoundExprPtr expr = BoundExpr::MakeColumn(index, column.name, column.type);
    const bool is_key = std::find(keys.begin(), keys.end(), column.name) != keys.end();
    if (!is_key && column.type != value_type && !ConversionFunctionName(value_type).empty()) {
      std::vector<BoundExprPtr> args;
      args.push_back(std::move(expr));
      const KqlType converted = value_type == KqlType::kInt ? KqlType::kLong : value_type;
      expr = BoundExpr::MakeCall(std::string(ConversionFunctionName(value_type)), converted, std::move(args));
      column.type = converted;
    }
    if (!is_key && zero_default && (column.type == KqlType::kLong || column.type == KqlType::kReal)) {
      std::vector<BoundExprPtr> args;
      args.push_back(std::move(expr));
      args.push_back(BoundExpr::MakeConstant(column.type == KqlType::kLong ? Value::Long(0) : Value::Real(0)));
      expr = BoundExpr::MakeCall("coalesce", column.type, std::move(args));
    }
    project->exprs.push_back(std::move(expr));
    project->schema.push_back(column);
  }
  project->children.push_back(std::move(plan));
  return project;
}

}  // namespace kql::binder
