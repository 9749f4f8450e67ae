#include "plan/logical_make_series.h"
#include "plan/layer.h"

namespace kql::plan {

LogicalOperatorPtr LogicalMakeSeries::Clone() const {
  auto copy = std::make_unique<LogicalMakeSeries>();
  copy->schema = schema;
  for (const auto& child : children) copy->children.push_back(child->Clone());
  copy->key_count = key_count;
  copy->series = series;
  copy->axis_type = axis_type;
  if (start) copy->start = start->Clone();
  if (stop) copy->stop = stop->Clone();
  if (step) copy->step = step->Clone();
  copy->stop_inclusive = stop_inclusive;
  copy->nonempty = nonempty;
  return copy;
}

std::string LogicalMakeSeries::Describe() const {
  std::string out = "MakeSeries [";
  for (size_t i = key_count; i + 1 < schema.size(); ++i) {
    if (i > key_count) out += ", ";
    out += schema[i].name;
  }
  out += "] on " + (schema.empty() ? std::string() : schema.back().name);
  if (start) out += (stop_inclusive ? " in range(" : " from ") + start->ToString();
  if (stop) out += (stop_inclusive ? ", " : " to ") + stop->ToString();
  if (step) out += (stop_inclusive ? ", " : " step ") + step->ToString() + (stop_inclusive ? ")" : "");
  if (key_count > 0) {
    out += " by ";
    for (size_t i = 0; i < key_count; ++i) out += (i ? ", " : "") + schema[i].name;
  }
  return out;
}

}  // namespace kql::plan
