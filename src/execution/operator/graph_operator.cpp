#include "execution/operator/graph_operator.h"

#include <map>
#include <memory>
#include <optional>

#include "execution/expression_executor.h"
#include "execution/operator/graph_pattern_matcher.h"
#include "execution/operator/property_graph.h"
#include "execution/query_limits.h"
#include "execution/table_builder.h"
#include "execution/layer.h"

namespace kql::exec {
namespace {

constexpr size_t kMatchBatch = 1024;

/// All rows of a table as one dense chunk.
DataChunk Flatten(const Table& table) {
  DataChunk flat;
  for (const ColumnDef& column : table.schema) flat.columns.emplace_back(column.type);
  for (const DataChunk& chunk : table.chunks) {
    chunk.ForEachActive([&](size_t row) {
      for (size_t column = 0; column < flat.columns.size(); ++column) {
        flat.columns[column].AppendFrom(chunk.columns[column], row);
      }
      ++flat.size;
    });
  }
  return flat;
}

void CollectColumns(const BoundExpr& expr, std::vector<bool>& used) {
  if (expr.kind == BoundExprKind::kColumnRef && expr.column_index < used.size()) used[expr.column_index] = true;
  for (const BoundExprPtr& arg : expr.args) CollectColumns(*arg, used);
}

/// Where each row of `chunk` satisfies `filter` (empty: no filter).
std::vector<uint8_t> FilterRows(const BoundExpr* filter, const DataChunk& chunk, ExecutionContext& context) {
  if (filter == nullptr) return {};
  std::vector<uint8_t> passes(chunk.size, 0);
  if (chunk.size == 0) return passes;
  ExpressionExecutor executor(*filter, context);
  std::vector<uint32_t> selection;
  executor.Select(chunk, selection);
  for (uint32_t row : selection) passes[row] = 1;
  return passes;
}

/// A chunk of `rows` of `source`, with only the `used` columns filled (the others all null).
DataChunk Gather(const DataChunk& source, const std::vector<uint32_t>& rows, const std::vector<bool>& used) {
  DataChunk chunk;
  chunk.size = rows.size();
  for (size_t column = 0; column < source.columns.size(); ++column) {
    ColumnVector gathered(source.columns[column].type());
    if (used[column]) {
      gathered.Reserve(rows.size());
      for (uint32_t row : rows) gathered.AppendFrom(source.columns[column], row);
    } else {
      gathered.Resize(rows.size());
    }
    chunk.columns.push_back(std::move(gathered));
  }
  return chunk;
}

/// The hash of each id (KQL's hash(), as graph-to-table's with_node_id and friends report them).
ColumnVector HashIds(const ColumnVector& ids, KqlType type, ExecutionContext& context) {
  DataChunk chunk;
  chunk.size = ids.size();
  chunk.columns.push_back(ids);
  std::vector<BoundExprPtr> args;
  args.push_back(BoundExpr::MakeColumn(0, "id", type));
  BoundExprPtr hash = BoundExpr::MakeCall("hash", KqlType::kLong, std::move(args));
  if (chunk.size == 0) return ColumnVector(KqlType::kLong);
  ExpressionExecutor executor(*hash, context);
  return executor.Evaluate(chunk);
}

/// Runs graph-match / graph-shortest-paths' where and project over matches, a batch at a time.
class MatchEvaluator {
 public:
  MatchEvaluator(const LogicalGraph& plan, ExecutionContext& context, TableBuilder& builder)
      : plan_(plan), context_(context), builder_(builder) {
    used_.assign(plan.match_schema.size(), false);
    if (plan.predicate) {
      CollectColumns(*plan.predicate, used_);
      predicate_ = std::make_unique<ExpressionExecutor>(*plan.predicate, context);
    }
    for (const BoundExprPtr& expr : plan.project) {
      CollectColumns(*expr, used_);
      project_.emplace_back(*expr, context);
    }
    for (const GraphCall& call : plan.calls) {
      std::optional<ExpressionExecutor> executor;
      std::vector<bool> used(call.inner_nodes ? plan.node_schema.size() + 3 : plan.children[0]->schema.size(), false);
      if (call.expr) {
        executor.emplace(*call.expr, context);
        CollectColumns(*call.expr, used);
      }
      call_executors_.push_back(std::move(executor));
      call_columns_.push_back(std::move(used));
    }
  }

  void Add(const PropertyGraph& graph, const GraphMatch& match) {
    batch_.push_back(match);
    if (batch_.size() >= kMatchBatch) Flush(graph);
  }

  void Flush(const PropertyGraph& graph) {
    if (batch_.empty()) return;
    DataChunk chunk;
    chunk.size = batch_.size();
    for (size_t column = 0; column < plan_.match_schema.size(); ++column) {
      chunk.columns.push_back(used_[column] ? Column(graph, column) : NullColumn(column));
    }
    std::vector<uint32_t> selection;
    if (predicate_) {
      predicate_->Select(chunk, selection);
      chunk.selection = selection;
    }
    DataChunk output;
    output.size = chunk.size;
    output.selection = chunk.selection;
    for (ExpressionExecutor& executor : project_) output.columns.push_back(executor.Evaluate(chunk));
    builder_.AppendChunk(output);
    batch_.clear();
  }

 private:
  ColumnVector NullColumn(size_t column) const {
    ColumnVector vector(plan_.match_schema[column].type);
    vector.Resize(batch_.size());
    return vector;
  }

  ColumnVector Column(const PropertyGraph& graph, size_t index) {
    const GraphMatchColumn& source = plan_.match_columns[index];
    ColumnVector column(plan_.match_schema[index].type);
    column.Reserve(batch_.size());
    switch (source.kind) {
      case GraphMatchColumn::Kind::kNodeProperty:
        for (const GraphMatch& match : batch_) {
          column.AppendFrom(graph.nodes.columns[source.property], match.nodes[source.element]);
        }
        return column;
      case GraphMatchColumn::Kind::kEdgeProperty: {
        const ColumnVector& values = graph.edges.columns[source.property];
        const bool path = plan_.pattern_edges[source.element].variable_length;
        for (const GraphMatch& match : batch_) {
          const std::vector<uint32_t>& edges = match.edges[source.element];
          if (!path) {
            column.AppendFrom(values, edges[0]);
            continue;
          }
          std::vector<Dynamic> items;
          for (uint32_t edge : edges) items.push_back(ToDynamic(values.GetValue(edge)));
          column.AppendDynamic(DynamicValue::MakeArray(std::move(items)));
        }
        return column;
      }
      case GraphMatchColumn::Kind::kCall: return CallColumn(graph, source.element);
    }
    return column;
  }

  ColumnVector CallColumn(const PropertyGraph& graph, size_t index) {
    const GraphCall& call = plan_.calls[index];
    ColumnVector column(plan_.match_schema[std::find_if(plan_.match_columns.begin(), plan_.match_columns.end(),
                                                        [&](const GraphMatchColumn& entry) {
                                                          return entry.kind == GraphMatchColumn::Kind::kCall &&
                                                                 entry.element == index;
                                                        }) -
                                           plan_.match_columns.begin()]
                           .type);
    switch (call.kind) {
      case GraphCall::Kind::kDegreeIn:
      case GraphCall::Kind::kDegreeOut:
        for (const GraphMatch& match : batch_) {
          const uint32_t node = match.nodes[call.element];
          column.AppendInt(static_cast<int64_t>(call.kind == GraphCall::Kind::kDegreeIn ? graph.in_edges[node].size()
                                                                                     : graph.out_edges[node].size()));
        }
        return column;
      case GraphCall::Kind::kLabels:
        for (size_t row = 0; row < batch_.size(); ++row) column.AppendDynamic(DynamicValue::MakeArray({}));
        return column;
      default: break;
    }
    // map / all / any: the expression over every edge (or inner node) of every match at once, then regrouped.
    std::vector<uint32_t> rows;
    std::vector<size_t> starts;
    for (const GraphMatch& match : batch_) {
      starts.push_back(rows.size());
      if (call.inner_nodes) {
        const std::vector<uint32_t>& path = match.paths[call.element];
        for (size_t position = 1; position + 1 < path.size(); ++position) rows.push_back(path[position]);
      } else {
        const std::vector<uint32_t>& edges = match.edges[call.element];
        rows.insert(rows.end(), edges.begin(), edges.end());
      }
    }
    starts.push_back(rows.size());
    ColumnVector values(call.expr->type);
    if (!rows.empty()) {
      DataChunk elements = Gather(call.inner_nodes ? graph.nodes : graph.edges, rows, call_columns_[index]);
      values = call_executors_[index]->Evaluate(elements);
    }
    for (size_t match = 0; match < batch_.size(); ++match) {
      if (call.kind == GraphCall::Kind::kMap) {
        std::vector<Dynamic> items;
        for (size_t row = starts[match]; row < starts[match + 1]; ++row) items.push_back(ToDynamic(values.GetValue(row)));
        column.AppendDynamic(DynamicValue::MakeArray(std::move(items)));
        continue;
      }
      bool all = true, any = false;
      for (size_t row = starts[match]; row < starts[match + 1]; ++row) {
        const bool holds = values.IsValid(row) && values.ints()[row] != 0;
        all = all && holds;
        any = any || holds;
      }
      column.AppendInt(call.kind == GraphCall::Kind::kAll ? all : any);
    }
    return column;
  }

  const LogicalGraph& plan_;
  ExecutionContext& context_;
  TableBuilder& builder_;
  std::vector<bool> used_;
  std::unique_ptr<ExpressionExecutor> predicate_;
  std::vector<ExpressionExecutor> project_;
  std::vector<std::optional<ExpressionExecutor>> call_executors_;
  std::vector<std::vector<bool>> call_columns_;
  std::vector<GraphMatch> batch_;
};

/// Runs the graph operators over one graph, appending the output rows.
void RunOnGraph(const LogicalGraph& plan, const PropertyGraph& graph, ExecutionContext& context, TableBuilder& builder) {
  if (plan.output == GraphOutput::kNodes || plan.output == GraphOutput::kEdges) {
    const bool nodes = plan.output == GraphOutput::kNodes;
    DataChunk chunk;
    chunk.size = nodes ? graph.NodeCount() : graph.EdgeCount();
    if (chunk.size == 0) return;
    std::optional<ColumnVector> hashes;
    if (!plan.node_id_column.empty() || !plan.source_id_column.empty() || !plan.target_id_column.empty()) {
      hashes = HashIds(graph.node_ids, plan.id_type, context);
    }
    auto by_node = [&](const std::vector<uint32_t>& ends) {
      ColumnVector column(KqlType::kLong);
      for (uint32_t node : ends) column.AppendFrom(*hashes, node);
      return column;
    };
    if (nodes) {
      if (!plan.node_id_column.empty()) chunk.columns.push_back(*hashes);
      for (size_t property = 0; property < plan.node_schema.size(); ++property) {
        chunk.columns.push_back(graph.nodes.columns[property]);
      }
    } else {
      if (!plan.source_id_column.empty()) chunk.columns.push_back(by_node(graph.edge_source));
      if (!plan.target_id_column.empty()) chunk.columns.push_back(by_node(graph.edge_target));
      for (const ColumnVector& column : graph.edges.columns) chunk.columns.push_back(column);
    }
    builder.AppendChunk(chunk);
    return;
  }
  GraphElementFilters filters;
  for (const GraphPatternNode& node : plan.pattern_nodes) {
    filters.nodes.push_back(FilterRows(node.filter.get(), graph.nodes, context));
  }
  for (const GraphPatternEdge& edge : plan.pattern_edges) {
    filters.edges.push_back(FilterRows(edge.filter.get(), graph.edges, context));
    filters.inner_nodes.push_back(FilterRows(edge.inner_filter.get(), graph.nodes, context));
  }
  MatchEvaluator evaluator(plan, context, builder);
  FindGraphMatches(plan, graph, filters, context.limits,
                   [&](const GraphMatch& match) { evaluator.Add(graph, match); });
  evaluator.Flush(graph);
}

/// A text that tells apart the values of one column.
std::string PartitionKey(const Value& value) {
  if (value.is_null) return "\x01null";
  if (value.type == KqlType::kDynamic) return "=" + (value.dynamic_value ? ToJson(*value.dynamic_value) : "");
  return "=" + std::to_string(value.int_value) + "|" + std::to_string(value.real_value) + "|" + value.string_value;
}

/// Each distinct value of a column: its rows, in the order the values first appear.
std::vector<std::pair<Value, std::vector<uint32_t>>> Partitions(const DataChunk& chunk, size_t column) {
  std::vector<std::pair<Value, std::vector<uint32_t>>> partitions;
  std::map<std::string, size_t> index;
  for (uint32_t row = 0; row < chunk.size; ++row) {
    const Value value = chunk.columns[column].GetValue(row);
    const std::string key = PartitionKey(value);
    auto [entry, inserted] = index.try_emplace(key, partitions.size());
    if (inserted) partitions.push_back({value, {}});
    partitions[entry->second].second.push_back(row);
  }
  return partitions;
}

}  // namespace

Table ExecuteGraph(const LogicalGraph& plan, const std::vector<Table>& inputs, ExecutionContext& context) {
  if (plan.output == GraphOutput::kGraph || (plan.pattern_nodes.empty() && (plan.output == GraphOutput::kMatch ||
                                                                            plan.output == GraphOutput::kShortestPaths))) {
    throw QueryError("a graph is not a table: turn it into one with graph-match, graph-shortest-paths or graph-to-table");
  }
  const DataChunk edges = Flatten(inputs[0]);
  std::vector<DataChunk> node_tables;
  for (size_t table = 1; table < inputs.size(); ++table) node_tables.push_back(Flatten(inputs[table]));
  std::vector<const DataChunk*> node_pointers;
  for (const DataChunk& chunk : node_tables) node_pointers.push_back(&chunk);
  TableBuilder builder(plan.schema, context.chunk_size);
  builder.ChargeTo(context.limits, "graph");
  auto all_rows = [](size_t count) {
    std::vector<uint32_t> rows(count);
    for (size_t row = 0; row < count; ++row) rows[row] = static_cast<uint32_t>(row);
    return rows;
  };
  if (plan.partition_edge_column < 0) {
    std::vector<std::vector<uint32_t>> node_rows;
    for (const DataChunk& chunk : node_tables) node_rows.push_back(all_rows(chunk.size));
    const PropertyGraph graph = BuildPropertyGraph(plan, edges, all_rows(edges.size), node_pointers, node_rows);
    RunOnGraph(plan, graph, context, builder);
    return builder.Finish();
  }
  // partitioned-by: one graph per value of the edges' partition column, with the nodes rows of that value.
  std::vector<std::map<std::string, std::vector<uint32_t>>> node_partitions(node_tables.size());
  for (size_t table = 0; table < node_tables.size(); ++table) {
    for (auto& [value, rows] : Partitions(node_tables[table], plan.partition_node_columns[table])) {
      node_partitions[table][PartitionKey(value)] = std::move(rows);
    }
  }
  for (const auto& [value, rows] : Partitions(edges, static_cast<size_t>(plan.partition_edge_column))) {
    const std::string key = PartitionKey(value);
    std::vector<std::vector<uint32_t>> node_rows;
    for (auto& partitions : node_partitions) {
      auto found = partitions.find(key);
      node_rows.push_back(found != partitions.end() ? found->second : std::vector<uint32_t>{});
    }
    const PropertyGraph graph = BuildPropertyGraph(plan, edges, rows, node_pointers, node_rows);
    RunOnGraph(plan, graph, context, builder);
  }
  return builder.Finish();
}

}  // namespace kql::exec
