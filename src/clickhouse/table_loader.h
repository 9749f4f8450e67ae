// TableLoader: `kqlite load`. Creates a table on the server(s) from a KQL schema (a MergeTree table; with a
// cluster, a `<name>_local` MergeTree on every server plus a Distributed table `<name>` over them, sharded by
// cityHash64(DeviceId) when the table has a DeviceId column) and streams a TableSource's rows in as TabSeparated
// batches. A load replaces a table of the same name. Each column's KQL type is recorded in `kqlite_columns`.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "clickhouse/http_connection.h"
#include "vector/table_source.h"
#include "clickhouse/layer.h"

namespace kql::clickhouse {

/// Where `kqlite load` writes.
struct LoadTarget {
  std::vector<std::shared_ptr<const HttpConnection>> servers;  ///< The first one receives the inserts.
  std::string cluster;  ///< remote_servers cluster name; empty for a single server.
};

/// Creates the database (when absent) on every server.
void CreateDatabases(const LoadTarget& target);
/// (Re)creates table `name` with `schema` on the target; returns the SQL it ran, for messages.
std::vector<std::string> CreateTable(const LoadTarget& target, const std::string& name, const Schema& schema);
/// Streams every row of `source` into table `name`; returns the rows sent. Reader problems go to `stats`.
uint64_t InsertRows(const LoadTarget& target, const std::string& name, const TableSource& source, ScanStats& stats);

}  // namespace kql::clickhouse
