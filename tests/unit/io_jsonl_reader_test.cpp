// Unit tests of the JSON-lines reader: flat lines, envelopes, the records wrapper, projection, prefilter under
// escapes, bad records with line numbers (also across morsels), wrong-typed values and compressed files.
#include <gtest/gtest.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <set>
#include <fstream>
#include <string>

#include "io/data_discovery.h"
#include "io/jsonl_source.h"
#include "io/literal_prefilter.h"
#include "io/literal_set.h"
#include "types/datetime.h"
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

const Schema kSchema = {{"Timestamp", KqlType::kDateTime}, {"DeviceName", KqlType::kString},
                        {"RemotePort", KqlType::kLong},   {"RemoteUrl", KqlType::kString},
                        {"Extra", KqlType::kDynamic},     {"Ratio", KqlType::kReal},
                        {"Ok", KqlType::kBool}};

TEST(IoJsonLinesReader, FlatLinesWithProjection) {
  std::string text =
      "{\"Timestamp\":\"2024-05-01T10:00:00Z\",\"DeviceName\":\"ws1\",\"RemotePort\":443,\"Other\":{\"x\":[1,2]},"
      "\"RemoteUrl\":\"a.com\",\"Extra\":{\"k\":1},\"Ratio\":0.5,\"Ok\":true}\n"
      "\n"
      "{\"DeviceName\":\"ws2\",\"RemotePort\":\"80\",\"Timestamp\":\"Oct 9, 2024 2:41:10 PM\",\"Extra\":\"[1]\"}\r\n"
      "{\"DeviceName\":\"w\\\"s3\\u00e9\",\"RemotePort\":null,\"RemoteUrl\":5,\"Ok\":false}";
  auto source = OpenTextSource("T", kSchema, FileFormat::kJsonLines, text);
  ScanRequest request;
  request.columns = {{"DeviceName", KqlType::kString}, {"RemotePort", KqlType::kLong},
                     {"Timestamp", KqlType::kDateTime}, {"Extra", KqlType::kDynamic}, {"RemoteUrl", KqlType::kString},
                     {"Ok", KqlType::kBool}};
  ScanStats stats;
  Table table = ScanAll(*source, request, stats);
  ASSERT_EQ(table.RowCount(), 3u);
  EXPECT_EQ(stats.skipped_count(), 0u);
  EXPECT_EQ(Cell(table, 0, 0), "ws1");
  EXPECT_EQ(Cell(table, 0, 1), "443");
  EXPECT_EQ(Cell(table, 0, 2), "2024-05-01T10:00:00Z");
  EXPECT_EQ(Cell(table, 0, 3), "{\"k\":1}");
  EXPECT_EQ(Cell(table, 0, 5), "true");
  EXPECT_EQ(Cell(table, 1, 1), "80");
  EXPECT_EQ(Cell(table, 1, 2), "2024-10-09T14:41:10Z");
  EXPECT_EQ(Cell(table, 1, 3), "[1]");
  EXPECT_EQ(Cell(table, 1, 4), "(empty)");
  EXPECT_EQ(Cell(table, 1, 5), "null");
  EXPECT_EQ(Cell(table, 2, 0), "w\"s3\xC3\xA9");
  EXPECT_EQ(Cell(table, 2, 1), "null");
  EXPECT_EQ(Cell(table, 2, 4), "5");
  EXPECT_EQ(Cell(table, 2, 5), "false");
  EXPECT_EQ(stats.rows_read(), 3u);
}

TEST(IoJsonLinesReader, EnvelopeLines) {
  std::string text =
      "{\"time\":\"2024-01-01T00:00:00Z\",\"tenantId\":\"t\",\"operationName\":\"Publish\","
      "\"category\":\"AdvancedHunting-DeviceNetworkEvents\",\"properties\":{\"DeviceName\":\"ws1\",\"RemotePort\":22}}\n"
      "{\"time\":\"2024-01-01T00:00:00Z\",\"properties\":{\"RemotePort\":23,\"DeviceName\":\"ws2\"},"
      "\"category\":\"AdvancedHunting-DeviceNetworkEvents\"}\n";
  EXPECT_EQ(DetectJsonLayout(text), JsonLayout::kEnvelope);
  EXPECT_EQ(FindEnvelopeCategory(text).value_or(""), "AdvancedHunting-DeviceNetworkEvents");
  auto source = OpenTextSource("DeviceNetworkEvents", kSchema, FileFormat::kJsonLines, text);
  ScanRequest request;
  request.columns = {{"RemotePort", KqlType::kLong}, {"DeviceName", KqlType::kString}};
  ScanStats stats;
  Table table = ScanAll(*source, request, stats);
  ASSERT_EQ(table.RowCount(), 2u);
  EXPECT_EQ(Cell(table, 0, 0), "22");
  EXPECT_EQ(Cell(table, 1, 1), "ws2");
}

TEST(IoJsonLinesReader, RecordsWrapper) {
  std::string text =
      "{\n \"records\": [\n"
      "  {\"category\":\"AdvancedHunting-DeviceNetworkEvents\",\"properties\":{\"DeviceName\":\"a\",\"RemotePort\":1}},\n"
      "  {\"category\":\"AdvancedHunting-DeviceNetworkEvents\",\"properties\":{\"DeviceName\":\"b\",\"RemotePort\":\"x\"}}\n"
      " ]\n}\n"
      "{\"records\":[{\"properties\":{\"DeviceName\":\"c\"}}]}\n";
  EXPECT_EQ(DetectJsonLayout(text), JsonLayout::kRecords);
  auto source = OpenTextSource("DeviceNetworkEvents", kSchema, FileFormat::kJsonLines, text);
  ScanRequest request;
  request.columns = {{"DeviceName", KqlType::kString}, {"RemotePort", KqlType::kLong}};
  ScanStats stats;
  Table table = ScanAll(*source, request, stats);
  ASSERT_EQ(table.RowCount(), 3u);
  EXPECT_EQ(Cell(table, 0, 1), "1");
  EXPECT_EQ(Cell(table, 1, 1), "null");
  EXPECT_EQ(Cell(table, 2, 0), "c");
  ASSERT_EQ(stats.skipped_count(), 1u);
  EXPECT_EQ(stats.skipped()[0].line, 4u);
  EXPECT_NE(stats.skipped()[0].reason.find("RemotePort"), std::string::npos);
}

TEST(IoJsonLinesReader, PrefilterRespectsEscapes) {
  std::string text =
      "{\"RemoteUrl\":\"api.tacticalrmm.io\",\"DeviceName\":\"a\"}\n"
      "{\"RemoteUrl\":\"api.tacticalrmm\\u002eio\",\"DeviceName\":\"b\"}\n"
      "{\"RemoteUrl\":\"example.com\",\"DeviceName\":\"c\"}\n"
      "{\"RemoteUrl\":\"API.TACTICALRMM.IO\",\"DeviceName\":\"d\"}\n"
      "{\"RemoteUrl\":\"c:\\\\tacticalrmm.io\\\\x\",\"DeviceName\":\"e\"}\n";
  auto source = OpenTextSource("T", kSchema, FileFormat::kJsonLines, text);
  ScanRequest request;
  request.columns = {{"DeviceName", KqlType::kString}};
  request.prefilter = {{"tacticalrmm.io"}};
  ScanStats stats;
  Table table = ScanAll(*source, request, stats);
  ASSERT_EQ(table.RowCount(), 4u);
  EXPECT_EQ(Cell(table, 1, 0), "b");
  EXPECT_EQ(Cell(table, 2, 0), "d");
  EXPECT_EQ(Cell(table, 3, 0), "e");
  EXPECT_EQ(stats.rows_prefiltered(), 1u);

  EXPECT_TRUE(LiteralPrefilter::HasHidingEscape("a\\u002eb"));
  EXPECT_FALSE(LiteralPrefilter::HasHidingEscape("Microsoft\\u00ae Windows"));
  EXPECT_FALSE(LiteralPrefilter::HasHidingEscape("c:\\\\users"));
  // A literal with a backslash is searched in its escaped form.
  request.prefilter = {{"c:\\tacticalrmm"}, {"nothing-here", "tactical"}};
  ScanStats escaped_stats;
  Table escaped = ScanAll(*source, request, escaped_stats);
  ASSERT_EQ(escaped.RowCount(), 2u);  // Line 2 (has \u) and line 5.
  EXPECT_EQ(Cell(escaped, 1, 0), "e");
}

TEST(IoJsonLinesReader, MalformedLinesAcrossMorsels) {
  std::string text;
  for (int row = 1; row <= 200; ++row) {
    if (row % 50 == 0) {
      text += "{\"DeviceName\":\"broken\n";
    } else if (row % 70 == 0) {
      text += "{\"DeviceName\":\"x\",\"RemotePort\":\"abc\"}\n";
    } else {
      text += "{\"DeviceName\":\"d" + std::to_string(row) + "\",\"RemotePort\":" + std::to_string(row) + "}\n";
    }
  }
  std::string path = testing::TempDir() + "io_malformed.jsonl";
  std::ofstream(path, std::ios::binary) << text;
  ReaderOptions options;
  options.morsel_bytes = 512;
  options.block_size = 64;
  DiscoveredData data = DiscoverData({{path, "T"}}, nullptr, options);
  ASSERT_TRUE(data.errors.empty());
  ASSERT_EQ(data.sources.size(), 1u);
  const TableSource& source = *data.sources[0];
  EXPECT_GT(source.MorselCount(), 5u);
  ScanRequest request;
  request.columns = {{"DeviceName", KqlType::kString}, {"RemotePort", KqlType::kLong}};
  request.chunk_size = 7;
  ScanStats stats;
  Table table = ScanAll(source, request, stats);
  EXPECT_EQ(table.RowCount(), 196u);
  auto skipped = stats.skipped();
  ASSERT_EQ(skipped.size(), 6u);
  source.ResolveLines(skipped);
  std::vector<uint64_t> lines;
  for (const auto& record : skipped) lines.push_back(record.line);
  std::sort(lines.begin(), lines.end());
  EXPECT_EQ(lines, (std::vector<uint64_t>{50, 70, 100, 140, 150, 200}));
  for (const auto& record : skipped) {
    if (record.line == 70) EXPECT_EQ(record.column, 32u) << record.reason;
    EXPECT_EQ(record.file, path);
  }
  // Every row read exactly once.
  std::set<std::string> names;
  for (const auto& row : table.Rows()) names.insert(row[0].string_value);
  EXPECT_EQ(names.size(), 195u);  // 194 distinct "dN" plus the two "x" rows.
}

// A memory-mapped file with a long literal list: the prefilter searches blocks of lines at once (with Hyperscan)
// and keeps exactly the records a line-by-line search keeps — across morsel ends, for literals in escapes, next
// to line ends and only in the spaces around a record.
TEST(IoJsonLinesReader, PrefilterBlocksKeepTheSameRecords) {
  std::vector<std::string> literals = {"tacticalrmm.io", "c:\\agent", " spaced", "amidaware"};
  for (int i = 0; i < 20; ++i) literals.push_back("rmm" + std::to_string(i) + ".example");
  {
    // Compiles the literals (as the JSON prefilter encodes them) up front, so the reader's sets use Hyperscan from
    // the first record instead of after kHashedBytesBeforeCompiling bytes.
    std::vector<std::string> encoded;
    for (const auto& literal : literals) {
      std::string raw;
      for (char c : literal) {
        if (c == '\\') raw.push_back('\\');
        raw.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
      }
      encoded.push_back(raw);
    }
    LiteralSet compile(encoded, LiteralSet::Matcher::kHyperscan, LiteralPrefilter::JsonEscapeMarkers({literals}));
  }
  std::string text;
  for (int row = 1; row <= 3000; ++row) {
    std::string url = "host" + std::to_string(row) + ".contoso.com";
    if (row % 97 == 0) url = "API.TacticalRMM.io";
    if (row % 89 == 0) url = "tacticalrmm\\u002eio";  // an escape that hides the literal: parsed anyway
    if (row % 83 == 0) url = "rmm" + std::to_string(row % 20) + ".EXAMPLE";
    std::string path = row % 71 == 0 ? "C:\\\\Agent\\\\x.exe" : "C:\\\\Windows\\\\x.exe";
    std::string line = "{\"DeviceName\":\"d" + std::to_string(row) + "\",\"RemoteUrl\":\"" + url +
                       "\",\"FolderPath\":\"" + path + "\"}";
    if (row % 61 == 0) line = "   " + line + " ";  // " spaced" only around the record: not in it
    if (row % 59 == 0) line += "\r";
    if (row % 53 == 0) line = "{\"DeviceName\":\"amidaware\"}";  // the literal at the line's very end
    text += line + "\n";
  }
  std::string path = testing::TempDir() + "io_prefilter_blocks.jsonl";
  std::ofstream(path, std::ios::binary) << text;
  ReaderOptions options;
  options.morsel_bytes = 20000;  // many morsels, so blocks end at morsel ends
  DiscoveredData data = DiscoverData({{path, "T"}}, nullptr, options);
  ASSERT_TRUE(data.errors.empty());
  ASSERT_EQ(data.sources.size(), 1u);
  ASSERT_GT(data.sources[0]->MorselCount(), 5u);
  auto in_memory = OpenTextSource("T", kSchema, FileFormat::kJsonLines, text);
  ScanRequest request;
  request.columns = {{"DeviceName", KqlType::kString}, {"RemoteUrl", KqlType::kString}};
  request.prefilter = {literals};
  ScanStats mapped_stats, memory_stats;
  Table mapped = ScanAll(*data.sources[0], request, mapped_stats);
  Table expected = ScanAll(*in_memory, request, memory_stats);
  ASSERT_EQ(mapped.RowCount(), expected.RowCount());
  for (size_t row = 0; row < mapped.RowCount(); ++row) EXPECT_EQ(Cell(mapped, row, 0), Cell(expected, row, 0));
  EXPECT_EQ(mapped_stats.rows_prefiltered(), memory_stats.rows_prefiltered());
  EXPECT_EQ(mapped_stats.rows_prefiltered() + mapped.RowCount(), 3000u);
  // The rows numbered by a multiple of 53, 71, 83, 89 (the hiding escape) or 97.
  EXPECT_EQ(mapped.RowCount(), 197u);
  std::filesystem::remove(path);
}

// The morsels of one scan read one version of a file: one rewritten or truncated between them (another program
// writing to it) fails the scan instead of giving a mix of both versions. A later scan reads the new version.
TEST(IoJsonLinesReader, AFileChangedBetweenMorselsFailsTheScan) {
  std::string text;
  for (int row = 0; row < 2000; ++row) text += "{\"DeviceName\":\"host" + std::to_string(row) + "\"}\n";
  std::string path = testing::TempDir() + "io_changed_between_morsels.jsonl";
  std::ofstream(path, std::ios::binary) << text;
  ReaderOptions options;
  options.morsel_bytes = 8192;
  DiscoveredData data = DiscoverData({{path, "T"}}, nullptr, options);
  ASSERT_TRUE(data.errors.empty());
  ASSERT_GT(data.sources[0]->MorselCount(), 3u);
  ScanRequest request;
  request.columns = {{"DeviceName", KqlType::kString}};
  ScanStats stats;
  DataChunk chunk;
  auto first = data.sources[0]->OpenMorsel(0, request, stats);
  ASSERT_TRUE(first->Next(chunk));
  const std::string shorter = text.substr(0, text.rfind('\n', text.size() / 2) + 1);
  std::ofstream(path, std::ios::binary) << shorter;  // rewritten, shorter
  auto second = data.sources[0]->OpenMorsel(1, request, stats);
  while (second->Next(chunk)) {
  }
  EXPECT_TRUE(stats.failed());
  EXPECT_NE(stats.failure().find("the file changed while it was read"), std::string::npos) << stats.failure();
  ScanStats later;
  EXPECT_EQ(ScanAll(*data.sources[0], request, later).RowCount(),
            static_cast<size_t>(std::count(shorter.begin(), shorter.end(), '\n')));
  EXPECT_FALSE(later.failed()) << later.failure();
  std::filesystem::remove(path);
}

// A side scan reads every record's side columns in the same pass, as a scan of just those columns would (rows in
// file order across morsels, bad records and values counted in its own stats), while the main scan keeps its
// prefilter, rows and stats. Layouts it cannot read line by line, and passes that stop early, give no side rows.
TEST(IoJsonLinesReader, SideScanReadsEveryRecordInTheSamePass) {
  std::string text = "\xEF\xBB\xBF";
  for (int row = 1; row <= 400; ++row) {
    std::string stamp = "2025-12-" + std::to_string(10 + row % 20) + "T08:00:0" + std::to_string(row % 10) + "Z";
    if (row % 37 == 0) {
      text += "{\"DeviceName\":\"broken" + std::to_string(row) + "\n";  // malformed
    } else if (row % 41 == 0) {
      text += "\n";  // blank
    } else if (row % 43 == 0) {
      text += "{\"DeviceName\":\"d" + std::to_string(row) + "\",\"Timestamp\":\"not a time\"}\n";
    } else {
      std::string url = row % 9 == 0 ? "agent.TacticalRMM.io" : "host" + std::to_string(row) + ".contoso.com";
      text += "{\"Timestamp\":\"" + stamp + "\",\"DeviceName\":\"d" + std::to_string(row) + "\",\"RemoteUrl\":\"" +
              url + "\"}\n";
    }
  }
  std::string path = testing::TempDir() + "io_side_scan.jsonl";
  std::ofstream(path, std::ios::binary) << text;
  ReaderOptions options;
  options.morsel_bytes = 3000;
  DiscoveredData data = DiscoverData({{path, "T"}}, nullptr, options);
  ASSERT_TRUE(data.errors.empty());
  const TableSource& source = *data.sources[0];
  ASSERT_GT(source.MorselCount(), 5u);

  ScanRequest main;
  main.columns = {{"DeviceName", KqlType::kString}, {"RemoteUrl", KqlType::kString}};
  main.prefilter = {{"tacticalrmm.io"}};
  ScanRequest time_only;
  time_only.columns = {{"Timestamp", KqlType::kDateTime}};
  ScanStats main_stats, time_stats;
  Table expected_main = ScanAll(source, main, main_stats);
  Table expected_time = ScanAll(source, time_only, time_stats);

  ScanRequest with_side = main;
  with_side.side = std::make_shared<SideScan>(time_only.columns);
  ScanStats stats;
  Table rows = ScanAll(source, with_side, stats);
  std::optional<Table> side = with_side.side->Take(source.MorselCount());
  ASSERT_TRUE(side.has_value());
  EXPECT_EQ(rows.Rows(), expected_main.Rows());
  EXPECT_EQ(stats.rows_prefiltered(), main_stats.rows_prefiltered());
  EXPECT_EQ(stats.skipped_count(), main_stats.skipped_count());
  ASSERT_EQ(side->RowCount(), expected_time.RowCount());
  EXPECT_EQ(side->Rows(), expected_time.Rows());
  EXPECT_EQ(expected_time.RowCount(), 400u - 10 - 9);  // all but the malformed and blank lines
  EXPECT_EQ(with_side.side->stats().skipped_count(), time_stats.skipped_count());
  EXPECT_EQ(time_stats.skipped_count(), 10u + 9);  // 10 malformed records, 9 bad Timestamp values

  // A pass that leaves a morsel unread (here: the first one) gives no side rows.
  ScanRequest partial = main;
  partial.side = std::make_shared<SideScan>(time_only.columns);
  ScanStats partial_stats;
  for (size_t morsel = 1; morsel < source.MorselCount(); ++morsel) {
    auto reader = source.OpenMorsel(morsel, partial, partial_stats);
    DataChunk chunk;
    while (reader->Next(chunk)) {
    }
  }
  EXPECT_FALSE(partial.side->Take(source.MorselCount()).has_value());

  // A {"records":[...]} document is not read line by line: no side rows.
  auto records = OpenTextSource("T", kSchema, FileFormat::kJsonLines,
                                "{\"records\":[{\"time\":\"2024-01-01T00:00:00Z\",\"properties\":{\"DeviceName\":\"a\"}}]}");
  ScanRequest document = main;
  document.side = std::make_shared<SideScan>(time_only.columns);
  ScanStats document_stats;
  ScanAll(*records, document, document_stats);
  EXPECT_FALSE(document.side->Take(records->MorselCount()).has_value());
  std::filesystem::remove(path);
}

TEST(IoJsonLinesReader, StrictModeFailsWithLocation) {
  std::string text = "{\"RemotePort\":1}\n{\"RemotePort\":true}\n{\"RemotePort\":3}\n";
  auto source = OpenTextSource("T.jsonl", kSchema, FileFormat::kJsonLines, text);
  ScanRequest request;
  request.columns = {{"RemotePort", KqlType::kLong}};
  ScanStats stats;
  stats.strict = true;
  ScanAll(*source, request, stats);
  EXPECT_TRUE(stats.failed());
  EXPECT_EQ(stats.failure().substr(0, 12), "T.jsonl:2:15") << stats.failure();
}

TEST(IoJsonLinesReader, NotAnObjectAndTrailingContent) {
  std::string text = "[1,2]\n{\"RemotePort\":1} x\n{\"RemotePort\":2}\n";
  auto source = OpenTextSource("T", kSchema, FileFormat::kJsonLines, text);
  ScanRequest request;
  request.columns = {{"RemotePort", KqlType::kLong}};
  ScanStats stats;
  Table table = ScanAll(*source, request, stats);
  ASSERT_EQ(table.RowCount(), 1u);
  EXPECT_EQ(stats.skipped_count(), 2u);
}

void WriteGzip(const std::string& path, const std::string& text) {
  gzFile file = gzopen(path.c_str(), "wb");
  gzwrite(file, text.data(), static_cast<unsigned>(text.size()));
  gzclose(file);
}

void WriteZstd(const std::string& path, const std::string& text) {
  std::string compressed(ZSTD_compressBound(text.size()), '\0');
  size_t size = ZSTD_compress(compressed.data(), compressed.size(), text.data(), text.size(), 3);
  compressed.resize(size);
  std::ofstream(path, std::ios::binary) << compressed;
}

TEST(IoJsonLinesReader, CompressedFiles) {
  std::string text;
  for (int row = 0; row < 5000; ++row) text += "{\"DeviceName\":\"d\",\"RemotePort\":" + std::to_string(row) + "}\n";
  std::string dir = testing::TempDir() + "io_compressed/";
  std::filesystem::create_directories(dir);
  WriteGzip(dir + "DeviceNetworkEvents_2024-10-01.json.gz", text);
  WriteZstd(dir + "DeviceNetworkEvents-b.jsonl.zst", text);
  Schema known = {{"DeviceName", KqlType::kString}, {"RemotePort", KqlType::kLong}};
  SchemaLookup lookup = [&](const std::string& name) { return name == "DeviceNetworkEvents" ? &known : nullptr; };
  DiscoveredData data = DiscoverData({{dir, ""}}, lookup);
  ASSERT_TRUE(data.errors.empty());
  ASSERT_EQ(data.sources.size(), 1u);
  EXPECT_EQ(data.sources[0]->name(), "DeviceNetworkEvents");
  ScanRequest request;
  request.columns = {{"RemotePort", KqlType::kLong}};
  ScanStats stats;
  Table table = ScanAll(*data.sources[0], request, stats);
  EXPECT_EQ(table.RowCount(), 10000u);
  EXPECT_EQ(stats.skipped_count(), 0u);
  EXPECT_FALSE(stats.failed());
}

TEST(IoJsonLinesReader, TruncatedGzipIsReported) {
  std::string text;
  for (int row = 0; row < 2000; ++row) text += "{\"RemotePort\":" + std::to_string(row) + "}\n";
  std::string path = testing::TempDir() + "io_truncated.jsonl.gz";
  WriteGzip(path, text);
  std::filesystem::resize_file(path, std::filesystem::file_size(path) / 2);
  DiscoveredData data = DiscoverData({{path, "T"}}, nullptr);
  // Detection reads the file's beginning, so the damage shows either there or during the scan.
  if (data.sources.empty()) {
    ASSERT_EQ(data.errors.size(), 1u);
    EXPECT_NE(data.errors[0].find("gzip"), std::string::npos) << data.errors[0];
    return;
  }
  ScanRequest request;
  request.columns = {{"RemotePort", KqlType::kLong}};
  ScanStats stats;
  ScanAll(*data.sources[0], request, stats);
  EXPECT_TRUE(stats.failed());
}

}  // namespace
}  // namespace kql
