// Shared by the lookup plugins (evaluate ipv4_lookup, geo_polygon_lookup, geo_line_lookup), which pair each input row
// with every lookup row through a join on a constant key.
#pragma once
#include <vector>

#include "plan/logical_operator.h"
#include "binder/layer.h"

namespace kql::binder {

/// `plan` projected to `columns`, plus (with add_key) a constant long column named "\x01key" to join on.
LogicalOperatorPtr ProjectWithConstantKey(LogicalOperatorPtr plan, const std::vector<size_t>& columns, bool add_key);

}  // namespace kql::binder
