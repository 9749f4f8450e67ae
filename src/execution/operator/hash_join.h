// HashJoin: equi-join of two materialised tables for every KQL join kind, building a hash table on the right side
// and probing it with left rows in order. Output rows follow left input order (matches in right input order),
// then, for right/full outer joins, unmatched right rows in right order. Null keys never match.
#pragma once
#include "plan/logical_operator.h"
#include "vector/table.h"
#include "execution/layer.h"

namespace kql::exec {

class QueryLimits;

/// Joins left and right as `join` describes (kind, keys, output_map). Throws QueryError on key type mismatches.
/// `limits` (may be null) is charged for the build side's hash table and for every output chunk.
Table HashJoin(const LogicalJoin& join, const Table& left, const Table& right, size_t chunk_size,
               QueryLimits* limits = nullptr);

}  // namespace kql::exec
