// Table: a materialised result — a schema and a list of dense chunks (no selection vectors).
#pragma once
#include <vector>

#include "types/schema.h"
#include "types/value.h"
#include "vector/data_chunk.h"
#include "vector/layer.h"

namespace kql::vector {

/// A fully materialised table.
struct Table {
  Schema schema;
  std::vector<DataChunk> chunks;  ///< Dense chunks; every chunk has schema.size() columns.

  /// Total rows over all chunks.
  size_t RowCount() const;
  /// Appends a chunk, compacting it first when it has a selection; empty chunks are dropped.
  void Append(const DataChunk& chunk);
  /// Reads every row as Values (for tests, writers and small results).
  std::vector<std::vector<Value>> Rows() const;
};

}  // namespace kql::vector
