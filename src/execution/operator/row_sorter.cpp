#include "execution/operator/row_sorter.h"

#include <algorithm>

#include "execution/cell_comparison.h"
#include "execution/layer.h"

namespace kql::exec {

std::vector<RowRef> SortRows(const std::vector<DataChunk>& chunks, const std::vector<SortColumn>& keys,
                             int64_t limit) {
  std::vector<RowRef> rows;
  for (size_t c = 0; c < chunks.size(); ++c) {
    for (size_t r = 0; r < chunks[c].size; ++r) rows.push_back({static_cast<uint32_t>(c), static_cast<uint32_t>(r)});
  }
  auto less = [&](const RowRef& a, const RowRef& b) {
    for (const auto& key : keys) {
      const ColumnVector& left = chunks[a.chunk].columns[key.column];
      const ColumnVector& right = chunks[b.chunk].columns[key.column];
      bool left_null = left.IsNull(a.row);
      bool right_null = right.IsNull(b.row);
      if (left_null || right_null) {
        if (left_null == right_null) continue;
        return left_null == key.nulls_first;
      }
      int order = CompareValidCells(left, a.row, right, b.row);
      if (order != 0) return key.ascending ? order < 0 : order > 0;
    }
    return false;
  };
  if (limit >= 0 && static_cast<size_t>(limit) < rows.size()) {
    // Ties must keep input order, so break them by position to make partial_sort stable.
    auto stable_less = [&](const RowRef& a, const RowRef& b) {
      if (less(a, b)) return true;
      if (less(b, a)) return false;
      return a.chunk != b.chunk ? a.chunk < b.chunk : a.row < b.row;
    };
    std::partial_sort(rows.begin(), rows.begin() + limit, rows.end(), stable_less);
    rows.resize(static_cast<size_t>(limit));
  } else {
    std::stable_sort(rows.begin(), rows.end(), less);
  }
  return rows;
}

std::vector<DataChunk> GatherRows(const std::vector<DataChunk>& chunks, const std::vector<RowRef>& rows,
                                  size_t width, size_t chunk_size) {
  std::vector<DataChunk> out;
  chunk_size = std::max<size_t>(chunk_size, 1);
  for (size_t start = 0; start < rows.size(); start += chunk_size) {
    size_t end = std::min(rows.size(), start + chunk_size);
    DataChunk chunk;
    chunk.size = end - start;
    for (size_t c = 0; c < width; ++c) {
      ColumnVector column(chunks[rows[start].chunk].columns[c].type());
      column.Reserve(chunk.size);
      for (size_t i = start; i < end; ++i) column.AppendFrom(chunks[rows[i].chunk].columns[c], rows[i].row);
      chunk.columns.push_back(std::move(column));
    }
    out.push_back(std::move(chunk));
  }
  return out;
}

}  // namespace kql::exec
