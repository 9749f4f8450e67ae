// SequenceScanOperator: runs `scan` over a materialised input in its row order, single-threaded because every row
// depends on the matches the rows before it left.
#pragma once
#include "execution/execution_context.h"
#include "plan/logical_sequence_scan.h"
#include "vector/table.h"
#include "execution/layer.h"

namespace kql::exec {

/// Matches the steps against `input` row by row. For each row the steps are tried from the last to the first:
/// step k (k > 1) takes over the match waiting in step k - 1 when its condition holds (then the row moves on to
/// step k - 1); otherwise a step whose match is active and whose condition holds extends that match; the first
/// step starts a new match (a new match id) when it has none. Either way the row then goes on to step k - 1 (a row
/// that ends a session can start the next one). Each matching step with output=all emits the row extended by its
/// assignments. Throws QueryError.
Table ExecuteSequenceScan(const LogicalSequenceScan& scan, const Table& input, ExecutionContext& context);

}  // namespace kql::exec
