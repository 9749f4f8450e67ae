#include "plan/logical_apply.h"
#include "plan/layer.h"

namespace kql::plan {

LogicalOperatorPtr LogicalApply::Clone() const {
  auto copy = std::make_unique<LogicalApply>();
  copy->schema = schema;
  for (const auto& child : children) copy->children.push_back(child->Clone());
  copy->mode = mode;
  copy->partition_columns = partition_columns;
  copy->input_name = input_name;
  copy->output_map = output_map;
  copy->keep_unmatched = keep_unmatched;
  return copy;
}

std::string LogicalApply::Describe() const {
  if (mode == ApplyMode::kPartition) {
    std::string out = "Apply partition by";
    for (size_t i = 0; i < partition_columns.size(); ++i) {
      out += (i ? ", " : " ") + children[0]->schema[partition_columns[i]].name;
    }
    return out;
  }
  return "Apply per row";
}

}  // namespace kql::plan
