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
  /// True for cells of doc_cases.jsonl: text copied from a rendered markdown table (see DocCellVariants).
  bool from_doc = false;
};

/// Splits a row such as "('a', 1, null, 2020-01-01T00:00:00.0000000Z, [\n 1\n])" into cells. `is_dynamic` tells,
/// per column, whether a quoted token is JSON (dynamic) rather than a Python string. Returns nullopt and sets
/// *error when the row is malformed or the bracket nesting exceeds a fixed depth.
std::optional<std::vector<ExpectedCell>> ParseKustoRow(std::string_view row, const std::vector<bool>& is_dynamic,
                                                       std::string* error);

/// Wraps a documented cell (always a string in doc_cases.jsonl): "" stays an empty quoted string, "null" is null.
ExpectedCell DocCell(const std::string& text);

/// Readings of a documented cell that undo the markdown rendering of the docs' result tables, without the
/// original: surrounding whitespace trimmed (table cells are trimmed, so "  a  " shows as "a"), code spans
/// (`x`) unwrapped, <br> as a line break, &nbsp; as empty, thousands separators dropped from numbers (1,048,576),
/// the infinity sign spelled inf, day separators written "d:hh:mm:ss" for timespans, and a string shown in double
/// quotes unquoted. The first variant is the cell with every rule applied (possibly the text itself).
std::vector<std::string> DocCellVariants(const std::string& text);

}  // namespace kql::conformance
