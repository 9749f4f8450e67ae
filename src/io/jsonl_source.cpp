#include "io/jsonl_source.h"

#include <simdjson.h>

#include <cstdlib>
#include <cstring>

#include "io/input_stream.h"
#include "io/jsonl_morsel_reader.h"
#include "io/line_reader.h"
#include "io/layer.h"

namespace kql::io {

namespace ondemand = simdjson::ondemand;

static_assert(kLinePadding >= simdjson::SIMDJSON_PADDING, "lines must carry simdjson's padding");

namespace {

/// True when the AVX2 copy of the morsel reader is linked in and this CPU runs it.
bool UseHaswellKernel() {
#if defined(KQL_HAVE_JSON_HASWELL)
  static const bool use = [] {
    const char* forced = std::getenv("KQLITE_JSON_KERNEL");
    if (forced && std::strcmp(forced, "fallback") == 0) return false;
    // simdjson's own CPU detection decides, so the test matches what its haswell kernel needs.
    const simdjson::implementation* haswell = simdjson::get_available_implementations()["haswell"];
    return haswell != nullptr && haswell->supported_by_runtime_system();
  }();
  return use;
#else
  return false;
#endif
}

}  // namespace

std::unique_ptr<MorselReader> MakeBestJsonMorselReader(const JsonFile& file, uint64_t begin, uint64_t end,
                                                       const ScanRequest& request, ScanStats& stats,
                                                       const ReaderOptions& options, size_t morsel) {
#if defined(KQL_HAVE_JSON_HASWELL)
  if (UseHaswellKernel()) {
    return json_haswell::MakeJsonMorselReader(file, begin, end, request, stats, options, morsel);
  }
#endif
  return json_fallback::MakeJsonMorselReader(file, begin, end, request, stats, options, morsel);
}

const char* ActiveJsonKernelName() {
#if defined(KQL_HAVE_JSON_HASWELL)
  if (UseHaswellKernel()) return json_haswell::JsonKernelName();
#endif
  return json_fallback::JsonKernelName();
}

JsonLinesSource::JsonLinesSource(std::string name, Schema schema, std::vector<JsonFile> files, ReaderOptions options)
    : name_(std::move(name)), schema_(std::move(schema)), files_(std::move(files)), options_(options) {
  for (size_t index = 0; index < files_.size(); ++index) {
    const JsonFile& file = files_[index];
    source_files_.push_back(file.file);
    uint64_t size = file.file.text ? file.file.text->size() : file.file.size;
    bool splittable = file.layout != JsonLayout::kRecords && file.layout != JsonLayout::kDocument &&
                      file.file.compression == Compression::kNone;
    if (!splittable || size <= options_.morsel_bytes) {
      morsels_.push_back({index, 0, UINT64_MAX});
      continue;
    }
    uint64_t step = std::max<uint64_t>(options_.morsel_bytes, 1);
    for (uint64_t begin = 0; begin < size; begin += step) {
      uint64_t end = begin + step >= size ? UINT64_MAX : begin + step;
      morsels_.push_back({index, begin, end});
    }
  }
}

std::unique_ptr<MorselReader> JsonLinesSource::OpenMorsel(size_t morsel, const ScanRequest& request,
                                                          ScanStats& stats) const {
  const Morsel& range = morsels_[morsel];
  return MakeBestJsonMorselReader(files_[range.file_index], range.begin, range.end, request, stats, options_, morsel);
}

uint64_t JsonLinesSource::MorselBytes(size_t morsel) const {
  const Morsel& range = morsels_[morsel];
  const SourceFile& file = files_[range.file_index].file;
  if (file.compression != Compression::kNone) return 0;  // Read decompressed: size unknown.
  const uint64_t size = file.text ? file.text->size() : file.size;
  return std::min(range.end, size) - std::min(range.begin, size);
}

void JsonLinesSource::ResolveLines(std::vector<SkippedRecord>& records) const {
  ResolveLineNumbers(source_files_, records);
}

std::optional<std::string> ReadFilePrefix(const SourceFile& file, size_t max_bytes, std::string* error) {
  auto stream = OpenInputStream(file, 0, error);
  if (!stream) return std::nullopt;
  std::string content;
  constexpr size_t kStep = 1 << 20;
  while (content.size() < max_bytes) {
    size_t old_size = content.size();
    size_t want = std::min(kStep, max_bytes - old_size);
    content.resize(old_size + want);
    size_t count = stream->Read(content.data() + old_size, want);
    content.resize(old_size + count);
    if (count == 0) break;
  }
  if (!stream->error().empty()) {
    if (error) *error = file.path + ": " + stream->error();
    return std::nullopt;
  }
  return content;
}

namespace {

size_t SkipWhitespace(std::string_view text, size_t position) {
  while (position < text.size() &&
         (text[position] == ' ' || text[position] == '\t' || text[position] == '\r' || text[position] == '\n')) {
    ++position;
  }
  return position;
}

// Matches `literal` at position after whitespace; advances position on success.
bool Expect(std::string_view text, size_t& position, std::string_view literal) {
  position = SkipWhitespace(text, position);
  if (text.substr(position, literal.size()) != literal) return false;
  position += literal.size();
  return true;
}

}  // namespace

JsonLayout DetectJsonLayout(std::string_view prefix) {
  size_t position = 0;
  if (prefix.substr(0, 3) == "\xEF\xBB\xBF") position = 3;
  size_t probe = position;
  if (Expect(prefix, probe, "{") && Expect(prefix, probe, "\"records\"") && Expect(prefix, probe, ":") &&
      Expect(prefix, probe, "[")) {
    return JsonLayout::kRecords;
  }
  probe = position;
  if (Expect(prefix, probe, "[")) {
    // A JSON array document, unless its first line is a whole value followed by more lines (JSON lines whose first
    // record is wrongly an array).
    size_t start = SkipWhitespace(prefix, position);
    size_t newline = prefix.find('\n', start);
    if (newline == std::string_view::npos || SkipWhitespace(prefix, newline) >= prefix.size()) {
      return JsonLayout::kDocument;
    }
    simdjson::padded_string first_line(prefix.substr(start, newline - start));
    ondemand::parser parser;
    ondemand::document document;
    ondemand::array array;
    std::string_view raw;
    if (parser.iterate(first_line).get(document) || document.get_array().get(array) || array.raw_json().get(raw)) {
      return JsonLayout::kDocument;
    }
    return JsonLayout::kFlat;
  }
  probe = position;
  if (Expect(prefix, probe, "{")) {
    for (std::string_view key : {"\"Schema\"", "\"schema\"", "\"Results\"", "\"results\"", "\"tables\"",
                                 "\"@odata.context\""}) {
      size_t key_probe = probe;
      if (Expect(prefix, key_probe, key) && Expect(prefix, key_probe, ":")) return JsonLayout::kDocument;
    }
  }
  position = SkipWhitespace(prefix, position);
  size_t newline = prefix.find('\n', position);
  std::string_view first_line = prefix.substr(position, newline == std::string_view::npos ? prefix.size() : newline - position);
  simdjson::padded_string padded(first_line);
  ondemand::parser parser;
  ondemand::document document;
  if (parser.iterate(padded).get(document)) return JsonLayout::kFlat;
  ondemand::object object;
  if (document.get_object().get(object)) return JsonLayout::kFlat;
  bool has_category = false;
  bool has_properties = false;
  for (auto field_result : object) {
    ondemand::field field;
    if (std::move(field_result).get(field)) return JsonLayout::kFlat;
    std::string_view key;
    if (field.unescaped_key().get(key)) return JsonLayout::kFlat;
    ondemand::json_type type;
    if (field.value().type().get(type)) return JsonLayout::kFlat;
    if (key == "category" && type == ondemand::json_type::string) has_category = true;
    if (key == "properties" && type == ondemand::json_type::object) has_properties = true;
  }
  return has_category && has_properties ? JsonLayout::kEnvelope : JsonLayout::kFlat;
}

std::optional<std::string> FindEnvelopeCategory(std::string_view prefix) {
  size_t position = prefix.find("\"category\"");
  if (position == std::string_view::npos) return std::nullopt;
  position += 10;
  if (!Expect(prefix, position, ":") || !Expect(prefix, position, "\"")) return std::nullopt;
  size_t end = prefix.find('"', position);
  if (end == std::string_view::npos) return std::nullopt;
  std::string_view category = prefix.substr(position, end - position);
  if (category.empty() || category.find('\\') != std::string_view::npos) return std::nullopt;
  return std::string(category);
}

}  // namespace kql::io
