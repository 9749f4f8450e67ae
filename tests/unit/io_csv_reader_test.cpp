// Unit tests of the CSV reader (RFC 4180 quoting, portal headers and datetime styles), schema inference and the
// table-name rules of data discovery.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "io/csv_source.h"
#include "io/data_discovery.h"
#include "io/schema_inference.h"
#include "vector/table.h"
#include "rules/layer.h"

using namespace kql;
using namespace kql::rules;

namespace kql {
namespace {

Table ScanAll(const TableSource& source, const ScanRequest& request, ScanStats& stats) {
  Table table;
  table.schema = request.columns;
  for (size_t morsel = 0; morsel < source.MorselCount(); ++morsel) {
    auto reader = source.OpenMorsel(morsel, request, stats);
    DataChunk chunk;
    while (reader->Next(chunk)) table.Append(chunk);
  }
  return table;
}

std::string Cell(const Table& table, size_t row, size_t column) { return FormatGolden(table.Rows()[row][column]); }

TEST(IoCsvReader, QuotingAndPortalStyles) {
  std::string text =
      "\xEF\xBB\xBFTimeGenerated [UTC],Computer,CommandLine,EventID\r\n"
      "\"Oct 9, 2024 2:41:10 PM\",WS01,\"cmd /c \"\"a b\"\"\",4688\r\n"
      "\"4/4/2025, 9:18:26.637 PM\",WS02,\"line1\nline2\",\r\n"
      "2024-05-01T10:00:00Z,,plain,notanumber\n";
  Schema schema = {{"TimeGenerated", KqlType::kDateTime}, {"Computer", KqlType::kString},
                   {"CommandLine", KqlType::kString}, {"EventID", KqlType::kInt}};
  auto source = OpenTextSource("SecurityEvent", schema, FileFormat::kCsv, text);
  ScanRequest request;
  request.columns = {{"CommandLine", KqlType::kString}, {"TimeGenerated", KqlType::kDateTime},
                     {"EventID", KqlType::kInt}, {"Computer", KqlType::kString}};
  ScanStats stats;
  Table table = ScanAll(*source, request, stats);
  ASSERT_EQ(table.RowCount(), 3u);
  EXPECT_EQ(Cell(table, 0, 0), "cmd /c \"a b\"");
  EXPECT_EQ(Cell(table, 0, 1), "2024-10-09T14:41:10Z");
  EXPECT_EQ(Cell(table, 0, 2), "4688");
  EXPECT_EQ(Cell(table, 1, 0), "line1\\nline2");
  EXPECT_EQ(Cell(table, 1, 1), "2025-04-04T21:18:26.637Z");
  EXPECT_EQ(Cell(table, 1, 2), "null");
  EXPECT_EQ(Cell(table, 2, 3), "(empty)");
  EXPECT_EQ(Cell(table, 2, 2), "null");
  ASSERT_EQ(stats.skipped_count(), 1u);
  EXPECT_EQ(stats.skipped()[0].line, 5u);
  EXPECT_EQ(stats.skipped()[0].column, 29u);
  EXPECT_NE(stats.skipped()[0].reason.find("EventID"), std::string::npos);
}

TEST(IoCsvReader, PrefilterOnRawRecords) {
  std::string text = "A,B\nfoo,1\nbar,2\n\"FOO,x\",3\n";
  auto source = OpenTextSource("T", {{"A", KqlType::kString}, {"B", KqlType::kLong}}, FileFormat::kCsv, text);
  ScanRequest request;
  request.columns = {{"B", KqlType::kLong}};
  request.prefilter = {{"foo"}};
  ScanStats stats;
  Table table = ScanAll(*source, request, stats);
  ASSERT_EQ(table.RowCount(), 2u);
  EXPECT_EQ(Cell(table, 1, 0), "3");
  EXPECT_EQ(stats.rows_prefiltered(), 1u);
}

TEST(IoCsvReader, SplitRecord) {
  std::vector<CsvField> fields;
  std::string scratch;
  SplitCsvRecord("a,\"b,\"\"c\"\"\",,d,", fields, scratch);
  ASSERT_EQ(fields.size(), 5u);
  EXPECT_EQ(fields[1].text, "b,\"c\"");
  EXPECT_EQ(fields[2].text, "");
  EXPECT_EQ(fields[3].text, "d");
  EXPECT_EQ(fields[4].text, "");
  EXPECT_EQ(NormalizeCsvHeader("TimeGenerated [UTC]"), "TimeGenerated");
  EXPECT_EQ(NormalizeCsvHeader(" Name "), "Name");
}

TEST(IoSchemaInference, CsvAndJson) {
  std::string dir = testing::TempDir() + "io_infer/";
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "Custom.csv") << "When,Count,Ratio,Flag,Name\n2024-01-01T00:00:00Z,1,1.5,true,a\n"
                                       "2024-01-02T00:00:00Z,2,2,false,b\n";
  std::ofstream(dir + "Mixed-part1.jsonl") << "{\"a\":1,\"b\":\"2024-01-01T00:00:00Z\",\"c\":{\"x\":1},\"d\":1}\n"
                                              "{\"a\":2.5,\"b\":\"2024-01-02\",\"c\":\"s\",\"d\":\"s\",\"e\":null}\n";
  DiscoveredData data = DiscoverData({{dir, ""}}, nullptr);
  ASSERT_TRUE(data.errors.empty());
  ASSERT_EQ(data.sources.size(), 2u);
  EXPECT_EQ(data.sources[0]->name(), "Custom");
  EXPECT_EQ(FormatSchema(data.sources[0]->schema()),
            "(When:datetime, Count:long, Ratio:real, Flag:bool, Name:string)");
  EXPECT_EQ(data.sources[1]->name(), "Mixed-part1");
  EXPECT_EQ(FormatSchema(data.sources[1]->schema()), "(a:real, b:datetime, c:dynamic, d:string, e:string)");
}

TEST(IoDataDiscovery, TableNames) {
  Schema known = {{"A", KqlType::kString}};
  SchemaLookup lookup = [&](const std::string& name) {
    return name == "DeviceNetworkEvents" || name == "SigninLogs" ? &known : nullptr;
  };
  EXPECT_EQ(TableNameForFile("/x/DeviceNetworkEvents.jsonl", std::nullopt, lookup), "DeviceNetworkEvents");
  EXPECT_EQ(TableNameForFile("/x/DeviceNetworkEvents_2024-10-01.json.gz", std::nullopt, lookup),
            "DeviceNetworkEvents");
  EXPECT_EQ(TableNameForFile("/x/export.jsonl", std::string("AdvancedHunting-DeviceProcessEvents"), lookup),
            "DeviceProcessEvents");
  EXPECT_EQ(TableNameForFile("/x/SigninLogs-1.csv", std::nullopt, lookup), "SigninLogs");
  EXPECT_EQ(TableNameForFile("/x/my_data.ndjson.zst", std::nullopt, lookup), "my_data");
  EXPECT_EQ(TableNameForFile("/x/a.b.c.jsonl", std::nullopt, lookup), "a.b.c");
}

TEST(IoDataDiscovery, GroupsByTableAndReportsBadPaths) {
  std::string dir = testing::TempDir() + "io_group/";
  std::filesystem::create_directories(dir + "sub");
  std::ofstream(dir + "DeviceNetworkEvents_1.jsonl") << "{\"A\":\"x\"}\n";
  std::ofstream(dir + "sub/DeviceNetworkEvents_2.csv") << "A\ny\n";
  std::ofstream(dir + "sub/stream.json")
      << "{\"category\":\"AdvancedHunting-DeviceNetworkEvents\",\"properties\":{\"A\":\"z\"}}\n";
  std::ofstream(dir + "notes.txt") << "ignored";
  Schema known = {{"A", KqlType::kString}};
  SchemaLookup lookup = [&](const std::string& name) { return name == "DeviceNetworkEvents" ? &known : nullptr; };
  DiscoveredData data = DiscoverData({{dir, ""}, {dir + "missing.jsonl", ""}}, lookup);
  ASSERT_EQ(data.errors.size(), 1u);
  ASSERT_EQ(data.sources.size(), 1u);
  ScanRequest request;
  request.columns = known;
  ScanStats stats;
  Table table = ScanAll(*data.sources[0], request, stats);
  ASSERT_EQ(table.RowCount(), 3u);
}

}  // namespace
}  // namespace kql
