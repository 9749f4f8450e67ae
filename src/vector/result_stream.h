// ResultStream: where a query's rows go when they are not held as one Table. The CLI's csv/jsonl/json writers take
// the rows as the pipeline produces them, so a large result never sits in memory whole.
#pragma once
#include "types/schema.h"
#include "vector/data_chunk.h"
#include "vector/layer.h"

namespace kql::vector {

/// Receives a query's result in row order: Begin once with the result's columns (after binding, before the first
/// row), then Write per chunk. Calls come from one thread at a time, not always the same one.
class ResultStream {
 public:
  virtual ~ResultStream() = default;
  virtual void Begin(const Schema& schema) = 0;
  /// `chunk` is dense (no selection) with the schema's columns. Returns false when the rows cannot be taken (a
  /// write error): the query then stops with an error.
  virtual bool Write(const DataChunk& chunk) = 0;
};

}  // namespace kql::vector
