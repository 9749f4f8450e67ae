#include "io/data_discovery.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>

#include "io/csv_source.h"
#include "io/schema_inference.h"

namespace kql {

namespace {

constexpr size_t kDetectionPrefix = 64 * 1024;
constexpr std::string_view kCategoryPrefix = "AdvancedHunting-";

/// Concatenates the morsels of several sources of one table (e.g. its JSON files and its CSV files).
class UnionTableSource : public TableSource {
 public:
  UnionTableSource(std::string name, Schema schema, std::vector<std::unique_ptr<TableSource>> parts)
      : name_(std::move(name)), schema_(std::move(schema)), parts_(std::move(parts)) {}

  const std::string& name() const override { return name_; }
  const Schema& schema() const override { return schema_; }
  size_t MorselCount() const override {
    size_t count = 0;
    for (const auto& part : parts_) count += part->MorselCount();
    return count;
  }
  std::unique_ptr<MorselReader> OpenMorsel(size_t morsel, const ScanRequest& request,
                                           ScanStats& stats) const override {
    for (const auto& part : parts_) {
      if (morsel < part->MorselCount()) return part->OpenMorsel(morsel, request, stats);
      morsel -= part->MorselCount();
    }
    return nullptr;
  }
  void ResolveLines(std::vector<SkippedRecord>& records) const override {
    for (const auto& part : parts_) part->ResolveLines(records);
  }

 private:
  std::string name_;
  Schema schema_;
  std::vector<std::unique_ptr<TableSource>> parts_;
};

struct TableFiles {
  std::vector<JsonFile> json;
  std::vector<SourceFile> csv;
};

// Lists data files under a path, sorted for deterministic morsel order.
std::vector<std::filesystem::path> ListDataFiles(const std::string& path, std::vector<std::string>& errors) {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  std::error_code error;
  fs::file_status status = fs::status(path, error);
  if (error || !fs::exists(status)) {
    errors.push_back("Cannot read data path: " + path + (error ? " (" + error.message() + ")" : " (not found)"));
    return files;
  }
  if (!fs::is_directory(status)) {
    files.emplace_back(path);
    return files;
  }
  fs::recursive_directory_iterator iterator(path, fs::directory_options::skip_permission_denied, error);
  fs::recursive_directory_iterator end;
  for (; !error && iterator != end; iterator.increment(error)) {
    if (iterator->is_regular_file(error) && DetectFileKind(iterator->path().string())) files.push_back(iterator->path());
  }
  if (error) errors.push_back("Cannot list directory: " + path + " (" + error.message() + ")");
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

std::string TableNameForFile(const std::string& path, const std::optional<std::string>& category,
                             const SchemaLookup& lookup) {
  if (category) {
    std::string_view name = *category;
    if (name.substr(0, kCategoryPrefix.size()) == kCategoryPrefix) return std::string(name.substr(kCategoryPrefix.size()));
    if (lookup && lookup(std::string(name))) return std::string(name);
  }
  std::string stem = FileStem(path);
  size_t cut = stem.find_first_of("._-");
  if (cut != std::string::npos && cut > 0) {
    std::string prefix = stem.substr(0, cut);
    if (lookup && lookup(prefix)) return prefix;
  }
  return stem;
}

DiscoveredData DiscoverData(const std::vector<DataInput>& inputs, const SchemaLookup& lookup,
                            const ReaderOptions& options) {
  DiscoveredData result;
  std::map<std::string, TableFiles> tables;
  for (const DataInput& input : inputs) {
    for (const auto& file_path : ListDataFiles(input.path, result.errors)) {
      std::string path = file_path.string();
      auto kind = DetectFileKind(path);
      if (!kind) {
        result.errors.push_back("Unsupported data file (expected .json, .jsonl, .ndjson or .csv, optionally .gz or "
                                ".zst): " + path);
        continue;
      }
      std::string error;
      auto file = StatSourceFile(path, kind->compression, &error);
      if (!file) {
        result.errors.push_back(error);
        continue;
      }
      std::optional<std::string> category;
      JsonLayout layout = JsonLayout::kFlat;
      if (kind->format == FileFormat::kJsonLines) {
        auto prefix = ReadFilePrefix(*file, kDetectionPrefix, &error);
        if (!prefix) {
          result.errors.push_back(error);
          continue;
        }
        layout = DetectJsonLayout(*prefix);
        if (layout != JsonLayout::kFlat) category = FindEnvelopeCategory(*prefix);
      }
      std::string table = !input.table.empty() ? input.table : TableNameForFile(path, category, lookup);
      TableFiles& files = tables[table];
      if (kind->format == FileFormat::kJsonLines) {
        files.json.push_back({std::move(*file), layout});
      } else {
        files.csv.push_back(std::move(*file));
      }
    }
  }
  for (auto& [table, files] : tables) {
    const Schema* known = lookup ? lookup(table) : nullptr;
    std::optional<Schema> schema;
    if (known) schema = *known;
    std::string error;
    if (!schema && !files.json.empty()) schema = InferJsonSchema(files.json.front(), &error);
    if (!schema && !files.csv.empty()) schema = InferCsvSchema(files.csv.front(), &error);
    if (!schema) {
      result.errors.push_back("Cannot infer the schema of table " + table + ": " + error);
      continue;
    }
    std::vector<std::unique_ptr<TableSource>> parts;
    if (!files.json.empty()) {
      parts.push_back(std::make_unique<JsonLinesSource>(table, *schema, std::move(files.json), options));
    }
    if (!files.csv.empty()) parts.push_back(std::make_unique<CsvSource>(table, *schema, std::move(files.csv), options));
    if (parts.size() == 1) {
      result.sources.push_back(std::move(parts.front()));
    } else {
      result.sources.push_back(std::make_unique<UnionTableSource>(table, *schema, std::move(parts)));
    }
  }
  return result;
}

std::unique_ptr<TableSource> OpenTextSource(std::string name, Schema schema, FileFormat format, std::string text,
                                            const ReaderOptions& options) {
  SourceFile file;
  file.path = name;
  file.size = text.size();
  file.text = std::make_shared<const std::string>(std::move(text));
  if (format == FileFormat::kCsv) {
    return std::make_unique<CsvSource>(std::move(name), std::move(schema), std::vector<SourceFile>{std::move(file)},
                                       options);
  }
  JsonLayout layout = DetectJsonLayout(std::string_view(*file.text).substr(0, kDetectionPrefix));
  return std::make_unique<JsonLinesSource>(std::move(name), std::move(schema),
                                           std::vector<JsonFile>{{std::move(file), layout}}, options);
}

}  // namespace kql
