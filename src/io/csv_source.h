// CsvSource: a TableSource over RFC 4180 CSV (or tab-separated) files of one table (header row, quoted fields with
// doubled quotes and embedded newlines, CRLF). Each file is one morsel because quoted newlines make byte splitting
// unsafe. Quoting is lenient like Python's csv module: a quote opens a quoted field only at the start of a field.
#pragma once
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "io/file_format.h"
#include "io/jsonl_source.h"
#include "io/line_reader.h"
#include "vector/table_source.h"
#include "io/layer.h"

namespace kql::io {

/// A table read from CSV files with header rows.
class CsvSource : public TableSource {
 public:
  CsvSource(std::string name, Schema schema, std::vector<SourceFile> files, ReaderOptions options = {},
            char delimiter = ',');

  const std::string& name() const override { return name_; }
  const Schema& schema() const override { return schema_; }
  size_t MorselCount() const override { return files_.size(); }
  std::unique_ptr<MorselReader> OpenMorsel(size_t morsel, const ScanRequest& request,
                                           ScanStats& stats) const override;
  uint64_t MorselBytes(size_t morsel) const override;
  void ResolveLines(std::vector<SkippedRecord>& records) const override;

 private:
  std::string name_;
  Schema schema_;
  std::vector<SourceFile> files_;
  ReaderOptions options_;
  char delimiter_ = ',';
};

/// One CSV field: its text (unquoted, doubled quotes undone) and its byte position in the raw record.
struct CsvField {
  std::string_view text;
  size_t position = 0;
};

/// Splits one raw CSV record (which may contain quoted newlines) into fields; `scratch` owns unescaped text.
/// A quote that does not start a field is literal text.
void SplitCsvRecord(std::string_view record, std::vector<CsvField>& fields, std::string& scratch,
                    char delimiter = ',');

/// Normalises a header cell: strips a UTF-8 BOM, surrounding spaces and a portal suffix such as " [UTC]".
std::string NormalizeCsvHeader(std::string_view header);

/// One raw CSV record: one line, or several when a quoted field holds newlines.
struct CsvRecord {
  std::string_view text;     ///< Valid until the next call to Next().
  uint64_t line_number = 0;  ///< 1-based line of the record's first line.
  uint64_t offset = 0;       ///< Byte offset of the record in the (decompressed) file.
  /// True when the record began an unterminated quoted field: it was cut back to its first line (the field runs
  /// to the end of that line) and reading went on with the next line, so no later row is lost.
  bool unterminated_quote = false;
};

/// Assembles CSV records from a file's lines, tracking the quote state line by line (linear in the input). A quoted
/// field still open at the end of the file (or after kMaxOpenRecordBytes), or a multi-line record that does not look
/// like one (see set_expected_fields), is taken back as described above.
class CsvRecordReader {
 public:
  /// `allow_map` as LineReader's (readers of a few records pass false: mapping populates the whole file).
  CsvRecordReader(const SourceFile& file, size_t block_size, char delimiter, bool allow_map = true);
  /// Produces the next record (blank lines included). Returns false at the end of the file or on a read error.
  bool Next(CsvRecord& record);
  /// Empty unless the file could not be read.
  const std::string& error() const { return lines_.error(); }
  /// Bytes consumed from the file so far.
  uint64_t bytes_consumed() const { return lines_.bytes_consumed(); }
  /// The header's field count: a multi-line record with another count, or whose quoted field closes before
  /// something other than a delimiter, is taken back like an unterminated quote (0: no check).
  void set_expected_fields(size_t count) { expected_fields_ = count; }

  /// A quoted field longer than this is treated as unterminated.
  static constexpr size_t kMaxOpenRecordBytes = 256u << 20;

 private:
  struct PendingLine {
    std::string text;
    uint64_t line_number = 0;
    uint64_t offset = 0;
  };
  struct LineStart {
    size_t start = 0;  // In record_.
    uint64_t line_number = 0;
    uint64_t offset = 0;
  };
  bool NextLine(std::string_view& text, uint64_t& line_number, uint64_t& offset);
  // Advances the quote state over one line; returns true when a quoted field is still open at its end. Sets
  // *bad_close when a quoted field closes before something other than a delimiter (not RFC 4180), and counts
  // delimiters outside quotes into *delimiters.
  bool ScanQuotes(std::string_view line, bool open, bool* bad_close, size_t* delimiters) const;
  // Cuts a multi-line record back to its first line and queues the later lines to be read again.
  void TakeBack();

  LineReader lines_;
  char delimiter_;
  size_t expected_fields_ = 0;
  std::deque<PendingLine> pending_;  // Lines read again after an unterminated quote.
  PendingLine current_;              // Keeps a pending line alive while it is the record.
  std::string record_;
  std::vector<LineStart> later_lines_;  // The second and later lines of a multi-line record (for taking it back).
};

}  // namespace kql::io
