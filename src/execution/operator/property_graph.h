// PropertyGraph: the in-memory graph make-graph builds from an edges table and its nodes tables, with the
// adjacency graph-match and graph-shortest-paths walk, and graph-mark-components' component ids.
#pragma once
#include <cstdint>
#include <vector>

#include "plan/logical_graph.h"
#include "vector/data_chunk.h"
#include "execution/layer.h"

namespace kql::exec {

/// Nodes and edges with their properties. Node and edge numbers are dense, in the order make-graph meets them:
/// nodes tables' rows first (first table, then the second), then nodes that only the edges name, in edge order.
struct PropertyGraph {
  /// GraphNodeEvalSchema(node_schema): the node properties, in-degree, out-degree and labels (always []).
  DataChunk nodes;
  ColumnVector node_ids;           ///< The node id of each node (graph-to-table's hashes are of these).
  DataChunk edges;                 ///< The edges table's columns, one row per edge.
  std::vector<uint32_t> edge_source;
  std::vector<uint32_t> edge_target;
  std::vector<std::vector<uint32_t>> out_edges;  ///< Per node: edges leaving it, in edge order.
  std::vector<std::vector<uint32_t>> in_edges;   ///< Per node: edges entering it, in edge order.
  size_t NodeCount() const { return out_edges.size(); }
  size_t EdgeCount() const { return edge_source.size(); }
};

/// Builds the graph from the rows `edge_rows` of `edges` and `node_rows[i]` of `node_tables[i]` (dense chunks of
/// the plan's children). Rows whose node id is null are left out (an edge with a null end, a node row without
/// id); a node described by several rows keeps the first value of each property. Runs graph-mark-components.
PropertyGraph BuildPropertyGraph(const LogicalGraph& plan, const DataChunk& edges, const std::vector<uint32_t>& edge_rows,
                                 const std::vector<const DataChunk*>& node_tables,
                                 const std::vector<std::vector<uint32_t>>& node_rows);

}  // namespace kql::exec
