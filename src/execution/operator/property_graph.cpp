#include "execution/operator/property_graph.h"

#include <algorithm>
#include <cstring>
#include <numeric>
#include <optional>
#include <string>
#include <unordered_map>

#include "execution/layer.h"

namespace kql::exec {
namespace {

/// The bytes that identify a non-null id value (ids of one graph share one physical type).
std::optional<std::string> IdKey(const ColumnVector& column, size_t row) {
  if (column.IsNull(row)) return std::nullopt;
  switch (column.physical_type()) {
    case PhysicalType::kInt64: {
      std::string key(sizeof(int64_t), '\0');
      std::memcpy(key.data(), &column.ints()[row], sizeof(int64_t));
      return key;
    }
    case PhysicalType::kDouble: {
      std::string key(sizeof(double), '\0');
      std::memcpy(key.data(), &column.reals()[row], sizeof(double));
      return key;
    }
    case PhysicalType::kString: return std::string(column.strings()[row]);
    case PhysicalType::kDynamic: return std::nullopt;  // Rejected by the binder.
  }
  return std::nullopt;
}

/// Component number of each node, numbered by the first node of each component.
std::vector<int64_t> Components(const PropertyGraph& graph, bool strong) {
  const size_t count = graph.NodeCount();
  std::vector<size_t> label(count);
  if (!strong) {
    std::iota(label.begin(), label.end(), size_t{0});
    auto find = [&](size_t x) {
      while (label[x] != x) x = label[x] = label[label[x]];
      return x;
    };
    for (size_t edge = 0; edge < graph.EdgeCount(); ++edge) {
      const size_t a = find(graph.edge_source[edge]);
      const size_t b = find(graph.edge_target[edge]);
      if (a != b) label[std::max(a, b)] = std::min(a, b);
    }
    for (size_t node = 0; node < count; ++node) label[node] = find(node);
  } else {
    // Tarjan's strongly connected components, iteratively.
    constexpr size_t kUnvisited = static_cast<size_t>(-1);
    std::vector<size_t> index(count, kUnvisited), low(count, 0);
    std::vector<bool> on_stack(count, false);
    std::vector<size_t> stack;
    std::vector<std::pair<size_t, size_t>> calls;  // (node, next out-edge position)
    size_t next_index = 0;
    for (size_t root = 0; root < count; ++root) {
      if (index[root] != kUnvisited) continue;
      calls.emplace_back(root, 0);
      index[root] = low[root] = next_index++;
      stack.push_back(root);
      on_stack[root] = true;
      while (!calls.empty()) {
        auto& [node, position] = calls.back();
        if (position < graph.out_edges[node].size()) {
          const size_t next = graph.edge_target[graph.out_edges[node][position++]];
          if (index[next] == kUnvisited) {
            index[next] = low[next] = next_index++;
            stack.push_back(next);
            on_stack[next] = true;
            calls.emplace_back(next, 0);
          } else if (on_stack[next]) {
            low[node] = std::min(low[node], index[next]);
          }
          continue;
        }
        const size_t finished = node;
        calls.pop_back();
        if (!calls.empty()) low[calls.back().first] = std::min(low[calls.back().first], low[finished]);
        if (low[finished] != index[finished]) continue;
        size_t smallest = finished;
        std::vector<size_t> members;
        while (true) {
          const size_t member = stack.back();
          stack.pop_back();
          on_stack[member] = false;
          members.push_back(member);
          smallest = std::min(smallest, member);
          if (member == finished) break;
        }
        for (size_t member : members) label[member] = smallest;
      }
    }
  }
  // Consecutive numbers from 0 in the order of each component's first node.
  std::vector<int64_t> numbers(count, -1), result(count, 0);
  int64_t next = 0;
  for (size_t node = 0; node < count; ++node) {
    if (numbers[label[node]] < 0) numbers[label[node]] = next++;
    result[node] = numbers[label[node]];
  }
  return result;
}

}  // namespace

PropertyGraph BuildPropertyGraph(const LogicalGraph& plan, const DataChunk& edges, const std::vector<uint32_t>& edge_rows,
                                 const std::vector<const DataChunk*>& node_tables,
                                 const std::vector<std::vector<uint32_t>>& node_rows) {
  PropertyGraph graph;
  const size_t properties = plan.node_schema.size();
  std::unordered_map<std::string, uint32_t> index_of;
  std::vector<std::vector<Value>> values;  // Per node, per property.
  std::vector<std::vector<bool>> described;  // Per node, per property: set by a nodes table row.
  graph.node_ids = ColumnVector(plan.id_type);
  auto add_node = [&](const ColumnVector& ids, size_t row, const std::string& key) {
    const uint32_t node = static_cast<uint32_t>(values.size());
    index_of.emplace(key, node);
    Value id = ids.GetValue(row);
    graph.node_ids.AppendValue(id);
    values.emplace_back(properties);
    described.emplace_back(properties, false);
    for (size_t property = 0; property < properties; ++property) {
      values.back()[property] = Value::Null(plan.node_schema[property].type);
    }
    for (size_t property : plan.id_properties) values.back()[property] = id;
    return node;
  };
  for (size_t table = 0; table < node_tables.size(); ++table) {
    const DataChunk& chunk = *node_tables[table];
    const ColumnVector& ids = chunk.columns[plan.node_id_columns[table]];
    for (uint32_t row : node_rows[table]) {
      std::optional<std::string> key = IdKey(ids, row);
      if (!key) continue;
      auto found = index_of.find(*key);
      const uint32_t node = found != index_of.end() ? found->second : add_node(ids, row, *key);
      for (size_t column = 0; column < chunk.columns.size(); ++column) {
        const size_t property = plan.node_table_properties[table][column];
        if (described[node][property]) continue;
        described[node][property] = true;
        Value value = chunk.columns[column].GetValue(row);
        // An int property of the same name as another table's long one is converted when the column is built.
        if (value.is_null) value = Value::Null(plan.node_schema[property].type);
        values[node][property] = std::move(value);
      }
    }
  }
  const ColumnVector& sources = edges.columns[plan.source_column];
  const ColumnVector& targets = edges.columns[plan.target_column];
  std::vector<uint32_t> kept_rows;
  for (uint32_t row : edge_rows) {
    std::optional<std::string> source_key = IdKey(sources, row);
    std::optional<std::string> target_key = IdKey(targets, row);
    if (!source_key || !target_key) continue;
    auto source = index_of.find(*source_key);
    const uint32_t from = source != index_of.end() ? source->second : add_node(sources, row, *source_key);
    auto target = index_of.find(*target_key);
    const uint32_t to = target != index_of.end() ? target->second : add_node(targets, row, *target_key);
    graph.edge_source.push_back(from);
    graph.edge_target.push_back(to);
    kept_rows.push_back(row);
  }
  const size_t node_count = values.size();
  graph.out_edges.resize(node_count);
  graph.in_edges.resize(node_count);
  for (uint32_t edge = 0; edge < graph.edge_source.size(); ++edge) {
    graph.out_edges[graph.edge_source[edge]].push_back(edge);
    graph.in_edges[graph.edge_target[edge]].push_back(edge);
  }
  // The edges' own table, one row per kept edge.
  graph.edges.size = kept_rows.size();
  for (const ColumnVector& column : edges.columns) {
    ColumnVector copy(column.type());
    copy.Reserve(kept_rows.size());
    for (uint32_t row : kept_rows) copy.AppendFrom(column, row);
    graph.edges.columns.push_back(std::move(copy));
  }
  for (const auto& [strong, property] : plan.components) {
    const std::vector<int64_t> component = Components(graph, strong);
    for (size_t node = 0; node < node_count; ++node) values[node][property] = Value::Long(component[node]);
  }
  const Schema eval = GraphNodeEvalSchema(plan.node_schema);
  graph.nodes.size = node_count;
  for (size_t property = 0; property < eval.size(); ++property) {
    ColumnVector column(eval[property].type);
    column.Reserve(node_count);
    for (size_t node = 0; node < node_count; ++node) {
      if (property < properties) {
        column.AppendValue(values[node][property]);
      } else if (property == properties) {
        column.AppendInt(static_cast<int64_t>(graph.in_edges[node].size()));
      } else if (property == properties + 1) {
        column.AppendInt(static_cast<int64_t>(graph.out_edges[node].size()));
      } else {
        column.AppendDynamic(DynamicValue::MakeArray({}));
      }
    }
    graph.nodes.columns.push_back(std::move(column));
  }
  return graph;
}

}  // namespace kql::exec
