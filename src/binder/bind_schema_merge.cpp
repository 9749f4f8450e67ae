// Binding of `evaluate schema_merge([PreserveOrder])`: merges the schemas of a getschema-shaped input (ColumnName,
// ColumnOrdinal, ColumnType; DataType is recomputed) into one schema. The input is small metadata, so the binder runs
// it through BindOptions::evaluate_plan and binds the result as constant rows (without a host: no rows).
// Semantics, from the KQL reference and its examples:
//   - the rows (the input schemas one after the other) are read in order;
//   - a column seen for the first time is inserted at its ordinal (appended when beyond the end);
//   - with PreserveOrder (the default) a column seen again at another ordinal than its first one is an error
//     column: ordinal -1, DataType "ERROR(unknown CSL type:ERROR(columns are out of order))", ColumnType
//     "ERROR(columns are out of order)", listed after the good columns, which are renumbered 0, 1, 2...;
//   - types are reduced to a common one: int and long give long, int/long and real give real; other differing
//     types give an error column "types cannot be reduced" (Kusto's exact reduction rules are undocumented).
#include <algorithm>

#include "binder/binder_diagnostic.h"
#include "binder/query_binder.h"
#include "binder/layer.h"

namespace kql::binder {
namespace {

struct MergedColumn {
  std::string name;
  int64_t first_ordinal = 0;
  std::string type_text;  ///< The ColumnType text as read (or the reduced type's name).
  std::string error;      ///< Non-empty for an error column.
};

/// The common type of two column types, or nullopt when they cannot be reduced.
std::optional<KqlType> ReduceTypes(KqlType left, KqlType right) {
  if (left == right) return left;
  auto rank = [](KqlType type) {
    return type == KqlType::kInt ? 1 : type == KqlType::kLong ? 2 : type == KqlType::kReal ? 3 : 0;
  };
  if (rank(left) == 0 || rank(right) == 0) return std::nullopt;
  return rank(left) > rank(right) ? left : right;
}

void MergeType(MergedColumn& column, const std::string& type_text) {
  if (!column.error.empty() || column.type_text == type_text) return;
  const std::optional<KqlType> left = ParseTypeName(column.type_text);
  const std::optional<KqlType> right = ParseTypeName(type_text);
  const std::optional<KqlType> reduced = left && right ? ReduceTypes(*left, *right) : std::nullopt;
  if (reduced) {
    column.type_text = std::string(TypeName(*reduced));
  } else {
    column.error = "types cannot be reduced: " + column.type_text + ", " + type_text;
  }
}

}  // namespace

LogicalOperatorPtr QueryBinder::BindSchemaMerge(const CallExpr& call, LogicalOperatorPtr input) {
  if (IsErrorSchema(input->schema)) return input;
  bool preserve_order = true;
  for (size_t index = 0; index < call.args.size(); ++index) {
    const std::string& arg_name = index < call.arg_names.size() ? call.arg_names[index] : std::string();
    if (index > 0 || (!arg_name.empty() && arg_name != "PreserveOrder")) {
      Error(kBindInvalidOperatorParameter, call.args[index]->span,
            "schema_merge expects at most one argument, PreserveOrder (bool)" +
                (arg_name.empty() ? std::string() : "; unknown parameter: " + arg_name));
      return input;
    }
    BoundExprPtr value = BindExpr(*call.args[index], Schema{});
    if (value->type == KqlType::kUnknown) return input;
    if (value->kind != BoundExprKind::kConstant || value->type != KqlType::kBool || value->constant.is_null) {
      Error(kBindExpectedConstant, call.args[index]->span,
            "schema_merge expects PreserveOrder to be a constant bool, got " + std::string(TypeName(value->type)));
      return input;
    }
    preserve_order = value->constant.int_value != 0;
  }
  const Schema& schema = input->schema;
  const std::optional<size_t> name_column = FindColumn(schema, "ColumnName");
  const std::optional<size_t> ordinal_column = FindColumn(schema, "ColumnOrdinal");
  const std::optional<size_t> type_column = FindColumn(schema, "ColumnType");
  const std::pair<std::optional<size_t>, bool> required[] = {
      {name_column, name_column && schema[*name_column].type == KqlType::kString},
      {ordinal_column, ordinal_column && IsInteger(schema[*ordinal_column].type)},
      {type_column, type_column && schema[*type_column].type == KqlType::kString}};
  const char* required_names[] = {"ColumnName:string", "ColumnOrdinal:int or long", "ColumnType:string"};
  for (size_t index = 0; index < 3; ++index) {
    if (!required[index].second) {
      Error(kBindInvalidOperatorParameter, call.name_span,
            std::string("schema_merge expects the columns of getschema; the input has no column ") +
                required_names[index]);
      return input;
    }
  }

  auto output = std::make_unique<LogicalValues>();
  output->schema = {{"ColumnName", KqlType::kString},
                    {"ColumnOrdinal", KqlType::kLong},
                    {"DataType", KqlType::kString},
                    {"ColumnType", KqlType::kString}};
  std::vector<std::vector<Value>> rows;
  if (input->kind == LogicalKind::kValues) {
    rows = input->As<LogicalValues>().rows;
  } else if (std::optional<Table> table = options_.evaluate_plan ? options_.evaluate_plan(*input) : std::nullopt) {
    rows = table->Rows();
  } else if (options_.evaluate_plan) {
    Error(kBindUnsupportedOperator, call.name_span,
          "The operator is not supported yet: 'evaluate schema_merge' (its input cannot run while binding here)");
    return input;
  }

  std::vector<MergedColumn> merged;
  std::optional<int64_t> previous_ordinal;
  for (const std::vector<Value>& row : rows) {
    const std::string& name = row[*name_column].string_value;
    if (name.empty()) continue;
    const Value& ordinal_cell = row[*ordinal_column];
    // A null ordinal counts as "after the previous column" of the same schema.
    const int64_t ordinal = ordinal_cell.is_null ? previous_ordinal.value_or(-1) + 1 : ordinal_cell.int_value;
    previous_ordinal = ordinal;
    const std::string& type_text = row[*type_column].string_value;
    auto found = std::find_if(merged.begin(), merged.end(), [&](const MergedColumn& c) { return c.name == name; });
    if (found != merged.end()) {
      MergeType(*found, type_text);
      if (preserve_order && found->error.empty() && found->first_ordinal != ordinal) {
        found->error = "columns are out of order";
      }
      continue;
    }
    MergedColumn column{name, ordinal, type_text, {}};
    if (!ParseTypeName(type_text)) column.error = "unknown type: " + type_text;
    const size_t position = static_cast<size_t>(std::clamp<int64_t>(ordinal, 0, static_cast<int64_t>(merged.size())));
    merged.insert(merged.begin() + static_cast<std::ptrdiff_t>(position), std::move(column));
  }
  int64_t next_ordinal = 0;
  for (const MergedColumn& column : merged) {
    if (!column.error.empty()) continue;
    const KqlType type = *ParseTypeName(column.type_text);
    output->rows.push_back({Value::String(column.name), Value::Long(next_ordinal++),
                            Value::String(TypeDataTypeName(type)), Value::String(std::string(TypeName(type)))});
  }
  for (const MergedColumn& column : merged) {
    if (column.error.empty()) continue;
    output->rows.push_back({Value::String(column.name), Value::Long(-1),
                            Value::String("ERROR(unknown CSL type:ERROR(" + column.error + "))"),
                            Value::String("ERROR(" + column.error + ")")});
  }
  return output;
}

}  // namespace kql::binder
