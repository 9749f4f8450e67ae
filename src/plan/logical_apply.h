// LogicalApply: runs a sub-plan once per group of input rows — `partition by` (one group per key value) and
// `mv-apply` (one group per input row). The sub-plan (children[1]) reads its group through a LogicalScan of the
// table named `input_name`, which execution binds to the group's rows for each run.
#pragma once
#include <string>
#include <vector>

#include "plan/logical_operator.h"
#include "plan/layer.h"

namespace kql::plan {

/// How LogicalApply forms the groups.
enum class ApplyMode {
  kPartition,  ///< One group per distinct combination of `partition_columns`, in order of first appearance.
  kPerRow,     ///< One group per input row (mv-apply; the sub-plan expands the row itself).
};

/// children[0] is the input, children[1] the sub-plan. Output: for each run's result row, `output_map` gives per
/// output column {0 = the group's input row (kPerRow only), 1 = the sub-plan's row} and the column index there.
struct LogicalApply : LogicalOperator {
  LogicalApply() : LogicalOperator(LogicalKind::kApply) {}
  ApplyMode mode = ApplyMode::kPartition;
  std::vector<size_t> partition_columns;
  std::string input_name;
  std::vector<std::pair<int, size_t>> output_map;
  bool keep_unmatched = false;  ///< kPerRow: a row whose run returns nothing is kept once, sub-plan columns null.
  LogicalOperatorPtr Clone() const override;
  std::string Describe() const override;
};

}  // namespace kql::plan
