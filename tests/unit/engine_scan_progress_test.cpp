// Unit tests of the scan progress counters a progress line watches (QueryOptions::progress): rows and input bytes
// read, and the input's size when it is known (plain files split into byte-range morsels, CSV files), not when it
// is not (compressed files are read decompressed; in-memory tables have no bytes).
#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "io/data_discovery.h"
#include "kqlite/engine.h"
#include "rules/layer.h"

using namespace kql;
using namespace kql::rules;

namespace kql {
namespace {

// Sign-ins with uneven line lengths (the morsel boundaries fall mid-line), a Windows line end and a blank line.
std::string SigninLines(int count) {
  std::string text;
  for (int row = 1; row <= count; ++row) {
    text += "{\"TimeGenerated\":\"2024-10-09T14:" + std::to_string(10 + row % 50) + ":07.113Z\",\"UserPrincipalName\":"
            "\"user" + std::to_string(row * 7919 % 1000) + "@contoso.example\",\"IPAddress\":\"198.51.100." +
            std::to_string(row % 256) + "\",\"ResultType\":\"" + (row % 9 == 0 ? "50126" : "0") + "\"}" +
            (row % 97 == 0 ? "\r\n" : "\n");
    if (row == 500) text += "\n";
  }
  return text;
}

// Runs `query` with `progress` watching it.
void RunWithProgress(Engine& engine, const std::string& query, vector::ScanProgress& progress,
                     QueryResult* result_out = nullptr) {
  QueryOptions options;
  options.progress = &progress;
  options.threads = 3;
  QueryResult result = engine.Query(query, options);
  EXPECT_TRUE(result.ok) << result.error;
  if (result_out) *result_out = std::move(result);
}

TEST(EngineScanProgress, PlainFileInManyMorselsCountsEveryByteOnce) {
  const std::string text = SigninLines(3000);
  const std::string path = testing::TempDir() + "progress_SigninLogs.jsonl";
  std::ofstream(path, std::ios::binary) << text;
  io::ReaderOptions reader;
  reader.morsel_bytes = 16 * 1024;  // About 25 morsels.
  reader.block_size = 4096;
  io::DiscoveredData data = io::DiscoverData({{path, "SigninLogs"}}, nullptr, reader);
  ASSERT_TRUE(data.errors.empty());
  ASSERT_EQ(data.sources.size(), 1u);
  ASSERT_GT(data.sources[0]->MorselCount(), 20u);
  Engine engine;
  engine.AddSource(std::shared_ptr<const TableSource>(std::move(data.sources[0])));
  QueryResult result;
  vector::ScanProgress progress;
  RunWithProgress(engine, "SigninLogs | where ResultType == '50126' | summarize n = count()", progress, &result);
  EXPECT_EQ(FormatGolden(result.table.Rows()[0][0]), "333");
  // The literal prefilter ('50126') passes on only the matching records, but every byte was read.
  EXPECT_EQ(progress.rows_read.load(), 333u);
  EXPECT_EQ(progress.morsels_unsized.load(), 0u);
  EXPECT_EQ(progress.bytes_total.load(), text.size());
  EXPECT_EQ(progress.bytes_read.load(), text.size());
  EXPECT_EQ(progress.morsels_done.load(), progress.morsels_total.load());
}

TEST(EngineScanProgress, CsvFileSizeIsKnown) {
  std::string text = "TimeGenerated,Computer,EventID\n";
  for (int row = 0; row < 400; ++row) {
    text += "2024-10-09T15:0" + std::to_string(row % 10) + ":00Z,\"SRV-DC01.corp, east\"," +
            std::to_string(4624 + row % 3) + "\n";
  }
  const std::string path = testing::TempDir() + "SecurityEvent.csv";
  std::ofstream(path, std::ios::binary) << text;
  Engine engine;
  ASSERT_TRUE(engine.AddData(path, "SecurityEvent").empty());
  vector::ScanProgress progress;
  RunWithProgress(engine, "SecurityEvent | where EventID == 4625 | count", progress);
  EXPECT_EQ(progress.rows_read.load(), 400u);
  EXPECT_EQ(progress.morsels_unsized.load(), 0u);
  EXPECT_EQ(progress.bytes_total.load(), text.size());
  EXPECT_EQ(progress.bytes_read.load(), text.size());
}

TEST(EngineScanProgress, CompressedFileCountsDecompressedBytesWithoutATotal) {
  const std::string text = SigninLines(800);
  const std::string path = testing::TempDir() + "progress_gz/SigninLogs.jsonl.gz";
  std::filesystem::create_directories(testing::TempDir() + "progress_gz");
  gzFile file = gzopen(path.c_str(), "wb");
  ASSERT_NE(file, nullptr);
  gzwrite(file, text.data(), static_cast<unsigned>(text.size()));
  gzclose(file);
  Engine engine;
  ASSERT_TRUE(engine.AddData(path, "SigninLogs").empty());
  vector::ScanProgress progress;
  RunWithProgress(engine, "SigninLogs | count", progress);
  EXPECT_EQ(progress.rows_read.load(), 800u);
  EXPECT_GT(progress.morsels_unsized.load(), 0u);
  EXPECT_EQ(progress.bytes_read.load(), text.size());
}

TEST(EngineScanProgress, InMemoryTablesReadNoBytes) {
  Engine engine;
  vector::ScanProgress progress;
  RunWithProgress(engine, "range x from 1 to 100000 step 1 | summarize max(x)", progress);
  EXPECT_EQ(progress.rows_read.load(), 100000u);
  EXPECT_EQ(progress.bytes_read.load(), 0u);
}

}  // namespace
}  // namespace kql
