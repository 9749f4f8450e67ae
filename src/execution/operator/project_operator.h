// ProjectOperator: the streaming form of project/extend/summarize-key evaluation — builds a new chunk with one
// column per expression. Column references are copied, not evaluated; the selection is kept as is.
#pragma once
#include <memory>
#include <vector>

#include "execution/execution_context.h"
#include "execution/physical_operator.h"
#include "plan/bound_expression.h"
#include "execution/layer.h"

namespace kql::exec {

/// Creates per-thread projections; the expressions must outlive the factory.
std::unique_ptr<StreamOperatorFactory> MakeProjectFactory(std::vector<const BoundExpr*> exprs,
                                                          ExecutionContext& context);

}  // namespace kql::exec
