// Binding of graph-match and graph-shortest-paths over a graph-valued LogicalGraph (bind_graph.cpp).
// Pattern variables are read as `n.property`; the graph functions map/all/any (over a variable length edge or
// inner_nodes(edge)), node_degree_in/out(node) and labels(element) become columns computed per match. The where
// clause is split at its top-level `and`s: a condition on one pattern node, on one edge (for a variable length
// edge: every edge of it), or all(e, ...) / all(inner_nodes(e), ...) filters the elements before matching; the
// rest is evaluated per match. Unsupported, by name: whole pattern variables as values, conditions mixing a
// variable length edge's properties with other elements, and graph-shortest-paths patterns other than
// (a)-[e*m..n]-(b) or path conditions other than all().
#include <functional>
#include <map>
#include <numeric>

#include "binder/binder_diagnostic.h"
#include "binder/query_binder.h"
#include "plan/logical_graph.h"
#include "binder/layer.h"

namespace kql::binder {
namespace {

/// The longest variable length edge (matching walks paths recursively, one frame per edge).
constexpr int64_t kMaxGraphHops = 256;

/// What a pattern variable names.
struct PatternVariable {
  bool edge = false;
  size_t index = 0;
};

/// The pattern variables and graph function calls an expression uses.
struct GraphUsage {
  std::vector<std::string> members;       ///< Variables read as `v.property`.
  std::vector<const CallExpr*> calls;     ///< Graph function calls.
  std::vector<const NameExpr*> bare;      ///< Variables used as values.
};

bool IsDegreeOrLabels(const std::string& name) {
  return name == "node_degree_in" || name == "node_degree_out" || name == "labels";
}

/// The variable a graph function call is about (`e` in map(e, x), map(inner_nodes(e), x), node_degree_in(e)), or
/// nullptr when the call is not a graph function call; *inner is set for inner_nodes(e).
const NameExpr* GraphCallVariable(const CallExpr& call, const std::map<std::string, PatternVariable>& variables,
                                  bool* inner) {
  *inner = false;
  const bool collection = call.name == "map" || call.name == "all" || call.name == "any";
  if (call.target || call.args.empty() || (!collection && !IsDegreeOrLabels(call.name))) return nullptr;
  if (collection && call.args.size() != 2) return nullptr;
  if (!collection && call.args.size() != 1) return nullptr;
  const Expr* first = &StripParens(*call.args[0]);
  if (collection && first->kind == ExprKind::kCall && first->As<CallExpr>().name == "inner_nodes" &&
      first->As<CallExpr>().args.size() == 1) {
    *inner = true;
    first = &StripParens(*first->As<CallExpr>().args[0]);
  }
  if (first->kind != ExprKind::kName || !variables.count(first->As<NameExpr>().name)) return nullptr;
  return &first->As<NameExpr>();
}

/// Calls `visit` for each direct sub-expression of the scalar expression kinds graph clauses use.
void ForEachChild(const Expr& expr, const std::function<void(const Expr&)>& visit) {
  auto child = [&](const ExprPtr& sub) {
    if (sub) visit(*sub);
  };
  switch (expr.kind) {
    case ExprKind::kCall:
      for (const ExprPtr& arg : expr.As<CallExpr>().args) child(arg);
      return;
    case ExprKind::kMember: child(expr.As<MemberExpr>().target); return;
    case ExprKind::kParen: child(expr.As<ParenExpr>().inner); return;
    case ExprKind::kUnary: child(expr.As<UnaryExpr>().operand); return;
    case ExprKind::kBinary:
      child(expr.As<BinaryExpr>().left);
      child(expr.As<BinaryExpr>().right);
      return;
    case ExprKind::kIn:
      child(expr.As<InExpr>().left);
      for (const ExprPtr& item : expr.As<InExpr>().items) child(item);
      return;
    case ExprKind::kBetween:
      child(expr.As<BetweenExpr>().operand);
      child(expr.As<BetweenExpr>().low);
      child(expr.As<BetweenExpr>().high);
      return;
    case ExprKind::kIndex:
      child(expr.As<IndexExpr>().target);
      child(expr.As<IndexExpr>().index);
      return;
    default: return;
  }
}

void CollectUsage(const Expr& expr, const std::map<std::string, PatternVariable>& variables, GraphUsage& usage,
                  int depth) {
  if (depth > kMaxBindDepth) return;
  if (expr.kind == ExprKind::kName) {
    if (variables.count(expr.As<NameExpr>().name)) usage.bare.push_back(&expr.As<NameExpr>());
    return;
  }
  if (expr.kind == ExprKind::kMember) {
    const MemberExpr& member = expr.As<MemberExpr>();
    if (member.target && member.target->kind == ExprKind::kName && variables.count(member.target->As<NameExpr>().name)) {
      usage.members.push_back(member.target->As<NameExpr>().name);
      return;
    }
  }
  bool inner = false;
  if (expr.kind == ExprKind::kCall && GraphCallVariable(expr.As<CallExpr>(), variables, &inner)) {
    usage.calls.push_back(&expr.As<CallExpr>());
    return;
  }
  ForEachChild(expr, [&](const Expr& child) { CollectUsage(child, variables, usage, depth + 1); });
}

/// Splits `a and b and c` (through parentheses) into its operands.
void SplitConjuncts(const Expr& expr, std::vector<const Expr*>& out) {
  const Expr& inner = StripParens(expr);
  if (inner.kind == ExprKind::kBinary && inner.As<BinaryExpr>().op == BinaryOp::kAnd) {
    SplitConjuncts(*inner.As<BinaryExpr>().left, out);
    SplitConjuncts(*inner.As<BinaryExpr>().right, out);
    return;
  }
  out.push_back(&expr);
}

/// Finds the zero-argument node_degree_in()/node_degree_out()/labels() calls inside a map/all/any expression.
void CollectInnerNodeCalls(const Expr& expr, std::vector<const CallExpr*>& out, int depth) {
  if (depth > kMaxBindDepth) return;
  if (expr.kind == ExprKind::kCall) {
    const CallExpr& call = expr.As<CallExpr>();
    if (call.args.empty() && !call.target && IsDegreeOrLabels(call.name)) out.push_back(&call);
  }
  ForEachChild(expr, [&](const Expr& child) { CollectInnerNodeCalls(child, out, depth + 1); });
}

BoundExprPtr AndFilters(BoundExprPtr existing, BoundExprPtr added) {
  if (!existing) return added;
  std::vector<BoundExprPtr> args;
  args.push_back(std::move(existing));
  args.push_back(std::move(added));
  return BoundExpr::MakeCall("and", KqlType::kBool, std::move(args));
}

/// A schema of `prefix.column` names (the names pattern variables' properties are read by).
Schema Prefixed(const std::string& prefix, const Schema& schema) {
  Schema out;
  for (const ColumnDef& column : schema) out.push_back({prefix + "." + column.name, column.type});
  return out;
}

}  // namespace

LogicalOperatorPtr QueryBinder::BindGraphMatch(const GraphMatchOp& op, LogicalOperatorPtr input) {
  LogicalGraph& graph = input->As<LogicalGraph>();
  const bool shortest = op.name == "graph-shortest-paths";
  const Schema& edge_schema = graph.children[0]->schema;
  const Schema node_eval = GraphNodeEvalSchema(graph.node_schema);
  graph.output = shortest ? GraphOutput::kShortestPaths : GraphOutput::kMatch;
  for (const OperatorParam& param : op.params) {
    const std::string value = ParamText(param);
    if (!shortest && param.name == "cycles" && (value == "all" || value == "none" || value == "unique_edges")) {
      graph.cycles = value == "all" ? GraphCycles::kAll : value == "none" ? GraphCycles::kNone : GraphCycles::kUniqueEdges;
    } else if (shortest && param.name == "output" && (value == "any" || value == "all")) {
      graph.all_shortest = value == "all";
    } else {
      Error(kBindUnsupportedOperator, param.span, "The " + op.name + " option is not supported: " + param.name +
                                                      (value.empty() ? "" : "=" + value));
      return ErrorPlan();
    }
  }
  if (!op.has_project || op.project.empty()) {
    Error(kBindUnsupportedOperator, op.span, op.name + " needs a project clause");
    return ErrorPlan();
  }
  // The pattern: named nodes are one pattern node however often they appear.
  std::map<std::string, PatternVariable> variables;
  for (const std::vector<GraphPatternElement>& sequence : op.sequences) {
    size_t previous = 0;
    const GraphPatternElement* pending_edge = nullptr;
    for (const GraphPatternElement& element : sequence) {
      if (element.is_edge) {
        pending_edge = &element;
        continue;
      }
      size_t node = graph.pattern_nodes.size();
      auto found = element.name.empty() ? variables.end() : variables.find(element.name);
      if (found != variables.end() && found->second.edge) {
        Error(kBindInvalidOperatorParameter, element.span, op.name + ": " + element.name + " names an edge and a node");
        return ErrorPlan();
      }
      if (found != variables.end()) {
        node = found->second.index;
      } else {
        graph.pattern_nodes.push_back({element.name, nullptr});
        if (!element.name.empty()) variables[element.name] = {false, node};
      }
      if (pending_edge) {
        const GraphPatternElement& written = *pending_edge;
        GraphPatternEdge edge;
        edge.name = written.name;
        edge.left = previous;
        edge.right = node;
        edge.direction = written.direction == GraphEdgeDirection::kRight  ? GraphPatternEdge::Direction::kRight
                         : written.direction == GraphEdgeDirection::kLeft ? GraphPatternEdge::Direction::kLeft
                                                                          : GraphPatternEdge::Direction::kAny;
        edge.variable_length = written.variable_length;
        if (written.variable_length) {
          std::optional<int64_t> low = written.min_hops ? BindConstantCount(*written.min_hops) : std::nullopt;
          std::optional<int64_t> high = written.max_hops ? BindConstantCount(*written.max_hops) : std::nullopt;
          if (!low || !high || *low < 0 || *high < *low || *high > kMaxGraphHops) {
            Error(kBindExpectedConstant, written.span,
                  op.name + ": a variable length edge needs *min..max with integers 0 <= min <= max <= " +
                      std::to_string(kMaxGraphHops));
            return ErrorPlan();
          }
          edge.min_hops = *low;
          edge.max_hops = *high;
        }
        if (!written.name.empty()) {
          if (variables.count(written.name)) {
            Error(kBindInvalidOperatorParameter, written.span,
                  op.name + ": the pattern variable " + written.name + " is used twice; an edge variable names one edge");
            return ErrorPlan();
          }
          variables[written.name] = {true, graph.pattern_edges.size()};
        }
        graph.pattern_edges.push_back(std::move(edge));
        pending_edge = nullptr;
      }
      previous = node;
    }
  }
  if (graph.pattern_nodes.empty()) return ErrorPlan();  // The parser reported the pattern.
  // One connected pattern only (sequences must share node variables).
  std::vector<size_t> group(graph.pattern_nodes.size());
  std::iota(group.begin(), group.end(), size_t{0});
  std::function<size_t(size_t)> find = [&](size_t x) { return group[x] == x ? x : group[x] = find(group[x]); };
  for (const GraphPatternEdge& edge : graph.pattern_edges) group[find(edge.left)] = find(edge.right);
  for (size_t node = 0; node < group.size(); ++node) {
    if (find(node) != find(0)) {
      Error(kBindUnsupportedOperator, op.span,
            op.name + ": the pattern's sequences must share node variables (one connected pattern)");
      return ErrorPlan();
    }
  }
  if (shortest && (op.sequences.size() != 1 || graph.pattern_edges.size() != 1 ||
                   !graph.pattern_edges[0].variable_length)) {
    Error(kBindUnsupportedOperator, op.span,
          "graph-shortest-paths supports one variable length edge between two nodes, (a)-[e*1..n]->(b), only");
    return ErrorPlan();
  }
  // The columns matches are evaluated over: every named element's properties, then the graph function calls.
  for (size_t index = 0; index < graph.pattern_nodes.size(); ++index) {
    const std::string& name = graph.pattern_nodes[index].name;
    if (name.empty()) continue;
    for (size_t property = 0; property < graph.node_schema.size(); ++property) {
      graph.match_schema.push_back({name + "." + graph.node_schema[property].name, graph.node_schema[property].type});
      graph.match_columns.push_back({GraphMatchColumn::Kind::kNodeProperty, index, property});
    }
  }
  for (size_t index = 0; index < graph.pattern_edges.size(); ++index) {
    const GraphPatternEdge& edge = graph.pattern_edges[index];
    if (edge.name.empty()) continue;
    for (size_t column = 0; column < edge_schema.size(); ++column) {
      graph.match_schema.push_back({edge.name + "." + edge_schema[column].name,
                                    edge.variable_length ? KqlType::kDynamic : edge_schema[column].type});
      graph.match_columns.push_back({GraphMatchColumn::Kind::kEdgeProperty, index, column});
    }
  }
  std::vector<const Expr*> clauses;
  if (op.where) clauses.push_back(op.where.get());
  for (const NamedExpr& item : op.project) {
    if (item.expr) clauses.push_back(item.expr.get());
  }
  std::vector<const CallExpr*> registered;
  bool ok = true;
  for (const Expr* clause : clauses) {
    GraphUsage usage;
    CollectUsage(*clause, variables, usage, 0);
    for (const NameExpr* bare : usage.bare) {
      Error(kBindUnsupportedOperator, bare->span,
            op.name + ": a whole pattern variable as a value is not supported yet; read its properties: " + bare->name +
                ".property");
      ok = false;
    }
    for (const CallExpr* call : usage.calls) {
      bool inner = false;
      const NameExpr* variable = GraphCallVariable(*call, variables, &inner);
      const PatternVariable target = variables.at(variable->name);
      GraphCall bound;
      bound.on_edge = target.edge;
      bound.element = target.index;
      bound.inner_nodes = inner;
      KqlType type = KqlType::kDynamic;
      if (call->name == "node_degree_in" || call->name == "node_degree_out") {
        if (target.edge) {
          Error(kBindWrongArgumentType, call->span, call->name + " needs a node variable, not the edge " + variable->name);
          ok = false;
          continue;
        }
        bound.kind = call->name == "node_degree_in" ? GraphCall::Kind::kDegreeIn : GraphCall::Kind::kDegreeOut;
        type = KqlType::kLong;
      } else if (call->name == "labels") {
        bound.kind = GraphCall::Kind::kLabels;
      } else {
        if (!target.edge || !graph.pattern_edges[target.index].variable_length) {
          Error(kBindWrongArgumentType, call->span,
                call->name + " needs a variable length edge (-[e*1..3]->) or inner_nodes() of one: " + variable->name);
          ok = false;
          continue;
        }
        bound.kind = call->name == "map" ? GraphCall::Kind::kMap
                     : call->name == "all" ? GraphCall::Kind::kAll
                                           : GraphCall::Kind::kAny;
        std::vector<const CallExpr*> node_calls;
        if (inner) CollectInnerNodeCalls(*call->args[1], node_calls, 0);
        for (const CallExpr* node_call : node_calls) {
          aggregate_columns_[node_call] = graph.node_schema.size() + (node_call->name == "node_degree_in"    ? 0
                                                                      : node_call->name == "node_degree_out" ? 1
                                                                                                             : 2);
        }
        const Schema& element_schema = inner ? node_eval : edge_schema;
        bound.expr = bound.kind == GraphCall::Kind::kMap ? BindExpr(*call->args[1], element_schema)
                                                         : BindPredicate(*call->args[1], element_schema);
        for (const CallExpr* node_call : node_calls) aggregate_columns_.erase(node_call);
        type = bound.kind == GraphCall::Kind::kMap ? KqlType::kDynamic : KqlType::kBool;
      }
      aggregate_columns_[call] = graph.match_schema.size();
      registered.push_back(call);
      graph.match_schema.push_back({"\x01" + call->name + "(" + variable->name + ")", type});
      graph.match_columns.push_back({GraphMatchColumn::Kind::kCall, graph.calls.size(), 0});
      graph.calls.push_back(std::move(bound));
    }
  }
  auto release = [&]() {
    for (const CallExpr* call : registered) aggregate_columns_.erase(call);
  };
  if (!ok) {
    release();
    return ErrorPlan();
  }
  // where: element conditions filter before matching; the rest is evaluated per match.
  std::vector<const Expr*> conjuncts;
  if (op.where) SplitConjuncts(*op.where, conjuncts);
  for (const Expr* conjunct : conjuncts) {
    const Expr& stripped = StripParens(*conjunct);
    bool inner = false;
    if (stripped.kind == ExprKind::kCall && stripped.As<CallExpr>().name == "all") {
      const CallExpr& call = stripped.As<CallExpr>();
      const NameExpr* variable = GraphCallVariable(call, variables, &inner);
      if (variable && variables.at(variable->name).edge) {
        // all(e, c): every edge satisfies c; all(inner_nodes(e), c): every inner node does.
        GraphCall& bound = graph.calls[graph.match_columns[aggregate_columns_.at(&call)].element];
        GraphPatternEdge& edge = graph.pattern_edges[bound.element];
        BoundExprPtr& filter = inner ? edge.inner_filter : edge.filter;
        filter = AndFilters(std::move(filter), bound.expr->Clone());
        continue;
      }
    }
    GraphUsage usage;
    CollectUsage(*conjunct, variables, usage, 0);
    std::vector<std::string> used = usage.members;
    bool element_calls_only = true;
    for (const CallExpr* call : usage.calls) {
      bool call_inner = false;
      used.push_back(GraphCallVariable(*call, variables, &call_inner)->name);
      element_calls_only = element_calls_only && IsDegreeOrLabels(call->name);
    }
    std::sort(used.begin(), used.end());
    used.erase(std::unique(used.begin(), used.end()), used.end());
    if (used.size() == 1 && element_calls_only) {
      const PatternVariable target = variables.at(used[0]);
      if (!target.edge) {
        Schema local = Prefixed(used[0], graph.node_schema);
        for (size_t hidden = graph.node_schema.size(); hidden < node_eval.size(); ++hidden) {
          local.push_back(node_eval[hidden]);
        }
        std::vector<std::pair<const CallExpr*, size_t>> saved;
        for (const CallExpr* call : usage.calls) {
          saved.emplace_back(call, aggregate_columns_.at(call));
          aggregate_columns_[call] = graph.node_schema.size() + (call->name == "node_degree_in"    ? 0
                                                                 : call->name == "node_degree_out" ? 1
                                                                                                   : 2);
        }
        BoundExprPtr filter = BindPredicate(*conjunct, local);
        for (const auto& [call, column] : saved) aggregate_columns_[call] = column;
        graph.pattern_nodes[target.index].filter =
            AndFilters(std::move(graph.pattern_nodes[target.index].filter), std::move(filter));
        continue;
      }
      if (usage.calls.empty()) {
        GraphPatternEdge& edge = graph.pattern_edges[target.index];
        edge.filter = AndFilters(std::move(edge.filter), BindPredicate(*conjunct, Prefixed(used[0], edge_schema)));
        continue;
      }
    }
    for (const std::string& name : used) {
      const PatternVariable target = variables.at(name);
      const bool path = target.edge && graph.pattern_edges[target.index].variable_length;
      if ((path && std::find(usage.members.begin(), usage.members.end(), name) != usage.members.end()) ||
          (shortest && target.edge)) {
        Error(kBindUnsupportedOperator, conjunct->span,
              op.name + ": this condition on the " + (path ? "variable length " : "") + "edge " + name +
                  (shortest ? " is not supported yet; conditions over the path must be all(" + name + ", ...)"
                            : " mixes in other pattern elements, which is not supported yet; use all(" + name +
                                  ", ...) for a condition on each of its edges"));
        release();
        return ErrorPlan();
      }
    }
    graph.predicate = AndFilters(std::move(graph.predicate), BindPredicate(*conjunct, graph.match_schema));
  }
  ColumnNamer namer;
  for (const NamedExpr& item : op.project) {
    for (const std::string& name : item.names) namer.Reserve(name);
  }
  for (const NamedExpr& item : op.project) {
    BoundExprPtr bound = BindExpr(*item.expr, graph.match_schema);
    graph.schema.push_back({ItemName(item, namer), bound->type});
    graph.project.push_back(std::move(bound));
  }
  release();
  return input;
}

}  // namespace kql::binder
