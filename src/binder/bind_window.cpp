// Binding of window functions (row_number, row_cumsum, prev, next, row_rank_min, row_rank_dense,
// row_window_session) inside extend,
// project and serialize: each call becomes a column of a LogicalWindow inserted below the operator, and the call
// itself binds to a reference to that column (the same mechanism summarize uses for aggregates in expressions).
// Kusto requires serialized input (after sort, serialize, top...); this engine evaluates them over the input in
// the order it arrives, which is the sorted order after sort/top.
#include <algorithm>

#include "binder/binder_diagnostic.h"
#include "binder/query_binder.h"
#include "plan/logical_window.h"
#include "binder/layer.h"

namespace kql::binder {
namespace {

constexpr int kMaxWindowSearchDepth = 200;

struct WindowSignature {
  std::string_view name;
  int min_args;
  int max_args;
};

constexpr WindowSignature kWindowFunctions[] = {
    {"row_number", 0, 2}, {"row_cumsum", 1, 2},     {"prev", 1, 3},
    {"next", 1, 3},       {"row_rank_min", 1, 2},   {"row_rank_dense", 1, 2},
    {"row_window_session", 3, 4},
};

const WindowSignature* FindWindowFunction(std::string_view name) {
  for (const WindowSignature& signature : kWindowFunctions) {
    if (signature.name == name) return &signature;
  }
  return nullptr;
}

// Visits every sub-expression that can hold a call; tabular operands are not searched.
void CollectWindowCalls(const Expr& expr, std::vector<const CallExpr*>& found, int depth) {
  if (depth > kMaxWindowSearchDepth) return;
  switch (expr.kind) {
    case ExprKind::kCall: {
      const CallExpr& call = expr.As<CallExpr>();
      if (FindWindowFunction(call.name) && call.target == nullptr) {
        found.push_back(&call);
        return;
      }
      for (const ExprPtr& arg : call.args) CollectWindowCalls(*arg, found, depth + 1);
      return;
    }
    case ExprKind::kUnary: CollectWindowCalls(*expr.As<UnaryExpr>().operand, found, depth + 1); return;
    case ExprKind::kBinary:
      CollectWindowCalls(*expr.As<BinaryExpr>().left, found, depth + 1);
      CollectWindowCalls(*expr.As<BinaryExpr>().right, found, depth + 1);
      return;
    case ExprKind::kParen: CollectWindowCalls(*expr.As<ParenExpr>().inner, found, depth + 1); return;
    case ExprKind::kMember: CollectWindowCalls(*expr.As<MemberExpr>().target, found, depth + 1); return;
    case ExprKind::kIndex:
      CollectWindowCalls(*expr.As<IndexExpr>().target, found, depth + 1);
      CollectWindowCalls(*expr.As<IndexExpr>().index, found, depth + 1);
      return;
    case ExprKind::kBetween: {
      const BetweenExpr& between = expr.As<BetweenExpr>();
      CollectWindowCalls(*between.operand, found, depth + 1);
      CollectWindowCalls(*between.low, found, depth + 1);
      CollectWindowCalls(*between.high, found, depth + 1);
      return;
    }
    case ExprKind::kIn: {
      const InExpr& in = expr.As<InExpr>();
      CollectWindowCalls(*in.left, found, depth + 1);
      for (const ExprPtr& item : in.items) CollectWindowCalls(*item, found, depth + 1);
      return;
    }
    default: return;
  }
}

KqlType WidenedType(KqlType type) { return type == KqlType::kInt || type == KqlType::kBool ? KqlType::kLong : type; }

}  // namespace

LogicalOperatorPtr QueryBinder::BindWindowCalls(const std::vector<const Expr*>& items, LogicalOperatorPtr input,
                                                std::vector<const CallExpr*>& bound_calls) {
  std::vector<const CallExpr*> found;
  for (const Expr* item : items) {
    if (item != nullptr) CollectWindowCalls(*item, found, 0);
  }
  // A let-defined function with a window function's name shadows it.
  found.erase(std::remove_if(found.begin(), found.end(), [&](const CallExpr* call) { return FindLet(call->name); }),
              found.end());
  if (found.empty()) return input;
  // Window calls inside window arguments (row_number(1, prev(g) != g), from the docs) run in a window below.
  std::vector<const Expr*> nested;
  for (const CallExpr* call : found) {
    for (const ExprPtr& arg : call->args) nested.push_back(arg.get());
  }
  input = BindWindowCalls(nested, std::move(input), bound_calls);
  auto window = std::make_unique<LogicalWindow>();
  window->schema = input->schema;
  const Schema& schema = input->schema;
  for (const CallExpr* call : found) {
    const WindowSignature& signature = *FindWindowFunction(call->name);
    const int arg_count = static_cast<int>(call->args.size());
    if (arg_count < signature.min_args || arg_count > signature.max_args) {
      Error(kBindWrongArity, call->name_span,
            "Wrong number of arguments: expected " + std::to_string(signature.min_args) + ".." +
                std::to_string(signature.max_args) + ", got " + std::to_string(arg_count) + " for " + call->name);
    }
    BoundWindowCall bound;
    bound.function = std::string(signature.name);
    for (const ExprPtr& arg : call->args) bound.args.push_back(BindExpr(*arg, schema));
    KqlType type = KqlType::kLong;
    if (bound.function == "prev" || bound.function == "next") {
      type = bound.args.empty() ? KqlType::kUnknown : bound.args[0]->type;
    } else if (bound.function == "row_window_session") {
      // row_window_session(datetime, max_from_first, max_between_neighbors[, restart]): the session's start.
      type = KqlType::kDateTime;
      static constexpr KqlType kExpected[] = {KqlType::kDateTime, KqlType::kTimeSpan, KqlType::kTimeSpan, KqlType::kBool};
      for (size_t index = 0; index < bound.args.size() && index < 4; ++index) {
        const KqlType arg_type = bound.args[index]->type;
        if (arg_type != kExpected[index] && arg_type != KqlType::kUnknown) {
          Error(kBindWrongArgumentType, call->args[index]->span,
                "Argument " + std::to_string(index + 1) + " must be of type " + std::string(TypeName(kExpected[index])) +
                    ", not " + std::string(TypeName(arg_type)) + ": row_window_session");
        }
      }
    } else if (bound.function == "row_cumsum") {
      type = bound.args.empty() ? KqlType::kUnknown : WidenedType(bound.args[0]->type);
      if (type != KqlType::kLong && type != KqlType::kReal && type != KqlType::kDecimal &&
          type != KqlType::kTimeSpan && type != KqlType::kUnknown) {
        Error(kBindWrongArgumentType, call->args[0]->span,
              "Argument 1 must be of type number, not " + std::string(TypeName(type)) + ": row_cumsum");
        type = KqlType::kUnknown;
      }
    }
    // The optional restart argument (and row_number's start) must be bool/number expressions of the row.
    bound.output = {"\x01window" + std::to_string(window->schema.size()), type};
    aggregate_columns_[call] = window->schema.size();
    window->schema.push_back(bound.output);
    window->calls.push_back(std::move(bound));
    bound_calls.push_back(call);
  }
  window->children.push_back(std::move(input));
  return window;
}

void QueryBinder::ReleaseWindowCalls(const std::vector<const CallExpr*>& bound_calls) {
  for (const CallExpr* call : bound_calls) aggregate_columns_.erase(call);
}

}  // namespace kql::binder
