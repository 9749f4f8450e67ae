// Streamed query results (QueryOptions::stream, io's StreamingResultWriter): byte for byte what the buffered path
// writes, for every streaming format, thread count and chunk size, over messy generated files (quotes, commas,
// newlines, Unicode, hex ReportIds that do not convert); take stops early; limits and a refused write stop the
// query with the rows written so far.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "io/result_writer.h"
#include "kqlite/engine.h"
#include "rules/layer.h"

using namespace kql;
using namespace kql::rules;

namespace kql {
namespace {

namespace fs = std::filesystem;

class ResultStreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = fs::temp_directory_path() / ("kql_result_stream_" + std::to_string(::getpid()));
    fs::create_directories(directory_);
    // Three files of process events (several morsels each); every seventh ReportId is hex text.
    for (int file = 0; file < 3; ++file) {
      std::ofstream out(directory_ / ("DeviceProcessEvents_" + std::to_string(file) + ".jsonl"), std::ios::binary);
      for (int row = 0; row < 1500; ++row) {
        int id = file * 1500 + row;
        std::string report_id = id % 7 == 0 ? "\"107407f9c2" + std::to_string(id) + "\"" : std::to_string(id);
        out << "{\"Timestamp\":\"2024-10-09T10:" << (10 + id % 50) << ":00Z\",\"DeviceName\":\"ws-" << id % 13
            << "\",\"FileName\":\"" << (id % 5 == 0 ? "a,\\\"quoted\\\"" : "r\\u00e9sum\\u00e9 ") << id % 11
            << ".exe\",\"ProcessCommandLine\":\"cmd /c \\\"echo " << id << "\\\"\\r\\nline2\",\"ReportId\":"
            << report_id << "}\n";
      }
    }
    EXPECT_TRUE(engine_.AddData(directory_.string()).empty());
  }
  void TearDown() override { fs::remove_all(directory_); }

  QueryOptions Options(int threads, size_t chunk_size) {
    QueryOptions options;
    options.now_ticks = 0;
    options.threads = threads;
    options.chunk_size = chunk_size;
    return options;
  }

  std::string Buffered(const std::string& query, io::ResultFormat format, const QueryOptions& options) {
    QueryResult result = engine_.Query(query, options);
    EXPECT_TRUE(result.ok) << query << ": " << result.error;
    std::ostringstream out;
    io::WriteResult(result.table, format, out);
    return out.str();
  }

  std::string Streamed(const std::string& query, io::ResultFormat format, QueryOptions options) {
    std::ostringstream out;
    io::StreamingResultWriter writer(format, out);
    options.stream = &writer;
    QueryResult result = engine_.Query(query, options);
    EXPECT_TRUE(result.ok) << query << ": " << result.error;
    EXPECT_EQ(result.table.RowCount(), 0u) << query;
    EXPECT_TRUE(writer.Finish());
    return out.str();
  }

  fs::path directory_;
  Engine engine_;
};

TEST_F(ResultStreamTest, StreamedOutputIsByteIdenticalToBuffered) {
  const std::vector<std::string> queries = {
      "DeviceProcessEvents",
      "DeviceProcessEvents | where FileName has 'quoted' | project DeviceName, FileName, ReportId",
      "DeviceProcessEvents | extend n = strlen(ProcessCommandLine) | where ReportId % 3 == 1",
      "DeviceProcessEvents | take 2000",
      "DeviceProcessEvents | where DeviceName == 'ws-4' | take 17",
      "DeviceProcessEvents | where DeviceName == 'nobody'",
      "DeviceProcessEvents | summarize n = count(), ids = countif(isnull(ReportId)) by DeviceName",
      "DeviceProcessEvents | top 30 by ReportId desc | project ReportId, FileName",
      "DeviceProcessEvents | parse ProcessCommandLine with 'cmd /c \"echo ' n:long '\"' * | project n",
      "range x from 1 to 10000 step 3 | extend s = strcat('row, \"', x, '\"')",
      "range x from 1 to 5000 step 1 | mv-expand y = pack_array(x, x * 2) | where x % 2 == 0",
      "range x from 1.5 to 30 step 0.25",
      "union (range x from 1 to 3 step 1), (range x from 10 to 12 step 1)",
      "print a = 1, b = 'two', c = dynamic({\"k\": [1, null]})",
      "range x from 1 to 0 step 1",
  };
  for (auto format : {io::ResultFormat::kCsv, io::ResultFormat::kJsonLines, io::ResultFormat::kJson}) {
    for (const auto& query : queries) {
      const std::string expected = Buffered(query, format, Options(1, 2048));
      for (int threads : {1, 8}) {
        for (size_t chunk_size : {size_t{7}, size_t{2048}}) {
          EXPECT_EQ(Streamed(query, format, Options(threads, chunk_size)), expected)
              << query << " threads=" << threads << " chunk=" << chunk_size;
        }
      }
    }
  }
}

TEST_F(ResultStreamTest, BadValuesAreReportedWhenStreamed) {
  std::ostringstream out;
  io::StreamingResultWriter writer(io::ResultFormat::kCsv, out);
  QueryOptions options = Options(2, 2048);
  options.stream = &writer;
  QueryResult result = engine_.Query("DeviceProcessEvents | project ReportId", options);
  ASSERT_TRUE(result.ok);
  EXPECT_EQ(writer.rows_written(), 4500u);
  EXPECT_EQ(result.scans["DeviceProcessEvents"].bad_values["ReportId"].count, 643u);
}

/// Counts rows and refuses more after `accept_chunks` chunks.
class CountingStream : public ResultStream {
 public:
  explicit CountingStream(size_t accept_chunks = SIZE_MAX) : accept_chunks_(accept_chunks) {}
  void Begin(const Schema& schema) override { columns = schema.size(); }
  bool Write(const DataChunk& chunk) override {
    if (chunks == accept_chunks_) return false;
    ++chunks;
    rows += chunk.ActiveCount();
    return true;
  }
  size_t columns = 0, chunks = 0, rows = 0;

 private:
  size_t accept_chunks_;
};

TEST_F(ResultStreamTest, TakeStopsTheRangeEarly) {
  CountingStream stream;
  QueryOptions options = Options(2, 2048);
  options.stream = &stream;
  const auto start = std::chrono::steady_clock::now();
  QueryResult result = engine_.Query("range x from 1 to 99000000 step 1 | extend s = strcat('r', x) | take 5", options);
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_EQ(stream.rows, 5u);
  EXPECT_EQ(stream.columns, 2u);
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 30.0);
}

TEST_F(ResultStreamTest, RefusedWriteStopsTheQuery) {
  CountingStream stream(2);
  QueryOptions options = Options(2, 500);
  options.stream = &stream;
  QueryResult result = engine_.Query("DeviceProcessEvents | project DeviceName", options);
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.failure, QueryFailure::kError);
  EXPECT_EQ(result.error, "the result could not be written");
  EXPECT_EQ(stream.rows, 1000u);
}

TEST_F(ResultStreamTest, TimeoutAndCancelStopAStreamedQuery) {
  CountingStream stream;
  QueryOptions options = Options(2, 2048);
  options.stream = &stream;
  options.timeout = std::chrono::milliseconds(300);
  QueryResult result = engine_.Query("range x from 1 to 99000000 step 1 | extend s = strcat('row', x)", options);
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.failure, QueryFailure::kTimeout);
  EXPECT_GT(stream.rows, 0u);
  EXPECT_LT(stream.rows, 99000000u);

  std::atomic<bool> cancel{true};
  CountingStream cancelled;
  options.timeout.reset();
  options.cancel = &cancel;
  options.stream = &cancelled;
  result = engine_.Query("range x from 1 to 99000000 step 1", options);
  EXPECT_EQ(result.failure, QueryFailure::kCancelled);
  EXPECT_EQ(cancelled.rows, 0u);
}

TEST_F(ResultStreamTest, MemoryLimitStillAppliesToWhatIsHeld) {
  CountingStream stream;
  QueryOptions options = Options(2, 2048);
  options.stream = &stream;
  options.max_memory_bytes = 8u << 20;
  QueryResult result = engine_.Query("range x from 1 to 3000000 step 1 | summarize make_list(strcat('row', x))", options);
  EXPECT_EQ(result.failure, QueryFailure::kMemoryLimit);
  EXPECT_EQ(stream.rows, 0u);
  // Streamed rows are not held, so the same budget passes a result many times its size.
  CountingStream streamed;
  options.stream = &streamed;
  result = engine_.Query("range x from 1 to 3000000 step 1 | extend s = strcat('row', x)", options);
  EXPECT_TRUE(result.ok) << result.error;
  EXPECT_EQ(streamed.rows, 3000000u);
}

}  // namespace
}  // namespace kql
