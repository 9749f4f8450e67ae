// Bitwise functions: binary_and, binary_or, binary_xor, binary_not, binary_shift_left, binary_shift_right,
// bitset_count_ones. Operands are longs (reals truncate); results are longs; nulls propagate.
// binary_shift_right is arithmetic (binary_shift_right(-8, 1) == -4); shifts outside 0..63 give null.
#include <bit>

#include "execution/scalar/scalar_kernels.h"
#include "execution/layer.h"

namespace kql::exec {

namespace {

int64_t LongAt(const KernelArg& arg, size_t row) {
  return arg.vector->physical_type() == PhysicalType::kDouble ? static_cast<int64_t>(arg.Real(row)) : arg.Int(row);
}

}  // namespace

void BitwiseKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                   ColumnVector& out) {
  const std::string_view name = call.expr.function;
  for (uint32_t row : rows) {
    bool any_null = false;
    for (const KernelArg& arg : args) any_null = any_null || arg.IsNull(row);
    if (any_null) {
      out.SetValid(row, false);
      continue;
    }
    const int64_t left = LongAt(args[0], row);
    const int64_t right = args.size() > 1 ? LongAt(args[1], row) : 0;
    if (name == "binary_and") {
      SetInt(out, row, left & right);
    } else if (name == "binary_or") {
      SetInt(out, row, left | right);
    } else if (name == "binary_xor") {
      SetInt(out, row, left ^ right);
    } else if (name == "binary_not") {
      SetInt(out, row, ~left);
    } else if (name == "bitset_count_ones") {
      SetInt(out, row, std::popcount(static_cast<uint64_t>(left)));
    } else if (right < 0 || right > 63) {
      out.SetValid(row, false);
    } else if (name == "binary_shift_left") {
      SetInt(out, row, static_cast<int64_t>(static_cast<uint64_t>(left) << right));
    } else {
      SetInt(out, row, left >> right);
    }
  }
}

}  // namespace kql::exec
