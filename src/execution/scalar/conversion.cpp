// Conversion functions: tostring, toint, tolong, todouble, tobool, todatetime, totimespan, toguid, todynamic.
// Semantics (kusto_engine_cases.jsonl):
//   - tostring(null) is ""; bools print "True"/"False"; reals as text_conversion.h describes.
//   - toint/tolong of a string accept surrounding spaces, a sign and hex ("0x1F" == 31) but not fractions or
//     exponents ("5.7" and "1e3" are null); out-of-range text is null. Of a real they truncate toward zero.
//     toint of a long or timespan wraps to 32 bits (toint(1h) == 1640261632); tolong(1d) is its ticks.
//   - todouble of a string accepts exponents ("1e3"), "NaN", "Infinity" and "inf" (not "INF"); hex is null; "1e400"
//     overflows to Infinity. Hex text for toint/tolong is a bit pattern (tolong("0xFFFFFFFFFFFFFFFF") is -1,
//     toint("-0x10") is null).
//   - tobool accepts "true"/"false" (any case) and integer text (non-zero is true: tobool("-1")); other text
//     such as "1.0" or "yes" is null.
//   - todatetime of a number is .NET ticks since 0001-01-01 (todatetime(0) is 0001-01-01).
//   - todatetime/totimespan parse text (invalid dates such as 2020-02-30 are null); totimespan of a number is
//     ticks.
//   - todynamic/parse_json: "" is null, invalid JSON becomes a dynamic string holding the text.
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>

#include "execution/scalar/scalar_kernels.h"
#include "execution/scalar/text_conversion.h"
#include "execution/scalar/unicode_case.h"
#include "types/datetime.h"
#include "execution/layer.h"

namespace kql::exec {

namespace {

std::string_view TrimSpaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::optional<int64_t> ParseInteger(std::string_view text) {
  text = TrimSpaces(text);
  bool negative = false;
  if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  int base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    base = 16;
    text.remove_prefix(2);
  }
  if (text.empty()) return std::nullopt;
  uint64_t magnitude = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), magnitude, base);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  // Hex text is a bit pattern: "0xFFFFFFFFFFFFFFFF" is -1 and a signed hex literal is not a number.
  if (base == 16) {
    if (negative) return std::nullopt;
    return static_cast<int64_t>(magnitude);
  }
  if (negative) {
    if (magnitude > static_cast<uint64_t>(INT64_MAX) + 1) return std::nullopt;
    return static_cast<int64_t>(0ULL - magnitude);
  }
  if (magnitude > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
  return static_cast<int64_t>(magnitude);
}

std::optional<double> ParseReal(std::string_view text) {
  text = TrimSpaces(text);
  if (text.empty()) return std::nullopt;
  std::string lowered;
  AppendLowerUtf8(text, lowered);
  if (lowered == "nan") return std::nan("");
  // "Infinity" in any case, but "inf" only in lower case ("INF" is null), as Microsoft's engine answers.
  if (lowered == "infinity" || lowered == "+infinity" || text == "inf" || text == "+inf") return HUGE_VAL;
  if (lowered == "-infinity" || text == "-inf") return -HUGE_VAL;
  if (lowered.starts_with("0x") || lowered.starts_with("-0x") || lowered.starts_with("+0x")) return std::nullopt;
  std::string_view digits = text;
  if (digits.front() == '+') digits.remove_prefix(1);
  if (!digits.empty() && std::isalpha(static_cast<unsigned char>(digits.front()))) return std::nullopt;  // "inf"
  double value = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (end != digits.data() + digits.size()) return std::nullopt;
  if (error == std::errc::result_out_of_range) {
    // Overflow saturates to an infinity and underflow to zero, as .NET's double parsing does.
    std::string copy(digits);
    return std::strtod(copy.c_str(), nullptr);
  }
  if (error != std::errc()) return std::nullopt;
  return value;
}

inline int64_t WrapInt32(int64_t value) { return static_cast<int64_t>(static_cast<int32_t>(static_cast<uint32_t>(value))); }

// Scalar view of a dynamic, for conversions from dynamic columns.
std::optional<double> DynamicNumber(const DynamicValue& value) {
  switch (value.kind()) {
    case DynamicValue::Kind::kBool: return value.bool_value() ? 1.0 : 0.0;
    case DynamicValue::Kind::kLong:
    case DynamicValue::Kind::kDateTime:
    case DynamicValue::Kind::kTimeSpan: return static_cast<double>(value.int_value());
    case DynamicValue::Kind::kReal: return value.real_value();
    case DynamicValue::Kind::kString: return ParseReal(value.string_value());
    default: return std::nullopt;
  }
}

}  // namespace

void ToStringKernel(const KernelCall&, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                    ColumnVector& out) {
  const KernelArg& arg = args[0];
  if (arg.vector->type() == KqlType::kString) {
    for (uint32_t row : rows) {
      out.SetValid(row, true);
      out.strings()[row] = arg.String(row);
    }
    return;
  }
  std::string text;
  for (uint32_t row : rows) {
    text.clear();
    AppendText(arg, row, text);
    out.SetString(row, text);
  }
}

void ToNumberKernel(const KernelCall&, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                    ColumnVector& out) {
  const KernelArg& arg = args[0];
  const bool to_real = out.physical_type() == PhysicalType::kDouble;
  const bool wrap32 = out.type() == KqlType::kInt;
  const KqlType source = arg.type();
  for (uint32_t row : rows) {
    if (arg.IsNull(row)) {
      out.SetValid(row, false);
      continue;
    }
    std::optional<double> real_value;
    std::optional<int64_t> int_value;
    switch (arg.vector->physical_type()) {
      case PhysicalType::kInt64: int_value = arg.Int(row); break;
      case PhysicalType::kDouble: real_value = arg.Real(row); break;
      case PhysicalType::kString:
        if (source == KqlType::kGuid) break;
        if (to_real) {
          real_value = ParseReal(arg.String(row));
        } else {
          int_value = ParseInteger(arg.String(row));
          if (wrap32 && int_value && (*int_value > INT32_MAX || *int_value < INT32_MIN)) int_value.reset();
        }
        break;
      case PhysicalType::kDynamic: {
        const Dynamic& dynamic = arg.DynamicAt(row);
        if (!dynamic) break;
        if (dynamic->kind() == DynamicValue::Kind::kLong) {
          int_value = dynamic->int_value();
        } else if (dynamic->kind() == DynamicValue::Kind::kString && !to_real) {
          int_value = ParseInteger(dynamic->string_value());
        } else {
          real_value = DynamicNumber(*dynamic);
        }
        break;
      }
    }
    if (to_real) {
      if (int_value) {
        SetReal(out, row, static_cast<double>(*int_value));
      } else if (real_value) {
        SetReal(out, row, *real_value);
      } else {
        out.SetValid(row, false);
      }
      continue;
    }
    // A dynamic real out of range saturates (tolong(dynamic(1.7976931348623157e308)) is the largest long, toint
    // the largest int); a dynamic long converts to int by keeping its low 32 bits.
    if (real_value && std::isfinite(*real_value) && arg.vector->physical_type() == PhysicalType::kDynamic) {
      const double low = wrap32 ? static_cast<double>(INT32_MIN) : -9.2233720368547758e18;
      const double high = wrap32 ? static_cast<double>(INT32_MAX) : 9.2233720368547758e18;
      if (*real_value <= low || *real_value >= high) {
        const int64_t saturated = wrap32 ? (*real_value < 0 ? INT32_MIN : INT32_MAX) : (*real_value < 0 ? INT64_MIN : INT64_MAX);
        SetInt(out, row, saturated);
        continue;
      }
    }
    if (real_value) {
      if (!std::isfinite(*real_value) || std::fabs(*real_value) >= 9.2233720368547758e18) {
        out.SetValid(row, false);
        continue;
      }
      int_value = static_cast<int64_t>(*real_value);
    }
    if (!int_value) {
      out.SetValid(row, false);
      continue;
    }
    SetInt(out, row, wrap32 ? WrapInt32(*int_value) : *int_value);
  }
}

void ToBoolKernel(const KernelCall&, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                  ColumnVector& out) {
  const KernelArg& arg = args[0];
  for (uint32_t row : rows) {
    if (arg.IsNull(row)) {
      out.SetValid(row, false);
      continue;
    }
    switch (arg.vector->physical_type()) {
      case PhysicalType::kInt64: SetBool(out, row, arg.Int(row) != 0); break;
      case PhysicalType::kDouble: SetBool(out, row, arg.Real(row) != 0); break;
      case PhysicalType::kString:
      case PhysicalType::kDynamic: {
        std::string text;
        AppendText(arg, row, text);
        std::string lowered;
        AppendLowerUtf8(TrimSpaces(text), lowered);
        if (lowered == "true") {
          SetBool(out, row, true);
        } else if (lowered == "false") {
          SetBool(out, row, false);
        } else if (std::optional<int64_t> number = ParseInteger(lowered)) {
          SetBool(out, row, *number != 0);  // tobool("-1") is true; "1.0" is not an integer and gives null.
        } else {
          out.SetValid(row, false);
        }
        break;
      }
    }
  }
}

void ToDateTimeKernel(const KernelCall&, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                      ColumnVector& out) {
  const KernelArg& arg = args[0];
  std::string text;
  for (uint32_t row : rows) {
    if (arg.IsNull(row)) {
      out.SetValid(row, false);
      continue;
    }
    if (arg.type() == KqlType::kDateTime) {
      SetInt(out, row, arg.Int(row));
      continue;
    }
    if (arg.vector->physical_type() == PhysicalType::kDynamic) {
      const Dynamic& dynamic = arg.DynamicAt(row);
      if (dynamic && dynamic->kind() == DynamicValue::Kind::kDateTime) {
        SetInt(out, row, dynamic->int_value());
        continue;
      }
    }
    if (arg.vector->physical_type() == PhysicalType::kInt64 || arg.vector->physical_type() == PhysicalType::kDouble) {
      // A number is .NET ticks since 0001-01-01 (todatetime(0) is datetime's minimum).
      if (arg.type() == KqlType::kBool || arg.type() == KqlType::kTimeSpan) {
        out.SetValid(row, false);
        continue;
      }
      double number = arg.Real(row);
      int64_t ticks = arg.vector->physical_type() == PhysicalType::kInt64 ? arg.Int(row) : static_cast<int64_t>(number);
      if (!(number >= 0 && number <= static_cast<double>(kMaxDateTimeTicks - kMinDateTimeTicks))) {
        out.SetValid(row, false);
      } else {
        SetInt(out, row, kMinDateTimeTicks + ticks);
      }
      continue;
    }
    if (arg.vector->physical_type() != PhysicalType::kString && arg.vector->physical_type() != PhysicalType::kDynamic) {
      out.SetValid(row, false);
      continue;
    }
    text.clear();
    AppendText(arg, row, text);
    std::optional<int64_t> ticks = ParseDateTime(TrimSpaces(text));
    if (ticks) {
      SetInt(out, row, *ticks);
    } else {
      out.SetValid(row, false);
    }
  }
}

void ToTimeSpanKernel(const KernelCall&, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                      ColumnVector& out) {
  const KernelArg& arg = args[0];
  std::string text;
  for (uint32_t row : rows) {
    if (arg.IsNull(row)) {
      out.SetValid(row, false);
      continue;
    }
    switch (arg.vector->physical_type()) {
      case PhysicalType::kInt64: SetInt(out, row, arg.Int(row)); continue;
      case PhysicalType::kDouble: SetInt(out, row, static_cast<int64_t>(arg.Real(row))); continue;
      default: break;
    }
    if (arg.vector->physical_type() == PhysicalType::kDynamic) {
      const Dynamic& dynamic = arg.DynamicAt(row);
      if (dynamic && (dynamic->kind() == DynamicValue::Kind::kTimeSpan || dynamic->kind() == DynamicValue::Kind::kLong)) {
        SetInt(out, row, dynamic->int_value());
        continue;
      }
    }
    text.clear();
    AppendText(arg, row, text);
    std::optional<int64_t> ticks = ParseTimeSpan(TrimSpaces(text));
    if (ticks) {
      SetInt(out, row, *ticks);
    } else {
      out.SetValid(row, false);
    }
  }
}

void ToGuidKernel(const KernelCall&, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                  ColumnVector& out) {
  const KernelArg& arg = args[0];
  std::string text;
  for (uint32_t row : rows) {
    text.clear();
    AppendText(arg, row, text);
    std::string_view trimmed = TrimSpaces(text);
    if (trimmed.size() == 38 && trimmed.front() == '{' && trimmed.back() == '}') trimmed = trimmed.substr(1, 36);
    bool valid = trimmed.size() == 36;
    for (size_t index = 0; valid && index < trimmed.size(); ++index) {
      char c = trimmed[index];
      bool dash = index == 8 || index == 13 || index == 18 || index == 23;
      valid = dash ? c == '-' : std::isxdigit(static_cast<unsigned char>(c)) != 0;
    }
    if (!valid) {
      out.SetValid(row, false);
      continue;
    }
    std::string lowered;
    AppendLowerUtf8(trimmed, lowered);
    out.SetString(row, lowered);
  }
}

void ToDynamicKernel(const KernelCall&, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                     ColumnVector& out) {
  const KernelArg& arg = args[0];
  for (uint32_t row : rows) {
    if (arg.IsNull(row)) {
      out.SetValid(row, false);
      continue;
    }
    Dynamic result;
    switch (arg.vector->physical_type()) {
      case PhysicalType::kDynamic: result = arg.DynamicAt(row); break;
      case PhysicalType::kString: {
        std::string_view text = arg.String(row);
        if (arg.type() == KqlType::kGuid) {
          result = DynamicValue::MakeGuid(std::string(text));
        } else if (!TrimSpaces(text).empty()) {
          result = ParseStrictJson(text);
          if (!result) result = DynamicValue::MakeString(std::string(text));
        }
        break;
      }
      default: result = ToDynamic(arg.vector->GetValue(arg.Row(row))); break;
    }
    if (!result || result->IsNull()) {
      out.SetValid(row, false);
      out.dynamics()[row] = nullptr;
    } else {
      out.SetValid(row, true);
      out.dynamics()[row] = std::move(result);
    }
  }
}

}  // namespace kql::exec
