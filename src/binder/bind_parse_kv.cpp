// Binding of `parse-kv expr as (key:type, ...) [with (...)]`: the with-properties pair_delimiter, kv_delimiter,
// quote, escape, greedy and regex choose how LogicalParseKv finds the pairs; without delimiters or regex each key
// is looked up in the text. Unknown properties are rejected by name.
#include <algorithm>

#include "binder/binder_diagnostic.h"
#include "binder/query_binder.h"
#include "plan/logical_parse_kv.h"
#include "binder/layer.h"

namespace kql::binder {

LogicalOperatorPtr QueryBinder::BindParseKv(const ParseOp& op, LogicalOperatorPtr input) {
  auto parse = std::make_unique<LogicalParseKv>();
  bool has_pair = false;
  bool has_kv = false;
  for (const OperatorParam& property : op.properties) {
    const std::string text = ParamText(property);
    if (property.name == "pair_delimiter") {
      parse->pair_delimiter = text;
      has_pair = true;
    } else if (property.name == "kv_delimiter") {
      parse->kv_delimiter = text;
      has_kv = true;
    } else if (property.name == "quote") {
      parse->quotes = text;
    } else if (property.name == "escape") {
      parse->escapes += text;
    } else if (property.name == "greedy") {
      parse->greedy = text == "true";
    } else if (property.name == "regex") {
      parse->regex = text;
      parse->mode = ParseKvMode::kRegex;
    } else {
      Error(kBindInvalidOperatorParameter, property.span, "Unknown parse-kv property: " + property.name);
    }
    if ((property.name == "pair_delimiter" || property.name == "kv_delimiter") && text.empty()) {
      Error(kBindInvalidOperatorParameter, property.span, "parse-kv " + property.name + " must not be empty");
    }
  }
  if (parse->mode != ParseKvMode::kRegex && !has_pair && !has_kv) parse->mode = ParseKvMode::kKeyLookup;
  if (!op.params.empty()) {
    Error(kBindInvalidOperatorParameter, op.params[0].span, "Unknown parse-kv parameter: " + op.params[0].name);
  }

  const Schema& schema = input->schema;
  parse->source = BindParseSource(op, schema);
  parse->schema = schema;
  if (op.columns.empty()) Error(kBindInvalidOperatorParameter, op.span, "parse-kv needs at least one column");
  for (const ColumnDecl& column : op.columns) {
    KqlType type = KqlType::kString;
    if (!column.type.empty()) {
      std::optional<KqlType> parsed = ParseTypeName(column.type);
      if (!parsed) {
        Error(kBindInvalidLiteral, column.span, "Unknown type name: " + column.type);
      } else {
        type = *parsed;
      }
    }
    parse->keys.push_back(column.name);
    auto existing = std::find_if(parse->schema.begin(), parse->schema.end(),
                                 [&](const ColumnDef& known) { return known.name == column.name; });
    if (existing != parse->schema.end()) {
      existing->type = type;
      parse->key_positions.push_back(static_cast<size_t>(existing - parse->schema.begin()));
    } else {
      parse->key_positions.push_back(parse->schema.size());
      parse->schema.push_back({column.name, type});
    }
  }
  parse->children.push_back(std::move(input));
  return parse;
}

}  // namespace kql::binder
