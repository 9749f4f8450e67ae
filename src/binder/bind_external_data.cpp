// Binding of `externaldata (cols) [ "uri", ... ] with (format=..., ignoreFirstRecord=..., zipPattern=...)` over
// local files only:
// each URI must be mapped to a file (BindOptions::external_files, the CLI's --externaldata URL=PATH) or be a plain
// local path; an unmapped URL is an error naming it. Each file becomes a scan of a table the host registers from
// BindResult::external_tables; several files are a union.
#include <cctype>

#include "binder/binder_diagnostic.h"
#include "binder/query_binder.h"
#include "binder/layer.h"

namespace kql::binder {

LogicalOperatorPtr QueryBinder::BindExternalData(const ExternalDataOp& op) {
  std::string format = "csv";
  bool ignore_first = false;
  std::string zip_pattern;
  for (const OperatorParam& property : op.properties) {
    const std::string text = ParamText(property);
    if (property.name == "format") {
      format = text;
      for (char& ch : format) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      if (format != "csv" && format != "tsv" && format != "json" && format != "multijson" && format != "txt" &&
          format != "raw") {
        Error(kBindUnsupportedOperator, property.span, "The externaldata format is not supported: " + text);
      }
    } else if (property.name == "ignoreFirstRecord") {
      ignore_first = text == "true";
    } else if (property.name == "zipPattern") {
      zip_pattern = text;  // Checked when the file is opened (OpenExternalData): kqlite reads the extracted file.
    } else {
      Error(kBindUnsupportedOperator, property.span,
            "The externaldata property is not supported yet: " + property.name);
    }
  }
  Schema schema;
  for (const ColumnDecl& column : op.columns) {
    std::optional<KqlType> type = ParseTypeName(column.type);
    if (!type) {
      Error(kBindInvalidLiteral, column.span, "Unknown type name: " + column.type);
      type = KqlType::kString;
    }
    schema.push_back({column.name, *type});
  }
  if ((format == "txt" || format == "raw") && schema.size() != 1) {
    Error(kBindInvalidOperatorParameter, op.span, "externaldata format=" + format + " needs exactly one column");
  }
  std::vector<LogicalOperatorPtr> children;
  std::vector<std::string> names;
  for (const ExprPtr& uri_expr : op.uris) {
    BoundExprPtr uri = BindExpr(*uri_expr, Schema{});
    if (uri->kind != BoundExprKind::kConstant || uri->type != KqlType::kString) {
      if (uri->type != KqlType::kUnknown) {
        Error(kBindExpectedConstant, uri_expr->span, "externaldata expects string URIs");
      }
      continue;
    }
    const std::string& text = uri->constant.string_value;
    ExternalTable table;
    table.uri = text;
    if (auto mapped = options_.external_files.find(text); mapped != options_.external_files.end()) {
      table.path = mapped->second;
    } else if (text.find("://") == std::string::npos) {
      table.path = text;
    }
    // An unmapped URL still binds (lint checks the query as Kusto does: the schema is in the query); running it
    // is an error that names the URL and the option (OpenExternalData), since kqlite never downloads.
    table.name = "\x01" "externaldata" + std::to_string(external_tables_.size());
    table.format = format;
    table.ignore_first_record = ignore_first;
    table.zip_pattern = zip_pattern;
    table.schema = schema;
    auto scan = std::make_unique<LogicalScan>();
    scan->table_name = table.name;
    scan->table_schema = schema;
    scan->schema = schema;
    names.push_back(table.name);
    children.push_back(std::move(scan));
    external_tables_.push_back(std::move(table));
  }
  if (children.empty()) {
    if (op.uris.empty()) Error(kBindInvalidOperatorParameter, op.span, "externaldata needs at least one URI");
    return ErrorPlan();
  }
  if (children.size() == 1) return std::move(children[0]);
  return MakeUnion(std::move(children), names, false, "");
}

}  // namespace kql::binder
