#include "vector/data_chunk.h"
#include "vector/layer.h"

namespace kql::vector {

DataChunk DataChunk::Compact() const {
  if (!selection) return *this;
  DataChunk out;
  out.size = selection->size();
  out.columns.reserve(columns.size());
  for (const auto& column : columns) {
    ColumnVector dense(column.type());
    dense.Reserve(out.size);
    for (uint32_t row : *selection) dense.AppendFrom(column, row);
    out.columns.push_back(std::move(dense));
  }
  return out;
}

}  // namespace kql::vector
