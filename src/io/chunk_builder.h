// ChunkBuilder: the row-at-a-time output side of the file readers — fills the requested columns of a chunk in
// place and reports bad records (skipped or with unconvertible values) to ScanStats. It does not parse.
#pragma once
#include <cstdint>
#include <string>

#include "io/file_format.h"
#include "vector/data_chunk.h"
#include "vector/table_source.h"
#include "io/layer.h"

namespace kql::io {

/// Builds dense chunks of the requested columns for one file.
class ChunkBuilder {
 public:
  ChunkBuilder(const ScanRequest& request, ScanStats& stats, const SourceFile& file);

  /// Starts an empty chunk sized for request.chunk_size rows (all null / "").
  void StartChunk();
  /// The row being filled.
  size_t row() const { return rows_; }
  /// True when the chunk holds chunk_size rows.
  bool full() const { return rows_ >= capacity_; }
  /// True when nothing has been committed to the current chunk.
  bool empty() const { return rows_ == 0; }
  /// The requested column at `index` of the chunk being built.
  ColumnVector& column(size_t index) { return chunk_.columns[index]; }
  /// Keeps the current row. The columns always have room for the row being filled (until the chunk is full).
  void CommitRow() {
    ++rows_;
    if (rows_ == allocated_ && rows_ < capacity_) Grow();
  }
  /// Clears what a failed record wrote into the current row.
  void ResetRow();
  /// Moves the built rows into `out`; returns false when there are none.
  bool Finish(DataChunk& out);

  /// Reports a bad record or value at a byte offset of the file (line 0 = unknown yet, col 1-based or 0).
  /// Returns false when the scan must stop (strict mode: the scan is failed with file:line:col).
  bool Report(uint64_t offset, uint64_t line, uint64_t col, std::string reason);
  /// Reports a value of requested column `column_index` that did not convert (its cell stays null, the row is kept).
  bool ReportBadValue(uint64_t offset, uint64_t line, uint64_t col, size_t column_index, std::string_view text,
                      std::string detail = {});
  /// True after a strict-mode failure.
  bool stopped() const { return stopped_; }

 private:
  bool Report(SkippedRecord record);
  // Doubles the rows the chunk's columns hold (up to capacity_).
  void Grow();
  // The rows a chunk's columns hold at first (unless the last chunk came out larger).
  static constexpr size_t kFirstRows = 64;

  const ScanRequest& request_;
  ScanStats& stats_;
  const SourceFile& file_;
  DataChunk chunk_;
  size_t rows_ = 0;
  size_t capacity_ = 0;
  size_t allocated_ = 0;  // Rows the chunk's columns hold now.
  size_t last_rows_ = 0;  // Rows of the chunk finished last.
  bool stopped_ = false;
};

}  // namespace kql::io
