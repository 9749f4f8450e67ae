// JsonLinesSource: a TableSource over JSON files of one table — flat JSON lines, Defender Streaming API envelopes
// (columns under "properties"), or the Event Hub {"records":[...]} wrapper. Parses only requested columns with
// simdjson On-Demand after a raw-bytes prefilter. It does not discover files or infer schemas.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "io/file_format.h"
#include "vector/table_source.h"
#include "io/layer.h"

namespace kql::io {

/// How records are laid out in a JSON file.
enum class JsonLayout {
  kFlat,      ///< One object per line; columns are its fields.
  kEnvelope,  ///< One envelope per line; columns are the fields of its "properties" object.
  kRecords,   ///< One or more {"records":[envelope, ...]} documents (the whole file is one morsel).
  /// One JSON document holding the rows (the whole file is one morsel): an array of objects (`az monitor
  /// log-analytics query -o json`), the Defender advanced hunting API response {"Schema":[...],"Results":[{...}]},
  /// the Graph runHuntingQuery response {"schema":[...],"results":[...]}, or the Log Analytics query API response
  /// {"tables":[{"name","columns":[{"name","type"}],"rows":[[...]]}]} (its first table).
  kDocument,
};

/// Largest whole-document file (kRecords, kDocument) read, decompressed; bigger ones fail with a clear message.
inline constexpr size_t kMaxDocumentBytes = 1ull << 30;

/// Tuning of file readers.
struct ReaderOptions {
  /// Target size of a byte-range morsel of a plain (uncompressed) file.
  uint64_t morsel_bytes = 16ull << 20;
  /// Size of the read buffer of a morsel (grows for longer lines).
  size_t block_size = 4u << 20;
};

/// One JSON input file and its layout.
struct JsonFile {
  SourceFile file;
  JsonLayout layout = JsonLayout::kFlat;
  /// For envelopes (kEnvelope, kRecords): when set, only records of this "category" are rows of this file's table
  /// (an Event Hub file mixes tables; discovery registers it once per category).
  std::string category;
};

/// A table read from JSON files.
class JsonLinesSource : public TableSource {
 public:
  JsonLinesSource(std::string name, Schema schema, std::vector<JsonFile> files, ReaderOptions options = {});

  const std::string& name() const override { return name_; }
  const Schema& schema() const override { return schema_; }
  size_t MorselCount() const override { return morsels_.size(); }
  std::unique_ptr<MorselReader> OpenMorsel(size_t morsel, const ScanRequest& request,
                                           ScanStats& stats) const override;
  uint64_t MorselBytes(size_t morsel) const override;
  void ResolveLines(std::vector<SkippedRecord>& records) const override;

  /// The input files.
  const std::vector<JsonFile>& files() const { return files_; }

 private:
  struct Morsel {
    size_t file_index = 0;
    uint64_t begin = 0;
    uint64_t end = 0;
  };

  std::string name_;
  Schema schema_;
  std::vector<JsonFile> files_;
  std::vector<SourceFile> source_files_;
  ReaderOptions options_;
  std::vector<Morsel> morsels_;
};

/// Reads up to `max_bytes` of a file's (decompressed) beginning. Returns nullopt and sets *error when unreadable.
std::optional<std::string> ReadFilePrefix(const SourceFile& file, size_t max_bytes, std::string* error);

/// Detects the layout from a file's first bytes (after a UTF-8 BOM): a leading {"records":[ means kRecords, a
/// leading [ or a leading object whose first key is Schema, schema, Results, results, tables or @odata.context
/// means kDocument, a first line with "category" and a "properties" object means kEnvelope, anything else kFlat.
JsonLayout DetectJsonLayout(std::string_view prefix);

/// The "category" of the first envelope in a file's first bytes ("AdvancedHunting-DeviceNetworkEvents"), if any.
std::optional<std::string> FindEnvelopeCategory(std::string_view prefix);

}  // namespace kql::io
