#include "io/chunk_builder.h"

#include <algorithm>
#include <vector>

#include "io/line_reader.h"
#include "io/layer.h"

namespace kql::io {

ChunkBuilder::ChunkBuilder(const ScanRequest& request, ScanStats& stats, const SourceFile& file)
    : request_(request), stats_(stats), file_(file), capacity_(request.chunk_size == 0 ? 1 : request.chunk_size) {}

void ChunkBuilder::StartChunk() {
  chunk_ = DataChunk();
  chunk_.columns.reserve(request_.columns.size());
  // A chunk starts as large as the last one came out (a prefiltered scan keeps few rows per morsel, and a chunk of
  // every requested column at full size costs a MiB to clear), and grows as rows are committed.
  allocated_ = std::min(capacity_, std::max(kFirstRows, last_rows_));
  for (const ColumnDef& column : request_.columns) {
    ColumnVector vector(column.type);
    vector.Resize(allocated_);
    chunk_.columns.push_back(std::move(vector));
  }
  rows_ = 0;
}

void ChunkBuilder::Grow() {
  allocated_ = std::min(capacity_, allocated_ * 2);
  for (ColumnVector& column : chunk_.columns) column.Resize(allocated_);
}

void ChunkBuilder::ResetRow() {
  for (ColumnVector& column : chunk_.columns) {
    switch (column.physical_type()) {
      case PhysicalType::kInt64: column.ints()[rows_] = 0; break;
      case PhysicalType::kDouble: column.reals()[rows_] = 0; break;
      case PhysicalType::kString: column.strings()[rows_] = std::string_view(); break;
      case PhysicalType::kDynamic: column.dynamics()[rows_] = nullptr; break;
    }
    column.SetValid(rows_, column.type() == KqlType::kString);
  }
}

bool ChunkBuilder::Finish(DataChunk& out) {
  if (rows_ == 0) return false;
  for (ColumnVector& column : chunk_.columns) column.Resize(rows_);
  last_rows_ = rows_;
  chunk_.size = rows_;
  stats_.AddRowsRead(rows_);
  out = std::move(chunk_);
  chunk_ = DataChunk();
  rows_ = 0;
  return true;
}

bool ChunkBuilder::ReportBadValue(uint64_t offset, uint64_t line, uint64_t col, size_t column_index,
                                  std::string_view text, std::string detail) {
  constexpr size_t kMaxQuoted = 40;
  std::string shown(text.substr(0, kMaxQuoted));
  if (text.size() > kMaxQuoted) shown += "...";
  const ColumnDef& column = request_.columns[column_index];
  std::string reason = "Cannot convert value to " + std::string(TypeName(column.type)) + " in column " + column.name +
                       ": " + shown;
  if (!detail.empty()) reason += " (" + detail + ")";
  SkippedRecord record{file_.path, line, col, offset, std::move(reason)};
  record.bad_column = column.name;
  record.bad_type = TypeName(column.type);
  record.bad_text = std::move(shown);
  return Report(std::move(record));
}

bool ChunkBuilder::Report(uint64_t offset, uint64_t line, uint64_t col, std::string reason) {
  return Report(SkippedRecord{file_.path, line, col, offset, std::move(reason)});
}

bool ChunkBuilder::Report(SkippedRecord record) {
  if (!stats_.strict) {
    stats_.AddSkipped(std::move(record));
    return true;
  }
  if (record.line == 0) {
    std::vector<SkippedRecord> records{record};
    ResolveLineNumbers({file_}, records);
    record = records[0];
  }
  stats_.AddSkipped(record);
  stats_.Fail(record.file + ":" + std::to_string(record.line) + ":" + std::to_string(record.column) + ": " +
              record.reason);
  stopped_ = true;
  return false;
}

}  // namespace kql::io
