// ExpectedCell: one cell of a reference answer (Microsoft's engine or the KQL docs) as text, and the parser of
// the Python-tuple-like rows of kusto_engine_cases.jsonl. Not a general Python or JSON parser.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>
#include "rules/layer.h"

namespace kql::conformance {

using namespace kql::rules;

/// One expected cell before it is compared with a typed actual value.
struct ExpectedCell {
  /// How the cell was written: null/None, a quoted string (raw text between the quotes), or a bare token / JSON text.
  enum class Kind { kNull, kQuoted, kBare };
  Kind kind = Kind::kBare;
  std::string text;
};

/// Splits a row such as "('a', 1, null, 2020-01-01T00:00:00.0000000Z, [\n 1\n])" into cells. `is_dynamic` tells,
/// per column, whether a quoted token is JSON (dynamic) rather than a Python string. Returns nullopt and sets
/// *error when the row is malformed or the bracket nesting exceeds a fixed depth.
std::optional<std::vector<ExpectedCell>> ParseKustoRow(std::string_view row, const std::vector<bool>& is_dynamic,
                                                       std::string* error);

/// Wraps a documented cell (always a string in doc_cases.jsonl): "" stays an empty quoted string, "null" is null.
ExpectedCell DocCell(const std::string& text);

}  // namespace kql::conformance
