// How KQL columns live in ClickHouse tables and travel over the wire. A table kqlite creates stores each KQL type
// in one column: string -> String ('' for empty, KQL strings are never null), guid and dynamic -> Nullable(String)
// (dynamic as JSON text), bool -> Nullable(UInt8), int/long -> Nullable(Int64), real/decimal -> Nullable(Float64),
// timespan -> Nullable(Int64) ticks, datetime -> Nullable(Int64) Unix 100 ns ticks on servers without DateTime64
// (18.16) and Nullable(DateTime64(7, 'UTC')) on newer ones; both keep KQL's 100 ns precision. Tables kqlite did
// not create are read by their ClickHouse types (the map is ColumnFromServerType's; docs/clickhouse.md).
// Results always come back as TabSeparated in the "wire" form of the KQL type: datetimes and timespans as Int64
// ticks, bools as 0/1, dynamic as JSON text.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "types/kql_type.h"
#include "types/schema.h"
#include "vector/column_vector.h"
#include "clickhouse/layer.h"

namespace kql::clickhouse {

/// The physical form of a column on the server.
enum class Storage {
  kString,          ///< String / LowCardinality(String), never null.
  kNullableString,  ///< Nullable(String) (guid, dynamic JSON, strings of foreign tables).
  kInt,             ///< (Nullable) integer types.
  kFloat,           ///< (Nullable) Float32/Float64.
  kTicks,           ///< (Nullable) Int64 Unix 100 ns ticks (datetime, timespan).
  kDateTime,        ///< (Nullable) DateTime: whole seconds.
  kDateTime64,      ///< (Nullable) DateTime64(P): `scale` digits.
  kDate,            ///< (Nullable) Date: whole days.
  kUInt64,          ///< (Nullable) UInt64: values above 2^63-1 read as null (no KQL long holds them).
  kText,            ///< (Nullable) UUID, IPv4, IPv6, Enum8/16: read as their toString() text.
};

/// One column of a server table and the KQL type queries see.
struct RemoteColumn {
  std::string name;
  KqlType type = KqlType::kString;
  Storage storage = Storage::kString;
  int scale = 0;  ///< DateTime64 precision.
};

/// A server table as kqlite reads it.
struct RemoteTable {
  std::string name;      ///< The table's name in queries and on the server.
  std::vector<RemoteColumn> columns;
  Schema schema() const;
};

/// The ClickHouse column type kqlite creates for a KQL type.
std::string CreateType(KqlType type, bool has_datetime64);
/// The storage of a column kqlite created for a KQL type.
RemoteColumn CreatedColumn(const std::string& name, KqlType type, bool has_datetime64);
/// The KQL type and storage of a foreign column from its ClickHouse type ("Nullable(DateTime64(3, 'UTC'))");
/// false when kqlite cannot read the type.
bool ColumnFromServerType(const std::string& name, std::string_view server_type, RemoteColumn& column);

/// `name` quoted as a ClickHouse identifier.
std::string QuoteIdentifier(std::string_view name);
/// `text` as a ClickHouse string literal.
std::string QuoteString(std::string_view text);
/// The SQL expression that reads column `column` in its wire form (ticks for datetimes).
std::string WireExpression(const RemoteColumn& column);

/// Appends row `row` of `vector` as one TabSeparated cell for a column of `column`'s storage.
void AppendTsvCell(std::string& out, const ColumnVector& vector, size_t row, const RemoteColumn& column);
/// Appends one TabSeparated wire cell of KQL type `vector.type()` to `vector`; false when it does not parse.
bool AppendWireCell(std::string_view cell, ColumnVector& vector);

}  // namespace kql::clickhouse
