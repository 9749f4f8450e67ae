// Physical operator interfaces: streaming operators transform one chunk at a time inside a pipeline; sinks end a
// pipeline and collect per-morsel partial results that are combined in morsel order. Not the planner (see
// physical_planner.h) nor the parallel driver (see pipeline.h).
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "types/schema.h"
#include "vector/data_chunk.h"
#include "vector/table.h"
#include "execution/layer.h"

namespace kql::exec {

class QueryLimits;

/// A per-thread streaming operator (filter, project, limit, mv-expand). Instances are never shared by threads.
class StreamOperator {
 public:
  virtual ~StreamOperator() = default;
  /// Called before the first chunk of every morsel (lets per-morsel state such as a limit counter reset).
  virtual void StartMorsel() {}
  /// Transforms the chunk in place. Leaving no active rows is fine; the pipeline then skips the sink.
  virtual void Execute(DataChunk& chunk) = 0;
  /// True when no further input of the current morsel can change the output (a limit was reached).
  virtual bool Exhausted() const { return false; }
};

/// Creates one StreamOperator per worker thread (each owns its own expression executors).
class StreamOperatorFactory {
 public:
  virtual ~StreamOperatorFactory() = default;
  virtual std::unique_ptr<StreamOperator> Create() const = 0;
};

/// The part of a sink's result that one morsel produced.
class SinkPartial {
 public:
  virtual ~SinkPartial() = default;
};

/// The end of a pipeline. Consume runs concurrently on distinct partials; Combine runs serially in morsel order,
/// which is what makes results independent of the thread count.
class Sink {
 public:
  virtual ~Sink() = default;
  /// The query's limits, set by RunPipeline; sinks that keep state charge it per chunk.
  void ChargeTo(QueryLimits* limits) { limits_ = limits; }
  /// What the memory limit error names when this sink keeps every consumed chunk ("sort"), or null when its
  /// memory does not grow with its input (or it charges the budget itself); RunPipeline charges those chunks.
  virtual const char* RetainedInputName() const { return nullptr; }
  /// A fresh partial for one morsel.
  virtual std::unique_ptr<SinkPartial> NewPartial() = 0;
  /// Adds the chunk's active rows to the partial.
  virtual void Consume(SinkPartial& partial, const DataChunk& chunk) = 0;
  /// Folds a finished partial into the global state; called once per morsel, in ascending morsel order.
  virtual void Combine(std::unique_ptr<SinkPartial> partial) = 0;
  /// True when later morsels cannot change the result (a limit is satisfied), so workers may stop early.
  virtual bool Satisfied() const { return false; }
  /// Produces the final table after every morsel was combined.
  virtual Table Finalize() = 0;
  /// True for a sink that hands rows on as they come (a result stream): the pipeline then calls Emit after every
  /// chunk of the morsel that is next in order, and holds back workers whose morsels are not next once their
  /// partials buffer too much (BufferedBytes).
  virtual bool Streams() const { return false; }
  /// Hands on and drops what the partial holds so far; called with the morsel next in order, serially.
  virtual void Emit(SinkPartial& /*partial*/) {}
  /// Bytes the partial holds (streaming sinks).
  virtual uint64_t BufferedBytes(const SinkPartial& /*partial*/) const { return 0; }

 protected:
  QueryLimits* limits_ = nullptr;
};

}  // namespace kql::exec
