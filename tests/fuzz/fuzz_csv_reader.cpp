// libFuzzer target: arbitrary bytes as a CSV file, read through a fixed schema (tiny morsels and chunks), through
// the schema inferred from its header and first records, and through a query; must never crash, hang or leak.
// The engine is built once (its catalog of built-in schemas is what made a fresh engine per input slow).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "io/data_discovery.h"
#include "io/schema_inference.h"
#include "kqlite/engine.h"
#include "rules/layer.h"

using namespace kql;
using namespace kql::rules;

namespace {

const Schema& FixedSchema() {
  using kql::KqlType;
  static const Schema schema = {{"a", KqlType::kString},   {"b", KqlType::kLong},    {"c", KqlType::kReal},
                                     {"d", KqlType::kDateTime}, {"e", KqlType::kDynamic}, {"f", KqlType::kBool},
                                     {"g", KqlType::kGuid},     {"h", KqlType::kTimeSpan}, {"i", KqlType::kInt}};
  return schema;
}

// Reads every morsel of the text through `schema` with 32-byte morsels and 2-row chunks.
void ScanAll(const std::string& text, const Schema& schema) {
  ReaderOptions reader_options;
  reader_options.morsel_bytes = 32;
  reader_options.block_size = 8;
  ScanRequest request;
  request.columns = schema;
  request.chunk_size = 2;
  auto source = OpenTextSource("fuzz", schema, FileFormat::kCsv, text, reader_options);
  if (!source) return;
  ScanStats stats;
  for (size_t morsel = 0; morsel < source->MorselCount(); ++morsel) {
    auto reader = source->OpenMorsel(morsel, request, stats);
    DataChunk chunk;
    while (reader->Next(chunk)) {
    }
  }
  auto skipped = stats.skipped();
  source->ResolveLines(skipped);
}

Engine& FuzzEngine() {
  static std::unique_ptr<Engine> engine = std::make_unique<Engine>();
  return *engine;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  ScanAll(text, FixedSchema());

  SourceFile file;
  file.path = "fuzz.csv";
  file.size = text.size();
  file.text = std::make_shared<const std::string>(text);
  std::string error;
  if (std::optional<Schema> inferred = InferCsvSchema(file, &error)) ScanAll(text, *inferred);

  // Re-registering the same name with the same schema replaces the previous input's table.
  Engine& engine = FuzzEngine();
  auto problems = engine.AddDataText("Fuzz", FixedSchema(), "csv", text);
  (void)problems;
  QueryOptions query_options;
  query_options.threads = 1;
  query_options.chunk_size = 3;
  auto result = engine.Query("Fuzz | summarize count() by a | take 50", query_options);
  (void)result;
  return 0;
}
