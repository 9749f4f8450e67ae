// Binder entry point, statements, let scopes and user-function inlining.
#include "binder/binder.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "binder/binder_diagnostic.h"
#include "binder/query_binder.h"
#include "types/kql_type.h"

namespace kql {

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
  return BindPipeline(*query.body, nullptr);
}

void QueryBinder::BindStatements(const std::vector<Statement>& statements) {
  for (const Statement& statement : statements) {
    switch (statement.kind) {
      case StatementKind::kLet:
        BindLet(statement);
        break;
      case StatementKind::kSet:
        // Request properties (set notruncation; ...) do not change results here.
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
  for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it) {
    if (it->first == name) return &it->second;
  }
  return nullptr;
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

LetBinding QueryBinder::InlineFunction(const FunctionDeclExpr& function, const CallExpr& call, const Schema& input) {
  LetBinding result;
  if (inline_depth_ >= 32) {
    Error(kBindTooDeep, call.name_span, "User functions are nested too deeply (recursion?): " + call.name);
    return result;
  }
  size_t required = 0;
  for (const FunctionParam& param : function.params) {
    if (param.default_value == nullptr) ++required;
  }
  if (call.args.size() < required || call.args.size() > function.params.size()) {
    Error(kBindWrongArity, call.name_span,
          "Wrong number of arguments: expected " + std::to_string(required) +
              (required == function.params.size() ? "" : ".." + std::to_string(function.params.size())) +
              ", got " + std::to_string(call.args.size()) + " for " + call.name);
    return result;
  }
  // Bind the arguments in the caller's scope before any parameter becomes visible.
  std::vector<LetBinding> arguments;
  for (size_t index = 0; index < function.params.size(); ++index) {
    const FunctionParam& param = function.params[index];
    const Expr* argument = index < call.args.size() ? call.args[index].get() : param.default_value.get();
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
      }
    }
    arguments.push_back(std::move(bound));
  }
  const size_t saved_scope = scopes_.size();
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

}  // namespace kql
