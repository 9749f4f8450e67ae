// GraphPatternMatcher: finds the matches of a graph-match pattern (backtracking from the first pattern node, edge
// by edge, under the cycles option) and the shortest paths of graph-shortest-paths (breadth first, layer by layer).
#pragma once
#include <cstdint>
#include <functional>
#include <vector>

#include "execution/operator/property_graph.h"
#include "execution/query_limits.h"
#include "execution/layer.h"

namespace kql::exec {

/// One match: the graph node of each pattern node, and per pattern edge its graph edges and the nodes along them
/// (from the pattern's left node to its right node; a fixed edge has one edge and two nodes).
struct GraphMatch {
  std::vector<uint32_t> nodes;
  std::vector<std::vector<uint32_t>> edges;
  std::vector<std::vector<uint32_t>> paths;
};

/// Per graph node or edge: whether a pattern element's conditions hold (empty: no conditions).
struct GraphElementFilters {
  std::vector<std::vector<uint8_t>> nodes;        ///< Per pattern node.
  std::vector<std::vector<uint8_t>> edges;        ///< Per pattern edge.
  std::vector<std::vector<uint8_t>> inner_nodes;  ///< Per pattern edge.
};

/// Calls `emit` for every match of the pattern (graph-match) or every shortest path (graph-shortest-paths).
void FindGraphMatches(const LogicalGraph& plan, const PropertyGraph& graph, const GraphElementFilters& filters,
                      QueryLimits* limits, const std::function<void(const GraphMatch&)>& emit);

}  // namespace kql::exec
