// MakeSeriesOperator: the final step of make-series. It reads the aggregate's rows (keys, binned axis, one value
// per aggregate), fixes the axis (the given bounds or the data's first and last bin), and emits one row per key
// combination with every aggregate laid out along the axis as a dynamic array. Single-threaded; its input is the
// already aggregated (small) table.
#pragma once
#include "execution/execution_context.h"
#include "plan/logical_make_series.h"
#include "vector/table.h"
#include "execution/layer.h"

namespace kql::exec {

/// The largest number of bins make-series builds (Kusto's limit, 2^20).
inline constexpr int64_t kMaxSeriesBins = 1048576;

/// Builds the series table. Throws QueryError for a non-positive step or an axis of more than kMaxSeriesBins.
Table ExecuteMakeSeries(const LogicalMakeSeries& op, const Table& input, ExecutionContext& context);

}  // namespace kql::exec
