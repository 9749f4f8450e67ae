// Optimizer: rewrites a bound logical plan with an ordered list of rules — column pruning into scans, then
// literal prefilter extraction from filters above scans. It never changes a query's result.
#pragma once
#include "plan/logical_operator.h"
#include "optimizer/layer.h"

namespace kql::optimizer {

/// Runs every optimizer rule over the plan, in order, and returns the rewritten plan.
LogicalOperatorPtr Optimize(LogicalOperatorPtr plan);

/// Rule: removes columns no ancestor uses, down to the scans (projection pushdown). Exposed for tests.
void PruneColumns(LogicalOperator& root);

/// Rule: fills LogicalScan::prefilter from the conjuncts of filters directly above each scan. Exposed for tests.
void ExtractPrefilters(LogicalOperator& root);

}  // namespace kql::optimizer
