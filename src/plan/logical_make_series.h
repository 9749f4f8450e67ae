// LogicalMakeSeries: the second half of make-series. Its child is an aggregate grouped by the `by` keys and the
// binned axis; this operator regroups those rows by the keys alone and lays each aggregate's values out along the
// axis (start, start + step, ...) as dynamic arrays, filling absent bins with the aggregate's default. It is a
// pipeline breaker that runs once over the (small) aggregated input.
#pragma once
#include <string>
#include <vector>

#include "plan/logical_operator.h"
#include "plan/layer.h"

namespace kql::plan {

/// One series column: the element type its values take and the value of absent bins.
struct SeriesColumn {
  KqlType element_type = KqlType::kLong;
  Value default_value;  ///< Already of element_type (or null).
};

/// Output: the key columns, one dynamic array per aggregate, then the axis as a dynamic array.
/// Child output: the key columns (key_count), the binned axis, then one column per aggregate.
struct LogicalMakeSeries : LogicalOperator {
  LogicalMakeSeries() : LogicalOperator(LogicalKind::kMakeSeries) {}
  size_t key_count = 0;
  std::vector<SeriesColumn> series;
  KqlType axis_type = KqlType::kDateTime;  ///< The binned axis's type (datetime, timespan, long or real).
  BoundExprPtr start;  ///< Constant expression; null when the axis starts at the data's first bin.
  BoundExprPtr stop;   ///< Constant expression; null when the axis ends after the data's last bin.
  BoundExprPtr step;   ///< Constant expression.
  bool stop_inclusive = false;  ///< `in range(start, stop, step)` includes stop and bins with bin().
  bool nonempty = false;        ///< kind=nonempty: empty input still yields one row of defaults (no keys).
  LogicalOperatorPtr Clone() const override;
  std::string Describe() const override;
};

}  // namespace kql::plan
