// libFuzzer target: arbitrary bytes through the JSON-lines reader (flat, envelope and records layouts, tiny
// morsels and chunks, a prefilter, one searched in column values, a side scan read by JsonKeyLocator) and the CSV
// reader must never crash, hang or leak; JsonKeyLocator and ColumnValueSearch also get the raw bytes.
#include <cstddef>
#include <cstdint>
#include <string>

#include "io/column_value_search.h"
#include "io/data_discovery.h"
#include "io/json_key_locator.h"
#include "rules/layer.h"

using namespace kql;
using namespace kql::rules;

namespace {

void ScanEverything(const TableSource& source, const ScanRequest& request) {
  ScanStats stats;
  for (size_t morsel = 0; morsel < source.MorselCount(); ++morsel) {
    auto reader = source.OpenMorsel(morsel, request, stats);
    DataChunk chunk;
    while (reader->Next(chunk)) {
    }
  }
  auto skipped = stats.skipped();
  source.ResolveLines(skipped);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using kql::KqlType;
  std::string text(reinterpret_cast<const char*>(data), size);
  Schema schema = {{"a", KqlType::kString}, {"b", KqlType::kLong}, {"c", KqlType::kReal},
                        {"d", KqlType::kDateTime}, {"e", KqlType::kDynamic}, {"f", KqlType::kBool},
                        {"g", KqlType::kGuid}, {"h", KqlType::kTimeSpan}, {"i", KqlType::kInt}};
  ReaderOptions options;
  options.morsel_bytes = 64;
  options.block_size = 16;
  ScanRequest request;
  request.columns = schema;
  request.chunk_size = 3;
  for (auto format : {FileFormat::kJsonLines, FileFormat::kCsv}) {
    auto source = OpenTextSource("fuzz", schema, format, text, options);
    ScanEverything(*source, request);
    request.prefilter = {{"a", "\\"}, {"x"}};
    ScanEverything(*source, request);
    request.prefilter.clear();
  }
  // The hunt's side scan: time-like keys sharing a prefix, read without a parse where the locator can.
  auto source = OpenTextSource("fuzz", schema, FileFormat::kJsonLines, text, options);
  ScanRequest with_side = request;
  with_side.prefilter = {{"zz"}};
  with_side.side = std::make_shared<SideScan>(Schema{{"d", KqlType::kDateTime}, {"dd", KqlType::kString}});
  ScanEverything(*source, with_side);
  (void)with_side.side->Take(source->MorselCount());
  // A long literal list from named columns is searched in those columns' values (with the side scan's keys).
  std::vector<std::string> literals;
  for (int index = 0; index < 20; ++index) literals.push_back("v" + std::to_string(index));
  with_side.prefilter = {literals};
  with_side.prefilter_columns = {{"a", "g"}};
  with_side.side = std::make_shared<SideScan>(Schema{{"d", KqlType::kDateTime}});
  ScanEverything(*source, with_side);
  (void)with_side.side->Take(source->MorselCount());
  std::vector<io::JsonKeyLocator::Value> values;
  (void)io::JsonKeyLocator({"d", "dd", "d\\"}).Locate(text, values);
  io::ColumnValueSearch search(literals, {"a", "b"}, {"d"});
  search.PrepareBlock(text);
  std::vector<io::QuotedKeyFinder::Occurrence> markers;
  for (size_t begin = 0; begin <= text.size();) {
    size_t end = text.find('\n', begin);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + begin, end - begin);
    (void)search.MayMatch(line);
    search.MarkersIn(line, markers);
    (void)search.MayMatch(std::string(line));  // outside the block
    begin = end + 1;
  }
  return 0;
}
