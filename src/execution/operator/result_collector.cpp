#include "execution/operator/result_collector.h"

#include <algorithm>
#include "execution/layer.h"

namespace kql::exec {
namespace {

struct CollectedChunks : SinkPartial {
  std::vector<DataChunk> chunks;
  size_t rows = 0;
};

}  // namespace

void KeepFirstRows(DataChunk& chunk, size_t rows) {
  std::vector<uint32_t> selection(std::min(rows, chunk.size));
  for (size_t i = 0; i < selection.size(); ++i) selection[i] = static_cast<uint32_t>(i);
  chunk.selection = std::move(selection);
  chunk = chunk.Compact();
}

ResultCollector::ResultCollector(Schema schema, std::optional<int64_t> limit) {
  table_.schema = std::move(schema);
  if (limit) limit_ = static_cast<size_t>(std::max<int64_t>(*limit, 0));
}

std::unique_ptr<SinkPartial> ResultCollector::NewPartial() { return std::make_unique<CollectedChunks>(); }

void ResultCollector::Consume(SinkPartial& base, const DataChunk& chunk) {
  auto& partial = static_cast<CollectedChunks&>(base);
  if (limit_ && partial.rows >= *limit_) return;
  DataChunk dense = chunk.Compact();
  dense.columns.resize(std::min(dense.columns.size(), table_.schema.size()));
  partial.rows += dense.size;
  partial.chunks.push_back(std::move(dense));
}

void ResultCollector::Combine(std::unique_ptr<SinkPartial> base) {
  auto& partial = static_cast<CollectedChunks&>(*base);
  for (auto& chunk : partial.chunks) {
    if (Satisfied()) return;
    if (limit_ && rows_ + chunk.size > *limit_) KeepFirstRows(chunk, *limit_ - rows_);
    rows_ += chunk.size;
    if (chunk.size > 0) table_.chunks.push_back(std::move(chunk));
  }
}

bool ResultCollector::Satisfied() const { return limit_ && rows_ >= *limit_; }

Table ResultCollector::Finalize() { return std::move(table_); }

}  // namespace kql::exec
