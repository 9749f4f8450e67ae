// Element-wise series functions, fills, reductions and filters. Semantics from Kusto's documentation and engine
// answers (conformance cases):
//   - series_add/subtract/multiply keep longs when both elements are longs (wrapping); divide and pow are real;
//     a scalar argument is broadcast; a missing element (null, non-number, past the shorter array) gives null.
//   - comparisons give bools; abs and sign keep longs; the other unary functions give reals.
//   - series_fill_forward/backward keep leading/trailing gaps; fill_linear truncates to long for long input.
//   - series_fir: y[i] = sum f[k] * x[i - k (+ (m-1)/2 when centred)], outside values and nulls count as 0;
//     normalised by the coefficients' sum unless a coefficient is negative or normalize is false.
//   - series_iir: y[i] = (sum b[k] x[i-k] - sum_{k>=1} a[k] y[i-k]) / a[0].
//   - series_pearson_correlation uses population moments: cov / (sqrt(var_x) * sqrt(var_y)).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>

#include "execution/scalar/series_kernels.h"
#include "execution/layer.h"

namespace kql::exec {
namespace {

/// One element of a series argument: missing, a long, or a real.
struct Element {
  bool present = false;
  bool is_long = false;
  int64_t whole = 0;
  double real = 0;
};

/// A series argument or a scalar broadcast to every position.
class SeriesOperand {
 public:
  SeriesOperand(const KernelArg& arg, size_t row) {
    if (arg.vector->physical_type() == PhysicalType::kDynamic) {
      if (arg.IsNull(row)) return;
      const Dynamic& value = arg.DynamicAt(row);
      if (value && value->kind() == DynamicValue::Kind::kArray) {
        items_ = &value->items();
        is_array_ = true;
        return;
      }
      scalar_ = ElementOf(value.get());
      return;
    }
    if (arg.IsNull(row) || !IsNumeric(arg.type())) return;
    scalar_.present = true;
    scalar_.is_long = arg.vector->physical_type() == PhysicalType::kInt64;
    scalar_.whole = scalar_.is_long ? arg.Int(row) : 0;
    scalar_.real = arg.Real(row);
  }
  bool is_array() const { return is_array_; }
  size_t size() const { return is_array_ ? items_->size() : 0; }
  Element At(size_t index) const {
    if (!is_array_) return scalar_;
    if (index >= items_->size()) return {};
    return ElementOf((*items_)[index].get());
  }

  static Element ElementOf(const DynamicValue* value) {
    Element element;
    if (value == nullptr) return element;
    if (value->kind() == DynamicValue::Kind::kLong) {
      element.present = true;
      element.is_long = true;
      element.whole = value->int_value();
      element.real = static_cast<double>(element.whole);
    } else if (value->kind() == DynamicValue::Kind::kReal) {
      element.present = true;
      element.real = value->real_value();
    }
    return element;
  }

 private:
  const std::vector<Dynamic>* items_ = nullptr;
  bool is_array_ = false;
  Element scalar_;
};

int64_t Wrap(uint64_t value) { return static_cast<int64_t>(value); }

Dynamic BinaryElement(std::string_view function, const Element& a, const Element& b) {
  if (!a.present || !b.present) return DynamicValue::MakeNull();
  const bool longs = a.is_long && b.is_long;
  if (function == "series_add") {
    return longs ? DynamicValue::MakeLong(Wrap(static_cast<uint64_t>(a.whole) + static_cast<uint64_t>(b.whole)))
                 : DynamicValue::MakeReal(a.real + b.real);
  }
  if (function == "series_subtract") {
    return longs ? DynamicValue::MakeLong(Wrap(static_cast<uint64_t>(a.whole) - static_cast<uint64_t>(b.whole)))
                 : DynamicValue::MakeReal(a.real - b.real);
  }
  if (function == "series_multiply") {
    return longs ? DynamicValue::MakeLong(Wrap(static_cast<uint64_t>(a.whole) * static_cast<uint64_t>(b.whole)))
                 : DynamicValue::MakeReal(a.real * b.real);
  }
  if (function == "series_divide") return DynamicValue::MakeReal(a.real / b.real);
  if (function == "series_pow") return DynamicValue::MakeReal(std::pow(a.real, b.real));
  // Comparisons compare longs exactly and everything else as reals.
  int order;
  if (longs) {
    order = a.whole < b.whole ? -1 : (a.whole > b.whole ? 1 : 0);
  } else {
    if (std::isnan(a.real) || std::isnan(b.real)) return DynamicValue::MakeBool(function == "series_not_equals");
    order = a.real < b.real ? -1 : (a.real > b.real ? 1 : 0);
  }
  if (function == "series_greater") return DynamicValue::MakeBool(order > 0);
  if (function == "series_greater_equals") return DynamicValue::MakeBool(order >= 0);
  if (function == "series_less") return DynamicValue::MakeBool(order < 0);
  if (function == "series_less_equals") return DynamicValue::MakeBool(order <= 0);
  if (function == "series_equals") return DynamicValue::MakeBool(order == 0);
  return DynamicValue::MakeBool(order != 0);  // series_not_equals
}

Dynamic UnaryElement(std::string_view function, const Element& a) {
  if (!a.present) return DynamicValue::MakeNull();
  if (function == "series_abs") {
    return a.is_long ? DynamicValue::MakeLong(a.whole < 0 ? Wrap(0 - static_cast<uint64_t>(a.whole)) : a.whole)
                     : DynamicValue::MakeReal(std::fabs(a.real));
  }
  if (function == "series_sign") {
    if (a.is_long) return DynamicValue::MakeLong(a.whole > 0 ? 1 : (a.whole < 0 ? -1 : 0));
    return DynamicValue::MakeReal(a.real > 0 ? 1.0 : (a.real < 0 ? -1.0 : a.real));
  }
  double x = a.real;
  double result = x;
  if (function == "series_acos") result = std::acos(x);
  else if (function == "series_asin") result = std::asin(x);
  else if (function == "series_atan") result = std::atan(x);
  else if (function == "series_cos") result = std::cos(x);
  else if (function == "series_sin") result = std::sin(x);
  else if (function == "series_tan") result = std::tan(x);
  else if (function == "series_exp") result = std::exp(x);
  else if (function == "series_log") result = std::log(x);
  else if (function == "series_floor") result = std::floor(x);
  else if (function == "series_ceiling") result = std::ceil(x);
  return DynamicValue::MakeReal(result);
}

/// The value of an optional numeric argument, or nullopt when absent or null.
std::optional<double> OptionalNumber(std::span<const KernelArg> args, size_t index, size_t row) {
  if (index >= args.size()) return std::nullopt;
  Element element = SeriesOperand(args[index], row).At(0);
  if (!element.present) return std::nullopt;
  return element.real;
}

bool OptionalBool(std::span<const KernelArg> args, size_t index, size_t row, bool fallback) {
  if (index >= args.size() || args[index].IsNull(row)) return fallback;
  if (args[index].type() == KqlType::kBool) return args[index].Int(row) != 0;
  return fallback;
}

/// Missing: null, non-numeric, or equal to the placeholder.
bool IsMissing(const Dynamic& item, const std::optional<double>& placeholder) {
  const Element element = SeriesOperand::ElementOf(item.get());
  if (!element.present) return true;
  return placeholder && element.real == *placeholder;
}

std::vector<double> Coefficients(const KernelArg& arg, size_t row) {
  NumericSeries series = ReadSeries(arg, row);
  for (double& value : series.values) {
    if (std::isnan(value)) value = 0;
  }
  return series.values;
}

}  // namespace

NumericSeries ReadSeries(const KernelArg& arg, size_t row) {
  NumericSeries series;
  if (arg.vector->physical_type() != PhysicalType::kDynamic || arg.IsNull(row)) return series;
  const Dynamic& value = arg.DynamicAt(row);
  if (!value || value->kind() != DynamicValue::Kind::kArray) return series;
  series.valid = true;
  series.values.reserve(value->items().size());
  for (const Dynamic& item : value->items()) {
    const Element element = SeriesOperand::ElementOf(item.get());
    if (element.present && !element.is_long) series.all_integers = false;
    series.values.push_back(element.present ? element.real : std::nan(""));
  }
  return series;
}

Dynamic MakeRealArray(const std::vector<double>& values, bool nan_as_null) {
  std::vector<Dynamic> items;
  items.reserve(values.size());
  for (double value : values) {
    items.push_back(nan_as_null && std::isnan(value) ? DynamicValue::MakeNull() : DynamicValue::MakeReal(value));
  }
  return DynamicValue::MakeArray(std::move(items));
}

void SetSeriesResult(ColumnVector& out, size_t row, Dynamic value) {
  out.SetValid(row, value != nullptr);
  out.dynamics()[row] = std::move(value);
}

void SeriesBinaryKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                        ColumnVector& out) {
  const std::string& function = call.expr.function;
  for (uint32_t row : rows) {
    SeriesOperand left(args[0], row);
    SeriesOperand right(args[1], row);
    if (!left.is_array() && !right.is_array()) {
      SetSeriesResult(out, row, nullptr);
      continue;
    }
    const size_t length = std::max(left.size(), right.size());
    std::vector<Dynamic> items;
    items.reserve(length);
    for (size_t i = 0; i < length; ++i) items.push_back(BinaryElement(function, left.At(i), right.At(i)));
    SetSeriesResult(out, row, DynamicValue::MakeArray(std::move(items)));
  }
}

void SeriesUnaryKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                       ColumnVector& out) {
  const std::string& function = call.expr.function;
  for (uint32_t row : rows) {
    SeriesOperand operand(args[0], row);
    if (!operand.is_array()) {
      SetSeriesResult(out, row, nullptr);
      continue;
    }
    std::vector<Dynamic> items;
    items.reserve(operand.size());
    for (size_t i = 0; i < operand.size(); ++i) items.push_back(UnaryElement(function, operand.At(i)));
    SetSeriesResult(out, row, DynamicValue::MakeArray(std::move(items)));
  }
}

void SeriesFillKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                      ColumnVector& out) {
  const std::string& function = call.expr.function;
  for (uint32_t row : rows) {
    if (args[0].vector->physical_type() != PhysicalType::kDynamic || args[0].IsNull(row) ||
        !args[0].DynamicAt(row) || args[0].DynamicAt(row)->kind() != DynamicValue::Kind::kArray) {
      SetSeriesResult(out, row, nullptr);
      continue;
    }
    std::vector<Dynamic> items = args[0].DynamicAt(row)->items();
    const size_t n = items.size();
    if (function == "series_fill_forward" || function == "series_fill_backward") {
      const std::optional<double> placeholder = OptionalNumber(args, 1, row);
      if (function == "series_fill_forward") {
        for (size_t i = 1; i < n; ++i) {
          if (IsMissing(items[i], placeholder) && !IsMissing(items[i - 1], placeholder)) items[i] = items[i - 1];
        }
      } else {
        for (size_t i = n; i-- > 1;) {
          if (IsMissing(items[i - 1], placeholder) && !IsMissing(items[i], placeholder)) items[i - 1] = items[i];
        }
      }
    } else if (function == "series_fill_const") {
      const std::optional<double> placeholder = OptionalNumber(args, 2, row);
      Element constant = SeriesOperand(args[1], row).At(0);
      const Dynamic replacement = !constant.present ? DynamicValue::MakeNull()
                                  : constant.is_long ? DynamicValue::MakeLong(constant.whole)
                                                     : DynamicValue::MakeReal(constant.real);
      for (Dynamic& item : items) {
        if (IsMissing(item, placeholder)) item = replacement;
      }
    } else {  // series_fill_linear
      const std::optional<double> placeholder = OptionalNumber(args, 1, row);
      const bool fill_edges = OptionalBool(args, 2, row, true);
      const std::optional<double> constant = OptionalNumber(args, 3, row);
      bool integers = true;
      std::vector<size_t> known;
      for (size_t i = 0; i < n; ++i) {
        if (IsMissing(items[i], placeholder)) continue;
        known.push_back(i);
        if (items[i]->kind() != DynamicValue::Kind::kLong) integers = false;
      }
      auto value_at = [&](size_t i) { return SeriesOperand::ElementOf(items[i].get()).real; };
      auto make = [&](double value) {
        return integers ? DynamicValue::MakeLong(static_cast<int64_t>(value)) : DynamicValue::MakeReal(value);
      };
      std::vector<Dynamic> filled = items;
      if (known.empty()) {
        // A series without any value becomes the constant (0.0 by default, as documented).
        for (Dynamic& item : filled) item = DynamicValue::MakeReal(constant.value_or(0.0));
      } else {
        for (size_t k = 0; k + 1 < known.size(); ++k) {
          const size_t a = known[k];
          const size_t b = known[k + 1];
          for (size_t i = a + 1; i < b; ++i) {
            const double t = static_cast<double>(i - a) / static_cast<double>(b - a);
            filled[i] = make(value_at(a) + (value_at(b) - value_at(a)) * t);
          }
        }
        if (fill_edges) {
          for (size_t i = 0; i < known.front(); ++i) filled[i] = items[known.front()];
          for (size_t i = known.back() + 1; i < n; ++i) filled[i] = items[known.back()];
        }
      }
      items = std::move(filled);
    }
    SetSeriesResult(out, row, DynamicValue::MakeArray(std::move(items)));
  }
}

void SeriesReduceKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                        ColumnVector& out) {
  const std::string& function = call.expr.function;
  for (uint32_t row : rows) {
    NumericSeries series = ReadSeries(args[0], row);
    if (!series.valid) {
      out.SetValid(row, false);
      continue;
    }
    double result = function == "series_product" ? 1.0 : 0.0;
    for (double value : series.values) {
      if (std::isnan(value)) continue;
      if (function == "series_sum") result += value;
      else if (function == "series_product") result *= value;
      else result += value * value;  // series_magnitude
    }
    SetReal(out, row, function == "series_magnitude" ? std::sqrt(result) : result);
  }
}

void SeriesPairKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                      ColumnVector& out) {
  const std::string& function = call.expr.function;
  for (uint32_t row : rows) {
    SeriesOperand left(args[0], row);
    SeriesOperand right(args[1], row);
    if (!left.is_array() && !right.is_array()) {
      out.SetValid(row, false);
      continue;
    }
    const size_t length = left.is_array() && right.is_array() ? std::min(left.size(), right.size())
                                                               : std::max(left.size(), right.size());
    std::vector<std::pair<double, double>> pairs;
    for (size_t i = 0; i < length; ++i) {
      const Element a = left.At(i);
      const Element b = right.At(i);
      if (a.present && b.present) pairs.emplace_back(a.real, b.real);
    }
    double dot = 0;
    double left_squares = 0;
    double right_squares = 0;
    for (const auto& [a, b] : pairs) {
      dot += a * b;
      left_squares += a * a;
      right_squares += b * b;
    }
    if (function == "series_dot_product") {
      SetReal(out, row, dot);
    } else if (function == "series_cosine_similarity") {
      const std::optional<double> magnitude1 = OptionalNumber(args, 2, row);
      const std::optional<double> magnitude2 = OptionalNumber(args, 3, row);
      const double norm1 = magnitude1 ? *magnitude1 : std::sqrt(left_squares);
      const double norm2 = magnitude2 ? *magnitude2 : std::sqrt(right_squares);
      SetReal(out, row, dot / (norm1 * norm2));
    } else {  // series_pearson_correlation
      const double n = static_cast<double>(pairs.size());
      if (pairs.empty()) {
        out.SetValid(row, false);
        continue;
      }
      double mean_a = 0;
      double mean_b = 0;
      for (const auto& [a, b] : pairs) {
        mean_a += a;
        mean_b += b;
      }
      mean_a /= n;
      mean_b /= n;
      double covariance = 0;
      double variance_a = 0;
      double variance_b = 0;
      for (const auto& [a, b] : pairs) {
        covariance += (a - mean_a) * (b - mean_b);
        variance_a += (a - mean_a) * (a - mean_a);
        variance_b += (b - mean_b) * (b - mean_b);
      }
      SetReal(out, row, (covariance / n) / (std::sqrt(variance_a / n) * std::sqrt(variance_b / n)));
    }
  }
}

void SeriesFilterKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                        ColumnVector& out) {
  const bool fir = call.expr.function == "series_fir";
  for (uint32_t row : rows) {
    NumericSeries series = ReadSeries(args[0], row);
    if (!series.valid) {
      SetSeriesResult(out, row, nullptr);
      continue;
    }
    std::vector<double>& x = series.values;
    for (double& value : x) {
      if (std::isnan(value)) value = 0;
    }
    const size_t n = x.size();
    std::vector<double> y(n, 0.0);
    if (fir) {
      std::vector<double> filter = Coefficients(args[1], row);
      const bool negative = std::any_of(filter.begin(), filter.end(), [](double c) { return c < 0; });
      const bool normalize = OptionalBool(args, 2, row, !negative);
      const bool center = OptionalBool(args, 3, row, false);
      if (normalize) {
        const double sum = std::accumulate(filter.begin(), filter.end(), 0.0);
        if (sum == 0) {
          SetSeriesResult(out, row, nullptr);
          continue;
        }
        for (double& c : filter) c /= sum;
      }
      const int64_t offset = center ? (static_cast<int64_t>(filter.size()) - 1) / 2 : 0;
      for (size_t i = 0; i < n; ++i) {
        double sum = 0;
        for (size_t k = 0; k < filter.size(); ++k) {
          const int64_t source = static_cast<int64_t>(i) - static_cast<int64_t>(k) + offset;
          if (source >= 0 && source < static_cast<int64_t>(n)) sum += filter[k] * x[static_cast<size_t>(source)];
        }
        y[i] = sum;
      }
    } else {
      const std::vector<double> numerators = Coefficients(args[1], row);
      const std::vector<double> denominators = Coefficients(args[2], row);
      if (denominators.empty() || denominators[0] == 0) {
        SetSeriesResult(out, row, nullptr);
        continue;
      }
      for (size_t i = 0; i < n; ++i) {
        double sum = 0;
        for (size_t k = 0; k < numerators.size() && k <= i; ++k) sum += numerators[k] * x[i - k];
        for (size_t k = 1; k < denominators.size() && k <= i; ++k) sum -= denominators[k] * y[i - k];
        y[i] = sum / denominators[0];
      }
    }
    SetSeriesResult(out, row, MakeRealArray(y, false));
  }
}

}  // namespace kql::exec
