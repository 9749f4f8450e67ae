#include "io/data_discovery.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <map>
#include <optional>
#include <set>

#include "io/csv_source.h"
#include "io/schema_inference.h"
#include "io/layer.h"

namespace kql::io {

namespace {

constexpr size_t kDetectionPrefix = 64 * 1024;
constexpr std::string_view kCategoryPrefix = "AdvancedHunting-";
constexpr uint64_t kMaxExtraColumnDocumentBytes = 64ull << 20;
constexpr uint64_t kMaxCategoryScanBytes = 64ull << 20;

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
  uint64_t MorselBytes(size_t morsel) const override {
    for (const auto& part : parts_) {
      if (morsel < part->MorselCount()) return part->MorselBytes(morsel);
      morsel -= part->MorselCount();
    }
    return 0;
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
  std::vector<SourceFile> tsv;
};

// Walks a directory tree, following symlinked folders but entering each real folder once (so symlink loops end).
// Unreadable folders are errors, like unreadable files.
void WalkDirectory(const std::filesystem::path& directory, std::set<std::pair<dev_t, ino_t>>& visited,
                   std::vector<std::filesystem::path>& files, std::vector<std::filesystem::path>& ignored,
                   std::vector<std::string>& errors) {
  namespace fs = std::filesystem;
  struct stat info {};
  if (::stat(directory.c_str(), &info) != 0) {
    errors.push_back("Cannot read directory: " + directory.string() + " (" + std::strerror(errno) + ")");
    return;
  }
  if (!visited.insert({info.st_dev, info.st_ino}).second) return;
  std::error_code error;
  fs::directory_iterator iterator(directory, error);
  if (error) {
    errors.push_back("Cannot read directory: " + directory.string() + " (" + error.message() + ")");
    return;
  }
  std::vector<fs::path> children;
  for (; !error && iterator != fs::directory_iterator(); iterator.increment(error)) {
    children.push_back(iterator->path());
  }
  if (error) errors.push_back("Cannot list directory: " + directory.string() + " (" + error.message() + ")");
  // Sorted, so which path of a folder reached twice (through a symlink) is kept does not depend on the listing.
  std::sort(children.begin(), children.end());
  for (const fs::path& child : children) {
    std::error_code status_error;
    fs::file_status status = fs::status(child, status_error);  // Follows symlinks.
    if (status_error) {
      // A dangling symlink or a vanished entry: only data-looking names are worth an error.
      if (DetectFileKind(child.string())) {
        errors.push_back("Cannot read file: " + child.string() + " (" + status_error.message() + ")");
      }
      continue;
    }
    if (fs::is_directory(status)) {
      WalkDirectory(child, visited, files, ignored, errors);
    } else if (fs::is_regular_file(status)) {
      if (DetectFileKind(child.string())) {
        files.push_back(child);
      } else if (child.filename().string()[0] != '.') {
        ignored.push_back(child);  // Hidden files (.DS_Store) are not worth a word.
      }
    }
  }
}

// Lists data files under a path, sorted for deterministic morsel order.
std::vector<std::filesystem::path> ListDataFiles(const std::string& path, std::vector<std::string>& errors,
                                                 std::vector<std::string>& notices) {
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
  std::set<std::pair<dev_t, ino_t>> visited;
  std::vector<fs::path> ignored;
  WalkDirectory(path, visited, files, ignored, errors);
  std::sort(files.begin(), files.end());
  if (!ignored.empty()) {
    std::sort(ignored.begin(), ignored.end());
    std::string notice = path + ": " + std::to_string(ignored.size()) + " file" +
                         (ignored.size() == 1 ? " is" : "s are") +
                         " not data (.json .jsonl .ndjson .csv .tsv, optionally .gz or .zst) and not read: ";
    for (size_t index = 0; index < ignored.size() && index < 5; ++index) {
      notice += (index ? ", " : "") + ignored[index].string();
    }
    if (ignored.size() > 5) notice += ", ...";
    notices.push_back(std::move(notice));
  }
  if (files.empty()) {
    errors.push_back("No data files (.json .jsonl .ndjson .csv .tsv, optionally .gz or .zst) in folder: " + path);
  }
  return files;
}

std::string LowerAscii(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lower;
}

// Reads standard input whole and guesses its format and compression from its bytes.
std::optional<SourceFile> ReadStandardInput(FileKind& kind, std::string* error) {
  std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  if (std::cin.bad()) {
    *error = "Cannot read standard input";
    return std::nullopt;
  }
  SourceFile file;
  file.path = "<stdin>";
  file.size = text.size();
  kind.compression = Compression::kNone;
  if (text.size() >= 2 && static_cast<unsigned char>(text[0]) == 0x1f && static_cast<unsigned char>(text[1]) == 0x8b) {
    kind.compression = Compression::kGzip;
  } else if (text.size() >= 4 && text.compare(0, 4, "\x28\xb5\x2f\xfd") == 0) {
    kind.compression = Compression::kZstd;
  }
  file.compression = kind.compression;
  file.text = std::make_shared<const std::string>(std::move(text));
  auto prefix = ReadFilePrefix(file, kDetectionPrefix, error);
  if (!prefix) return std::nullopt;
  std::string_view head = *prefix;
  if (head.substr(0, 3) == "\xEF\xBB\xBF") head.remove_prefix(3);
  size_t first = head.find_first_not_of(" \t\r\n");
  std::string_view first_line = head.substr(0, head.find('\n'));
  if (first != std::string_view::npos && (head[first] == '{' || head[first] == '[')) {
    kind.format = FileFormat::kJsonLines;
  } else if (first_line.find('\t') != std::string_view::npos && first_line.find(',') == std::string_view::npos) {
    kind.format = FileFormat::kTsv;
  } else {
    kind.format = FileFormat::kCsv;
  }
  return file;
}

// Every distinct envelope "category" of a file, in order of first appearance: the whole file when it is small
// enough to scan at registration, else its first bytes.
std::vector<std::string> FindEnvelopeCategories(const SourceFile& file, const std::string& prefix,
                                                const SchemaLookup& lookup) {
  std::optional<std::string> whole;
  if (file.size <= kMaxCategoryScanBytes) {
    std::string error;
    whole = ReadFilePrefix(file, 4 * kMaxCategoryScanBytes, &error);
  }
  std::string_view text = whole ? std::string_view(*whole) : std::string_view(prefix);
  std::vector<std::string> categories;
  constexpr std::string_view kKey = "\"category\"";
  for (size_t at = text.find(kKey); at != std::string_view::npos; at = text.find(kKey, at + kKey.size())) {
    auto category = FindEnvelopeCategory(text.substr(at, 512));
    // Only table categories count ("category" may also be a column inside "properties").
    if (!category || (category->rfind(kCategoryPrefix, 0) != 0 && !(lookup && lookup(*category)))) continue;
    if (std::find(categories.begin(), categories.end(), *category) == categories.end()) {
      categories.push_back(*category);
    }
  }
  return categories;
}

// UTF-16 text: a UTF-16 byte order mark, or ASCII with a NUL after (or before) each character.
bool LooksLikeUtf16(std::string_view prefix) {
  if (prefix.size() < 2) return false;
  auto byte = [&](size_t index) { return static_cast<unsigned char>(prefix[index]); };
  if ((byte(0) == 0xFF && byte(1) == 0xFE) || (byte(0) == 0xFE && byte(1) == 0xFF)) return true;
  return prefix.size() >= 4 && ((byte(0) != 0 && byte(1) == 0 && byte(2) != 0 && byte(3) == 0) ||
                                (byte(0) == 0 && byte(1) != 0 && byte(2) == 0 && byte(3) != 0));
}

// The column names of a file's header or first records (inferred schema), or empty.
std::vector<std::string> FileColumns(const std::optional<Schema>& schema) {
  std::vector<std::string> names;
  if (schema) {
    for (const ColumnDef& column : *schema) names.push_back(column.name);
  }
  return names;
}

std::optional<Schema> InferFileSchema(FileFormat format, const SourceFile& file, JsonLayout layout,
                                      std::string* error, const std::string& category = {}) {
  switch (format) {
    case FileFormat::kJsonLines: return InferJsonSchema({file, layout, category}, error);
    case FileFormat::kCsv: return InferCsvSchema(file, error, ',');
    case FileFormat::kTsv: return InferCsvSchema(file, error, '\t');
  }
  return std::nullopt;
}

const char* FormatLabel(FileFormat format) {
  switch (format) {
    case FileFormat::kJsonLines: return "JSON";
    case FileFormat::kCsv: return "CSV";
    case FileFormat::kTsv: return "TSV";
  }
  return "data";
}

}  // namespace

namespace {

/// Known table names lowercased, longest first, for matching inside file names.
using LoweredTables = std::vector<std::pair<std::string, const std::string*>>;

LoweredTables LowerTables(const std::vector<std::string>& known_tables) {
  LoweredTables lowered;
  for (const std::string& table : known_tables) {
    if (!table.empty()) lowered.emplace_back(LowerAscii(table), &table);
  }
  std::stable_sort(lowered.begin(), lowered.end(),
                   [](const auto& left, const auto& right) { return left.first.size() > right.first.size(); });
  return lowered;
}

std::optional<std::string> KnownTableForFile(const std::string& path, const std::optional<std::string>& category,
                                             const SchemaLookup& lookup, const LoweredTables& tables) {
  if (category) {
    std::string_view name = *category;
    if (name.substr(0, kCategoryPrefix.size()) == kCategoryPrefix) return std::string(name.substr(kCategoryPrefix.size()));
    if (lookup && lookup(std::string(name))) return std::string(name);
  }
  std::string stem = FileStem(path);
  std::string lower_stem = LowerAscii(stem);
  for (const auto& [lower_table, table] : tables) {
    if (lower_table.size() > lower_stem.size()) continue;
    for (size_t at = lower_stem.find(lower_table); at != std::string::npos; at = lower_stem.find(lower_table, at + 1)) {
      size_t after = at + lower_table.size();
      if (after == stem.size() || !(stem[after] >= 'a' && stem[after] <= 'z')) return *table;
    }
  }
  size_t cut = stem.find_first_of("._-");
  if (cut != std::string::npos && cut > 0) {
    std::string prefix = stem.substr(0, cut);
    if (lookup && lookup(prefix)) return prefix;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> KnownTableForFile(const std::string& path, const std::optional<std::string>& category,
                                             const SchemaLookup& lookup, const std::vector<std::string>& known_tables) {
  return KnownTableForFile(path, category, lookup, LowerTables(known_tables));
}

std::string TableNameForFile(const std::string& path, const std::optional<std::string>& category,
                             const SchemaLookup& lookup, const std::vector<std::string>& known_tables) {
  auto known = KnownTableForFile(path, category, lookup, known_tables);
  return known ? *known : FileStem(path);
}

std::optional<std::string> TableForColumns(const std::vector<std::string>& columns, const SchemaLookup& lookup,
                                           const std::vector<std::string>& known_tables) {
  if (columns.size() < 2 || !lookup) return std::nullopt;
  std::set<std::string> wanted(columns.begin(), columns.end());
  // Only the tables holding the most of the file's columns compete: a table lacking one that another holds does not
  // fit (a small table's column-set similarity would otherwise beat the table holding every column).
  struct Fit {
    const std::string* table;
    size_t matched;
    double similarity;  // Jaccard similarity of the column sets.
  };
  std::vector<Fit> fits;
  size_t most_matched = 0;
  for (const std::string& table : known_tables) {
    const Schema* schema = lookup(table);
    if (!schema || schema->empty()) continue;
    size_t matched = 0;
    for (const ColumnDef& column : *schema) matched += wanted.count(column.name);
    if (matched == 0 || matched < most_matched) continue;
    if (matched > most_matched) {
      most_matched = matched;
      fits.clear();
    }
    fits.push_back({&table, matched,
                    static_cast<double>(matched) / static_cast<double>(wanted.size() + schema->size() - matched)});
  }
  if (fits.empty() || most_matched * 2 <= wanted.size()) return std::nullopt;
  std::stable_sort(fits.begin(), fits.end(),
                   [](const Fit& left, const Fit& right) { return left.similarity > right.similarity; });
  const Fit& best = fits[0];
  // The one table holding them: at least three columns, or the file is nearly all of that table.
  if (fits.size() == 1) {
    if (most_matched >= 3 || best.similarity >= 0.8) return *best.table;
    return std::nullopt;
  }
  // Several hold as many: the file must be most of one table's columns and fit it better than the others (a
  // DeviceProcessEvents export against DeviceCustomProcessEvents' superset); a projection they all hold is none's.
  double second = fits[1].similarity;
  bool clearly_better = best.similarity >= 0.5 && best.similarity >= second * 1.15;
  bool tight_fit = best.similarity >= 0.8 && best.similarity > second;
  if (!clearly_better && !tight_fit) return std::nullopt;
  return *best.table;
}

DiscoveredData DiscoverData(const std::vector<DataInput>& inputs, const SchemaLookup& lookup,
                            const ReaderOptions& options, const std::vector<std::string>& known_tables) {
  DiscoveredData result;
  const LoweredTables lowered_tables = LowerTables(known_tables);
  std::map<std::string, std::optional<std::string>> name_matches;
  std::map<std::string, TableFiles> tables;
  std::map<std::string, std::vector<std::pair<FileFormat, JsonFile>>> first_files;  // For extra columns.
  auto add_file = [&](const DiscoveredFile& found, FileFormat format, JsonFile file) {
    result.files.push_back(found);
    auto& firsts = first_files[found.table];
    bool format_seen = false;
    for (const auto& [seen_format, seen] : firsts) format_seen = format_seen || seen_format == format;
    if (!format_seen) firsts.push_back({format, file});
    TableFiles& files = tables[found.table];
    switch (format) {
      case FileFormat::kJsonLines: files.json.push_back(std::move(file)); break;
      case FileFormat::kCsv: files.csv.push_back(std::move(file.file)); break;
      case FileFormat::kTsv: files.tsv.push_back(std::move(file.file)); break;
    }
  };
  for (const DataInput& input : inputs) {
    std::vector<std::filesystem::path> paths;
    if (input.path == "-") {
      paths.emplace_back("-");
    } else {
      paths = ListDataFiles(input.path, result.errors, result.notices);
    }
    for (const auto& file_path : paths) {
      std::string path = file_path.string();
      std::string error;
      std::optional<FileKind> kind;
      std::optional<SourceFile> file;
      if (path == "-") {
        kind.emplace();
        file = ReadStandardInput(*kind, &error);
      } else {
        kind = DetectFileKind(path);
        if (!kind) {
          result.errors.push_back("Unsupported data file (expected .json, .jsonl, .ndjson, .csv or .tsv, optionally "
                                  ".gz or .zst): " + path);
          continue;
        }
        file = StatSourceFile(path, kind->compression, &error);
      }
      if (!file) {
        result.errors.push_back(error);
        continue;
      }
      std::optional<std::string> category;
      JsonLayout layout = JsonLayout::kFlat;
      auto prefix = ReadFilePrefix(*file, kind->format == FileFormat::kJsonLines ? kDetectionPrefix : 4, &error);
      if (!prefix) {
        result.errors.push_back(error);
        continue;
      }
      if (LooksLikeUtf16(*prefix)) {
        result.errors.push_back(file->path + ": UTF-16 text (Windows PowerShell's Out-File default) is not read; save "
                                "it as UTF-8 (Out-File -Encoding utf8, or Export-Csv -Encoding utf8)");
        continue;
      }
      if (kind->format == FileFormat::kJsonLines) {
        layout = DetectJsonLayout(*prefix);
        if (layout == JsonLayout::kEnvelope || layout == JsonLayout::kRecords) category = FindEnvelopeCategory(*prefix);
      }
      if (category && input.table.empty()) {
        // An Event Hub file may mix tables: each category's records go to their own table.
        std::vector<std::string> categories = FindEnvelopeCategories(*file, *prefix, lookup);
        if (categories.size() > 1) {
          for (const std::string& each : categories) {
            auto known = KnownTableForFile(path, each, lookup, lowered_tables);
            DiscoveredFile found{input.path, file->path, known ? *known : each, TableMatch::kCategory};
            add_file(found, kind->format, JsonFile{*file, layout, each});
          }
          continue;
        }
      }
      DiscoveredFile found{input.path, file->path, input.table, TableMatch::kForced};
      if (found.table.empty()) {
        std::optional<std::string> known;
        if (category) {
          known = KnownTableForFile(path, category, lookup, lowered_tables);
        } else if (path != "-") {
          // Many files share a name but for digits (DeviceEvents_0001 ... _9999): match each pattern once.
          std::string pattern = FileStem(path);
          pattern.erase(std::remove_if(pattern.begin(), pattern.end(), [](char c) { return c >= '0' && c <= '9'; }),
                        pattern.end());
          auto cached = name_matches.find(pattern);
          if (cached == name_matches.end()) {
            cached = name_matches.emplace(pattern, KnownTableForFile(path, category, lookup, lowered_tables)).first;
          }
          known = cached->second;
        }
        if (known) {
          found.table = *known;
          found.match = TableMatch::kFileName;
          if (category && (*category == *known || *category == std::string(kCategoryPrefix) + *known)) {
            found.match = TableMatch::kCategory;
          }
        } else {
          std::string infer_error;
          auto columns = FileColumns(InferFileSchema(kind->format, *file, layout, &infer_error));
          if (auto fitting = TableForColumns(columns, lookup, known_tables)) {
            found.table = *fitting;
            found.match = TableMatch::kColumns;
          } else {
            found.table = path == "-" ? "stdin" : FileStem(path);
            found.match = TableMatch::kUnmatched;
            result.notices.push_back(
                file->path + ": no known table in its name" + (category ? " or category" : "") +
                ", and its columns fit no single known table; loaded as table '" + found.table +
                "' (use --table NAME=" + (path == "-" ? std::string("-") : file->path) +
                " to load it as table NAME)");
          }
        }
      }
      add_file(found, kind->format, JsonFile{std::move(*file), layout, {}});
    }
  }
  for (auto& [table, files] : tables) {
    const Schema* known = lookup ? lookup(table) : nullptr;
    std::optional<Schema> schema;
    if (known) schema = *known;
    std::string error;
    // The first file of each format names the columns; a known table gains the ones its schema lacks.
    for (const auto& [format, first] : first_files[table]) {
      // Whole documents are parsed whole to infer; a known table skips that for big ones.
      bool whole_document = first.layout == JsonLayout::kRecords || first.layout == JsonLayout::kDocument;
      if (known && whole_document && first.file.size > kMaxExtraColumnDocumentBytes) continue;
      auto inferred = InferFileSchema(format, first.file, first.layout, &error, first.category);
      if (!inferred) {
        // The file's beginning cannot be read (corrupt compression, a line over kMaxLineBytes): say so now rather
        // than at every scan.
        if (known && !error.empty()) result.errors.push_back(error);
        continue;
      }
      if (!schema) {
        schema = std::move(inferred);
        continue;
      }
      std::vector<std::string> added;
      for (const ColumnDef& column : *inferred) {
        bool present = false;
        for (const ColumnDef& existing : *schema) present = present || existing.name == column.name;
        if (present) continue;
        schema->push_back(column);
        added.push_back(column.name + ":" + std::string(TypeName(column.type)));
      }
      if (known && !added.empty()) {
        std::string list;
        for (const auto& name : added) list += (list.empty() ? "" : ", ") + name;
        result.notices.push_back("table " + table + ": columns not in its built-in schema, added from " +
                                 FormatLabel(format) + " file " + first.file.path + ": " + list);
      }
    }
    if (!schema) {
      result.errors.push_back("Cannot infer the schema of table " + table + ": " + error);
      continue;
    }
    std::vector<std::unique_ptr<TableSource>> parts;
    if (!files.json.empty()) {
      parts.push_back(std::make_unique<JsonLinesSource>(table, *schema, std::move(files.json), options));
    }
    if (!files.csv.empty()) parts.push_back(std::make_unique<CsvSource>(table, *schema, std::move(files.csv), options));
    if (!files.tsv.empty()) {
      parts.push_back(std::make_unique<CsvSource>(table, *schema, std::move(files.tsv), options, '\t'));
    }
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
  if (schema.empty()) {
    // No schema given and none known: infer one, as for files.
    JsonLayout layout = format == FileFormat::kJsonLines
                            ? DetectJsonLayout(std::string_view(*file.text).substr(0, kDetectionPrefix))
                            : JsonLayout::kFlat;
    std::string error;
    if (auto inferred = InferFileSchema(format, file, layout, &error)) schema = std::move(*inferred);
  }
  if (format == FileFormat::kCsv || format == FileFormat::kTsv) {
    return std::make_unique<CsvSource>(std::move(name), std::move(schema), std::vector<SourceFile>{std::move(file)},
                                       options, format == FileFormat::kTsv ? '\t' : ',');
  }
  JsonLayout layout = DetectJsonLayout(std::string_view(*file.text).substr(0, kDetectionPrefix));
  return std::make_unique<JsonLinesSource>(std::move(name), std::move(schema),
                                           std::vector<JsonFile>{{std::move(file), layout}}, options);
}

}  // namespace kql::io
