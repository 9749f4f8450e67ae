// SortSink: the sink of sort/order by and top. Buffers rows (compacting to the best N when a limit is given, so
// top keeps bounded memory) and sorts stably at the end; ties keep morsel order, so results do not depend on
// the thread count. Sort keys arrive as trailing helper columns of the input chunks.
#pragma once
#include <cstdint>
#include <vector>

#include "execution/operator/row_sorter.h"
#include "execution/physical_operator.h"
#include "execution/layer.h"

namespace kql::exec {

/// Sorts all rows (limit < 0) or keeps the first `limit` rows by the keys (top).
class SortSink : public Sink {
 public:
  /// `schema` is the output: the first schema.size() input columns.
  SortSink(Schema schema, std::vector<SortColumn> keys, int64_t limit, size_t chunk_size);

  std::unique_ptr<SinkPartial> NewPartial() override;
  void Consume(SinkPartial& partial, const DataChunk& chunk) override;
  void Combine(std::unique_ptr<SinkPartial> partial) override;
  Table Finalize() override;
  /// A full sort keeps every row; top-N keeps about 2N per morsel.
  const char* RetainedInputName() const override { return limit_ < 0 ? "sort" : nullptr; }

 private:
  struct Buffer;
  void CompactIfLarge(Buffer& buffer) const;

  Schema schema_;
  std::vector<SortColumn> keys_;
  int64_t limit_;
  size_t chunk_size_;
  std::unique_ptr<SinkPartial> global_;
};

}  // namespace kql::exec
