// PatternMiningOperator: `evaluate basket` and `evaluate autocluster` over a materialised input. A pattern fixes a
// value in some of the dimension columns; its Count is the (weighted) number of rows holding all of them. Null
// cells and empty strings are never part of a pattern (an empty string is the default string wildcard), nor are
// dynamic columns.
//   basket: Apriori over (column, value) items up to max_dimensions columns with support >= threshold, each
//     frequent itemset extended to its closure (every value that all its rows share), distinct closures returned
//     by Count descending, then fewer fixed columns, then the values in column order.
//   autocluster: rounds of a seed-and-generalise local search scored by the weighted geometric mean
//     coverage^w * (fixed columns / columns)^(1 - w) over the rows no earlier pattern covered; each round's best
//     pattern is returned (with its closure) until it covers under 5% of the weight or fixes no column.
#pragma once
#include "execution/execution_context.h"
#include "plan/logical_pattern_mining.h"
#include "vector/table.h"
#include "execution/layer.h"

namespace kql::exec {

/// Runs basket or autocluster over `input`; the output has op.schema. Throws QueryError.
Table ExecutePatternMining(const LogicalPatternMining& op, const Table& input, ExecutionContext& context);

}  // namespace kql::exec
