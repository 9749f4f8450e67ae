// PhysicalPipeline: a source of morsels, a chain of streaming operators and a sink, run by morsel-driven workers.
// Workers pull morsel indices from an atomic counter; each morsel's sink partial is combined in morsel order.
// It does not decide how plans split into pipelines (physical_planner.h does).
#pragma once
#include <memory>
#include <vector>

#include "execution/physical_operator.h"
#include "execution/query_limits.h"
#include "vector/table.h"
#include "vector/table_source.h"
#include "execution/layer.h"

namespace kql::exec {

/// Where a pipeline's chunks come from: a table scan or a materialised intermediate table.
class PipelineSource {
 public:
  virtual ~PipelineSource() = default;
  /// Number of independent units of work.
  virtual size_t MorselCount() const = 0;
  /// Opens one morsel; called from worker threads.
  virtual std::unique_ptr<MorselReader> OpenMorsel(size_t morsel) const = 0;
  /// True for scans of a TableSource (the query's input); false for tables a query made itself.
  virtual bool ScansInput() const { return false; }
  /// Input bytes of one morsel of a scan (TableSource::MorselBytes); 0 when unknown.
  virtual uint64_t MorselBytes(size_t morsel) const { return 0; }
  /// True when the source failed and the remaining morsels should not be read.
  virtual bool Failed() const { return false; }
  /// Throws QueryError when the source failed (after all workers stopped).
  virtual void CheckFailure() const {}
};

/// Scans a TableSource with a request; scan problems are recorded in stats.
std::unique_ptr<PipelineSource> MakeScanSource(std::shared_ptr<const TableSource> source, ScanRequest request,
                                               std::shared_ptr<ScanStats> stats);

/// Reads a materialised table; each chunk is one morsel.
std::unique_ptr<PipelineSource> MakeTableSource(std::shared_ptr<const Table> table);

/// A source, the streaming operators after it (in order) and, when run, a sink.
struct PhysicalPipeline {
  std::unique_ptr<PipelineSource> source;
  std::vector<std::unique_ptr<StreamOperatorFactory>> operators;
  /// Checked once per chunk (deadline, cancel) and charged by sinks that keep their input; null: unlimited.
  QueryLimits* limits = nullptr;
};

/// Runs the pipeline into the sink with `threads` workers and returns the sink's final table. Exceptions from
/// workers stop the other workers and are rethrown here.
Table RunPipeline(const PhysicalPipeline& pipeline, Sink& sink, int threads);

}  // namespace kql::exec
