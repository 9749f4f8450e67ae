// Binding of `top-hitters N of expr [by weight]`: an exact count (or sum of the weight) per value followed by top N
// descending; Kusto's answer is approximate, kqlite's is exact, which is within what Kusto promises. The result
// columns are named approximate_count_<expr> / approximate_sum_<weight> as in Kusto.
#include "binder/binder_diagnostic.h"
#include "binder/query_binder.h"
#include "binder/layer.h"

namespace kql::binder {

LogicalOperatorPtr QueryBinder::BindTopHitters(const TopHittersOp& op, LogicalOperatorPtr input) {
  if (op.of == nullptr) return input;
  auto aggregate = std::make_unique<LogicalAggregate>();
  BoundExprPtr key = BindExpr(*op.of, input->schema);
  std::string key_name = DeriveName(*op.of);
  if (key_name.empty()) key_name = "Column1";
  aggregate->schema.push_back({key_name, key->type});
  aggregate->keys.push_back(std::move(key));
  BoundAggregate measure;
  if (op.by != nullptr) {
    BoundExprPtr weight = BindExpr(*op.by, input->schema);
    if (!IsNumeric(weight->type) && weight->type != KqlType::kUnknown) {
      Error(kBindWrongArgumentType, op.by->span,
            "top-hitters by expects a number, not " + std::string(TypeName(weight->type)));
    }
    const KqlType type = weight->type == KqlType::kReal || weight->type == KqlType::kDecimal ? weight->type
                                                                                               : KqlType::kLong;
    std::string weight_name = DeriveName(*op.by);
    if (weight_name.empty()) weight_name = "Column1";
    measure.function = "sum";
    measure.args.push_back(std::move(weight));
    measure.outputs.push_back({"approximate_sum_" + weight_name, type});
  } else {
    measure.function = "count";
    measure.outputs.push_back({"approximate_count_" + key_name, KqlType::kLong});
  }
  aggregate->schema.push_back(measure.outputs[0]);
  aggregate->aggregates.push_back(std::move(measure));
  aggregate->children.push_back(std::move(input));
  auto top = std::make_unique<LogicalTop>();
  top->limit = op.count ? BindConstantCount(*op.count).value_or(0) : 0;
  SortKey order;
  order.expr = BoundExpr::MakeColumn(1, aggregate->schema[1].name, aggregate->schema[1].type);
  order.ascending = false;
  top->keys.push_back(std::move(order));
  top->schema = aggregate->schema;
  top->children.push_back(std::move(aggregate));
  return top;
}

}  // namespace kql::binder
