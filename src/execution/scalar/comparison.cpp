// Comparison operators: == != < <= > >= (ordinal for strings), =~ !~, between, !between.
// Semantics (checked against kusto_engine_cases.jsonl and doc_cases.jsonl):
//   - Nulls (the KQL docs' "null values" page): `==` of two nulls is null and of a null and a non-null false;
//     `!=` of two nulls is null and of a null and a non-null true (`where ival != 5` keeps null rows); the
//     ordering operators give null when either side is null. `toint("xyz") == 0` is false.
//   - Mixed numeric types compare as real when either side is real (`i between (1.5 .. 2.5)` keeps 2), else as
//     64-bit integers (int, long, datetime and timespan ticks, bool).
//   - Strings compare ordinally by bytes, case-sensitively; `=~` compares case-insensitively including
//     non-ASCII letters ("CAFÉ" =~ "café").
//   - between is inclusive; for a datetime value a timespan upper bound means low + span. Like the ordering
//     operators it is null when the value or a bound is null (and so is !between).
//   - dynamic operands compare by their scalar value (numbers numerically, strings as text, otherwise JSON).
#include <cmath>
#include <string>

#include "execution/scalar/binary_kernel.h"
#include "execution/scalar/scalar_kernels.h"
#include "execution/scalar/string_search.h"
#include "execution/layer.h"

namespace kql::exec {

namespace {

enum class CompareOp { kEqual, kNotEqual, kLess, kLessEqual, kGreater, kGreaterEqual };

CompareOp ParseOp(std::string_view name) {
  if (name == "==") return CompareOp::kEqual;
  if (name == "!=") return CompareOp::kNotEqual;
  if (name == "<") return CompareOp::kLess;
  if (name == "<=") return CompareOp::kLessEqual;
  if (name == ">") return CompareOp::kGreater;
  return CompareOp::kGreaterEqual;
}

template <CompareOp kOp, typename T>
inline bool Compare(const T& left, const T& right) {
  if constexpr (kOp == CompareOp::kEqual) return left == right;
  if constexpr (kOp == CompareOp::kNotEqual) return left != right;
  if constexpr (kOp == CompareOp::kLess) return left < right;
  if constexpr (kOp == CompareOp::kLessEqual) return left <= right;
  if constexpr (kOp == CompareOp::kGreater) return left > right;
  return left >= right;
}

// Fills the result for a comparison with at least one null operand.
inline void SetNullComparison(ColumnVector& out, size_t row, CompareOp op, bool both_null) {
  if (both_null || (op != CompareOp::kEqual && op != CompareOp::kNotEqual)) {
    out.SetValid(row, false);
    return;
  }
  SetBool(out, row, op == CompareOp::kNotEqual);
}

template <CompareOp kOp, typename Reader>
void CompareLoop(std::span<const KernelArg> args, std::span<const uint32_t> rows, ColumnVector& out) {
  const KernelArg& left = args[0];
  const KernelArg& right = args[1];
  Reader read;
  const uint8_t* left_valid = left.vector->validity();
  const uint8_t* right_valid = right.vector->validity();
  int64_t* results = out.ints();
  uint8_t* validity = out.validity();
  if (right.is_constant && !left.is_constant) {
    if (!right_valid[0]) {
      for (uint32_t row : rows) SetNullComparison(out, row, kOp, !left_valid[row]);
      return;
    }
    const auto right_value = read(right, 0);
    // A null left side against a non-null constant: `==` false, `!=` true, the ordering operators null.
    constexpr bool kNullIsValid = kOp == CompareOp::kEqual || kOp == CompareOp::kNotEqual;
    for (uint32_t row : rows) {
      const bool valid = left_valid[row] != 0;
      validity[row] = valid || kNullIsValid;
      results[row] = valid ? Compare<kOp>(read(left, row), right_value) : kOp == CompareOp::kNotEqual;
    }
    return;
  }
  for (uint32_t row : rows) {
    size_t left_row = left.Row(row);
    size_t right_row = right.Row(row);
    if (left_valid[left_row] && right_valid[right_row]) {
      validity[row] = 1;
      results[row] = Compare<kOp>(read(left, left_row), read(right, right_row));
    } else {
      SetNullComparison(out, row, kOp, !left_valid[left_row] && !right_valid[right_row]);
    }
  }
}

// A dynamic operand reduced to something comparable with the other side.
struct ComparableValue {
  enum class Kind { kNull, kNumber, kInteger, kText } kind = Kind::kNull;
  double number = 0;
  int64_t integer = 0;
  std::string text;
};

ComparableValue ComparableAt(const KernelArg& arg, size_t row) {
  ComparableValue value;
  size_t arg_row = arg.Row(row);
  const ColumnVector& vector = *arg.vector;
  if (vector.IsNull(arg_row)) return value;
  switch (vector.physical_type()) {
    case PhysicalType::kInt64:
      value.kind = ComparableValue::Kind::kInteger;
      value.integer = vector.ints()[arg_row];
      return value;
    case PhysicalType::kDouble:
      value.kind = ComparableValue::Kind::kNumber;
      value.number = vector.reals()[arg_row];
      return value;
    case PhysicalType::kString:
      value.kind = ComparableValue::Kind::kText;
      value.text = vector.strings()[arg_row];
      return value;
    case PhysicalType::kDynamic: break;
  }
  const Dynamic& dynamic = vector.dynamics()[arg_row];
  if (!dynamic || dynamic->IsNull()) return value;
  switch (dynamic->kind()) {
    case DynamicValue::Kind::kBool:
    case DynamicValue::Kind::kLong:
    case DynamicValue::Kind::kDateTime:
    case DynamicValue::Kind::kTimeSpan:
      value.kind = ComparableValue::Kind::kInteger;
      value.integer = dynamic->kind() == DynamicValue::Kind::kBool ? dynamic->bool_value() : dynamic->int_value();
      return value;
    case DynamicValue::Kind::kReal:
      value.kind = ComparableValue::Kind::kNumber;
      value.number = dynamic->real_value();
      return value;
    case DynamicValue::Kind::kString:
    case DynamicValue::Kind::kGuid:
      value.kind = ComparableValue::Kind::kText;
      value.text = dynamic->string_value();
      return value;
    default:
      value.kind = ComparableValue::Kind::kText;
      value.text = ToJson(*dynamic);
      return value;
  }
}

// Returns <0, 0, >0, or nullopt when the values are not comparable (different kinds).
std::optional<int> CompareComparable(const ComparableValue& left, const ComparableValue& right) {
  using Kind = ComparableValue::Kind;
  if (left.kind == Kind::kText || right.kind == Kind::kText) {
    if (left.kind != right.kind) return std::nullopt;
    int order = left.text.compare(right.text);
    return order < 0 ? -1 : order > 0 ? 1 : 0;
  }
  if (left.kind == Kind::kInteger && right.kind == Kind::kInteger) {
    return left.integer < right.integer ? -1 : left.integer > right.integer ? 1 : 0;
  }
  double left_number = left.kind == Kind::kInteger ? static_cast<double>(left.integer) : left.number;
  double right_number = right.kind == Kind::kInteger ? static_cast<double>(right.integer) : right.number;
  if (std::isnan(left_number) || std::isnan(right_number)) return std::nullopt;
  return left_number < right_number ? -1 : left_number > right_number ? 1 : 0;
}

void CompareDynamic(CompareOp op, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                    ColumnVector& out) {
  for (uint32_t row : rows) {
    ComparableValue left = ComparableAt(args[0], row);
    ComparableValue right = ComparableAt(args[1], row);
    if (left.kind == ComparableValue::Kind::kNull || right.kind == ComparableValue::Kind::kNull) {
      SetNullComparison(out, row, op,
                        left.kind == ComparableValue::Kind::kNull && right.kind == ComparableValue::Kind::kNull);
      continue;
    }
    std::optional<int> order = CompareComparable(left, right);
    if (!order) {
      SetBool(out, row, op == CompareOp::kNotEqual);
      continue;
    }
    bool result = false;
    switch (op) {
      case CompareOp::kEqual: result = *order == 0; break;
      case CompareOp::kNotEqual: result = *order != 0; break;
      case CompareOp::kLess: result = *order < 0; break;
      case CompareOp::kLessEqual: result = *order <= 0; break;
      case CompareOp::kGreater: result = *order > 0; break;
      case CompareOp::kGreaterEqual: result = *order >= 0; break;
    }
    SetBool(out, row, result);
  }
}

template <typename Reader>
void CompareTyped(CompareOp op, std::span<const KernelArg> args, std::span<const uint32_t> rows, ColumnVector& out) {
  switch (op) {
    case CompareOp::kEqual: return CompareLoop<CompareOp::kEqual, Reader>(args, rows, out);
    case CompareOp::kNotEqual: return CompareLoop<CompareOp::kNotEqual, Reader>(args, rows, out);
    case CompareOp::kLess: return CompareLoop<CompareOp::kLess, Reader>(args, rows, out);
    case CompareOp::kLessEqual: return CompareLoop<CompareOp::kLessEqual, Reader>(args, rows, out);
    case CompareOp::kGreater: return CompareLoop<CompareOp::kGreater, Reader>(args, rows, out);
    case CompareOp::kGreaterEqual: return CompareLoop<CompareOp::kGreaterEqual, Reader>(args, rows, out);
  }
}

}  // namespace

void ComparisonKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                      ColumnVector& out) {
  CompareOp op = ParseOp(call.expr.function);
  PhysicalType left = args[0].vector->physical_type();
  PhysicalType right = args[1].vector->physical_type();
  if (left == PhysicalType::kDynamic || right == PhysicalType::kDynamic || (left == PhysicalType::kString) !=
                                                                               (right == PhysicalType::kString)) {
    return CompareDynamic(op, args, rows, out);
  }
  if (left == PhysicalType::kString) return CompareTyped<StringReader>(op, args, rows, out);
  if (left == PhysicalType::kDouble || right == PhysicalType::kDouble) {
    return CompareTyped<RealReader>(op, args, rows, out);
  }
  CompareTyped<IntReader>(op, args, rows, out);
}

void EqualsIgnoreCaseKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                            ColumnVector& out) {
  const bool negated = call.expr.function == "!~";
  for (uint32_t row : rows) SetBool(out, row, EqualsIgnoreCase(args[0].String(row), args[1].String(row)) != negated);
}

void BetweenKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                   ColumnVector& out) {
  const bool negated = call.expr.function == "!between";
  const KernelArg& value = args[0];
  const KernelArg& low = args[1];
  const KernelArg& high = args[2];
  const bool span_high = value.type() == KqlType::kDateTime && high.type() == KqlType::kTimeSpan;
  const bool as_real = value.vector->physical_type() == PhysicalType::kDouble ||
                       low.vector->physical_type() == PhysicalType::kDouble ||
                       high.vector->physical_type() == PhysicalType::kDouble;
  if (!as_real && low.is_constant && high.is_constant && !value.is_constant) {
    // The hot path (`Timestamp between (start .. end)`): hoist the bounds.
    if (low.IsNull(0) || high.IsNull(0)) {
      for (uint32_t row : rows) out.SetValid(row, false);
      return;
    }
    const int64_t low_value = low.Int(0);
    const int64_t high_value = span_high ? low_value + high.Int(0) : high.Int(0);
    const uint8_t* valid = value.vector->validity();
    const int64_t* values = value.vector->ints();
    int64_t* results = out.ints();
    uint8_t* validity = out.validity();
    for (uint32_t row : rows) {
      validity[row] = valid[row];
      results[row] = (values[row] >= low_value && values[row] <= high_value) != negated;
    }
    return;
  }
  for (uint32_t row : rows) {
    if (value.IsNull(row) || low.IsNull(row) || high.IsNull(row)) {
      out.SetValid(row, false);
      continue;
    }
    bool inside = false;
    if (as_real) {
      double number = value.Real(row);
      inside = number >= low.Real(row) && number <= high.Real(row);
    } else {
      int64_t number = value.Int(row);
      int64_t high_value = span_high ? low.Int(row) + high.Int(row) : high.Int(row);
      inside = number >= low.Int(row) && number <= high_value;
    }
    SetBool(out, row, inside != negated);
  }
}

}  // namespace kql::exec
