#include "execution/expression/expression_state.h"

#include <algorithm>
#include <numeric>
#include <string>

#include "execution/scalar/scalar_function_registry.h"
#include "execution/layer.h"

namespace kql::exec {

namespace {

/// Deeper trees than this come from generated queries gone wrong; refuse them instead of overflowing the stack.
constexpr int kMaxExpressionDepth = 512;

bool IsTrue(const ColumnVector& vector, size_t row) { return vector.IsValid(row) && vector.ints()[row] != 0; }
bool IsFalse(const ColumnVector& vector, size_t row) { return vector.IsValid(row) && vector.ints()[row] == 0; }

}  // namespace

void MakeDenseRows(size_t count, std::vector<uint32_t>& rows) {
  rows.resize(count);
  std::iota(rows.begin(), rows.end(), 0u);
}

ExpressionState::ExpressionState(const BoundExpr& expr, ExecutionContext& context) : context_(context) {
  root_ = Prepare(expr, 0);
}

std::unique_ptr<ExpressionNode> ExpressionState::Prepare(const BoundExpr& expr, int depth) {
  if (depth > kMaxExpressionDepth) throw QueryError("Expression is nested too deeply to evaluate");
  auto node = std::make_unique<ExpressionNode>();
  node->expr = &expr;
  switch (expr.kind) {
    case BoundExprKind::kConstant: {
      node->constant = std::make_unique<ColumnVector>(expr.type);
      node->constant->AppendValue(expr.constant);
      return node;
    }
    case BoundExprKind::kColumnRef: return node;
    case BoundExprKind::kCall: break;
  }
  bool all_constant = !expr.subquery;
  for (const auto& arg : expr.args) {
    node->children.push_back(Prepare(*arg, depth + 1));
    if (!node->children.back()->constant) all_constant = false;
  }
  bool is_logical = expr.function == "and" || expr.function == "or";
  if (!is_logical) {
    node->function = FindScalarFunction(expr.function);
    if (!node->function) throw QueryError("Function is not supported by the executor: " + expr.function);
    if (node->function->prepare) {
      std::vector<const Value*> constants;
      for (const auto& arg : expr.args) {
        constants.push_back(arg->kind == BoundExprKind::kConstant ? &arg->constant : nullptr);
      }
      // Folded constant children also count as constants for kernel preparation.
      std::vector<Value> folded(expr.args.size());
      for (size_t index = 0; index < expr.args.size(); ++index) {
        if (!constants[index] && node->children[index]->constant) {
          folded[index] = node->children[index]->constant->GetValue(0);
          constants[index] = &folded[index];
        }
      }
      node->state = node->function->prepare(expr, constants, context_);
    }
  }
  if (all_constant) {
    // Fold: evaluate once over a one-row chunk; the result is reused for every row of every chunk.
    DataChunk empty;
    empty.size = 1;
    uint32_t row = 0;
    EvaluatedColumn result = EvaluateNode(*node, empty, std::span<const uint32_t>(&row, 1));
    auto constant = std::make_unique<ColumnVector>(expr.type);
    constant->AppendFrom(*result.vector, result.is_constant ? 0 : 0);
    node->constant = std::move(constant);
  }
  return node;
}

EvaluatedColumn ExpressionState::Evaluate(const DataChunk& chunk, std::span<const uint32_t> rows) {
  return EvaluateNode(*root_, chunk, rows);
}

EvaluatedColumn ExpressionState::EvaluateNode(ExpressionNode& node, const DataChunk& chunk,
                                              std::span<const uint32_t> rows) {
  EvaluatedColumn result;
  if (node.constant) {
    result.vector = node.constant.get();
    result.is_constant = true;
    return result;
  }
  const BoundExpr& expr = *node.expr;
  if (expr.kind == BoundExprKind::kColumnRef) {
    if (expr.column_index >= chunk.columns.size()) {
      throw QueryError("Column reference out of range during evaluation: " + expr.column_name);
    }
    result.vector = &chunk.columns[expr.column_index];
    return result;
  }
  if (!node.function) return EvaluateLogical(node, chunk, rows, expr.function == "and");

  std::vector<EvaluatedColumn> children;
  children.reserve(node.children.size());
  std::vector<KernelArg> args;
  args.reserve(node.children.size());
  for (auto& child : node.children) {
    children.push_back(EvaluateNode(*child, chunk, rows));
    args.push_back(children.back().AsArg());
  }
  result.owned = std::make_unique<ColumnVector>(expr.type);
  result.owned->Resize(chunk.size);
  // String results often point into argument bytes (substring, trim, iff); keep those bytes alive.
  if (result.owned->physical_type() == PhysicalType::kString) {
    for (const auto& child : children) {
      if (child.vector->physical_type() == PhysicalType::kString) result.owned->ShareStorageOf(*child.vector);
    }
  }
  KernelCall call{expr, node.state.get(), context_};
  node.function->execute(call, args, rows, *result.owned);
  result.vector = result.owned.get();
  return result;
}

// Kusto's three-valued logic: false and null = false, true and null = null; true or null = true,
// false or null = null. The right side is evaluated only over rows the left side does not decide.
EvaluatedColumn ExpressionState::EvaluateLogical(ExpressionNode& node, const DataChunk& chunk,
                                                 std::span<const uint32_t> rows, bool is_and) {
  EvaluatedColumn left = EvaluateNode(*node.children[0], chunk, rows);
  auto out = std::make_unique<ColumnVector>(KqlType::kBool);
  out->Resize(chunk.size);
  std::vector<uint32_t> undecided;
  undecided.reserve(rows.size());
  for (uint32_t row : rows) {
    size_t left_row = left.is_constant ? 0 : row;
    bool decided = is_and ? IsFalse(*left.vector, left_row) : IsTrue(*left.vector, left_row);
    if (decided) {
      SetBool(*out, row, !is_and);
    } else {
      undecided.push_back(row);
    }
  }
  if (!undecided.empty()) {
    EvaluatedColumn right = EvaluateNode(*node.children[1], chunk, undecided);
    for (uint32_t row : undecided) {
      size_t left_row = left.is_constant ? 0 : row;
      size_t right_row = right.is_constant ? 0 : row;
      bool left_null = left.vector->IsNull(left_row);
      const ColumnVector& rv = *right.vector;
      if (is_and) {
        if (IsFalse(rv, right_row)) {
          SetBool(*out, row, false);
        } else if (left_null || rv.IsNull(right_row)) {
          out->SetValid(row, false);
        } else {
          SetBool(*out, row, true);
        }
      } else {
        if (IsTrue(rv, right_row)) {
          SetBool(*out, row, true);
        } else if (left_null || rv.IsNull(right_row)) {
          out->SetValid(row, false);
        } else {
          SetBool(*out, row, false);
        }
      }
    }
  }
  EvaluatedColumn result;
  result.owned = std::move(out);
  result.vector = result.owned.get();
  return result;
}

void ExpressionState::Select(const DataChunk& chunk, std::span<const uint32_t> rows,
                             std::vector<uint32_t>& selection) {
  selection.clear();
  SelectNode(*root_, chunk, rows, selection);
}

void ExpressionState::SelectNode(ExpressionNode& node, const DataChunk& chunk, std::span<const uint32_t> rows,
                                 std::vector<uint32_t>& selection) {
  const BoundExpr& expr = *node.expr;
  if (!node.constant && expr.kind == BoundExprKind::kCall && !node.function) {
    if (expr.function == "and") {
      // Short-circuit: the right side only sees rows the left side accepted.
      std::vector<uint32_t> left_rows;
      SelectNode(*node.children[0], chunk, rows, left_rows);
      if (!left_rows.empty()) SelectNode(*node.children[1], chunk, left_rows, selection);
      return;
    }
    // "or": the right side only sees rows the left side rejected; the union is merged in row order.
    std::vector<uint32_t> left_rows;
    SelectNode(*node.children[0], chunk, rows, left_rows);
    if (left_rows.size() == rows.size()) {
      selection.insert(selection.end(), left_rows.begin(), left_rows.end());
      return;
    }
    std::vector<uint32_t> rest;
    rest.reserve(rows.size() - left_rows.size());
    std::set_difference(rows.begin(), rows.end(), left_rows.begin(), left_rows.end(), std::back_inserter(rest));
    std::vector<uint32_t> right_rows;
    SelectNode(*node.children[1], chunk, rest, right_rows);
    size_t start = selection.size();
    selection.resize(start + left_rows.size() + right_rows.size());
    std::merge(left_rows.begin(), left_rows.end(), right_rows.begin(), right_rows.end(),
               selection.begin() + static_cast<std::ptrdiff_t>(start));
    return;
  }
  EvaluatedColumn result = EvaluateNode(node, chunk, rows);
  const ColumnVector& vector = *result.vector;
  if (result.is_constant) {
    if (IsTrue(vector, 0)) selection.insert(selection.end(), rows.begin(), rows.end());
    return;
  }
  const uint8_t* validity = vector.validity();
  const int64_t* values = vector.ints();
  for (uint32_t row : rows) {
    if (validity[row] && values[row]) selection.push_back(row);
  }
}

}  // namespace kql::exec
