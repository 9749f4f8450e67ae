// Series statistics, regression, outliers, periods and decomposition, following Kusto's documented algorithms:
//   - series_stats: min/max (first index), avg, sample stdev/variance over the present elements.
//   - series_fit_line: least squares over x = 1..n; variance is the sample variance of y, rvariance the residuals'
//     sum of squares / (n - 1) (both checked against the documented example).
//   - series_fit_2lines: the split (each side at least two points) with the least total squared residual.
//   - series_outliers: Tukey fences on the 25/75 ("tukey") or 10/90 ("ctukey", default) percentiles (linear
//     interpolation between ranks); score (x - high) / range above, (x - low) / range below, else 0.
//   - periods: the normalised autocorrelation of the mean-removed series at each candidate period; detected
//     periods are its local maxima, strongest first (an approximation of Kusto's detector, see
//     docs/compatibility.md).
//   - series_decompose: seasonal = per-phase median, trend of the deseasonalised series ('avg' default,
//     'linefit', 'none'), baseline = seasonal + trend, residual = x - baseline; the last test_points are left out
//     of learning and extrapolated. series_decompose_anomalies scores the residuals with series_outliers' method.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <string>

#include "execution/scalar/series_kernels.h"
#include "execution/layer.h"

namespace kql::exec {
namespace {

using Member = DynamicValue::Member;

double OptionalReal(std::span<const KernelArg> args, size_t index, size_t row, double fallback) {
  if (index >= args.size() || args[index].IsNull(row)) return fallback;
  if (args[index].vector->physical_type() == PhysicalType::kDynamic) {
    const Dynamic& value = args[index].DynamicAt(row);
    if (!value) return fallback;
    if (value->kind() == DynamicValue::Kind::kLong) return static_cast<double>(value->int_value());
    if (value->kind() == DynamicValue::Kind::kReal) return value->real_value();
    return fallback;
  }
  if (!IsNumeric(args[index].type())) return fallback;
  return args[index].Real(row);
}

std::string OptionalText(std::span<const KernelArg> args, size_t index, size_t row, std::string fallback) {
  if (index >= args.size() || args[index].IsNull(row) || args[index].type() != KqlType::kString) return fallback;
  std::string text(args[index].String(row));
  return text.empty() ? fallback : text;
}

Dynamic Real(double value) { return std::isnan(value) ? DynamicValue::MakeNull() : DynamicValue::MakeReal(value); }

/// Least-squares line over points (x, y).
struct LineFit {
  double slope = 0;
  double interception = 0;
  double rsquare = 0;
  double variance = 0;   ///< Sample variance of y.
  double rvariance = 0;  ///< Residual sum of squares / (n - 1).
  double residual_squares = 0;
  double total_squares = 0;
};

LineFit FitLine(const std::vector<double>& xs, const std::vector<double>& ys) {
  LineFit fit;
  const double n = static_cast<double>(ys.size());
  if (ys.empty()) {
    fit.slope = fit.interception = fit.rsquare = fit.variance = fit.rvariance = std::nan("");
    return fit;
  }
  const double mean_x = std::accumulate(xs.begin(), xs.end(), 0.0) / n;
  const double mean_y = std::accumulate(ys.begin(), ys.end(), 0.0) / n;
  double sxy = 0;
  double sxx = 0;
  for (size_t i = 0; i < ys.size(); ++i) {
    sxy += (xs[i] - mean_x) * (ys[i] - mean_y);
    sxx += (xs[i] - mean_x) * (xs[i] - mean_x);
    fit.total_squares += (ys[i] - mean_y) * (ys[i] - mean_y);
  }
  fit.slope = sxx == 0 ? 0 : sxy / sxx;
  fit.interception = mean_y - fit.slope * mean_x;
  for (size_t i = 0; i < ys.size(); ++i) {
    const double residual = ys[i] - (fit.interception + fit.slope * xs[i]);
    fit.residual_squares += residual * residual;
  }
  const double dof = ys.size() > 1 ? n - 1 : 1;
  fit.variance = fit.total_squares / dof;
  fit.rvariance = fit.residual_squares / dof;
  fit.rsquare = fit.total_squares == 0 ? 1.0 : 1 - fit.residual_squares / fit.total_squares;
  return fit;
}

/// The present points of a series as (position + 1, value).
void PresentPoints(const std::vector<double>& values, size_t begin, size_t end, std::vector<double>& xs,
                   std::vector<double>& ys) {
  xs.clear();
  ys.clear();
  for (size_t i = begin; i < end; ++i) {
    if (std::isnan(values[i])) continue;
    xs.push_back(static_cast<double>(i + 1));
    ys.push_back(values[i]);
  }
}

std::vector<Member> FitMembers(const LineFit& fit, bool with_slope) {
  std::vector<Member> members = {{"rsquare", Real(fit.rsquare)}};
  if (with_slope) members.emplace_back("slope", Real(fit.slope));
  members.emplace_back("interception", Real(fit.interception));
  members.emplace_back("variance", Real(fit.variance));
  members.emplace_back("rvariance", Real(fit.rvariance));
  return members;
}

/// Percentile by linear interpolation between ranks over sorted values.
double InterpolatedPercentile(const std::vector<double>& sorted, double percent) {
  if (sorted.empty()) return std::nan("");
  const double position = percent / 100.0 * static_cast<double>(sorted.size() - 1);
  const size_t below = static_cast<size_t>(std::floor(position));
  const size_t above = std::min(below + 1, sorted.size() - 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - static_cast<double>(below));
}

/// Tukey-fence scores: 0 inside [low, high], else the distance beyond the fence in units of (high - low).
std::vector<double> OutlierScores(const std::vector<double>& values, double low_percent, double high_percent,
                                  std::optional<double> ignore) {
  std::vector<double> sorted;
  for (double value : values) {
    if (!std::isnan(value) && !(ignore && value == *ignore)) sorted.push_back(value);
  }
  std::sort(sorted.begin(), sorted.end());
  std::vector<double> scores(values.size(), 0.0);
  if (sorted.empty()) return scores;
  const double low = InterpolatedPercentile(sorted, low_percent);
  const double high = InterpolatedPercentile(sorted, high_percent);
  // A flat range would divide by zero; a tiny floor keeps spikes in flat series visible.
  const double range = std::max(high - low, 1e-6);
  for (size_t i = 0; i < values.size(); ++i) {
    const double value = values[i];
    if (std::isnan(value) || (ignore && value == *ignore)) continue;
    if (value > high) scores[i] = (value - high) / range;
    else if (value < low) scores[i] = (value - low) / range;
  }
  return scores;
}

/// Normalised autocorrelation of a series (missing values replaced by the mean) at a lag.
class Autocorrelation {
 public:
  explicit Autocorrelation(const std::vector<double>& values) {
    double sum = 0;
    size_t present = 0;
    for (double value : values) {
      if (std::isnan(value)) continue;
      sum += value;
      ++present;
    }
    const double mean = present == 0 ? 0 : sum / static_cast<double>(present);
    centred_.reserve(values.size());
    for (double value : values) centred_.push_back(std::isnan(value) ? 0.0 : value - mean);
    for (double value : centred_) energy_ += value * value;
  }
  double At(size_t lag) const {
    if (energy_ == 0 || lag == 0 || lag >= centred_.size()) return 0;
    double sum = 0;
    for (size_t i = 0; i + lag < centred_.size(); ++i) sum += centred_[i] * centred_[i + lag];
    // Rescaled for the shorter overlap so long lags are not penalised.
    return sum / energy_ * static_cast<double>(centred_.size()) / static_cast<double>(centred_.size() - lag);
  }
  size_t size() const { return centred_.size(); }

 private:
  std::vector<double> centred_;
  double energy_ = 0;
};

/// The strongest periods in [min_period, max_period]: local autocorrelation maxima, strongest first.
std::vector<std::pair<double, double>> DetectPeriods(const std::vector<double>& values, double min_period,
                                                     double max_period, size_t count) {
  Autocorrelation acf(values);
  const size_t n = acf.size();
  const size_t low = static_cast<size_t>(std::max(2.0, std::ceil(min_period)));
  const size_t high = static_cast<size_t>(std::min(std::floor(max_period), static_cast<double>(n / 2)));
  std::vector<std::pair<double, double>> found;  // (score, period)
  for (size_t lag = low; lag <= high; ++lag) {
    const double score = acf.At(lag);
    if (score <= 0) continue;
    if (acf.At(lag - 1) > score || (lag + 1 < n && acf.At(lag + 1) > score)) continue;
    found.emplace_back(std::min(score, 1.0), static_cast<double>(lag));
  }
  std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  if (found.size() > count) found.resize(count);
  return found;
}

/// Series shorter than this are not searched for a season (chosen so the documented series_seasonal examples hold:
/// 12 points give no season, 20 points give period 5).
constexpr size_t kMinPointsForSeason = 16;

/// The autodetected season length (0 when none scores above the threshold); at least four cycles are needed.
size_t AutoPeriod(const std::vector<double>& values, double threshold) {
  if (values.size() < kMinPointsForSeason) return 0;
  const auto found = DetectPeriods(values, 2, static_cast<double>(values.size()) / 4.0, 1);
  if (found.empty() || found[0].first < threshold) return 0;
  return static_cast<size_t>(found[0].second);
}

/// Per-phase medians of the learning points, repeated over `length` points.
std::vector<double> SeasonalComponent(const std::vector<double>& values, size_t learn, size_t period,
                                      size_t length) {
  std::vector<double> seasonal(length, 0.0);
  if (period < 2) return seasonal;
  std::vector<double> medians(period, 0.0);
  for (size_t phase = 0; phase < period; ++phase) {
    std::vector<double> points;
    for (size_t i = phase; i < learn; i += period) {
      if (!std::isnan(values[i])) points.push_back(values[i]);
    }
    if (points.empty()) continue;
    std::sort(points.begin(), points.end());
    const size_t middle = points.size() / 2;
    medians[phase] = points.size() % 2 ? points[middle] : (points[middle - 1] + points[middle]) / 2;
  }
  for (size_t i = 0; i < length; ++i) seasonal[i] = medians[i % period];
  return seasonal;
}

struct Decomposition {
  std::vector<double> baseline;
  std::vector<double> seasonal;
  std::vector<double> trend;
  std::vector<double> residual;
};

Decomposition Decompose(const std::vector<double>& values, double seasonality, const std::string& trend_kind,
                        size_t test_points, double threshold, size_t length) {
  const size_t n = values.size();
  const size_t learn = n > test_points ? n - test_points : 0;
  std::vector<double> learning(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(learn));
  size_t period = 0;
  if (seasonality < 0) period = AutoPeriod(learning, threshold);
  else if (seasonality >= 2) period = static_cast<size_t>(seasonality);
  Decomposition result;
  result.seasonal = SeasonalComponent(values, learn, period, length);
  std::vector<double> deseasonal(learn);
  for (size_t i = 0; i < learn; ++i) deseasonal[i] = values[i] - result.seasonal[i];
  result.trend.assign(length, 0.0);
  if (trend_kind == "linefit") {
    std::vector<double> xs;
    std::vector<double> ys;
    PresentPoints(deseasonal, 0, learn, xs, ys);
    const LineFit fit = FitLine(xs, ys);
    for (size_t i = 0; i < length; ++i) {
      result.trend[i] = ys.empty() ? 0 : fit.interception + fit.slope * static_cast<double>(i + 1);
    }
  } else if (trend_kind == "avg") {
    double sum = 0;
    size_t present = 0;
    for (double value : deseasonal) {
      if (std::isnan(value)) continue;
      sum += value;
      ++present;
    }
    result.trend.assign(length, present == 0 ? 0 : sum / static_cast<double>(present));
  }
  result.baseline.resize(length);
  result.residual.resize(length);
  for (size_t i = 0; i < length; ++i) {
    result.baseline[i] = result.seasonal[i] + result.trend[i];
    result.residual[i] = i < n && !std::isnan(values[i]) ? values[i] - result.baseline[i] : std::nan("");
  }
  return result;
}

}  // namespace

void SeriesStatsKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                       ColumnVector& out) {
  const bool dynamic_form = call.expr.function == "series_stats_dynamic";
  for (uint32_t row : rows) {
    NumericSeries series = ReadSeries(args[0], row);
    if (!series.valid) {
      SetSeriesResult(out, row, nullptr);
      continue;
    }
    double sum = 0;
    size_t count = 0;
    int64_t min_index = -1;
    int64_t max_index = -1;
    const auto& values = series.values;
    for (size_t i = 0; i < values.size(); ++i) {
      if (std::isnan(values[i]) || std::isinf(values[i])) continue;
      sum += values[i];
      ++count;
      if (min_index < 0 || values[i] < values[static_cast<size_t>(min_index)]) min_index = static_cast<int64_t>(i);
      if (max_index < 0 || values[i] > values[static_cast<size_t>(max_index)]) max_index = static_cast<int64_t>(i);
    }
    const double mean = count == 0 ? std::nan("") : sum / static_cast<double>(count);
    // (n * sum(x^2) - sum(x)^2) / (n * (n - 1)): the form whose rounding matches the documented example.
    double squares = 0;
    for (double value : values) {
      if (!std::isnan(value) && !std::isinf(value)) squares += value * value;
    }
    const double n = static_cast<double>(count);
    const double variance = count == 0 ? std::nan("") : (count == 1 ? 0.0 : (n * squares - sum * sum) / (n * (n - 1)));
    std::vector<Member> members;
    members.emplace_back("min", min_index < 0 ? DynamicValue::MakeNull() : Real(values[static_cast<size_t>(min_index)]));
    members.emplace_back("min_idx", min_index < 0 ? DynamicValue::MakeNull() : DynamicValue::MakeLong(min_index));
    members.emplace_back("max", max_index < 0 ? DynamicValue::MakeNull() : Real(values[static_cast<size_t>(max_index)]));
    members.emplace_back("max_idx", max_index < 0 ? DynamicValue::MakeNull() : DynamicValue::MakeLong(max_index));
    members.emplace_back("avg", Real(mean));
    members.emplace_back("stdev", Real(std::sqrt(variance)));
    members.emplace_back("variance", Real(variance));
    if (dynamic_form) {
      members.emplace_back("sum", DynamicValue::MakeReal(sum));
      members.emplace_back("len", DynamicValue::MakeLong(static_cast<int64_t>(values.size())));
    }
    SetSeriesResult(out, row, DynamicValue::MakeObject(std::move(members)));
  }
}

void SeriesFitKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                     ColumnVector& out) {
  const std::string& function = call.expr.function;
  const bool two_lines = function.find("2lines") != std::string::npos;
  const bool dynamic_form = function.ends_with("_dynamic");
  std::vector<double> xs;
  std::vector<double> ys;
  for (uint32_t row : rows) {
    NumericSeries series = ReadSeries(args[0], row);
    if (!series.valid) {
      SetSeriesResult(out, row, nullptr);
      continue;
    }
    const auto& values = series.values;
    const size_t n = values.size();
    if (!two_lines) {
      PresentPoints(values, 0, n, xs, ys);
      const LineFit fit = FitLine(xs, ys);
      std::vector<double> line(n);
      for (size_t i = 0; i < n; ++i) line[i] = fit.interception + fit.slope * static_cast<double>(i + 1);
      std::vector<Member> members = {{"rsquare", Real(fit.rsquare)},         {"slope", Real(fit.slope)},
                                     {"variance", Real(fit.variance)},       {"rvariance", Real(fit.rvariance)},
                                     {"interception", Real(fit.interception)}, {"line_fit", MakeRealArray(line, true)}};
      SetSeriesResult(out, row, DynamicValue::MakeObject(std::move(members)));
      continue;
    }
    // Two lines: try every split with at least two points on each side.
    PresentPoints(values, 0, n, xs, ys);
    const LineFit whole = FitLine(xs, ys);
    size_t best_split = 0;
    double best_squares = std::numeric_limits<double>::infinity();
    LineFit best_left;
    LineFit best_right;
    std::vector<double> left_x;
    std::vector<double> left_y;
    std::vector<double> right_x;
    std::vector<double> right_y;
    for (size_t split = 2; split + 2 <= n; ++split) {
      PresentPoints(values, 0, split, left_x, left_y);
      PresentPoints(values, split, n, right_x, right_y);
      if (left_y.size() < 2 || right_y.size() < 2) continue;
      const LineFit left = FitLine(left_x, left_y);
      const LineFit right = FitLine(right_x, right_y);
      const double squares = left.residual_squares + right.residual_squares;
      if (squares < best_squares) {
        best_squares = squares;
        best_split = split;
        best_left = left;
        best_right = right;
      }
    }
    if (best_split == 0) {
      best_left = best_right = whole;
      best_squares = whole.residual_squares;
    }
    std::vector<double> line(n);
    for (size_t i = 0; i < n; ++i) {
      const LineFit& side = i < best_split ? best_left : best_right;
      line[i] = side.interception + side.slope * static_cast<double>(i + 1);
    }
    const double dof = ys.size() > 1 ? static_cast<double>(ys.size() - 1) : 1.0;
    const double rsquare = whole.total_squares == 0 ? 1.0 : 1 - best_squares / whole.total_squares;
    std::vector<Member> members = {{"rsquare", Real(rsquare)},
                                   {"split_idx", DynamicValue::MakeLong(static_cast<int64_t>(best_split))},
                                   {"variance", Real(whole.variance)},
                                   {"rvariance", Real(best_squares / dof)},
                                   {"line_fit", MakeRealArray(line, true)}};
    const std::pair<const char*, const LineFit*> sides[] = {{"right", &best_right}, {"left", &best_left}};
    for (const auto& [side, fit] : sides) {
      const std::vector<Member> side_members = {{"rsquare", Real(fit->rsquare)},
                                                {"slope", Real(fit->slope)},
                                                {"interception", Real(fit->interception)},
                                                {"variance", Real(fit->variance)},
                                                {"rvariance", Real(fit->rvariance)}};
      if (dynamic_form) {
        members.emplace_back(side, DynamicValue::MakeObject(side_members));
      } else {
        for (const Member& member : side_members) members.emplace_back(std::string(side) + "_" + member.first, member.second);
      }
    }
    SetSeriesResult(out, row, DynamicValue::MakeObject(std::move(members)));
  }
}

void SeriesOutliersKernel(const KernelCall&, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                          ColumnVector& out) {
  for (uint32_t row : rows) {
    NumericSeries series = ReadSeries(args[0], row);
    if (!series.valid) {
      SetSeriesResult(out, row, nullptr);
      continue;
    }
    const std::string kind = OptionalText(args, 1, row, "ctukey");
    if (kind != "ctukey" && kind != "tukey") throw QueryError("series_outliers: unknown kind '" + kind + "'");
    const double ignore = OptionalReal(args, 2, row, std::nan(""));
    double low = kind == "tukey" ? 25 : OptionalReal(args, 3, row, 10);
    double high = kind == "tukey" ? 75 : OptionalReal(args, 4, row, 90);
    if (low < 2 || high > 98 || low >= high) {
      throw QueryError("series_outliers: the percentiles must be within [2, 98] and the minimum below the maximum");
    }
    const auto scores = OutlierScores(series.values, low, high,
                                      std::isnan(ignore) ? std::nullopt : std::optional<double>(ignore));
    SetSeriesResult(out, row, MakeRealArray(scores, false));
  }
}

void SeriesPeriodsKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                         ColumnVector& out) {
  const std::string& function = call.expr.function;
  for (uint32_t row : rows) {
    NumericSeries series = ReadSeries(args[0], row);
    if (!series.valid) {
      SetSeriesResult(out, row, nullptr);
      continue;
    }
    std::vector<double> periods;
    std::vector<double> scores;
    if (function == "series_seasonal") {
      const double period_argument = OptionalReal(args, 1, row, -1);
      const size_t period = period_argument < 0 ? AutoPeriod(series.values, 0.6)
                                                : static_cast<size_t>(std::max(0.0, period_argument));
      SetSeriesResult(out, row,
                      MakeRealArray(SeasonalComponent(series.values, series.values.size(), period,
                                                      series.values.size()),
                                    false));
      continue;
    }
    if (function == "series_periods_detect") {
      const double min_period = OptionalReal(args, 1, row, 0);
      const double max_period = OptionalReal(args, 2, row, static_cast<double>(series.values.size()) / 2);
      const auto count = static_cast<size_t>(std::max(1.0, OptionalReal(args, 3, row, 1)));
      for (const auto& [score, period] : DetectPeriods(series.values, min_period, max_period, count)) {
        periods.push_back(period);
        scores.push_back(score);
      }
      while (periods.size() < count) {
        periods.push_back(0);
        scores.push_back(0);
      }
    } else {  // series_periods_validate
      Autocorrelation acf(series.values);
      for (size_t index = 1; index < args.size(); ++index) {
        const double period = OptionalReal(args, index, row, 0);
        periods.push_back(period);
        const double lag = std::round(period);
        scores.push_back(lag >= 2 ? std::clamp(acf.At(static_cast<size_t>(lag)), 0.0, 1.0) : 0.0);
      }
    }
    std::vector<Member> members = {{"periods", MakeRealArray(periods, false)}, {"scores", MakeRealArray(scores, false)}};
    SetSeriesResult(out, row, DynamicValue::MakeObject(std::move(members)));
  }
}

void SeriesDecomposeKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                           ColumnVector& out) {
  const std::string& function = call.expr.function;
  for (uint32_t row : rows) {
    NumericSeries series = ReadSeries(args[0], row);
    if (!series.valid) {
      SetSeriesResult(out, row, nullptr);
      continue;
    }
    const auto& values = series.values;
    const size_t n = values.size();
    if (function == "series_decompose") {
      const Decomposition parts = Decompose(values, OptionalReal(args, 1, row, -1), OptionalText(args, 2, row, "avg"),
                                            static_cast<size_t>(std::max(0.0, OptionalReal(args, 3, row, 0))),
                                            OptionalReal(args, 4, row, 0.6), n);
      std::vector<Member> members = {{"baseline", MakeRealArray(parts.baseline, true)},
                                     {"seasonal", MakeRealArray(parts.seasonal, true)},
                                     {"trend", MakeRealArray(parts.trend, true)},
                                     {"residual", MakeRealArray(parts.residual, true)}};
      SetSeriesResult(out, row, DynamicValue::MakeObject(std::move(members)));
    } else if (function == "series_decompose_forecast") {
      const auto points = static_cast<size_t>(std::max(0.0, OptionalReal(args, 1, row, 0)));
      const Decomposition parts = Decompose(values, OptionalReal(args, 2, row, -1),
                                            OptionalText(args, 3, row, "linefit"), points,
                                            OptionalReal(args, 4, row, 0.6), n);
      SetSeriesResult(out, row, MakeRealArray(parts.baseline, true));
    } else {  // series_decompose_anomalies
      const double threshold = OptionalReal(args, 1, row, 1.5);
      const Decomposition parts =
          Decompose(values, OptionalReal(args, 2, row, -1), OptionalText(args, 3, row, "linefit"),
                    static_cast<size_t>(std::max(0.0, OptionalReal(args, 4, row, 0))), OptionalReal(args, 6, row, 0.6),
                    n);
      const std::string method = OptionalText(args, 5, row, "ctukey");
      if (method != "ctukey" && method != "tukey") {
        throw QueryError("series_decompose_anomalies: unknown method '" + method + "'");
      }
      const auto scores = OutlierScores(parts.residual, method == "tukey" ? 25 : 10, method == "tukey" ? 75 : 90,
                                        std::nullopt);
      std::vector<Dynamic> flags;
      flags.reserve(n);
      for (double score : scores) flags.push_back(DynamicValue::MakeLong(score > threshold ? 1 : (score < -threshold ? -1 : 0)));
      std::vector<Member> members = {{"ad_flag", DynamicValue::MakeArray(std::move(flags))},
                                     {"ad_score", MakeRealArray(scores, false)},
                                     {"baseline", MakeRealArray(parts.baseline, true)}};
      SetSeriesResult(out, row, DynamicValue::MakeObject(std::move(members)));
    }
  }
}

}  // namespace kql::exec
