// RemoteSource: a TableSource whose rows come from a ClickHouse query, streamed as TabSeparated and decoded into
// chunks of the KQL types. A whole server table is one (each scan selects only the columns it needs); so is each
// plan subtree the back end pushed down (its SQL in a subquery, output columns aliased _kq<depth>_<i>).
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "clickhouse/http_connection.h"
#include "vector/table_source.h"
#include "clickhouse/layer.h"

namespace kql::clickhouse {

/// Rows of `SELECT <column_sql...> FROM <from_sql>` on one server.
class RemoteSource : public TableSource {
 public:
  /// `column_sql[i]` reads schema[i] in its wire form from `from_sql`.
  RemoteSource(std::shared_ptr<const HttpConnection> connection, std::string name, Schema schema,
               std::vector<std::string> column_sql, std::string from_sql);
  const std::string& name() const override { return name_; }
  const Schema& schema() const override { return schema_; }
  size_t MorselCount() const override { return 1; }
  std::unique_ptr<MorselReader> OpenMorsel(size_t morsel, const ScanRequest& request,
                                           ScanStats& stats) const override;
  /// The SQL a scan of these columns sends.
  std::string Sql(const Schema& columns) const;
  const std::string& from_sql() const { return from_sql_; }
  const std::vector<std::string>& column_sql() const { return column_sql_; }
  const std::shared_ptr<const HttpConnection>& connection() const { return connection_; }

 private:
  std::shared_ptr<const HttpConnection> connection_;
  std::string name_;
  Schema schema_;
  std::vector<std::string> column_sql_;
  std::string from_sql_;
};

}  // namespace kql::clickhouse
