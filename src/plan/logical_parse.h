// LogicalParse: the `parse` and `parse-where` operators — match a string expression against a pattern compiled
// to one regular expression and extend the input with one typed column per capture. Not parse-kv.
#pragma once
#include <string>
#include <vector>

#include "plan/logical_operator.h"
#include "plan/layer.h"

namespace kql::plan {

/// How a parse pattern matches (`kind=`).
enum class ParseMode {
  kSimple,   ///< Literal delimiters, anchored at both ends; a typed capture that does not convert fails the row.
  kRegex,    ///< Delimiters are regular expressions; unanchored search; greedy unless flags contain U.
  kRelaxed,  ///< Like simple, but a typed capture that does not convert is null and the row still matches.
};

/// Extends the input with the captures of `regex` applied to `source`. Output: the input columns, where a capture
/// named like an input column replaces it in place, then the other captures in pattern order.
/// capture_positions[i] is the output column of capture group i + 1 (the regex uses only non-capturing groups
/// besides those). With `filter_unmatched` (parse-where) rows that do not match are dropped; otherwise their
/// captures are null ("" for strings).
struct LogicalParse : LogicalOperator {
  LogicalParse() : LogicalOperator(LogicalKind::kParse) {}
  BoundExprPtr source;                   ///< The parsed expression, converted to string by the binder.
  std::string regex;                     ///< RE2 syntax, with named groups c0, c1, ... for the captures.
  ParseMode mode = ParseMode::kSimple;
  std::vector<size_t> capture_positions;  ///< Output column of each capture.
  bool filter_unmatched = false;
  LogicalOperatorPtr Clone() const override;
  std::string Describe() const override;
};

}  // namespace kql::plan
