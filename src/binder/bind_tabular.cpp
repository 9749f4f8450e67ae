// Binding of tabular sources and the single-input operators: where, project*, extend, sort, top, take, distinct,
// count, getschema, mv-expand, and the diagnostics for operators that execution does not support.
#include <algorithm>

#include "binder/binder_diagnostic.h"
#include "binder/query_binder.h"
#include "binder/layer.h"

namespace kql::binder {
namespace {

// Matches a column name against a pattern with `*` wildcards.
bool WildcardMatch(std::string_view pattern, std::string_view text) {
  size_t p = 0;
  size_t t = 0;
  size_t star = std::string_view::npos;
  size_t resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

// A project over `input` that keeps the listed input columns under new names.
LogicalOperatorPtr MakeColumnProject(LogicalOperatorPtr input, const std::vector<std::pair<size_t, std::string>>& columns) {
  auto project = std::make_unique<LogicalProject>();
  for (const auto& [index, name] : columns) {
    const ColumnDef& column = input->schema[index];
    project->exprs.push_back(BoundExpr::MakeColumn(index, column.name, column.type));
    project->schema.push_back({name, column.type});
  }
  project->children.push_back(std::move(input));
  return project;
}

}  // namespace

std::string TypeDataTypeName(KqlType type) {
  switch (type) {
    case KqlType::kBool: return "System.SByte";
    case KqlType::kInt: return "System.Int32";
    case KqlType::kLong: return "System.Int64";
    case KqlType::kReal: return "System.Double";
    case KqlType::kDecimal: return "System.Data.SqlTypes.SqlDecimal";
    case KqlType::kString: return "System.String";
    case KqlType::kDateTime: return "System.DateTime";
    case KqlType::kTimeSpan: return "System.TimeSpan";
    case KqlType::kGuid: return "System.Guid";
    case KqlType::kDynamic: return "System.Object";
    default: return "System.Object";
  }
}

LogicalOperatorPtr QueryBinder::ErrorPlan() {
  // A table that failed to bind has one hidden column; names looked up in a schema holding it bind silently to the
  // error type, so an unknown table gives one diagnostic instead of one per column reference.
  auto values = std::make_unique<LogicalValues>();
  values->schema.push_back({std::string(kErrorColumnName), KqlType::kUnknown});
  return values;
}

LogicalOperatorPtr QueryBinder::BindPipeline(const Pipeline& pipeline, LogicalOperatorPtr implicit_input) {
  LogicalOperatorPtr current;
  size_t first = 0;
  if (pipeline.source != nullptr) {
    if (pipeline.source->kind == OperatorKind::kUnion) {
      current = BindUnion(pipeline.source->As<UnionOp>(), std::move(implicit_input));
    } else {
      current = BindSource(*pipeline.source);
    }
  } else if (implicit_input != nullptr) {
    current = std::move(implicit_input);
  } else if (!pipeline.operators.empty() && pipeline.operators[0]->kind == OperatorKind::kUnion) {
    current = BindUnion(pipeline.operators[0]->As<UnionOp>(), nullptr);
    first = 1;
  } else {
    Error(kBindNoTabularResult, pipeline.span, "The pipeline has no input table");
    current = ErrorPlan();
  }
  for (size_t index = first; index < pipeline.operators.size(); ++index) {
    current = BindOperator(*pipeline.operators[index], std::move(current));
  }
  return current;
}

LogicalOperatorPtr QueryBinder::BindTableName(const std::string& name, SourceSpan span) {
  if (const LetBinding* let = FindLet(name)) {
    if (let->kind == LetBinding::Kind::kTabular && let->plan) {
      // Each reference copies the let's plan, so lets that each extend the previous one copy quadratically many
      // operators (and their schemas); the total is budgeted to keep such chains from exhausting memory.
      size_t operators = 0;
      std::vector<const LogicalOperator*> pending = {let->plan.get()};
      while (!pending.empty()) {
        const LogicalOperator* node = pending.back();
        pending.pop_back();
        ++operators;
        for (const auto& child : node->children) {
          if (child) pending.push_back(child.get());
        }
      }
      const bool within_budget = inlined_operators_ <= kMaxInlinedOperators;
      inlined_operators_ += operators;
      if (inlined_operators_ <= kMaxInlinedOperators) return let->plan->Clone();
      if (within_budget) {
        Error(kBindTooDeep, span,
              "Tabular let references copy more than " + std::to_string(kMaxInlinedOperators) +
                  " operators in total: " + name);
      }
      return ErrorPlan();
    }
    if (let->kind == LetBinding::Kind::kFunction && CallableWithoutArguments(*let->function)) {
      LetBinding result = InlineWithoutArguments(*let->function, name, span, Schema{});
      if (result.kind == LetBinding::Kind::kTabular) return std::move(result.plan);
      if (result.kind == LetBinding::Kind::kScalar) {
        Error(kBindTabularScalarMismatch, span, "The function does not return a table: " + name);
      }
      return ErrorPlan();
    }
    if (let->kind == LetBinding::Kind::kFunction) {
      Error(kBindWrongArity, span, "The function needs arguments: " + name + "(...)");
    }
    if (let->kind == LetBinding::Kind::kScalar) {
      Error(kBindTabularScalarMismatch, span, "A scalar value cannot be used as a table: " + name);
    }
    return ErrorPlan();
  }
  const Schema* schema = catalog_.FindTable(name);
  if (schema == nullptr) {
    std::string message = "Unknown table: " + name + WorkspaceNameHint(name);
    if (std::optional<std::string> suggestion = catalog_.SuggestTable(name)) {
      message += "; did you mean '" + *suggestion + "'?";
    }
    Error(kBindUnknownTable, span, std::move(message));
    return ErrorPlan();
  }
  auto scan = std::make_unique<LogicalScan>();
  scan->table_name = name;
  scan->table_schema = *schema;
  scan->schema = *schema;
  return scan;
}

LogicalOperatorPtr QueryBinder::BindSource(const Operator& source) {
  switch (source.kind) {
    case OperatorKind::kTableRef: {
      const TableRefOp& ref = source.As<TableRefOp>();
      return BindTableName(ref.table, source.span);
    }
    case OperatorKind::kSubquery: {
      const SubqueryOp& subquery = source.As<SubqueryOp>();
      return subquery.pipeline ? BindPipeline(*subquery.pipeline, nullptr) : ErrorPlan();
    }
    case OperatorKind::kCallSource: {
      const CallSourceOp& call_source = source.As<CallSourceOp>();
      const CallExpr& call = *call_source.call;
      if ((call.name == "materialize" || call.name == "view") && call.args.size() == 1) {
        LetBinding value = BindValue(*call.args[0], Schema{});
        if (value.kind == LetBinding::Kind::kTabular) return std::move(value.plan);
      } else if (call.name == "table" && call.args.size() == 1) {
        BoundExprPtr name = BindExpr(*call.args[0], Schema{});
        if (name->kind == BoundExprKind::kConstant && name->type == KqlType::kString) {
          return BindTableName(name->constant.string_value, call.args[0]->span);
        }
        if (name->type != KqlType::kUnknown) {
          Error(kBindExpectedConstant, call.args[0]->span, "table() expects a constant table name");
        }
        return ErrorPlan();
      } else if (call.name == "graph" && !FindLet(call.name)) {
        Error(kBindUnsupportedOperator, call.span,
              "graph() (persistent graph models and snapshots) is not supported; build the graph with make-graph");
        return ErrorPlan();
      } else if (call.name == "_GetWatchlist" && call.args.size() == 1 && !FindLet(call.name)) {
        // Sentinel's watchlist function: a watchlist registered by the host as a table (see WatchlistTableName).
        BoundExprPtr name = BindExpr(*call.args[0], Schema{});
        if (name->kind == BoundExprKind::kConstant && name->type == KqlType::kString) {
          const std::string table = WatchlistTableName(name->constant.string_value);
          if (catalog_.FindTable(table) != nullptr) return BindTableName(table, call.args[0]->span);
          // As in Sentinel, a watchlist that does not exist is empty: its fixed columns and no rows (warned here,
          // since a local run more likely forgot to load it).
          diagnostics_.Warning(std::string(kBindWatchlistNotLoaded), call.args[0]->span,
                               "Watchlist not loaded, read as empty: " + name->constant.string_value +
                                   " (load it with hunt --watchlist NAME=FILE.csv)");
          auto empty = std::make_unique<LogicalValues>();
          empty->schema = WatchlistFixedColumns();
          return empty;
        } else if (name->type != KqlType::kUnknown) {
          Error(kBindExpectedConstant, call.args[0]->span, "_GetWatchlist() expects a constant watchlist name");
        }
        return ErrorPlan();
      } else if (const LetBinding* let = FindLet(call.name); let && let->kind == LetBinding::Kind::kFunction) {
        LetBinding value = InlineFunction(*let->function, call, Schema{});
        if (value.kind == LetBinding::Kind::kTabular) return std::move(value.plan);
        if (value.kind == LetBinding::Kind::kScalar) {
          Error(kBindTabularScalarMismatch, call.name_span, "The function does not return a table: " + call.name);
        }
        return ErrorPlan();
      } else if (FindFunction(call.name) == nullptr) {
        std::string message = "Unknown function: " + call.name + WorkspaceNameHint(call.name);
        Error(IsKnownUnsupportedFunction(call.name) ? kBindUnsupportedFunction : kBindUnknownFunction, call.name_span,
              std::move(message));
        return ErrorPlan();
      }
      Error(kBindTabularScalarMismatch, call.name_span, "A tabular expression is expected, not a call of: " + call.name);
      return ErrorPlan();
    }
    case OperatorKind::kDatatable:
      return BindDatatable(source.As<DatatableOp>());
    case OperatorKind::kPrint:
      return BindPrint(source.As<PrintOp>());
    case OperatorKind::kRange:
      return BindRange(source.As<RangeOp>());
    case OperatorKind::kSearch:
      return BindSearch(source.As<SearchOp>(), nullptr);
    case OperatorKind::kFind:
      return BindFind(source.As<FindOp>());
    case OperatorKind::kExternalData:
      return BindExternalData(source.As<ExternalDataOp>());
    default:
      Error(kBindUnsupportedOperator, source.span,
            "The '" + std::string(OperatorKindName(source.kind)) + "' operator is not supported yet");
      return ErrorPlan();
  }
}

LogicalOperatorPtr QueryBinder::BindDatatable(const DatatableOp& op) {
  auto values = std::make_unique<LogicalValues>();
  for (const ColumnDecl& decl : op.columns) {
    std::optional<KqlType> type = ParseTypeName(decl.type);
    if (!type) {
      Error(kBindInvalidLiteral, decl.span, "Unknown type name: " + decl.type);
      type = KqlType::kUnknown;
    }
    values->schema.push_back({decl.name, *type});
  }
  const size_t width = values->schema.size();
  if (width == 0) return values;
  if (op.values.size() % width != 0) {
    Error(kBindDatatableShape, op.span,
          "The number of datatable values is not a multiple of the column count: " + std::to_string(op.values.size()));
    return values;
  }
  for (size_t start = 0; start < op.values.size(); start += width) {
    std::vector<Value> row;
    for (size_t column = 0; column < width; ++column) {
      const Expr& cell = *op.values[start + column];
      BoundExprPtr bound = BindExpr(cell, Schema{});
      const KqlType target = values->schema[column].type;
      if (bound->kind != BoundExprKind::kConstant) {
        Error(kBindExpectedConstant, cell.span, "A datatable value must be a constant");
        row.push_back(Value::Null(target));
        continue;
      }
      if (bound->type == KqlType::kUnknown) {
        row.push_back(Value::Null(target));
        continue;
      }
      std::optional<Value> converted = ConvertConstant(bound->constant, target);
      if (!converted) {
        Error(kBindWrongArgumentType, cell.span,
              "The value does not match the column type " + std::string(TypeName(target)) + ": " +
                  values->schema[column].name);
        converted = Value::Null(target);
      }
      if (target == KqlType::kString && converted->is_null) converted = Value::String("");
      row.push_back(std::move(*converted));
    }
    values->rows.push_back(std::move(row));
  }
  return values;
}

LogicalOperatorPtr QueryBinder::BindPrint(const PrintOp& op) {
  auto values = std::make_unique<LogicalValues>();
  values->rows.emplace_back();
  // Functions with several outputs (series_stats, array_sort_asc of several arrays) are computed below.
  std::vector<const CallExpr*> multi_output_calls;
  LogicalOperatorPtr input = BindMultiOutputCalls(op.columns, std::move(values), multi_output_calls);
  auto project = std::make_unique<LogicalProject>();
  ColumnNamer namer;
  for (size_t index = 0; index < op.columns.size(); ++index) {
    const NamedExpr& item = op.columns[index];
    if (BindMultiOutputItem(item, input->schema, namer, *project, false)) continue;
    BoundExprPtr bound = BindExpr(*item.expr, input->schema);
    // Kusto names unnamed print items by position: print_0, print_1, ... (checked with the oracle).
    std::string name = item.names.empty() ? "print_" + std::to_string(index) : item.names[0];
    project->schema.push_back({namer.Unique(name), bound->type});
    project->exprs.push_back(std::move(bound));
  }
  project->children.push_back(std::move(input));
  return project;
}

LogicalOperatorPtr QueryBinder::BindRange(const RangeOp& op) {
  auto range = std::make_unique<LogicalRange>();
  range->start = BindExpr(*op.from, Schema{});
  range->stop = BindExpr(*op.to, Schema{});
  range->step = BindExpr(*op.step, Schema{});
  std::optional<KqlType> type = CommonType(range->start->type, range->stop->type);
  if (!type || *type == KqlType::kDynamic || *type == KqlType::kString || *type == KqlType::kBool) {
    Error(kBindOperandTypeMismatch, op.span, "range bounds must be numbers, datetimes or timespans of one type");
    type = KqlType::kUnknown;
  }
  if (*type == KqlType::kInt) type = KqlType::kLong;
  range->schema.push_back({op.column, *type});
  return range;
}

std::optional<int64_t> QueryBinder::BindConstantCount(const Expr& expr) {
  BoundExprPtr bound = BindExpr(expr, Schema{});
  if (bound->type == KqlType::kUnknown) return std::nullopt;
  if (bound->kind != BoundExprKind::kConstant || !IsInteger(bound->type) || bound->constant.is_null) {
    Error(kBindExpectedConstant, expr.span, "A constant integer row count is expected");
    return std::nullopt;
  }
  return bound->constant.int_value;
}

std::vector<SortKey> QueryBinder::BindSortKeys(const std::vector<SortTerm>& keys, const Schema& input) {
  std::vector<SortKey> bound;
  for (const SortTerm& key : keys) {
    SortKey sort_key;
    sort_key.expr = BindExpr(*key.expr, input);
    sort_key.ascending = key.direction == SortDirection::kAscending;
    sort_key.nulls_first = key.nulls == NullsOrder::kDefault ? sort_key.ascending : key.nulls == NullsOrder::kFirst;
    bound.push_back(std::move(sort_key));
  }
  return bound;
}

std::string QueryBinder::ItemName(const NamedExpr& item, ColumnNamer& namer) const {
  if (!item.names.empty()) return item.names[0];
  const std::string derived = DeriveName(*item.expr);
  return derived.empty() ? namer.NextGenerated() : namer.Unique(derived);
}

LogicalOperatorPtr QueryBinder::BindProject(const std::vector<NamedExpr>& items, LogicalOperatorPtr input) {
  // Window functions (row_number(), prev(x)...) are computed by a LogicalWindow below the projection.
  std::vector<const Expr*> window_items;
  for (const NamedExpr& item : items) window_items.push_back(item.expr.get());
  std::vector<const CallExpr*> window_calls;
  input = BindWindowCalls(window_items, std::move(input), window_calls);
  std::vector<const CallExpr*> multi_output_calls;
  input = BindMultiOutputCalls(items, std::move(input), multi_output_calls);
  auto project = std::make_unique<LogicalProject>();
  ColumnNamer namer;
  // Explicit names are reserved first so that generated names (Column1, x1) avoid them.
  for (const NamedExpr& item : items) {
    for (const std::string& name : item.names) namer.Reserve(name);
  }
  for (const NamedExpr& item : items) {
    if (BindMultiOutputItem(item, input->schema, namer, *project, false)) continue;
    BoundExprPtr bound = BindExpr(*item.expr, input->schema);
    project->schema.push_back({ItemName(item, namer), bound->type});
    project->exprs.push_back(std::move(bound));
  }
  // Keep the error marker so that later operators stay silent about a table that failed to bind.
  if (std::optional<size_t> marker = FindColumn(input->schema, kErrorColumnName)) {
    project->exprs.push_back(BoundExpr::MakeColumn(*marker, std::string(kErrorColumnName), KqlType::kUnknown));
    project->schema.push_back({std::string(kErrorColumnName), KqlType::kUnknown});
  }
  project->children.push_back(std::move(input));
  ReleaseWindowCalls(window_calls);
  ReleaseWindowCalls(multi_output_calls);
  return project;
}

LogicalOperatorPtr QueryBinder::BindExtend(const ProjectOp& op, LogicalOperatorPtr input) {
  // Window functions are computed by a LogicalWindow below; its extra columns are not passed through.
  const size_t passthrough = input->schema.size();
  std::vector<const Expr*> window_items;
  for (const NamedExpr& item : op.columns) window_items.push_back(item.expr.get());
  std::vector<const CallExpr*> window_calls;
  input = BindWindowCalls(window_items, std::move(input), window_calls);
  std::vector<const CallExpr*> multi_output_calls;
  input = BindMultiOutputCalls(op.columns, std::move(input), multi_output_calls);
  auto project = std::make_unique<LogicalProject>();
  const Schema& schema = input->schema;
  ColumnNamer namer;
  for (size_t index = 0; index < passthrough; ++index) {
    project->exprs.push_back(BoundExpr::MakeColumn(index, schema[index].name, schema[index].type));
    project->schema.push_back(schema[index]);
    namer.Reserve(schema[index].name);
  }
  for (const NamedExpr& item : op.columns) {
    // Each extend item sees the input columns, not the ones defined earlier in the same extend, except that Kusto
    // lets later items use earlier ones; bind against the growing schema by substituting their expressions.
    if (BindMultiOutputItem(item, schema, namer, *project, true)) continue;
    BoundExprPtr bound = BindExpr(*item.expr, schema);
    std::string name;
    if (!item.names.empty()) {
      name = item.names[0];
    } else {
      // A derived name of an existing column replaces it: `extend todatetime(t)` retypes t (Kusto's binder).
      const std::string derived = DeriveName(*item.expr);
      const bool existing_column = std::any_of(project->schema.begin(), project->schema.end(),
                                               [&](const ColumnDef& column) { return column.name == derived; });
      name = derived.empty() ? namer.NextGenerated() : (existing_column ? derived : namer.Unique(derived));
    }
    // Extending an existing name replaces that column in place, as Kusto does.
    auto existing = std::find_if(project->schema.begin(), project->schema.end(),
                                 [&](const ColumnDef& column) { return column.name == name; });
    if (existing != project->schema.end()) {
      const size_t position = static_cast<size_t>(existing - project->schema.begin());
      existing->type = bound->type;
      project->exprs[position] = std::move(bound);
    } else {
      namer.Reserve(name);
      project->schema.push_back({name, bound->type});
      project->exprs.push_back(std::move(bound));
    }
  }
  project->children.push_back(std::move(input));
  ReleaseWindowCalls(window_calls);
  ReleaseWindowCalls(multi_output_calls);
  return project;
}

LogicalOperatorPtr QueryBinder::BindRename(const ProjectOp& op, LogicalOperatorPtr input) {
  std::vector<std::pair<size_t, std::string>> columns;
  for (size_t index = 0; index < input->schema.size(); ++index) columns.emplace_back(index, input->schema[index].name);
  for (const NamedExpr& item : op.columns) {
    const Expr& old_expr = StripParens(*item.expr);
    if (old_expr.kind != ExprKind::kName || item.names.empty()) {
      Error(kBindInvalidOperatorParameter, item.span, "project-rename expects new_name = old_name");
      continue;
    }
    const std::string& old_name = old_expr.As<NameExpr>().name;
    std::optional<size_t> index = FindColumn(input->schema, old_name);
    if (!index) {
      BindName(old_expr.As<NameExpr>(), input->schema);
      continue;
    }
    columns[*index].second = item.names[0];
  }
  return MakeColumnProject(std::move(input), columns);
}

void QueryBinder::ReportPatternNoMatch(const ColumnPattern& pattern, const Schema& schema, const std::string& prefix) {
  if (IsErrorSchema(schema)) return;
  std::string message = prefix + "Column name or pattern matches no column: " + pattern.pattern;
  std::vector<std::string> names;
  for (const ColumnDef& column : schema) names.push_back(column.name);
  if (std::optional<std::string> suggestion = SuggestName(pattern.pattern, names)) {
    message += "; did you mean '" + *suggestion + "'?";
  }
  Error(kBindColumnPatternNoMatch, pattern.span, std::move(message));
}

LogicalOperatorPtr QueryBinder::BindColumnList(const ColumnListOp& op, LogicalOperatorPtr input) {
  const Schema& schema = input->schema;
  std::vector<bool> matched_any(op.columns.size(), false);
  std::vector<std::vector<size_t>> matches(op.columns.size());
  for (size_t pattern_index = 0; pattern_index < op.columns.size(); ++pattern_index) {
    const ColumnPattern& pattern = op.columns[pattern_index];
    for (size_t index = 0; index < schema.size(); ++index) {
      const bool hit = pattern.has_wildcard ? WildcardMatch(pattern.pattern, schema[index].name)
                                            : pattern.pattern == schema[index].name;
      if (hit) matches[pattern_index].push_back(index);
    }
    if (matches[pattern_index].empty()) ReportPatternNoMatch(pattern, schema, "");
  }
  std::vector<std::pair<size_t, std::string>> columns;
  if (op.kind == OperatorKind::kProjectAway) {
    std::vector<bool> removed(schema.size(), false);
    for (const auto& list : matches) {
      for (size_t index : list) removed[index] = true;
    }
    for (size_t index = 0; index < schema.size(); ++index) {
      if (!removed[index]) columns.emplace_back(index, schema[index].name);
    }
  } else if (op.kind == OperatorKind::kProjectKeep) {
    std::vector<bool> kept(schema.size(), false);
    for (const auto& list : matches) {
      for (size_t index : list) kept[index] = true;
    }
    for (size_t index = 0; index < schema.size(); ++index) {
      if (kept[index]) columns.emplace_back(index, schema[index].name);
    }
  } else {
    // project-reorder: listed columns first in the listed order (wildcard matches sorted when asked), then the rest.
    std::vector<bool> placed(schema.size(), false);
    for (size_t pattern_index = 0; pattern_index < op.columns.size(); ++pattern_index) {
      std::vector<size_t> list = matches[pattern_index];
      const SortDirection direction = op.columns[pattern_index].direction;
      if (direction != SortDirection::kDefault) {
        std::sort(list.begin(), list.end(), [&](size_t a, size_t b) {
          return direction == SortDirection::kAscending ? schema[a].name < schema[b].name
                                                        : schema[a].name > schema[b].name;
        });
      }
      for (size_t index : list) {
        if (!placed[index]) {
          placed[index] = true;
          columns.emplace_back(index, schema[index].name);
        }
      }
    }
    for (size_t index = 0; index < schema.size(); ++index) {
      if (!placed[index]) columns.emplace_back(index, schema[index].name);
    }
  }
  return MakeColumnProject(std::move(input), columns);
}

LogicalOperatorPtr QueryBinder::BindMvExpand(const MvExpandOp& op, LogicalOperatorPtr input) {
  // Named or computed items (e = d.items) are first added as columns by an extend, then expanded.
  std::vector<std::pair<std::string, const MvExpandItem*>> targets;
  bool needs_extend = false;
  for (const MvExpandItem& item : op.items) {
    const Expr& expr = StripParens(*item.column.expr);
    if (item.column.names.empty() && expr.kind == ExprKind::kName) {
      targets.emplace_back(expr.As<NameExpr>().name, &item);
    } else {
      needs_extend = true;
      std::string name = item.column.names.empty() ? DeriveName(expr) : item.column.names[0];
      targets.emplace_back(name, &item);
    }
  }
  if (needs_extend) {
    auto extend = std::make_unique<LogicalProject>();
    const Schema& schema = input->schema;
    for (size_t index = 0; index < schema.size(); ++index) {
      extend->exprs.push_back(BoundExpr::MakeColumn(index, schema[index].name, schema[index].type));
      extend->schema.push_back(schema[index]);
    }
    ColumnNamer namer;
    for (const ColumnDef& column : schema) namer.Reserve(column.name);
    int generated = 0;
    for (auto& [name, item] : targets) {
      const Expr& expr = StripParens(*item->column.expr);
      if (item->column.names.empty() && expr.kind == ExprKind::kName) continue;
      BoundExprPtr bound = BindExpr(expr, schema);
      if (name.empty()) name = "Column" + std::to_string(++generated);
      auto existing = std::find_if(extend->schema.begin(), extend->schema.end(),
                                   [&name = name](const ColumnDef& column) { return column.name == name; });
      if (existing != extend->schema.end()) {
        const size_t position = static_cast<size_t>(existing - extend->schema.begin());
        existing->type = bound->type;
        extend->exprs[position] = std::move(bound);
      } else {
        extend->schema.push_back({name, bound->type});
        extend->exprs.push_back(std::move(bound));
      }
    }
    extend->children.push_back(std::move(input));
    input = std::move(extend);
  }
  auto expand = std::make_unique<LogicalMvExpand>();
  expand->schema = input->schema;
  for (const auto& [name, item] : targets) {
    std::optional<size_t> index = FindColumn(input->schema, name);
    if (!index) {
      NameExpr missing;
      missing.name = name;
      missing.span = item->span;
      BindName(missing, input->schema);
      continue;
    }
    const KqlType type = input->schema[*index].type;
    if (type != KqlType::kDynamic && type != KqlType::kUnknown) {
      Error(kBindExpectedDynamic, item->span, "mv-expand expects a dynamic column, but this one is " +
                                                  std::string(TypeName(type)) + ": " + name);
      continue;
    }
    KqlType target = KqlType::kDynamic;
    if (!item->to_type.empty()) {
      std::optional<KqlType> parsed = ParseTypeName(item->to_type);
      if (!parsed) {
        Error(kBindInvalidLiteral, item->span, "Unknown type name: " + item->to_type);
      } else {
        target = *parsed;
      }
    }
    expand->columns.push_back(*index);
    expand->target_types.push_back(target);
    expand->schema[*index].type = target;
  }
  for (const OperatorParam& param : op.params) {
    if (param.name == "with_itemindex" && param.value && param.value->kind == ExprKind::kName) {
      expand->item_index_column = param.value->As<NameExpr>().name;
      expand->schema.push_back({expand->item_index_column, KqlType::kLong});
    }
    if ((param.name == "kind" || param.name == "bagexpansion") && ParamText(param) == "array") expand->bag_as_array = true;
  }
  if (op.limit) {
    if (std::optional<int64_t> limit = BindConstantCount(*op.limit)) expand->row_limit = *limit;
  }
  expand->children.push_back(std::move(input));
  return expand;
}

LogicalOperatorPtr QueryBinder::BindProjectByNames(const GenericOp& op, LogicalOperatorPtr input) {
  // project-by-names Spec, ...: each Spec is a column name, a * pattern, a dynamic array of names, or
  // column_names_of(T); columns follow the order of the specs, names that match nothing are ignored (KQL docs).
  // The arguments are kept as raw text by the parser and parsed here as the arguments of a call.
  ExpressionParseResult parsed = ParseExpression("pack_array(" + op.raw_arguments + ")");
  const Expr& list = StripParens(*parsed.expr);
  if (!parsed.ok() || list.kind != ExprKind::kCall) {
    Error(kBindUnsupportedOperator, op.span, "project-by-names expects column names, patterns or dynamic arrays");
    return input;
  }
  std::vector<std::string> specs;
  for (const ExprPtr& arg : list.As<CallExpr>().args) {
    const Expr& spec = StripParens(*arg);
    if (spec.kind == ExprKind::kCall && spec.As<CallExpr>().name == "column_names_of" &&
        spec.As<CallExpr>().args.size() == 1 && StripParens(*spec.As<CallExpr>().args[0]).kind == ExprKind::kName) {
      const std::string& table = StripParens(*spec.As<CallExpr>().args[0]).As<NameExpr>().name;
      const LetBinding* let = FindLet(table);
      const Schema* schema = let && let->kind == LetBinding::Kind::kTabular && let->plan ? &let->plan->schema : nullptr;
      if (schema == nullptr) schema = catalog_.FindTable(table);
      if (schema == nullptr) {
        Error(kBindUnknownTable, op.span, "column_names_of expects a table: " + table);
        return input;
      }
      for (const ColumnDef& column : *schema) specs.push_back(column.name);
      continue;
    }
    if (spec.kind == ExprKind::kName) {
      const LetBinding* let = FindLet(spec.As<NameExpr>().name);
      if (let == nullptr || let->kind != LetBinding::Kind::kScalar) {
        specs.push_back(spec.As<NameExpr>().name);  // A column name (or pattern-free name): kept when it exists.
        continue;
      }
    }
    BoundExprPtr bound = BindExpr(spec, Schema{});
    if (bound->kind == BoundExprKind::kConstant && bound->type == KqlType::kString) {
      specs.push_back(bound->constant.string_value);
    } else if (bound->kind == BoundExprKind::kConstant && bound->type == KqlType::kDynamic &&
               bound->constant.dynamic_value && bound->constant.dynamic_value->kind() == DynamicValue::Kind::kArray) {
      for (const Dynamic& item : bound->constant.dynamic_value->items()) {
        if (item->kind() == DynamicValue::Kind::kString) specs.push_back(item->string_value());
      }
    } else if (bound->type != KqlType::kUnknown) {
      Error(kBindExpectedConstant, op.span,
            "project-by-names expects constant column names, patterns or dynamic arrays of names");
      return input;
    }
  }
  const Schema& schema = input->schema;
  std::vector<bool> placed(schema.size(), false);
  std::vector<std::pair<size_t, std::string>> columns;
  for (const std::string& spec : specs) {
    for (size_t index = 0; index < schema.size(); ++index) {
      if (placed[index] || !WildcardMatch(spec, schema[index].name)) continue;
      placed[index] = true;
      columns.emplace_back(index, schema[index].name);
    }
  }
  return MakeColumnProject(std::move(input), columns);
}

LogicalOperatorPtr QueryBinder::BindOperator(const Operator& op, LogicalOperatorPtr input) {
  if (IsGraphOperator(op)) return BindGraphOperator(op, std::move(input));
  if (IsGraphValued(*input)) {
    Error(kBindUnsupportedOperator, op.span, "make-graph returns a graph: only a graph operator (graph-match, "
                                             "graph-shortest-paths, graph-mark-components, graph-to-table) may follow "
                                             "it, not '" + std::string(op.name.empty() ? OperatorKindName(op.kind) : op.name) + "'");
    return ErrorPlan();
  }
  switch (op.kind) {
    case OperatorKind::kWhere: {
      auto filter = std::make_unique<LogicalFilter>();
      filter->predicate = BindPredicate(*op.As<WhereOp>().predicate, input->schema);
      filter->schema = input->schema;
      filter->children.push_back(std::move(input));
      return filter;
    }
    case OperatorKind::kProject:
      return BindProject(static_cast<const ProjectOp&>(op).columns, std::move(input));
    case OperatorKind::kExtend:
      return BindExtend(static_cast<const ProjectOp&>(op), std::move(input));
    case OperatorKind::kProjectAway:
    case OperatorKind::kProjectKeep:
    case OperatorKind::kProjectReorder:
      return BindColumnList(static_cast<const ColumnListOp&>(op), std::move(input));
    case OperatorKind::kProjectRename:
      return BindRename(static_cast<const ProjectOp&>(op), std::move(input));
    case OperatorKind::kSummarize:
      return BindSummarize(op.As<SummarizeOp>(), std::move(input));
    case OperatorKind::kSort: {
      auto sort = std::make_unique<LogicalSort>();
      sort->keys = BindSortKeys(op.As<SortOp>().keys, input->schema);
      sort->schema = input->schema;
      sort->children.push_back(std::move(input));
      return sort;
    }
    case OperatorKind::kTop: {
      const TopOp& top_op = op.As<TopOp>();
      auto top = std::make_unique<LogicalTop>();
      top->limit = top_op.count ? BindConstantCount(*top_op.count).value_or(0) : 0;
      top->keys = BindSortKeys(top_op.keys, input->schema);
      top->schema = input->schema;
      top->children.push_back(std::move(input));
      return top;
    }
    case OperatorKind::kTake:
    case OperatorKind::kSample: {
      // sample N returns N arbitrary rows: kqlite returns the first N (deterministic, not random), like take.
      const TakeOp& take_op = static_cast<const TakeOp&>(op);
      auto limit = std::make_unique<LogicalLimit>();
      limit->limit = take_op.count ? BindConstantCount(*take_op.count).value_or(0) : 0;
      limit->schema = input->schema;
      limit->children.push_back(std::move(input));
      return limit;
    }
    case OperatorKind::kDistinct: {
      const DistinctOp& distinct_op = op.As<DistinctOp>();
      const bool star = distinct_op.columns.size() == 1 && distinct_op.columns[0].expr &&
                        StripParens(*distinct_op.columns[0].expr).kind == ExprKind::kStar;
      if (!star) {
        input = BindProject(distinct_op.columns, std::move(input));
      }
      auto distinct = std::make_unique<LogicalDistinct>();
      distinct->schema = input->schema;
      distinct->children.push_back(std::move(input));
      return distinct;
    }
    case OperatorKind::kCount: {
      auto aggregate = std::make_unique<LogicalAggregate>();
      BoundAggregate count;
      count.function = "count";
      count.outputs.push_back({"Count", KqlType::kLong});
      aggregate->aggregates.push_back(std::move(count));
      aggregate->schema.push_back({"Count", KqlType::kLong});
      aggregate->children.push_back(std::move(input));
      return aggregate;
    }
    case OperatorKind::kGetSchema: {
      auto values = std::make_unique<LogicalValues>();
      values->schema = {{"ColumnName", KqlType::kString},
                        {"ColumnOrdinal", KqlType::kLong},
                        {"DataType", KqlType::kString},
                        {"ColumnType", KqlType::kString}};
      for (size_t index = 0; index < input->schema.size(); ++index) {
        const ColumnDef& column = input->schema[index];
        values->rows.push_back({Value::String(column.name), Value::Long(static_cast<int64_t>(index)),
                                Value::String(TypeDataTypeName(column.type)),
                                Value::String(std::string(TypeName(column.type)))});
      }
      return values;
    }
    case OperatorKind::kInvoke:
      return BindInvoke(op.As<InvokeOp>(), std::move(input));
    case OperatorKind::kAs: {
      // The piped table is also known by the alias for the rest of the query (join (X), union X, ...).
      const AsOp& as = op.As<AsOp>();
      for (const OperatorParam& param : op.params) {
        if (param.name != "hint.materialized") {
          Error(kBindInvalidOperatorParameter, param.span, "Unknown as parameter: " + param.name);
        }
      }
      if (!as.alias.empty()) {
        LetBinding alias;
        alias.kind = LetBinding::Kind::kTabular;
        alias.plan = input->Clone();
        scopes_.emplace_back(as.alias, std::move(alias));
      }
      return input;
    }
    case OperatorKind::kSampleDistinct: {
      // sample-distinct N of c: N distinct values of c (the first ones found, not random).
      const SampleDistinctOp& sample = op.As<SampleDistinctOp>();
      if (sample.of == nullptr) return input;
      auto project = std::make_unique<LogicalProject>();
      BoundExprPtr value = BindExpr(*sample.of, input->schema);
      std::string name = DeriveName(*sample.of);
      project->schema.push_back({name.empty() ? "Column1" : name, value->type});
      project->exprs.push_back(std::move(value));
      project->children.push_back(std::move(input));
      auto distinct = std::make_unique<LogicalDistinct>();
      distinct->schema = project->schema;
      distinct->children.push_back(std::move(project));
      auto limit = std::make_unique<LogicalLimit>();
      limit->limit = sample.count ? BindConstantCount(*sample.count).value_or(0) : 0;
      limit->schema = distinct->schema;
      limit->children.push_back(std::move(distinct));
      return limit;
    }
    case OperatorKind::kSerialize:
      if (op.kind == OperatorKind::kSerialize && !static_cast<const ProjectOp&>(op).columns.empty()) {
        return BindExtend(static_cast<const ProjectOp&>(op), std::move(input));
      }
      return input;
    case OperatorKind::kRender: {
      // The table passes unchanged; the chart request is kept for the result (QueryResult::render).
      const RenderOp& render = op.As<RenderOp>();
      RenderRequest request;
      request.visualization = render.chart;
      for (const OperatorParam& property : render.properties) {
        std::string text = ParamText(property);
        if (text.empty() && property.value) text = DeriveName(*property.value);
        if (!request.properties.empty() && request.properties.back().first == property.name) {
          request.properties.back().second += ", " + text;
        } else {
          request.properties.emplace_back(property.name, text);
        }
      }
      render_ = std::move(request);
      return input;
    }
    case OperatorKind::kJoin:
    case OperatorKind::kLookup:
      return BindJoin(static_cast<const JoinOp&>(op), std::move(input));
    case OperatorKind::kUnion:
      return BindUnion(op.As<UnionOp>(), std::move(input));
    case OperatorKind::kMvExpand:
      return BindMvExpand(static_cast<const MvExpandOp&>(op), std::move(input));
    case OperatorKind::kParse:
    case OperatorKind::kParseWhere:
      return BindParse(static_cast<const ParseOp&>(op), std::move(input));
    case OperatorKind::kEvaluate:
      return BindEvaluate(op.As<EvaluateOp>(), std::move(input));
    case OperatorKind::kMakeSeries:
      return BindMakeSeries(op.As<MakeSeriesOp>(), std::move(input));
    case OperatorKind::kSearch:
      return BindSearch(op.As<SearchOp>(), std::move(input));
    case OperatorKind::kTopNested:
      return BindTopNested(op.As<TopNestedOp>(), std::move(input));
    case OperatorKind::kTopHitters:
      return BindTopHitters(op.As<TopHittersOp>(), std::move(input));
    case OperatorKind::kPartition:
      return BindPartition(op.As<PartitionOp>(), std::move(input));
    case OperatorKind::kMvApply:
      return BindMvApply(static_cast<const MvExpandOp&>(op), std::move(input));
    case OperatorKind::kScan:
      return BindSequenceScan(op.As<ScanOp>(), std::move(input));
    case OperatorKind::kParseKv:
      return BindParseKv(static_cast<const ParseOp&>(op), std::move(input));
    case OperatorKind::kFork:
    case OperatorKind::kFacet:
      return BindMultiResult(op, std::move(input));
    default: {
      if (op.kind == OperatorKind::kGeneric && op.name == "project-by-names") {
        return BindProjectByNames(static_cast<const GenericOp&>(op), std::move(input));
      }
      std::string keyword = op.kind == OperatorKind::kGeneric && !op.name.empty() ? op.name
                                                                                 : std::string(OperatorKindName(op.kind));
      Error(kBindUnsupportedOperator, op.span, "The operator is not supported yet: '" + keyword + "'");
      return input;
    }
  }
}

}  // namespace kql::binder
