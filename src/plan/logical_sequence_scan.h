// LogicalSequenceScan: the `scan` operator — matches ordered steps against the input rows in their order, carrying
// declared variables from row to row (named LogicalSequenceScan to keep it apart from LogicalScan, the table read).
#pragma once
#include <string>
#include <vector>

#include "plan/logical_operator.h"
#include "plan/layer.h"

namespace kql::plan {

/// One `step name [output=all|none]: condition [=> var = expr, ...]`.
struct SequenceStep {
  std::string name;
  bool output = true;                                 ///< False for output=none.
  BoundExprPtr condition;                             ///< Bound against LogicalSequenceScan::eval_schema.
  std::vector<std::pair<size_t, BoundExprPtr>> assignments;  ///< Declared variable index, value.
  SequenceStep Clone() const;
};

/// Output: the input columns, the declared variables, then the match id column when requested. Expressions see
/// `eval_schema`: the current row (input columns, then the declared variables at their defaults), then for each
/// step the row that step last matched in the match being extended, as columns named `step.column`.
struct LogicalSequenceScan : LogicalOperator {
  LogicalSequenceScan() : LogicalOperator(LogicalKind::kSequenceScan) {}
  Schema declared;                     ///< Declared variables.
  std::vector<Value> defaults;         ///< Per declared variable (typed null when none was given).
  std::vector<SequenceStep> steps;
  std::string match_id_column;         ///< with_match_id= name, or empty.
  Schema eval_schema;
  LogicalOperatorPtr Clone() const override;
  std::string Describe() const override;
};

}  // namespace kql::plan
