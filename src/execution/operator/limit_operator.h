// LimitOperator: the streaming half of take/limit — keeps at most N rows of each morsel so that a morsel never
// produces more than the limit; the result sink then keeps the first N rows in morsel order.
#pragma once
#include <cstdint>
#include <memory>

#include "execution/physical_operator.h"
#include "execution/layer.h"

namespace kql::exec {

/// Creates per-thread per-morsel limiters.
std::unique_ptr<StreamOperatorFactory> MakeLimitFactory(int64_t limit);

}  // namespace kql::exec
