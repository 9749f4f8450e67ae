// RangeRows: the rows of `range x from A to B step S`, made chunk by chunk, so that a range feeding a pipeline (and a
// streamed result) is never materialised whole; MakeRangeSource serves them as one morsel per chunk.
#pragma once
#include <cstdint>
#include <memory>

#include "execution/execution_context.h"
#include "execution/pipeline.h"
#include "plan/logical_operator.h"
#include "execution/layer.h"

namespace kql::exec {

/// A range's evaluated bounds.
struct RangeRows {
  KqlType type = KqlType::kLong;
  bool real_column = false;
  double start_real = 0, step_real = 0;
  int64_t start_int = 0, step_int = 0;
  int64_t count = 0;  ///< Rows; 0 when the range is empty (a null bound, or stop before start).

  /// Rows [first, last) as one dense chunk.
  DataChunk Chunk(int64_t first, int64_t last) const;
};

/// Evaluates the range's bounds. Throws QueryError for a zero step or more rows than the range limit.
RangeRows EvaluateRange(const LogicalRange& range, ExecutionContext& context);

/// One morsel per `chunk_size` rows.
std::unique_ptr<PipelineSource> MakeRangeSource(RangeRows rows, size_t chunk_size);

}  // namespace kql::exec
