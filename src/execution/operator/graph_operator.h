// GraphOperator: runs a LogicalGraph — builds the graph (one per partition with partitioned-by), then exports its
// nodes or edges (graph-to-table), or finds the pattern's matches (graph-match) or shortest paths
// (graph-shortest-paths) and evaluates `where` and `project` over them in batches.
#pragma once
#include <vector>

#include "execution/execution_context.h"
#include "plan/logical_graph.h"
#include "vector/table.h"
#include "execution/layer.h"

namespace kql::exec {

/// `inputs` are the plan's children's results (edges, then the nodes tables). Throws QueryError.
Table ExecuteGraph(const LogicalGraph& plan, const std::vector<Table>& inputs, ExecutionContext& context);

}  // namespace kql::exec
