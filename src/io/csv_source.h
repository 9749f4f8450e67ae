// CsvSource: a TableSource over RFC 4180 CSV files of one table (header row, quoted fields with doubled quotes
// and embedded newlines, CRLF). Each file is one morsel because quoted newlines make byte splitting unsafe.
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "io/file_format.h"
#include "io/jsonl_source.h"
#include "vector/table_source.h"

namespace kql {

/// A table read from CSV files with header rows.
class CsvSource : public TableSource {
 public:
  CsvSource(std::string name, Schema schema, std::vector<SourceFile> files, ReaderOptions options = {});

  const std::string& name() const override { return name_; }
  const Schema& schema() const override { return schema_; }
  size_t MorselCount() const override { return files_.size(); }
  std::unique_ptr<MorselReader> OpenMorsel(size_t morsel, const ScanRequest& request,
                                           ScanStats& stats) const override;
  void ResolveLines(std::vector<SkippedRecord>& records) const override;

 private:
  std::string name_;
  Schema schema_;
  std::vector<SourceFile> files_;
  ReaderOptions options_;
};

/// One CSV field: its text (unquoted, doubled quotes undone) and its byte position in the raw record.
struct CsvField {
  std::string_view text;
  size_t position = 0;
};

/// Splits one raw CSV record (which may contain quoted newlines) into fields; `scratch` owns unescaped text.
void SplitCsvRecord(std::string_view record, std::vector<CsvField>& fields, std::string& scratch);

/// Normalises a header cell: strips a UTF-8 BOM, surrounding spaces and a portal suffix such as " [UTC]".
std::string NormalizeCsvHeader(std::string_view header);

/// True when a raw record so far has an odd number of quotes, i.e. a quoted field continues on the next line.
bool CsvRecordIsOpen(std::string_view record);

}  // namespace kql
