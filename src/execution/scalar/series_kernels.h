// Series kernels: the series_* functions over dynamic numeric arrays (element-wise arithmetic, fills, filters,
// statistics, regression, outliers, seasonality and decomposition). Functions that Kusto expands into several
// columns (series_stats, series_fit_line, series_decompose_anomalies...) return a property bag here; the binder
// splits it into the columns (see binder/bind_multi_output.cpp). Registered in scalar_function_registry.cpp.
#pragma once
#include <cmath>
#include <span>
#include <vector>

#include "execution/scalar/scalar_kernel.h"
#include "execution/layer.h"

namespace kql::exec {

/// A numeric series read from a dynamic array: NaN marks missing (null or non-numeric) elements.
struct NumericSeries {
  std::vector<double> values;
  bool all_integers = true;  ///< Every present element is a long (results of fills and sums stay long).
  bool valid = false;        ///< False when the argument is not an array.
};

/// Reads a dynamic array argument; non-arrays give valid == false.
NumericSeries ReadSeries(const KernelArg& arg, size_t row);

/// A dynamic array of reals; NaN elements become null when `nan_as_null`.
Dynamic MakeRealArray(const std::vector<double>& values, bool nan_as_null);

/// Writes a dynamic result (nullptr writes null).
void SetSeriesResult(ColumnVector& out, size_t row, Dynamic value);

// series_elementwise.cpp
void SeriesBinaryKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                        ColumnVector& out);
void SeriesUnaryKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                       ColumnVector& out);
void SeriesFillKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                      ColumnVector& out);
void SeriesReduceKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                        ColumnVector& out);
void SeriesPairKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                      ColumnVector& out);
void SeriesFilterKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                        ColumnVector& out);

// series_analysis.cpp
void SeriesStatsKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                       ColumnVector& out);
void SeriesFitKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                     ColumnVector& out);
void SeriesOutliersKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                          ColumnVector& out);
void SeriesPeriodsKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                         ColumnVector& out);
void SeriesDecomposeKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                           ColumnVector& out);

// aggregate_state_functions.cpp: dcount_hll, percentile_tdigest, percentiles_array_tdigest over the states that the
// hll and tdigest aggregates produce (exact: an array of the distinct values, a sorted array of the values).
void AggregateStateKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                          ColumnVector& out);

}  // namespace kql::exec
