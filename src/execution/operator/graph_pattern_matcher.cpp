#include "execution/operator/graph_pattern_matcher.h"

#include <algorithm>
#include <unordered_map>

#include "execution/layer.h"

namespace kql::exec {
namespace {

using Direction = GraphPatternEdge::Direction;
constexpr uint32_t kUnbound = static_cast<uint32_t>(-1);

bool Passes(const std::vector<uint8_t>& filter, uint32_t index) { return filter.empty() || filter[index] != 0; }

/// The steps from `node` along one pattern edge, walked left to right (`forward`) or right to left: (edge, next).
template <typename Fn>
void ForEachStep(const PropertyGraph& graph, Direction direction, bool forward, uint32_t node, Fn&& fn) {
  const bool use_out = direction == Direction::kAny || (direction == Direction::kRight) == forward;
  const bool use_in = direction == Direction::kAny || (direction == Direction::kRight) != forward;
  if (use_out) {
    for (uint32_t edge : graph.out_edges[node]) fn(edge, graph.edge_target[edge]);
  }
  if (use_in) {
    for (uint32_t edge : graph.in_edges[node]) {
      // A self-loop is one step in either direction, not two.
      if (use_out && graph.edge_source[edge] == graph.edge_target[edge]) continue;
      fn(edge, graph.edge_source[edge]);
    }
  }
}

class Matcher {
 public:
  Matcher(const LogicalGraph& plan, const PropertyGraph& graph, const GraphElementFilters& filters, QueryLimits* limits,
          const std::function<void(const GraphMatch&)>& emit)
      : plan_(plan), graph_(graph), filters_(filters), limits_(limits), emit_(emit) {
    current_.nodes.assign(plan.pattern_nodes.size(), kUnbound);
    current_.edges.resize(plan.pattern_edges.size());
    current_.paths.resize(plan.pattern_edges.size());
    node_visits_.assign(graph.NodeCount(), 0);
    edge_uses_.assign(graph.EdgeCount(), 0);
    // Edge order: from the first node, always an edge with a bound end (the binder checked the pattern is connected).
    std::vector<bool> bound(plan.pattern_nodes.size(), false), done(plan.pattern_edges.size(), false);
    bound[0] = true;
    while (order_.size() < plan.pattern_edges.size()) {
      size_t pick = plan.pattern_edges.size();
      for (size_t edge = 0; edge < plan.pattern_edges.size(); ++edge) {
        if (done[edge]) continue;
        const GraphPatternEdge& pattern = plan.pattern_edges[edge];
        const bool left = bound[pattern.left], right = bound[pattern.right];
        if (left && right) {
          pick = edge;
          break;
        }
        if ((left || right) && pick == plan.pattern_edges.size()) pick = edge;
      }
      if (pick == plan.pattern_edges.size()) break;
      done[pick] = true;
      bound[plan.pattern_edges[pick].left] = bound[plan.pattern_edges[pick].right] = true;
      order_.push_back(pick);
    }
  }

  void Run() {
    for (uint32_t node = 0; node < graph_.NodeCount(); ++node) {
      if (!Passes(filters_.nodes[0], node)) continue;
      Bind(0, node);
      Step(0);
      Unbind(0, node);
    }
  }

 private:
  void Bind(size_t pattern_node, uint32_t node) {
    current_.nodes[pattern_node] = node;
    ++node_visits_[node];
  }
  void Unbind(size_t pattern_node, uint32_t node) {
    current_.nodes[pattern_node] = kUnbound;
    --node_visits_[node];
  }

  void Step(size_t position) {
    if (limits_ && (++steps_ & 0xFFF) == 0) limits_->CheckInterrupt();
    if (position == order_.size()) {
      emit_(current_);
      return;
    }
    const size_t edge = order_[position];
    const GraphPatternEdge& pattern = plan_.pattern_edges[edge];
    const bool forward = current_.nodes[pattern.left] != kUnbound;
    const uint32_t start = forward ? current_.nodes[pattern.left] : current_.nodes[pattern.right];
    path_edges_.clear();
    path_nodes_.assign(1, start);
    Hop(position, edge, forward, start, 0);
  }

  void Hop(size_t position, size_t edge, bool forward, uint32_t node, int64_t depth) {
    const GraphPatternEdge& pattern = plan_.pattern_edges[edge];
    const size_t end_pattern = forward ? pattern.right : pattern.left;
    if (depth >= pattern.min_hops) Finish(position, edge, forward, node, end_pattern);
    if (depth == pattern.max_hops) return;
    const bool inner = depth > 0;
    if (inner) {
      if (!Passes(filters_.inner_nodes[edge], node)) return;
      if (plan_.cycles == GraphCycles::kNone && node_visits_[node] > 0) return;
      ++node_visits_[node];
    }
    ForEachStep(graph_, pattern.direction, forward, node, [&](uint32_t step_edge, uint32_t next) {
      if (!Passes(filters_.edges[edge], step_edge)) return;
      if (plan_.cycles == GraphCycles::kUniqueEdges && edge_uses_[step_edge] > 0) return;
      ++edge_uses_[step_edge];
      path_edges_.push_back(step_edge);
      path_nodes_.push_back(next);
      Hop(position, edge, forward, next, depth + 1);
      path_edges_.pop_back();
      path_nodes_.pop_back();
      --edge_uses_[step_edge];
    });
    if (inner) --node_visits_[node];
  }

  void Finish(size_t position, size_t edge, bool forward, uint32_t node, size_t end_pattern) {
    const uint32_t bound = current_.nodes[end_pattern];
    if (bound != kUnbound) {
      if (bound != node) return;
    } else {
      if (!Passes(filters_.nodes[end_pattern], node)) return;
      if (plan_.cycles == GraphCycles::kNone && node_visits_[node] > 0) return;
    }
    std::vector<uint32_t> saved_edges = path_edges_, saved_nodes = path_nodes_;
    current_.edges[edge] = path_edges_;
    current_.paths[edge] = path_nodes_;
    if (!forward) {
      std::reverse(current_.edges[edge].begin(), current_.edges[edge].end());
      std::reverse(current_.paths[edge].begin(), current_.paths[edge].end());
    }
    if (bound == kUnbound) Bind(end_pattern, node);
    Step(position + 1);
    if (bound == kUnbound) Unbind(end_pattern, node);
    path_edges_ = std::move(saved_edges);
    path_nodes_ = std::move(saved_nodes);
  }

  const LogicalGraph& plan_;
  const PropertyGraph& graph_;
  const GraphElementFilters& filters_;
  QueryLimits* limits_;
  const std::function<void(const GraphMatch&)>& emit_;
  std::vector<size_t> order_;
  GraphMatch current_;
  std::vector<uint32_t> node_visits_;
  std::vector<uint32_t> edge_uses_;
  std::vector<uint32_t> path_edges_;
  std::vector<uint32_t> path_nodes_;
  uint64_t steps_ = 0;
};

/// graph-shortest-paths over (a)-[e*m..n]-(b): per source node, layer by layer over walks whose inner nodes and
/// edges pass their conditions; each target passing b's conditions gets the paths of the first layer >= m that
/// reaches it (one path, the first found, with output=any).
void FindShortestPaths(const LogicalGraph& plan, const PropertyGraph& graph, const GraphElementFilters& filters,
                       QueryLimits* limits, const std::function<void(const GraphMatch&)>& emit) {
  const GraphPatternEdge& pattern = plan.pattern_edges[0];
  const bool same_node = pattern.left == pattern.right;
  struct Layer {
    std::vector<uint32_t> nodes;
    std::unordered_map<uint32_t, std::vector<std::pair<uint32_t, uint32_t>>> predecessors;  // node -> (edge, prev)
  };
  GraphMatch match;
  match.nodes.assign(plan.pattern_nodes.size(), 0);
  match.edges.resize(1);
  match.paths.resize(1);
  for (uint32_t source = 0; source < graph.NodeCount(); ++source) {
    if (!Passes(filters.nodes[pattern.left], source)) continue;
    if (limits) limits->CheckInterrupt();
    std::vector<Layer> layers(1);
    layers[0].nodes.push_back(source);
    layers[0].predecessors[source];
    std::unordered_map<uint32_t, size_t> found;
    std::vector<uint32_t> targets;
    for (int64_t depth = 0;; ++depth) {
      if (depth >= pattern.min_hops) {
        for (uint32_t node : layers[depth].nodes) {
          if (found.count(node) || (same_node && node != source)) continue;
          if (!same_node && !Passes(filters.nodes[pattern.right], node)) continue;
          found[node] = static_cast<size_t>(depth);
          targets.push_back(node);
        }
      }
      if (depth == pattern.max_hops || layers[depth].nodes.empty()) break;
      Layer next;
      for (uint32_t node : layers[depth].nodes) {
        if (depth > 0 && !Passes(filters.inner_nodes[0], node)) continue;
        ForEachStep(graph, pattern.direction, true, node, [&](uint32_t edge, uint32_t to) {
          if (!Passes(filters.edges[0], edge)) return;
          auto [entry, inserted] = next.predecessors.try_emplace(to);
          if (inserted) next.nodes.push_back(to);
          entry->second.emplace_back(edge, node);
        });
      }
      layers.push_back(std::move(next));
    }
    for (uint32_t target : targets) {
      const size_t length = found[target];
      match.nodes[pattern.left] = source;
      match.nodes[pattern.right] = target;
      std::vector<uint32_t> edges(length), nodes(length + 1);
      nodes[length] = target;
      // Walks back from the target through the predecessors of each layer.
      std::function<bool(size_t, uint32_t)> back = [&](size_t layer, uint32_t node) {
        if (layer == 0) {
          match.edges[0] = edges;
          match.paths[0] = nodes;
          emit(match);
          return !plan.all_shortest;
        }
        for (const auto& [edge, previous] : layers[layer].predecessors.at(node)) {
          edges[layer - 1] = edge;
          nodes[layer - 1] = previous;
          if (back(layer - 1, previous)) return true;
        }
        return false;
      };
      back(length, target);
    }
  }
}

}  // namespace

void FindGraphMatches(const LogicalGraph& plan, const PropertyGraph& graph, const GraphElementFilters& filters,
                      QueryLimits* limits, const std::function<void(const GraphMatch&)>& emit) {
  if (plan.output == GraphOutput::kShortestPaths) {
    FindShortestPaths(plan, graph, filters, limits, emit);
    return;
  }
  Matcher matcher(plan, graph, filters, limits, emit);
  matcher.Run();
}

}  // namespace kql::exec
