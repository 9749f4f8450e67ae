// ApplyOperator: executes a LogicalApply — splits the materialised input into groups (partition key values, or
// single rows for mv-apply), runs the sub-plan once per group with the group bound as its input table, and
// concatenates the results in group order.
#pragma once
#include <functional>

#include "execution/execution_context.h"
#include "plan/logical_apply.h"
#include "vector/table.h"
#include "execution/layer.h"

namespace kql::exec {

/// Runs `apply` over `input`; `run` executes the sub-plan (children[1]) with the context's sources as they are.
Table ExecuteApply(const LogicalApply& apply, const Table& input, ExecutionContext& context,
                   const std::function<Table(const LogicalOperator&)>& run);

}  // namespace kql::exec
