// Plans for applies that run a sub-plan per input row (mv-apply, the lookup plugins): the scan of the row being
// applied, and the lookup join shared by evaluate ipv4_lookup, geo_polygon_lookup and geo_line_lookup.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "plan/logical_operator.h"
#include "binder/layer.h"

namespace kql::binder {

/// The scan of the rows an apply hands to its sub-plan under `name` (the input row, or the row's group).
std::unique_ptr<LogicalScan> GroupScan(const std::string& name, const Schema& schema);

/// True for the bound constant `true` (a plugin's boolean flag argument).
bool IsTrueConstant(const BoundExpr& flag);

/// An input column the lookup join carries next to the lookup's columns, under a hidden name.
struct LookupInputColumn {
  size_t column;
  std::string name;
};

/// The per-row lookup of the lookup plugins: for each input row, the rows of `lookup` for which the predicate holds.
/// The predicate is built over the join's schema: the lookup's columns, then `carried` (the row's columns). Output:
/// the input columns, then the lookup columns listed in `output_columns`; with keep_unmatched, a row without a match
/// is kept with those columns empty. `input_name` names the row for the sub-plan (unique per query).
LogicalOperatorPtr BuildLookupApply(LogicalOperatorPtr input, LogicalOperatorPtr lookup, std::string input_name,
                                   const std::vector<LookupInputColumn>& carried,
                                   const std::vector<size_t>& output_columns, bool keep_unmatched,
                                   const std::function<BoundExprPtr(const Schema& join_schema)>& predicate);

}  // namespace kql::binder
