#include "execution/operator/sort_sink.h"
#include "execution/layer.h"

namespace kql::exec {

struct SortSink::Buffer : SinkPartial {
  std::vector<DataChunk> chunks;
  size_t rows = 0;
};

SortSink::SortSink(Schema schema, std::vector<SortColumn> keys, int64_t limit, size_t chunk_size)
    : schema_(std::move(schema)), keys_(std::move(keys)), limit_(limit), chunk_size_(chunk_size) {}

std::unique_ptr<SinkPartial> SortSink::NewPartial() { return std::make_unique<Buffer>(); }

void SortSink::CompactIfLarge(Buffer& buffer) const {
  if (limit_ < 0) return;
  auto limit = static_cast<size_t>(limit_);
  if (buffer.rows <= 2 * limit + chunk_size_) return;
  auto rows = SortRows(buffer.chunks, keys_, limit_);
  size_t width = buffer.chunks.empty() ? 0 : buffer.chunks[0].columns.size();
  buffer.chunks = GatherRows(buffer.chunks, rows, width, chunk_size_);
  buffer.rows = rows.size();
}

void SortSink::Consume(SinkPartial& base, const DataChunk& chunk) {
  auto& buffer = static_cast<Buffer&>(base);
  if (limit_ == 0) return;
  buffer.chunks.push_back(chunk.Compact());
  buffer.rows += buffer.chunks.back().size;
  CompactIfLarge(buffer);
}

void SortSink::Combine(std::unique_ptr<SinkPartial> base) {
  if (!global_) {
    global_ = std::move(base);
    return;
  }
  auto& global = static_cast<Buffer&>(*global_);
  auto& partial = static_cast<Buffer&>(*base);
  for (auto& chunk : partial.chunks) global.chunks.push_back(std::move(chunk));
  global.rows += partial.rows;
  CompactIfLarge(global);
}

Table SortSink::Finalize() {
  Table table;
  table.schema = schema_;
  if (!global_) return table;
  auto& global = static_cast<Buffer&>(*global_);
  auto rows = SortRows(global.chunks, keys_, limit_);
  table.chunks = GatherRows(global.chunks, rows, schema_.size(), chunk_size_);
  return table;
}

}  // namespace kql::exec
