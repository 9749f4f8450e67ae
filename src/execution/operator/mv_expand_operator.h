// MvExpandOperator: the streaming form of mv-expand — turns each row into one row per element of its dynamic
// array (or per property of a bag, as {key:value}) in the expanded columns, which expand in lockstep.
// An empty array yields no row; null or a scalar yields one row. The output chunk is dense.
#pragma once
#include <memory>

#include "execution/physical_operator.h"
#include "plan/logical_operator.h"
#include "execution/layer.h"

namespace kql::exec {

/// Creates per-thread expanders for the operator (which must outlive the factory). The output layout is the input
/// columns (expanded ones converted to their target types) plus, when named, the item index column.
std::unique_ptr<StreamOperatorFactory> MakeMvExpandFactory(const LogicalMvExpand& expand);

/// Converts a dynamic element to a column type (null when it does not convert); kDynamic keeps it as is.
Value ConvertDynamic(const Dynamic& element, KqlType type);

}  // namespace kql::exec
