#include "execution/operator/project_operator.h"

#include <optional>

#include "execution/expression_executor.h"
#include "execution/layer.h"

namespace kql::exec {
namespace {

class ProjectOperator : public StreamOperator {
 public:
  ProjectOperator(const std::vector<const BoundExpr*>& exprs, ExecutionContext& context) : exprs_(exprs) {
    executors_.resize(exprs.size());
    for (size_t i = 0; i < exprs.size(); ++i) {
      if (exprs[i]->kind != BoundExprKind::kColumnRef) executors_[i].emplace(*exprs[i], context);
    }
  }

  void Execute(DataChunk& chunk) override {
    DataChunk out;
    out.size = chunk.size;
    out.columns.reserve(exprs_.size());
    for (size_t i = 0; i < exprs_.size(); ++i) {
      if (executors_[i]) {
        out.columns.push_back(executors_[i]->Evaluate(chunk));
      } else {
        out.columns.push_back(chunk.columns[exprs_[i]->column_index]);
      }
    }
    out.selection = std::move(chunk.selection);
    chunk = std::move(out);
  }

 private:
  std::vector<const BoundExpr*> exprs_;
  std::vector<std::optional<ExpressionExecutor>> executors_;
};

class ProjectFactory : public StreamOperatorFactory {
 public:
  ProjectFactory(std::vector<const BoundExpr*> exprs, ExecutionContext& context)
      : exprs_(std::move(exprs)), context_(context) {}
  std::unique_ptr<StreamOperator> Create() const override {
    return std::make_unique<ProjectOperator>(exprs_, context_);
  }

 private:
  std::vector<const BoundExpr*> exprs_;
  ExecutionContext& context_;
};

}  // namespace

std::unique_ptr<StreamOperatorFactory> MakeProjectFactory(std::vector<const BoundExpr*> exprs,
                                                          ExecutionContext& context) {
  return std::make_unique<ProjectFactory>(std::move(exprs), context);
}

}  // namespace kql::exec
