// ResultStreamSink: the sink that hands a pipeline's rows to a ResultStream as they come, in morsel order, instead of
// materialising them (query output to csv/jsonl/json); optionally only the first N rows (take/limit).
#pragma once
#include <cstdint>
#include <optional>

#include "execution/physical_operator.h"
#include "vector/result_stream.h"
#include "execution/layer.h"

namespace kql::exec {

/// Streams rows in morsel order; its Finalize() table has the schema and no rows.
class ResultStreamSink : public Sink {
 public:
  /// `schema` is the output; input chunks may carry extra trailing columns, which are dropped.
  ResultStreamSink(Schema schema, ResultStream& stream, std::optional<int64_t> limit = std::nullopt);

  std::unique_ptr<SinkPartial> NewPartial() override;
  void Consume(SinkPartial& partial, const DataChunk& chunk) override;
  void Combine(std::unique_ptr<SinkPartial> partial) override;
  bool Satisfied() const override;
  Table Finalize() override;
  bool Streams() const override { return true; }
  void Emit(SinkPartial& partial) override;
  uint64_t BufferedBytes(const SinkPartial& partial) const override;

 private:
  Schema schema_;
  ResultStream& stream_;
  std::optional<size_t> limit_;
  size_t rows_written_ = 0;
};

}  // namespace kql::exec
