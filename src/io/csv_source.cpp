#include "io/csv_source.h"

#include <algorithm>

#include "io/cell_conversion.h"
#include "io/chunk_builder.h"
#include "io/line_reader.h"
#include "io/literal_prefilter.h"

namespace kql {

void SplitCsvRecord(std::string_view record, std::vector<CsvField>& fields, std::string& scratch) {
  fields.clear();
  scratch.clear();
  // Reserve so views into scratch stay valid while it grows.
  scratch.reserve(record.size());
  size_t position = 0;
  while (true) {
    CsvField field;
    field.position = position;
    if (position < record.size() && record[position] == '"') {
      size_t start = scratch.size();
      ++position;
      while (position < record.size()) {
        char c = record[position];
        if (c == '"') {
          if (position + 1 < record.size() && record[position + 1] == '"') {
            scratch.push_back('"');
            position += 2;
            continue;
          }
          ++position;
          break;
        }
        scratch.push_back(c);
        ++position;
      }
      // Tolerate text between the closing quote and the comma by keeping it.
      while (position < record.size() && record[position] != ',') scratch.push_back(record[position++]);
      field.text = std::string_view(scratch.data() + start, scratch.size() - start);
    } else {
      size_t comma = record.find(',', position);
      size_t end = comma == std::string_view::npos ? record.size() : comma;
      field.text = record.substr(position, end - position);
      position = end;
    }
    fields.push_back(field);
    if (position >= record.size()) break;
    ++position;  // The comma.
    if (position == record.size()) {
      fields.push_back({std::string_view(), position});
      break;
    }
  }
}

std::string NormalizeCsvHeader(std::string_view header) {
  if (header.substr(0, 3) == "\xEF\xBB\xBF") header.remove_prefix(3);
  header = TrimAscii(header);
  if (!header.empty() && header.back() == ']') {
    size_t open = header.rfind(" [");
    if (open != std::string_view::npos && open > 0) header = TrimAscii(header.substr(0, open));
  }
  return std::string(header);
}

bool CsvRecordIsOpen(std::string_view record) {
  return std::count(record.begin(), record.end(), '"') % 2 == 1;
}

namespace {

/// Scans one CSV file.
class CsvMorselReader : public MorselReader {
 public:
  CsvMorselReader(const SourceFile& file, const ScanRequest& request, ScanStats& stats, const ReaderOptions& options)
      : file_(file),
        request_(request),
        stats_(stats),
        builder_(request, stats, file),
        prefilter_(request.prefilter, LiteralPrefilter::Encoding::kCsv),
        lines_(file, 0, UINT64_MAX, options.block_size) {}

  bool Next(DataChunk& out) override {
    if (done_) return false;
    if (!header_read_ && !ReadHeader()) {
      Finish();
      return false;
    }
    builder_.StartChunk();
    uint64_t prefiltered = 0;
    while (!builder_.full()) {
      uint64_t line_number = 0;
      uint64_t offset = 0;
      if (!ReadRecord(&line_number, &offset)) {
        Finish();
        break;
      }
      std::string_view record = record_;
      if (TrimAscii(record).empty()) continue;
      if (!prefilter_.empty() && !prefilter_.MayMatch(record)) {
        ++prefiltered;
        continue;
      }
      if (!ParseRecord(record, line_number, offset)) {
        done_ = true;
        break;
      }
    }
    stats_.AddRowsPrefiltered(prefiltered);
    return builder_.Finish(out);
  }

 private:
  void Finish() {
    done_ = true;
    stats_.AddBytes(lines_.bytes_consumed());
    if (!lines_.error().empty()) stats_.Fail(file_.path + ": " + lines_.error());
  }

  // Reads one record (possibly several lines) into record_.
  bool ReadRecord(uint64_t* line_number, uint64_t* offset) {
    Line line;
    if (!lines_.Next(line)) return false;
    record_.assign(line.text);
    *line_number = line.line_number;
    *offset = line.offset;
    while (CsvRecordIsOpen(record_)) {
      if (!lines_.Next(line)) break;
      record_.push_back('\n');
      record_.append(line.text);
    }
    return true;
  }

  bool ReadHeader() {
    header_read_ = true;
    uint64_t line_number = 0;
    uint64_t offset = 0;
    do {
      if (!ReadRecord(&line_number, &offset)) return false;
    } while (TrimAscii(record_).empty());
    SplitCsvRecord(record_, fields_, scratch_);
    header_count_ = fields_.size();
    field_to_column_.assign(fields_.size(), -1);
    for (size_t field_index = 0; field_index < fields_.size(); ++field_index) {
      std::string name = NormalizeCsvHeader(fields_[field_index].text);
      for (size_t column = 0; column < request_.columns.size(); ++column) {
        if (request_.columns[column].name == name) field_to_column_[field_index] = static_cast<int>(column);
      }
    }
    return true;
  }

  bool ParseRecord(std::string_view record, uint64_t line_number, uint64_t offset) {
    SplitCsvRecord(record, fields_, scratch_);
    size_t count = std::min(fields_.size(), field_to_column_.size());
    std::vector<std::pair<uint64_t, std::string>> problems;
    for (size_t field_index = 0; field_index < count; ++field_index) {
      int column_index = field_to_column_[field_index];
      if (column_index < 0) continue;
      std::string_view text = fields_[field_index].text;
      if (text.empty()) continue;
      ColumnVector& column = builder_.column(static_cast<size_t>(column_index));
      if (!SetCellFromText(column, builder_.row(), text)) {
        std::string shown(text.substr(0, 40));
        if (text.size() > 40) shown += "...";
        const ColumnDef& def = request_.columns[static_cast<size_t>(column_index)];
        problems.emplace_back(fields_[field_index].position + 1, "Cannot convert value to " +
                                                                     std::string(TypeName(def.type)) + " in column " +
                                                                     def.name + ": " + shown);
      }
    }
    if (fields_.size() != header_count_) {
      problems.emplace_back(1, "Record has " + std::to_string(fields_.size()) + " fields; the header has " +
                                   std::to_string(header_count_));
    }
    builder_.CommitRow();
    for (auto& [column, reason] : problems) {
      if (!builder_.Report(offset, line_number, column, std::move(reason))) return false;
    }
    return true;
  }

  const SourceFile& file_;
  const ScanRequest& request_;
  ScanStats& stats_;
  ChunkBuilder builder_;
  LiteralPrefilter prefilter_;
  LineReader lines_;
  std::string record_;
  std::vector<CsvField> fields_;
  std::string scratch_;
  std::vector<int> field_to_column_;
  size_t header_count_ = 0;
  bool header_read_ = false;
  bool done_ = false;
};

}  // namespace

CsvSource::CsvSource(std::string name, Schema schema, std::vector<SourceFile> files, ReaderOptions options)
    : name_(std::move(name)), schema_(std::move(schema)), files_(std::move(files)), options_(options) {}

std::unique_ptr<MorselReader> CsvSource::OpenMorsel(size_t morsel, const ScanRequest& request,
                                                    ScanStats& stats) const {
  return std::make_unique<CsvMorselReader>(files_[morsel], request, stats, options_);
}

void CsvSource::ResolveLines(std::vector<SkippedRecord>& records) const { ResolveLineNumbers(files_, records); }

}  // namespace kql
