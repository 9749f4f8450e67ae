// ExecutionContext: what a running query needs besides its plan — data sources, thread count, chunk size,
// and a way to run sub-plans (for `in (T | ...)` and `toscalar`). Owned by the engine for one query.
#pragma once
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>

#include "vector/table.h"
#include "vector/table_source.h"
#include "vector/result_stream.h"
#include "execution/layer.h"

namespace kql::plan {
struct LogicalOperator;
}  // namespace kql::plan

namespace kql::exec {
class QueryLimits;

/// A runtime error that stops the query (bad regex at run time, out of memory guard, strict-mode record).
class QueryError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Per-query execution settings and services.
struct ExecutionContext {
  /// Table name -> source. Scans look their table up here; a missing table is a QueryError.
  std::map<std::string, std::shared_ptr<const TableSource>> sources;
  /// Worker threads for morsel-driven pipelines (>= 1). Results never depend on it.
  int threads = 1;
  /// Rows per chunk.
  size_t chunk_size = kDefaultChunkSize;
  /// Scan statistics per table name (created on first scan of that table).
  std::map<std::string, std::shared_ptr<ScanStats>> scan_stats;
  /// --strict: a malformed record fails the query.
  bool strict = false;
  /// Memory budget, deadline and cancel flag of the query (null: unlimited); shared with sub-plans.
  QueryLimits* limits = nullptr;
};

/// Runs a logical plan to completion and returns the materialised result. Throws QueryError.
Table ExecutePlan(const LogicalOperator& plan, ExecutionContext& context);

/// Runs a logical plan into `stream` (Begin, then the rows in order), holding no more of the result than its last
/// pipeline breaker needs. Throws QueryError (also when the stream refuses rows).
void ExecutePlanInto(const LogicalOperator& plan, ExecutionContext& context, ResultStream& stream);

}  // namespace kql::exec
