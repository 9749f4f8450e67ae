#include "plan/logical_sequence_scan.h"
#include "plan/layer.h"

namespace kql::plan {

SequenceStep SequenceStep::Clone() const {
  SequenceStep copy;
  copy.name = name;
  copy.output = output;
  copy.condition = condition->Clone();
  for (const auto& [index, value] : assignments) copy.assignments.emplace_back(index, value->Clone());
  return copy;
}

LogicalOperatorPtr LogicalSequenceScan::Clone() const {
  auto copy = std::make_unique<LogicalSequenceScan>();
  copy->schema = schema;
  for (const auto& child : children) copy->children.push_back(child->Clone());
  copy->declared = declared;
  copy->defaults = defaults;
  for (const SequenceStep& step : steps) copy->steps.push_back(step.Clone());
  copy->match_id_column = match_id_column;
  copy->eval_schema = eval_schema;
  return copy;
}

std::string LogicalSequenceScan::Describe() const {
  std::string out = "SequenceScan";
  if (!match_id_column.empty()) out += " with_match_id=" + match_id_column;
  for (const SequenceStep& step : steps) {
    out += " step " + step.name + (step.output ? "" : " output=none") + ": " + step.condition->ToString();
    for (size_t i = 0; i < step.assignments.size(); ++i) {
      out += (i == 0 ? " => " : ", ") + declared[step.assignments[i].first].name + " = " +
             step.assignments[i].second->ToString();
    }
    out += ";";
  }
  return out;
}

}  // namespace kql::plan
