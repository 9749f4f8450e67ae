// FilterOperator: the streaming form of `where` — narrows a chunk's selection to the rows where the predicate is
// true (null counts as false). It never moves data.
#pragma once
#include <memory>

#include "execution/execution_context.h"
#include "execution/physical_operator.h"
#include "plan/bound_expression.h"
#include "execution/layer.h"

namespace kql::exec {

/// Creates per-thread filters for a bool predicate; the predicate must outlive the factory.
std::unique_ptr<StreamOperatorFactory> MakeFilterFactory(const BoundExpr& predicate, ExecutionContext& context);

}  // namespace kql::exec
