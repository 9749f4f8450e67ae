// Binding of `partition by Col (subquery)`, `mv-apply items on (subquery)`, `top-nested` and `evaluate ipv4_lookup`
// as LogicalApply: the subquery is bound over a placeholder scan with the group's schema. For mv-apply the sub-plan
// first expands the row like mv-expand; the output is the input row's columns the subquery does not return, then
// the subquery's columns. The legacy `partition by Col { subquery with a source }` is a union of one bound
// subquery per value of Col.
#include <algorithm>
#include <numeric>

#include "binder/binder_diagnostic.h"
#include "binder/per_row_apply.h"
#include "binder/query_binder.h"
#include "plan/logical_apply.h"
#include "binder/layer.h"

namespace kql::binder {

LogicalOperatorPtr QueryBinder::BindPartition(const PartitionOp& op, LogicalOperatorPtr input) {
  for (const OperatorParam& param : op.params) {
    if (!param.name.starts_with("hint.")) {
      Error(kBindInvalidOperatorParameter, param.span, "Unknown partition parameter: " + param.name);
    }
  }
  if (op.legacy_braces) return BindLegacyPartition(op, std::move(input));
  if (op.by == nullptr || op.subquery == nullptr || IsErrorSchema(input->schema)) return input;
  const Expr& by = StripParens(*op.by);
  std::optional<size_t> column;
  if (by.kind == ExprKind::kName) column = FindColumn(input->schema, by.As<NameExpr>().name);
  if (!column) {
    if (by.kind == ExprKind::kName) {
      BindName(by.As<NameExpr>(), input->schema);
    } else {
      Error(kBindInvalidOperatorParameter, by.span, "partition by expects a column name");
    }
    return input;
  }
  auto apply = std::make_unique<LogicalApply>();
  apply->mode = ApplyMode::kPartition;
  apply->partition_columns = {*column};
  apply->input_name = "\x01partition" + std::to_string(apply_count_++);
  LogicalOperatorPtr sub = BindPipeline(*op.subquery, GroupScan(apply->input_name, input->schema));
  apply->schema = sub->schema;
  for (size_t index = 0; index < sub->schema.size(); ++index) apply->output_map.emplace_back(1, index);
  apply->children.push_back(std::move(input));
  apply->children.push_back(std::move(sub));
  return apply;
}

// partition by Col { SubQueryWithSource }, Kusto's legacy strategy: the subquery, which has its own source, runs
// once per distinct value of Col (at most 64; more is an error, as in Kusto), with the name Col standing for that
// value (`where x == Col`, `toscalar(Col)`); the result is the union of the runs. The binder reads the distinct
// values through BindOptions::evaluate_plan and binds one copy of the subquery per value (without a host: one copy
// with a null value, for the schema).
LogicalOperatorPtr QueryBinder::BindLegacyPartition(const PartitionOp& op, LogicalOperatorPtr input) {
  constexpr size_t kMaxLegacyPartitions = 64;
  if (op.by == nullptr || op.subquery == nullptr || IsErrorSchema(input->schema)) return input;
  const Expr& by = StripParens(*op.by);
  std::optional<size_t> column;
  if (by.kind == ExprKind::kName) column = FindColumn(input->schema, by.As<NameExpr>().name);
  if (!column) {
    BindName(by.As<NameExpr>(), input->schema);
    return input;
  }
  if (op.subquery->source == nullptr) {
    Error(kBindUnsupportedOperator, op.subquery->span,
          "partition by Col { ... } expects a subquery with its own source (a table); for the partition's own rows "
          "write partition by Col ( subquery )");
    return input;
  }
  const ColumnDef key = input->schema[*column];
  std::optional<std::vector<std::vector<Value>>> rows;
  if (input->kind == LogicalKind::kValues) {
    rows = input->As<LogicalValues>().rows;
  } else if (options_.evaluate_plan) {
    std::optional<Table> table = options_.evaluate_plan(*input);
    if (!table) {
      Error(kBindUnsupportedOperator, op.span,
            "The legacy 'partition ... { ... }' form is not supported here (its input cannot run while binding)");
      return input;
    }
    rows = table->Rows();
  }
  std::vector<Value> keys;
  if (rows) {
    for (const std::vector<Value>& row : *rows) {
      Value value = row[*column];
      value.type = key.type;
      if (std::find(keys.begin(), keys.end(), value) == keys.end()) keys.push_back(std::move(value));
      if (keys.size() > kMaxLegacyPartitions) {
        Error(kBindInvalidOperatorParameter, op.by->span,
              "partition by " + key.name + " { ... }: the legacy strategy allows at most 64 distinct values of " +
                  key.name + "; use partition hint.strategy=native by " + key.name + " ( subquery )");
        return input;
      }
    }
  }
  const bool empty = rows && keys.empty();
  if (!rows || empty) keys.push_back(Value::Null(key.type));  // Binds once for the schema.
  std::vector<LogicalOperatorPtr> children;
  for (const Value& value : keys) {
    const size_t errors_before = diagnostics_.items().size();
    LetBinding binding;
    binding.kind = LetBinding::Kind::kScalar;
    binding.scalar = BoundExpr::MakeConstant(value, op.by->span);
    scopes_.emplace_back(key.name, std::move(binding));
    children.push_back(BindPipeline(*op.subquery, nullptr));
    scopes_.pop_back();
    // The same subquery binds the same way for every value: report its errors once.
    const std::vector<Diagnostic>& items = diagnostics_.items();
    if (std::any_of(items.begin() + static_cast<std::ptrdiff_t>(errors_before), items.end(),
                    [](const Diagnostic& item) { return item.severity == Severity::kError; })) {
      return std::move(children.back());
    }
  }
  if (empty) {
    auto none = std::make_unique<LogicalValues>();
    none->schema = children[0]->schema;
    return none;
  }
  if (children.size() == 1) return std::move(children[0]);
  const std::vector<std::string> source_names(children.size());
  return MakeUnion(std::move(children), source_names, false, "");
}

LogicalOperatorPtr QueryBinder::BindMvApply(const MvExpandOp& op, LogicalOperatorPtr input) {
  for (const OperatorParam& param : op.params) {
    if (param.name != "with_itemindex" && !param.name.starts_with("hint.")) {
      Error(kBindInvalidOperatorParameter, param.span, "Unknown mv-apply parameter: " + param.name);
    }
  }
  if (IsErrorSchema(input->schema)) return input;
  auto apply = std::make_unique<LogicalApply>();
  apply->mode = ApplyMode::kPerRow;
  apply->input_name = "\x01mvapply" + std::to_string(apply_count_++);
  LogicalOperatorPtr expanded = BindMvExpand(op, GroupScan(apply->input_name, input->schema));
  LogicalOperatorPtr sub = op.subquery ? BindPipeline(*op.subquery, std::move(expanded)) : std::move(expanded);
  for (size_t index = 0; index < input->schema.size(); ++index) {
    if (FindColumn(sub->schema, input->schema[index].name)) continue;
    apply->output_map.emplace_back(0, index);
    apply->schema.push_back(input->schema[index]);
  }
  for (size_t index = 0; index < sub->schema.size(); ++index) {
    apply->output_map.emplace_back(1, index);
    apply->schema.push_back(sub->schema[index]);
  }
  apply->children.push_back(std::move(input));
  apply->children.push_back(std::move(sub));
  return apply;
}

}  // namespace kql::binder

namespace kql::binder {

namespace {

LogicalOperatorPtr ProjectColumns(LogicalOperatorPtr input, std::vector<BoundExprPtr> exprs, Schema schema) {
  auto project = std::make_unique<LogicalProject>();
  project->exprs = std::move(exprs);
  project->schema = std::move(schema);
  project->children.push_back(std::move(input));
  return project;
}

// A join keeping the left side's columns (semi/anti) or the right side's (inner, for the parents' columns).
LogicalOperatorPtr KeyJoin(JoinKind kind, LogicalOperatorPtr left, LogicalOperatorPtr right,
                           std::vector<size_t> left_keys, std::vector<size_t> right_keys, bool keep_right) {
  auto join = std::make_unique<LogicalJoin>();
  join->join_kind = kind;
  join->left_keys = std::move(left_keys);
  join->right_keys = std::move(right_keys);
  const LogicalOperator& kept = keep_right ? *right : *left;
  for (size_t index = 0; index < kept.schema.size(); ++index) join->output_map.emplace_back(keep_right ? 1 : 0, index);
  join->schema = kept.schema;
  join->children.push_back(std::move(left));
  join->children.push_back(std::move(right));
  return join;
}

}  // namespace

// `with others = V` of level i (0-based): the input records whose level 1..i-1 values survived (a join with
// `parents`) but whose level i value is not in that group's top (an anti-join with `tops`), aggregated per level
// 1..i-1 group; each group gives one row: the parents' columns, V and the aggregate. Deeper levels' columns are
// null in it (the union fills them).
LogicalOperatorPtr QueryBinder::TopNestedOthers(const LogicalOperator& input, const std::vector<BoundExprPtr>& of_exprs,
                                                const LogicalOperator* parents, const LogicalOperator& tops,
                                                BoundAggregate aggregate, BoundExprPtr others_value,
                                                const Schema& result_columns) {
  const size_t level_index = of_exprs.size() - 1;
  const size_t width = input.schema.size();
  // The records with their level keys, and a constant key that groups level 1's others into one row.
  std::vector<BoundExprPtr> exprs;
  Schema columns = input.schema;
  for (size_t index = 0; index < width; ++index) {
    exprs.push_back(BoundExpr::MakeColumn(index, input.schema[index].name, input.schema[index].type));
  }
  for (size_t key = 0; key <= level_index; ++key) {
    exprs.push_back(of_exprs[key]->Clone());
    columns.push_back({"\x01key" + std::to_string(key), of_exprs[key]->type});
  }
  exprs.push_back(BoundExpr::MakeConstant(Value::Bool(true)));
  columns.push_back({"\x01group", KqlType::kBool});
  LogicalOperatorPtr records = ProjectColumns(input.Clone(), std::move(exprs), std::move(columns));
  std::vector<size_t> record_keys, result_keys;
  for (size_t key = 0; key < level_index; ++key) {
    record_keys.push_back(width + key);
    result_keys.push_back(2 * key);
  }
  if (parents != nullptr) {
    records = KeyJoin(JoinKind::kLeftSemi, std::move(records), parents->Clone(), record_keys, result_keys, false);
  }
  std::vector<size_t> all_record_keys = record_keys, all_result_keys = result_keys;
  all_record_keys.push_back(width + level_index);
  all_result_keys.push_back(2 * level_index);
  records = KeyJoin(JoinKind::kLeftAnti, std::move(records), tops.Clone(), all_record_keys, all_result_keys, false);
  auto grouped = std::make_unique<LogicalAggregate>();
  for (size_t key : record_keys) {
    grouped->keys.push_back(BoundExpr::MakeColumn(key, records->schema[key].name, records->schema[key].type));
    grouped->schema.push_back(records->schema[key]);
  }
  if (record_keys.empty()) {
    grouped->keys.push_back(BoundExpr::MakeColumn(width + level_index + 1, "\x01group", KqlType::kBool));
    grouped->schema.push_back({"\x01group", KqlType::kBool});
  }
  grouped->schema.push_back(aggregate.outputs[0]);
  grouped->aggregates.push_back(std::move(aggregate));
  grouped->children.push_back(std::move(records));
  const size_t aggregate_position = grouped->schema.size() - 1;
  LogicalOperatorPtr rows = std::move(grouped);
  std::vector<BoundExprPtr> outputs;
  Schema output_schema;
  if (parents != nullptr) {
    // The parents' columns (values and aggregates of levels 1..i-1), then the group's aggregate.
    auto join = std::make_unique<LogicalJoin>();
    join->join_kind = JoinKind::kInner;
    for (size_t key = 0; key < level_index; ++key) {
      join->left_keys.push_back(2 * key);
      join->right_keys.push_back(key);
    }
    for (size_t column = 0; column < parents->schema.size(); ++column) join->output_map.emplace_back(0, column);
    join->output_map.emplace_back(1, aggregate_position);
    join->schema = parents->schema;
    join->schema.push_back(rows->schema[aggregate_position]);
    join->children.push_back(parents->Clone());
    join->children.push_back(std::move(rows));
    rows = std::move(join);
  }
  const size_t parent_width = 2 * level_index;
  for (size_t column = 0; column < parent_width; ++column) {
    outputs.push_back(BoundExpr::MakeColumn(column, rows->schema[column].name, rows->schema[column].type));
    output_schema.push_back(result_columns[column]);
  }
  outputs.push_back(std::move(others_value));
  output_schema.push_back(result_columns[parent_width]);
  const size_t last = rows->schema.size() - 1;
  outputs.push_back(BoundExpr::MakeColumn(last, rows->schema[last].name, rows->schema[last].type));
  output_schema.push_back(result_columns[parent_width + 1]);
  return ProjectColumns(std::move(rows), std::move(outputs), std::move(output_schema));
}

// top-nested: level i groups the input by the `of` values of levels 1..i and aggregates; it keeps the rows whose
// level 1..i-1 values survived (a join with level i-1's result), then the top N per level i-1 group (a partition
// by those values). The final sort puts each level's aggregate in its order, level by level.
LogicalOperatorPtr QueryBinder::BindTopNested(const TopNestedOp& op, LogicalOperatorPtr input) {
  if (IsErrorSchema(input->schema) || op.levels.empty()) return input;
  const Schema schema = input->schema;
  std::vector<BoundExprPtr> of_exprs;
  std::vector<ColumnDef> result_columns;  // of_1, agg_1, of_2, agg_2, ...
  LogicalOperatorPtr result;
  std::vector<SortKey> final_keys;
  std::vector<LogicalOperatorPtr> others;  // One plan per level with `with others`: its rows outside the top.
  for (size_t level_index = 0; level_index < op.levels.size(); ++level_index) {
    const TopNestedLevel& level = op.levels[level_index];
    LogicalOperatorPtr parents = result && level.others ? result->Clone() : nullptr;  // Levels 1..i-1.
    BoundExprPtr of = level.of.expr ? BindExpr(*level.of.expr, schema) : ErrorExpr(level.span);
    BoundExprPtr others_value;
    if (level.others) {
      others_value = BindExpr(*level.others, Schema{});
      if (others_value->type == KqlType::kUnknown || of->type == KqlType::kUnknown) return input;
      if (others_value->kind != BoundExprKind::kConstant) {
        Error(kBindExpectedConstant, level.others->span, "top-nested 'with others' expects a constant");
        return input;
      }
      if (others_value->type != of->type && !(IsInteger(others_value->type) && IsInteger(of->type))) {
        Error(kBindOperandTypeMismatch, level.others->span,
              "top-nested 'with others' value must have the type of the level's expression (" +
                  std::string(TypeName(of->type)) + "), got " + std::string(TypeName(others_value->type)));
        return input;
      }
      others_value->type = of->type;
      others_value->constant.type = of->type;
    }
    std::string of_name = !level.of.names.empty() ? level.of.names[0] : level.of.expr ? DeriveName(*level.of.expr) : "";
    if (of_name.empty()) of_name = "Column" + std::to_string(level_index + 1);
    const Expr* by = level.by.expr ? &StripParens(*level.by.expr) : nullptr;
    if (by == nullptr || by->kind != ExprKind::kCall) {
      Error(kBindExpectedAggregate, level.span, "top-nested expects 'by' an aggregate function call");
      return input;
    }
    ColumnNamer namer;
    std::vector<std::string> names{level.by.names.empty() ? "aggregated_" + of_name : level.by.names[0]};
    std::optional<BoundAggregate> aggregate_call =
        BindAggregate(by->As<CallExpr>(), schema, names, namer, std::vector<ColumnDef>{});
    if (!aggregate_call) return input;
    aggregate_call->outputs.resize(1);
    aggregate_call->outputs[0].name = names[0];
    // This level's aggregate over the keys of levels 1..i.
    auto aggregate = std::make_unique<LogicalAggregate>();
    of_exprs.push_back(std::move(of));
    for (size_t key = 0; key <= level_index; ++key) {
      aggregate->keys.push_back(of_exprs[key]->Clone());
      aggregate->schema.push_back({key == level_index ? of_name : result_columns[2 * key].name, of_exprs[key]->type});
    }
    aggregate->schema.push_back(aggregate_call->outputs[0]);
    const ColumnDef aggregate_column = aggregate_call->outputs[0];
    aggregate->aggregates.push_back(std::move(*aggregate_call));
    aggregate->children.push_back(input->Clone());
    LogicalOperatorPtr level_plan = std::move(aggregate);
    if (result) {
      // Keep only the groups whose earlier levels survived; output: earlier columns, then of_i, agg_i.
      auto join = std::make_unique<LogicalJoin>();
      join->join_kind = JoinKind::kInner;
      for (size_t key = 0; key < level_index; ++key) {
        join->left_keys.push_back(2 * key);
        join->right_keys.push_back(key);
      }
      for (size_t column = 0; column < result_columns.size(); ++column) join->output_map.emplace_back(0, column);
      join->output_map.emplace_back(1, level_index);
      join->output_map.emplace_back(1, level_index + 1);
      join->schema = result_columns;
      join->schema.push_back({of_name, of_exprs[level_index]->type});
      join->schema.push_back(aggregate_column);
      join->children.push_back(std::move(result));
      join->children.push_back(std::move(level_plan));
      level_plan = std::move(join);
    }
    result_columns.push_back({of_name, of_exprs[level_index]->type});
    result_columns.push_back(aggregate_column);
    const size_t aggregate_position = result_columns.size() - 1;
    const bool ascending = level.direction == SortDirection::kAscending;
    if (level.count) {
      const int64_t limit = BindConstantCount(*level.count).value_or(0);
      auto top = std::make_unique<LogicalTop>();
      top->limit = limit;
      SortKey key;
      key.expr = BoundExpr::MakeColumn(aggregate_position, aggregate_column.name, aggregate_column.type);
      key.ascending = ascending;
      key.nulls_first = ascending;
      top->keys.push_back(std::move(key));
      top->schema = result_columns;
      if (level_index == 0) {
        top->children.push_back(std::move(level_plan));
        level_plan = std::move(top);
      } else {
        auto apply = std::make_unique<LogicalApply>();
        apply->mode = ApplyMode::kPartition;
        for (size_t key_index = 0; key_index < level_index; ++key_index) {
          apply->partition_columns.push_back(2 * key_index);
        }
        apply->input_name = "\x01topnested" + std::to_string(apply_count_++);
        top->children.push_back(GroupScan(apply->input_name, result_columns));
        apply->schema = result_columns;
        for (size_t column = 0; column < result_columns.size(); ++column) apply->output_map.emplace_back(1, column);
        apply->children.push_back(std::move(level_plan));
        apply->children.push_back(std::move(top));
        level_plan = std::move(apply);
      }
    }
    if (others_value && level.count) {
      std::optional<BoundAggregate> others_call =
          BindAggregate(by->As<CallExpr>(), schema, names, namer, std::vector<ColumnDef>{});
      if (!others_call) return input;
      others_call->outputs.resize(1);
      others_call->outputs[0] = aggregate_column;
      others.push_back(TopNestedOthers(*input, of_exprs, parents.get(), *level_plan, std::move(*others_call),
                                       std::move(others_value), result_columns));
    }
    result = std::move(level_plan);
    SortKey order;
    order.expr = BoundExpr::MakeColumn(aggregate_position, aggregate_column.name, aggregate_column.type);
    order.ascending = ascending;
    order.nulls_first = ascending;
    final_keys.push_back(std::move(order));
  }
  if (!others.empty()) {
    others.insert(others.begin(), std::move(result));
    const std::vector<std::string> source_names(others.size());
    result = MakeUnion(std::move(others), source_names, false, "");
  }
  auto sort = std::make_unique<LogicalSort>();
  sort->keys = std::move(final_keys);
  sort->schema = result->schema;
  sort->children.push_back(std::move(result));
  return sort;
}

}  // namespace kql::binder

namespace kql::binder {

// ipv4_lookup: per input row, the lookup rows whose range column contains the row's address (a join of the row
// with the lookup table on a constant key, filtered by ipv4_is_in_range). Output: the input columns, then the
// lookup table's; with return_unmatched=true a row without a match is kept with the lookup columns empty.
LogicalOperatorPtr QueryBinder::BindIpv4Lookup(const CallExpr& call, LogicalOperatorPtr input) {
  if (IsErrorSchema(input->schema)) return input;
  bool keep_unmatched = false;
  std::vector<const Expr*> positional;
  for (size_t index = 0; index < call.args.size(); ++index) {
    const std::string& name = index < call.arg_names.size() ? call.arg_names[index] : std::string();
    if (name.empty()) {
      positional.push_back(call.args[index].get());
      continue;
    }
    if (name != "return_unmatched") {
      Error(kBindInvalidOperatorParameter, call.args[index]->span, "Unknown ipv4_lookup argument: " + name);
      continue;
    }
    keep_unmatched = IsTrueConstant(*BindExpr(*call.args[index], Schema{}));
  }
  if (positional.size() == 4) {
    keep_unmatched = IsTrueConstant(*BindExpr(*positional[3], Schema{}));
    positional.pop_back();
  }
  if (positional.size() != 3) {
    Error(kBindWrongArity, call.name_span, "ipv4_lookup expects (LookupTable, SourceIPv4Key, IPv4LookupRange)");
    return input;
  }
  LetBinding lookup = BindValue(*positional[0], Schema{});
  if (lookup.kind != LetBinding::Kind::kTabular) {
    Error(kBindTabularScalarMismatch, positional[0]->span, "ipv4_lookup expects a lookup table first");
    return input;
  }
  std::optional<size_t> source = BindPluginColumn(*positional[1], input->schema, call.name);
  std::optional<size_t> range = BindPluginColumn(*positional[2], lookup.plan->schema, call.name);
  if (!source || !range) return input;
  auto to_string = [](BoundExprPtr value) {
    if (value->type == KqlType::kString) return value;
    std::vector<BoundExprPtr> args;
    args.push_back(std::move(value));
    return BoundExpr::MakeCall("tostring", KqlType::kString, std::move(args));
  };
  const size_t lookup_width = lookup.plan->schema.size();
  std::vector<size_t> output_columns(lookup_width);
  std::iota(output_columns.begin(), output_columns.end(), size_t{0});
  std::string input_name = "\x01ipv4lookup" + std::to_string(apply_count_++);
  return BuildLookupApply(std::move(input), std::move(lookup.plan), std::move(input_name),
                          {{*source, "\x01" "address"}}, output_columns, keep_unmatched, [&](const Schema& joined) {
                            std::vector<BoundExprPtr> args;
                            const size_t address = lookup_width;
                            args.push_back(to_string(BoundExpr::MakeColumn(address, joined[address].name,
                                                                           joined[address].type)));
                            args.push_back(to_string(BoundExpr::MakeColumn(*range, joined[*range].name,
                                                                           joined[*range].type)));
                            return BoundExpr::MakeCall("ipv4_is_in_range", KqlType::kBool, std::move(args));
                          });
}

// A plugin argument that names a column of `schema`: its index, or nullopt after a diagnostic.
std::optional<size_t> QueryBinder::BindPluginColumn(const Expr& expr, const Schema& schema, const std::string& plugin) {
  const Expr& stripped = StripParens(expr);
  if (stripped.kind != ExprKind::kName) {
    Error(kBindInvalidOperatorParameter, stripped.span, plugin + " expects a column name");
    return std::nullopt;
  }
  std::optional<size_t> index = FindColumn(schema, stripped.As<NameExpr>().name);
  if (!index) BindName(stripped.As<NameExpr>(), schema);
  return index;
}

}  // namespace kql::binder
