// Column pruning: walks the plan top-down with the set of output columns each operator's parent needs, drops
// the rest, and rewrites column indices bottom-up. Operators whose semantics depend on every input column
// (distinct, join, union, mv-expand) keep all of them but still let their inputs prune below.
#include <algorithm>

#include "optimizer/optimizer.h"
#include "optimizer/layer.h"

namespace kql::optimizer {
namespace {

using Remap = std::vector<int64_t>;

void CollectColumns(const BoundExpr& expr, std::vector<bool>& used) {
  if (expr.kind == BoundExprKind::kColumnRef && expr.column_index < used.size()) used[expr.column_index] = true;
  for (const auto& arg : expr.args) CollectColumns(*arg, used);
}

void RewriteColumns(BoundExpr& expr, const Remap& remap) {
  if (expr.kind == BoundExprKind::kColumnRef && expr.column_index < remap.size() && remap[expr.column_index] >= 0) {
    expr.column_index = static_cast<size_t>(remap[expr.column_index]);
  }
  for (auto& arg : expr.args) RewriteColumns(*arg, remap);
  if (expr.subquery) PruneColumns(*expr.subquery);
}

Remap Identity(size_t size) {
  Remap remap(size);
  for (size_t i = 0; i < size; ++i) remap[i] = static_cast<int64_t>(i);
  return remap;
}

Remap Prune(LogicalOperator& op, std::vector<bool> required);

/// Prunes a child that must keep every output column (its own inputs may still shrink).
void PruneKeepAll(LogicalOperator& child) { Prune(child, std::vector<bool>(child.schema.size(), true)); }

Remap PruneScan(LogicalScan& scan, const std::vector<bool>& required) {
  Remap remap(scan.schema.size(), -1);
  Schema kept;
  for (size_t i = 0; i < scan.schema.size(); ++i) {
    if (required[i]) {
      remap[i] = static_cast<int64_t>(kept.size());
      kept.push_back(scan.schema[i]);
    }
  }
  if (kept.empty() && !scan.schema.empty()) {
    // Readers need one column to count rows; keep the first.
    remap[0] = 0;
    kept.push_back(scan.schema[0]);
  }
  scan.schema = std::move(kept);
  return remap;
}

Remap Prune(LogicalOperator& op, std::vector<bool> required) {
  required.resize(op.schema.size(), true);
  switch (op.kind) {
    case LogicalKind::kScan: return PruneScan(op.As<LogicalScan>(), required);
    case LogicalKind::kValues:
    case LogicalKind::kRange: return Identity(op.schema.size());
    case LogicalKind::kFilter: {
      auto& filter = op.As<LogicalFilter>();
      std::vector<bool> child_required = required;
      CollectColumns(*filter.predicate, child_required);
      Remap remap = Prune(*op.children[0], child_required);
      RewriteColumns(*filter.predicate, remap);
      op.schema = op.children[0]->schema;
      return remap;
    }
    case LogicalKind::kProject: {
      auto& project = op.As<LogicalProject>();
      Remap remap(op.schema.size(), -1);
      std::vector<BoundExprPtr> kept_exprs;
      Schema kept_schema;
      for (size_t i = 0; i < project.exprs.size(); ++i) {
        if (!required[i]) continue;
        remap[i] = static_cast<int64_t>(kept_exprs.size());
        kept_exprs.push_back(std::move(project.exprs[i]));
        kept_schema.push_back(op.schema[i]);
      }
      std::vector<bool> child_required(op.children[0]->schema.size(), false);
      for (const auto& expr : kept_exprs) CollectColumns(*expr, child_required);
      Remap child_remap = Prune(*op.children[0], child_required);
      for (auto& expr : kept_exprs) RewriteColumns(*expr, child_remap);
      project.exprs = std::move(kept_exprs);
      op.schema = std::move(kept_schema);
      return remap;
    }
    case LogicalKind::kAggregate: {
      auto& aggregate = op.As<LogicalAggregate>();
      std::vector<bool> child_required(op.children[0]->schema.size(), false);
      for (const auto& key : aggregate.keys) CollectColumns(*key, child_required);
      for (const auto& item : aggregate.aggregates)
        for (const auto& arg : item.args) CollectColumns(*arg, child_required);
      Remap child_remap = Prune(*op.children[0], child_required);
      for (auto& key : aggregate.keys) RewriteColumns(*key, child_remap);
      for (auto& item : aggregate.aggregates)
        for (auto& arg : item.args) RewriteColumns(*arg, child_remap);
      return Identity(op.schema.size());
    }
    case LogicalKind::kSort:
    case LogicalKind::kTop: {
      auto& keys = op.kind == LogicalKind::kSort ? op.As<LogicalSort>().keys : op.As<LogicalTop>().keys;
      std::vector<bool> child_required = required;
      for (const auto& key : keys) CollectColumns(*key.expr, child_required);
      Remap remap = Prune(*op.children[0], child_required);
      for (auto& key : keys) RewriteColumns(*key.expr, remap);
      op.schema = op.children[0]->schema;
      return remap;
    }
    case LogicalKind::kLimit: {
      Remap remap = Prune(*op.children[0], required);
      op.schema = op.children[0]->schema;
      return remap;
    }
    case LogicalKind::kDistinct:
    case LogicalKind::kJoin:
    case LogicalKind::kUnion:
    case LogicalKind::kMvExpand:
    case LogicalKind::kParse:
    case LogicalKind::kWindow:
    case LogicalKind::kMakeSeries:
    case LogicalKind::kParseKv:
    case LogicalKind::kSequenceScan:
    case LogicalKind::kApply:
    case LogicalKind::kPatternMining:
    case LogicalKind::kGraph:
      for (auto& child : op.children) PruneKeepAll(*child);
      return Identity(op.schema.size());
  }
  return Identity(op.schema.size());
}

}  // namespace

void PruneColumns(LogicalOperator& root) { Prune(root, std::vector<bool>(root.schema.size(), true)); }

}  // namespace kql::optimizer
