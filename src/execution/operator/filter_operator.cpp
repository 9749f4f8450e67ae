#include "execution/operator/filter_operator.h"

#include "execution/expression_executor.h"
#include "execution/layer.h"

namespace kql::exec {
namespace {

class FilterOperator : public StreamOperator {
 public:
  FilterOperator(const BoundExpr& predicate, ExecutionContext& context) : executor_(predicate, context) {}

  void Execute(DataChunk& chunk) override {
    selection_.clear();
    executor_.Select(chunk, selection_);
    chunk.selection = selection_;
  }

 private:
  ExpressionExecutor executor_;
  std::vector<uint32_t> selection_;
};

class FilterFactory : public StreamOperatorFactory {
 public:
  FilterFactory(const BoundExpr& predicate, ExecutionContext& context) : predicate_(predicate), context_(context) {}
  std::unique_ptr<StreamOperator> Create() const override {
    return std::make_unique<FilterOperator>(predicate_, context_);
  }

 private:
  const BoundExpr& predicate_;
  ExecutionContext& context_;
};

}  // namespace

std::unique_ptr<StreamOperatorFactory> MakeFilterFactory(const BoundExpr& predicate, ExecutionContext& context) {
  return std::make_unique<FilterFactory>(predicate, context);
}

}  // namespace kql::exec
