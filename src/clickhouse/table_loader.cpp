// TableLoader: DDL per server, then TabSeparated batches of about 8 MB through the first server.
#include "clickhouse/table_loader.h"

#include "clickhouse/clickhouse_backend.h"
#include "clickhouse/column_storage.h"
#include "clickhouse/layer.h"

namespace kql::clickhouse {

namespace {

constexpr size_t kBatchBytes = 8 << 20;

bool HasDateTime64(const HttpConnection& server) { return server.MajorVersion() >= 20; }

std::string ColumnList(const Schema& schema, bool datetime64) {
  std::string sql;
  for (size_t i = 0; i < schema.size(); ++i) {
    sql += (i ? ",\n  " : "\n  ") + QuoteIdentifier(schema[i].name) + " " + CreateType(schema[i].type, datetime64);
  }
  return "(" + sql + "\n)";
}

}  // namespace

void CreateDatabases(const LoadTarget& target) {
  for (const auto& server : target.servers) {
    server->Execute("CREATE DATABASE IF NOT EXISTS " + QuoteIdentifier(server->url().database), "", false);
    server->Execute("CREATE TABLE IF NOT EXISTS " + QuoteIdentifier(kColumnsTable) +
                    " (table String, name String, kql_type String, position UInt32, loaded DateTime)"
                    " ENGINE = ReplacingMergeTree(loaded) ORDER BY (table, name)");
  }
}

std::vector<std::string> CreateTable(const LoadTarget& target, const std::string& name, const Schema& schema) {
  std::vector<std::string> statements;
  bool clustered = !target.cluster.empty();
  std::string local = clustered ? name + "_local" : name;
  bool has_device = false;
  for (const ColumnDef& column : schema) has_device = has_device || (column.name == "DeviceId" && column.type == KqlType::kString);
  for (const auto& server : target.servers) {
    bool datetime64 = HasDateTime64(*server);
    std::vector<std::string> sql = {
        "DROP TABLE IF EXISTS " + QuoteIdentifier(name),
        "DROP TABLE IF EXISTS " + QuoteIdentifier(local),
        "CREATE TABLE " + QuoteIdentifier(local) + " " + ColumnList(schema, datetime64) +
            "\nENGINE = MergeTree() ORDER BY tuple()",
    };
    if (clustered) {
      sql.push_back("CREATE TABLE " + QuoteIdentifier(name) + " AS " + QuoteIdentifier(local) + "\nENGINE = Distributed(" +
                    QuoteIdentifier(target.cluster) + ", " + QuoteIdentifier(server->url().database) + ", " +
                    QuoteIdentifier(local) + ", " + (has_device ? "cityHash64(DeviceId)" : "rand()") + ")");
    }
    std::string record = "INSERT INTO " + QuoteIdentifier(kColumnsTable) + " VALUES ";
    for (size_t i = 0; i < schema.size(); ++i) {
      for (const std::string& table : {name, local}) {
        record += "(" + QuoteString(table) + ", " + QuoteString(schema[i].name) + ", " +
                  QuoteString(std::string(TypeName(schema[i].type))) + ", " + std::to_string(i) + ", now()), ";
      }
    }
    record.resize(record.size() - 2);
    sql.push_back(record);
    for (const std::string& statement : sql) {
      server->Execute(statement);
      statements.push_back(statement);
    }
  }
  return statements;
}

uint64_t InsertRows(const LoadTarget& target, const std::string& name, const TableSource& source, ScanStats& stats) {
  const HttpConnection& server = *target.servers.front();
  bool datetime64 = HasDateTime64(server);
  std::vector<RemoteColumn> columns;
  for (const ColumnDef& column : source.schema()) columns.push_back(CreatedColumn(column.name, column.type, datetime64));
  std::string insert = "INSERT INTO " + QuoteIdentifier(name) + " FORMAT TabSeparated";
  std::string settings = target.cluster.empty() ? "" : "insert_distributed_sync=1";
  ScanRequest request;
  request.columns = source.schema();
  std::string batch;
  uint64_t rows = 0;
  auto flush = [&] {
    if (batch.empty()) return;
    server.Insert(insert, batch, settings);
    batch.clear();
  };
  for (size_t morsel = 0; morsel < source.MorselCount(); ++morsel) {
    std::unique_ptr<MorselReader> reader = source.OpenMorsel(morsel, request, stats);
    DataChunk chunk;
    while (reader->Next(chunk)) {
      chunk.ForEachActive([&](size_t row) {
        for (size_t i = 0; i < columns.size(); ++i) {
          if (i) batch += '\t';
          AppendTsvCell(batch, chunk.columns[i], row, columns[i]);
        }
        batch += '\n';
        ++rows;
      });
      if (batch.size() >= kBatchBytes) flush();
    }
    if (stats.failed()) break;
  }
  flush();
  return rows;
}

}  // namespace kql::clickhouse
