#include "engine/candidate_query.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "catalog/catalog.h"
#include "execution/execution_context.h"
#include "execution/query_limits.h"
#include "plan/logical_parse.h"
#include "plan/logical_parse_kv.h"
#include "plan/logical_window.h"
#include "engine/query_context.h"
#include "engine/shared_scan.h"
#include "engine/layer.h"

namespace kql::engine {
namespace {

// One operator of the walk and the operator right above it (null for a plan's root or a sub-plan's).
struct PlanNode {
  const LogicalOperator* op;
  const LogicalOperator* parent;
};

// Adds the sub-plans of `root`'s expression tree to `nodes` (iteratively: plans can be deep).
void AddSubPlans(const BoundExpr* root, std::vector<PlanNode>& nodes) {
  std::vector<const BoundExpr*> pending{root};
  while (!pending.empty()) {
    const BoundExpr* expr = pending.back();
    pending.pop_back();
    if (!expr) continue;
    if (expr->subquery) nodes.push_back(PlanNode{expr->subquery.get(), nullptr});
    for (const auto& arg : expr->args) pending.push_back(arg.get());
  }
}

// Adds the sub-plans of the operator's expressions; false for operators whose expressions are not inspected here
// (their sub-plans could read the table unseen).
bool AddOperatorSubPlans(const LogicalOperator& op, std::vector<PlanNode>& nodes) {
  switch (op.kind) {
    case LogicalKind::kScan:
    case LogicalKind::kValues:
    case LogicalKind::kLimit:
    case LogicalKind::kDistinct:
    case LogicalKind::kJoin:
    case LogicalKind::kUnion:
    case LogicalKind::kMvExpand: return true;
    case LogicalKind::kFilter: AddSubPlans(op.As<LogicalFilter>().predicate.get(), nodes); return true;
    case LogicalKind::kProject:
      for (const auto& expr : op.As<LogicalProject>().exprs) AddSubPlans(expr.get(), nodes);
      return true;
    case LogicalKind::kAggregate:
      for (const auto& key : op.As<LogicalAggregate>().keys) AddSubPlans(key.get(), nodes);
      for (const auto& aggregate : op.As<LogicalAggregate>().aggregates) {
        for (const auto& arg : aggregate.args) AddSubPlans(arg.get(), nodes);
      }
      return true;
    case LogicalKind::kSort:
      for (const auto& key : op.As<LogicalSort>().keys) AddSubPlans(key.expr.get(), nodes);
      return true;
    case LogicalKind::kTop:
      for (const auto& key : op.As<LogicalTop>().keys) AddSubPlans(key.expr.get(), nodes);
      return true;
    case LogicalKind::kParse: AddSubPlans(op.As<LogicalParse>().source.get(), nodes); return true;
    case LogicalKind::kParseKv: AddSubPlans(op.As<LogicalParseKv>().source.get(), nodes); return true;
    case LogicalKind::kWindow:
      for (const auto& call : op.As<LogicalWindow>().calls) {
        for (const auto& arg : call.args) AddSubPlans(arg.get(), nodes);
      }
      return true;
    default: return false;
  }
}

void Conjuncts(const BoundExpr& expr, std::vector<const BoundExpr*>& out) {
  std::vector<const BoundExpr*> pending{&expr};
  while (!pending.empty()) {
    const BoundExpr* next = pending.back();
    pending.pop_back();
    if (next->kind == BoundExprKind::kCall && next->function == "and") {
      for (auto it = next->args.rbegin(); it != next->args.rend(); ++it) pending.push_back(it->get());
    } else {
      out.push_back(next);
    }
  }
}

// `parts` joined by "and" or "or": null for none, the one part alone.
BoundExprPtr Combined(const char* function, std::vector<BoundExprPtr> parts) {
  if (parts.empty()) return nullptr;
  if (parts.size() == 1) return std::move(parts[0]);
  return BoundExpr::MakeCall(function, KqlType::kBool, std::move(parts));
}

// Points the column references of `expr` (over `input`) at the same columns of `full`; false when one is missing.
bool Repoint(BoundExpr& root, const Schema& input, const Schema& full) {
  std::vector<BoundExpr*> pending{&root};
  while (!pending.empty()) {
    BoundExpr* expr = pending.back();
    pending.pop_back();
    if (expr->subquery) return false;
    if (expr->kind == BoundExprKind::kColumnRef) {
      if (expr->column_index >= input.size() || input[expr->column_index].name != expr->column_name) return false;
      auto index = FindColumn(full, expr->column_name);
      if (!index || full[*index].type != expr->type) return false;
      expr->column_index = *index;
    }
    for (auto& arg : expr->args) pending.push_back(arg.get());
  }
  return true;
}

// The scan under a chain of filters starting at `op` (the optimizer leaves a query's `where`s, and the hunt's window
// and exclusion filters, as consecutive filters on the scan), or null.
const LogicalScan* ScanUnderFilters(const LogicalOperator& op) {
  const LogicalOperator* node = &op;
  while (node->kind == LogicalKind::kFilter && node->children.size() == 1) node = node->children[0].get();
  return node->kind == LogicalKind::kScan ? &node->As<LogicalScan>() : nullptr;
}

// The condition of the scan under the filters starting at `top`: the conjuncts of those filters that the back end
// translates, over the table's full schema; null when there is none.
BoundExprPtr ScanCondition(const LogicalOperator& top, const LogicalScan& scan, const Schema& full,
                           const PlanBackend& backend) {
  std::vector<const BoundExpr*> conjuncts;
  for (const LogicalOperator* node = &top; node != &scan; node = node->children[0].get()) {
    Conjuncts(*node->As<LogicalFilter>().predicate, conjuncts);
  }
  std::vector<BoundExprPtr> kept;
  // A window the rule repeats (its own `ago` and the hunt's) is sent once; dropping a conjunct that only looks the
  // same would only widen the condition.
  std::set<std::string> seen;
  for (const BoundExpr* conjunct : conjuncts) {
    if (!backend.TranslatesFilter(scan.table_name, *conjunct, scan.schema)) continue;
    BoundExprPtr copy = conjunct->Clone();
    if (Repoint(*copy, scan.schema, full) && seen.insert(copy->ToString()).second) kept.push_back(std::move(copy));
  }
  return Combined("and", std::move(kept));
}

}  // namespace

std::optional<std::map<std::string, CandidateCondition>> PlanCandidateConditions(
    const Engine& engine, std::string_view text, int64_t now_ticks, const std::vector<std::string>& tables,
    const PlanBackend& backend) {
  LogicalOperatorPtr plan = OptimizedPlan(engine, text, now_ticks, true);
  if (!plan) return std::nullopt;
  // Per table: the disjunction of its scans' conditions (null once a scan has none).
  std::map<std::string, std::vector<BoundExprPtr>> disjuncts;
  std::map<std::string, Schema> columns;
  std::map<std::string, bool> uncovered;  // Tables with a scan that has no condition.
  auto wanted = [&](const std::string& table) {
    return std::find(tables.begin(), tables.end(), table) != tables.end();
  };
  // Scans with a condition, found from the top of their filter chain (an operator is visited before its children).
  std::set<const LogicalScan*> conditioned;
  std::vector<PlanNode> nodes{PlanNode{plan.get(), nullptr}};
  while (!nodes.empty()) {
    PlanNode node = nodes.back();
    nodes.pop_back();
    if (!AddOperatorSubPlans(*node.op, nodes)) return std::nullopt;
    for (const auto& child : node.op->children) nodes.push_back(PlanNode{child.get(), node.op});
    if (node.op->kind == LogicalKind::kFilter && !(node.parent && node.parent->kind == LogicalKind::kFilter)) {
      const LogicalScan* scan = ScanUnderFilters(*node.op);
      if (!scan || !wanted(scan->table_name)) continue;
      std::shared_ptr<const TableSource> source = engine.Source(scan->table_name);
      BoundExprPtr condition = source ? ScanCondition(*node.op, *scan, source->schema(), backend) : nullptr;
      if (!condition) continue;
      conditioned.insert(scan);
      disjuncts[scan->table_name].push_back(std::move(condition));
      Schema& read = columns[scan->table_name];
      for (const auto& column : scan->schema) {
        if (!FindColumn(read, column.name)) read.push_back(column);
      }
    }
    if (node.op->kind != LogicalKind::kScan) continue;
    const auto& scan = node.op->As<LogicalScan>();
    if (wanted(scan.table_name) && !conditioned.contains(&scan)) uncovered[scan.table_name] = true;
  }
  std::map<std::string, CandidateCondition> conditions;
  for (const auto& entry : uncovered) conditions[entry.first];
  for (auto& [table, parts] : disjuncts) {
    if (uncovered[table]) continue;
    CandidateCondition& condition = conditions[table];
    condition.predicate = Combined("or", std::move(parts));
    condition.columns = std::move(columns[table]);
  }
  return conditions;
}

CandidateRows RunCandidateQuery(const Engine& engine, const std::string& table,
                                const std::vector<const CandidateCondition*>& conditions, const PlanBackend& backend,
                                const QueryOptions& options, uint64_t row_bound) {
  CandidateRows result;
  std::shared_ptr<const TableSource> source = engine.Source(table);
  if (!source || conditions.empty()) {
    result.error = "Table '" + table + "' has no data";
    return result;
  }
  const Schema& full = source->schema();
  // The union of the columns, in the table's order.
  Schema read;
  for (const auto& column : full) {
    for (const CandidateCondition* condition : conditions) {
      if (auto index = FindColumn(condition->columns, column.name);
          index && condition->columns[*index].type == column.type) {
        read.push_back(column);
        break;
      }
    }
  }
  auto scan = std::make_unique<LogicalScan>();
  scan->table_name = table;
  const Schema* table_schema = engine.catalog().FindTable(table);
  scan->table_schema = table_schema ? *table_schema : full;
  scan->schema = full;
  auto filter = std::make_unique<LogicalFilter>();
  filter->schema = full;
  std::vector<BoundExprPtr> parts;
  for (const CandidateCondition* condition : conditions) parts.push_back(condition->predicate->Clone());
  filter->predicate = Combined("or", std::move(parts));
  filter->children.push_back(std::move(scan));
  auto project = std::make_unique<LogicalProject>();
  project->schema = read;
  for (const auto& column : read) {
    project->exprs.push_back(BoundExpr::MakeColumn(*FindColumn(full, column.name), column.name, column.type));
  }
  project->children.push_back(std::move(filter));
  auto limit = std::make_unique<LogicalLimit>();
  limit->schema = read;
  limit->limit = static_cast<int64_t>(std::min<uint64_t>(row_bound, INT64_MAX - 1) + 1);
  limit->children.push_back(std::move(project));

  ExecutionContext context = QueryContext(options);
  context.sources[table] = source;
  LogicalOperatorPtr plan = backend.Offload(std::move(limit), context.sources, nullptr);
  if (plan->kind != LogicalKind::kScan || plan->As<LogicalScan>().table_name == table) {
    result.error = "the back end does not run the candidate query of " + table;
    return result;
  }
  QueryLimits limits(options.max_memory_bytes, options.timeout, options.cancel);
  context.limits = &limits;
  try {
    Table rows = ExecutePlan(*plan, context);
    if (rows.RowCount() > row_bound) {
      result.over_bound = true;
      return result;
    }
    result.rows = std::make_shared<const Table>(std::move(rows));
  } catch (const std::exception& error) {
    result.error = error.what();
  }
  return result;
}

}  // namespace kql::engine
