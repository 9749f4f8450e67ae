// LogicalWindow: window functions over serialized (ordered) rows — row_number, row_cumsum, prev, next,
// row_rank_min, row_rank_dense. They run once over the whole input in its order, so execution is single-threaded
// for this operator. It only appends columns; the binder projects them where the query asked for them.
#pragma once
#include <string>
#include <vector>

#include "plan/logical_operator.h"
#include "plan/layer.h"

namespace kql::plan {

/// One window function call: `function` is its canonical name, `args` are bound against the window's input.
struct BoundWindowCall {
  std::string function;
  std::vector<BoundExprPtr> args;
  ColumnDef output;
  BoundWindowCall Clone() const;
};

/// Appends one column per call to its input (output = input columns, then each call's column).
struct LogicalWindow : LogicalOperator {
  LogicalWindow() : LogicalOperator(LogicalKind::kWindow) {}
  std::vector<BoundWindowCall> calls;
  LogicalOperatorPtr Clone() const override;
  std::string Describe() const override;
};

}  // namespace kql::plan
