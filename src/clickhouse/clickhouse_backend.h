// ClickHouseBackend: kqlite's ClickHouse back end. It lists the tables of a server's database (their KQL schemas
// from kqlite's own `kqlite_columns` table, else from the ClickHouse types), offers each as a RemoteSource for the
// engine to register, and as a PlanBackend turns each plan subtree over those tables that it can translate exactly
// (scan, where, project/extend, summarize, sort, top, take, exact joins) into one SQL query. The rest of the plan
// runs locally.
#pragma once
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "clickhouse/column_storage.h"
#include "clickhouse/http_connection.h"
#include "clickhouse/remote_source.h"
#include "plan/plan_backend.h"
#include "clickhouse/layer.h"

namespace kql::clickhouse {

/// The name of the table where `kqlite load` records each column's KQL type.
inline constexpr const char* kColumnsTable = "kqlite_columns";

/// The back end over one server (the initiator of a cluster's Distributed tables).
class ClickHouseBackend : public PlanBackend {
 public:
  /// Connects and reads the table list; throws ClickHouseError.
  explicit ClickHouseBackend(std::shared_ptr<const HttpConnection> connection);
  /// One source per table (Distributed tables hide their `_local` shard tables).
  const std::vector<std::shared_ptr<const RemoteSource>>& sources() const { return sources_; }
  /// Notices about columns kqlite cannot read (skipped).
  const std::vector<std::string>& notices() const { return notices_; }
  LogicalOperatorPtr Offload(LogicalOperatorPtr plan, std::map<std::string, std::shared_ptr<const TableSource>>& sources,
                             std::string* explain) const override;
  bool TranslatesFilter(const std::string& table, const BoundExpr& predicate, const Schema& input) const override;

 private:
  std::shared_ptr<const HttpConnection> connection_;
  std::vector<std::shared_ptr<const RemoteSource>> sources_;
  std::vector<std::string> notices_;
};

/// Reads the tables of the connection's database.
std::vector<RemoteTable> ListTables(const HttpConnection& connection, std::vector<std::string>& notices);

}  // namespace kql::clickhouse
