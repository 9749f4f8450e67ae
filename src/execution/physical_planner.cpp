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
#include "execution/operator/sequence_scan_operator.h"
#include "execution/operator/result_collector.h"
#include "execution/operator/sort_sink.h"
#include "execution/operator/union_operator.h"
#include "execution/query_limits.h"
#include "execution/table_builder.h"
#include "execution/layer.h"

namespace kql::exec {
namespace {

/// Plans deeper than this are rejected rather than risking the stack.
constexpr int kMaxPlanDepth = 2000;
/// `range` refuses to produce more rows than this.
constexpr int64_t kMaxRangeRows = 100'000'000;

Value ConstantOf(const BoundExpr& expr, ExecutionContext& context) {
  if (expr.kind == BoundExprKind::kConstant) return expr.constant;
  return ExpressionExecutor::EvaluateConstant(expr, context);
}

void CheckDepth(int depth) {
  if (depth > kMaxPlanDepth) throw QueryError("The query plan is too deeply nested");
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
  switch (op.kind) {
    case LogicalKind::kScan:
    case LogicalKind::kFilter:
    case LogicalKind::kProject:
    case LogicalKind::kMvExpand:
    case LogicalKind::kParse:
    case LogicalKind::kParseKv: {
      PhysicalPipeline pipeline = BuildPipeline(op, depth);
      ResultCollector collector(op.schema);
      return RunPipeline(pipeline, collector, context_.threads);
    }
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
    case LogicalKind::kApply: {
      Table input = ExecuteAt(*op.children[0], depth + 1);
      return ExecuteApply(op.As<LogicalApply>(), input, context_,
                          [&](const LogicalOperator& sub) { return ExecuteAt(sub, depth + 1); });
    }
    case LogicalKind::kUnion: {
      std::vector<Table> children;
      for (const auto& child : op.children) children.push_back(ExecuteAt(*child, depth + 1));
      return UnionTables(op.As<LogicalUnion>(), children);
    }
  }
  throw QueryError("Unsupported plan operator: " + op.Describe());
}

PhysicalPipeline PhysicalPlanner::BuildPipeline(const LogicalOperator& op, int depth) {
  CheckDepth(depth);
  PhysicalPipeline pipeline;
  pipeline.limits = context_.limits;
  switch (op.kind) {
    case LogicalKind::kScan: pipeline.source = MakeScan(op.As<LogicalScan>()); return pipeline;
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
  KQL_ASSERT(range.schema.size() == 1, "range produces one column");
  KqlType type = range.schema[0].type;
  Value start = ConstantOf(*range.start, context_);
  Value stop = ConstantOf(*range.stop, context_);
  Value step = ConstantOf(*range.step, context_);
  Table table;
  table.schema = range.schema;
  if (start.is_null || stop.is_null || step.is_null) return table;
  auto as_real = [](const Value& value) {
    return value.type == KqlType::kReal || value.type == KqlType::kDecimal ? value.real_value
                                                                           : static_cast<double>(value.int_value);
  };
  bool real_column = PhysicalTypeOf(type) == PhysicalType::kDouble;
  double start_real = as_real(start);
  double stop_real = as_real(stop);
  double step_real = as_real(step);
  if (step_real == 0) throw QueryError("range: the step must not be zero");
  double span = (stop_real - start_real) / step_real;
  if (span < 0) return table;
  if (span >= static_cast<double>(kMaxRangeRows)) {
    throw QueryError("range: too many rows (the limit is " + std::to_string(kMaxRangeRows) + ")");
  }
  int64_t count;
  if (real_column) {
    count = static_cast<int64_t>(span + 1e-9) + 1;
  } else {
    int64_t start_int = start.int_value;
    int64_t stop_int = stop.int_value;
    int64_t step_int = step.type == KqlType::kReal ? static_cast<int64_t>(step.real_value) : step.int_value;
    if (step_int == 0) throw QueryError("range: the step must not be zero");
    count = (stop_int - start_int) / step_int + 1;
    if (count <= 0) return table;
  }
  size_t chunk_size = std::max<size_t>(context_.chunk_size, 1);
  for (int64_t first = 0; first < count; first += static_cast<int64_t>(chunk_size)) {
    int64_t last = std::min<int64_t>(count, first + static_cast<int64_t>(chunk_size));
    DataChunk chunk;
    chunk.size = static_cast<size_t>(last - first);
    ColumnVector column(type);
    column.Reserve(chunk.size);
    for (int64_t i = first; i < last; ++i) {
      if (real_column) {
        column.AppendReal(start_real + static_cast<double>(i) * step_real);
      } else {
        int64_t step_int = step.type == KqlType::kReal ? static_cast<int64_t>(step.real_value) : step.int_value;
        column.AppendInt(start.int_value + i * step_int);
      }
    }
    chunk.columns.push_back(std::move(column));
    if (context_.limits != nullptr) context_.limits->Charge(ChunkBytes(chunk), "range");
    table.chunks.push_back(std::move(chunk));
  }
  return table;
}

Table ExecutePlan(const LogicalOperator& plan, ExecutionContext& context) {
  PhysicalPlanner planner(context);
  Table result = planner.Execute(plan);
  result.schema = plan.schema;
  return result;
}

}  // namespace kql::exec
