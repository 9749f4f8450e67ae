#include "binder/per_row_apply.h"

#include <numeric>

#include "plan/logical_apply.h"
#include "binder/layer.h"

namespace kql::binder {
namespace {

// `plan` projected to `columns`, plus (with add_key) a constant long column to join on.
LogicalOperatorPtr ProjectWithConstantKey(LogicalOperatorPtr plan, const std::vector<size_t>& columns, bool add_key) {
  auto project = std::make_unique<LogicalProject>();
  for (size_t column : columns) {
    project->exprs.push_back(BoundExpr::MakeColumn(column, plan->schema[column].name, plan->schema[column].type));
    project->schema.push_back(plan->schema[column]);
  }
  if (add_key) {
    project->exprs.push_back(BoundExpr::MakeConstant(Value::Long(1)));
    project->schema.push_back({"\x01key", KqlType::kLong});
  }
  project->children.push_back(std::move(plan));
  return project;
}

}  // namespace

std::unique_ptr<LogicalScan> GroupScan(const std::string& name, const Schema& schema) {
  auto scan = std::make_unique<LogicalScan>();
  scan->table_name = name;
  scan->table_schema = schema;
  scan->schema = schema;
  return scan;
}

bool IsTrueConstant(const BoundExpr& flag) {
  return flag.kind == BoundExprKind::kConstant && flag.type == KqlType::kBool && !flag.constant.is_null &&
         flag.constant.int_value != 0;
}

LogicalOperatorPtr BuildLookupApply(LogicalOperatorPtr input, LogicalOperatorPtr lookup, std::string input_name,
                                   const std::vector<LookupInputColumn>& carried,
                                   const std::vector<size_t>& output_columns, bool keep_unmatched,
                                   const std::function<BoundExprPtr(const Schema& join_schema)>& predicate) {
  auto apply = std::make_unique<LogicalApply>();
  apply->mode = ApplyMode::kPerRow;
  apply->keep_unmatched = keep_unmatched;
  apply->input_name = std::move(input_name);
  const Schema lookup_schema = lookup->schema;
  std::vector<size_t> lookup_columns(lookup_schema.size());
  std::iota(lookup_columns.begin(), lookup_columns.end(), size_t{0});
  // Each side gets a constant key column so the join pairs the row with every lookup row.
  auto join = std::make_unique<LogicalJoin>();
  join->join_kind = JoinKind::kInner;
  join->left_keys = {lookup_schema.size()};
  join->right_keys = {carried.size()};
  for (size_t column = 0; column < lookup_schema.size(); ++column) {
    join->output_map.emplace_back(0, column);
    join->schema.push_back(lookup_schema[column]);
  }
  std::vector<size_t> input_columns;
  for (size_t index = 0; index < carried.size(); ++index) {
    join->output_map.emplace_back(1, index);
    join->schema.push_back({carried[index].name, input->schema[carried[index].column].type});
    input_columns.push_back(carried[index].column);
  }
  join->children.push_back(ProjectWithConstantKey(std::move(lookup), lookup_columns, true));
  join->children.push_back(ProjectWithConstantKey(GroupScan(apply->input_name, input->schema), input_columns, true));
  auto filter = std::make_unique<LogicalFilter>();
  filter->predicate = predicate(join->schema);
  filter->schema = join->schema;
  filter->children.push_back(std::move(join));
  LogicalOperatorPtr sub = ProjectWithConstantKey(std::move(filter), output_columns, false);
  for (size_t column = 0; column < input->schema.size(); ++column) {
    apply->output_map.emplace_back(0, column);
    apply->schema.push_back(input->schema[column]);
  }
  for (size_t index = 0; index < output_columns.size(); ++index) {
    apply->output_map.emplace_back(1, index);
    apply->schema.push_back(lookup_schema[output_columns[index]]);
  }
  apply->children.push_back(std::move(input));
  apply->children.push_back(std::move(sub));
  return apply;
}

}  // namespace kql::binder
