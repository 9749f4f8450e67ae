#include "plan/logical_window.h"
#include "plan/layer.h"

namespace kql::plan {

BoundWindowCall BoundWindowCall::Clone() const {
  BoundWindowCall copy;
  copy.function = function;
  for (const auto& arg : args) copy.args.push_back(arg->Clone());
  copy.output = output;
  return copy;
}

LogicalOperatorPtr LogicalWindow::Clone() const {
  auto copy = std::make_unique<LogicalWindow>();
  copy->schema = schema;
  for (const auto& child : children) copy->children.push_back(child->Clone());
  for (const auto& call : calls) copy->calls.push_back(call.Clone());
  return copy;
}

std::string LogicalWindow::Describe() const {
  std::string out = "Window [";
  for (size_t i = 0; i < calls.size(); ++i) {
    if (i) out += ", ";
    out += calls[i].output.name + "=" + calls[i].function + "(";
    for (size_t a = 0; a < calls[i].args.size(); ++a) {
      if (a) out += ", ";
      out += calls[i].args[a]->ToString();
    }
    out += ")";
  }
  return out + "]";
}

}  // namespace kql::plan
