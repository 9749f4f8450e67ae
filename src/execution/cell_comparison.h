// Cell comparison: hashing, equality and ordering of single cells (column, row) across column vectors, the
// shared vocabulary of group-by, distinct, join and sort. Nulls are equal to each other and differ from values;
// strings compare ordinally (bytewise). Not for expression semantics (where null == null is null).
#pragma once
#include <cstdint>

#include "vector/column_vector.h"
#include "execution/layer.h"

namespace kql::exec {

/// Hash of one cell; equal cells (CellsEqual) hash equally. Strings hash by content.
uint64_t HashCell(const ColumnVector& column, size_t row);

/// Mixes a cell hash into a running row hash.
inline uint64_t CombineHash(uint64_t seed, uint64_t value) {
  return (seed ^ value) * 0x9E3779B97F4A7C15ULL + (seed << 6) + (seed >> 2);
}

/// Grouping equality: both null, or both valid with equal payloads (NaN equals NaN; -0 equals +0).
bool CellsEqual(const ColumnVector& left, size_t left_row, const ColumnVector& right, size_t right_row);

/// Total order on valid cells of the same physical type: <0, 0, >0. Nulls are ordered by the caller.
/// NaN sorts after every other real.
int CompareValidCells(const ColumnVector& left, size_t left_row, const ColumnVector& right, size_t right_row);

}  // namespace kql::exec
