// Binder entry point, statements, let scopes and user-function inlining.
#include "binder/binder.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "binder/binder_diagnostic.h"
#include "binder/query_binder.h"
#include "types/kql_type.h"
#include "binder/layer.h"

namespace kql::binder {

std::string_view ConversionFunctionName(KqlType type) {
  switch (type) {
    case KqlType::kBool: return "tobool";
    case KqlType::kInt:
    case KqlType::kLong: return "tolong";
    case KqlType::kReal:
    case KqlType::kDecimal: return "todouble";
    case KqlType::kString: return "tostring";
    case KqlType::kDateTime: return "todatetime";
    case KqlType::kTimeSpan: return "totimespan";
    case KqlType::kGuid: return "toguid";
    default: return "";
  }
}

const Expr& StripParens(const Expr& expr) {
  const Expr* current = &expr;
  // Parentheses nest at most as deep as the parser allowed, which is bounded by kMaxParseDepth.
  while (current->kind == ExprKind::kParen && current->As<ParenExpr>().inner) {
    current = current->As<ParenExpr>().inner.get();
  }
  return *current;
}

bool IsErrorSchema(const Schema& schema) {
  for (const ColumnDef& column : schema) {
    if (column.name == kErrorColumnName) return true;
  }
  return false;
}

std::string ColumnNamer::Unique(const std::string& name) {
  std::string candidate = name;
  for (int suffix = 1; IsTaken(candidate); ++suffix) candidate = name + std::to_string(suffix);
  taken_.push_back(candidate);
  return candidate;
}

std::string ColumnNamer::NextGenerated() {
  std::string candidate = "Column" + std::to_string(++generated_);
  return Unique(candidate);
}

bool ColumnNamer::IsTaken(const std::string& name) const {
  for (const std::string& taken : taken_) {
    if (taken == name) return true;
  }
  return false;
}

void QueryBinder::Error(std::string_view code, SourceSpan span, std::string message) {
  diagnostics_.Error(std::string(code), span, std::move(message));
}

LogicalOperatorPtr QueryBinder::BindQuery(const Query& query) {
  BindStatements(query.statements);
  if (query.body == nullptr) {
    Error(kBindNoTabularResult, query.span, "The query has no tabular expression to return");
    return nullptr;
  }
  // fork and facet return several tables, so they may only end the query's tabular expression.
  if (!query.body->operators.empty()) {
    const Operator& last = *query.body->operators.back();
    if (last.kind == OperatorKind::kFork || last.kind == OperatorKind::kFacet) result_operator_ = &last;
  }
  LogicalOperatorPtr result = BindPipeline(*query.body, nullptr);
  if (result && ContainsGraphValue(*result)) {
    Error(kBindUnsupportedOperator, query.body->span,
          std::string(IsGraphValued(*result) ? "The query ends with a graph" : "The query uses a graph as a table") +
              ": turn it into a table with graph-match, graph-shortest-paths or graph-to-table");
    return ErrorPlan();
  }
  return result;
}

void QueryBinder::BindStatements(const std::vector<Statement>& statements) {
  for (const Statement& statement : statements) {
    switch (statement.kind) {
      case StatementKind::kLet:
        BindLet(statement);
        break;
      case StatementKind::kSet:
        // Request properties (set notruncation; ...) do not change results here, except the two that bin_auto
        // reads (query_bin_auto_size, query_bin_auto_at), kept as hidden scalar lets.
        if ((statement.name == "query_bin_auto_size" || statement.name == "query_bin_auto_at") && statement.value) {
          LetBinding binding;
          binding.kind = LetBinding::Kind::kScalar;
          binding.scalar = BindExpr(*statement.value, Schema{});
          scopes_.emplace_back("\x01" + statement.name, std::move(binding));
        }
        break;
      case StatementKind::kDeclareQueryParameters:
        for (const FunctionParam& param : statement.parameters) {
          LetBinding binding;
          const std::optional<KqlType> declared = ParseTypeName(param.decl.type);
          if (param.default_value == nullptr) {
            Error(kBindParameterWithoutDefault, param.decl.span,
                  "Query parameter has no default value and none was supplied: " + param.decl.name);
          } else {
            BoundExprPtr value = BindExpr(*param.default_value, Schema{});
            if (value->kind == BoundExprKind::kConstant && declared && value->type != *declared) {
              if (std::optional<Value> converted = ConvertConstant(value->constant, *declared)) {
                value = BoundExpr::MakeConstant(std::move(*converted), value->span);
              }
            }
            binding.kind = LetBinding::Kind::kScalar;
            binding.scalar = std::move(value);
          }
          scopes_.emplace_back(param.decl.name, std::move(binding));
        }
        break;
      case StatementKind::kQuery:
        // A tabular statement before the last one produces an extra result that this engine does not return.
        break;
      case StatementKind::kAlias:
      case StatementKind::kRestrict:
      case StatementKind::kPattern:
        Error(kBindUnsupportedStatement, statement.span, "This statement is not supported");
        break;
    }
  }
}

void QueryBinder::BindLet(const Statement& statement) {
  LetBinding binding;
  if (statement.value != nullptr) binding = BindValue(*statement.value, Schema{});
  scopes_.emplace_back(statement.name, std::move(binding));
}

const LetBinding* QueryBinder::FindLet(std::string_view name) const {
  for (size_t index = scopes_.size(); index > scope_floor_; --index) {
    if (scopes_[index - 1].first == name) return &scopes_[index - 1].second;
  }
  return FindStoredFunction(name);
}

LetBinding QueryBinder::BindValue(const Expr& raw_expr, const Schema& input) {
  const Expr& expr = StripParens(raw_expr);
  LetBinding binding;
  switch (expr.kind) {
    case ExprKind::kFunctionDecl:
      binding.kind = LetBinding::Kind::kFunction;
      binding.function = &expr.As<FunctionDeclExpr>();
      return binding;
    case ExprKind::kTabular: {
      const Pipeline* pipeline = expr.As<TabularExpr>().pipeline.get();
      binding.kind = LetBinding::Kind::kTabular;
      binding.plan = pipeline ? BindPipeline(*pipeline, nullptr) : ErrorPlan();
      return binding;
    }
    case ExprKind::kName: {
      const NameExpr& name = expr.As<NameExpr>();
      const bool is_column = FindColumn(input, name.name).has_value();
      if (!is_column) {
        if (const LetBinding* let = FindLet(name.name)) {
          if (let->kind == LetBinding::Kind::kTabular) {
            binding.kind = LetBinding::Kind::kTabular;
            binding.plan = let->plan->Clone();
            return binding;
          }
          if (let->kind == LetBinding::Kind::kFunction) {
            // A function whose parameters all have defaults is called by its bare name (`ProcessEvents`).
            if (CallableWithoutArguments(*let->function)) {
              return InlineWithoutArguments(*let->function, name.name, name.span, input);
            }
            binding.kind = LetBinding::Kind::kFunction;
            binding.function = let->function;
            return binding;
          }
        } else if (catalog_.FindTable(name.name) != nullptr) {
          binding.kind = LetBinding::Kind::kTabular;
          binding.plan = BindTableName(name.name, name.span);
          return binding;
        }
      }
      break;
    }
    case ExprKind::kCall: {
      const CallExpr& call = expr.As<CallExpr>();
      if (call.name == "materialize" && call.args.size() == 1) {
        return BindValue(*call.args[0], input);
      }
      if (const LetBinding* let = FindLet(call.name); let && let->kind == LetBinding::Kind::kFunction) {
        return InlineFunction(*let->function, call, input);
      }
      break;
    }
    default:
      break;
  }
  binding.kind = LetBinding::Kind::kScalar;
  binding.scalar = BindExpr(expr, input);
  return binding;
}

LetBinding QueryBinder::InlineWithoutArguments(const FunctionDeclExpr& function, const std::string& name,
                                               SourceSpan span, const Schema& input) {
  CallExpr call;
  call.name = name;
  call.name_span = span;
  call.span = span;
  return InlineFunction(function, call, input);
}

LetBinding QueryBinder::InlineFunction(const FunctionDeclExpr& function, const CallExpr& call, const Schema& input) {
  LetBinding result;
  if (inline_depth_ >= 32) {
    Error(kBindTooDeep, call.name_span, "User functions are nested too deeply (recursion?): " + call.name);
    return result;
  }
  // Arguments by position or by name (`f(starttime=ago(1d), x)`): a named argument fills its parameter, a
  // positional one the first unfilled parameter after the previous argument's.
  std::vector<const Expr*> given(function.params.size(), nullptr);
  size_t cursor = 0;
  for (size_t index = 0; index < call.args.size(); ++index) {
    const std::string& name = index < call.arg_names.size() ? call.arg_names[index] : std::string();
    size_t target = function.params.size();
    if (!name.empty()) {
      for (size_t param = 0; param < function.params.size(); ++param) {
        if (function.params[param].decl.name == name) target = param;
      }
      if (target == function.params.size()) {
        Error(kBindWrongArity, call.args[index]->span, "The function " + call.name + " has no parameter: " + name);
        return result;
      }
    } else {
      target = cursor;
      while (target < given.size() && given[target] != nullptr) ++target;
    }
    if (target >= given.size() || given[target] != nullptr) {
      Error(kBindWrongArity, call.name_span,
            "Wrong number of arguments: " + std::to_string(call.args.size()) + " given for " +
                std::to_string(function.params.size()) + " parameter(s) of " + call.name);
      return result;
    }
    given[target] = call.args[index].get();
    cursor = target + 1;
  }
  for (size_t index = 0; index < function.params.size(); ++index) {
    if (given[index] == nullptr && function.params[index].default_value == nullptr) {
      Error(kBindWrongArity, call.name_span,
            "Missing argument for parameter " + function.params[index].decl.name + " of " + call.name);
      return result;
    }
  }
  // Bind the arguments in the caller's scope before any parameter becomes visible.
  std::vector<LetBinding> arguments;
  for (size_t index = 0; index < function.params.size(); ++index) {
    const FunctionParam& param = function.params[index];
    const Expr* argument = given[index] != nullptr ? given[index] : param.default_value.get();
    LetBinding bound;
    if (param.decl.is_tabular) {
      bound = BindValue(*argument, input);
      if (bound.kind != LetBinding::Kind::kTabular) {
        Error(kBindTabularScalarMismatch, argument->span, "A tabular argument is expected for parameter: " + param.decl.name);
        bound = LetBinding{};
      }
    } else {
      bound.kind = LetBinding::Kind::kScalar;
      bound.scalar = BindExpr(*argument, input);
      const std::optional<KqlType> declared = ParseTypeName(param.decl.type);
      if (declared && bound.scalar->kind == BoundExprKind::kConstant && bound.scalar->type != *declared &&
          bound.scalar->type != KqlType::kUnknown) {
        if (std::optional<Value> converted = ConvertConstant(bound.scalar->constant, *declared)) {
          bound.scalar = BoundExpr::MakeConstant(std::move(*converted), bound.scalar->span);
        }
      } else if (declared && bound.scalar->type != *declared && bound.scalar->type != KqlType::kUnknown &&
                 bound.scalar->type != KqlType::kDynamic && !ConversionFunctionName(*declared).empty()) {
        // The body is typed by the declaration: a value of another type is converted (an int column passed for
        // a long parameter, a string for a datetime), as Kusto converts arguments of user functions.
        const SourceSpan span = bound.scalar->span;
        std::vector<BoundExprPtr> operands;
        operands.push_back(std::move(bound.scalar));
        bound.scalar = BoundExpr::MakeCall(std::string(ConversionFunctionName(*declared)),
                                           *declared == KqlType::kInt ? KqlType::kLong : *declared,
                                           std::move(operands), span);
      }
    }
    arguments.push_back(std::move(bound));
  }
  const size_t saved_scope = scopes_.size();
  const size_t saved_floor = scope_floor_;
  const size_t diagnostics_before = diagnostics_.items().size();
  const auto stored = stored_declarations_.find(&function);
  // A stored function's body sees its parameters, its own lets and the catalog, not the caller's lets.
  if (stored != stored_declarations_.end()) scope_floor_ = scopes_.size();
  for (size_t index = 0; index < function.params.size(); ++index) {
    scopes_.emplace_back(function.params[index].decl.name, std::move(arguments[index]));
  }
  ++inline_depth_;
  if (function.body != nullptr) {
    BindStatements(function.body->statements);
    if (function.body->result != nullptr) {
      result = BindValue(*function.body->result, input);
    } else {
      Error(kBindNoTabularResult, call.name_span, "The function body has no result: " + call.name);
    }
  }
  --inline_depth_;
  scopes_.resize(saved_scope);
  scope_floor_ = saved_floor;
  if (stored != stored_declarations_.end()) ReportStoredFunctionErrors(*stored->second, call, diagnostics_before);
  return result;
}

namespace {

/// Returns the number of operators on the longest input chain, walking with an explicit stack: a pipeline of
/// thousands of operators binds to a chain that deep, and the passes after binding recurse over it.
size_t PlanDepth(const LogicalOperator& root) {
  size_t deepest = 0;
  std::vector<std::pair<const LogicalOperator*, size_t>> pending = {{&root, 1}};
  while (!pending.empty()) {
    auto [node, depth] = pending.back();
    pending.pop_back();
    deepest = std::max(deepest, depth);
    for (const auto& child : node->children) {
      if (child) pending.emplace_back(child.get(), depth + 1);
    }
  }
  return deepest;
}

/// Frees a plan without recursing through unique_ptr destructors, which could exhaust the stack on a deep chain.
void ReleasePlan(LogicalOperatorPtr plan) {
  std::vector<LogicalOperatorPtr> pending;
  pending.push_back(std::move(plan));
  while (!pending.empty()) {
    LogicalOperatorPtr node = std::move(pending.back());
    pending.pop_back();
    if (!node) continue;
    for (auto& child : node->children) pending.push_back(std::move(child));
  }
}

}  // namespace

BindResult Bind(const Query& query, const Catalog& catalog, const BindOptions& options) {
  BindResult result;
  QueryBinder binder(catalog, options, result.diagnostics);
  result.plan = binder.BindQuery(query);
  result.render = std::move(binder.render_);
  result.external_tables = std::move(binder.external_tables_);
  result.result_name = std::move(binder.result_name_);
  result.more_results = std::move(binder.more_results_);
  if (result.plan && PlanDepth(*result.plan) > kMaxBoundPlanDepth) {
    ReleasePlan(std::move(result.plan));
    result.diagnostics.Error(std::string(kBindTooDeep), query.span,
                             "The query plan is too deeply nested (more than " + std::to_string(kMaxBoundPlanDepth) +
                                 " operators on one input chain)");
  }
  return result;
}

BindResult Bind(const ParseResult& parsed, const Catalog& catalog, const BindOptions& options) {
  return Bind(parsed.query, catalog, options);
}

}  // namespace kql::binder
