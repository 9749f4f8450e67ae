// Unit tests of JsonKeyLocator (top-level keys of flat JSON records read without a parse) and of the side scan that
// uses it: on records built to mislead a byte search, the side rows must equal a full scan of the same columns.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "io/data_discovery.h"
#include "io/json_key_locator.h"
#include "vector/table.h"
#include "rules/layer.h"

using namespace kql;
using namespace kql::rules;

namespace kql {
namespace {

using io::JsonKeyLocator;

std::string Located(const JsonKeyLocator& locator, std::string_view record) {
  std::vector<JsonKeyLocator::Value> values;
  if (!locator.Locate(record, values)) return "(parse)";
  std::string out;
  for (const auto& value : values) out += (out.empty() ? "" : "|") + (value.present ? std::string(value.text) : "-");
  return out;
}

TEST(IoJsonKeyLocator, AnswersOnlyWhenCertain) {
  JsonKeyLocator locator({"TimeGenerated", "Timestamp"});
  EXPECT_EQ(Located(locator, R"({"Timestamp":"2025-01-01T00:00:00Z","A":1})"), "-|2025-01-01T00:00:00Z");
  EXPECT_EQ(Located(locator, R"({ "A":"x" , "TimeGenerated" : "t1" ,"Timestamp":null})"), "t1|-");
  EXPECT_EQ(Located(locator, R"({"A":"Timestamps","Tb":"T"})"), "-|-");  // near misses only
  EXPECT_EQ(Located(locator, R"({})"), "-|-");
  // Uncertain: repeated, nested, not a key, non-string values, escapes, not an object, too far in.
  EXPECT_EQ(Located(locator, R"({"Timestamp":"a","Timestamp":"b"})"), "(parse)");
  EXPECT_EQ(Located(locator, R"({"Timestamp":"a","X":"say \"Timestamp"})"), "(parse)");
  EXPECT_EQ(Located(locator, R"({"X":{"Timestamp":"a"}})"), "(parse)");
  EXPECT_EQ(Located(locator, R"({"X":[{"Timestamp":"a"}]})"), "(parse)");
  EXPECT_EQ(Located(locator, R"({"X":"Timestamp"})"), "(parse)");
  EXPECT_EQ(Located(locator, R"({"X":"a\",\"Timestamp\":\"b"})"), "-|-");  // escaped quotes
  EXPECT_EQ(Located(locator, R"({"Timestamp":1700000000})"), "(parse)");
  EXPECT_EQ(Located(locator, R"({"Timestamp":"2025\u002d01-01"})"), "(parse)");
  EXPECT_EQ(Located(locator, R"({"Timestamp":"a" "B":1})"), "(parse)");
  EXPECT_EQ(Located(locator, R"({"Timestamp":nullx})"), "(parse)");
  EXPECT_EQ(Located(locator, "{\"Timestamp\":\"a\tb\"}"), "(parse)");
  EXPECT_EQ(Located(locator, R"({"Timestamp":"a")"), "(parse)");  // truncated
  EXPECT_EQ(Located(locator, R"([{"Timestamp":"a"}])"), "(parse)");
  EXPECT_EQ(Located(locator, "{\"Pad\":\"" + std::string(600, 'x') + "\",\"Timestamp\":\"a\"}"), "(parse)");
  EXPECT_EQ(Located(locator, "{\"Pad\":\"" + std::string(600, 'x') + "\"}"), "-|-");
  // Keys longer than the record, and an empty key list entry, are handled.
  EXPECT_EQ(Located(JsonKeyLocator({"TimestampTimestampTimestampTimestampTimestamp"}), R"({"T":1})"), "-");
  EXPECT_EQ(Located(JsonKeyLocator({""}), R"({"":"a"})"), "(parse)");
}

// The side scan reads these records' time columns with the locator where it can and parses the rest: the rows and
// the bad values must be those of a plain scan of the same columns.
TEST(IoJsonKeyLocator, SideScanEqualsAFullScanOnTrickyRecords) {
  std::vector<std::string> records = {
      R"({"Timestamp":"2025-01-01T00:00:00Z","TimeGenerated":"2025-01-02T00:00:00Z","A":"x"})",
      R"({"A":{"Timestamp":"2020-01-01T00:00:00Z"},"Timestamp":"2025-01-03T00:00:00Z"})",
      R"({"Timestamp":"2025-01-04T00:00:00Z","Timestamp":"2025-01-05T00:00:00Z"})",
      R"({"Timestamp":"not a time"})",
      R"({"Timestamp":""})",
      R"({"Timestamp":null,"TimeGenerated":"Oct 9, 2024 2:41:10 PM"})",
      R"({"Timestamp":1735689600})",
      R"({"Timestamp":"2025-01-06T00:00:00Z","B":tru})",  // malformed after the key: read by the locator
      R"({"X":"say \"Timestamp","Timestamp":"2025-01-07T00:00:00Z"})",
      R"({"Time\u0073tamp":"2025-01-08T00:00:00Z"})",
      R"( {"Timestamp" : "2025-01-09T00:00:00Z" } )",
      "{\"Timestamp\":\"2025-01-10T00:00:00Z\",\"Pad\":\"" + std::string(700, 'p') + "\"}",
      "{\"Pad\":\"" + std::string(700, 'p') + "\",\"Timestamp\":\"2025-01-11T00:00:00Z\"}",
      R"({"Timestamp":"2025-01-12T00:00:00Z")",  // truncated: a bad record either way
      R"({"Timestamp":"2025-01-13T00:00:00Z","A":[1,{"TimeGenerated":"x"}]})",
  };
  std::string text;
  for (const auto& record : records) text += record + "\r\n";
  std::string path = testing::TempDir() + "io_key_locator.jsonl";
  std::ofstream(path, std::ios::binary) << text;
  DiscoveredData data = DiscoverData({{path, "T"}}, nullptr, {});
  ASSERT_TRUE(data.errors.empty());
  const TableSource& source = *data.sources[0];

  Schema time_columns = {{"TimeGenerated", KqlType::kDateTime}, {"Timestamp", KqlType::kDateTime}};
  ScanRequest plain;
  plain.columns = time_columns;
  ScanStats plain_stats;
  Table expected;
  expected.schema = time_columns;
  ScanRequest main;
  main.columns = {{"A", KqlType::kString}};
  main.prefilter = {{"nothing-matches-this"}};
  main.side = std::make_shared<SideScan>(time_columns);
  ScanStats main_stats;
  for (size_t morsel = 0; morsel < source.MorselCount(); ++morsel) {
    DataChunk chunk;
    auto reader = source.OpenMorsel(morsel, plain, plain_stats);
    while (reader->Next(chunk)) expected.Append(chunk);
    auto side_reader = source.OpenMorsel(morsel, main, main_stats);
    while (side_reader->Next(chunk)) {
    }
  }
  std::optional<Table> side = main.side->Take(source.MorselCount());
  ASSERT_TRUE(side.has_value());
  // simdjson's On-Demand parser does not validate values it skips either: the record malformed after its key
  // (line 8) is a row both ways.
  EXPECT_EQ(side->Rows(), expected.Rows());
  ASSERT_EQ(side->RowCount(), 14u);  // only the truncated record is skipped
  EXPECT_EQ(FormatGolden(side->Rows()[7][1]), "2025-01-06T00:00:00Z");
  EXPECT_EQ(main.side->stats().skipped_count(), plain_stats.skipped_count());
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace kql
