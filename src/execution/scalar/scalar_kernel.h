// ScalarKernel: the interface between the expression executor and function kernels. A kernel runs one operator
// or function over the active rows of a chunk in a tight typed loop; it never walks expression trees and never
// dispatches per row. It is not a registry (see scalar_function_registry.h) and does not own any column.
#pragma once
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "execution/execution_context.h"
#include "plan/bound_expression.h"
#include "vector/column_vector.h"
#include "execution/layer.h"

namespace kql::exec {

/// One evaluated argument of a call: a column with the chunk's physical rows, or a constant stored at row 0.
struct KernelArg {
  const ColumnVector* vector = nullptr;
  bool is_constant = false;

  /// The physical row holding the argument's value for chunk row `row`.
  size_t Row(size_t row) const { return is_constant ? 0 : row; }
  bool IsNull(size_t row) const { return vector->IsNull(Row(row)); }
  int64_t Int(size_t row) const { return vector->ints()[Row(row)]; }
  std::string_view String(size_t row) const { return vector->strings()[Row(row)]; }
  const Dynamic& DynamicAt(size_t row) const { return vector->dynamics()[Row(row)]; }
  /// Reads a numeric argument as double whatever its physical storage.
  double Real(size_t row) const {
    return vector->physical_type() == PhysicalType::kDouble ? vector->reals()[Row(row)]
                                                            : static_cast<double>(vector->ints()[Row(row)]);
  }
  KqlType type() const { return vector->type(); }
};

/// State a kernel prepares once per executor from its constant arguments: lowered needles, compiled regexes,
/// hash sets. Kernels downcast it to their own subclass.
class KernelState {
 public:
  virtual ~KernelState() = default;
};

/// What a kernel knows about the call it evaluates.
struct KernelCall {
  const BoundExpr& expr;       ///< The call node: function name, result type, argument types.
  KernelState* state;          ///< Prepared state, or nullptr when the function has no Prepare.
  ExecutionContext& context;   ///< For sub-plans and settings.
};

/// Evaluates a call over `rows` (physical row indices, ascending) and writes results at those rows of `out`.
/// `out` arrives with the chunk's physical size and the call's result type; rows not listed are left alone.
using KernelFn = void (*)(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                          ColumnVector& out);

/// Builds per-executor state. constants[i] is non-null when argument i is a constant expression.
/// Throws QueryError for run-time problems (an invalid regex).
using PrepareFn = std::unique_ptr<KernelState> (*)(const BoundExpr& expr, std::span<const Value* const> constants,
                                                    ExecutionContext& context);

/// One registered scalar function.
struct ScalarFunction {
  std::string_view name;
  KernelFn execute = nullptr;
  PrepareFn prepare = nullptr;
};

/// Writes a bool result (validity and 0/1 payload).
inline void SetBool(ColumnVector& out, size_t row, bool value) {
  out.SetValid(row, true);
  out.ints()[row] = value ? 1 : 0;
}

/// Writes an integer-stored result (bool, int, long, datetime, timespan).
inline void SetInt(ColumnVector& out, size_t row, int64_t value) {
  out.SetValid(row, true);
  out.ints()[row] = value;
}

/// Writes a real result.
inline void SetReal(ColumnVector& out, size_t row, double value) {
  out.SetValid(row, true);
  out.reals()[row] = value;
}

/// Writes a null result (an empty string for string results, which are never null).
inline void SetNull(ColumnVector& out, size_t row) {
  if (out.type() == KqlType::kString) {
    out.SetValid(row, true);
    out.strings()[row] = std::string_view();
    return;
  }
  out.SetValid(row, false);
}

}  // namespace kql::exec
