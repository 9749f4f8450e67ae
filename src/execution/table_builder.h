// TableBuilder: assembles a Table row by row (gathering cells from other chunks) or from whole columns, cutting
// it into dense chunks of a fixed size so later pipelines get morsels. Not a sink: callers decide the row order.
#pragma once
#include <vector>

#include "types/schema.h"
#include "vector/data_chunk.h"
#include "vector/table.h"
#include "execution/layer.h"

namespace kql::exec {

class QueryLimits;

/// Builds a Table of dense chunks of at most chunk_size rows.
class TableBuilder {
 public:
  TableBuilder(Schema schema, size_t chunk_size);

  /// Appends row `row` of `chunk` (all its columns, in schema order); string bytes are shared, not copied.
  void AppendRow(const DataChunk& chunk, size_t row);
  /// Appends a row whose cells come from (column, row) pairs, one per schema column; a null column pointer
  /// appends a null.
  void AppendCells(const std::vector<const ColumnVector*>& columns, const std::vector<size_t>& rows);
  /// Appends every active row of a chunk with the same layout.
  void AppendChunk(const DataChunk& chunk);
  /// The table built so far; the builder is left empty.
  Table Finish();
  /// Charges each finished chunk to the query's memory budget as `where` ("join", ...); null limits: none.
  void ChargeTo(QueryLimits* limits, const char* where) {
    limits_ = limits;
    where_ = where;
  }

 private:
  void StartChunkIfNeeded();
  void SealIfFull();

  Table table_;
  size_t chunk_size_;
  DataChunk current_;
  QueryLimits* limits_ = nullptr;
  const char* where_ = "";
};

/// Splits dense columns of equal length into a Table with chunks of at most chunk_size rows.
Table TableFromColumns(Schema schema, std::vector<ColumnVector> columns, size_t chunk_size);

}  // namespace kql::exec
