#include "execution/cell_comparison.h"

#include <cmath>
#include <cstring>
#include <functional>
#include <string_view>

#include "types/dynamic.h"
#include "execution/layer.h"

namespace kql::exec {
namespace {

uint64_t MixInt(uint64_t value) {
  value ^= value >> 33;
  value *= 0xff51afd7ed558ccdULL;
  value ^= value >> 33;
  value *= 0xc4ceb9fe1a85ec53ULL;
  value ^= value >> 33;
  return value;
}

uint64_t RealBits(double value) {
  if (std::isnan(value)) return 0x7ff8000000000000ULL;
  if (value == 0) value = 0;  // Folds -0 into +0 so that equal reals hash equally.
  uint64_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  return bits;
}

}  // namespace

uint64_t HashCell(const ColumnVector& column, size_t row) {
  if (column.IsNull(row)) return 0x5bd1e995ULL;
  switch (column.physical_type()) {
    case PhysicalType::kInt64: return MixInt(static_cast<uint64_t>(column.ints()[row]));
    case PhysicalType::kDouble: return MixInt(RealBits(column.reals()[row]));
    case PhysicalType::kString: return std::hash<std::string_view>()(column.strings()[row]);
    case PhysicalType::kDynamic: return std::hash<std::string>()(ToJson(*column.dynamics()[row]));
  }
  return 0;
}

bool CellsEqual(const ColumnVector& left, size_t left_row, const ColumnVector& right, size_t right_row) {
  bool left_null = left.IsNull(left_row);
  bool right_null = right.IsNull(right_row);
  if (left_null || right_null) return left_null == right_null;
  switch (left.physical_type()) {
    case PhysicalType::kInt64: return left.ints()[left_row] == right.ints()[right_row];
    case PhysicalType::kDouble: return RealBits(left.reals()[left_row]) == RealBits(right.reals()[right_row]);
    case PhysicalType::kString: return left.strings()[left_row] == right.strings()[right_row];
    case PhysicalType::kDynamic: return left.dynamics()[left_row]->Equals(*right.dynamics()[right_row]);
  }
  return false;
}

int CompareValidCells(const ColumnVector& left, size_t left_row, const ColumnVector& right, size_t right_row) {
  switch (left.physical_type()) {
    case PhysicalType::kInt64: {
      int64_t a = left.ints()[left_row];
      int64_t b = right.ints()[right_row];
      return a < b ? -1 : (a > b ? 1 : 0);
    }
    case PhysicalType::kDouble: {
      double a = left.reals()[left_row];
      double b = right.reals()[right_row];
      bool a_nan = std::isnan(a);
      bool b_nan = std::isnan(b);
      if (a_nan || b_nan) return static_cast<int>(a_nan) - static_cast<int>(b_nan);
      return a < b ? -1 : (a > b ? 1 : 0);
    }
    case PhysicalType::kString: {
      int result = left.strings()[left_row].compare(right.strings()[right_row]);
      return result < 0 ? -1 : (result > 0 ? 1 : 0);
    }
    case PhysicalType::kDynamic: {
      int result = ToJson(*left.dynamics()[left_row]).compare(ToJson(*right.dynamics()[right_row]));
      return result < 0 ? -1 : (result > 0 ? 1 : 0);
    }
  }
  return 0;
}

}  // namespace kql::exec
