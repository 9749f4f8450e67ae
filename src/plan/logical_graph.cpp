#include "plan/logical_graph.h"
#include "plan/layer.h"

namespace kql::plan {
namespace {

BoundExprPtr CloneOrNull(const BoundExprPtr& expr) { return expr ? expr->Clone() : nullptr; }

}  // namespace

GraphPatternNode GraphPatternNode::Clone() const { return {name, CloneOrNull(filter)}; }

GraphPatternEdge GraphPatternEdge::Clone() const {
  GraphPatternEdge copy;
  copy.name = name;
  copy.left = left;
  copy.right = right;
  copy.direction = direction;
  copy.variable_length = variable_length;
  copy.min_hops = min_hops;
  copy.max_hops = max_hops;
  copy.filter = CloneOrNull(filter);
  copy.inner_filter = CloneOrNull(inner_filter);
  return copy;
}

GraphCall GraphCall::Clone() const {
  GraphCall copy;
  copy.kind = kind;
  copy.on_edge = on_edge;
  copy.inner_nodes = inner_nodes;
  copy.element = element;
  copy.expr = CloneOrNull(expr);
  return copy;
}

LogicalOperatorPtr LogicalGraph::Clone() const {
  auto copy = std::make_unique<LogicalGraph>();
  copy->schema = schema;
  for (const auto& child : children) copy->children.push_back(child->Clone());
  copy->source_column = source_column;
  copy->target_column = target_column;
  copy->node_id_columns = node_id_columns;
  copy->node_schema = node_schema;
  copy->node_table_properties = node_table_properties;
  copy->id_properties = id_properties;
  copy->id_type = id_type;
  copy->partition_edge_column = partition_edge_column;
  copy->partition_node_columns = partition_node_columns;
  copy->components = components;
  copy->output = output;
  for (const GraphPatternNode& node : pattern_nodes) copy->pattern_nodes.push_back(node.Clone());
  for (const GraphPatternEdge& edge : pattern_edges) copy->pattern_edges.push_back(edge.Clone());
  copy->cycles = cycles;
  copy->all_shortest = all_shortest;
  copy->match_schema = match_schema;
  copy->match_columns = match_columns;
  for (const GraphCall& call : calls) copy->calls.push_back(call.Clone());
  copy->predicate = CloneOrNull(predicate);
  for (const BoundExprPtr& expr : project) copy->project.push_back(expr->Clone());
  copy->node_id_column = node_id_column;
  copy->source_id_column = source_id_column;
  copy->target_id_column = target_id_column;
  return copy;
}

std::string LogicalGraph::Describe() const {
  const Schema& edges = children[0]->schema;
  std::string out = "Graph " + edges[source_column].name + " --> " + edges[target_column].name;
  if (partition_edge_column >= 0) out += " partitioned-by " + edges[static_cast<size_t>(partition_edge_column)].name;
  for (const auto& [strong, property] : components) {
    out += std::string(" | mark-components ") + (strong ? "strong " : "weak ") + node_schema[property].name;
  }
  switch (output) {
    case GraphOutput::kGraph: return out;
    case GraphOutput::kNodes: return out + " | to-table nodes";
    case GraphOutput::kEdges: return out + " | to-table edges";
    case GraphOutput::kMatch:
    case GraphOutput::kShortestPaths: break;
  }
  out += output == GraphOutput::kMatch ? " | match " : " | shortest-paths ";
  for (size_t i = 0; i < pattern_edges.size(); ++i) {
    const GraphPatternEdge& edge = pattern_edges[i];
    if (i > 0) out += ", ";
    out += "(" + pattern_nodes[edge.left].name + ")";
    out += edge.direction == GraphPatternEdge::Direction::kLeft ? "<-[" : "-[";
    out += edge.name;
    if (edge.variable_length) out += "*" + std::to_string(edge.min_hops) + ".." + std::to_string(edge.max_hops);
    out += edge.direction == GraphPatternEdge::Direction::kRight ? "]->" : "]-";
    out += "(" + pattern_nodes[edge.right].name + ")";
    if (edge.filter) out += " {" + edge.filter->ToString() + "}";
  }
  if (pattern_edges.empty() && !pattern_nodes.empty()) out += "(" + pattern_nodes[0].name + ")";
  for (const GraphPatternNode& node : pattern_nodes) {
    if (node.filter) out += " " + node.name + ":{" + node.filter->ToString() + "}";
  }
  if (predicate) out += " where " + predicate->ToString();
  return out;
}

Schema GraphNodeEvalSchema(const Schema& node_schema) {
  Schema schema = node_schema;
  schema.push_back({"\x01node_degree_in", KqlType::kLong});
  schema.push_back({"\x01node_degree_out", KqlType::kLong});
  schema.push_back({"\x01labels", KqlType::kDynamic});
  return schema;
}

}  // namespace kql::plan
