// LogicalParseKv: the `parse-kv` operator — extracts the values of named keys from a string expression and
// extends the input with one typed column per key. The pairs are found by delimiters, by a regular expression
// with two groups (key, value), or, with neither, by looking for each key followed by ':' or '='.
#pragma once
#include <string>
#include <vector>

#include "plan/logical_operator.h"
#include "plan/layer.h"

namespace kql::plan {

/// How parse-kv finds the pairs.
enum class ParseKvMode {
  kDelimited,  ///< pair_delimiter / kv_delimiter (with quotes, escapes and greedy values).
  kRegex,      ///< regex=: each match's first group is a key and its second group the value.
  kKeyLookup,  ///< No delimiters given: each key is looked up in the text, followed by ':' or '='.
};

/// Output: the input columns, where a key named like an input column replaces it in place, then the other keys in
/// the listed order. A key that is absent (or whose value does not convert) is null; for strings, empty.
struct LogicalParseKv : LogicalOperator {
  LogicalParseKv() : LogicalOperator(LogicalKind::kParseKv) {}
  BoundExprPtr source;                ///< The parsed expression, converted to string by the binder.
  ParseKvMode mode = ParseKvMode::kDelimited;
  std::vector<std::string> keys;      ///< The key of each extracted column.
  std::vector<size_t> key_positions;  ///< Output column of each key.
  std::string pair_delimiter = " ";
  std::string kv_delimiter = "=";
  std::string quotes;                 ///< Characters that open and close a quoted value (or key).
  std::string escapes;                ///< Characters that escape the next character inside quotes.
  bool greedy = false;                ///< Unquoted values extend to the pair delimiter before the next key.
  std::string regex;                  ///< kRegex: RE2 syntax with two capturing groups.
  LogicalOperatorPtr Clone() const override;
  std::string Describe() const override;
};

}  // namespace kql::plan
