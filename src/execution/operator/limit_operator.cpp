#include "execution/operator/limit_operator.h"

#include <algorithm>
#include <vector>
#include "execution/layer.h"

namespace kql::exec {
namespace {

class LimitOperator : public StreamOperator {
 public:
  explicit LimitOperator(int64_t limit) : limit_(static_cast<size_t>(std::max<int64_t>(limit, 0))) {}

  void StartMorsel() override { seen_ = 0; }

  void Execute(DataChunk& chunk) override {
    size_t remaining = limit_ - std::min(seen_, limit_);
    size_t active = chunk.ActiveCount();
    if (active > remaining) {
      std::vector<uint32_t> selection;
      selection.reserve(remaining);
      chunk.ForEachActive([&](size_t row) {
        if (selection.size() < remaining) selection.push_back(static_cast<uint32_t>(row));
      });
      chunk.selection = std::move(selection);
      active = remaining;
    }
    seen_ += active;
  }

  bool Exhausted() const override { return seen_ >= limit_; }

 private:
  size_t limit_;
  size_t seen_ = 0;
};

class LimitFactory : public StreamOperatorFactory {
 public:
  explicit LimitFactory(int64_t limit) : limit_(limit) {}
  std::unique_ptr<StreamOperator> Create() const override { return std::make_unique<LimitOperator>(limit_); }

 private:
  int64_t limit_;
};

}  // namespace

std::unique_ptr<StreamOperatorFactory> MakeLimitFactory(int64_t limit) {
  return std::make_unique<LimitFactory>(limit);
}

}  // namespace kql::exec
