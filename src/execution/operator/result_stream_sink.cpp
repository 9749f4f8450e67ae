#include "execution/operator/result_stream_sink.h"

#include <algorithm>
#include <vector>

#include "execution/execution_context.h"
#include "execution/operator/result_collector.h"
#include "execution/query_limits.h"
#include "execution/layer.h"

namespace kql::exec {
namespace {

struct StreamedChunks : SinkPartial {
  std::vector<DataChunk> chunks;  ///< Not yet handed on.
  size_t rows = 0;                ///< Every row the morsel produced (for the per-morsel limit).
  uint64_t bytes = 0;             ///< Of `chunks`.
};

}  // namespace

ResultStreamSink::ResultStreamSink(Schema schema, ResultStream& stream, std::optional<int64_t> limit)
    : schema_(std::move(schema)), stream_(stream) {
  if (limit) limit_ = static_cast<size_t>(std::max<int64_t>(*limit, 0));
}

std::unique_ptr<SinkPartial> ResultStreamSink::NewPartial() { return std::make_unique<StreamedChunks>(); }

void ResultStreamSink::Consume(SinkPartial& base, const DataChunk& chunk) {
  auto& partial = static_cast<StreamedChunks&>(base);
  if (limit_ && partial.rows >= *limit_) return;
  DataChunk dense = chunk.Compact();
  dense.columns.resize(std::min(dense.columns.size(), schema_.size()));
  partial.rows += dense.size;
  partial.bytes += ChunkBytes(dense);
  partial.chunks.push_back(std::move(dense));
}

void ResultStreamSink::Emit(SinkPartial& base) {
  auto& partial = static_cast<StreamedChunks&>(base);
  for (auto& chunk : partial.chunks) {
    if (Satisfied()) break;
    if (limit_ && rows_written_ + chunk.size > *limit_) KeepFirstRows(chunk, *limit_ - rows_written_);
    rows_written_ += chunk.size;
    if (chunk.size > 0 && !stream_.Write(chunk)) throw QueryError("the result could not be written");
  }
  partial.chunks.clear();
  partial.bytes = 0;
}

void ResultStreamSink::Combine(std::unique_ptr<SinkPartial> partial) { Emit(*partial); }

uint64_t ResultStreamSink::BufferedBytes(const SinkPartial& partial) const {
  return static_cast<const StreamedChunks&>(partial).bytes;
}

bool ResultStreamSink::Satisfied() const { return limit_ && rows_written_ >= *limit_; }

Table ResultStreamSink::Finalize() {
  Table table;
  table.schema = schema_;
  return table;
}

}  // namespace kql::exec
