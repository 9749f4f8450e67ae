#include "execution/physical_planner.h"

#include <algorithm>
#include <limits>

#include "base/assert.h"
#include "execution/aggregate/hash_aggregate_sink.h"
#include "execution/expression_executor.h"
#include "execution/operator/apply_operator.h"
#include "execution/operator/filter_operator.h"
#include "execution/operator/hash_join.h"
#include "execution/operator/limit_operator.h"
#include "execution/operator/make_series_operator.h"
#include "execution/operator/mv_expand_operator.h"
#include "execution/operator/parse_kv_operator.h"
#include "execution/operator/parse_operator.h"
#include "execution/operator/window_operator.h"
#include "execution/operator/project_operator.h"
#include "execution/operator/range_source.h"
#include "execution/operator/pattern_mining_operator.h"
#include "execution/operator/graph_operator.h"
#include "execution/operator/sequence_scan_operator.h"
#include "execution/operator/result_collector.h"
#include "execution/operator/result_stream_sink.h"
#include "execution/operator/sort_sink.h"
#include "execution/operator/union_operator.h"
#include "execution/query_limits.h"
#include "execution/table_builder.h"
#include "execution/layer.h"

namespace kql::exec {
namespace {

/// Plans deeper than this are rejected rather than risking the stack.
constexpr int kMaxPlanDepth = 2000;

void CheckDepth(int depth) {
  if (depth > kMaxPlanDepth) throw QueryError("The query plan is too deeply nested");
}

/// Operators fused into the pipeline of their input (a table scan, a range or a materialised result).
bool IsStreamingOperator(LogicalKind kind) {
  return kind == LogicalKind::kScan || kind == LogicalKind::kFilter || kind == LogicalKind::kProject ||
         kind == LogicalKind::kMvExpand || kind == LogicalKind::kParse || kind == LogicalKind::kParseKv;
}

}  // namespace

PhysicalPlanner::PhysicalPlanner(ExecutionContext& context) : context_(context) {}

Table PhysicalPlanner::Execute(const LogicalOperator& op) { return ExecuteAt(op, 0); }

const BoundExpr* PhysicalPlanner::MakeColumnRef(size_t index, const ColumnDef& column) {
  synthetic_exprs_.push_back(BoundExpr::MakeColumn(index, column.name, column.type));
  return synthetic_exprs_.back().get();
}

Table PhysicalPlanner::ExecuteAt(const LogicalOperator& op, int depth) {
  CheckDepth(depth);
  if (IsStreamingOperator(op.kind)) {
    PhysicalPipeline pipeline = BuildPipeline(op, depth);
    ResultCollector collector(op.schema);
    return RunPipeline(pipeline, collector, context_.threads);
  }
  switch (op.kind) {
    case LogicalKind::kValues: return ExecuteValues(op.As<LogicalValues>());
    case LogicalKind::kRange: return ExecuteRange(op.As<LogicalRange>());
    case LogicalKind::kAggregate: return ExecuteAggregate(op.As<LogicalAggregate>(), depth);
    case LogicalKind::kSort: return ExecuteSort(op, op.As<LogicalSort>().keys, -1, depth);
    case LogicalKind::kTop: {
      const auto& top = op.As<LogicalTop>();
      return ExecuteSort(op, top.keys, std::max<int64_t>(top.limit, 0), depth);
    }
    case LogicalKind::kLimit: return ExecuteLimit(op.As<LogicalLimit>(), depth);
    case LogicalKind::kDistinct: return ExecuteDistinct(op.As<LogicalDistinct>(), depth);
    case LogicalKind::kJoin: {
      KQL_ASSERT(op.children.size() == 2, "join needs two children");
      Table left = ExecuteAt(*op.children[0], depth + 1);
      Table right = ExecuteAt(*op.children[1], depth + 1);
      return HashJoin(op.As<LogicalJoin>(), left, right, context_.chunk_size, context_.limits);
    }
    case LogicalKind::kWindow: {
      Table input = ExecuteAt(*op.children[0], depth + 1);
      return ExecuteWindow(op.As<LogicalWindow>(), input, context_);
    }
    case LogicalKind::kMakeSeries: {
      Table input = ExecuteAt(*op.children[0], depth + 1);
      return ExecuteMakeSeries(op.As<LogicalMakeSeries>(), input, context_);
    }
    case LogicalKind::kSequenceScan: {
      Table input = ExecuteAt(*op.children[0], depth + 1);
      return ExecuteSequenceScan(op.As<LogicalSequenceScan>(), input, context_);
    }
    case LogicalKind::kPatternMining: {
      Table input = ExecuteAt(*op.children[0], depth + 1);
      return ExecutePatternMining(op.As<LogicalPatternMining>(), input, context_);
    }
    case LogicalKind::kApply: {
      Table input = ExecuteAt(*op.children[0], depth + 1);
      return ExecuteApply(op.As<LogicalApply>(), input, context_,
                          [&](const LogicalOperator& sub) { return ExecuteAt(sub, depth + 1); });
    }
    case LogicalKind::kGraph: {
      std::vector<Table> inputs;
      for (const auto& child : op.children) inputs.push_back(ExecuteAt(*child, depth + 1));
      return ExecuteGraph(op.As<LogicalGraph>(), inputs, context_);
    }
    case LogicalKind::kUnion: {
      std::vector<Table> children;
      for (const auto& child : op.children) children.push_back(ExecuteAt(*child, depth + 1));
      return UnionTables(op.As<LogicalUnion>(), children);
    }
    default: break;  // The streaming operators ran above.
  }
  throw QueryError("Unsupported plan operator: " + op.Describe());
}

PhysicalPipeline PhysicalPlanner::BuildPipeline(const LogicalOperator& op, int depth) {
  CheckDepth(depth);
  PhysicalPipeline pipeline;
  pipeline.limits = context_.limits;
  switch (op.kind) {
    case LogicalKind::kScan: pipeline.source = MakeScan(op.As<LogicalScan>()); return pipeline;
    case LogicalKind::kRange:
      pipeline.source = MakeRangeSource(EvaluateRange(op.As<LogicalRange>(), context_), context_.chunk_size);
      return pipeline;
    case LogicalKind::kFilter:
      pipeline = BuildPipeline(*op.children[0], depth + 1);
      pipeline.operators.push_back(MakeFilterFactory(*op.As<LogicalFilter>().predicate, context_));
      return pipeline;
    case LogicalKind::kProject: {
      pipeline = BuildPipeline(*op.children[0], depth + 1);
      std::vector<const BoundExpr*> exprs;
      for (const auto& expr : op.As<LogicalProject>().exprs) exprs.push_back(expr.get());
      pipeline.operators.push_back(MakeProjectFactory(std::move(exprs), context_));
      return pipeline;
    }
    case LogicalKind::kMvExpand:
      pipeline = BuildPipeline(*op.children[0], depth + 1);
      pipeline.operators.push_back(MakeMvExpandFactory(op.As<LogicalMvExpand>()));
      return pipeline;
    case LogicalKind::kParse:
      pipeline = BuildPipeline(*op.children[0], depth + 1);
      pipeline.operators.push_back(MakeParseFactory(op.As<LogicalParse>(), context_));
      return pipeline;
    case LogicalKind::kParseKv:
      pipeline = BuildPipeline(*op.children[0], depth + 1);
      pipeline.operators.push_back(MakeParseKvFactory(op.As<LogicalParseKv>(), context_));
      return pipeline;
    default: {
      // A pipeline breaker: its materialised result feeds the next pipeline.
      auto table = std::make_shared<Table>(ExecuteAt(op, depth));
      pipeline.source = MakeTableSource(std::move(table));
      return pipeline;
    }
  }
}

std::unique_ptr<PipelineSource> PhysicalPlanner::MakeScan(const LogicalScan& scan) {
  auto found = context_.sources.find(scan.table_name);
  if (found == context_.sources.end() || !found->second) {
    throw QueryError("Table '" + scan.table_name + "' has no data");
  }
  ScanRequest request;
  request.columns = scan.schema;
  request.prefilter = scan.prefilter;
  request.prefilter_columns = scan.prefilter_columns;
  request.chunk_size = context_.chunk_size;
  auto& stats = context_.scan_stats[scan.table_name];
  if (!stats) {
    stats = std::make_shared<ScanStats>();
    stats->strict = context_.strict;
  }
  return MakeScanSource(found->second, std::move(request), stats);
}

Table PhysicalPlanner::ExecuteAggregate(const LogicalAggregate& aggregate, int depth) {
  PhysicalPipeline pipeline = BuildPipeline(*aggregate.children[0], depth + 1);
  // Evaluates keys and arguments upstream so that the sink only sees columns: [keys..., args...].
  std::vector<const BoundExpr*> exprs;
  std::vector<KqlType> key_types;
  for (const auto& key : aggregate.keys) {
    exprs.push_back(key.get());
    key_types.push_back(key->type);
  }
  std::vector<AggregateSpec> specs;
  for (const auto& bound : aggregate.aggregates) {
    AggregateSpec spec;
    spec.function = bound.function;
    spec.outputs = bound.outputs;
    for (const auto& arg : bound.args) {
      spec.arg_columns.push_back(exprs.size());
      spec.arg_types.push_back(arg->type);
      spec.constants.push_back(arg->kind == BoundExprKind::kConstant ? arg->constant : Value());
      exprs.push_back(arg.get());
    }
    specs.push_back(std::move(spec));
  }
  pipeline.operators.push_back(MakeProjectFactory(std::move(exprs), context_));
  HashAggregateSink sink(aggregate.schema, std::move(key_types), std::move(specs), context_.chunk_size);
  return RunPipeline(pipeline, sink, context_.threads);
}

Table PhysicalPlanner::ExecuteSort(const LogicalOperator& op, const std::vector<SortKey>& keys, int64_t limit,
                                   int depth) {
  const LogicalOperator& child = *op.children[0];
  PhysicalPipeline pipeline = BuildPipeline(child, depth + 1);
  std::vector<SortColumn> columns;
  std::vector<const BoundExpr*> extra;
  for (const auto& key : keys) {
    SortColumn column;
    column.ascending = key.ascending;
    column.nulls_first = key.nulls_first;
    if (key.expr->kind == BoundExprKind::kColumnRef) {
      column.column = key.expr->column_index;
    } else {
      column.column = child.schema.size() + extra.size();
      extra.push_back(key.expr.get());
    }
    columns.push_back(column);
  }
  if (!extra.empty()) {
    std::vector<const BoundExpr*> exprs;
    for (size_t c = 0; c < child.schema.size(); ++c) exprs.push_back(MakeColumnRef(c, child.schema[c]));
    exprs.insert(exprs.end(), extra.begin(), extra.end());
    pipeline.operators.push_back(MakeProjectFactory(std::move(exprs), context_));
  }
  SortSink sink(op.schema, std::move(columns), limit, context_.chunk_size);
  return RunPipeline(pipeline, sink, context_.threads);
}

Table PhysicalPlanner::ExecuteDistinct(const LogicalDistinct& distinct, int depth) {
  PhysicalPipeline pipeline = BuildPipeline(*distinct.children[0], depth + 1);
  std::vector<KqlType> key_types;
  for (const auto& column : distinct.children[0]->schema) key_types.push_back(column.type);
  HashAggregateSink sink(distinct.schema, std::move(key_types), {}, context_.chunk_size);
  return RunPipeline(pipeline, sink, context_.threads);
}

Table PhysicalPlanner::ExecuteLimit(const LogicalLimit& limit, int depth) {
  PhysicalPipeline pipeline = BuildPipeline(*limit.children[0], depth + 1);
  pipeline.operators.push_back(MakeLimitFactory(limit.limit));
  ResultCollector collector(limit.schema, limit.limit);
  return RunPipeline(pipeline, collector, context_.threads);
}

Table PhysicalPlanner::ExecuteValues(const LogicalValues& values) {
  if (values.schema.empty()) {
    // print's single empty row: a chunk with rows but no columns.
    Table table;
    if (!values.rows.empty()) {
      DataChunk chunk;
      chunk.size = values.rows.size();
      table.chunks.push_back(std::move(chunk));
    }
    return table;
  }
  std::vector<ColumnVector> columns;
  for (const auto& column : values.schema) {
    columns.emplace_back(column.type);
    columns.back().Reserve(values.rows.size());
  }
  for (const auto& row : values.rows) {
    KQL_ASSERT(row.size() == columns.size(), "datatable row width differs from its schema");
    for (size_t c = 0; c < columns.size(); ++c) columns[c].AppendValue(row[c]);
  }
  return TableFromColumns(values.schema, std::move(columns), context_.chunk_size);
}

Table PhysicalPlanner::ExecuteRange(const LogicalRange& range) {
  RangeRows rows = EvaluateRange(range, context_);
  Table table;
  table.schema = range.schema;
  const auto chunk_size = static_cast<int64_t>(std::max<size_t>(context_.chunk_size, 1));
  for (int64_t first = 0; first < rows.count; first += chunk_size) {
    DataChunk chunk = rows.Chunk(first, std::min<int64_t>(rows.count, first + chunk_size));
    if (context_.limits != nullptr) context_.limits->Charge(ChunkBytes(chunk), "range");
    table.chunks.push_back(std::move(chunk));
  }
  return table;
}

void PhysicalPlanner::Stream(const LogicalOperator& op, ResultStream& stream) {
  stream.Begin(op.schema);
  if (IsStreamingOperator(op.kind) || op.kind == LogicalKind::kRange) {
    PhysicalPipeline pipeline = BuildPipeline(op, 0);
    ResultStreamSink sink(op.schema, stream);
    RunPipeline(pipeline, sink, context_.threads);
    return;
  }
  switch (op.kind) {
    case LogicalKind::kLimit: {
      const auto& limit = op.As<LogicalLimit>();
      PhysicalPipeline pipeline = BuildPipeline(*limit.children[0], 1);
      pipeline.operators.push_back(MakeLimitFactory(limit.limit));
      ResultStreamSink sink(limit.schema, stream, limit.limit);
      RunPipeline(pipeline, sink, context_.threads);
      return;
    }
    default: {
      // A pipeline breaker (sort, summarize, join...) finishes first; its result then leaves chunk by chunk.
      Table table = ExecuteAt(op, 0);
      for (DataChunk& chunk : table.chunks) {
        DataChunk dense = chunk.selection ? chunk.Compact() : std::move(chunk);
        chunk = DataChunk();
        dense.columns.resize(std::min(dense.columns.size(), op.schema.size()));
        if (dense.ActiveCount() > 0 && !stream.Write(dense)) throw QueryError("the result could not be written");
      }
      return;
    }
  }
}

Table ExecutePlan(const LogicalOperator& plan, ExecutionContext& context) {
  PhysicalPlanner planner(context);
  Table result = planner.Execute(plan);
  result.schema = plan.schema;
  return result;
}

void ExecutePlanInto(const LogicalOperator& plan, ExecutionContext& context, ResultStream& stream) {
  PhysicalPlanner planner(context);
  planner.Stream(plan, stream);
}

}  // namespace kql::exec
