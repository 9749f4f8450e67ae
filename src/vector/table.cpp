#include "vector/table.h"
#include "vector/layer.h"

namespace kql::vector {

size_t Table::RowCount() const {
  size_t rows = 0;
  for (const auto& chunk : chunks) rows += chunk.ActiveCount();
  return rows;
}

void Table::Append(const DataChunk& chunk) {
  if (chunk.ActiveCount() == 0) return;
  if (chunk.selection) {
    chunks.push_back(chunk.Compact());
  } else {
    chunks.push_back(chunk);
  }
}

std::vector<std::vector<Value>> Table::Rows() const {
  std::vector<std::vector<Value>> rows;
  rows.reserve(RowCount());
  for (const auto& chunk : chunks) {
    chunk.ForEachActive([&](size_t row) {
      std::vector<Value> values;
      values.reserve(chunk.columns.size());
      for (const auto& column : chunk.columns) values.push_back(column.GetValue(row));
      rows.push_back(std::move(values));
    });
  }
  return rows;
}

}  // namespace kql::vector
