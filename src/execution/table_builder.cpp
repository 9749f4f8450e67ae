#include "execution/table_builder.h"

#include <algorithm>

#include "base/assert.h"
#include "execution/query_limits.h"
#include "execution/layer.h"

namespace kql::exec {

TableBuilder::TableBuilder(Schema schema, size_t chunk_size) : chunk_size_(std::max<size_t>(chunk_size, 1)) {
  table_.schema = std::move(schema);
}

void TableBuilder::StartChunkIfNeeded() {
  if (!current_.columns.empty() || table_.schema.empty()) return;
  current_.size = 0;
  current_.columns.reserve(table_.schema.size());
  for (const auto& column : table_.schema) {
    current_.columns.emplace_back(column.type);
    current_.columns.back().Reserve(chunk_size_);
  }
}

void TableBuilder::SealIfFull() {
  if (current_.size < chunk_size_) return;
  if (limits_ != nullptr) limits_->Charge(ChunkBytes(current_), where_);
  table_.chunks.push_back(std::move(current_));
  current_ = DataChunk();
}

void TableBuilder::AppendRow(const DataChunk& chunk, size_t row) {
  KQL_ASSERT(chunk.columns.size() == table_.schema.size(), "row width differs from the table schema");
  StartChunkIfNeeded();
  for (size_t column_idx = 0; column_idx < chunk.columns.size(); ++column_idx) {
    current_.columns[column_idx].AppendFrom(chunk.columns[column_idx], row);
  }
  ++current_.size;
  SealIfFull();
}

void TableBuilder::AppendCells(const std::vector<const ColumnVector*>& columns, const std::vector<size_t>& rows) {
  KQL_ASSERT(columns.size() == table_.schema.size(), "row width differs from the table schema");
  StartChunkIfNeeded();
  for (size_t column_idx = 0; column_idx < columns.size(); ++column_idx) {
    if (columns[column_idx] == nullptr) {
      current_.columns[column_idx].AppendNull();
    } else {
      current_.columns[column_idx].AppendFrom(*columns[column_idx], rows[column_idx]);
    }
  }
  ++current_.size;
  SealIfFull();
}

void TableBuilder::AppendChunk(const DataChunk& chunk) {
  chunk.ForEachActive([&](size_t row) { AppendRow(chunk, row); });
}

Table TableBuilder::Finish() {
  if (current_.size > 0) table_.chunks.push_back(std::move(current_));
  current_ = DataChunk();
  Table result = std::move(table_);
  table_ = Table();
  table_.schema = result.schema;
  return result;
}

Table TableFromColumns(Schema schema, std::vector<ColumnVector> columns, size_t chunk_size) {
  Table table;
  table.schema = std::move(schema);
  size_t rows = columns.empty() ? 0 : columns[0].size();
  chunk_size = std::max<size_t>(chunk_size, 1);
  if (rows <= chunk_size) {
    if (rows > 0) {
      DataChunk chunk;
      chunk.size = rows;
      chunk.columns = std::move(columns);
      table.chunks.push_back(std::move(chunk));
    }
    return table;
  }
  for (size_t start = 0; start < rows; start += chunk_size) {
    size_t end = std::min(rows, start + chunk_size);
    DataChunk chunk;
    chunk.size = end - start;
    for (const auto& column : columns) {
      ColumnVector piece(column.type());
      piece.Reserve(chunk.size);
      for (size_t row = start; row < end; ++row) piece.AppendFrom(column, row);
      chunk.columns.push_back(std::move(piece));
    }
    table.chunks.push_back(std::move(chunk));
  }
  return table;
}

}  // namespace kql::exec
