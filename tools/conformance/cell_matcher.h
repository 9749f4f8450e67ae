// CellMatcher: decides whether one actual result cell equals an expected reference cell, with the reference's
// print conventions (Kusto's 7-digit datetimes, pretty JSON, Python booleans) and a numeric tolerance for reals.
// It does not decide row order or column names; main.cpp does.
#pragma once
#include <string>

#include "expected_cell.h"
#include "types/value.h"
#include "rules/layer.h"

namespace kql::conformance {

using namespace kql::rules;

/// Relative tolerance for reals (references print rounded values such as 9.1666666667).
inline constexpr double kRealTolerance = 1e-6;

/// True when `actual` matches `expected`; a documented cell also matches through its DocCellVariants.
bool CellMatches(const Value& actual, const ExpectedCell& expected);

/// True when `actual` matches the expected cell's text as written (no markdown undoing).
bool CellMatchesText(const Value& actual, const ExpectedCell& expected);

/// Renders an actual cell for failure reports (golden encoding).
std::string DescribeActual(const Value& actual);

/// The reference's spelling of a type: Int for int/long, Real for real/decimal, DateTime, TimeSpan, ...
std::string KustoTypeName(KqlType type);

}  // namespace kql::conformance
