// ExpressionState: an expression tree prepared for vectorised evaluation — constants folded to one-row vectors,
// kernels looked up, per-call state (needles, regexes, sets) built once. It evaluates a column at a time over an
// explicit list of active rows, so `and` can narrow the rows without copying the chunk. Not thread-safe.
#pragma once
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "execution/execution_context.h"
#include "execution/scalar/scalar_kernel.h"
#include "plan/bound_expression.h"
#include "vector/data_chunk.h"
#include "execution/layer.h"

namespace kql::exec {

/// The result of evaluating one node: a borrowed or owned column, or a one-row constant.
struct EvaluatedColumn {
  const ColumnVector* vector = nullptr;
  bool is_constant = false;
  std::unique_ptr<ColumnVector> owned;  ///< Set when the node computed a fresh column.

  KernelArg AsArg() const { return KernelArg{vector, is_constant}; }
};

/// One prepared node of the expression tree.
struct ExpressionNode {
  const BoundExpr* expr = nullptr;
  std::vector<std::unique_ptr<ExpressionNode>> children;
  const ScalarFunction* function = nullptr;  ///< kCall nodes other than and/or.
  std::unique_ptr<KernelState> state;
  std::unique_ptr<ColumnVector> constant;  ///< Set when the node is (or folded to) a constant: one row.
};

/// A prepared expression.
class ExpressionState {
 public:
  /// Prepares `expr`; throws QueryError for unknown functions, bad regexes and too deep trees.
  ExpressionState(const BoundExpr& expr, ExecutionContext& context);

  /// Evaluates over `rows` of `chunk`; the result has chunk.size physical rows (or one row when constant).
  EvaluatedColumn Evaluate(const DataChunk& chunk, std::span<const uint32_t> rows);
  /// Writes to `selection` the rows of `rows` where the (bool) expression is true.
  void Select(const DataChunk& chunk, std::span<const uint32_t> rows, std::vector<uint32_t>& selection);

  /// The root's constant value when the whole expression folded to a constant, else nullptr.
  const ColumnVector* constant() const { return root_->constant.get(); }

 private:
  std::unique_ptr<ExpressionNode> Prepare(const BoundExpr& expr, int depth);
  EvaluatedColumn EvaluateNode(ExpressionNode& node, const DataChunk& chunk, std::span<const uint32_t> rows);
  EvaluatedColumn EvaluateLogical(ExpressionNode& node, const DataChunk& chunk, std::span<const uint32_t> rows,
                                  bool is_and);
  void SelectNode(ExpressionNode& node, const DataChunk& chunk, std::span<const uint32_t> rows,
                  std::vector<uint32_t>& selection);

  ExecutionContext& context_;
  std::unique_ptr<ExpressionNode> root_;
};

/// Fills `rows` with 0..count-1 (the active rows of a chunk without a selection).
void MakeDenseRows(size_t count, std::vector<uint32_t>& rows);

}  // namespace kql::exec
