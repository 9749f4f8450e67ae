// BoundExpr: a typed, name-resolved scalar expression — the binder's output and the executor's input.
// Every operator and function is a kCall with a canonical lowercase name (see docs/functions.md); aliases
// (makeset -> make_set, !has -> "!has") are resolved by the binder, so execution never sees source spellings.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "base/source_span.h"
#include "types/kql_type.h"
#include "types/schema.h"
#include "types/value.h"
#include "plan/layer.h"

namespace kql::plan {

struct LogicalOperator;

/// What kind of node a BoundExpr is.
enum class BoundExprKind {
  kConstant,   ///< A literal or folded constant (`constant`).
  kColumnRef,  ///< A column of the operator's input (`column_index`, `column_name`).
  kCall,       ///< An operator or function applied to `args` (`function`).
};

/// A typed scalar expression tree.
struct BoundExpr {
  BoundExprKind kind = BoundExprKind::kConstant;
  KqlType type = KqlType::kUnknown;  ///< Result type.
  SourceSpan span;                   ///< Where it came from in the query text.

  Value constant;  ///< kConstant: the value (its type equals `type`).

  size_t column_index = 0;  ///< kColumnRef: index into the input schema of the operator evaluating it.
  std::string column_name;  ///< kColumnRef: the column's name, for plans and messages.

  /// kCall: canonical name. Operators use their KQL spelling: "==", "!=", "<", "<=", ">", ">=", "=~", "!~",
  /// "+", "-", "*", "/", "%", "neg" (unary minus), "and", "or", "not", "has", "!has", "has_cs", "!has_cs",
  /// "hasprefix", "hassuffix" (and _cs / ! forms), "contains", "!contains", "contains_cs", "!contains_cs",
  /// "startswith", "!startswith", "startswith_cs", "!startswith_cs", "endswith", "!endswith", "endswith_cs",
  /// "!endswith_cs", "matches regex", "in", "!in", "in~", "!in~", "has_any", "has_all", "between",
  /// "!between", "[]" (dynamic index: args = container, index), "." is also "[]" with a string index.
  /// Functions use their canonical name: "strcat", "tolower", "iff", "case", "bin", "now" (folded), ...
  /// Set operators ("in", "!in", "in~", "!in~", "has_any", "has_all") take the probe as args[0] and the
  /// candidates as args[1..] (constants, or one dynamic array), or a `subquery` producing one column.
  /// "between"/"!between" take (value, low, high).
  std::string function;
  std::vector<std::unique_ptr<BoundExpr>> args;
  /// For set operators whose right side is a tabular expression: its plan (first column is used).
  std::unique_ptr<LogicalOperator> subquery;

  BoundExpr();
  ~BoundExpr();
  BoundExpr(BoundExpr&&) noexcept;
  BoundExpr& operator=(BoundExpr&&) noexcept;

  /// Deep copy (subquery plans included).
  std::unique_ptr<BoundExpr> Clone() const;
  /// KQL-like rendering for plans: `CommandLine has "powershell"`.
  std::string ToString() const;

  static std::unique_ptr<BoundExpr> MakeConstant(Value value, SourceSpan span = {});
  static std::unique_ptr<BoundExpr> MakeColumn(size_t index, std::string name, KqlType type, SourceSpan span = {});
  static std::unique_ptr<BoundExpr> MakeCall(std::string function, KqlType type,
                                             std::vector<std::unique_ptr<BoundExpr>> args, SourceSpan span = {});
};

using BoundExprPtr = std::unique_ptr<BoundExpr>;

/// One aggregate of a summarize. Most produce one column; arg_max/arg_min produce several.
struct BoundAggregate {
  /// Canonical name: "count", "countif", "dcount", "dcountif", "sum", "sumif", "avg", "avgif", "min", "max",
  /// "minif", "maxif", "make_set", "make_set_if", "make_list", "make_list_if", "make_bag", "arg_max", "arg_min",
  /// "take_any", "take_anyif", "stdev", "variance", "percentile"...
  std::string function;
  /// Arguments. For arg_max/arg_min: args[0] is the expression to maximise, args[1..] the returned columns.
  /// Constant extra arguments (make_set's max size, dcount accuracy) are kConstant.
  std::vector<BoundExprPtr> args;
  /// Output columns (one for most aggregates; 1 + returned columns for arg_max/arg_min).
  Schema outputs;

  BoundAggregate Clone() const;
  std::string ToString() const;
};

}  // namespace kql::plan
