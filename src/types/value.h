// Value: one typed KQL scalar (possibly null). Used for constants, parameters and materialised result cells —
// never in vectorised hot loops, which work on ColumnVector.
#pragma once
#include <cstdint>
#include <string>

#include "types/dynamic.h"
#include "types/kql_type.h"

namespace kql {

/// A typed scalar. Strings are never null in KQL (an absent string is empty); other types may be.
struct Value {
  KqlType type = KqlType::kUnknown;
  bool is_null = true;
  int64_t int_value = 0;     ///< bool (0/1), int, long, datetime ticks, timespan ticks.
  double real_value = 0;     ///< real (and decimal, approximated).
  std::string string_value;  ///< string, guid (lowercase canonical form).
  Dynamic dynamic_value;     ///< dynamic (never nullptr when !is_null).

  static Value Null(KqlType type);
  static Value Bool(bool value);
  static Value Int(int64_t value);
  static Value Long(int64_t value);
  static Value Real(double value);
  static Value String(std::string value);
  static Value DateTime(int64_t ticks);
  static Value TimeSpan(int64_t ticks);
  static Value Guid(std::string value);
  static Value FromDynamic(Dynamic value);

  /// Equality of type, nullness and payload (NaN equals NaN here, for tests).
  bool operator==(const Value& other) const;
};

/// Renders a value in the .kqltest golden encoding: raw strings, "(empty)" for "", "null", true/false,
/// shortest round-trip reals ("NaN", "+inf", "-inf"), ISO datetimes with trimmed fraction, timespans
/// "[-][d.]hh:mm:ss[.fffffff]", compact JSON for dynamic.
std::string FormatGolden(const Value& value);

/// Renders a value as a JSON value for --format json/jsonl.
std::string FormatJson(const Value& value);

/// Renders a value for table/CSV output (empty string for null).
std::string FormatText(const Value& value);

/// Converts a scalar to its dynamic form (null stays null).
Dynamic ToDynamic(const Value& value);

}  // namespace kql
