// RowSorter: orders rows held in a list of dense chunks by sort keys (stable, per-key direction and null
// placement, ordinal strings) and gathers them into a Table. Shared by the sort and top sinks.
#pragma once
#include <cstdint>
#include <vector>

#include "types/schema.h"
#include "vector/data_chunk.h"
#include "vector/table.h"
#include "execution/layer.h"

namespace kql::exec {

/// One resolved sort key: a column of the buffered chunks.
struct SortColumn {
  size_t column = 0;
  bool ascending = false;
  bool nulls_first = false;
};

/// A row of a chunk list.
struct RowRef {
  uint32_t chunk = 0;
  uint32_t row = 0;
};

/// Stable-sorts all rows of `chunks` by `keys`, keeping at most `limit` rows (when limit >= 0).
std::vector<RowRef> SortRows(const std::vector<DataChunk>& chunks, const std::vector<SortColumn>& keys,
                             int64_t limit = -1);

/// Gathers rows into dense chunks with the first `width` columns of the source chunks.
std::vector<DataChunk> GatherRows(const std::vector<DataChunk>& chunks, const std::vector<RowRef>& rows,
                                  size_t width, size_t chunk_size);

}  // namespace kql::exec
