// ExpressionExecutor: evaluates one BoundExpr over data chunks, a column at a time. One instance per thread
// (it caches compiled regexes, hash sets for `in`, and constant sub-results). No row-at-a-time tree walking:
// each node runs a typed kernel over all active rows of the chunk.
#pragma once
#include <memory>
#include <vector>

#include "execution/execution_context.h"
#include "plan/bound_expression.h"
#include "vector/column_vector.h"
#include "vector/data_chunk.h"
#include "execution/layer.h"

namespace kql::exec {

class ExpressionState;

/// Evaluates a bound expression over chunks.
class ExpressionExecutor {
 public:
  /// Prepares the expression: compiles regexes, evaluates sub-plans (via ExecutePlan with context), builds sets.
  /// Throws QueryError for problems only detectable at run time.
  ExpressionExecutor(const BoundExpr& expr, ExecutionContext& context);
  ~ExpressionExecutor();
  ExpressionExecutor(ExpressionExecutor&&) noexcept;
  ExpressionExecutor& operator=(ExpressionExecutor&&) noexcept;

  /// Evaluates over the chunk's active rows. The result has chunk.size physical rows; rows that are not active
  /// are unspecified. The result's type is expr.type.
  ColumnVector Evaluate(const DataChunk& chunk);

  /// For bool expressions: writes the active rows where the expression is true (not null, not false).
  void Select(const DataChunk& chunk, std::vector<uint32_t>& selection);

  /// Evaluates a constant expression (no column references) to a single value.
  static Value EvaluateConstant(const BoundExpr& expr, ExecutionContext& context);

 private:
  std::unique_ptr<ExpressionState> state_;
};

}  // namespace kql::exec
