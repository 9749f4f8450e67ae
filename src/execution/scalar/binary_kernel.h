// BinaryKernel: the loop shapes shared by two-argument kernels — null propagation and the hoisted
// "column op constant" fast path. It holds no function semantics; each family file supplies the operation.
#pragma once
#include <span>

#include "execution/scalar/scalar_kernel.h"
#include "execution/layer.h"

namespace kql::exec {

/// Reads an integer-stored payload (bool, int, long, datetime, timespan).
struct IntReader {
  int64_t operator()(const KernelArg& arg, size_t row) const { return arg.vector->ints()[row]; }
};
/// Reads any numeric payload as double.
struct RealReader {
  double operator()(const KernelArg& arg, size_t row) const {
    return arg.vector->physical_type() == PhysicalType::kDouble ? arg.vector->reals()[row]
                                                                : static_cast<double>(arg.vector->ints()[row]);
  }
};
/// Reads a string payload.
struct StringReader {
  std::string_view operator()(const KernelArg& arg, size_t row) const { return arg.vector->strings()[row]; }
};

/// Runs fn(out, row, left, right) over rows where both arguments are non-null; other rows become null.
/// A constant right argument is read once outside the loop.
template <typename LeftReader, typename RightReader, typename Fn>
void RunBinary(std::span<const KernelArg> args, std::span<const uint32_t> rows, ColumnVector& out, Fn fn) {
  const KernelArg& left = args[0];
  const KernelArg& right = args[1];
  LeftReader read_left;
  RightReader read_right;
  const uint8_t* left_valid = left.vector->validity();
  const uint8_t* right_valid = right.vector->validity();
  if (right.is_constant && !left.is_constant) {
    if (!right_valid[0]) {
      for (uint32_t row : rows) SetNull(out, row);
      return;
    }
    const auto right_value = read_right(right, 0);
    for (uint32_t row : rows) {
      if (!left_valid[row]) {
        SetNull(out, row);
        continue;
      }
      fn(out, row, read_left(left, row), right_value);
    }
    return;
  }
  for (uint32_t row : rows) {
    size_t left_row = left.Row(row);
    size_t right_row = right.Row(row);
    if (!left_valid[left_row] || !right_valid[right_row]) {
      SetNull(out, row);
      continue;
    }
    fn(out, row, read_left(left, left_row), read_right(right, right_row));
  }
}

/// Runs fn(out, row, value) over rows where the argument is non-null; other rows become null.
template <typename Reader, typename Fn>
void RunUnary(const KernelArg& arg, std::span<const uint32_t> rows, ColumnVector& out, Fn fn) {
  Reader read;
  const uint8_t* valid = arg.vector->validity();
  for (uint32_t row : rows) {
    size_t arg_row = arg.Row(row);
    if (!valid[arg_row]) {
      SetNull(out, row);
      continue;
    }
    fn(out, row, read(arg, arg_row));
  }
}

}  // namespace kql::exec
