// WindowOperator: evaluates window functions (row_number, row_cumsum, prev, next, row_rank_min, row_rank_dense)
// over a materialised input in its row order, single-threaded because each row depends on the ones before it.
#pragma once
#include "execution/execution_context.h"
#include "plan/logical_window.h"
#include "vector/table.h"
#include "execution/layer.h"

namespace kql::exec {

/// Returns `input` with one column appended per window call (chunks keep their boundaries). Throws QueryError.
Table ExecuteWindow(const LogicalWindow& window, const Table& input, ExecutionContext& context);

}  // namespace kql::exec
