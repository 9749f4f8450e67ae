// PhysicalPlanner: turns a logical plan into pipelines and runs them. Streaming operators (filter, project,
// mv-expand) are fused behind their source; pipeline breakers (summarize, sort, top, distinct, join, union,
// take) materialise their result, which becomes the source of the next pipeline. It implements ExecutePlan.
#pragma once
#include <memory>
#include <vector>

#include "execution/execution_context.h"
#include "execution/pipeline.h"
#include "plan/logical_operator.h"
#include "vector/result_stream.h"
#include "execution/layer.h"

namespace kql::exec {

/// Plans and runs one logical plan. Not thread-safe; one per ExecutePlan call.
class PhysicalPlanner {
 public:
  explicit PhysicalPlanner(ExecutionContext& context);

  /// Runs the plan rooted at `op` and returns its materialised result. Throws QueryError.
  Table Execute(const LogicalOperator& op);
  /// Runs the plan rooted at `op` into `stream`: a plan ending in streaming operators (or a range or take) hands its
  /// rows on as the pipeline makes them; any other finishes first and then hands its result on chunk by chunk.
  void Stream(const LogicalOperator& op, ResultStream& stream);

 private:
  /// Builds the pipeline that produces `op`'s rows: a source plus fused streaming operators.
  PhysicalPipeline BuildPipeline(const LogicalOperator& op, int depth);
  Table ExecuteAt(const LogicalOperator& op, int depth);
  Table ExecuteAggregate(const LogicalAggregate& aggregate, int depth);
  Table ExecuteSort(const LogicalOperator& op, const std::vector<SortKey>& keys, int64_t limit, int depth);
  Table ExecuteDistinct(const LogicalDistinct& distinct, int depth);
  Table ExecuteLimit(const LogicalLimit& limit, int depth);
  Table ExecuteValues(const LogicalValues& values);
  Table ExecuteRange(const LogicalRange& range);
  std::unique_ptr<PipelineSource> MakeScan(const LogicalScan& scan);
  /// A column reference the planner synthesises (kept alive for the operators that point at it).
  const BoundExpr* MakeColumnRef(size_t index, const ColumnDef& column);

  ExecutionContext& context_;
  std::vector<std::unique_ptr<BoundExpr>> synthetic_exprs_;
};

}  // namespace kql::exec
