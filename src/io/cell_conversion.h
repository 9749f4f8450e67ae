// Cell conversion: turns the text of one field (a CSV cell, a JSON string or number token) into a value of the
// column's KQL type, written in place at a row. Shared by the JSON-lines and CSV readers; no I/O here.
#pragma once
#include <cstddef>
#include <string_view>

#include "vector/column_vector.h"
#include "io/layer.h"

namespace kql::io {

/// Writes `text` converted to column.type() at `row` (which must exist). Returns false when the text is not a
/// valid value of that type; the row is then left null. Strings always succeed; guids are lowercased; dynamic
/// columns parse JSON text and keep other text as a dynamic string. Non-string types ignore surrounding
/// whitespace.
bool SetCellFromText(ColumnVector& column, size_t row, std::string_view text);

/// Parses a whole string as a signed 64-bit integer (optional sign, digits only). Returns false otherwise.
bool ParseInt64Text(std::string_view text, int64_t* value);

/// Parses a whole string as a real: decimal/exponent forms plus "NaN", "Infinity", "-Infinity", "+inf", "-inf".
bool ParseRealText(std::string_view text, double* value);

/// Parses "true"/"false" (any case) and "1"/"0".
bool ParseBoolText(std::string_view text, bool* value);

/// Strips ASCII whitespace at both ends.
std::string_view TrimAscii(std::string_view text);

}  // namespace kql::io
