// Functions that Kusto expands into several columns (series_stats, series_fit_line, series_fit_2lines,
// series_decompose, series_decompose_anomalies, series_periods_detect/validate). Their kernels return one property
// bag, computed once per row as a hidden column of an extend below; an extend/project item calling one directly
// becomes one column per output: `extend (a, b, c) = f(x)` names them, `extend a = f(x)` keeps only the first, and
// `extend f(x)` names them f_x_<output> (Kusto's binder names, checked with kqlcheck).
#include <algorithm>
#include <array>

#include "binder/binder_diagnostic.h"
#include "binder/query_binder.h"
#include "binder/layer.h"

namespace kql::binder {
namespace {

struct OutputColumn {
  std::string_view suffix;
  KqlType type;
};

struct MultiOutputFunction {
  std::string_view name;
  std::vector<OutputColumn> outputs;
};

const std::vector<MultiOutputFunction>& MultiOutputFunctions() {
  using T = KqlType;
  static const std::vector<MultiOutputFunction> functions = {
      {"series_stats",
       {{"min", T::kReal}, {"min_idx", T::kLong}, {"max", T::kReal}, {"max_idx", T::kLong}, {"avg", T::kReal},
        {"stdev", T::kReal}, {"variance", T::kReal}}},
      {"series_fit_line",
       {{"rsquare", T::kReal}, {"slope", T::kReal}, {"variance", T::kReal}, {"rvariance", T::kReal},
        {"interception", T::kReal}, {"line_fit", T::kDynamic}}},
      {"series_fit_2lines",
       {{"rsquare", T::kReal}, {"split_idx", T::kLong}, {"variance", T::kReal}, {"rvariance", T::kReal},
        {"line_fit", T::kDynamic}, {"right_rsquare", T::kReal}, {"right_slope", T::kReal},
        {"right_interception", T::kReal}, {"right_variance", T::kReal}, {"right_rvariance", T::kReal},
        {"left_rsquare", T::kReal}, {"left_slope", T::kReal}, {"left_interception", T::kReal},
        {"left_variance", T::kReal}, {"left_rvariance", T::kReal}}},
      {"series_decompose",
       {{"baseline", T::kDynamic}, {"seasonal", T::kDynamic}, {"trend", T::kDynamic}, {"residual", T::kDynamic}}},
      {"series_decompose_anomalies", {{"ad_flag", T::kDynamic}, {"ad_score", T::kDynamic}, {"baseline", T::kDynamic}}},
      {"series_periods_detect", {{"periods", T::kDynamic}, {"scores", T::kDynamic}}},
      {"series_periods_validate", {{"periods", T::kDynamic}, {"scores", T::kDynamic}}},
      // array_sort_asc/desc(a1, a2, ...[, nulls_last]) with several arrays: one column per array, a<i>_sorted
      // (the outputs depend on the call; see ArraySortOutputs).
      {"array_sort_asc", {}},
      {"array_sort_desc", {}},
  };
  return functions;
}

/// bag[suffix] converted to the output's type.
BoundExprPtr OutputExpr(const BoundExpr& bag, const OutputColumn& output) {
  std::vector<BoundExprPtr> index_args;
  index_args.push_back(bag.Clone());
  index_args.push_back(BoundExpr::MakeConstant(Value::String(std::string(output.suffix))));
  BoundExprPtr property = BoundExpr::MakeCall("[]", KqlType::kDynamic, std::move(index_args), bag.span);
  const char* conversion = output.type == KqlType::kReal ? "todouble" : output.type == KqlType::kLong ? "tolong" : "";
  if (*conversion == '\0') return property;
  std::vector<BoundExprPtr> args;
  args.push_back(std::move(property));
  return BoundExpr::MakeCall(conversion, output.type, std::move(args), bag.span);
}

bool IsBoolLiteral(const Expr& expr) {
  const Expr& stripped = StripParens(expr);
  return stripped.kind == ExprKind::kLiteral && stripped.As<LiteralExpr>().literal_kind == LiteralKind::kBool;
}

/// The arrays of an array_sort_asc/desc call with several of them (a trailing bool literal is nulls_last);
/// 0 for the single-array form.
size_t ArraySortArrayCount(const CallExpr& call) {
  size_t count = call.args.size();
  if (count > 0 && IsBoolLiteral(*call.args.back())) --count;
  return count >= 2 ? count : 0;
}

/// The multi-column function an item calls directly, or nullptr.
const MultiOutputFunction* MultiOutputCall(const NamedExpr& item, const CallExpr** call_out) {
  const Expr& expr = StripParens(*item.expr);
  if (expr.kind != ExprKind::kCall) return nullptr;
  const CallExpr& call = expr.As<CallExpr>();
  const auto& functions = MultiOutputFunctions();
  auto function = std::find_if(functions.begin(), functions.end(),
                               [&](const MultiOutputFunction& candidate) { return candidate.name == call.name; });
  if (function == functions.end()) return nullptr;
  if (function->outputs.empty() && ArraySortArrayCount(call) == 0) return nullptr;
  *call_out = &call;
  return &*function;
}

}  // namespace

LogicalOperatorPtr QueryBinder::BindMultiOutputCalls(const std::vector<NamedExpr>& items, LogicalOperatorPtr input,
                                                     std::vector<const CallExpr*>& bound_calls) {
  std::unique_ptr<LogicalProject> extend;
  for (const NamedExpr& item : items) {
    const CallExpr* call = nullptr;
    if (MultiOutputCall(item, &call) == nullptr || FindLet(call->name) != nullptr) continue;
    if (!extend) {
      extend = std::make_unique<LogicalProject>();
      for (size_t index = 0; index < input->schema.size(); ++index) {
        const ColumnDef& column = input->schema[index];
        extend->exprs.push_back(BoundExpr::MakeColumn(index, column.name, column.type));
        extend->schema.push_back(column);
      }
    }
    BoundExprPtr bound = BindExpr(*call, input->schema);
    aggregate_columns_[call] = extend->schema.size();
    bound_calls.push_back(call);
    extend->schema.push_back({"\x01" "multi" + std::to_string(bound_calls.size()), bound->type});
    extend->exprs.push_back(std::move(bound));
  }
  if (!extend) return input;
  extend->children.push_back(std::move(input));
  return extend;
}

bool QueryBinder::BindArraySortOutputs(const NamedExpr& item, const CallExpr& call, const BoundExpr& sorted,
                                       ColumnNamer& namer, LogicalProject& project) {
  // The kernel returns [sorted a1, sorted a2, ...]; output i is element i, named <argument i>_sorted.
  const size_t count = ArraySortArrayCount(call);
  if (item.names.size() > count) {
    Error(kBindWrongArity, item.name_span,
          call.name + " produces " + std::to_string(count) + " columns, but " + std::to_string(item.names.size()) +
              " names were given");
  }
  const size_t outputs = item.names.empty() ? count : std::min(item.names.size(), count);
  for (size_t index = 0; index < outputs; ++index) {
    std::string name = !item.names.empty() ? item.names[index] : DeriveName(*call.args[index]);
    if (item.names.empty()) name = namer.Unique((name.empty() ? "array" + std::to_string(index + 1) : name) + "_sorted");
    std::vector<BoundExprPtr> index_args;
    index_args.push_back(sorted.Clone());
    index_args.push_back(BoundExpr::MakeConstant(Value::Long(static_cast<int64_t>(index))));
    namer.Reserve(name);
    project.schema.push_back({name, KqlType::kDynamic});
    project.exprs.push_back(BoundExpr::MakeCall("[]", KqlType::kDynamic, std::move(index_args), sorted.span));
  }
  return true;
}

bool QueryBinder::BindMultiOutputItem(const NamedExpr& item, const Schema& input, ColumnNamer& namer,
                                      LogicalProject& project, bool replace_existing) {
  const CallExpr* call_expr = nullptr;
  const MultiOutputFunction* function = MultiOutputCall(item, &call_expr);
  if (function == nullptr || FindLet(call_expr->name) != nullptr) return false;
  const CallExpr& call = *call_expr;
  // The call was computed once below (BindMultiOutputCalls), so this binds to that hidden column.
  BoundExprPtr bag = BindExpr(call, input);
  if (function->outputs.empty()) return BindArraySortOutputs(item, call, *bag, namer, project);
  const auto& outputs = function->outputs;
  if (item.names.size() > outputs.size()) {
    Error(kBindWrongArity, item.name_span,
          call.name + " produces " + std::to_string(outputs.size()) + " columns, but " +
              std::to_string(item.names.size()) + " names were given");
  }
  const size_t count = item.names.empty() ? outputs.size() : std::min(item.names.size(), outputs.size());
  const std::string argument = call.args.empty() ? "" : DeriveName(*call.args[0]);
  for (size_t index = 0; index < count; ++index) {
    const OutputColumn& output = outputs[index];
    std::string name;
    if (!item.names.empty()) {
      name = item.names[index];
    } else {
      name = namer.Unique(call.name + "_" + (argument.empty() ? "" : argument + "_") + std::string(output.suffix));
    }
    BoundExprPtr column = bag->type == KqlType::kUnknown ? bag->Clone() : OutputExpr(*bag, output);
    const KqlType type = bag->type == KqlType::kUnknown ? KqlType::kUnknown : output.type;
    auto existing = std::find_if(project.schema.begin(), project.schema.end(),
                                 [&](const ColumnDef& defined) { return defined.name == name; });
    if (replace_existing && existing != project.schema.end()) {
      const size_t position = static_cast<size_t>(existing - project.schema.begin());
      existing->type = type;
      project.exprs[position] = std::move(column);
      continue;
    }
    namer.Reserve(name);
    project.schema.push_back({name, type});
    project.exprs.push_back(std::move(column));
  }
  return true;
}

}  // namespace kql::binder
