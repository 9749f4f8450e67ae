// PlanBackend: an engine that runs parts of a logical plan itself (a SQL database). Before execution the engine
// hands it the optimized plan; it replaces each subtree it can compute exactly by a scan of a source it adds,
// and leaves the rest for local execution over the rows that source streams back.
#pragma once
#include <map>
#include <memory>
#include <string>

#include "plan/logical_operator.h"
#include "vector/table_source.h"
#include "plan/layer.h"

namespace kql::plan {

/// A back end the engine can offload plan subtrees to (see clickhouse/clickhouse_backend.h).
class PlanBackend {
 public:
  virtual ~PlanBackend() = default;
  /// Rewrites `plan`: each subtree the back end runs becomes a LogicalScan of a source added to `sources` under
  /// the scan's table name. `explain`, when given, receives a description of what was offloaded (the SQL).
  virtual LogicalOperatorPtr Offload(LogicalOperatorPtr plan,
                                     std::map<std::string, std::shared_ptr<const TableSource>>& sources,
                                     std::string* explain) const = 0;
  /// True when a filter with `predicate` (over `input`, columns of the table's source) directly on a scan of
  /// `table` would run in the back end exactly. The default runs nothing.
  virtual bool TranslatesFilter(const std::string& table, const BoundExpr& predicate, const Schema& input) const {
    (void)table, (void)predicate, (void)input;
    return false;
  }
};

}  // namespace kql::plan
