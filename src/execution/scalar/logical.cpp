// Logical and null-testing functions: not, iff, case, coalesce, isnull, isnotnull, isempty, isnotempty.
// ("and"/"or" are evaluated by the executor itself so it can short-circuit over narrowed rows.)
// Semantics (kusto_engine_cases.jsonl):
//   - not(null) is null.
//   - iff/case take the else branch when a predicate is null or false; case with no true predicate yields
//     its last (else) argument.
//   - coalesce returns the first non-null argument; for strings the first non-empty one ("" counts as null:
//     coalesce(tostring(int(null)), "fallback") is "fallback").
//   - isnull("") is false (strings are never null); isempty("") and isempty(null) are true.
#include "execution/scalar/scalar_kernels.h"
#include "execution/layer.h"

namespace kql::exec {

namespace {

// Copies row `row` of `source` into row `row` of `out` (same physical type).
inline void CopyCell(const KernelArg& source, size_t row, ColumnVector& out) {
  size_t source_row = source.Row(row);
  const ColumnVector& vector = *source.vector;
  bool valid = vector.IsValid(source_row);
  out.SetValid(row, valid);
  switch (out.physical_type()) {
    case PhysicalType::kInt64: out.ints()[row] = vector.ints()[source_row]; break;
    case PhysicalType::kDouble:
      out.reals()[row] = vector.physical_type() == PhysicalType::kDouble
                             ? vector.reals()[source_row]
                             : static_cast<double>(vector.ints()[source_row]);
      break;
    case PhysicalType::kString: out.strings()[row] = vector.strings()[source_row]; break;
    case PhysicalType::kDynamic: out.dynamics()[row] = vector.dynamics()[source_row]; break;
  }
}

inline bool IsTrueAt(const KernelArg& arg, size_t row) {
  size_t arg_row = arg.Row(row);
  return arg.vector->IsValid(arg_row) && arg.vector->ints()[arg_row] != 0;
}

inline bool IsEmptyAt(const KernelArg& arg, size_t row) {
  size_t arg_row = arg.Row(row);
  const ColumnVector& vector = *arg.vector;
  if (vector.IsNull(arg_row)) return true;
  if (vector.physical_type() == PhysicalType::kString) return vector.strings()[arg_row].empty();
  if (vector.physical_type() == PhysicalType::kDynamic) {
    const Dynamic& dynamic = vector.dynamics()[arg_row];
    return !dynamic || dynamic->IsNull() ||
           (dynamic->kind() == DynamicValue::Kind::kString && dynamic->string_value().empty());
  }
  return false;
}

}  // namespace

void NotKernel(const KernelCall&, std::span<const KernelArg> args, std::span<const uint32_t> rows,
               ColumnVector& out) {
  const KernelArg& arg = args[0];
  for (uint32_t row : rows) {
    if (arg.IsNull(row)) {
      out.SetValid(row, false);
    } else {
      SetBool(out, row, arg.Int(row) == 0);
    }
  }
}

void IffKernel(const KernelCall&, std::span<const KernelArg> args, std::span<const uint32_t> rows,
               ColumnVector& out) {
  for (uint32_t row : rows) CopyCell(IsTrueAt(args[0], row) ? args[1] : args[2], row, out);
}

void CaseKernel(const KernelCall&, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                ColumnVector& out) {
  const size_t pairs = (args.size() - 1) / 2;
  for (uint32_t row : rows) {
    size_t chosen = args.size() - 1;
    for (size_t pair = 0; pair < pairs; ++pair) {
      if (IsTrueAt(args[pair * 2], row)) {
        chosen = pair * 2 + 1;
        break;
      }
    }
    CopyCell(args[chosen], row, out);
  }
}

void CoalesceKernel(const KernelCall&, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                    ColumnVector& out) {
  for (uint32_t row : rows) {
    size_t chosen = args.size() - 1;
    for (size_t index = 0; index < args.size(); ++index) {
      if (!IsEmptyAt(args[index], row) || (args[index].vector->physical_type() != PhysicalType::kString &&
                                           args[index].vector->physical_type() != PhysicalType::kDynamic &&
                                           !args[index].IsNull(row))) {
        chosen = index;
        break;
      }
    }
    CopyCell(args[chosen], row, out);
  }
}

void IsNullKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                  ColumnVector& out) {
  const bool negated = call.expr.function == "isnotnull";
  const KernelArg& arg = args[0];
  for (uint32_t row : rows) SetBool(out, row, arg.IsNull(row) != negated);
}

void IsEmptyKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                   ColumnVector& out) {
  const bool negated = call.expr.function == "isnotempty";
  const KernelArg& arg = args[0];
  for (uint32_t row : rows) SetBool(out, row, IsEmptyAt(arg, row) != negated);
}

}  // namespace kql::exec
