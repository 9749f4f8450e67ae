#include "io/csv_source.h"

#include <algorithm>

#include "io/cell_conversion.h"
#include "io/chunk_builder.h"
#include "io/line_reader.h"
#include "io/literal_prefilter.h"
#include "io/layer.h"

namespace kql::io {

void SplitCsvRecord(std::string_view record, std::vector<CsvField>& fields, std::string& scratch, char delimiter) {
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
      // Tolerate text between the closing quote and the delimiter by keeping it.
      while (position < record.size() && record[position] != delimiter) scratch.push_back(record[position++]);
      field.text = std::string_view(scratch.data() + start, scratch.size() - start);
    } else {
      size_t comma = record.find(delimiter, position);
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

CsvRecordReader::CsvRecordReader(const SourceFile& file, size_t block_size, char delimiter, bool allow_map)
    : lines_(file, 0, UINT64_MAX, block_size, allow_map), delimiter_(delimiter) {}

bool CsvRecordReader::NextLine(std::string_view& text, uint64_t& line_number, uint64_t& offset) {
  if (!pending_.empty()) {
    current_ = std::move(pending_.front());
    pending_.pop_front();
    text = current_.text;
    line_number = current_.line_number;
    offset = current_.offset;
    return true;
  }
  Line line;
  if (!lines_.Next(line)) return false;
  text = line.text;
  // A UTF-8 byte order mark is not part of the first header cell (it would hide a quote that starts the cell).
  if (line.offset == 0 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  line_number = line.line_number;
  offset = line.offset;
  return true;
}

bool CsvRecordReader::ScanQuotes(std::string_view line, bool open, bool* bad_close, size_t* delimiters) const {
  if (!open && line.find('"') == std::string_view::npos) {
    *delimiters += static_cast<size_t>(std::count(line.begin(), line.end(), delimiter_));
    return false;
  }
  bool field_start = !open;
  for (size_t index = 0; index < line.size(); ++index) {
    char c = line[index];
    if (open) {
      if (c == '"') {
        if (index + 1 < line.size() && line[index + 1] == '"') {
          ++index;
        } else {
          open = false;
          if (index + 1 < line.size() && line[index + 1] != delimiter_) *bad_close = true;
        }
      }
      continue;
    }
    if (c == delimiter_) {
      ++*delimiters;
      field_start = true;
      continue;
    }
    if (c == '"' && field_start) open = true;
    field_start = false;
  }
  return open;
}

void CsvRecordReader::TakeBack() {
  for (size_t index = later_lines_.size(); index-- > 0;) {
    size_t begin = later_lines_[index].start;
    size_t end = index + 1 < later_lines_.size() ? later_lines_[index + 1].start - 1 : record_.size();
    pending_.push_front({record_.substr(begin, end - begin), later_lines_[index].line_number,
                         later_lines_[index].offset});
  }
  if (!later_lines_.empty()) record_.resize(later_lines_.front().start - 1);
  later_lines_.clear();
}

bool CsvRecordReader::Next(CsvRecord& record) {
  std::string_view text;
  uint64_t line_number = 0;
  uint64_t offset = 0;
  if (!NextLine(text, line_number, offset)) return false;
  record = CsvRecord{text, line_number, offset, false};
  bool bad_close = false;
  size_t delimiters = 0;
  if (!ScanQuotes(text, false, &bad_close, &delimiters)) return true;
  record_.assign(text);
  later_lines_.clear();
  bool open = true;
  while (open) {
    if (record_.size() > kMaxOpenRecordBytes || !NextLine(text, line_number, offset)) {
      if (!lines_.error().empty()) break;
      // An unterminated quote: keep the first line as the record and read the later lines again.
      TakeBack();
      record.unterminated_quote = true;
      break;
    }
    later_lines_.push_back({record_.size() + 1, line_number, offset});
    record_.push_back('\n');
    record_.append(text);
    open = ScanQuotes(text, true, &bad_close, &delimiters);
  }
  // A quote that closes before other text, or a field count unlike the header's, means the quote that opened
  // this record was never meant to span lines: take it back too.
  if (!record.unterminated_quote && !later_lines_.empty() &&
      (bad_close || (expected_fields_ > 0 && delimiters + 1 != expected_fields_))) {
    TakeBack();
    record.unterminated_quote = true;
  }
  record.text = record_;
  return true;
}

namespace {

/// Scans one CSV file.
class CsvMorselReader : public MorselReader {
 public:
  CsvMorselReader(const SourceFile& file, const ScanRequest& request, ScanStats& stats, const ReaderOptions& options,
                  char delimiter)
      : file_(file),
        request_(request),
        stats_(stats),
        builder_(request, stats, file),
        prefilter_(request.prefilter, LiteralPrefilter::Encoding::kCsv),
        records_(file, options.block_size, delimiter),
        delimiter_(delimiter) {}

  bool Next(DataChunk& out) override {
    if (done_) return false;
    if (!header_read_ && !ReadHeader()) {
      Finish();
      return false;
    }
    builder_.StartChunk();
    uint64_t prefiltered = 0;
    while (!builder_.full()) {
      CsvRecord record;
      if (!ReadRecord(record)) {
        Finish();
        break;
      }
      if (TrimAscii(record.text).empty()) continue;
      if (!prefilter_.empty() && !prefilter_.MayMatch(record.text) && !record.unterminated_quote) {
        ++prefiltered;
        continue;
      }
      if (!ParseRecord(record)) {
        done_ = true;
        break;
      }
    }
    stats_.AddRowsPrefiltered(prefiltered);
    return builder_.Finish(out);
  }

  uint64_t BytesConsumed() const override { return records_.bytes_consumed(); }

 private:
  void Finish() {
    done_ = true;
    stats_.AddBytes(records_.bytes_consumed());
    if (!records_.error().empty()) stats_.Fail(file_.path + ": " + records_.error());
  }

  // Reads one record (possibly several lines).
  bool ReadRecord(CsvRecord& record) { return records_.Next(record); }

  bool ReadHeader() {
    header_read_ = true;
    CsvRecord record;
    do {
      if (!ReadRecord(record)) return false;
    } while (TrimAscii(record.text).empty());
    SplitCsvRecord(record.text, fields_, scratch_, delimiter_);
    header_count_ = fields_.size();
    records_.set_expected_fields(header_count_);
    field_to_column_.assign(fields_.size(), -1);
    for (size_t field_index = 0; field_index < fields_.size(); ++field_index) {
      std::string name = NormalizeCsvHeader(fields_[field_index].text);
      for (size_t column = 0; column < request_.columns.size(); ++column) {
        if (request_.columns[column].name == name) field_to_column_[field_index] = static_cast<int>(column);
      }
    }
    return true;
  }

  bool ParseRecord(const CsvRecord& record) {
    uint64_t line_number = record.line_number;
    uint64_t offset = record.offset;
    SplitCsvRecord(record.text, fields_, scratch_, delimiter_);
    size_t count = std::min(fields_.size(), field_to_column_.size());
    std::vector<std::pair<uint64_t, std::string>> problems;
    bad_values_.clear();
    for (size_t field_index = 0; field_index < count; ++field_index) {
      int column_index = field_to_column_[field_index];
      if (column_index < 0) continue;
      std::string_view text = fields_[field_index].text;
      if (text.empty()) continue;
      ColumnVector& column = builder_.column(static_cast<size_t>(column_index));
      if (!SetCellFromText(column, builder_.row(), text)) {
        bad_values_.push_back({fields_[field_index].position + 1, static_cast<size_t>(column_index), text});
      }
    }
    if (record.unterminated_quote) {
      problems.emplace_back(1, "Unterminated quoted field: read to the end of this line, and the next line as the "
                               "next record");
    }
    if (fields_.size() != header_count_) {
      problems.emplace_back(1, "Record has " + std::to_string(fields_.size()) + " fields; the header has " +
                                   std::to_string(header_count_));
    }
    builder_.CommitRow();
    for (const BadValue& bad : bad_values_) {
      if (!builder_.ReportBadValue(offset, line_number, bad.position, bad.column_index, bad.text)) return false;
    }
    bad_values_.clear();
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
  CsvRecordReader records_;
  char delimiter_;
  std::vector<CsvField> fields_;
  std::string scratch_;
  std::vector<int> field_to_column_;
  struct BadValue {
    uint64_t position = 0;
    size_t column_index = 0;
    std::string_view text;  // Into the record or scratch_, valid until the next record.
  };
  std::vector<BadValue> bad_values_;
  size_t header_count_ = 0;
  bool header_read_ = false;
  bool done_ = false;
};

}  // namespace

CsvSource::CsvSource(std::string name, Schema schema, std::vector<SourceFile> files, ReaderOptions options,
                     char delimiter)
    : name_(std::move(name)),
      schema_(std::move(schema)),
      files_(std::move(files)),
      options_(options),
      delimiter_(delimiter) {}

std::unique_ptr<MorselReader> CsvSource::OpenMorsel(size_t morsel, const ScanRequest& request,
                                                    ScanStats& stats) const {
  return std::make_unique<CsvMorselReader>(files_[morsel], request, stats, options_, delimiter_);
}

uint64_t CsvSource::MorselBytes(size_t morsel) const {
  const SourceFile& file = files_[morsel];
  if (file.compression != Compression::kNone) return 0;  // Read decompressed: size unknown.
  return file.text ? file.text->size() : file.size;
}

void CsvSource::ResolveLines(std::vector<SkippedRecord>& records) const { ResolveLineNumbers(files_, records); }

}  // namespace kql::io
