// Binding of the multi-input operators join, lookup and union. Output naming follows Kusto (checked with the
// oracle): a right column whose name is taken gets the first free numeric suffix (DeviceId -> DeviceId1, and x
// -> x2 when x1 is taken); lookup drops the right key columns; union aligns columns by name in order of first
// appearance and puts the withsource column first.
#include <algorithm>

#include "binder/binder_diagnostic.h"
#include "binder/query_binder.h"
#include "binder/layer.h"

namespace kql::binder {
namespace {

std::optional<JoinKind> ParseJoinKind(std::string_view text) {
  if (text == "innerunique") return JoinKind::kInnerUnique;
  if (text == "inner") return JoinKind::kInner;
  if (text == "leftouter") return JoinKind::kLeftOuter;
  if (text == "rightouter") return JoinKind::kRightOuter;
  if (text == "fullouter" || text == "outer") return JoinKind::kFullOuter;
  if (text == "leftanti" || text == "anti" || text == "leftantisemi") return JoinKind::kLeftAnti;
  if (text == "rightanti" || text == "rightantisemi") return JoinKind::kRightAnti;
  if (text == "leftsemi") return JoinKind::kLeftSemi;
  if (text == "rightsemi") return JoinKind::kRightSemi;
  return std::nullopt;
}

// One side of a join equality: `$left.a` (is_left) or `$right.b`.
struct JoinKeyName {
  bool is_left = true;
  std::string name;
  SourceSpan span;
};

}  // namespace

std::string ParamText(const OperatorParam& param) {
  if (param.value == nullptr) return "";
  const Expr& value = StripParens(*param.value);
  if (value.kind == ExprKind::kName) return value.As<NameExpr>().name;
  if (value.kind == ExprKind::kLiteral) return value.As<LiteralExpr>().text;
  return "";
}

bool WildcardMatchName(std::string_view pattern, std::string_view text) {
  if (pattern.empty()) return text.empty();
  if (pattern.front() == '*') {
    for (size_t skip = 0; skip <= text.size(); ++skip) {
      if (WildcardMatchName(pattern.substr(1), text.substr(skip))) return true;
    }
    return false;
  }
  return !text.empty() && pattern.front() == text.front() && WildcardMatchName(pattern.substr(1), text.substr(1));
}

LogicalOperatorPtr QueryBinder::BindJoin(const JoinOp& op, LogicalOperatorPtr input) {
  const bool is_lookup = op.kind == OperatorKind::kLookup;
  JoinKind kind = is_lookup ? JoinKind::kLeftOuter : JoinKind::kInnerUnique;
  for (const OperatorParam& param : op.params) {
    if (param.name != "kind") continue;
    const std::string text = ParamText(param);
    std::optional<JoinKind> parsed = ParseJoinKind(text);
    if (!parsed || (is_lookup && *parsed != JoinKind::kLeftOuter && *parsed != JoinKind::kInner)) {
      Error(kBindInvalidOperatorParameter, param.span, "Unknown join kind: " + text);
    } else {
      kind = *parsed;
    }
  }
  LogicalOperatorPtr right = op.right ? BindPipeline(*op.right, nullptr) : ErrorPlan();
  auto join = std::make_unique<LogicalJoin>();
  join->join_kind = kind;
  join->is_lookup = is_lookup;
  const Schema& left_schema = input->schema;
  const Schema& right_schema = right->schema;
  auto add_key = [&](const JoinKeyName& left_key, const JoinKeyName& right_key) {
    NameExpr left_name;
    left_name.name = left_key.name;
    left_name.span = left_key.span;
    NameExpr right_name;
    right_name.name = right_key.name;
    right_name.span = right_key.span;
    std::optional<size_t> left_index = FindColumn(left_schema, left_name.name);
    std::optional<size_t> right_index = FindColumn(right_schema, right_name.name);
    if (!left_index) BindName(left_name, left_schema);
    if (!right_index) BindName(right_name, right_schema);
    if (!left_index || !right_index) return;
    const KqlType left_type = left_schema[*left_index].type;
    const KqlType right_type = right_schema[*right_index].type;
    if (left_type != right_type && left_type != KqlType::kUnknown && right_type != KqlType::kUnknown &&
        !(IsNumeric(left_type) && IsNumeric(right_type))) {
      Error(kBindOperandTypeMismatch, right_name.span,
            "Join keys have different types " + std::string(TypeName(left_type)) + " and " +
                std::string(TypeName(right_type)) + ": " + left_name.name);
    }
    join->left_keys.push_back(*left_index);
    join->right_keys.push_back(*right_index);
  };
  // Resolves `$left.a` / `$right.b` to (side, name).
  auto side_of = [](const Expr& raw) -> std::optional<JoinKeyName> {
    const Expr& expr = StripParens(raw);
    if (expr.kind != ExprKind::kMember) return std::nullopt;
    const MemberExpr& member = expr.As<MemberExpr>();
    if (!member.target || member.target->kind != ExprKind::kName) return std::nullopt;
    const std::string& side = member.target->As<NameExpr>().name;
    if (side != "$left" && side != "$right") return std::nullopt;
    return JoinKeyName{side == "$left", member.member, member.member_span};
  };
  // `$left.a == $right.b and $left.c == $right.d` is the same as the comma-separated list (Kusto accepts both).
  std::vector<const Expr*> conditions;
  std::vector<const Expr*> pending;
  for (auto it = op.conditions.rbegin(); it != op.conditions.rend(); ++it) pending.push_back(it->get());
  while (!pending.empty()) {
    const Expr& condition = StripParens(*pending.back());
    pending.pop_back();
    if (condition.kind == ExprKind::kBinary && condition.As<BinaryExpr>().op == BinaryOp::kAnd &&
        condition.As<BinaryExpr>().left && condition.As<BinaryExpr>().right) {
      pending.push_back(condition.As<BinaryExpr>().right.get());
      pending.push_back(condition.As<BinaryExpr>().left.get());
      continue;
    }
    conditions.push_back(&condition);
  }
  for (const Expr* condition_ptr : conditions) {
    const Expr& condition = *condition_ptr;
    if (condition.kind == ExprKind::kName) {
      const JoinKeyName key{true, condition.As<NameExpr>().name, condition.span};
      add_key(key, key);
      continue;
    }
    if (condition.kind == ExprKind::kBinary) {
      const BinaryExpr& binary = condition.As<BinaryExpr>();
      auto left = side_of(*binary.left);
      auto right_side = side_of(*binary.right);
      if (binary.op == BinaryOp::kEqual && left && right_side && left->is_left != right_side->is_left) {
        if (left->is_left) {
          add_key(*left, *right_side);
        } else {
          add_key(*right_side, *left);
        }
        continue;
      }
    }
    Error(kBindInvalidJoinCondition, condition.span,
          "A join condition must be a column name or $left.a == $right.b");
  }
  if (op.conditions.empty()) {
    Error(kBindInvalidJoinCondition, op.span, "join needs an 'on' condition");
  }
  ColumnNamer namer;
  const bool keep_left = kind != JoinKind::kRightAnti && kind != JoinKind::kRightSemi;
  const bool keep_right = kind != JoinKind::kLeftAnti && kind != JoinKind::kLeftSemi;
  if (keep_left) {
    for (size_t index = 0; index < left_schema.size(); ++index) {
      join->output_map.emplace_back(0, index);
      join->schema.push_back({namer.Unique(left_schema[index].name), left_schema[index].type});
    }
  }
  if (keep_right) {
    for (size_t index = 0; index < right_schema.size(); ++index) {
      if (is_lookup && std::find(join->right_keys.begin(), join->right_keys.end(), index) != join->right_keys.end()) {
        continue;
      }
      join->output_map.emplace_back(1, index);
      join->schema.push_back({namer.Unique(right_schema[index].name), right_schema[index].type});
    }
  }
  join->children.push_back(std::move(input));
  join->children.push_back(std::move(right));
  return join;
}

LogicalOperatorPtr QueryBinder::BindUnion(const UnionOp& op, LogicalOperatorPtr input) {
  auto union_op = std::make_unique<LogicalUnion>();
  bool inner = false;
  bool fuzzy = false;
  for (const OperatorParam& param : op.params) {
    const std::string text = ParamText(param);
    if (param.name == "isfuzzy") {
      fuzzy = text == "true";
    } else if (param.name == "kind") {
      if (text == "inner") {
        inner = true;
      } else if (text != "outer") {
        Error(kBindInvalidOperatorParameter, param.span, "Unknown union kind: " + text);
      }
    } else if (param.name == "withsource" || param.name == "with_source") {
      union_op->source_column = text;
    }
  }
  std::vector<std::string> source_names;
  if (input != nullptr) {
    source_names.emplace_back("union_arg0");
    union_op->children.push_back(std::move(input));
  }
  std::vector<LogicalOperatorPtr> children = std::move(union_op->children);
  BindTableList(op.tables, "union_arg", fuzzy, children, source_names);
  return MakeUnion(std::move(children), source_names, inner, union_op->source_column);
}

namespace {

/// A leg of a fuzzy union that did not resolve: its name for the warning, and the errors it reported.
struct FuzzyLegSkip {
  std::string name;
  SourceSpan span;
  std::string reason;
  std::vector<Diagnostic> errors;
};

/// How a warning names a union leg: its table or function, else its 1-based position.
std::string FuzzyLegName(const Pipeline& pipeline, size_t position) {
  if (pipeline.source != nullptr && pipeline.source->kind == OperatorKind::kTableRef) {
    return pipeline.source->As<TableRefOp>().table;
  }
  if (pipeline.source != nullptr && pipeline.source->kind == OperatorKind::kCallSource &&
      pipeline.source->As<CallSourceOp>().call != nullptr) {
    return pipeline.source->As<CallSourceOp>().call->name;
  }
  return "leg " + std::to_string(position);
}

}  // namespace

void QueryBinder::BindTableList(const std::vector<PipelinePtr>& tables, const std::string& arg_prefix, bool fuzzy,
                                std::vector<LogicalOperatorPtr>& children, std::vector<std::string>& names) {
  std::vector<FuzzyLegSkip> fuzzy_skips;
  size_t leg_index = 0;
  for (const PipelinePtr& pipeline : tables) {
    ++leg_index;
    if (pipeline == nullptr) continue;
    const TableRefOp* ref = pipeline->source && pipeline->source->kind == OperatorKind::kTableRef
                                ? &pipeline->source->As<TableRefOp>()
                                : nullptr;
    if (ref != nullptr && ref->has_wildcard && pipeline->operators.empty()) {
      // T* expands to every matching table that has data (every catalog table when that is unknown), in name order.
      bool any = false;
      std::vector<std::string> candidates = options_.data_tables ? *options_.data_tables : catalog_.TableNames();
      std::sort(candidates.begin(), candidates.end());
      for (const std::string& name : candidates) {
        if (!WildcardMatchName(ref->table, name)) continue;
        any = true;
        names.push_back(name);
        children.push_back(BindTableName(name, ref->span));
      }
      if (!any) Error(kBindUnknownTable, ref->span, "No table matches the pattern: " + ref->table);
      continue;
    }
    // Microsoft's engine names a source by its table name only for catalog tables; let-bound names and
    // expressions are union_arg<N> (conformance k177).
    const bool is_table = ref != nullptr && pipeline->operators.empty() && FindLet(ref->table) == nullptr;
    if (fuzzy && is_table) {
      // A fuzzy union skips tables that do not exist (or have no data), as Sentinel does, and says so.
      const bool has_data = options_.data_tables ? std::find(options_.data_tables->begin(), options_.data_tables->end(),
                                                             ref->table) != options_.data_tables->end()
                                                 : catalog_.FindTable(ref->table) != nullptr;
      if (!has_data) {
        const bool known = catalog_.FindTable(ref->table) != nullptr;
        fuzzy_skips.push_back({ref->table, pipeline->span,
                               known ? "the table has no data" : "Unknown table: " + ref->table, {}});
        continue;
      }
    }
    // A pipeline ending in `as Name` is named Name (doc example of union withsource=).
    const Operator* last = pipeline->operators.empty() ? nullptr : pipeline->operators.back().get();
    if (last != nullptr && last->kind == OperatorKind::kAs && !last->As<AsOp>().alias.empty()) {
      names.push_back(last->As<AsOp>().alias);
    } else {
      // A view (let V = view () {...}) is named by its name (doc example of union with mismatched types).
      const LetBinding* let = ref != nullptr && pipeline->operators.empty() ? FindLet(ref->table) : nullptr;
      const bool is_view = let != nullptr && let->kind == LetBinding::Kind::kFunction && let->function->is_view;
      names.push_back(is_table || is_view ? ref->table : arg_prefix + std::to_string(names.size()));
    }
    if (!fuzzy) {
      children.push_back(BindPipeline(*pipeline, nullptr));
      continue;
    }
    // A fuzzy leg that does not bind (a missing table, function or column inside a function) is skipped with a
    // warning; its errors are kept aside in case no leg binds.
    const size_t first_diagnostic = diagnostics_.items().size();
    const size_t saved_scopes = scopes_.size();
    const int saved_depth = depth_;
    const int saved_inline_depth = inline_depth_;
    const size_t saved_floor = scope_floor_;
    LogicalOperatorPtr child = BindPipeline(*pipeline, nullptr);
    std::vector<Diagnostic>& items = diagnostics_.mutable_items();
    const auto error = std::find_if(items.begin() + static_cast<std::ptrdiff_t>(first_diagnostic), items.end(),
                                    [](const Diagnostic& item) { return item.severity == Severity::kError; });
    if (error == items.end()) {
      children.push_back(std::move(child));
      continue;
    }
    FuzzyLegSkip skip{FuzzyLegName(*pipeline, leg_index), pipeline->span, error->code + " " + error->message, {}};
    skip.errors.assign(items.begin() + static_cast<std::ptrdiff_t>(first_diagnostic), items.end());
    items.resize(first_diagnostic);
    scopes_.resize(saved_scopes);
    depth_ = saved_depth;
    inline_depth_ = saved_inline_depth;
    scope_floor_ = saved_floor;
    names.pop_back();
    fuzzy_skips.push_back(std::move(skip));
  }
  if (!fuzzy || fuzzy_skips.empty()) return;
  if (children.empty()) {
    // Kusto: when no leg resolves, the fuzzy union is an error.
    for (const FuzzyLegSkip& skip : fuzzy_skips) {
      if (skip.errors.empty()) {
        Error(kBindUnknownTable, skip.span, skip.reason);
      } else {
        for (const Diagnostic& diagnostic : skip.errors) diagnostics_.mutable_items().push_back(diagnostic);
      }
    }
    return;
  }
  for (const FuzzyLegSkip& skip : fuzzy_skips) {
    diagnostics_.Warning(std::string(kBindFuzzyLegSkipped), skip.span,
                         "union isfuzzy=true skipped '" + skip.name + "': " + skip.reason);
  }
}

LogicalOperatorPtr QueryBinder::MakeUnion(std::vector<LogicalOperatorPtr> children,
                                          const std::vector<std::string>& source_names, bool inner,
                                          const std::string& source_column) {
  auto union_op = std::make_unique<LogicalUnion>();
  union_op->children = std::move(children);
  union_op->source_column = source_column;
  // Output columns: by name, in order of first appearance; kind=inner keeps only the columns every child has. A
  // name that comes with different types is one column per type, named <name>_<type> (x_long, x_int), as Kusto
  // does; unknown types (errors) join any.
  Schema columns;      // Output columns.
  Schema sources;      // For each output column: the name and type it takes from the children.
  for (const LogicalOperatorPtr& child : union_op->children) {
    for (const ColumnDef& column : child->schema) {
      auto existing = std::find_if(sources.begin(), sources.end(), [&](const ColumnDef& known) {
        return known.name == column.name && (known.type == column.type || known.type == KqlType::kUnknown ||
                                             column.type == KqlType::kUnknown);
      });
      if (existing == sources.end()) {
        columns.push_back(column);
        sources.push_back(column);
      } else if (existing->type == KqlType::kUnknown) {
        existing->type = column.type;
        columns[static_cast<size_t>(existing - sources.begin())].type = column.type;
      }
    }
  }
  for (size_t index = 0; index < sources.size(); ++index) {
    const bool split = std::count_if(sources.begin(), sources.end(), [&](const ColumnDef& other) {
                         return other.name == sources[index].name;
                       }) > 1;
    if (split) columns[index].name = sources[index].name + "_" + std::string(TypeName(sources[index].type));
  }
  auto child_index = [](const Schema& schema, const ColumnDef& wanted) -> std::optional<size_t> {
    for (size_t index = 0; index < schema.size(); ++index) {
      if (schema[index].name == wanted.name &&
          (schema[index].type == wanted.type || schema[index].type == KqlType::kUnknown ||
           wanted.type == KqlType::kUnknown)) {
        return index;
      }
    }
    return std::nullopt;
  };
  if (inner) {
    std::vector<bool> keep(columns.size(), true);
    for (size_t index = 0; index < columns.size(); ++index) {
      keep[index] = std::all_of(union_op->children.begin(), union_op->children.end(),
                                [&](const LogicalOperatorPtr& child) { return child_index(child->schema, sources[index]).has_value(); });
    }
    Schema kept_columns, kept_sources;
    for (size_t index = 0; index < columns.size(); ++index) {
      if (!keep[index]) continue;
      kept_columns.push_back(columns[index]);
      kept_sources.push_back(sources[index]);
    }
    columns = std::move(kept_columns);
    sources = std::move(kept_sources);
  }
  for (const LogicalOperatorPtr& child : union_op->children) {
    std::vector<int64_t> map;
    for (const ColumnDef& source : sources) {
      std::optional<size_t> index = child_index(child->schema, source);
      map.push_back(index ? static_cast<int64_t>(*index) : -1);
    }
    union_op->child_maps.push_back(std::move(map));
  }
  union_op->schema = columns;
  if (!union_op->source_column.empty()) {
    union_op->source_names = source_names;
    union_op->schema.push_back({union_op->source_column, KqlType::kString});
    // LogicalUnion appends the source column last; Kusto shows it first, so a project moves it to the front.
    auto project = std::make_unique<LogicalProject>();
    const Schema& schema = union_op->schema;
    const size_t last = schema.size() - 1;
    project->exprs.push_back(BoundExpr::MakeColumn(last, schema[last].name, schema[last].type));
    project->schema.push_back(schema[last]);
    for (size_t index = 0; index < last; ++index) {
      project->exprs.push_back(BoundExpr::MakeColumn(index, schema[index].name, schema[index].type));
      project->schema.push_back(schema[index]);
    }
    project->children.push_back(std::move(union_op));
    return project;
  }
  return union_op;
}

}  // namespace kql::binder
