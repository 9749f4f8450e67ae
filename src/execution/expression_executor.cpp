#include "execution/expression_executor.h"

#include "execution/expression/expression_state.h"
#include "execution/layer.h"

namespace kql::exec {

ExpressionExecutor::ExpressionExecutor(const BoundExpr& expr, ExecutionContext& context)
    : state_(std::make_unique<ExpressionState>(expr, context)) {}

ExpressionExecutor::~ExpressionExecutor() = default;
ExpressionExecutor::ExpressionExecutor(ExpressionExecutor&&) noexcept = default;
ExpressionExecutor& ExpressionExecutor::operator=(ExpressionExecutor&&) noexcept = default;

ColumnVector ExpressionExecutor::Evaluate(const DataChunk& chunk) {
  std::vector<uint32_t> dense;
  std::span<const uint32_t> rows;
  if (chunk.selection) {
    rows = *chunk.selection;
  } else {
    MakeDenseRows(chunk.size, dense);
    rows = dense;
  }
  EvaluatedColumn result = state_->Evaluate(chunk, rows);
  if (result.owned) return std::move(*result.owned);
  // A constant or a borrowed input column: materialise a column of the chunk's physical size.
  ColumnVector out(result.vector->type());
  out.Resize(chunk.size);
  out.ShareStorageOf(*result.vector);
  const ColumnVector& source = *result.vector;
  for (uint32_t row : rows) {
    size_t source_row = result.is_constant ? 0 : row;
    out.SetValid(row, source.IsValid(source_row));
    switch (source.physical_type()) {
      case PhysicalType::kInt64: out.ints()[row] = source.ints()[source_row]; break;
      case PhysicalType::kDouble: out.reals()[row] = source.reals()[source_row]; break;
      case PhysicalType::kString: out.strings()[row] = source.strings()[source_row]; break;
      case PhysicalType::kDynamic: out.dynamics()[row] = source.dynamics()[source_row]; break;
    }
  }
  return out;
}

void ExpressionExecutor::Select(const DataChunk& chunk, std::vector<uint32_t>& selection) {
  std::vector<uint32_t> dense;
  std::span<const uint32_t> rows;
  if (chunk.selection) {
    rows = *chunk.selection;
  } else {
    MakeDenseRows(chunk.size, dense);
    rows = dense;
  }
  state_->Select(chunk, rows, selection);
}

Value ExpressionExecutor::EvaluateConstant(const BoundExpr& expr, ExecutionContext& context) {
  if (expr.kind == BoundExprKind::kConstant) return expr.constant;
  ExpressionState state(expr, context);
  DataChunk empty;
  empty.size = 1;
  uint32_t row = 0;
  EvaluatedColumn result = state.Evaluate(empty, std::span<const uint32_t>(&row, 1));
  return result.vector->GetValue(0);
}

}  // namespace kql::exec
