#include "execution/scalar/text_conversion.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

#include "types/datetime.h"
#include "execution/layer.h"

namespace kql::exec {

// Kusto prints reals like the shortest round-trip form, switching to exponent notation outside [1e-5, 1e16)
// and keeping a ".0" on integral values: tostring(1500.0) is "1500.0", tostring(-0.0) "-0.0", and
// tostring(real(+inf)) "inf" (kusto_engine_cases.jsonl).
void AppendRealText(double value, std::string& out) {
  if (std::isnan(value)) {
    out += "NaN";
    return;
  }
  if (std::isinf(value)) {
    out += value < 0 ? "-inf" : "inf";
    return;
  }
  char buffer[64];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof(buffer), value, std::chars_format::scientific);
  std::string_view scientific(buffer, static_cast<size_t>(end - buffer));
  size_t e_pos = scientific.find('e');
  int exponent = std::atoi(std::string(scientific.substr(e_pos + 1)).c_str());
  if (exponent < -5 || exponent >= 16) {
    // Python-style exponent: at least two digits ("1e+20", "1.5e-07").
    std::string_view mantissa = scientific.substr(0, e_pos);
    out.append(mantissa);
    out += exponent < 0 ? "e-" : "e+";
    int magnitude = std::abs(exponent);
    if (magnitude < 10) out += '0';
    out += std::to_string(magnitude);
    return;
  }
  auto [fixed_end, fixed_error] = std::to_chars(buffer, buffer + sizeof(buffer), value, std::chars_format::fixed);
  std::string_view fixed(buffer, static_cast<size_t>(fixed_end - buffer));
  out.append(fixed);
  if (fixed.find('.') == std::string_view::npos) out += ".0";
}

// Kusto's decimal is .NET's System.Decimal, printed without an exponent and without ".0" on integral values:
// tostring(todecimal("100")) is "100" (kusto_engine_cases k806). kqlite computes decimals as reals, so the
// decimal's own scale (todecimal("1.50") prints "1.50" in Kusto) is not kept.
void AppendDecimalText(double value, std::string& out) {
  if (!std::isfinite(value)) {
    AppendRealText(value, out);
    return;
  }
  if (value == 0) value = 0;  // No negative zero.
  char buffer[512];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof(buffer), value, std::chars_format::fixed);
  out.append(buffer, static_cast<size_t>(end - buffer));
}

void AppendDynamicText(const DynamicValue& value, std::string& out) {
  switch (value.kind()) {
    case DynamicValue::Kind::kNull: return;
    case DynamicValue::Kind::kString:
    case DynamicValue::Kind::kGuid: out += value.string_value(); return;
    case DynamicValue::Kind::kBool: out += value.bool_value() ? "true" : "false"; return;
    case DynamicValue::Kind::kLong: out += std::to_string(value.int_value()); return;
    case DynamicValue::Kind::kReal: AppendRealText(value.real_value(), out); return;
    case DynamicValue::Kind::kDateTime: out += FormatDateTimeFull(value.int_value()); return;
    case DynamicValue::Kind::kTimeSpan: out += FormatTimeSpan(value.int_value()); return;
    default: out += ToJson(value); return;
  }
}

void AppendText(const KernelArg& arg, size_t row, std::string& out) {
  size_t arg_row = arg.Row(row);
  const ColumnVector& vector = *arg.vector;
  if (vector.IsNull(arg_row)) return;
  switch (vector.type()) {
    case KqlType::kString:
    case KqlType::kGuid: out += vector.strings()[arg_row]; return;
    case KqlType::kBool: out += vector.ints()[arg_row] ? "True" : "False"; return;
    case KqlType::kInt:
    case KqlType::kLong: out += std::to_string(vector.ints()[arg_row]); return;
    case KqlType::kReal: AppendRealText(vector.reals()[arg_row], out); return;
    case KqlType::kDecimal: AppendDecimalText(vector.reals()[arg_row], out); return;
    case KqlType::kDateTime: out += FormatDateTimeFull(vector.ints()[arg_row]); return;
    case KqlType::kTimeSpan: out += FormatTimeSpan(vector.ints()[arg_row]); return;
    case KqlType::kDynamic: {
      const Dynamic& dynamic = vector.dynamics()[arg_row];
      if (dynamic) AppendDynamicText(*dynamic, out);
      return;
    }
    default: return;
  }
}

}  // namespace kql::exec
