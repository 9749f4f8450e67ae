// LogicalPatternMining: `evaluate basket(...)` and `evaluate autocluster(...)` — patterns of shared values over the
// input's columns (the dimensions). Output: SegmentId:long, Count:long, Percent:real, then one column per dimension
// holding the pattern's value there or the column's wildcard (the pattern does not restrict that column).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "plan/logical_operator.h"
#include "plan/layer.h"

namespace kql::plan {

enum class PatternMiningAlgorithm { kBasket, kAutocluster };

struct LogicalPatternMining : LogicalOperator {
  LogicalPatternMining() : LogicalOperator(LogicalKind::kPatternMining) {}
  PatternMiningAlgorithm algorithm = PatternMiningAlgorithm::kBasket;
  double threshold = 0.05;    ///< basket: minimal share of the (weighted) rows of a pattern.
  int max_dimensions = 5;     ///< basket: most columns an itemset fixes before its closure.
  double size_weight = 0.5;   ///< autocluster: weight of coverage against fixed columns in the score.
  int num_seeds = 25;         ///< autocluster: starting rows of the local search per round.
  std::optional<size_t> weight_column;  ///< Input column weighing each row; none: every row weighs 1.
  std::vector<size_t> dimensions;       ///< Input columns of the output (after Count and Percent), in order.
  std::vector<bool> minable;            ///< Per dimension: false for dynamic columns (never part of a pattern).
  std::vector<Value> wildcards;         ///< Per dimension: the value meaning "any value" in the output.
  LogicalOperatorPtr Clone() const override;
  std::string Describe() const override;
};

}  // namespace kql::plan
