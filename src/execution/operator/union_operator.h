// Union: concatenates materialised child tables in child order, aligning columns by the plan's child_maps
// (missing columns are null-filled) and adding the withsource= column when requested.
#pragma once
#include <vector>

#include "plan/logical_operator.h"
#include "vector/table.h"
#include "execution/layer.h"

namespace kql::exec {

/// Concatenates children as `union_op` describes.
Table UnionTables(const LogicalUnion& union_op, const std::vector<Table>& children);

}  // namespace kql::exec
