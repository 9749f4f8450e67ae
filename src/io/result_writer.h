// Result writers: print a materialised Table as an aligned text table, CSV (RFC 4180 quoting; rows end in LF, as
// Unix tools expect), JSON lines, or one JSON document with typed columns; the last three also take rows as a query
// makes them (StreamingResultWriter, a ResultStream), byte for byte as from a Table. They write to an std::ostream
// and never reorder rows.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "vector/result_stream.h"
#include "vector/table.h"
#include "io/layer.h"

namespace kql::io {

/// The output formats of query results.
enum class ResultFormat { kTable, kCsv, kJsonLines, kJson };

/// Parses "table", "csv", "jsonl", "json".
std::optional<ResultFormat> ParseResultFormat(std::string_view name);

/// How the `table` format fits a terminal (the other formats ignore these).
struct ResultWriteOptions {
  size_t max_width = 0;         ///< Display columns a line may take; wider cells are cut with "…". 0 = unlimited.
  size_t max_rows = 0;          ///< Rows printed; the rest are counted in the footer. 0 = all.
  bool row_count_footer = false;  ///< Print "(N rows)" after the table (always printed when rows were left out).
};

/// Writes `table` in `format`; the `table` format fits `options`.
void WriteResult(const Table& table, ResultFormat format, std::ostream& out, const ResultWriteOptions& options);

/// Writes `table` in `format`. JSON values: numbers for int/long/real (NaN and infinities as strings), ISO UTC
/// strings for datetime, "[-][d.]hh:mm:ss[.fffffff]" for timespan, raw JSON for dynamic, null for null.
void WriteResult(const Table& table, ResultFormat format, std::ostream& out);

/// True for the formats written as rows come (csv, jsonl, json); the table format sizes its columns over every row.
bool FormatStreams(ResultFormat format);

/// Writes a streamed result in a format for which FormatStreams() holds. The head (CSV header, JSON columns) waits
/// for the first rows or Finish(), so a query that fails before any row leaves no output at all.
class StreamingResultWriter : public ResultStream {
 public:
  StreamingResultWriter(ResultFormat format, std::ostream& out);
  void Begin(const Schema& schema) override;
  /// Writes the chunk's active rows; false once the stream failed (disk full, closed pipe).
  bool Write(const DataChunk& chunk) override;
  /// Writes what a complete result ends with (the head when no row came) and flushes; false when writing failed.
  bool Finish();
  uint64_t rows_written() const { return rows_written_; }
  /// True once anything was written (the head or a row).
  bool wrote_anything() const { return head_written_; }

 private:
  void WriteHead();

  ResultFormat format_;
  std::ostream& out_;
  Schema schema_;
  std::vector<std::string> json_keys_;
  bool head_written_ = false;
  uint64_t rows_written_ = 0;
};

}  // namespace kql::io
