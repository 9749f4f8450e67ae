// LogicalGraph: make-graph and the graph operators that follow it. children[0] is the edges table, children[1..]
// the `with Nodes on Id` tables. A plan whose `output` is kGraph is graph-valued (an empty schema) and only a graph
// operator may follow it; graph-mark-components adds node properties; graph-match, graph-shortest-paths and
// graph-to-table turn the graph into a table.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "plan/logical_operator.h"
#include "plan/layer.h"

namespace kql::plan {

/// What a LogicalGraph produces.
enum class GraphOutput { kGraph, kMatch, kShortestPaths, kNodes, kEdges };

/// graph-match's cycles= option.
enum class GraphCycles { kUniqueEdges, kNone, kAll };

/// A node of the pattern (a named variable used several times is one node).
struct GraphPatternNode {
  std::string name;     ///< Empty for `()`.
  BoundExprPtr filter;  ///< Conditions on this node alone, over GraphNodeEvalSchema; nullptr when none.
  GraphPatternNode Clone() const;
};

/// An edge of the pattern between nodes `left` and `right` (as written).
struct GraphPatternEdge {
  std::string name;
  size_t left = 0;
  size_t right = 0;
  enum class Direction { kRight, kLeft, kAny } direction = Direction::kRight;
  bool variable_length = false;
  int64_t min_hops = 1;
  int64_t max_hops = 1;
  BoundExprPtr filter;        ///< Every edge matched must satisfy it (over the edges' schema); nullptr when none.
  BoundExprPtr inner_filter;  ///< Variable length: every inner node must satisfy it (GraphNodeEvalSchema).
  GraphPatternEdge Clone() const;
};

/// A graph function of graph-match's where/project, computed per match as a column of `match_schema`.
struct GraphCall {
  enum class Kind { kMap, kAll, kAny, kDegreeIn, kDegreeOut, kLabels } kind = Kind::kMap;
  bool on_edge = false;      ///< The element is pattern edge `element`; otherwise pattern node `element`.
  bool inner_nodes = false;  ///< map/all/any over inner_nodes(edge).
  size_t element = 0;
  BoundExprPtr expr;  ///< map/all/any: over the edges' schema, or GraphNodeEvalSchema for inner nodes.
  GraphCall Clone() const;
};

/// What one column of `match_schema` holds.
struct GraphMatchColumn {
  enum class Kind { kNodeProperty, kEdgeProperty, kCall } kind = Kind::kNodeProperty;
  size_t element = 0;   ///< Pattern node, pattern edge, or index into `calls`.
  size_t property = 0;  ///< Node property or edge column (an array per match for variable length edges).
};

struct LogicalGraph : LogicalOperator {
  LogicalGraph() : LogicalOperator(LogicalKind::kGraph) {}
  // --- make-graph ---
  size_t source_column = 0;                ///< In children[0]'s schema.
  size_t target_column = 0;
  std::vector<size_t> node_id_columns;     ///< Per node table (children[1 + i]).
  /// Node properties: the node tables' columns merged by name, or the with_node_id= property alone.
  Schema node_schema;
  /// Per node table: the node property of each of its columns.
  std::vector<std::vector<size_t>> node_table_properties;
  /// Node properties that receive the node id for nodes that no node table row describes.
  std::vector<size_t> id_properties;
  KqlType id_type = KqlType::kString;
  /// partitioned-by: the column in the edges table and in each node table (nullopt-like -1 when absent).
  int64_t partition_edge_column = -1;
  std::vector<size_t> partition_node_columns;
  /// graph-mark-components, in order: strong or weak, and the node property it writes (a long).
  std::vector<std::pair<bool, size_t>> components;

  GraphOutput output = GraphOutput::kGraph;
  // --- graph-match / graph-shortest-paths ---
  std::vector<GraphPatternNode> pattern_nodes;
  std::vector<GraphPatternEdge> pattern_edges;
  GraphCycles cycles = GraphCycles::kUniqueEdges;
  bool all_shortest = false;               ///< graph-shortest-paths output=all.
  Schema match_schema;                     ///< What `predicate` and `project` see, one column per entry of:
  std::vector<GraphMatchColumn> match_columns;
  std::vector<GraphCall> calls;
  BoundExprPtr predicate;                  ///< What remains of `where` (over match_schema); nullptr when none.
  std::vector<BoundExprPtr> project;       ///< One per output column (over match_schema).
  // --- graph-to-table ---
  std::string node_id_column;              ///< nodes: with_node_id= (the id's hash); empty when absent.
  std::string source_id_column;            ///< edges: with_source_id=.
  std::string target_id_column;            ///< edges: with_target_id=.

  LogicalOperatorPtr Clone() const override;
  std::string Describe() const override;
};

/// The schema node conditions see: the node properties, then `node_degree_in()`, `node_degree_out()` and
/// `labels()` as hidden columns.
Schema GraphNodeEvalSchema(const Schema& node_schema);

}  // namespace kql::plan
