// Unit tests of JsonKeyLocator (top-level keys of flat JSON records read without a parse) and of the side scan that
// uses it: on records built to mislead a byte search, the side rows must equal a full scan of the same columns.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "io/json_key_locator.h"
#include "io/literal_prefilter.h"
#include "io/literal_set.h"
#include "vector/table.h"
#include "scan_text_file.h"
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

// What ScanWithSide saw.
struct SideScanOutcome {
  Table expected;    // a plain scan of the time columns
  Table candidates;  // column A of the records the prefilter kept
  std::optional<Table> side;  // the side scan's rows
  uint64_t plain_skipped = 0;
  uint64_t side_skipped = 0;
};

// Writes `text` to a file named `name` and scans it twice, morsel by morsel: the time columns alone, and column A
// under `prefilter` with the time columns as a side scan.
SideScanOutcome ScanWithSide(const std::string& name, const std::string& text,
                             std::vector<std::vector<std::string>> prefilter) {
  SideScanOutcome outcome;
  test_support::WithTextFile(name, text, [&](const TableSource& source) {
    Schema time_columns = {{"TimeGenerated", KqlType::kDateTime}, {"Timestamp", KqlType::kDateTime}};
    ScanRequest plain;
    plain.columns = time_columns;
    ScanRequest main;
    main.columns = {{"A", KqlType::kString}};
    main.prefilter = std::move(prefilter);
    main.side = std::make_shared<SideScan>(time_columns);
    ScanStats plain_stats, main_stats;
    test_support::ScanAllMorsels(source, plain, plain_stats, outcome.expected);
    test_support::ScanAllMorsels(source, main, main_stats, outcome.candidates);
    outcome.side = main.side->Take(source.MorselCount());
    outcome.plain_skipped = plain_stats.skipped_count();
    outcome.side_skipped = main.side->stats().skipped_count();
  });
  return outcome;
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
  SideScanOutcome outcome = ScanWithSide("io_key_locator.jsonl", text, {{"nothing-matches-this"}});
  const Table& expected = outcome.expected;
  const std::optional<Table>& side = outcome.side;
  ASSERT_TRUE(side.has_value());
  // simdjson's On-Demand parser does not validate values it skips either: the record malformed after its key
  // (line 8) is a row both ways.
  EXPECT_EQ(side->Rows(), expected.Rows());
  ASSERT_EQ(side->RowCount(), 14u);  // only the truncated record is skipped
  EXPECT_EQ(FormatGolden(side->Rows()[7][1]), "2025-01-06T00:00:00Z");
  EXPECT_EQ(outcome.side_skipped, outcome.plain_skipped);
}

// The prefilter's block search locates exact markers (the side scan's quoted keys) in the same Hyperscan pass as
// its literals: MarkersIn lists those inside a record, and markers never make a record match.
TEST(IoJsonKeyLocator, BlockSearchLocatesTheQuotedKeys) {
  if (!io::LiteralSet::HyperscanAvailable()) GTEST_SKIP() << "no Hyperscan in this build";
  std::vector<std::string> literals;
  for (int index = 0; index < 20; ++index) literals.push_back("needle" + std::to_string(index) + ".example");
  io::LiteralPrefilter prefilter({literals}, io::LiteralPrefilter::Encoding::kJson,
                                 {"\"Timestamp\"", "\"TimeGenerated\""});
  std::string record = R"({"Timestamp":"2025-01-01T00:00:00Z","X":"a \"Timestamp","TimeGenerated":null})";
  std::string text;
  while (text.size() < (size_t{5} << 20)) text += record + "\n";
  // Searching record by record first (the hashed matcher) until Hyperscan is compiled for these literals.
  for (size_t at = 0; at + record.size() < text.size(); at += record.size() + 1) {
    EXPECT_FALSE(prefilter.MayMatch(std::string_view(text).substr(at, record.size())));
  }
  prefilter.PrepareBlock(std::string_view(text).substr(0, 1 << 20));
  std::string_view first(text.data(), record.size());
  std::vector<io::LiteralPrefilter::MarkerAt> found;
  ASSERT_TRUE(prefilter.MarkersIn(first, found));
  EXPECT_FALSE(prefilter.MayMatch(first));  // markers are not literals
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0].key, 0u);
  EXPECT_EQ(found[0].offset, 1u);
  EXPECT_EQ(found[1].key, 0u);
  EXPECT_EQ(found[1].offset, record.find("\"Timestamp\"", 2));
  EXPECT_EQ(found[2].key, 1u);
  EXPECT_EQ(found[2].offset, record.find("\"TimeGenerated\""));
  // The repeated key makes the answer uncertain; without it the values are read.
  JsonKeyLocator locator({"Timestamp", "TimeGenerated"});
  std::vector<JsonKeyLocator::Value> values;
  EXPECT_FALSE(locator.LocateFound(first, found, values));
  std::vector<JsonKeyLocator::KeyAt> keys = {{0, 1}, {1, found[2].offset}};
  ASSERT_TRUE(locator.LocateFound(first, keys, values));
  EXPECT_EQ(std::string(values[0].text), "2025-01-01T00:00:00Z");
  EXPECT_FALSE(values[1].present);
  // A record outside the prepared block: the caller searches it itself.
  EXPECT_FALSE(prefilter.MarkersIn(std::string_view(text).substr(text.size() - record.size() - 1, record.size()),
                                   found));
}

// The side scan of a file large enough for the block search (Hyperscan compiled after the first 4 MiB) reads the
// keys the search located: the side rows still equal a plain scan's, record for record.
TEST(IoJsonKeyLocator, SideScanWithTheBlockSearchEqualsAFullScan) {
  std::vector<std::string> records = {
      R"({"Timestamp":"2025-01-01T00:00:00.1234567Z","TimeGenerated":"2025-01-02T00:00:00Z","A":"needle3.example"})",
      R"({"A":{"Timestamp":"2020-01-01T00:00:00Z"},"Timestamp":"2025-01-03T00:00:00Z"})",
      R"({"Timestamp":"2025-01-04T00:00:00Z","Timestamp":"2025-01-05T00:00:00Z"})",
      R"({"Timestamp":"not a time","A":"x"})",
      R"({"X":"say \"Timestamp","Timestamp":"2025-01-07T00:00:00Z"})",
      R"({"Time\u0073tamp":"2025-01-08T00:00:00Z"})",
      R"({"TimeGenerated":"Oct 9, 2024 2:41:10 PM","Timestamp":null,"Pad":"................................."})",
      R"({"A":"plain","Timestamp":"2025-02-01T10:00:00Z","B":[1,2,3]})",
  };
  std::string text;
  size_t expected_candidates = 0;  // the needle, and the escape that could hide one
  for (size_t row = 0; text.size() < (size_t{9} << 20); ++row) {
    text += records[row % records.size()] + "\n";
    if (row % records.size() == 0 || row % records.size() == 5) ++expected_candidates;
  }
  std::vector<std::vector<std::string>> prefilter(1);
  for (int index = 0; index < 20; ++index) prefilter[0].push_back("needle" + std::to_string(index) + ".example");
  SideScanOutcome outcome = ScanWithSide("io_key_locator_block.jsonl", text, prefilter);
  ASSERT_TRUE(outcome.side.has_value());
  ASSERT_EQ(outcome.side->RowCount(), outcome.expected.RowCount());
  EXPECT_TRUE(outcome.side->Rows() == outcome.expected.Rows());
  EXPECT_EQ(outcome.side_skipped, outcome.plain_skipped);
  EXPECT_EQ(outcome.candidates.RowCount(), expected_candidates);
}

}  // namespace
}  // namespace kql
