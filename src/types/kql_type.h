// KqlType: the scalar types of KQL. Physical storage is described in vector/column_vector.h.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace kql {

/// The KQL scalar data types. kUnknown is the error type that stops diagnostic cascades.
enum class KqlType {
  kUnknown,
  kBool,
  kInt,
  kLong,
  kReal,
  kDecimal,
  kString,
  kDateTime,
  kTimeSpan,
  kGuid,
  kDynamic,
};

/// The KQL name of a type: "bool", "int", "long", "real", "decimal", "string", "datetime", "timespan", "guid", "dynamic".
std::string_view TypeName(KqlType type);

/// Parses a KQL type name, accepting aliases (boolean, int32, int64, double, date, time, uniqueid, object...).
std::optional<KqlType> ParseTypeName(std::string_view name);

/// True for int, long, real and decimal.
bool IsNumeric(KqlType type);

/// True for int and long.
bool IsInteger(KqlType type);

}  // namespace kql
