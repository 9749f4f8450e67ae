#include "types/value.h"

#include <cmath>

#include "types/datetime.h"

namespace kql {

Value Value::Null(KqlType type) {
  Value v;
  v.type = type;
  v.is_null = type != KqlType::kString;
  return v;
}
Value Value::Bool(bool value) {
  Value v;
  v.type = KqlType::kBool;
  v.is_null = false;
  v.int_value = value ? 1 : 0;
  return v;
}
Value Value::Int(int64_t value) {
  Value v;
  v.type = KqlType::kInt;
  v.is_null = false;
  v.int_value = value;
  return v;
}
Value Value::Long(int64_t value) {
  Value v;
  v.type = KqlType::kLong;
  v.is_null = false;
  v.int_value = value;
  return v;
}
Value Value::Real(double value) {
  Value v;
  v.type = KqlType::kReal;
  v.is_null = false;
  v.real_value = value;
  return v;
}
Value Value::String(std::string value) {
  Value v;
  v.type = KqlType::kString;
  v.is_null = false;
  v.string_value = std::move(value);
  return v;
}
Value Value::DateTime(int64_t ticks) {
  Value v;
  v.type = KqlType::kDateTime;
  v.is_null = false;
  v.int_value = ticks;
  return v;
}
Value Value::TimeSpan(int64_t ticks) {
  Value v;
  v.type = KqlType::kTimeSpan;
  v.is_null = false;
  v.int_value = ticks;
  return v;
}
Value Value::Guid(std::string value) {
  Value v;
  v.type = KqlType::kGuid;
  v.is_null = false;
  v.string_value = std::move(value);
  return v;
}
Value Value::FromDynamic(Dynamic value) {
  Value v;
  v.type = KqlType::kDynamic;
  v.is_null = !value || value->IsNull();
  v.dynamic_value = value ? std::move(value) : DynamicValue::MakeNull();
  return v;
}

bool Value::operator==(const Value& other) const {
  if (type != other.type || is_null != other.is_null) return false;
  if (is_null) return true;
  switch (type) {
    case KqlType::kReal:
    case KqlType::kDecimal:
      return real_value == other.real_value || (std::isnan(real_value) && std::isnan(other.real_value));
    case KqlType::kString:
    case KqlType::kGuid: return string_value == other.string_value;
    case KqlType::kDynamic: return dynamic_value->Equals(*other.dynamic_value);
    default: return int_value == other.int_value;
  }
}

std::string FormatGolden(const Value& value) {
  if (value.type == KqlType::kString) {
    if (value.string_value.empty()) return "(empty)";
    std::string out;
    for (char c : value.string_value) {
      if (c == '\t') out += "\\t";
      else if (c == '\n') out += "\\n";
      else out.push_back(c);
    }
    return out;
  }
  if (value.is_null) return "null";
  switch (value.type) {
    case KqlType::kBool: return value.int_value ? "true" : "false";
    case KqlType::kInt:
    case KqlType::kLong: return std::to_string(value.int_value);
    case KqlType::kReal:
    case KqlType::kDecimal:
      if (std::isinf(value.real_value)) return value.real_value > 0 ? "+inf" : "-inf";
      return FormatReal(value.real_value);
    case KqlType::kDateTime: return FormatDateTime(value.int_value);
    case KqlType::kTimeSpan: return FormatTimeSpan(value.int_value);
    case KqlType::kGuid: return value.string_value;
    case KqlType::kDynamic: return ToJson(*value.dynamic_value);
    default: return "?";
  }
}

std::string FormatJson(const Value& value) {
  if (value.type == KqlType::kString) {
    std::string out;
    AppendJsonString(out, value.string_value);
    return out;
  }
  if (value.is_null) return "null";
  std::string out;
  switch (value.type) {
    case KqlType::kBool: return value.int_value ? "true" : "false";
    case KqlType::kInt:
    case KqlType::kLong: return std::to_string(value.int_value);
    case KqlType::kReal:
    case KqlType::kDecimal:
      if (!std::isfinite(value.real_value)) {
        AppendJsonString(out, FormatReal(value.real_value));
        return out;
      }
      return FormatReal(value.real_value);
    case KqlType::kDateTime: AppendJsonString(out, FormatDateTime(value.int_value)); return out;
    case KqlType::kTimeSpan: AppendJsonString(out, FormatTimeSpan(value.int_value)); return out;
    case KqlType::kGuid: AppendJsonString(out, value.string_value); return out;
    case KqlType::kDynamic: return ToJson(*value.dynamic_value);
    default: return "null";
  }
}

std::string FormatText(const Value& value) {
  if (value.type == KqlType::kString) return value.string_value;
  if (value.is_null) return "";
  if (value.type == KqlType::kReal || value.type == KqlType::kDecimal) return FormatReal(value.real_value);
  std::string golden = FormatGolden(value);
  return golden;
}

Dynamic ToDynamic(const Value& value) {
  if (value.is_null && value.type != KqlType::kString) return DynamicValue::MakeNull();
  switch (value.type) {
    case KqlType::kBool: return DynamicValue::MakeBool(value.int_value != 0);
    case KqlType::kInt:
    case KqlType::kLong: return DynamicValue::MakeLong(value.int_value);
    case KqlType::kReal:
    case KqlType::kDecimal: return DynamicValue::MakeReal(value.real_value);
    case KqlType::kString: return DynamicValue::MakeString(value.string_value);
    case KqlType::kDateTime: return DynamicValue::MakeDateTime(value.int_value);
    case KqlType::kTimeSpan: return DynamicValue::MakeTimeSpan(value.int_value);
    case KqlType::kGuid: return DynamicValue::MakeGuid(value.string_value);
    case KqlType::kDynamic: return value.dynamic_value;
    default: return DynamicValue::MakeNull();
  }
}

}  // namespace kql
