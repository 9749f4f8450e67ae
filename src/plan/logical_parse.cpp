#include "plan/logical_parse.h"
#include "plan/layer.h"

namespace kql::plan {

LogicalOperatorPtr LogicalParse::Clone() const {
  auto copy = std::make_unique<LogicalParse>();
  copy->schema = schema;
  for (const auto& child : children) copy->children.push_back(child->Clone());
  copy->source = source->Clone();
  copy->regex = regex;
  copy->mode = mode;
  copy->capture_positions = capture_positions;
  copy->filter_unmatched = filter_unmatched;
  return copy;
}

std::string LogicalParse::Describe() const {
  std::string out = filter_unmatched ? "ParseWhere " : "Parse ";
  out += mode == ParseMode::kRegex ? "regex " : mode == ParseMode::kRelaxed ? "relaxed " : "";
  out += source->ToString() + " regex=" + regex + " columns=[";
  for (size_t i = 0; i < capture_positions.size(); ++i) {
    if (i) out += ", ";
    const ColumnDef& column = schema[capture_positions[i]];
    out += column.name + ":" + std::string(TypeName(column.type));
  }
  return out + "]";
}

}  // namespace kql::plan
