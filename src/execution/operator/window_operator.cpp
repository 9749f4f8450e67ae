#include "execution/operator/window_operator.h"

#include "execution/cell_comparison.h"
#include "execution/expression_executor.h"
#include "execution/layer.h"

namespace kql::exec {
namespace {

// Evaluates an argument over every row of the table into one flat column.
ColumnVector EvaluateFlat(const BoundExpr& expr, const Table& input, ExecutionContext& context) {
  ColumnVector flat(expr.type);
  flat.Reserve(input.RowCount());
  if (expr.kind == BoundExprKind::kConstant) {
    for (size_t row = 0; row < input.RowCount(); ++row) flat.AppendValue(expr.constant);
    return flat;
  }
  ExpressionExecutor executor(expr, context);
  for (const DataChunk& chunk : input.chunks) {
    ColumnVector column = executor.Evaluate(chunk);
    flat.ShareStorageOf(column);
    for (size_t row = 0; row < chunk.size; ++row) flat.AppendFrom(column, row);
  }
  return flat;
}

bool TrueAt(const ColumnVector* column, size_t row) {
  return column != nullptr && column->IsValid(row) && column->ints()[row] != 0;
}

int64_t IntAt(const ColumnVector& column, size_t row, int64_t fallback) {
  if (column.IsNull(row)) return fallback;
  if (column.physical_type() == PhysicalType::kDouble) return static_cast<int64_t>(column.reals()[row]);
  return column.ints()[row];
}

ColumnVector ComputeCall(const BoundWindowCall& call, const Table& input, ExecutionContext& context) {
  const size_t rows = input.RowCount();
  std::vector<ColumnVector> args;
  for (const auto& arg : call.args) args.push_back(EvaluateFlat(*arg, input, context));
  ColumnVector out(call.output.type);
  out.Reserve(rows);
  const std::string& function = call.function;
  if (function == "row_number") {
    const ColumnVector* restart = args.size() > 1 ? &args[1] : nullptr;
    int64_t number = 0;
    for (size_t row = 0; row < rows; ++row) {
      const int64_t start = args.empty() ? 1 : IntAt(args[0], row, 1);
      number = row == 0 || TrueAt(restart, row) ? start : number + 1;
      out.AppendInt(number);
    }
  } else if (function == "row_cumsum") {
    const ColumnVector* restart = args.size() > 1 ? &args[1] : nullptr;
    const bool real = out.physical_type() == PhysicalType::kDouble;
    int64_t int_sum = 0;
    double real_sum = 0;
    for (size_t row = 0; row < rows; ++row) {
      if (TrueAt(restart, row)) {
        int_sum = 0;
        real_sum = 0;
      }
      const ColumnVector& term = args[0];
      if (term.IsValid(row)) {
        if (term.physical_type() == PhysicalType::kDouble) {
          real_sum += term.reals()[row];
        } else if (real) {
          real_sum += static_cast<double>(term.ints()[row]);
        } else {
          int_sum += term.ints()[row];
        }
      }
      if (real) {
        out.AppendReal(real_sum);
      } else {
        out.AppendInt(int_sum);
      }
    }
  } else if (function == "prev" || function == "next") {
    const bool backwards = function == "prev";
    for (size_t row = 0; row < rows; ++row) {
      const int64_t offset = args.size() > 1 ? IntAt(args[1], row, 1) : 1;
      const int64_t target = backwards ? static_cast<int64_t>(row) - offset : static_cast<int64_t>(row) + offset;
      if (target >= 0 && target < static_cast<int64_t>(rows)) {
        out.AppendValue(args[0].GetValue(static_cast<size_t>(target)));
      } else if (args.size() > 2) {
        out.AppendValue(args[2].GetValue(row));
      } else {
        out.AppendNull();
      }
    }
  } else if (function == "row_rank_min" || function == "row_rank_dense") {
    const bool dense = function == "row_rank_dense";
    const ColumnVector* restart = args.size() > 1 ? &args[1] : nullptr;
    int64_t position = 0;
    int64_t rank = 0;
    for (size_t row = 0; row < rows; ++row) {
      const bool segment_start = row == 0 || TrueAt(restart, row);
      position = segment_start ? 1 : position + 1;
      if (segment_start) {
        rank = 1;
      } else if (!CellsEqual(args[0], row, args[0], row - 1)) {
        rank = dense ? rank + 1 : position;
      }
      out.AppendInt(rank);
    }
  } else if (function == "row_window_session") {
    // KQL docs: a row starts a session when there is no current session (the first row, or after a null), when
    // it is at or past the session's start plus max_from_first, at or past the previous value plus
    // max_between_neighbors, or when restart is true. A null value gives null and ends the session.
    const ColumnVector* restart = args.size() > 3 ? &args[3] : nullptr;
    bool in_session = false;
    int64_t session_start = 0;
    int64_t previous = 0;
    for (size_t row = 0; row < rows; ++row) {
      if (args[0].IsNull(row)) {
        out.AppendNull();
        in_session = false;
        continue;
      }
      const int64_t value = args[0].ints()[row];
      const bool new_session = !in_session || TrueAt(restart, row) ||
                               (args[1].IsValid(row) && value - session_start >= args[1].ints()[row]) ||
                               (args[2].IsValid(row) && value - previous >= args[2].ints()[row]);
      if (new_session) session_start = value;
      in_session = true;
      previous = value;
      out.AppendInt(session_start);
    }
  } else {
    throw QueryError("Unsupported window function: " + function);
  }
  return out;
}

}  // namespace

Table ExecuteWindow(const LogicalWindow& window, const Table& input, ExecutionContext& context) {
  std::vector<ColumnVector> computed;
  for (const BoundWindowCall& call : window.calls) computed.push_back(ComputeCall(call, input, context));
  Table output;
  output.schema = window.schema;
  size_t first_row = 0;
  for (const DataChunk& chunk : input.chunks) {
    DataChunk out = chunk;
    for (const ColumnVector& column : computed) {
      ColumnVector part(column.type());
      part.ShareStorageOf(column);
      part.Reserve(chunk.size);
      for (size_t row = 0; row < chunk.size; ++row) part.AppendFrom(column, first_row + row);
      out.columns.push_back(std::move(part));
    }
    first_row += chunk.size;
    output.chunks.push_back(std::move(out));
  }
  return output;
}

}  // namespace kql::exec
