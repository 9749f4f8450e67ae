// Binding of summarize: group keys first, then aggregates, with Kusto's result names (count_, min_X, set_X,
// arg_max's expanded columns). Names were checked with the oracle: `by bin(Timestamp, 1h)` stays Timestamp,
// `by tolower(s)` is Column1, make_set_if(s, p) is set_s, any(s) is any_s, take_any(s) is s.
#include <algorithm>

#include "binder/binder_diagnostic.h"
#include "binder/query_binder.h"
#include "binder/layer.h"

namespace kql::binder {

std::optional<BoundAggregate> QueryBinder::BindAggregate(const CallExpr& call, const Schema& input,
                                                         const std::vector<std::string>& explicit_names,
                                                         ColumnNamer& namer, const std::vector<ColumnDef>& keys) {
  const FunctionSignature* signature = FindFunction(call.name);
  if (signature == nullptr || signature->function_class != FunctionClass::kAggregate) {
    if (signature == nullptr && IsKnownUnsupportedFunction(call.name)) {
      Error(kBindUnsupportedFunction, call.name_span, "Function is not supported: " + call.name);
    } else if (signature == nullptr) {
      std::string message = "Unknown function: " + call.name;
      if (std::optional<std::string> suggestion = SuggestName(call.name, AllFunctionNames())) {
        message += "; did you mean '" + *suggestion + "'?";
      }
      Error(kBindUnknownFunction, call.name_span, std::move(message));
    } else {
      Error(kBindExpectedAggregate, call.name_span, "summarize expects an aggregate function, not: " + call.name);
    }
    return std::nullopt;
  }
  const std::string canonical(signature->name);
  // argmax/argmin are the deprecated forms: the same result, columns named max_x, max_x_c (min_ for argmin).
  const bool legacy_arg = canonical == "argmax" || canonical == "argmin";
  const bool is_arg = canonical == "arg_max" || canonical == "arg_min" || legacy_arg;
  const std::string legacy_prefix = canonical == "argmax" ? "max_" : "min_";
  const std::string legacy_base = legacy_arg && !call.args.empty() ? legacy_prefix + DeriveName(*call.args[0]) : "";
  // take_any(a, b) and arg_max take many arguments; the other aggregates are checked against their arity.
  const int arg_count = static_cast<int>(call.args.size());
  if (arg_count < signature->min_args || (signature->max_args >= 0 && arg_count > signature->max_args)) {
    Error(kBindWrongArity, call.name_span,
          "Wrong number of arguments: expected " + std::to_string(signature->min_args) +
              (signature->max_args == signature->min_args
                   ? ""
                   : (signature->max_args < 0 ? " or more" : ".." + std::to_string(signature->max_args))) +
              ", got " + std::to_string(arg_count) + " for " + call.name);
    return std::nullopt;
  }
  BoundAggregate aggregate;
  aggregate.function = canonical;
  if (is_arg || (canonical == "take_any" && (arg_count > 1 || call.name == "any"))) {
    // arg_max(E, c1, c2) / arg_max(E, *) / take_any(a, b): one output per argument.
    const bool legacy_any = call.name == "any";
    std::vector<std::string> sources;  // The columns the arguments so far read.
    for (int index = 0; index < arg_count; ++index) {
      const Expr& arg = StripParens(*call.args[index]);
      if (arg.kind == ExprKind::kStar) {
        if (index == 0 && is_arg) {
          Error(kBindStarNotAllowed, arg.span, "The first argument of arg_max/arg_min cannot be '*'");
          return std::nullopt;
        }
        for (size_t column = 0; column < input.size(); ++column) {
          const std::string& name = input[column].name;
          // Columns already produced (the by keys, this aggregate's earlier arguments) are not repeated; the
          // comparison is with the source column, since an earlier argument may have been renamed (x -> x1).
          if (std::any_of(keys.begin(), keys.end(), [&](const ColumnDef& key) { return key.name == name; })) continue;
          if (std::find(sources.begin(), sources.end(), name) != sources.end()) continue;
          sources.push_back(name);
          aggregate.args.push_back(BoundExpr::MakeColumn(column, name, input[column].type, arg.span));
          aggregate.outputs.push_back({namer.Unique(legacy_arg ? legacy_base + "_" + name : name), input[column].type});
        }
        continue;
      }
      BoundExprPtr bound = BindExpr(arg, input);
      sources.push_back(DeriveName(arg));
      std::string name;
      if (static_cast<size_t>(index) < explicit_names.size()) {
        name = explicit_names[index];
      } else {
        std::string derived = DeriveName(arg);
        if (legacy_any && !derived.empty()) derived = "any_" + derived;
        if (legacy_arg && !derived.empty()) derived = index == 0 ? legacy_base : legacy_base + "_" + derived;
        name = derived.empty() ? namer.NextGenerated() : namer.Unique(derived);
      }
      aggregate.outputs.push_back({name, bound->type});
      aggregate.args.push_back(std::move(bound));
    }
    return aggregate;
  }
  for (int index = 0; index < arg_count; ++index) {
    BoundExprPtr bound = BindExpr(*call.args[index], input);
    const std::string_view kinds = signature->arg_kinds;
    const char kind = kinds.empty() ? 'a' : kinds[std::min<size_t>(index, kinds.size() - 1)];
    if (!ArgumentKindAccepts(kind, bound->type)) {
      Error(kBindWrongArgumentType, call.args[index]->span,
            "Argument " + std::to_string(index + 1) + " must be of type " + std::string(ArgumentKindName(kind)) +
                ", not " + std::string(TypeName(bound->type)) + ": " + call.name);
    }
    if (kind == 'b' && bound->type == KqlType::kDynamic) {
      // Aggregate kernels read bool payloads for predicate arguments (countif, sumif...): convert dynamic first.
      const SourceSpan span = bound->span;
      std::vector<BoundExprPtr> converted;
      converted.push_back(std::move(bound));
      bound = BoundExpr::MakeCall("tobool", KqlType::kBool, std::move(converted), span);
    }
    aggregate.args.push_back(std::move(bound));
  }
  KqlType type = signature->fixed_type;
  if (signature->return_rule == ReturnRule::kFirstArg || signature->return_rule == ReturnRule::kFirstArgWidened) {
    type = aggregate.args.empty() ? KqlType::kUnknown : aggregate.args[0]->type;
    if (signature->return_rule == ReturnRule::kFirstArgWidened && type == KqlType::kInt) type = KqlType::kLong;
  }
  // percentile(x, 99.5) is percentile_x_99_5; percentilew(x, w, 50) is percentile_x_50.
  auto rank_suffix = [&](size_t index) {
    const Expr& rank = StripParens(*call.args[index]);
    std::string text = rank.kind == ExprKind::kLiteral ? rank.As<LiteralExpr>().text : "";
    std::replace(text.begin(), text.end(), '.', '_');
    return text;
  };
  if (canonical == "percentiles" || canonical == "percentilesw") {
    // One column per requested percentile.
    const size_t first = canonical == "percentiles" ? 1 : 2;
    const std::string argument = DeriveName(*call.args[0]);
    for (size_t index = first; index < call.args.size(); ++index) {
      const size_t position = index - first;
      std::string name;
      if (position < explicit_names.size()) {
        name = explicit_names[position];
      } else if (!explicit_names.empty()) {
        continue;
      } else {
        const std::string suffix = rank_suffix(index);
        name = argument.empty() || suffix.empty() ? namer.NextGenerated()
                                                  : namer.Unique("percentile_" + argument + "_" + suffix);
      }
      aggregate.outputs.push_back({name, type});
    }
    return aggregate;
  }
  std::string name;
  if (!explicit_names.empty()) {
    name = explicit_names[0];
  } else {
    std::string derived;
    switch (signature->name_rule) {
      case NameRule::kPrefixOnly:
        derived = std::string(signature->name_prefix) + "_";
        break;
      case NameRule::kArgument:
        derived = call.args.empty() ? "" : DeriveName(*call.args[0]);
        break;
      case NameRule::kPrefixAndArgument: {
        const std::string argument = call.args.empty() ? "" : DeriveName(*call.args[0]);
        derived = std::string(signature->name_prefix) + "_" + argument;
        if (canonical == "percentile" || canonical == "percentilew") {
          const size_t rank = canonical == "percentile" ? 1 : 2;
          const std::string suffix = call.args.size() > rank ? rank_suffix(rank) : "";
          if (!argument.empty() && !suffix.empty()) derived += "_" + suffix;
        }
        break;
      }
      default:
        break;
    }
    name = derived.empty() ? namer.NextGenerated() : namer.Unique(derived);
  }
  aggregate.outputs.push_back({name, type});
  return aggregate;
}

BoundExprPtr QueryBinder::BindGroupKey(const NamedExpr& item, const Schema& input, ColumnNamer& namer,
                                       std::string_view op, std::string& name) {
  BoundExprPtr key = BindExpr(*item.expr, input);
  if (key->type == KqlType::kDynamic) {
    Error(kBindInvalidGroupKey, item.expr->span,
          std::string(op) + " cannot group by a dynamic value; convert it with tostring()");
  }
  if (!item.names.empty()) {
    name = item.names[0];
  } else {
    const std::string derived = DeriveName(*item.expr);
    name = derived.empty() ? namer.NextGenerated() : namer.Unique(derived);
  }
  return key;
}

LogicalOperatorPtr QueryBinder::BindSummarize(const SummarizeOp& op, LogicalOperatorPtr input) {
  auto aggregate = std::make_unique<LogicalAggregate>();
  const Schema& schema = input->schema;
  ColumnNamer namer;
  for (const NamedExpr& item : op.by) {
    for (const std::string& name : item.names) namer.Reserve(name);
  }
  for (const NamedExpr& item : op.aggregates) {
    for (const std::string& name : item.names) namer.Reserve(name);
  }
  for (const NamedExpr& item : op.by) {
    std::string name;
    BoundExprPtr key = BindGroupKey(item, schema, namer, "summarize", name);
    aggregate->schema.push_back({name, key->type});
    aggregate->keys.push_back(std::move(key));
  }
  const std::vector<ColumnDef> keys = aggregate->schema;
  // Items such as tostring(make_set(x)) or count() * 2 compute hidden aggregates first and a projection after.
  struct Output {
    std::vector<size_t> direct;  // Aggregate output columns, for plain aggregate items.
    const NamedExpr* computed = nullptr;
    std::string name;
  };
  std::vector<Output> outputs;
  bool any_computed = false;
  int hidden = 0;
  for (const NamedExpr& item : op.aggregates) {
    const Expr& expr = StripParens(*item.expr);
    const CallExpr* call = expr.kind == ExprKind::kCall ? &expr.As<CallExpr>() : nullptr;
    const FunctionSignature* signature = call ? FindFunction(call->name) : nullptr;
    if (call != nullptr && (signature == nullptr || signature->function_class == FunctionClass::kAggregate) &&
        FindLet(call->name) == nullptr) {
      std::optional<BoundAggregate> bound = BindAggregate(*call, schema, item.names, namer, keys);
      if (!bound) continue;
      Output output;
      for (const ColumnDef& column : bound->outputs) {
        output.direct.push_back(aggregate->schema.size());
        aggregate->schema.push_back(column);
      }
      outputs.push_back(std::move(output));
      aggregate->aggregates.push_back(std::move(*bound));
      continue;
    }
    std::vector<const CallExpr*> found;
    CollectAggregateCalls(expr, found, 0);
    if (found.empty()) {
      Error(kBindExpectedAggregate, item.expr->span, "summarize expects an aggregate function call such as count()");
      continue;
    }
    bool ok = true;
    for (const CallExpr* inner : found) {
      ColumnNamer hidden_namer;
      std::optional<BoundAggregate> bound =
          BindAggregate(*inner, schema, {std::string("\x01") + "agg" + std::to_string(++hidden)}, hidden_namer, keys);
      if (!bound || bound->outputs.size() != 1) {
        ok = false;
        continue;
      }
      aggregate_columns_[inner] = aggregate->schema.size();
      aggregate->schema.push_back(bound->outputs[0]);
      aggregate->aggregates.push_back(std::move(*bound));
    }
    if (!ok) continue;
    Output output;
    output.computed = &item;
    if (!item.names.empty()) {
      output.name = item.names[0];
    } else {
      const std::string derived = DeriveName(expr);
      output.name = derived.empty() ? namer.NextGenerated() : namer.Unique(derived);
    }
    outputs.push_back(std::move(output));
    any_computed = true;
  }
  if (!any_computed) {
    aggregate->children.push_back(std::move(input));
    return aggregate;
  }
  aggregate->children.push_back(std::move(input));
  auto project = std::make_unique<LogicalProject>();
  const Schema& aggregated = aggregate->schema;
  for (size_t index = 0; index < keys.size(); ++index) {
    project->exprs.push_back(BoundExpr::MakeColumn(index, aggregated[index].name, aggregated[index].type));
    project->schema.push_back(aggregated[index]);
  }
  for (const Output& output : outputs) {
    for (size_t index : output.direct) {
      project->exprs.push_back(BoundExpr::MakeColumn(index, aggregated[index].name, aggregated[index].type));
      project->schema.push_back(aggregated[index]);
    }
    if (output.computed != nullptr) {
      BoundExprPtr bound = BindExpr(*output.computed->expr, aggregated);
      project->schema.push_back({output.name, bound->type});
      project->exprs.push_back(std::move(bound));
    }
  }
  aggregate_columns_.clear();
  project->children.push_back(std::move(aggregate));
  return project;
}

void QueryBinder::CollectAggregateCalls(const Expr& expr, std::vector<const CallExpr*>& found, int depth) const {
  if (depth > kMaxBindDepth) return;
  switch (expr.kind) {
    case ExprKind::kCall: {
      const CallExpr& call = expr.As<CallExpr>();
      const FunctionSignature* signature = FindFunction(call.name);
      if (signature != nullptr && signature->function_class == FunctionClass::kAggregate) {
        found.push_back(&call);
        return;
      }
      for (const ExprPtr& arg : call.args) CollectAggregateCalls(*arg, found, depth + 1);
      return;
    }
    case ExprKind::kParen:
      CollectAggregateCalls(*expr.As<ParenExpr>().inner, found, depth + 1);
      return;
    case ExprKind::kUnary:
      CollectAggregateCalls(*expr.As<UnaryExpr>().operand, found, depth + 1);
      return;
    case ExprKind::kBinary:
      CollectAggregateCalls(*expr.As<BinaryExpr>().left, found, depth + 1);
      CollectAggregateCalls(*expr.As<BinaryExpr>().right, found, depth + 1);
      return;
    case ExprKind::kMember:
      CollectAggregateCalls(*expr.As<MemberExpr>().target, found, depth + 1);
      return;
    case ExprKind::kIndex:
      CollectAggregateCalls(*expr.As<IndexExpr>().target, found, depth + 1);
      return;
    default:
      return;
  }
}

}  // namespace kql::binder
