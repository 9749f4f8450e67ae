// Binding of `invoke f(args)`: the let-defined (or stored) tabular function f is inlined with the piped table as
// its first argument. The arguments are bound in the caller's scope and passed to the function through hidden let
// names, so the ordinary user-function inlining does the rest.
#include "binder/binder_diagnostic.h"
#include "binder/query_binder.h"
#include "binder/layer.h"

namespace kql::binder {

LogicalOperatorPtr QueryBinder::BindInvoke(const InvokeOp& op, LogicalOperatorPtr input) {
  const CallExpr* call = op.call.get();
  if (call == nullptr) return ErrorPlan();
  const LetBinding* let = FindLet(call->name);
  if (let == nullptr || let->kind != LetBinding::Kind::kFunction) {
    Error(kBindUnknownFunction, call->name_span, "invoke expects a user-defined tabular function: " + call->name);
    return ErrorPlan();
  }
  const FunctionDeclExpr& function = *let->function;
  const size_t saved_scope = scopes_.size();
  CallExpr forwarded;
  forwarded.name = call->name;
  forwarded.name_span = call->name_span;
  forwarded.span = call->span;
  auto pass = [&](LetBinding binding, SourceSpan span) {
    const std::string hidden = "\x01invoke" + std::to_string(forwarded.args.size());
    auto name = std::make_unique<NameExpr>();
    name->name = hidden;
    name->span = span;
    forwarded.args.push_back(std::move(name));
    scopes_.emplace_back(hidden, std::move(binding));
  };
  std::vector<LetBinding> arguments;
  LetBinding table;
  table.kind = LetBinding::Kind::kTabular;
  table.plan = std::move(input);
  arguments.push_back(std::move(table));
  for (size_t index = 0; index < call->args.size(); ++index) {
    const size_t param = index + 1;
    if (param < function.params.size() && function.params[param].decl.is_tabular) {
      arguments.push_back(BindValue(*call->args[index], Schema{}));
    } else {
      LetBinding scalar;
      scalar.kind = LetBinding::Kind::kScalar;
      scalar.scalar = BindExpr(*call->args[index], Schema{});
      arguments.push_back(std::move(scalar));
    }
  }
  for (size_t index = 0; index < arguments.size(); ++index) {
    pass(std::move(arguments[index]), index == 0 ? op.span : call->args[index - 1]->span);
  }
  LetBinding result = InlineFunction(function, forwarded, Schema{});
  scopes_.resize(saved_scope);
  if (result.kind == LetBinding::Kind::kTabular) return std::move(result.plan);
  if (result.kind == LetBinding::Kind::kScalar) {
    Error(kBindTabularScalarMismatch, call->name_span, "The invoked function does not return a table: " + call->name);
  }
  return ErrorPlan();
}

}  // namespace kql::binder
