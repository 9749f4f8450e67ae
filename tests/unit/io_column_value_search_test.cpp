// Unit tests of the column-value prefilter: QuotedKeyFinder (keys located by one byte pass), ColumnValueSearch
// (literals searched in the located values only) and the JSON reader using it. On records built to mislead a byte
// search, the prefilter may keep extra records but must never drop one whose parsed column value holds a literal.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "io/column_value_search.h"
#include "io/literal_prefilter.h"
#include "io/literal_set.h"
#include "io/quoted_key_finder.h"
#include "vector/table.h"
#include "scan_text_file.h"
#include "rules/layer.h"

using namespace kql;
using namespace kql::rules;

namespace kql {
namespace {

using io::QuotedKeyFinder;

// "key@offset" for each occurrence FindAll lists.
std::string Found(QuotedKeyFinder& finder, std::string_view text, std::vector<size_t>* newlines = nullptr) {
  std::vector<QuotedKeyFinder::Occurrence> found;
  finder.FindAll(text, found, newlines);
  std::string out;
  for (const auto& occurrence : found) {
    out += (out.empty() ? "" : " ") + std::to_string(occurrence.key) + "@" + std::to_string(occurrence.offset);
  }
  return out;
}

std::string ValueOf(QuotedKeyFinder& finder, std::string_view record, uint32_t key) {
  std::vector<QuotedKeyFinder::Occurrence> found;
  finder.FindAll(record, found);
  QuotedKeyFinder::Value value = finder.ValueOf(record, 0, found.data(), found.data() + found.size(), key);
  switch (value.kind) {
    case QuotedKeyFinder::ValueKind::kNull:
      return "null";
    case QuotedKeyFinder::ValueKind::kString:
      return "'" + std::string(value.text) + "'" + (value.escapes ? " escaped" : "");
    case QuotedKeyFinder::ValueKind::kUncertain:
      return "(parse)";
  }
  return "?";
}

TEST(QuotedKeyFinder, ListsEveryOccurrenceThatCouldBeAKey) {
  QuotedKeyFinder finder({"RemoteUrl", "Timestamp", "A"});
  ASSERT_TRUE(finder.usable());
  EXPECT_EQ(Found(finder, R"({"RemoteUrl":"x","Timestamp":"t"})"), "0@1 1@17");
  EXPECT_EQ(Found(finder, R"({"RemoteUrl" : "x"})"), "0@1");
  EXPECT_EQ(Found(finder, "{\"RemoteUrl\"\t:\"x\"}"), "0@1");
  // A value spelled like a key, and a key inside an escaped string, are not keys.
  EXPECT_EQ(Found(finder, R"({"X":"RemoteUrl","Y":"say \"RemoteUrl\": no"})"), "");
  // A nested key and a repeated key are listed (the value reader then declines).
  EXPECT_EQ(Found(finder, R"({"B":{"RemoteUrl":"x"},"RemoteUrl":"y"})"), "0@6 0@23");
  EXPECT_EQ(Found(finder, R"({"A":"1"})"), "2@1");
  EXPECT_EQ(Found(finder, R"({"XA":"1","AA":"2"})"), "");  // only whole names count
  // Keys far into a long record, past the SIMD pass's 32-byte steps, and at its very end.
  std::string pad(1000, 'p');
  std::string record = "{\"P\":\"" + pad + "\",\"RemoteUrl\":\"x\",\"Timestamp\":";
  EXPECT_EQ(Found(finder, record), "0@" + std::to_string(record.find("\"RemoteUrl\"")) + " 1@" +
                                       std::to_string(record.find("\"Timestamp\"")));
  // Line ends come in order, apart from the keys.
  std::vector<size_t> newlines;
  std::string lines = "{\"A\":1}\n" + pad + "\n{\"A\":2}\n";
  EXPECT_EQ(Found(finder, lines, &newlines), "2@1 2@" + std::to_string(lines.find("\"A\"", 5)));
  EXPECT_EQ(newlines, std::vector<size_t>({7, 7 + 1 + pad.size(), lines.size() - 1}));
}

// Every pass (byte by byte, AVX2, AVX-512, as far as the CPU has them) lists the same occurrences and line ends, over
// random texts dense in quotes, keys, key-like tails and line ends, across SIMD blocks and windows.
TEST(QuotedKeyFinder, EveryKernelFindsTheSame) {
  std::mt19937 random(20261207);
  const std::vector<std::vector<std::string>> key_sets = {
      {"A"},
      {"RemoteUrl", "RemoteIP", "InitiatingProcessFileName", "ActionType", "Timestamp"},
      {"ab", "b", "xb", "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyb", "Url", "l"},
      {std::string(62, 'k'), "k"},
      {std::string(63, 'k'), "k"},  // too long for the SIMD passes: byte by byte
  };
  const std::vector<std::string> pieces = {"\"", "\":", "\" :", "\n", "\\", ":", " ", ",", "{", "}", "x", "b", "k", "l"};
  for (const auto& keys : key_sets) {
    std::vector<std::string> fragments = pieces;
    for (const std::string& key : keys) {
      fragments.push_back("\"" + key + "\":");
      fragments.push_back("\"" + key + "\" ");
      fragments.push_back(key);
    }
    for (int round = 0; round < 30; ++round) {
      std::string text;
      const size_t size = std::uniform_int_distribution<size_t>(0, round < 20 ? 300 : 70000)(random);
      while (text.size() < size) text += fragments[random() % fragments.size()];
      std::string expected_newlines;
      std::string expected;
      for (auto kernel : {QuotedKeyFinder::Kernel::kPortable, QuotedKeyFinder::Kernel::kAvx2,
                          QuotedKeyFinder::Kernel::kAvx512, QuotedKeyFinder::Kernel::kAuto}) {
        QuotedKeyFinder finder(keys);
        ASSERT_TRUE(finder.usable());
        finder.set_kernel(kernel);
        std::vector<size_t> newlines;
        const std::string found = Found(finder, text, &newlines);
        std::string lines;
        for (size_t offset : newlines) lines += std::to_string(offset) + " ";
        if (kernel == QuotedKeyFinder::Kernel::kPortable) {
          expected = found;
          expected_newlines = lines;
          EXPECT_EQ(newlines.size(), static_cast<size_t>(std::count(text.begin(), text.end(), '\n')));
          continue;
        }
        EXPECT_EQ(found, expected) << "kernel " << static_cast<int>(kernel) << ", text of " << text.size();
        EXPECT_EQ(lines, expected_newlines) << "kernel " << static_cast<int>(kernel);
      }
    }
  }
}

TEST(QuotedKeyFinder, RefusesKeysItCannotSearchExactly) {
  EXPECT_FALSE(QuotedKeyFinder(std::vector<std::string>{}).usable());
  EXPECT_FALSE(QuotedKeyFinder({""}).usable());
  EXPECT_FALSE(QuotedKeyFinder({"a\"b"}).usable());
  EXPECT_FALSE(QuotedKeyFinder({"a\\b"}).usable());
  EXPECT_FALSE(QuotedKeyFinder({"a", "b", "c", "d", "e", "f", "g"}).usable());  // more than kMaxKeys
  EXPECT_TRUE(QuotedKeyFinder({"a", "b", "c", "d", "e", "f"}).usable());
}

TEST(QuotedKeyFinder, ReadsAValueOnlyWhenCertain) {
  QuotedKeyFinder finder({"RemoteUrl"});
  EXPECT_EQ(ValueOf(finder, R"({"RemoteUrl":"a.com","B":1})", 0), "'a.com'");
  EXPECT_EQ(ValueOf(finder, R"({ "B":1 , "RemoteUrl" :  "a.com" })", 0), "'a.com'");
  EXPECT_EQ(ValueOf(finder, R"({"B":"RemoteUrl"})", 0), "null");
  EXPECT_EQ(ValueOf(finder, R"({"RemoteUrl":null})", 0), "null");
  EXPECT_EQ(ValueOf(finder, R"({"RemoteUrl":"say \"hi\"","B":1})", 0), R"('say \"hi\"' escaped)");
  EXPECT_EQ(ValueOf(finder, R"({"RemoteUrl":12})", 0), "(parse)");
  EXPECT_EQ(ValueOf(finder, R"({"RemoteUrl":{"a":1}})", 0), "(parse)");
  EXPECT_EQ(ValueOf(finder, R"({"RemoteUrl":"a","RemoteUrl":"b"})", 0), "(parse)");
  // A key only in a nested object: its value is read, which can only keep more records (the parser's cell is null).
  EXPECT_EQ(ValueOf(finder, R"({"B":{"RemoteUrl":"a"}})", 0), "'a'");
  EXPECT_EQ(ValueOf(finder, R"(["RemoteUrl":"a"])", 0), "(parse)");
  EXPECT_EQ(ValueOf(finder, R"({"RemoteUrl":"unterminated)", 0), "(parse)");
  EXPECT_EQ(ValueOf(finder, R"({"RemoteUrl":"ends in a backslash\\"})", 0), R"('ends in a backslash\\' escaped)");
}

std::vector<std::string> NeedleLiterals() {
  std::vector<std::string> literals;
  for (int index = 0; index < 20; ++index) literals.push_back("needle" + std::to_string(index) + ".example");
  return literals;
}

// The column-value search answers whole blocks and single records alike, and declines what it cannot read.
TEST(ColumnValueSearch, SearchesOnlyTheColumnsValues) {
  io::ColumnValueSearch search(NeedleLiterals(), {"RemoteUrl", "FileName"}, {"Timestamp"});
  ASSERT_TRUE(search.usable());
  std::vector<std::string> records = {
      R"({"RemoteUrl":"needle3.example","X":"a"})",        // 0 kept
      R"({"X":"needle3.example","RemoteUrl":"a"})",        // 1 the literal in another column
      R"({"RemoteUrl":"a","FileName":"NEEDLE3.EXAMPLE"})",  // 2 kept
      R"({"RemoteUrl":"needle\u0033.example"})",           // 3 an escape that could hide a literal: kept
      R"({"RemoteUrl":"a","RemoteUrl":"b"})",              // 4 repeated: kept
      R"({"RemoteUrl":null,"FileName":null})",             // 5
      R"({"Remote\u0055rl":"needle3.example"})",           // 6 the parser matches raw keys: no RemoteUrl
      R"({"RemoteUrl":7})",                                // 7 not a string: kept
      R"({"RemoteUrl":"x\"needle3.example"})",             // 8 kept
      R"({"Q":"{\"RemoteUrl\":\"needle3.example\"}"})",    // 9 an escaped document in a string
      R"({"RemoteUrl":"needle3.exampl","FileName":"e"})",  // 10 no literal spans two values
  };
  const std::vector<bool> kept = {true, false, true, true, true, false, false, true, true, false, false};
  std::string block;
  for (const auto& record : records) block += record + "\r\n";
  search.PrepareBlock(block);
  size_t at = 0;
  for (size_t index = 0; index < records.size(); ++index) {
    std::string_view in_block(block.data() + at, records[index].size());
    EXPECT_EQ(search.MayMatch(in_block), kept[index]) << "in a block: " << records[index];
    EXPECT_EQ(search.MayMatch(records[index]), kept[index]) << "on its own: " << records[index];
    at += records[index].size() + 2;
  }
  std::vector<QuotedKeyFinder::Occurrence> markers;
  std::string timed = R"({"Timestamp":"2025","RemoteUrl":"a"})";
  search.MarkersIn(timed, markers);
  ASSERT_EQ(markers.size(), 1u);
  EXPECT_EQ(markers[0].key, 0u);
  EXPECT_EQ(markers[0].offset, 1u);
}

// Scans `text` (a JSON-lines file) for column A under a prefilter of `literals` from `columns`, and without one.
struct Scanned {
  Table kept;
  Table all;
  uint64_t prefiltered = 0;
};
Scanned ScanBoth(const std::string& name, const std::string& text, const std::vector<std::string>& literals,
                 const std::vector<std::string>& columns) {
  Scanned out;
  test_support::WithTextFile(name, text, [&](const TableSource& source) {
    ScanRequest filtered;
    filtered.columns = {{"A", KqlType::kString}, {"B", KqlType::kString}, {"N", KqlType::kLong}};
    filtered.prefilter = {literals};
    filtered.prefilter_columns = {columns};
    ScanRequest plain;
    plain.columns = filtered.columns;
    ScanStats filtered_stats, plain_stats;
    test_support::ScanAllMorsels(source, filtered, filtered_stats, out.kept);
    test_support::ScanAllMorsels(source, plain, plain_stats, out.all);
    out.prefiltered = filtered_stats.rows_prefiltered();
    EXPECT_EQ(filtered_stats.skipped_count(), plain_stats.skipped_count());
  });
  return out;
}

// The row numbers (column N) of the rows whose A or B holds a literal, ignoring ASCII case.
std::vector<int64_t> Matching(const Table& table, const std::vector<std::string>& literals) {
  std::vector<int64_t> rows;
  for (const auto& row : table.Rows()) {
    bool match = false;
    for (size_t column = 0; column < 2; ++column) {
      if (row[column].is_null) continue;
      std::string value = row[column].string_value;
      std::transform(value.begin(), value.end(), value.begin(), [](unsigned char c) { return std::tolower(c); });
      for (const auto& literal : literals) match = match || value.find(literal) != std::string::npos;
    }
    if (match) rows.push_back(row[2].int_value);
  }
  return rows;
}

// End to end through the JSON reader, small (hashed matcher, records one by one) and large (Hyperscan, blocks):
// the rows the prefilter keeps hold every row whose A or B holds a literal, and it does skip records whose other
// columns hold one.
TEST(ColumnValueSearch, TheReaderNeverDropsARowWhoseColumnHoldsALiteral) {
  std::vector<std::string> shapes = {
      R"({"N":#,"A":"needle3.example","C":"x"})",
      R"({"N":#,"C":"needle3.example","A":"plain"})",
      R"({"N":#,"A":"x","B":"Needle7.Example"})",
      R"({"N":#,"A":"needle\u0033.example"})",
      R"({"N":#,"A":"x","A":"needle5.example"})",
      R"({"N":#,"D":{"A":"needle5.example"},"A":"y"})",
      R"({"N":#,"A":null,"B":null,"C":"needle1.example"})",
      R"({"N":#,"A\u0041":"needle3.example"})",
      R"({"N":#, "A" : "needle9.example" , "B" : "z"})",
      R"({"N":#,"C":"{\"A\":\"needle3.example\"}"})",
      R"({"N":#,"A":"nothing here"})",
  };
  const std::vector<std::string> literals = NeedleLiterals();
  for (size_t target : {size_t{20000}, size_t{6} << 20}) {
    std::string text = "\xEF\xBB\xBF";  // a BOM before the first record
    int64_t row = 0;
    while (text.size() < target) {
      std::string record = shapes[static_cast<size_t>(row) % shapes.size()];
      record.replace(record.find('#'), 1, std::to_string(row));
      text += record + (row % 2 ? "\r\n" : "\n");
      ++row;
    }
    Scanned scanned = ScanBoth("column_values.jsonl", text, literals, {"A", "B"});
    ASSERT_EQ(scanned.all.RowCount(), static_cast<size_t>(row));
    EXPECT_EQ(Matching(scanned.kept, literals), Matching(scanned.all, literals)) << target;
    EXPECT_FALSE(Matching(scanned.all, literals).empty());
    // Records 1, 6, 9 and 10 of each 11 hold no literal in A or B (record 7's key is not A to the parser).
    EXPECT_GE(scanned.prefiltered, static_cast<uint64_t>(row / 11) * 4) << target;
  }
}

// The same literals searched in whole records keep records whose other columns hold one: the columns make the
// difference.
TEST(ColumnValueSearch, WithoutColumnsWholeRecordsAreSearched) {
  std::string text;
  for (int row = 0; row < 2000; ++row) {
    text += "{\"N\":" + std::to_string(row) + ",\"A\":\"a\",\"C\":\"needle" + std::to_string(row % 20) +
            ".example\"}\n";
  }
  EXPECT_EQ(ScanBoth("column_values_none.jsonl", text, NeedleLiterals(), {}).kept.RowCount(), 2000u);
  EXPECT_EQ(ScanBoth("column_values_a.jsonl", text, NeedleLiterals(), {"A"}).kept.RowCount(), 0u);
}

}  // namespace
}  // namespace kql
