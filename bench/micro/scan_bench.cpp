// Micro benchmarks of the reader's and executor's hot loops over synthetic Defender-like records: the raw-bytes
// literal and escape scans, JSON line parsing of N requested columns, whole records parsed as dynamic values, a `has` filter over a string column and a
// count by string keys. Rates are reported as bytes/s (scans, parsing) or items (rows)/s.
#include <benchmark/benchmark.h>

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "io/jsonl_source.h"
#include "io/literal_prefilter.h"
#include "kqlite/engine.h"
#include "types/dynamic.h"

namespace kql {
namespace {

using namespace kql::io;
using namespace kql::vector;

constexpr int kFields = 40;
constexpr size_t kRows = 20000;

// One flat JSON record of kFields fields (~1.5 KB, like a DeviceNetworkEvents row) with a few varying values.
std::string MakeRecord(std::mt19937& random, size_t row) {
  std::string line = "{";
  for (int field = 0; field < kFields; ++field) {
    if (field > 0) line += ',';
    line += "\"Field" + std::to_string(field) + "\":";
    if (field % 5 == 1) {
      line += std::to_string(random() % 65536);
    } else if (field == 2) {
      line += "\"device-" + std::to_string(random() % 2000) + ".contoso.com\"";
    } else if (field == 3) {
      line += row % 50 == 0 ? "\"login.microsoft.com\"" : "\"cdn.example.net\"";
    } else {
      line += "\"C:\\\\Program Files\\\\Vendor\\\\app" + std::to_string(random() % 100) + ".exe --flag value\"";
    }
  }
  return line + "}";
}

const std::string& Corpus() {
  static const std::string corpus = [] {
    std::mt19937 random(1);
    std::string text;
    for (size_t row = 0; row < kRows; ++row) text += MakeRecord(random, row) + "\n";
    return text;
  }();
  return corpus;
}

void BM_PrefilterLiteralScan(benchmark::State& state) {
  const std::string& corpus = Corpus();
  for (auto _ : state) {
    benchmark::DoNotOptimize(ContainsCaseInsensitive(corpus, "tacticalrmm.io"));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * corpus.size()));
}
BENCHMARK(BM_PrefilterLiteralScan);

void BM_PrefilterEscapeScan(benchmark::State& state) {
  const std::string& corpus = Corpus();
  for (auto _ : state) {
    benchmark::DoNotOptimize(LiteralPrefilter::HasHidingEscape(corpus));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * corpus.size()));
}
BENCHMARK(BM_PrefilterEscapeScan);

// Parses every record, producing the first N columns (the reader skips the others without converting them).
void BM_JsonLineParse(benchmark::State& state) {
  auto text = std::make_shared<const std::string>(Corpus());
  Schema schema;
  for (int field = 0; field < kFields; ++field) {
    schema.push_back({"Field" + std::to_string(field), field % 5 == 1 ? KqlType::kLong : KqlType::kString});
  }
  JsonLinesSource source("T", schema, {JsonFile{SourceFile{"memory.jsonl", Compression::kNone, text->size(), text}}});
  ScanRequest request;
  request.columns.assign(schema.begin(), schema.begin() + state.range(0));
  for (auto _ : state) {
    ScanStats stats;
    size_t rows = 0;
    for (size_t morsel = 0; morsel < source.MorselCount(); ++morsel) {
      auto reader = source.OpenMorsel(morsel, request, stats);
      DataChunk chunk;
      while (reader->Next(chunk)) rows += chunk.size;
    }
    benchmark::DoNotOptimize(rows);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text->size()));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kRows));
}
BENCHMARK(BM_JsonLineParse)->Arg(1)->Arg(4)->Arg(16)->Arg(40);

// Parses whole records into dynamic values (ParseJson: schema inference's first records, parse_json(), dynamic
// columns).
void BM_ParseJsonRecord(benchmark::State& state) {
  std::mt19937 random(5);
  std::vector<std::string> records;
  size_t bytes = 0;
  for (size_t row = 0; row < 1000; ++row) {
    records.push_back(MakeRecord(random, row));
    bytes += records.back().size();
  }
  for (auto _ : state) {
    for (const std::string& record : records) benchmark::DoNotOptimize(ParseJson(record));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_ParseJsonRecord);

// An engine holding the corpus materialised as table M (so the query below measures execution, not parsing).
Engine& MaterialisedEngine() {
  static Engine engine;
  static const bool loaded = [] {
    Schema schema = {{"Field2", KqlType::kString}, {"Field3", KqlType::kString}, {"Field1", KqlType::kLong}};
    engine.AddDataText("T", schema, "jsonl", Corpus());
    QueryOptions options;
    options.threads = 1;
    QueryResult result = engine.Query("T", options);
    engine.AddTable("M", std::make_shared<const Table>(std::move(result.table)));
    return true;
  }();
  (void)loaded;
  return engine;
}

void RunQuery(benchmark::State& state, const char* query) {
  Engine& engine = MaterialisedEngine();
  QueryOptions options;
  options.threads = 1;
  for (auto _ : state) {
    QueryResult result = engine.Query(query, options);
    if (!result.ok) state.SkipWithError(result.error.c_str());
    benchmark::DoNotOptimize(result.table.chunks.size());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kRows));
}

void BM_HasFilter(benchmark::State& state) { RunQuery(state, "M | where Field3 has 'microsoft' | count"); }
BENCHMARK(BM_HasFilter);

void BM_SummarizeByString(benchmark::State& state) { RunQuery(state, "M | summarize count() by Field2"); }
BENCHMARK(BM_SummarizeByString);

}  // namespace
}  // namespace kql
