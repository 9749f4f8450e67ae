// Binding of the operators whose query returns several tables: fork and facet. Either may only end the query's
// tabular expression (QueryBinder::result_operator_); the first table becomes the query's plan and the others
// BindResult::more_results, each run over its own copy of the input plan.
//   fork [name=](subquery) ...: one table per subquery, named by `name=`, else by a final `| as name`, else
//     Table_<i> (i: the subquery's 0-based position).
//   facet by c1, c2 [with (subquery)]: the with table first (named Table_0), then per column `summarize
//     count_<c> = count() by <c>`, named after the column (the documentation's "State facet output table").
#include <set>

#include "binder/binder_diagnostic.h"
#include "binder/query_binder.h"
#include "binder/layer.h"

namespace kql::binder {
namespace {

/// The name of a fork subquery's table: `name=`, else the alias of a final `as`, else Table_<index>.
std::string ForkResultName(const ForkOp& fork, size_t index) {
  if (index < fork.branch_names.size() && !fork.branch_names[index].empty()) return fork.branch_names[index];
  const Pipeline& branch = *fork.branches[index];
  if (!branch.operators.empty() && branch.operators.back()->kind == OperatorKind::kAs) {
    const std::string& alias = branch.operators.back()->As<AsOp>().alias;
    if (!alias.empty()) return alias;
  }
  return "Table_" + std::to_string(index);
}

/// `summarize count_<c> = count() by <c>` over the input's column `index`.
LogicalOperatorPtr FacetCounts(LogicalOperatorPtr input, size_t index) {
  const ColumnDef column = input->schema[index];
  auto aggregate = std::make_unique<LogicalAggregate>();
  aggregate->keys.push_back(BoundExpr::MakeColumn(index, column.name, column.type));
  BoundAggregate count;
  count.function = "count";
  count.outputs.push_back({"count_" + column.name, KqlType::kLong});
  aggregate->aggregates.push_back(std::move(count));
  aggregate->schema = {column, {"count_" + column.name, KqlType::kLong}};
  aggregate->children.push_back(std::move(input));
  return aggregate;
}

}  // namespace

LogicalOperatorPtr QueryBinder::BindMultiResult(const Operator& op, LogicalOperatorPtr input) {
  const std::string keyword(OperatorKindName(op.kind));
  if (&op != result_operator_) {
    Error(kBindUnsupportedOperator, op.span,
          keyword + " returns several tables, so it must be the last operator of the query (not inside a let, a "
                    "subquery or a function, and followed by no other operator)");
    return input;
  }
  result_operator_ = nullptr;  // Nested forks (inside a subquery) are reported as misplaced.
  std::vector<NamedPlan> results;
  if (op.kind == OperatorKind::kFork) {
    const ForkOp& fork = op.As<ForkOp>();
    std::set<std::string> names;
    for (size_t index = 0; index < fork.branches.size(); ++index) {
      std::string name = ForkResultName(fork, index);
      if (!names.insert(name).second) {
        Error(kBindInvalidOperatorParameter, fork.branches[index]->span,
              "fork: two subqueries return a table named '" + name + "'");
      }
      results.push_back({std::move(name), BindPipeline(*fork.branches[index], input->Clone())});
    }
  } else {
    const FacetOp& facet = op.As<FacetOp>();
    if (facet.with) results.push_back({"Table_0", BindPipeline(*facet.with, input->Clone())});
    const Schema schema = input->schema;
    std::vector<bool> used(schema.size(), false);
    for (const ColumnPattern& pattern : facet.columns) {
      bool matched = false;
      for (size_t index = 0; index < schema.size(); ++index) {
        const bool hit = pattern.has_wildcard ? WildcardMatchName(pattern.pattern, schema[index].name)
                                              : pattern.pattern == schema[index].name;
        if (!hit) continue;
        matched = true;
        if (used[index]) continue;
        used[index] = true;
        if (schema[index].type == KqlType::kDynamic) {
          Error(kBindInvalidGroupKey, pattern.span,
                "facet by a dynamic column is not allowed: " + schema[index].name + " (convert it with tostring())");
          continue;
        }
        results.push_back({schema[index].name, FacetCounts(input->Clone(), index)});
      }
      if (!matched) ReportPatternNoMatch(pattern, schema, "facet: ");
    }
  }
  if (results.empty()) return input;
  result_name_ = std::move(results[0].name);
  LogicalOperatorPtr first = std::move(results[0].plan);
  for (size_t index = 1; index < results.size(); ++index) more_results_.push_back(std::move(results[index]));
  return first;
}

}  // namespace kql::binder
