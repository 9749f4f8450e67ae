// DataChunk: a batch of rows (up to ~2048) stored column by column, with an optional selection vector.
// All columns have the same physical length; when a selection is present only the listed rows are active.
// Operators write computed columns at physical row positions, so a filter only narrows the selection.
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include "vector/column_vector.h"
#include "vector/layer.h"

namespace kql::vector {

/// The default number of rows in a chunk.
inline constexpr size_t kDefaultChunkSize = 2048;

/// A batch of rows with an optional selection vector.
struct DataChunk {
  std::vector<ColumnVector> columns;
  size_t size = 0;                                ///< Physical rows in every column.
  std::optional<std::vector<uint32_t>> selection;  ///< Active rows (ascending); nullopt means all rows.

  /// Number of active rows.
  size_t ActiveCount() const { return selection ? selection->size() : size; }

  /// Calls fn(physical_row) for each active row, in order.
  template <typename Fn>
  void ForEachActive(Fn&& fn) const {
    if (selection) {
      for (uint32_t row : *selection) fn(static_cast<size_t>(row));
    } else {
      for (size_t row = 0; row < size; ++row) fn(row);
    }
  }

  /// Returns a chunk with only the active rows, densely stored, and no selection.
  DataChunk Compact() const;
};

}  // namespace kql::vector
