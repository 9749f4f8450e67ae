// Binding of `evaluate` plugins: bag_unpack here, ipv4_lookup in bind_apply.cpp, narrow and pivot in bind_pivot.cpp,
// schema_merge in bind_schema_merge.cpp;
// other plugins are rejected by name. bag_unpack's output columns are the keys found in the data, so the schema is known only after the input
// ran: the binder runs the input through BindOptions::evaluate_plan
// (or reads a constant datatable directly), collects the keys and their types, and then binds bag_unpack as an
// ordinary projection over the materialised rows (`tolong(d["a"])`, `tostring(d["b"])`, `d["c"]`...). An output
// schema written after the call (`evaluate bag_unpack(d) : (a:long, b:string)`) skips the data step.
// Column order follows Microsoft's engine: the input columns, where a key named like the removed bag column takes
// its place, then the other keys sorted by name; a key's type is the values' common type, else dynamic.
#include <algorithm>
#include <map>

#include "binder/binder_diagnostic.h"
#include "binder/query_binder.h"
#include "binder/layer.h"

namespace kql::binder {
namespace {

enum class ConflictPolicy { kError, kReplaceSource, kKeepSource };

KqlType DynamicKindType(DynamicValue::Kind kind) {
  using Kind = DynamicValue::Kind;
  switch (kind) {
    case Kind::kBool: return KqlType::kBool;
    case Kind::kLong: return KqlType::kLong;
    case Kind::kReal: return KqlType::kReal;
    case Kind::kString: return KqlType::kString;
    case Kind::kDateTime: return KqlType::kDateTime;
    case Kind::kTimeSpan: return KqlType::kTimeSpan;
    case Kind::kGuid: return KqlType::kGuid;
    default: return KqlType::kDynamic;
  }
}

// Converts the dynamic property to the column type with the conversion function of that type.
BoundExprPtr PropertyExpr(size_t column, const ColumnDef& bag, const std::string& key, KqlType type) {
  std::vector<BoundExprPtr> index_args;
  index_args.push_back(BoundExpr::MakeColumn(column, bag.name, bag.type));
  index_args.push_back(BoundExpr::MakeConstant(Value::String(key)));
  BoundExprPtr property = BoundExpr::MakeCall("[]", KqlType::kDynamic, std::move(index_args));
  const std::string function(ConversionFunctionName(type));
  if (function.empty()) return property;
  std::vector<BoundExprPtr> args;
  args.push_back(std::move(property));
  return BoundExpr::MakeCall(function, type == KqlType::kInt ? KqlType::kLong : type, std::move(args));
}

}  // namespace

LogicalOperatorPtr QueryBinder::BindEvaluate(const EvaluateOp& op, LogicalOperatorPtr input) {
  const CallExpr* call = op.call.get();
  if (call != nullptr && call->name == "ipv4_lookup") return BindIpv4Lookup(*call, std::move(input));
  if (call != nullptr && (call->name == "basket" || call->name == "autocluster")) {
    return BindPatternMining(*call, std::move(input));
  }
  if (call != nullptr && (call->name == "narrow" || call->name == "pivot") && IsErrorSchema(input->schema)) {
    return input;
  }
  if (call != nullptr && call->name == "schema_merge") return BindSchemaMerge(*call, std::move(input));
  if (call != nullptr && call->name == "narrow") return BindNarrow(*call, std::move(input));
  if (call != nullptr && call->name == "pivot") return BindPivot(op, std::move(input));
  if (call != nullptr && (call->name == "geo_polygon_lookup" || call->name == "geo_line_lookup")) {
    return BindGeoLookup(*call, std::move(input));
  }
  if (call != nullptr) {
    if (LogicalOperatorPtr plan = BindPluginTemplate(*call, input)) return plan;
  }
  if (call == nullptr || call->name != "bag_unpack") {
    const std::string name = call ? call->name : std::string();
    Error(kBindUnsupportedOperator, call ? call->name_span : op.span,
          "The operator is not supported yet: 'evaluate " + name + "'");
    return input;
  }
  if (IsErrorSchema(input->schema)) return input;
  const Schema schema = input->schema;  // A copy: `input` is replaced by its materialised rows below.
  // Positional arguments: the bag column, then an optional prefix; named ones: columnsConflict, ignoredProperties.
  std::optional<size_t> bag_column;
  std::string prefix;
  ConflictPolicy policy = ConflictPolicy::kError;
  std::vector<std::string> ignored;
  size_t positional = 0;
  for (size_t index = 0; index < call->args.size(); ++index) {
    const Expr& arg = *call->args[index];
    const std::string& arg_name = index < call->arg_names.size() ? call->arg_names[index] : std::string();
    if (arg_name.empty() && positional == 0) {
      ++positional;
      const Expr& stripped = StripParens(arg);
      if (stripped.kind != ExprKind::kName) {
        Error(kBindInvalidOperatorParameter, arg.span, "bag_unpack expects a dynamic column as its first argument");
        return input;
      }
      BoundExprPtr column = BindName(stripped.As<NameExpr>(), schema);
      if (column->kind != BoundExprKind::kColumnRef) return input;
      if (column->type != KqlType::kDynamic) {
        Error(kBindExpectedDynamic, arg.span, "bag_unpack expects a dynamic column: " + column->column_name);
        return input;
      }
      bag_column = column->column_index;
      continue;
    }
    BoundExprPtr value = BindExpr(arg, Schema{});
    if (value->kind != BoundExprKind::kConstant) {
      if (value->type != KqlType::kUnknown) Error(kBindExpectedConstant, arg.span, "bag_unpack expects constants");
      continue;
    }
    if (arg_name.empty() || arg_name == "OutputColumnPrefix") {
      prefix = value->constant.string_value;
    } else if (arg_name == "columnsConflict") {
      const std::string& text = value->constant.string_value;
      if (text == "replace_source") {
        policy = ConflictPolicy::kReplaceSource;
      } else if (text == "keep_source") {
        policy = ConflictPolicy::kKeepSource;
      } else if (text != "error") {
        Error(kBindInvalidOperatorParameter, arg.span, "Unknown columnsConflict value: " + text);
      }
    } else if (arg_name == "ignoredProperties") {
      const Dynamic& list = value->constant.dynamic_value;
      if (list && list->kind() == DynamicValue::Kind::kArray) {
        for (const Dynamic& item : list->items()) {
          if (item && item->kind() == DynamicValue::Kind::kString) ignored.push_back(item->string_value());
        }
      }
    } else {
      Error(kBindInvalidOperatorParameter, arg.span, "Unknown bag_unpack parameter: " + arg_name);
    }
  }
  if (!bag_column) {
    Error(kBindWrongArity, op.span, "bag_unpack expects a dynamic column");
    return input;
  }

  // Keys and types: from the written output schema, else from the data.
  std::map<std::string, KqlType> keys;
  if (!op.output_schema.empty()) {
    for (const ColumnDecl& decl : op.output_schema) {
      if (decl.name == "*" || decl.type == "*") continue;
      std::optional<KqlType> type = ParseTypeName(decl.type);
      if (!type) {
        Error(kBindInvalidLiteral, decl.span, "Unknown type name: " + decl.type);
        continue;
      }
      if (FindColumn(schema, decl.name)) continue;
      keys[decl.name.rfind(prefix, 0) == 0 ? decl.name.substr(prefix.size()) : decl.name] = *type;
    }
  } else {
    std::vector<std::vector<Value>> rows;
    if (input->kind == LogicalKind::kValues) {
      rows = input->As<LogicalValues>().rows;
    } else if (std::optional<Table> table = options_.evaluate_plan ? options_.evaluate_plan(*input) : std::nullopt) {
      rows = table->Rows();
    } else {
      Error(kBindUnsupportedOperator, op.span,
            "The operator is not supported yet: 'evaluate bag_unpack' without its input data; write its output "
            "schema, e.g. evaluate bag_unpack(d) : (a:long, b:string)");
      return input;
    }
    std::map<std::string, std::optional<KqlType>> seen;  // nullopt: only nulls so far.
    for (const auto& row : rows) {
      const Value& cell = row[*bag_column];
      if (cell.is_null || !cell.dynamic_value || cell.dynamic_value->kind() != DynamicValue::Kind::kObject) continue;
      for (const auto& [key, member] : cell.dynamic_value->members()) {
        auto [slot, inserted] = seen.try_emplace(key, std::nullopt);
        if (!member || member->IsNull()) continue;
        const KqlType type = DynamicKindType(member->kind());
        if (!slot->second) {
          slot->second = type;
        } else if (*slot->second != type) {
          slot->second = KqlType::kDynamic;
        }
      }
    }
    for (const auto& [key, type] : seen) keys[key] = type.value_or(KqlType::kDynamic);
    if (input->kind != LogicalKind::kValues) {
      // Reuse the rows instead of running the input a second time.
      auto values = std::make_unique<LogicalValues>();
      values->schema = schema;
      values->rows = std::move(rows);
      input = std::move(values);
    }
  }
  for (const std::string& key : ignored) keys.erase(key);

  // Output layout.
  const ColumnDef bag = schema[*bag_column];
  auto project = std::make_unique<LogicalProject>();
  std::vector<std::string> placed;
  for (size_t index = 0; index < schema.size(); ++index) {
    if (index == *bag_column) {
      const std::string own_key =
          bag.name.rfind(prefix, 0) == 0 ? bag.name.substr(prefix.size()) : std::string("\x01");
      if (auto key = keys.find(own_key); key != keys.end() && prefix + own_key == bag.name) {
        project->exprs.push_back(PropertyExpr(index, bag, key->first, key->second));
        project->schema.push_back({bag.name, project->exprs.back()->type});
        placed.push_back(key->first);
      }
      continue;
    }
    const ColumnDef& column = schema[index];
    const bool from_bag = column.name.rfind(prefix, 0) == 0 && keys.count(column.name.substr(prefix.size())) > 0;
    if (from_bag && policy == ConflictPolicy::kError) {
      Error(kBindInvalidOperatorParameter, op.span,
            "bag_unpack: a property has the same name as an existing column: " + column.name +
                "; use columnsConflict='replace_source' or 'keep_source'");
      return input;
    }
    if (from_bag && policy == ConflictPolicy::kReplaceSource) {
      const std::string key = column.name.substr(prefix.size());
      project->exprs.push_back(PropertyExpr(*bag_column, bag, key, keys[key]));
      project->schema.push_back({column.name, project->exprs.back()->type});
      placed.push_back(key);
      continue;
    }
    if (from_bag) placed.push_back(column.name.substr(prefix.size()));
    project->exprs.push_back(BoundExpr::MakeColumn(index, column.name, column.type));
    project->schema.push_back(column);
  }
  for (const auto& [key, type] : keys) {
    if (std::find(placed.begin(), placed.end(), key) != placed.end()) continue;
    project->exprs.push_back(PropertyExpr(*bag_column, bag, key, type));
    project->schema.push_back({prefix + key, project->exprs.back()->type});
  }
  project->children.push_back(std::move(input));
  return project;
}

}  // namespace kql::binder
