// ScalarFunctionRegistry: the table from canonical function names (as the binder emits them in BoundExpr) to
// kernels. It does not type-check calls; the binder has already done that.
#pragma once
#include <span>
#include <string_view>

#include "execution/scalar/scalar_kernel.h"
#include "execution/layer.h"

namespace kql::exec {

/// The kernel for a canonical function or operator name, or nullptr when the executor does not implement it.
const ScalarFunction* FindScalarFunction(std::string_view name);

/// Every registered function (for docs and the binder/executor sync test).
std::span<const ScalarFunction> AllScalarFunctions();

}  // namespace kql::exec
