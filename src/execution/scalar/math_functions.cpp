// Numeric functions: bin (floor), bin_at, abs, ceiling, sqrt, log, log10, log2, exp, exp2, exp10, pow, round,
// sign, isnan, isinf, isfinite, min_of, max_of, the trigonometric functions (sin, cos, tan, asin, acos, atan,
// atan2, cot, degrees, radians, pi), gamma, loggamma, erf, erfc and around.
// Semantics (kusto_engine_cases.jsonl and the KQL docs):
//   - bin rounds down (toward -inf): bin(-7, 5) == -10; bin(datetime(1969-12-31 23:30), 1h) is 23:00.
//     Datetimes are binned from 0001-01-01 (a Monday), so 7d bins start on Mondays; a zero or null bin size
//     gives null.
//   - round(x[, digits]) rounds half away from zero: round(2.5) == 3, round(-2.5) == -3.
//   - sqrt of a negative number is NaN (IEEE) but log/log10/log2 of one is null; abs keeps the argument's type.
//   - isnan/isinf of null are null.
//   - bin_at(value, size, fixed_point) aligns the bins on fixed_point instead of zero.
//   - sign is a real (-1, 0, 1) whatever the argument type, as are the trigonometric functions.
//   - around(value, center, delta) is true when |value - center| <= delta (numbers, datetimes, timespans).
//   - min_of/max_of ignore null arguments and return null only when all are null.
#include <algorithm>
#include <cmath>

#include "execution/scalar/binary_kernel.h"
#include "execution/scalar/scalar_kernels.h"
#include "types/datetime.h"
#include "execution/layer.h"

namespace kql::exec {

namespace {

constexpr double kPi = 3.14159265358979323846;

int64_t FloorDiv(int64_t value, int64_t step) {
  int64_t quotient = value / step;
  if ((value % step != 0) && ((value < 0) != (step < 0))) --quotient;
  return quotient;
}

}  // namespace

void BinKernel(const KernelCall&, std::span<const KernelArg> args, std::span<const uint32_t> rows, ColumnVector& out) {
  const KernelArg& value = args[0];
  const KernelArg& step = args[1];
  const bool is_datetime = value.type() == KqlType::kDateTime;
  const bool real_math = out.physical_type() == PhysicalType::kDouble ||
                         value.vector->physical_type() == PhysicalType::kDouble ||
                         step.vector->physical_type() == PhysicalType::kDouble;
  for (uint32_t row : rows) {
    if (value.IsNull(row) || step.IsNull(row)) {
      out.SetValid(row, false);
      continue;
    }
    if (real_math) {
      double size = step.Real(row);
      if (size == 0) {
        out.SetValid(row, false);
        continue;
      }
      double result = std::floor(value.Real(row) / size) * size;
      if (out.physical_type() == PhysicalType::kDouble) {
        SetReal(out, row, result);
      } else {
        SetInt(out, row, static_cast<int64_t>(result));
      }
      continue;
    }
    int64_t size = step.Int(row);
    if (size == 0) {
      out.SetValid(row, false);
      continue;
    }
    int64_t origin = is_datetime ? kMinDateTimeTicks : 0;
    SetInt(out, row, FloorDiv(value.Int(row) - origin, size) * size + origin);
  }
}

void MathUnaryKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                     ColumnVector& out) {
  const std::string& name = call.expr.function;
  const KernelArg& arg = args[0];
  if (name == "isnan" || name == "isinf" || name == "isfinite") {
    int kind = name == "isnan" ? 0 : name == "isinf" ? 1 : 2;
    RunUnary<RealReader>(arg, rows, out, [kind](ColumnVector& result, size_t row, double value) {
      SetBool(result, row, kind == 0 ? std::isnan(value) : kind == 1 ? std::isinf(value) : std::isfinite(value));
    });
    return;
  }
  if (out.physical_type() == PhysicalType::kInt64) {
    // abs/ceiling of integers and timespans stay integral.
    const bool real_input = arg.vector->physical_type() == PhysicalType::kDouble;
    const bool is_abs = name == "abs";
    for (uint32_t row : rows) {
      if (arg.IsNull(row)) {
        out.SetValid(row, false);
      } else if (real_input) {
        double value = arg.Real(row);
        SetInt(out, row, static_cast<int64_t>(is_abs ? std::fabs(value) : std::ceil(value)));
      } else {
        int64_t value = arg.Int(row);
        SetInt(out, row, is_abs && value < 0 ? -value : value);
      }
    }
    return;
  }
  double (*function)(double) = nullptr;
  if (name == "abs") function = [](double value) { return std::fabs(value); };
  if (name == "ceiling") function = [](double value) { return std::ceil(value); };
  if (name == "sqrt") function = [](double value) { return std::sqrt(value); };
  if (name == "log" || name == "log10" || name == "log2") {
    // Microsoft's engine gives null (not NaN) for the logarithm of a negative number; log(0) is -Infinity.
    double (*logarithm)(double) = name == "log" ? static_cast<double (*)(double)>(std::log)
                                  : name == "log10" ? static_cast<double (*)(double)>(std::log10)
                                                    : static_cast<double (*)(double)>(std::log2);
    RunUnary<RealReader>(arg, rows, out, [logarithm](ColumnVector& result, size_t row, double value) {
      if (value < 0) {
        result.SetValid(row, false);
      } else {
        SetReal(result, row, logarithm(value));
      }
    });
    return;
  }
  if (name == "exp") function = [](double value) { return std::exp(value); };
  if (name == "exp10") function = [](double value) { return std::pow(10.0, value); };
  if (name == "exp2") function = [](double value) { return std::exp2(value); };
  if (name == "sign") function = [](double value) { return value > 0 ? 1.0 : value < 0 ? -1.0 : 0.0; };
  if (name == "sin") function = [](double value) { return std::sin(value); };
  if (name == "cos") function = [](double value) { return std::cos(value); };
  if (name == "tan") function = [](double value) { return std::tan(value); };
  if (name == "asin") function = [](double value) { return std::asin(value); };
  if (name == "acos") function = [](double value) { return std::acos(value); };
  if (name == "atan") function = [](double value) { return std::atan(value); };
  if (name == "cot") function = [](double value) { return 1.0 / std::tan(value); };
  if (name == "degrees") function = [](double value) { return value * 180.0 / kPi; };
  if (name == "radians") function = [](double value) { return value * kPi / 180.0; };
  if (name == "gamma") function = [](double value) { return std::tgamma(value); };
  if (name == "loggamma") function = [](double value) { return std::lgamma(value); };
  if (name == "erf") function = [](double value) { return std::erf(value); };
  if (name == "erfc") function = [](double value) { return std::erfc(value); };
  if (!function) throw QueryError("Unsupported numeric function: " + name);
  RunUnary<RealReader>(arg, rows, out,
                       [function](ColumnVector& result, size_t row, double value) { SetReal(result, row, function(value)); });
}

void RoundKernel(const KernelCall&, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                 ColumnVector& out) {
  const KernelArg& value = args[0];
  for (uint32_t row : rows) {
    if (value.IsNull(row) || (args.size() > 1 && args[1].IsNull(row))) {
      out.SetValid(row, false);
      continue;
    }
    int64_t digits = args.size() > 1 ? args[1].Int(row) : 0;
    if (out.physical_type() == PhysicalType::kInt64) {
      if (value.vector->physical_type() == PhysicalType::kDouble) {
        SetInt(out, row, static_cast<int64_t>(std::round(value.Real(row))));
      } else {
        SetInt(out, row, value.Int(row));
      }
      continue;
    }
    double scale = std::pow(10.0, static_cast<double>(digits));
    SetReal(out, row, std::round(value.Real(row) * scale) / scale);
  }
}

void PowKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
               ColumnVector& out) {
  if (call.expr.function == "atan2") {
    RunBinary<RealReader, RealReader>(args, rows, out, [](ColumnVector& result, size_t row, double y, double x) {
      SetReal(result, row, std::atan2(y, x));
    });
    return;
  }
  RunBinary<RealReader, RealReader>(args, rows, out, [](ColumnVector& result, size_t row, double base, double power) {
    SetReal(result, row, std::pow(base, power));
  });
}

void PiKernel(const KernelCall&, std::span<const KernelArg>, std::span<const uint32_t> rows, ColumnVector& out) {
  for (uint32_t row : rows) SetReal(out, row, kPi);
}

void BinAtKernel(const KernelCall&, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                 ColumnVector& out) {
  const bool real_math = out.physical_type() == PhysicalType::kDouble ||
                         std::any_of(args.begin(), args.end(), [](const KernelArg& arg) {
                           return arg.vector->physical_type() == PhysicalType::kDouble;
                         });
  for (uint32_t row : rows) {
    if (args[0].IsNull(row) || args[1].IsNull(row) || args[2].IsNull(row)) {
      out.SetValid(row, false);
      continue;
    }
    if (real_math) {
      const double size = args[1].Real(row);
      const double origin = args[2].Real(row);
      if (size == 0) {
        out.SetValid(row, false);
        continue;
      }
      const double result = std::floor((args[0].Real(row) - origin) / size) * size + origin;
      if (out.physical_type() == PhysicalType::kDouble) {
        SetReal(out, row, result);
      } else {
        SetInt(out, row, static_cast<int64_t>(result));
      }
      continue;
    }
    const int64_t size = args[1].Int(row);
    if (size == 0) {
      out.SetValid(row, false);
      continue;
    }
    const int64_t origin = args[2].Int(row);
    SetInt(out, row, FloorDiv(args[0].Int(row) - origin, size) * size + origin);
  }
}

void MinMaxOfKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                    ColumnVector& out) {
  const bool is_max = call.expr.function == "max_of";
  const PhysicalType physical = out.physical_type();
  for (uint32_t row : rows) {
    bool found = false;
    double best_real = 0;
    int64_t best_int = 0;
    std::string_view best_text;
    for (const KernelArg& arg : args) {
      if (arg.IsNull(row)) continue;
      if (physical == PhysicalType::kDouble) {
        double value = arg.Real(row);
        if (!found || (is_max ? value > best_real : value < best_real)) best_real = value;
      } else if (physical == PhysicalType::kString) {
        std::string_view value = arg.String(row);
        if (!found || (is_max ? value > best_text : value < best_text)) best_text = value;
      } else {
        int64_t value = arg.Int(row);
        if (!found || (is_max ? value > best_int : value < best_int)) best_int = value;
      }
      found = true;
    }
    if (!found) {
      SetNull(out, row);
    } else if (physical == PhysicalType::kDouble) {
      SetReal(out, row, best_real);
    } else if (physical == PhysicalType::kString) {
      out.SetValid(row, true);
      out.strings()[row] = best_text;
    } else {
      SetInt(out, row, best_int);
    }
  }
}

void AroundKernel(const KernelCall&, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                  ColumnVector& out) {
  const bool real_math = std::any_of(args.begin(), args.end(), [](const KernelArg& arg) {
    return arg.vector->physical_type() == PhysicalType::kDouble;
  });
  for (uint32_t row : rows) {
    if (args[0].IsNull(row) || args[1].IsNull(row) || args[2].IsNull(row)) {
      out.SetValid(row, false);
    } else if (real_math) {
      SetBool(out, row, std::fabs(args[0].Real(row) - args[1].Real(row)) <= args[2].Real(row));
    } else {
      const int64_t distance = args[0].Int(row) - args[1].Int(row);
      SetBool(out, row, (distance < 0 ? -distance : distance) <= args[2].Int(row));
    }
  }
}

}  // namespace kql::exec
