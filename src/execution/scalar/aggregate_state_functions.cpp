// Readers of aggregation states: dcount_hll(hll) counts the distinct values an hll/hll_merge state holds;
// percentile_tdigest(state, p) and percentiles_array_tdigest(state, p1, ...) take nearest-rank percentiles of the
// values a tdigest/tdigest_merge state holds; hll_merge(h1, h2, ...) and tdigest_merge(t1, ...) merge states. kqlite's states are exact (see docs/compatibility.md).
#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_set>

#include "execution/scalar/series_kernels.h"
#include "execution/layer.h"

namespace kql::exec {

namespace {

/// The percentiles requested by arguments 1.. (numbers, or one dynamic array of numbers).
std::vector<double> RequestedPercents(std::span<const KernelArg> args, size_t row, size_t first, size_t last) {
  std::vector<double> percents;
  for (size_t index = first; index < last && index < args.size(); ++index) {
    const KernelArg& arg = args[index];
    if (arg.IsNull(row)) continue;
    if (arg.vector->physical_type() == PhysicalType::kDynamic) {
      NumericSeries series = ReadSeries(arg, row);
      for (double value : series.values) {
        if (!std::isnan(value)) percents.push_back(value);
      }
      continue;
    }
    if (IsNumeric(arg.type())) percents.push_back(arg.Real(row));
  }
  return percents;
}

bool IsWhole(const DynamicValue& value) {
  return value.kind() == DynamicValue::Kind::kLong || value.kind() == DynamicValue::Kind::kDateTime ||
         value.kind() == DynamicValue::Kind::kTimeSpan;
}

bool IsOrderable(const DynamicValue& value) {
  return IsWhole(value) || (value.kind() == DynamicValue::Kind::kReal && !std::isnan(value.real_value()));
}

bool OrderLess(const DynamicValue& a, const DynamicValue& b) {
  if (IsWhole(a) && IsWhole(b)) return a.int_value() < b.int_value();
  const double left = IsWhole(a) ? static_cast<double>(a.int_value()) : a.real_value();
  const double right = IsWhole(b) ? static_cast<double>(b.int_value()) : b.real_value();
  return left < right;
}

/// The element at nearest rank ceil(p/100 * n) (at least 1) of sorted values; null when there are none.
Dynamic NearestRankItem(const std::vector<Dynamic>& sorted, double percent) {
  if (sorted.empty()) return DynamicValue::MakeNull();
  auto rank = static_cast<int64_t>(std::ceil(percent / 100.0 * static_cast<double>(sorted.size())));
  rank = std::clamp<int64_t>(rank, 1, static_cast<int64_t>(sorted.size()));
  return sorted[static_cast<size_t>(rank - 1)];
}

}  // namespace

void AggregateStateKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                          ColumnVector& out) {
  const std::string& function = call.expr.function;
  for (uint32_t row : rows) {
    if (function == "hll_merge" || function == "tdigest_merge") {
      // Scalar merge of several states: the union (hll) or concatenation (tdigest) of their arrays.
      std::vector<Dynamic> items;
      std::unordered_set<std::string> seen;
      for (const KernelArg& arg : args) {
        if (arg.vector->physical_type() != PhysicalType::kDynamic || arg.IsNull(row) || !arg.DynamicAt(row) ||
            arg.DynamicAt(row)->kind() != DynamicValue::Kind::kArray) {
          continue;
        }
        for (const Dynamic& item : arg.DynamicAt(row)->items()) {
          if (function == "hll_merge" && !seen.insert(ToJson(*item)).second) continue;
          items.push_back(item);
        }
      }
      SetSeriesResult(out, row, DynamicValue::MakeArray(std::move(items)));
      continue;
    }
    const KernelArg& state = args[0];
    const bool is_array = state.vector->physical_type() == PhysicalType::kDynamic && !state.IsNull(row) &&
                          state.DynamicAt(row) && state.DynamicAt(row)->kind() == DynamicValue::Kind::kArray;
    if (!is_array) {
      if (function == "dcount_hll") {
        out.SetValid(row, false);
      } else {
        SetSeriesResult(out, row, nullptr);
      }
      continue;
    }
    if (function == "dcount_hll") {
      SetInt(out, row, static_cast<int64_t>(state.DynamicAt(row)->items().size()));
      continue;
    }
    // The state's values in order; longs, datetimes and timespans compare exactly, the result keeps its kind.
    std::vector<Dynamic> sorted;
    for (const Dynamic& item : state.DynamicAt(row)->items()) {
      if (IsOrderable(*item)) sorted.push_back(item);
    }
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const Dynamic& a, const Dynamic& b) { return OrderLess(*a, *b); });
    if (function == "percentile_tdigest") {
      const std::vector<double> percents = RequestedPercents(args, row, 1, 2);
      SetSeriesResult(out, row, NearestRankItem(sorted, percents.empty() ? 50.0 : percents[0]));
      continue;
    }
    std::vector<Dynamic> items;
    for (double percent : RequestedPercents(args, row, 1, args.size())) items.push_back(NearestRankItem(sorted, percent));
    SetSeriesResult(out, row, DynamicValue::MakeArray(std::move(items)));
  }
}

}  // namespace kql::exec
