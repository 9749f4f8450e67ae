// libFuzzer target: arbitrary bytes as a CSV file, read through a fixed schema (tiny morsels and chunks) and
// through schema inference plus a query, must never crash, hang or leak.
#include <cstddef>
#include <cstdint>
#include <string>

#include "io/data_discovery.h"
#include "kqlite/engine.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using kql::KqlType;
  std::string text(reinterpret_cast<const char*>(data), size);
  kql::Schema schema = {{"a", KqlType::kString}, {"b", KqlType::kLong},     {"c", KqlType::kReal},
                        {"d", KqlType::kDateTime}, {"e", KqlType::kDynamic}, {"f", KqlType::kBool},
                        {"g", KqlType::kGuid},     {"h", KqlType::kTimeSpan}, {"i", KqlType::kInt}};
  kql::ReaderOptions reader_options;
  reader_options.morsel_bytes = 32;
  reader_options.block_size = 8;
  kql::ScanRequest request;
  request.columns = schema;
  request.chunk_size = 2;
  auto source = kql::OpenTextSource("fuzz", schema, kql::FileFormat::kCsv, text, reader_options);
  kql::ScanStats stats;
  for (size_t morsel = 0; morsel < source->MorselCount(); ++morsel) {
    auto reader = source->OpenMorsel(morsel, request, stats);
    kql::DataChunk chunk;
    while (reader->Next(chunk)) {
    }
  }
  auto skipped = stats.skipped();
  source->ResolveLines(skipped);

  // Schema inference from the header and first records, then every column of the result.
  kql::Engine engine;
  auto problems = engine.AddDataText("Fuzz", {}, "csv", text);
  (void)problems;
  kql::QueryOptions query_options;
  query_options.threads = 1;
  query_options.chunk_size = 3;
  auto result = engine.Query("Fuzz | take 50", query_options);
  (void)result;
  return 0;
}
