// Arithmetic operators: + - * / % and neg, over int, long, real, datetime and timespan.
// Semantics (kusto_engine_cases.jsonl):
//   - Integer division truncates toward zero (-7 / 2 == -3).
//   - % never returns a negative result: -7 % 3 == 2, 7 % -3 == 1, -7 % -3 == 2, -7.5 % 2 == 0.5
//     (the C remainder, plus |divisor| when negative).
//   - Integer division or modulo by zero yields null (no conformance case pins it; Kusto does not fail the
//     query). Real division follows IEEE: 1.0/0.0 is +inf, 0.0/0.0 NaN.
//   - int results wrap to 32 bits (toint(1h) == 1640261632 shows the wrapping conversion).
//   - datetime - datetime is a timespan; datetime +/- timespan a datetime; timespan / timespan a real;
//     timespan * or / a number is a timespan (1d * 2.5 == 2.12:00:00); timespan % timespan a timespan.
//   - null propagates; a datetime result outside 0001..9999 is null.
#include <cmath>

#include "execution/scalar/binary_kernel.h"
#include "execution/scalar/scalar_kernels.h"
#include "types/datetime.h"
#include "execution/layer.h"

namespace kql::exec {

namespace {

enum class ArithmeticOp { kAdd, kSubtract, kMultiply, kDivide, kModulo };

ArithmeticOp ParseOp(std::string_view name) {
  if (name == "+") return ArithmeticOp::kAdd;
  if (name == "-") return ArithmeticOp::kSubtract;
  if (name == "*") return ArithmeticOp::kMultiply;
  if (name == "/") return ArithmeticOp::kDivide;
  return ArithmeticOp::kModulo;
}

inline int64_t WrapInt32(int64_t value) { return static_cast<int64_t>(static_cast<int32_t>(static_cast<uint32_t>(value))); }

template <ArithmeticOp kOp>
inline void IntegerOp(ColumnVector& out, size_t row, int64_t left, int64_t right, bool wrap32) {
  int64_t result = 0;
  if constexpr (kOp == ArithmeticOp::kAdd) {
    result = static_cast<int64_t>(static_cast<uint64_t>(left) + static_cast<uint64_t>(right));
  } else if constexpr (kOp == ArithmeticOp::kSubtract) {
    result = static_cast<int64_t>(static_cast<uint64_t>(left) - static_cast<uint64_t>(right));
  } else if constexpr (kOp == ArithmeticOp::kMultiply) {
    result = static_cast<int64_t>(static_cast<uint64_t>(left) * static_cast<uint64_t>(right));
  } else if constexpr (kOp == ArithmeticOp::kDivide) {
    if (right == 0 || (right == -1 && left == INT64_MIN)) {
      out.SetValid(row, false);
      return;
    }
    result = left / right;
  } else {
    if (right == 0 || right == -1) {
      if (right == 0) {
        out.SetValid(row, false);
        return;
      }
      result = 0;
    } else {
      result = left % right;
      if (result < 0) result += right < 0 ? -right : right;
    }
  }
  SetInt(out, row, wrap32 ? WrapInt32(result) : result);
}

template <ArithmeticOp kOp>
inline double RealOp(double left, double right) {
  if constexpr (kOp == ArithmeticOp::kAdd) return left + right;
  if constexpr (kOp == ArithmeticOp::kSubtract) return left - right;
  if constexpr (kOp == ArithmeticOp::kMultiply) return left * right;
  if constexpr (kOp == ArithmeticOp::kDivide) return left / right;
  double result = std::fmod(left, right);
  if (result < 0) result += std::fabs(right);
  return result;
}

template <ArithmeticOp kOp>
void Run(std::span<const KernelArg> args, std::span<const uint32_t> rows, ColumnVector& out) {
  const bool real_inputs = args[0].vector->physical_type() == PhysicalType::kDouble ||
                           args[1].vector->physical_type() == PhysicalType::kDouble;
  if (out.physical_type() == PhysicalType::kDouble) {
    RunBinary<RealReader, RealReader>(args, rows, out, [](ColumnVector& result, size_t row, double left, double right) {
      SetReal(result, row, RealOp<kOp>(left, right));
    });
    return;
  }
  const bool wrap32 = out.type() == KqlType::kInt;
  if (real_inputs) {
    // A timespan scaled by a real, or an integer result computed from reals: compute in double, truncate.
    RunBinary<RealReader, RealReader>(args, rows, out,
                                      [wrap32](ColumnVector& result, size_t row, double left, double right) {
                                        double value = RealOp<kOp>(left, right);
                                        if (!std::isfinite(value)) {
                                          result.SetValid(row, false);
                                          return;
                                        }
                                        auto integer = static_cast<int64_t>(value);
                                        SetInt(result, row, wrap32 ? WrapInt32(integer) : integer);
                                      });
    return;
  }
  RunBinary<IntReader, IntReader>(args, rows, out, [wrap32](ColumnVector& result, size_t row, int64_t left,
                                                            int64_t right) {
    IntegerOp<kOp>(result, row, left, right, wrap32);
  });
}

}  // namespace

void ArithmeticKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                      ColumnVector& out) {
  switch (ParseOp(call.expr.function)) {
    case ArithmeticOp::kAdd: Run<ArithmeticOp::kAdd>(args, rows, out); break;
    case ArithmeticOp::kSubtract: Run<ArithmeticOp::kSubtract>(args, rows, out); break;
    case ArithmeticOp::kMultiply: Run<ArithmeticOp::kMultiply>(args, rows, out); break;
    case ArithmeticOp::kDivide: Run<ArithmeticOp::kDivide>(args, rows, out); break;
    case ArithmeticOp::kModulo: Run<ArithmeticOp::kModulo>(args, rows, out); break;
  }
  if (out.type() == KqlType::kDateTime) {
    // A datetime outside 0001-01-01 .. 9999-12-31 is null (datetime(0001-01-01) - 1tick).
    uint8_t* validity = out.validity();
    const int64_t* ticks = out.ints();
    for (uint32_t row : rows) {
      if (validity[row] && (ticks[row] < kMinDateTimeTicks || ticks[row] > kMaxDateTimeTicks)) validity[row] = 0;
    }
  }
}

void NegateKernel(const KernelCall&, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                  ColumnVector& out) {
  const KernelArg& arg = args[0];
  const bool wrap32 = out.type() == KqlType::kInt;
  for (uint32_t row : rows) {
    if (arg.IsNull(row)) {
      out.SetValid(row, false);
    } else if (out.physical_type() == PhysicalType::kDouble) {
      SetReal(out, row, -arg.Real(row));
    } else {
      int64_t value = static_cast<int64_t>(0ULL - static_cast<uint64_t>(arg.Int(row)));
      SetInt(out, row, wrap32 ? WrapInt32(value) : value);
    }
  }
}

}  // namespace kql::exec
