#include "execution/operator/range_source.h"

#include <algorithm>
#include <string>

#include "base/assert.h"
#include "execution/expression_executor.h"
#include "execution/layer.h"

namespace kql::exec {
namespace {

/// `range` refuses to produce more rows than this.
constexpr int64_t kMaxRangeRows = 100'000'000;

Value ConstantOf(const BoundExpr& expr, ExecutionContext& context) {
  if (expr.kind == BoundExprKind::kConstant) return expr.constant;
  return ExpressionExecutor::EvaluateConstant(expr, context);
}

/// Hands out the rows of one chunk of a range.
class RangeChunkReader : public MorselReader {
 public:
  RangeChunkReader(const RangeRows& rows, int64_t first, int64_t last) : rows_(rows), first_(first), last_(last) {}
  bool Next(DataChunk& out) override {
    if (done_) return false;
    done_ = true;
    out = rows_.Chunk(first_, last_);
    return true;
  }

 private:
  const RangeRows& rows_;
  int64_t first_, last_;
  bool done_ = false;
};

class RangePipelineSource : public PipelineSource {
 public:
  RangePipelineSource(RangeRows rows, size_t chunk_size) : rows_(rows), chunk_size_(std::max<size_t>(chunk_size, 1)) {}
  size_t MorselCount() const override {
    return static_cast<size_t>((rows_.count + static_cast<int64_t>(chunk_size_) - 1) / static_cast<int64_t>(chunk_size_));
  }
  std::unique_ptr<MorselReader> OpenMorsel(size_t morsel) const override {
    int64_t first = static_cast<int64_t>(morsel * chunk_size_);
    int64_t last = std::min<int64_t>(rows_.count, first + static_cast<int64_t>(chunk_size_));
    return std::make_unique<RangeChunkReader>(rows_, first, last);
  }

 private:
  RangeRows rows_;
  size_t chunk_size_;
};

}  // namespace

DataChunk RangeRows::Chunk(int64_t first, int64_t last) const {
  DataChunk chunk;
  chunk.size = static_cast<size_t>(last - first);
  ColumnVector column(type);
  column.Reserve(chunk.size);
  for (int64_t i = first; i < last; ++i) {
    if (real_column) {
      column.AppendReal(start_real + static_cast<double>(i) * step_real);
    } else {
      column.AppendInt(start_int + i * step_int);
    }
  }
  chunk.columns.push_back(std::move(column));
  return chunk;
}

RangeRows EvaluateRange(const LogicalRange& range, ExecutionContext& context) {
  KQL_ASSERT(range.schema.size() == 1, "range produces one column");
  RangeRows rows;
  rows.type = range.schema[0].type;
  Value start = ConstantOf(*range.start, context);
  Value stop = ConstantOf(*range.stop, context);
  Value step = ConstantOf(*range.step, context);
  if (start.is_null || stop.is_null || step.is_null) return rows;
  auto as_real = [](const Value& value) {
    return value.type == KqlType::kReal || value.type == KqlType::kDecimal ? value.real_value
                                                                           : static_cast<double>(value.int_value);
  };
  rows.real_column = PhysicalTypeOf(rows.type) == PhysicalType::kDouble;
  rows.start_real = as_real(start);
  double stop_real = as_real(stop);
  rows.step_real = as_real(step);
  if (rows.step_real == 0) throw QueryError("range: the step must not be zero");
  double span = (stop_real - rows.start_real) / rows.step_real;
  if (span < 0) return rows;
  if (span >= static_cast<double>(kMaxRangeRows)) {
    throw QueryError("range: too many rows (the limit is " + std::to_string(kMaxRangeRows) + ")");
  }
  if (rows.real_column) {
    rows.count = static_cast<int64_t>(span + 1e-9) + 1;
    return rows;
  }
  rows.start_int = start.int_value;
  rows.step_int = step.type == KqlType::kReal ? static_cast<int64_t>(step.real_value) : step.int_value;
  if (rows.step_int == 0) throw QueryError("range: the step must not be zero");
  rows.count = std::max<int64_t>((stop.int_value - rows.start_int) / rows.step_int + 1, 0);
  return rows;
}

std::unique_ptr<PipelineSource> MakeRangeSource(RangeRows rows, size_t chunk_size) {
  return std::make_unique<RangePipelineSource>(rows, chunk_size);
}

}  // namespace kql::exec
