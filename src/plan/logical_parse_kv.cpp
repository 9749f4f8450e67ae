#include "plan/logical_parse_kv.h"
#include "plan/layer.h"

namespace kql::plan {

LogicalOperatorPtr LogicalParseKv::Clone() const {
  auto copy = std::make_unique<LogicalParseKv>();
  copy->schema = schema;
  for (const auto& child : children) copy->children.push_back(child->Clone());
  copy->source = source->Clone();
  copy->mode = mode;
  copy->keys = keys;
  copy->key_positions = key_positions;
  copy->pair_delimiter = pair_delimiter;
  copy->kv_delimiter = kv_delimiter;
  copy->quotes = quotes;
  copy->escapes = escapes;
  copy->greedy = greedy;
  copy->regex = regex;
  return copy;
}

std::string LogicalParseKv::Describe() const {
  std::string out = "ParseKv " + source->ToString();
  if (mode == ParseKvMode::kRegex) {
    out += " regex=" + regex;
  } else if (mode == ParseKvMode::kDelimited) {
    out += " pair_delimiter='" + pair_delimiter + "' kv_delimiter='" + kv_delimiter + "'";
    if (greedy) out += " greedy";
  }
  out += " columns=[";
  for (size_t i = 0; i < key_positions.size(); ++i) {
    if (i) out += ", ";
    const ColumnDef& column = schema[key_positions[i]];
    out += column.name + ":" + std::string(TypeName(column.type));
  }
  return out + "]";
}

}  // namespace kql::plan
