// QueryContext: the execution context of a query's options. Every place the engine runs a plan (a query, the
// sub-plans it runs while binding, a hunt's shared pass, a candidate query) sets threads, chunk size and strictness
// from QueryOptions the same way.
#pragma once
#include "execution/execution_context.h"
#include "kqlite/engine.h"
#include "engine/layer.h"

namespace kql::engine {

/// A context with the options' threads (0: one per hardware thread), chunk size (0: the default) and strictness;
/// sources and limits are left to the caller.
ExecutionContext QueryContext(const QueryOptions& options);

}  // namespace kql::engine
