#include "types/kql_type.h"

#include <algorithm>
#include <cctype>

namespace kql {

std::string_view TypeName(KqlType type) {
  switch (type) {
    case KqlType::kUnknown: return "unknown";
    case KqlType::kBool: return "bool";
    case KqlType::kInt: return "int";
    case KqlType::kLong: return "long";
    case KqlType::kReal: return "real";
    case KqlType::kDecimal: return "decimal";
    case KqlType::kString: return "string";
    case KqlType::kDateTime: return "datetime";
    case KqlType::kTimeSpan: return "timespan";
    case KqlType::kGuid: return "guid";
    case KqlType::kDynamic: return "dynamic";
  }
  return "unknown";
}

std::optional<KqlType> ParseTypeName(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (lower == "bool" || lower == "boolean") return KqlType::kBool;
  if (lower == "int" || lower == "int32") return KqlType::kInt;
  if (lower == "long" || lower == "int64") return KqlType::kLong;
  if (lower == "real" || lower == "double") return KqlType::kReal;
  if (lower == "decimal") return KqlType::kDecimal;
  if (lower == "string") return KqlType::kString;
  if (lower == "datetime" || lower == "date") return KqlType::kDateTime;
  if (lower == "timespan" || lower == "time") return KqlType::kTimeSpan;
  if (lower == "guid" || lower == "uniqueid" || lower == "uuid") return KqlType::kGuid;
  if (lower == "dynamic") return KqlType::kDynamic;
  return std::nullopt;
}

bool IsNumeric(KqlType type) {
  return type == KqlType::kInt || type == KqlType::kLong || type == KqlType::kReal || type == KqlType::kDecimal;
}

bool IsInteger(KqlType type) { return type == KqlType::kInt || type == KqlType::kLong; }

}  // namespace kql
