// The JSON-lines morsel reader, compiled once per simdjson On-Demand implementation: the default build gives
// simdjson's portable "fallback" kernel, and cmake/simd_dispatch.cmake compiles this file again with AVX2 flags
// (KQL_JSON_VARIANT=json_haswell) for simdjson's haswell kernel. jsonl_source.cpp picks one at run time.
#include "io/jsonl_morsel_reader.h"

#include <simdjson.h>

#include <array>
#include <cstring>

#include "io/cell_conversion.h"
#include "io/chunk_builder.h"
#include "io/json_key_locator.h"
#include "io/line_reader.h"
#include "io/literal_prefilter.h"
#include "io/layer.h"

#define KQL_JSON_STRINGIFY_TEXT(name) #name
#define KQL_JSON_STRINGIFY(name) KQL_JSON_STRINGIFY_TEXT(name)

namespace kql::io {
namespace KQL_JSON_VARIANT {

namespace ondemand = simdjson::ondemand;

/// The simdjson implementation this copy was compiled for ("fallback", "haswell").
const char* JsonKernelName() { return KQL_JSON_STRINGIFY(SIMDJSON_BUILTIN_IMPLEMENTATION); }

static_assert(kLinePadding >= simdjson::SIMDJSON_PADDING, "lines must carry simdjson's padding");

namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
// Bytes of consecutive lines the prefilter searches in one call when it can (LiteralPrefilter::PrepareBlock): few
// enough that the block is still in a core's cache (L2) when its values are read and its lines handed out (a
// quarter of a MiB made the hunt's shared pass 7% faster on one thread than a whole MiB).
constexpr size_t kPrefilterBlockBytes = size_t{256} << 10;

/// Maps raw (still escaped) JSON keys to requested column indexes, bucketed by first byte.
class KeyMatcher {
 public:
  explicit KeyMatcher(const Schema& columns) {
    for (size_t index = 0; index < columns.size(); ++index) {
      const std::string& name = columns[index].name;
      if (name.empty()) continue;
      buckets_[static_cast<unsigned char>(name[0])].push_back({name, index});
    }
  }

  /// Returns the column index of the key whose raw text starts at `key` (after the opening quote), or -1.
  /// `limit` is the last readable byte position.
  int Match(const char* key, const char* limit) const {
    const auto& bucket = buckets_[static_cast<unsigned char>(key[0])];
    for (const auto& candidate : bucket) {
      size_t length = candidate.name.size();
      if (key + length >= limit) continue;
      if (std::memcmp(key, candidate.name.data(), length) == 0 && key[length] == '"') {
        return static_cast<int>(candidate.index);
      }
    }
    return -1;
  }

 private:
  struct Entry {
    std::string_view name;
    size_t index;
  };
  std::array<std::vector<Entry>, 256> buckets_;
};

/// Why a record or value was rejected.
struct Problem {
  const char* location = nullptr;  // Where in the input, when known.
  size_t column_index = 0;         // The requested column whose value did not convert.
  std::string text;                // The value's text.
  std::string detail;
};

/// Parses JSON records of one file into chunks.
class JsonRecordParser {
 public:
  JsonRecordParser(const ScanRequest& request, ChunkBuilder& builder, std::string category)
      : request_(request), builder_(builder), matcher_(request.columns), category_(std::move(category)) {}

  /// True when the last envelope parsed belongs to another category than the file's table (not a row of it).
  bool other_category() const { return other_category_; }

  /// Fills the builder's current row from `object`; returns a simdjson error for malformed input. Wrong-typed
  /// values are collected in problems() and leave their cell null.
  simdjson::error_code ParseObject(ondemand::object& object, bool envelope, const char* limit) {
    if (envelope) other_category_ = false;
    for (auto field_result : object) {
      ondemand::field field;
      if (auto error = std::move(field_result).get(field)) return error;
      const char* key = field.key().raw();
      if (envelope) {
        if (!category_.empty() && std::memcmp(key, "category\"", 9) == 0) {
          std::string_view category;
          if (field.value().get_string().get(category) == simdjson::SUCCESS && category != category_) {
            other_category_ = true;
          }
          continue;
        }
        if (std::memcmp(key, "properties\"", 11) != 0) continue;
        ondemand::object properties;
        if (auto error = field.value().get_object().get(properties)) {
          if (error == simdjson::INCORRECT_TYPE) continue;
          return error;
        }
        if (auto error = ParseObject(properties, false, limit)) return error;
        continue;
      }
      int column = matcher_.Match(key, limit);
      if (column < 0) continue;
      if (auto error = SetCell(field.value(), static_cast<size_t>(column))) return error;
    }
    return simdjson::SUCCESS;
  }

  /// Fills the builder's current row from a positional row (Log Analytics "rows"); `positions` maps each
  /// position to a requested column index or -1.
  simdjson::error_code ParseRow(ondemand::array& row, const std::vector<int>& positions) {
    size_t position = 0;
    for (auto value_result : row) {
      ondemand::value value;
      if (auto error = std::move(value_result).get(value)) return error;
      int column = position < positions.size() ? positions[position] : -1;
      ++position;
      if (column < 0) continue;
      if (auto error = SetCell(value, static_cast<size_t>(column))) return error;
    }
    return simdjson::SUCCESS;
  }

  std::vector<Problem>& problems() { return problems_; }

 private:
  simdjson::error_code SetCell(ondemand::value value, size_t column_index) {
    ColumnVector& column = builder_.column(column_index);
    size_t row = builder_.row();
    ondemand::json_type type;
    if (auto error = value.type().get(type)) return error;
    std::string_view text;
    switch (type) {
      case ondemand::json_type::null: return simdjson::SUCCESS;
      case ondemand::json_type::string: {
        const char* location = value.raw_json_token().data();
        if (auto error = value.get_string().get(text)) return error;
        if (column.type() == KqlType::kString) {
          column.SetString(row, text);
          return simdjson::SUCCESS;
        }
        if (column.type() == KqlType::kDynamic) {
          std::string_view trimmed = TrimAscii(text);
          Dynamic parsed;
          if (!trimmed.empty() && (trimmed[0] == '{' || trimmed[0] == '[')) parsed = ParseJson(trimmed);
          column.dynamics()[row] = parsed ? parsed : DynamicValue::MakeString(std::string(text));
          column.SetValid(row, !column.dynamics()[row]->IsNull());
          return simdjson::SUCCESS;
        }
        if (!SetCellFromText(column, row, text)) AddProblem(location, column_index, text);
        return simdjson::SUCCESS;
      }
      case ondemand::json_type::object:
      case ondemand::json_type::array: {
        const char* location = value.raw_json_token().data();
        if (type == ondemand::json_type::object) {
          ondemand::object nested;
          if (auto error = value.get_object().get(nested)) return error;
          if (auto error = nested.raw_json().get(text)) return error;
        } else {
          ondemand::array nested;
          if (auto error = value.get_array().get(nested)) return error;
          if (auto error = nested.raw_json().get(text)) return error;
        }
        text = TrimAscii(text);
        if (column.type() == KqlType::kString) {
          column.SetString(row, text);
        } else if (column.type() == KqlType::kDynamic) {
          std::string parse_error;
          Dynamic parsed = ParseJson(text, &parse_error);
          if (!parsed) {
            AddProblem(location, column_index, text, parse_error);
          } else if (!parsed->IsNull()) {
            column.dynamics()[row] = std::move(parsed);
            column.SetValid(row, true);
          }
        } else {
          AddProblem(location, column_index, text);
        }
        return simdjson::SUCCESS;
      }
      case ondemand::json_type::number:
      case ondemand::json_type::boolean: {
        text = TrimAscii(value.raw_json_token());
        if (!SetCellFromText(column, row, text)) AddProblem(text.data(), column_index, text);
        return simdjson::SUCCESS;
      }
    }
    return simdjson::SUCCESS;
  }

  void AddProblem(const char* location, size_t column_index, std::string_view text, std::string detail = {}) {
    constexpr size_t kMaxKept = 64;
    problems_.push_back({location, column_index, std::string(text.substr(0, kMaxKept + 1)), std::move(detail)});
  }

  const ScanRequest& request_;
  ChunkBuilder& builder_;
  KeyMatcher matcher_;
  std::vector<Problem> problems_;
  std::string category_;
  bool other_category_ = false;
};

/// Whether a side scan of this file reads its keys with JsonKeyLocator (flat records, no dynamic column: the parser
/// gives JSON text in those special treatment), and with which keys.
bool SideReadsKeys(const ScanRequest& request, const JsonFile& file, std::vector<std::string>* keys) {
  if (!request.side || file.layout != JsonLayout::kFlat) return false;
  for (const auto& column : request.side->columns()) {
    if (column.type == KqlType::kDynamic) return false;
    keys->push_back(column.name);
  }
  return true;
}

/// The exact strings the prefilter's block search should also locate for the side scan: its quoted keys.
std::vector<std::string> SideKeyMarkers(const ScanRequest& request, const JsonFile& file) {
  std::vector<std::string> keys;
  if (!SideReadsKeys(request, file, &keys)) return {};
  return JsonKeyLocator(std::move(keys)).QuotedKeys();
}

/// Scans one morsel of a JSON file.
class JsonMorselReader : public MorselReader {
 public:
  JsonMorselReader(const JsonFile& file, uint64_t begin, uint64_t end, const ScanRequest& request, ScanStats& stats,
                   const ReaderOptions& options, size_t morsel)
      : file_(file),
        request_(request),
        stats_(stats),
        builder_(request, stats, file.file),
        parser_(request, builder_, file.category),
        prefilter_(request.prefilter, LiteralPrefilter::Encoding::kJson, SideKeyMarkers(request, file),
                   file.layout == JsonLayout::kFlat ? request.prefilter_columns
                                                    : std::vector<std::vector<std::string>>{}),
        lines_(file.file, begin, end, options.block_size),
        morsel_(morsel) {
    // Each morsel maps the file as it is now (a long-lived engine reads a rewritten file anew); within one scan, a
    // file that changed between morsels would give a mix of two versions.
    if (const FileMap* map = lines_.file_map(); map && !stats.SameVersion(file.file.path, map->Version())) {
      stats.Fail(file.file.path + ": the file changed while it was read (another program rewrote or truncated it?)");
    }
    // Side scans are read from lines; the whole-document layouts leave them to a pass of their own.
    if (request.side && (file.layout == JsonLayout::kFlat || file.layout == JsonLayout::kEnvelope)) {
      side_ = std::make_unique<Side>(request, file);
    }
  }

  bool Next(DataChunk& out) override {
    if (done_) return false;
    if (file_.layout == JsonLayout::kRecords || file_.layout == JsonLayout::kDocument) return NextFromRecords(out);
    builder_.StartChunk();
    Line line;
    uint64_t prefiltered = 0;
    while (!builder_.full()) {
      if (!lines_.Next(line)) {
        Finish();
        break;
      }
      std::string_view text = TrimAscii(line.text);
      // A UTF-8 byte order mark (Windows tools write one) is not part of the first record.
      if (line.offset == 0 && text.substr(0, 3) == kByteOrderMark) text = TrimAscii(text.substr(3));
      if (text.empty()) continue;
      // Long literal lists are searched over a block of lines at once rather than line by line (the same search
      // locates the side scan's keys).
      if (!prefilter_.empty() && prefilter_.WantsBlock(text)) {
        std::string_view block = lines_.MappedFrom(text.data(), kPrefilterBlockBytes);
        prefilter_.PrepareBlock(block);
        // The block's search found its line ends: the lines after this one are split from them.
        lines_.UseNewlines(block, prefilter_.BlockNewlines());
      }
      if (side_ && !ParseSideLine(text, line)) {
        done_ = true;
        break;
      }
      if (!prefilter_.empty() && prefilter_.Rejects(text)) {
        ++prefiltered;
        continue;
      }
      if (!ParseLine(text, line, parser_, builder_)) {
        done_ = true;
        break;
      }
    }
    stats_.AddRowsPrefiltered(prefiltered);
    return builder_.Finish(out);
  }

  uint64_t BytesConsumed() const override { return document_bytes_ > 0 ? document_bytes_ : lines_.bytes_consumed(); }

 private:
  void Finish() {
    done_ = true;
    stats_.AddBytes(lines_.bytes_consumed());
    if (!lines_.error().empty()) {
      stats_.Fail(file_.file.path + ": " + lines_.error());
    } else if (side_) {
      DataChunk chunk;
      if (side_->builder.Finish(chunk)) side_->chunks.push_back(std::move(chunk));
      request_.side->AddMorsel(morsel_, std::move(side_->chunks));
    }
  }

  // Parses one line into the side scan's current row (every line, like a scan of the side columns alone);
  // returns false when the side rows cannot be completed.
  bool ParseSideLine(std::string_view text, const Line& line) {
    if (!ReadSideKeys(text) && !ParseLine(text, line, side_->parser, side_->builder)) return false;
    if (side_->builder.full()) {
      DataChunk chunk;
      if (side_->builder.Finish(chunk)) side_->chunks.push_back(std::move(chunk));
      side_->builder.StartChunk();
    }
    return true;
  }

  // Reads the side columns of a flat record without parsing it, when JsonKeyLocator can (the columns' keys are near
  // the record's start, once each, with plain string or null values that convert); returns true with the row
  // committed, or false with the row untouched (the record is then parsed in full, which gives the same cells).
  bool ReadSideKeys(std::string_view text) {
    if (!side_->locator) return false;
    if (prefilter_.MarkersIn(text, side_->markers)) {
      if (!side_->locator->LocateFound(text, side_->markers, side_->values)) return false;
    } else if (!side_->locator->Locate(text, side_->values)) {
      return false;
    }
    ChunkBuilder& builder = side_->builder;
    for (size_t index = 0; index < side_->values.size(); ++index) {
      const JsonKeyLocator::Value& value = side_->values[index];
      if (value.present && !SetCellFromText(builder.column(index), builder.row(), value.text)) {
        builder.ResetRow();  // A value that does not convert is reported by the full parse.
        return false;
      }
    }
    builder.CommitRow();
    return true;
  }

  // Parses one line into the current row of `builder`; returns false when the scan must stop.
  bool ParseLine(std::string_view text, const Line& line, JsonRecordParser& parser, ChunkBuilder& builder) {
    const char* limit = text.data() + text.size() + kLinePadding;
    ondemand::document document;
    simdjson::error_code error = parser_simd_.iterate(text.data(), text.size(), text.size() + kLinePadding).get(document);
    const bool iterated = !error;
    ondemand::object object;
    if (!error) error = document.get_object().get(object);
    if (!error) error = parser.ParseObject(object, file_.layout == JsonLayout::kEnvelope, limit);
    const char* trailing = nullptr;
    if (!error && document.current_location().get(trailing) == simdjson::SUCCESS) error = simdjson::TRAILING_CONTENT;
    uint64_t line_offset = line.offset + static_cast<uint64_t>(text.data() - line.text.data());
    if (error) {
      parser.problems().clear();
      builder.ResetRow();
      const char* location = nullptr;
      if (!iterated || document.current_location().get(location) != simdjson::SUCCESS || location < text.data() ||
          location > text.data() + text.size()) {
        location = text.data() + text.size();
      }
      std::string reason = std::string("Malformed JSON record: ") + simdjson::error_message(error);
      uint64_t column = static_cast<uint64_t>(location - line.text.data()) + 1;
      return builder.Report(line_offset, line.line_number, column, std::move(reason));
    }
    if (parser.other_category()) {  // Another table's record: not a row here, not a problem.
      parser.problems().clear();
      builder.ResetRow();
      return true;
    }
    builder.CommitRow();
    for (Problem& problem : parser.problems()) {
      uint64_t column = static_cast<uint64_t>(problem.location - line.text.data()) + 1;
      if (!builder.ReportBadValue(line_offset, line.line_number, column, problem.column_index, problem.text,
                                  std::move(problem.detail))) {
        return false;
      }
    }
    parser.problems().clear();
    return true;
  }

  // Reads the whole file as one or more {"records":[...]} documents (or one kDocument) on the first call, then
  // hands out chunks.
  bool NextFromRecords(DataChunk& out) {
    if (!records_loaded_) {
      records_loaded_ = true;
      LoadRecords();
    }
    if (next_pending_ >= pending_.size()) {
      done_ = true;
      return false;
    }
    out = std::move(pending_[next_pending_++]);
    return true;
  }

  void LoadRecords() {
    std::string error;
    auto content = ReadFilePrefix(file_.file, kMaxDocumentBytes + 1, &error);
    if (!content) {
      stats_.Fail(error);
      return;
    }
    if (content->size() > kMaxDocumentBytes) {
      stats_.Fail(file_.file.path + ": a single JSON document larger than " +
                  std::to_string(kMaxDocumentBytes >> 30) + " GiB (decompressed); export it as JSON lines instead");
      return;
    }
    stats_.AddBytes(content->size());
    document_bytes_ = content->size();
    // Keep the byte order mark out of the parser but count offsets from the file's start.
    size_t bom = content->substr(0, 3) == kByteOrderMark ? 3 : 0;
    if (bom) (*content)[0] = (*content)[1] = (*content)[2] = ' ';
    simdjson::padded_string padded(*content);
    content.reset();
    const char* base = padded.data();
    const char* limit = base + padded.size() + kLinePadding;
    if (file_.layout == JsonLayout::kDocument) {
      LoadDocument(padded, base, limit);
      FlushPending();
      return;
    }
    ondemand::document_stream stream;
    if (auto failure = parser_simd_.iterate_many(padded, padded.size()).get(stream)) {
      builder_.Report(0, 1, 1, std::string("Malformed JSON document: ") + simdjson::error_message(failure));
      return;
    }
    builder_.StartChunk();
    for (auto iterator = stream.begin(); iterator != stream.end(); ++iterator) {
      ondemand::document_reference document;
      ondemand::object root;
      const char* document_start = base + std::min<size_t>(iterator.current_index(), padded.size());
      simdjson::error_code failure = (*iterator).get(document);
      if (!failure) failure = document.get_object().get(root);
      ondemand::array records;
      if (!failure) failure = root.find_field_unordered("records").get_array().get(records);
      if (failure) {
        ReportAt(base, document_start, std::string("Malformed records document: ") + simdjson::error_message(failure));
        break;  // Keep the rows of the documents before it.
      }
      // The array cannot be resynchronised after a syntax error; the rows read so far are kept.
      if (LoadObjects(records, true, base, limit) != simdjson::SUCCESS) break;
    }
    FlushPending();
  }

  // Reads one kDocument: finds its rows and parses them.
  void LoadDocument(simdjson::padded_string& padded, const char* base, const char* limit) {
    ondemand::document document;
    simdjson::error_code failure = parser_simd_.iterate(padded).get(document);
    ondemand::json_type type{};
    if (!failure) failure = document.type().get(type);
    builder_.StartChunk();
    if (!failure && type == ondemand::json_type::array) {
      ondemand::array rows;
      failure = document.get_array().get(rows);
      if (!failure) failure = LoadObjects(rows, false, base, limit);
    } else if (!failure) {
      ondemand::object root;
      failure = document.get_object().get(root);
      bool found = false;
      // Iterating an object that failed to load is undefined in simdjson: only a loaded root is walked.
      if (!failure) {
        for (auto field_result : root) {
          if (failure) break;
          ondemand::field field;
          if ((failure = std::move(field_result).get(field))) break;
          std::string_view key;
          if ((failure = field.unescaped_key().get(key))) break;
          ondemand::array rows;
          if (key == "Results" || key == "results" || key == "records") {
            if ((failure = field.value().get_array().get(rows))) break;
            found = true;
            failure = LoadObjects(rows, key == "records", base, limit);
          } else if (key == "tables") {
            if ((failure = field.value().get_array().get(rows))) break;
            found = true;
            failure = LoadFirstTable(rows, base, limit);
            break;  // Further tables (and fields) are not rows of this table.
          }
        }
      }
      if (!failure && !found) {
        builder_.Report(0, 1, 1, "JSON document without rows: expected a Results, results, records or tables array");
        return;
      }
    }
    if (failure && failure != simdjson::UNINITIALIZED) {
      ReportAt(base, base, std::string("Malformed JSON document: ") + simdjson::error_message(failure) +
                               " (rows after the error were not read)");
    }
  }

  // Parses an array of row objects; UNINITIALIZED means "already reported".
  simdjson::error_code LoadObjects(ondemand::array& rows, bool envelope, const char* base, const char* limit) {
    for (auto row_result : rows) {
      ondemand::value row_value;
      ondemand::object row;
      simdjson::error_code failure = std::move(row_result).get(row_value);
      const char* row_start = nullptr;
      if (!failure) {
        row_start = row_value.raw_json_token().data();
        failure = row_value.get_object().get(row);
      }
      if (!failure) failure = parser_.ParseObject(row, envelope, limit);
      if (!CommitParsedRow(failure, base, row_start)) return simdjson::UNINITIALIZED;
    }
    return simdjson::SUCCESS;
  }

  // Parses the first table of a Log Analytics response: its "columns" name the positions of its "rows".
  simdjson::error_code LoadFirstTable(ondemand::array& tables, const char* base, const char* limit) {
    (void)limit;
    for (auto table_result : tables) {
      ondemand::object table;
      if (auto failure = std::move(table_result).get_object().get(table)) return failure;
      std::vector<int> positions;
      bool have_columns = false;
      for (auto field_result : table) {
        ondemand::field field;
        if (auto failure = std::move(field_result).get(field)) return failure;
        std::string_view key;
        if (auto failure = field.unescaped_key().get(key)) return failure;
        if (key == "columns") {
          ondemand::array columns;
          if (auto failure = field.value().get_array().get(columns)) return failure;
          for (auto column_result : columns) {
            ondemand::object column;
            if (auto failure = std::move(column_result).get_object().get(column)) return failure;
            std::string_view name;
            if (auto failure = column.find_field_unordered("name").get_string().get(name)) return failure;
            int index = -1;
            for (size_t requested = 0; requested < request_.columns.size(); ++requested) {
              if (request_.columns[requested].name == name) index = static_cast<int>(requested);
            }
            positions.push_back(index);
          }
          have_columns = true;
        } else if (key == "rows") {
          if (!have_columns) {
            builder_.Report(0, 1, 1, "Log Analytics table: \"rows\" come before \"columns\"; no rows were read");
            return simdjson::UNINITIALIZED;
          }
          ondemand::array rows;
          if (auto failure = field.value().get_array().get(rows)) return failure;
          for (auto row_result : rows) {
            ondemand::value row_value;
            ondemand::array row;
            simdjson::error_code failure = std::move(row_result).get(row_value);
            const char* row_start = nullptr;
            if (!failure) {
              row_start = row_value.raw_json_token().data();
              failure = row_value.get_array().get(row);
            }
            if (!failure) failure = parser_.ParseRow(row, positions);
            if (!CommitParsedRow(failure, base, row_start)) return simdjson::UNINITIALIZED;
          }
        }
      }
      return simdjson::SUCCESS;  // Only the first (primary) table.
    }
    return simdjson::SUCCESS;
  }

  // Commits (or, after a syntax error, drops and reports) the row just parsed; false when reading must stop.
  bool CommitParsedRow(simdjson::error_code failure, const char* base, const char* row_start) {
    if (!failure && parser_.other_category()) {  // Another table's record: not a row here, not a problem.
      parser_.problems().clear();
      builder_.ResetRow();
      return true;
    }
    if (failure) {
      builder_.ResetRow();
      parser_.problems().clear();
      ReportAt(base, row_start ? row_start : base,
               std::string("Malformed JSON record: ") + simdjson::error_message(failure) +
                   " (rows after it were not read)");
      return false;
    }
    builder_.CommitRow();
    for (Problem& problem : parser_.problems()) {
      if (!ReportAt(base, problem.location, {}, &problem)) {
        parser_.problems().clear();
        return false;
      }
    }
    parser_.problems().clear();
    if (builder_.full()) FlushPending();
    return true;
  }

  void FlushPending() {
    DataChunk chunk;
    if (builder_.Finish(chunk)) pending_.push_back(std::move(chunk));
    builder_.StartChunk();
  }

  // Reports at a position of an in-memory file, computing its line and column.
  bool ReportAt(const char* base, const char* location, std::string reason, Problem* problem = nullptr) {
    auto offset = static_cast<uint64_t>(location - base);
    // Reports come in file order, so count newlines from the previous report on (linear over the document).
    if (report_base_ != base || location < report_cursor_) {
      report_base_ = base;
      report_cursor_ = base;
      report_line_ = 1;
      report_line_start_ = base;
    }
    for (const char* cursor = report_cursor_; cursor < location; ++cursor) {
      if (*cursor == '\n') {
        ++report_line_;
        report_line_start_ = cursor + 1;
      }
    }
    report_cursor_ = location;
    auto column = static_cast<uint64_t>(location - report_line_start_) + 1;
    if (problem) {
      return builder_.ReportBadValue(offset, report_line_, column, problem->column_index, problem->text,
                                     std::move(problem->detail));
    }
    return builder_.Report(offset, report_line_, column, std::move(reason));
  }


  // The side scan's own request, rows and problems (ScanRequest::side).
  struct Side {
    Side(const ScanRequest& main, const JsonFile& file)
        : request{main.side->columns(), {}, {}, main.chunk_size, nullptr},
          builder(request, main.side->stats(), file.file),
          parser(request, builder, file.category) {
      builder.StartChunk();
      // Flat records can have their side columns read without a parse.
      std::vector<std::string> keys;
      if (SideReadsKeys(main, file, &keys)) locator = std::make_unique<JsonKeyLocator>(std::move(keys));
    }
    ScanRequest request;
    ChunkBuilder builder;
    JsonRecordParser parser;
    std::unique_ptr<JsonKeyLocator> locator;  // Null when every record is parsed.
    std::vector<JsonKeyLocator::Value> values;
    std::vector<JsonKeyLocator::KeyAt> markers;  // The keys' occurrences the block search found.
    std::vector<DataChunk> chunks;
  };

  const JsonFile& file_;
  const ScanRequest& request_;
  ScanStats& stats_;
  ChunkBuilder builder_;
  JsonRecordParser parser_;
  LiteralPrefilter prefilter_;
  LineReader lines_;
  uint64_t document_bytes_ = 0;  ///< kRecords, kDocument: the bytes of the document read.
  size_t morsel_;
  std::unique_ptr<Side> side_;
  ondemand::parser parser_simd_;
  bool done_ = false;
  bool records_loaded_ = false;
  std::vector<DataChunk> pending_;
  size_t next_pending_ = 0;
  const char* report_base_ = nullptr;
  const char* report_cursor_ = nullptr;
  const char* report_line_start_ = nullptr;
  uint64_t report_line_ = 1;
};

}  // namespace

std::unique_ptr<MorselReader> MakeJsonMorselReader(const JsonFile& file, uint64_t begin, uint64_t end,
                                                   const ScanRequest& request, ScanStats& stats,
                                                   const ReaderOptions& options, size_t morsel) {
  return std::make_unique<JsonMorselReader>(file, begin, end, request, stats, options, morsel);
}

}  // namespace KQL_JSON_VARIANT
}  // namespace kql::io
