// convert_angle(value, from, to): an angle from one unit to another. Units as the KQL reference lists them
// (Arcminute, Arcsecond, Centiradian, Deciradian, Degree, Gradian, Microdegree, Microradian, Millidegree,
// Milliradian, Nanodegree, Nanoradian, NatoMil, Radian, Revolution, Tilt); Tilt is the sine of the angle. An
// unknown unit or a null argument gives null.
#include <cmath>
#include <optional>
#include <string_view>

#include "execution/scalar/scalar_kernels.h"
#include "execution/scalar/value_kernel.h"
#include "execution/layer.h"

namespace kql::exec {
namespace {

constexpr double kPiValue = 3.14159265358979323846;

/// Degrees per unit (Tilt is not linear and handled apart).
struct AngleUnit {
  std::string_view name;
  double degrees;
};

constexpr AngleUnit kAngleUnits[] = {
    {"Arcminute", 1.0 / 60},         {"Arcsecond", 1.0 / 3600},        {"Centiradian", 1.8 / kPiValue},
    {"Deciradian", 18 / kPiValue},   {"Degree", 1},                    {"Gradian", 0.9},
    {"Microdegree", 1e-6},           {"Microradian", 1.8e-4 / kPiValue}, {"Millidegree", 1e-3},
    {"Milliradian", 0.18 / kPiValue}, {"Nanodegree", 1e-9},             {"Nanoradian", 1.8e-7 / kPiValue},
    {"NatoMil", 360.0 / 6400},       {"Radian", 180 / kPiValue},       {"Revolution", 360},
};

std::optional<double> ToDegrees(double value, std::string_view unit) {
  if (unit == "Tilt") return std::asin(value) * 180 / kPiValue;
  for (const AngleUnit& entry : kAngleUnits) {
    if (entry.name == unit) return value * entry.degrees;
  }
  return std::nullopt;
}

std::optional<double> FromDegrees(double degrees, std::string_view unit) {
  if (unit == "Tilt") return std::sin(degrees * kPiValue / 180);
  for (const AngleUnit& entry : kAngleUnits) {
    if (entry.name == unit) return degrees / entry.degrees;
  }
  return std::nullopt;
}

Value ConvertAngle(std::span<const Value> args, KqlType) {
  auto value = ValueNumber(args[0]);
  if (!value || args[1].is_null || args[2].is_null) return Value::Null(KqlType::kReal);
  auto degrees = ToDegrees(*value, args[1].string_value);
  if (!degrees) return Value::Null(KqlType::kReal);
  auto result = FromDegrees(*degrees, args[2].string_value);
  return result ? Value::Real(*result) : Value::Null(KqlType::kReal);
}

constexpr ValueFunctionEntry kConversionFunctions[] = {
    {"convert_angle", ConvertAngle},
};

}  // namespace

void UnitConversionKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                          ColumnVector& out) {
  RunValueFunction(kConversionFunctions, call, args, rows, out);
}

}  // namespace kql::exec
