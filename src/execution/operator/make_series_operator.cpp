#include "execution/operator/make_series_operator.h"

#include <cmath>
#include <string>
#include <unordered_map>

#include "execution/expression_executor.h"
#include "execution/table_builder.h"
#include "execution/layer.h"

namespace kql::exec {
namespace {

/// A position on the axis: ticks or longs exactly, reals as doubles.
struct AxisPoint {
  bool is_real = false;
  int64_t whole = 0;
  double real = 0;
};

AxisPoint PointOf(const Value& value) {
  AxisPoint point;
  point.is_real = value.type == KqlType::kReal || value.type == KqlType::kDecimal;
  point.whole = value.int_value;
  point.real = point.is_real ? value.real_value : static_cast<double>(value.int_value);
  return point;
}

/// The axis: `count` bins from `start`, `step` apart.
class Axis {
 public:
  Axis(AxisPoint start, AxisPoint step, bool is_real) : start_(start), step_(step), is_real_(is_real) {}

  /// The bin index of an aligned value, or -1 when it lies before the start.
  int64_t IndexOf(const AxisPoint& value) const {
    if (is_real_) {
      const double offset = (value.real - start_.real) / step_.real;
      if (offset < -0.5) return -1;
      return static_cast<int64_t>(std::llround(offset));
    }
    if (value.whole < start_.whole) return -1;
    return (value.whole - start_.whole) / step_.whole;
  }
  /// The number of bins from the start up to `stop` (exclusive, or inclusive).
  int64_t CountTo(const AxisPoint& stop, bool inclusive) const {
    if (is_real_) {
      const double span = (stop.real - start_.real) / step_.real;
      if (span < 0 || (!inclusive && span == 0)) return 0;
      const double bins = inclusive ? std::floor(span) + 1 : std::ceil(span);
      return bins > static_cast<double>(kMaxSeriesBins) ? kMaxSeriesBins + 1 : static_cast<int64_t>(bins);
    }
    if (stop.whole < start_.whole || (!inclusive && stop.whole == start_.whole)) return 0;
    // Differences of extreme ticks overflow; compute in unsigned arithmetic.
    const uint64_t span = static_cast<uint64_t>(stop.whole) - static_cast<uint64_t>(start_.whole);
    const uint64_t step = static_cast<uint64_t>(step_.whole);
    const uint64_t bins = inclusive ? span / step + 1 : (span + step - 1) / step;
    return bins > static_cast<uint64_t>(kMaxSeriesBins) ? kMaxSeriesBins + 1 : static_cast<int64_t>(bins);
  }
  Dynamic ValueAt(int64_t index, KqlType type) const {
    switch (type) {
      case KqlType::kDateTime: return DynamicValue::MakeDateTime(start_.whole + index * step_.whole);
      case KqlType::kTimeSpan: return DynamicValue::MakeTimeSpan(start_.whole + index * step_.whole);
      case KqlType::kReal:
      case KqlType::kDecimal: return DynamicValue::MakeReal(start_.real + static_cast<double>(index) * step_.real);
      default: return DynamicValue::MakeLong(start_.whole + index * step_.whole);
    }
  }

 private:
  AxisPoint start_;
  AxisPoint step_;
  bool is_real_;
};

/// Floors a value to a multiple of the step (bin()).
AxisPoint FloorToStep(const AxisPoint& value, const AxisPoint& step, bool is_real) {
  AxisPoint floored = value;
  if (is_real) {
    floored.real = std::floor(value.real / step.real) * step.real;
  } else {
    int64_t quotient = value.whole / step.whole;
    if (value.whole % step.whole != 0 && value.whole < 0) --quotient;
    floored.whole = quotient * step.whole;
  }
  return floored;
}

/// A group key as bytes, for hashing key tuples.
std::string KeyOf(const std::vector<Value>& row, size_t key_count) {
  std::string key;
  for (size_t column = 0; column < key_count; ++column) {
    const Value& value = row[column];
    key += value.is_null ? 'n' : 'v';
    key += FormatGolden(value);
    key += '\x1f';
  }
  return key;
}

Value Evaluate(const BoundExprPtr& expr, ExecutionContext& context) {
  if (expr->kind == BoundExprKind::kConstant) return expr->constant;
  return ExpressionExecutor::EvaluateConstant(*expr, context);
}

}  // namespace

Table ExecuteMakeSeries(const LogicalMakeSeries& op, const Table& input, ExecutionContext& context) {
  const bool is_real = op.axis_type == KqlType::kReal || op.axis_type == KqlType::kDecimal;
  const size_t keys = op.key_count;
  const size_t axis_column = keys;
  Table output;
  output.schema = op.schema;
  const Value step_value = Evaluate(op.step, context);
  if (step_value.is_null) return output;
  const AxisPoint step = PointOf(step_value);
  if (is_real ? !(step.real > 0) : step.whole <= 0) throw QueryError("make-series: the step must be positive");
  std::vector<std::vector<Value>> rows = input.Rows();
  // The axis bounds: the given ones, else the data's first and last bin.
  bool any = false;
  AxisPoint low;
  AxisPoint high;
  for (const auto& row : rows) {
    const Value& bin = row[axis_column];
    if (bin.is_null) continue;
    const AxisPoint point = PointOf(bin);
    const bool below = is_real ? point.real < low.real : point.whole < low.whole;
    const bool above = is_real ? point.real > high.real : point.whole > high.whole;
    if (!any || below) low = point;
    if (!any || above) high = point;
    any = true;
  }
  AxisPoint start = low;
  if (op.start) {
    const Value start_value = Evaluate(op.start, context);
    if (start_value.is_null) return output;
    start = PointOf(start_value);
    if (op.stop_inclusive) start = FloorToStep(start, step, is_real);
  } else if (!any && !op.nonempty) {
    return output;
  }
  Axis axis(start, step, is_real);
  int64_t count = 0;
  if (op.stop) {
    const Value stop_value = Evaluate(op.stop, context);
    if (stop_value.is_null) return output;
    count = axis.CountTo(PointOf(stop_value), op.stop_inclusive);
  } else if (any) {
    count = axis.CountTo(high, true);
  }
  if (count > kMaxSeriesBins) {
    throw QueryError("make-series: the axis has more than " + std::to_string(kMaxSeriesBins) + " bins");
  }
  // One output row per key combination, in order of first appearance.
  std::unordered_map<std::string, size_t> group_of;
  std::vector<std::vector<Value>> group_keys;
  std::vector<std::vector<std::vector<Dynamic>>> group_series;  // [group][aggregate][bin]
  auto new_group = [&](std::vector<Value> key_values) {
    group_keys.push_back(std::move(key_values));
    std::vector<std::vector<Dynamic>> series;
    for (const SeriesColumn& column : op.series) {
      series.emplace_back(static_cast<size_t>(count), ToDynamic(column.default_value));
    }
    group_series.push_back(std::move(series));
    return group_series.size() - 1;
  };
  for (const auto& row : rows) {
    const Value& bin = row[axis_column];
    if (bin.is_null) continue;
    const int64_t index = axis.IndexOf(PointOf(bin));
    if (index < 0 || index >= count) continue;
    const std::string key = KeyOf(row, keys);
    auto found = group_of.find(key);
    size_t group;
    if (found == group_of.end()) {
      group = new_group(std::vector<Value>(row.begin(), row.begin() + static_cast<std::ptrdiff_t>(keys)));
      group_of.emplace(key, group);
    } else {
      group = found->second;
    }
    for (size_t aggregate = 0; aggregate < op.series.size(); ++aggregate) {
      const Value& value = row[axis_column + 1 + aggregate];
      group_series[group][aggregate][static_cast<size_t>(index)] = ToDynamic(value);
    }
  }
  if (group_keys.empty() && op.nonempty && keys == 0 && count > 0) new_group({});
  std::vector<Dynamic> axis_values;
  axis_values.reserve(static_cast<size_t>(count));
  for (int64_t index = 0; index < count; ++index) axis_values.push_back(axis.ValueAt(index, op.axis_type));
  const Dynamic axis_array = DynamicValue::MakeArray(std::move(axis_values));
  std::vector<ColumnVector> columns;
  for (const ColumnDef& column : op.schema) columns.emplace_back(column.type);
  for (size_t group = 0; group < group_keys.size(); ++group) {
    for (size_t key = 0; key < keys; ++key) columns[key].AppendValue(group_keys[group][key]);
    for (size_t aggregate = 0; aggregate < op.series.size(); ++aggregate) {
      columns[keys + aggregate].AppendDynamic(DynamicValue::MakeArray(std::move(group_series[group][aggregate])));
    }
    columns.back().AppendDynamic(axis_array);
  }
  return TableFromColumns(op.schema, std::move(columns), context.chunk_size);
}

}  // namespace kql::exec
