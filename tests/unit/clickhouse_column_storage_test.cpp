// The type map for tables kqlite did not create: which KQL type each ClickHouse column type reads as, and the
// expression that reads it (external/clickhouse_foreign_types runs these on 18.16 and current ClickHouse).
#include <gtest/gtest.h>

#include "clickhouse/column_storage.h"
#include "rules/layer.h"

namespace kql {
namespace {

using clickhouse::ColumnFromServerType;
using clickhouse::RemoteColumn;
using clickhouse::WireExpression;

RemoteColumn Read(const std::string& server_type) {
  RemoteColumn column;
  EXPECT_TRUE(ColumnFromServerType("c", server_type, column)) << server_type;
  return column;
}

TEST(ClickHouseColumnStorage, ForeignTypesMapToKqlTypes) {
  EXPECT_EQ(Read("DateTime").type, KqlType::kDateTime);
  EXPECT_EQ(Read("Nullable(DateTime('Europe/Berlin'))").type, KqlType::kDateTime);
  EXPECT_EQ(Read("DateTime64(3)").type, KqlType::kDateTime);
  EXPECT_EQ(Read("Nullable(DateTime64(7, 'UTC'))").scale, 7);
  EXPECT_EQ(Read("Date").type, KqlType::kDateTime);
  EXPECT_EQ(Read("LowCardinality(String)").type, KqlType::kString);
  EXPECT_EQ(Read("LowCardinality(Nullable(String))").type, KqlType::kString);
  EXPECT_EQ(Read("UInt8").type, KqlType::kLong);
  EXPECT_EQ(Read("UInt64").type, KqlType::kLong);
  EXPECT_EQ(Read("Int32").type, KqlType::kLong);
  EXPECT_EQ(Read("Float32").type, KqlType::kReal);
  EXPECT_EQ(Read("UUID").type, KqlType::kGuid);
  EXPECT_EQ(Read("Nullable(IPv4)").type, KqlType::kString);
  EXPECT_EQ(Read("IPv6").type, KqlType::kString);
  EXPECT_EQ(Read("Enum8('allow' = 1, 'deny' = 2)").type, KqlType::kString);
  RemoteColumn column;
  EXPECT_FALSE(ColumnFromServerType("c", "Decimal(18, 4)", column));
  EXPECT_FALSE(ColumnFromServerType("c", "Array(String)", column));
}

TEST(ClickHouseColumnStorage, ForeignColumnsReadAsTicksAndText) {
  EXPECT_EQ(WireExpression(Read("DateTime")), "(toInt64(toUInt32(`c`)) * 10000000)");
  EXPECT_EQ(WireExpression(Read("DateTime64(3)")), "(reinterpretAsInt64(`c`) * 10000)");
  EXPECT_EQ(WireExpression(Read("DateTime64(9, 'UTC')")),
            "(intDiv(reinterpretAsInt64(`c`), 100) - (reinterpretAsInt64(`c`) % 100 < 0))");
  EXPECT_EQ(WireExpression(Read("Date")), "(toInt64(toUInt16(`c`)) * 864000000000)");
  EXPECT_EQ(WireExpression(Read("UInt64")), "if(`c` > toUInt64(9223372036854775807), NULL, toInt64(`c`))");
  EXPECT_EQ(WireExpression(Read("Nullable(IPv4)")), "ifNull(toString(`c`), '')");
  EXPECT_EQ(WireExpression(Read("UUID")), "toString(`c`)");
}

}  // namespace
}  // namespace kql
