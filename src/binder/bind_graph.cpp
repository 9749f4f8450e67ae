// Binding of make-graph, graph-mark-components and graph-to-table (graph-match and graph-shortest-paths are in
// bind_graph_match.cpp). make-graph yields a graph-valued LogicalGraph (no columns) that each following graph
// operator extends; any other operator after it, or a query ending with a graph, is a diagnostic.
// Not supported, by name: graph-to-table with `as` (several result tables), graph() (persistent graph models).
#include <vector>

#include "binder/binder_diagnostic.h"
#include "binder/query_binder.h"
#include "plan/logical_graph.h"
#include "binder/layer.h"

namespace kql::binder {
namespace {

/// Node ids of type int and long are one kind of id.
KqlType IdKind(KqlType type) { return type == KqlType::kInt ? KqlType::kLong : type; }

}  // namespace

bool IsGraphValued(const LogicalOperator& plan) {
  return plan.kind == LogicalKind::kGraph && plan.As<LogicalGraph>().output == GraphOutput::kGraph;
}

// Iterative: a plan of thousands of stages must not exhaust the stack (HardeningTest.VeryLongPipelineIsADiagnostic).
bool ContainsGraphValue(const LogicalOperator& plan) {
  std::vector<const LogicalOperator*> pending{&plan};
  while (!pending.empty()) {
    const LogicalOperator* op = pending.back();
    pending.pop_back();
    if (IsGraphValued(*op)) return true;
    for (const auto& child : op->children) {
      if (child) pending.push_back(child.get());
    }
  }
  return false;
}

bool IsGraphOperator(const Operator& op) {
  return op.kind == OperatorKind::kMakeGraph || op.kind == OperatorKind::kGraphMatch ||
         op.kind == OperatorKind::kGraphMarkComponents || op.kind == OperatorKind::kGraphToTable;
}

LogicalOperatorPtr QueryBinder::BindGraphOperator(const Operator& op, LogicalOperatorPtr input) {
  if (IsErrorSchema(input->schema)) return input;
  if (op.kind == OperatorKind::kMakeGraph) {
    if (IsGraphValued(*input)) {
      Error(kBindUnsupportedOperator, op.span, "make-graph needs a table of edges, not a graph");
      return ErrorPlan();
    }
    return BindMakeGraph(op.As<MakeGraphOp>(), std::move(input));
  }
  if (!IsGraphValued(*input)) {
    Error(kBindUnsupportedOperator, op.span,
          "The operator '" + op.name + "' needs a graph: put make-graph before it");
    return ErrorPlan();
  }
  auto graph = LogicalOperatorPtr(std::move(input));
  LogicalGraph& node = graph->As<LogicalGraph>();
  switch (op.kind) {
    case OperatorKind::kGraphMatch: return BindGraphMatch(op.As<GraphMatchOp>(), std::move(graph));
    case OperatorKind::kGraphMarkComponents: {
      std::string column = "ComponentId";
      bool strong = false;
      for (const OperatorParam& param : op.params) {
        const std::string value = ParamText(param);
        if (param.name == "kind" && (value == "weak" || value == "strong")) {
          strong = value == "strong";
        } else if (param.name == "with_component_id" && !value.empty()) {
          column = value;
        } else {
          Error(kBindInvalidOperatorParameter, param.span,
                "graph-mark-components takes kind=weak|strong and with_component_id=Name, not: " + param.name);
        }
      }
      if (FindColumn(node.node_schema, column)) {
        Error(kBindInvalidOperatorParameter, op.span, "graph-mark-components: the nodes already have a property " +
                                                          column + "; name the component id with with_component_id=");
        return ErrorPlan();
      }
      node.node_schema.push_back({column, KqlType::kLong});
      node.components.emplace_back(strong, node.node_schema.size() - 1);
      return graph;
    }
    case OperatorKind::kGraphToTable: {
      const GraphToTableOp& to_table = op.As<GraphToTableOp>();
      if (to_table.parts.size() != 1 || !to_table.parts[0].alias.empty()) {
        Error(kBindUnsupportedOperator, op.span,
              "graph-to-table with 'as' (nodes and edges as several result tables) is not supported yet");
        return ErrorPlan();
      }
      const GraphToTablePart& part = to_table.parts[0];
      for (const OperatorParam& param : part.params) {
        const std::string value = ParamText(param);
        if (!part.edges && param.name == "with_node_id" && !value.empty()) {
          node.node_id_column = value;
        } else if (part.edges && param.name == "with_source_id" && !value.empty()) {
          node.source_id_column = value;
        } else if (part.edges && param.name == "with_target_id" && !value.empty()) {
          node.target_id_column = value;
        } else {
          Error(kBindInvalidOperatorParameter, param.span,
                std::string("graph-to-table ") + (part.edges ? "edges takes with_source_id= and with_target_id="
                                                             : "nodes takes with_node_id=") +
                    ", not: " + param.name);
        }
      }
      node.output = part.edges ? GraphOutput::kEdges : GraphOutput::kNodes;
      Schema schema;
      ColumnNamer namer;
      for (const std::string* id : {&node.node_id_column, &node.source_id_column, &node.target_id_column}) {
        if (!id->empty()) schema.push_back({namer.Unique(*id), KqlType::kLong});
      }
      for (const ColumnDef& column : part.edges ? node.children[0]->schema : node.node_schema) {
        schema.push_back({namer.Unique(column.name), column.type});
      }
      node.schema = std::move(schema);
      return graph;
    }
    default: return graph;
  }
}

LogicalOperatorPtr QueryBinder::BindMakeGraph(const MakeGraphOp& op, LogicalOperatorPtr input) {
  auto graph = std::make_unique<LogicalGraph>();
  const Schema& edges = input->schema;
  bool ok = true;
  auto id_column = [&](const Schema& schema, const std::string& name, SourceSpan span, const char* what) {
    std::optional<size_t> index = FindColumn(schema, name);
    if (!index) {
      Error(kBindUnknownName, span, std::string("make-graph: the ") + what + " has no column " + name);
      ok = false;
      return size_t{0};
    }
    if (schema[*index].type == KqlType::kDynamic) {
      Error(kBindWrongArgumentType, span,
            "make-graph: source, target and node id columns can't be of type dynamic, consider using explicit cast: " +
                name);
      ok = false;
    }
    return *index;
  };
  graph->source_column = id_column(edges, op.source, op.source_span, "edges table");
  graph->target_column = id_column(edges, op.target, op.target_span, "edges table");
  if (!ok) return ErrorPlan();
  graph->id_type = IdKind(edges[graph->source_column].type);
  if (IdKind(edges[graph->target_column].type) != graph->id_type) {
    Error(kBindOperandTypeMismatch, op.target_span,
          "make-graph: the source and target node ids must have the same type, not " +
              std::string(TypeName(edges[graph->source_column].type)) + " and " +
              std::string(TypeName(edges[graph->target_column].type)));
    return ErrorPlan();
  }
  std::string node_id_property;
  for (const OperatorParam& param : op.params) {
    if (param.name == "with_node_id" && !ParamText(param).empty()) {
      node_id_property = ParamText(param);
    } else {
      Error(kBindInvalidOperatorParameter, param.span, "make-graph takes with_node_id=Name, not: " + param.name);
    }
  }
  if (!node_id_property.empty() && !op.nodes.empty()) {
    Error(kBindInvalidOperatorParameter, op.span, "make-graph takes either 'with Nodes on Id' or with_node_id=");
    return ErrorPlan();
  }
  graph->children.push_back(std::move(input));
  if (!node_id_property.empty()) {
    graph->node_schema.push_back({node_id_property, graph->id_type});
    graph->id_properties.push_back(0);
  }
  for (const MakeGraphNodes& nodes : op.nodes) {
    LogicalOperatorPtr table = nodes.table ? BindPipeline(*nodes.table, nullptr) : ErrorPlan();
    if (IsErrorSchema(table->schema) || IsGraphValued(*table)) return ErrorPlan();
    const size_t id = id_column(table->schema, nodes.id_column, nodes.span, "nodes table");
    if (!ok) return ErrorPlan();
    if (IdKind(table->schema[id].type) != graph->id_type) {
      Error(kBindOperandTypeMismatch, nodes.span,
            "make-graph: the nodes table's id column " + nodes.id_column + " is " +
                std::string(TypeName(table->schema[id].type)) + ", the edges' node ids are " +
                std::string(TypeName(graph->id_type)));
      return ErrorPlan();
    }
    std::vector<size_t> properties;
    for (const ColumnDef& column : table->schema) {
      std::optional<size_t> existing = FindColumn(graph->node_schema, column.name);
      if (!existing) {
        graph->node_schema.push_back(column);
        existing = graph->node_schema.size() - 1;
      } else if (graph->node_schema[*existing].type != column.type &&
                 !(IsNumeric(graph->node_schema[*existing].type) && IsNumeric(column.type))) {
        Error(kBindOperandTypeMismatch, nodes.span,
              "make-graph: the node property " + column.name + " has different types in the nodes tables");
        return ErrorPlan();
      }
      properties.push_back(*existing);
    }
    if (std::find(graph->id_properties.begin(), graph->id_properties.end(), properties[id]) ==
        graph->id_properties.end()) {
      graph->id_properties.push_back(properties[id]);
    }
    graph->node_id_columns.push_back(id);
    graph->node_table_properties.push_back(std::move(properties));
    graph->children.push_back(std::move(table));
  }
  if (op.partition_column.empty()) return graph;
  // partitioned-by: one graph per value of the column (in the edges and in every nodes table), each run through
  // the graph operators in parentheses; the results are concatenated.
  for (size_t child = 0; child < graph->children.size(); ++child) {
    std::optional<size_t> index = FindColumn(graph->children[child]->schema, op.partition_column);
    if (!index) {
      Error(kBindUnknownName, op.partition_span,
            std::string("make-graph partitioned-by: the ") + (child == 0 ? "edges table" : "nodes table") +
                " has no column " + op.partition_column);
      return ErrorPlan();
    }
    if (child == 0) {
      graph->partition_edge_column = static_cast<int64_t>(*index);
    } else {
      graph->partition_node_columns.push_back(*index);
    }
  }
  if (op.partition_body == nullptr || op.partition_body->operators.empty() || op.partition_body->source) {
    Error(kBindUnsupportedOperator, op.partition_span, "make-graph partitioned-by needs graph operators in parentheses");
    return ErrorPlan();
  }
  LogicalOperatorPtr result = std::move(graph);
  for (const OperatorPtr& body_op : op.partition_body->operators) {
    if (!IsGraphOperator(*body_op) || body_op->kind == OperatorKind::kMakeGraph) {
      Error(kBindUnsupportedOperator, body_op->span,
            "make-graph partitioned-by runs graph operators only, not '" + body_op->name + "'");
      return ErrorPlan();
    }
    result = BindGraphOperator(*body_op, std::move(result));
  }
  if (IsGraphValued(*result)) {
    Error(kBindUnsupportedOperator, op.partition_span,
          "make-graph partitioned-by must end with graph-match, graph-shortest-paths or graph-to-table");
    return ErrorPlan();
  }
  return result;
}

}  // namespace kql::binder
