#include "engine/shared_scan.h"

#include <algorithm>
#include <deque>
#include <mutex>

#include "binder/binder.h"
#include "catalog/catalog.h"
#include "execution/execution_context.h"
#include "optimizer/optimizer.h"
#include "engine/query_context.h"
#include "syntax/parser.h"
#include "engine/layer.h"

namespace kql::engine {
namespace {

// Plans nest through sub-plans of expressions; a deeper plan is treated as unplannable (its scans read files).
constexpr int kMaxPlanDepth = 200;

bool CollectScans(const LogicalOperator& op, int depth, std::vector<PlannedScan>& out);

bool CollectExprScans(const BoundExpr& expr, int depth, std::vector<PlannedScan>& out) {
  if (depth > kMaxPlanDepth) return false;
  if (expr.subquery && !CollectScans(*expr.subquery, depth + 1, out)) return false;
  for (const auto& arg : expr.args) {
    if (arg && !CollectExprScans(*arg, depth + 1, out)) return false;
  }
  return true;
}

bool CollectScans(const LogicalOperator& op, int depth, std::vector<PlannedScan>& out) {
  if (depth > kMaxPlanDepth) return false;
  if (op.kind == LogicalKind::kScan) {
    const auto& scan = op.As<LogicalScan>();
    out.push_back(PlannedScan{scan.table_name, scan.schema, scan.prefilter, scan.prefilter_columns});
  }
  if (op.kind == LogicalKind::kFilter && !CollectExprScans(*op.As<LogicalFilter>().predicate, depth + 1, out))
    return false;
  if (op.kind == LogicalKind::kProject) {
    for (const auto& expr : op.As<LogicalProject>().exprs) {
      if (!CollectExprScans(*expr, depth + 1, out)) return false;
    }
  }
  for (const auto& child : op.children) {
    if (!CollectScans(*child, depth + 1, out)) return false;
  }
  return true;
}

/// The columns a prefilter's disjunction `index` was derived from (prefilter_columns may be shorter): empty when its
/// literals may lie anywhere in the record.
const std::vector<std::string>& ColumnsOf(const std::vector<std::vector<std::string>>& prefilter_columns,
                                          size_t index) {
  static const std::vector<std::string> kAnywhere;
  return index < prefilter_columns.size() ? prefilter_columns[index] : kAnywhere;
}

/// The table's source with a side scan added to every request (ScanRequest::side). Readers keep a reference to
/// their request, so the requests live as long as this source.
class SideScanSource : public TableSource {
 public:
  SideScanSource(std::shared_ptr<const TableSource> original, std::shared_ptr<SideScan> side)
      : original_(std::move(original)), side_(std::move(side)) {}
  const std::string& name() const override { return original_->name(); }
  const Schema& schema() const override { return original_->schema(); }
  size_t MorselCount() const override { return original_->MorselCount(); }
  std::unique_ptr<MorselReader> OpenMorsel(size_t morsel, const ScanRequest& request,
                                           ScanStats& stats) const override {
    const ScanRequest* with_side = nullptr;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      requests_.push_back(request);
      requests_.back().side = side_;
      with_side = &requests_.back();
    }
    return original_->OpenMorsel(morsel, *with_side, stats);
  }
  void ResolveLines(std::vector<SkippedRecord>& records) const override { original_->ResolveLines(records); }

 private:
  std::shared_ptr<const TableSource> original_;
  std::shared_ptr<SideScan> side_;
  mutable std::mutex mutex_;
  mutable std::deque<ScanRequest> requests_;  // A deque keeps earlier requests in place.
};

/// Reads nothing: the morsels of the side of a CandidateSource a scan does not use.
class EmptyMorselReader : public MorselReader {
 public:
  bool Next(DataChunk&) override { return false; }
};

}  // namespace

LogicalOperatorPtr OptimizedPlan(const Engine& engine, std::string_view text, int64_t now_ticks, bool complete) {
  try {
    ParseResult parsed = Parse(text);
    if (!parsed.ok()) return nullptr;
    BindOptions bind_options;
    bind_options.now_ticks = now_ticks;
    bind_options.data_tables = engine.TableNames();
    bool runs_sub_plans = false;
    if (complete) {
      bind_options.evaluate_plan = [&](const LogicalOperator&) -> std::optional<Table> {
        runs_sub_plans = true;
        return std::nullopt;
      };
    }
    BindResult bound = Bind(parsed, engine.catalog(), bind_options);
    if (!bound.ok() || runs_sub_plans || (complete && !bound.more_results.empty())) return nullptr;
    return Optimize(std::move(bound.plan));
  } catch (const std::exception&) {
    // Planning is an optimisation: a query it cannot plan simply reads its tables itself.
    return nullptr;
  }
}

std::optional<std::vector<PlannedScan>> PlanScans(const Engine& engine, std::string_view text, int64_t now_ticks) {
  try {
    LogicalOperatorPtr plan = OptimizedPlan(engine, text, now_ticks);
    if (!plan) return std::nullopt;
    std::vector<PlannedScan> scans;
    if (!CollectScans(*plan, 0, scans)) return std::nullopt;
    return scans;
  } catch (const std::exception&) {
    // Planning is an optimisation: a query it cannot plan simply reads its tables itself.
    return std::nullopt;
  }
}

bool SharedScanPlan::Add(const PlannedScan& scan) {
  // The disjunction with the fewest literals, then the longest shortest literal, is the likeliest to be rare.
  const std::vector<std::string>* best = nullptr;
  size_t best_index = 0;
  size_t best_shortest = 0;
  for (size_t index = 0; index < scan.prefilter.size(); ++index) {
    const auto& disjunction = scan.prefilter[index];
    if (disjunction.empty()) continue;
    size_t shortest = disjunction.front().size();
    for (const auto& literal : disjunction) shortest = std::min(shortest, literal.size());
    if (shortest == 0) continue;
    bool better = !best || disjunction.size() < best->size() ||
                  (disjunction.size() == best->size() && shortest > best_shortest);
    if (better) {
      best = &disjunction;
      best_index = index;
      best_shortest = shortest;
    }
  }
  if (!best) return false;
  literals_.insert(best->begin(), best->end());
  const std::vector<std::string>& best_columns = ColumnsOf(scan.prefilter_columns, best_index);
  if (best_columns.empty()) literals_anywhere_ = true;
  if (literals_anywhere_) {
    literal_columns_.clear();
  } else {
    literal_columns_.insert(best_columns.begin(), best_columns.end());
  }
  for (const auto& column : scan.columns) {
    if (!FindColumn(columns_, column.name)) columns_.push_back(column);
  }
  return true;
}

bool SharedScanPlan::operator==(const SharedScanPlan& other) const {
  if (literals_ != other.literals_ || literal_columns_ != other.literal_columns_ ||
      columns_.size() != other.columns_.size()) {
    return false;
  }
  for (size_t index = 0; index < columns_.size(); ++index) {
    if (columns_[index].name != other.columns_[index].name || columns_[index].type != other.columns_[index].type) {
      return false;
    }
  }
  return true;
}

namespace {

// The pass leaves its candidates in many small chunks (at least one per morsel of the table), and every rule query
// reads each chunk as a morsel: they are regrouped into full chunks once.
Table RegroupChunks(const Table& table, size_t chunk_size) {
  Table out;
  out.schema = table.schema;
  DataChunk current;
  auto start = [&] {
    current = DataChunk{};
    for (const auto& column : table.schema) current.columns.emplace_back(column.type);
  };
  start();
  for (const DataChunk& chunk : table.chunks) {
    chunk.ForEachActive([&](size_t row) {
      for (size_t column = 0; column < current.columns.size(); ++column) {
        current.columns[column].AppendFrom(chunk.columns[column], row);
      }
      if (++current.size == chunk_size) {
        out.chunks.push_back(std::move(current));
        start();
      }
    });
  }
  if (current.size > 0) out.chunks.push_back(std::move(current));
  return out;
}

}  // namespace

SharedScanResult RunSharedScan(const Engine& engine, const std::string& table, const SharedScanPlan& plan,
                               const QueryOptions& options, const Schema& side_columns) {
  SharedScanResult result;
  std::shared_ptr<const TableSource> source = engine.Source(table);
  if (!source) {
    result.error = "Table '" + table + "' has no data";
    return result;
  }
  std::shared_ptr<SideScan> side;
  if (!side_columns.empty()) {
    side = std::make_shared<SideScan>(side_columns);
    source = std::make_shared<SideScanSource>(source, side);
  }
  LogicalScan scan;
  scan.table_name = table;
  const Schema* table_schema = engine.catalog().FindTable(table);
  scan.table_schema = table_schema ? *table_schema : source->schema();
  scan.schema = plan.columns();
  // One disjunction: a record is a candidate when it contains any query's literal.
  scan.prefilter.emplace_back(plan.literals().begin(), plan.literals().end());
  scan.prefilter_columns.emplace_back(plan.literal_columns().begin(), plan.literal_columns().end());
  ExecutionContext context = QueryContext(options);
  context.sources[table] = source;
  try {
    result.candidates = std::make_shared<Table>(RegroupChunks(ExecutePlan(scan, context), context.chunk_size));
  } catch (const std::exception& error) {
    result.error = error.what();
  }
  if (side && result.candidates) result.side_rows = side->Take(source->MorselCount());
  if (auto stats = context.scan_stats.find(table); stats != context.scan_stats.end()) {
    result.summary.rows_read = stats->second->rows_read();
    result.summary.rows_prefiltered = stats->second->rows_prefiltered();
    result.summary.bytes_read = stats->second->bytes_read();
    result.summary.skipped_count = stats->second->skipped_count();
    result.summary.skipped = stats->second->skipped();
    result.summary.bad_values = stats->second->bad_values();
    source->ResolveLines(result.summary.skipped);
    std::vector<SkippedRecord> examples;
    for (const auto& [column, count] : result.summary.bad_values) examples.push_back(count.example);
    source->ResolveLines(examples);
    size_t index = 0;
    for (auto& [column, count] : result.summary.bad_values) count.example = examples[index++];
  }
  return result;
}

CandidateSource::CandidateSource(std::shared_ptr<const TableSource> original, std::shared_ptr<const Table> candidates,
                                 std::set<std::string> literals, std::set<std::string> literal_columns)
    : original_(std::move(original)),
      memory_(std::make_shared<MemoryTableSource>(original_->name(), candidates)),
      candidates_(std::move(candidates)),
      literals_(std::move(literals)),
      literal_columns_(std::move(literal_columns)) {}

std::shared_ptr<CandidateSource> CandidateSource::Complete(std::shared_ptr<const TableSource> original,
                                                          std::shared_ptr<const Table> rows) {
  auto source = std::make_shared<CandidateSource>(std::move(original), std::move(rows), std::set<std::string>{});
  source->complete_ = true;
  return source;
}

size_t CandidateSource::MorselCount() const { return std::max(memory_->MorselCount(), original_->MorselCount()); }

size_t CandidateSource::MorselCountFor(const ScanRequest& request) const {
  return Covers(request) ? memory_->MorselCount() : original_->MorselCount();
}

bool CandidateSource::Covers(const ScanRequest& request) const {
  for (const auto& column : request.columns) {
    auto index = FindColumn(candidates_->schema, column.name);
    if (!index || candidates_->schema[*index].type != column.type) return false;
  }
  if (complete_) return true;
  // A record outside the candidates contains none of the shared literals (in the searched columns' values, when the
  // pass searched only those), so it fails any disjunction made only of them whose literals lie in those columns —
  // and a record failing the scan's prefilter cannot satisfy the filters it was derived from.
  for (size_t index = 0; index < request.prefilter.size(); ++index) {
    const auto& disjunction = request.prefilter[index];
    bool shared = !disjunction.empty();
    for (const auto& literal : disjunction) shared = shared && literals_.count(literal) > 0;
    if (!literal_columns_.empty()) {
      const std::vector<std::string>& columns = ColumnsOf(request.prefilter_columns, index);
      shared = shared && !columns.empty();
      for (const auto& column : columns) shared = shared && literal_columns_.count(column) > 0;
    }
    if (shared) return true;
  }
  return false;
}

std::unique_ptr<MorselReader> CandidateSource::OpenMorsel(size_t morsel, const ScanRequest& request,
                                                          ScanStats& stats) const {
  const TableSource& side = Covers(request) ? *memory_ : *original_;
  if (morsel >= side.MorselCount()) return std::make_unique<EmptyMorselReader>();
  return side.OpenMorsel(morsel, request, stats);
}

}  // namespace kql::engine
