// Array reshaping functions: array_iff, array_rotate_left/right, array_shift_left/right, array_split, range (the
// scalar one), unicode_codepoints_from_string, unicode_codepoints_to_string, to_utf8 (the UTF-8 bytes as longs).
// Semantics (KQL docs and kusto_engine_cases.jsonl):
//   - array_iff(conditions, when_true, when_false) has the conditions' length; a scalar branch is repeated, a
//     short array branch gives null past its end, and a condition that is neither bool nor number gives null.
//     Numbers are true when non-zero.
//   - array_rotate_left/right rotate by n (negative n rotates the other way); array_shift_left/right shift by n
//     filling with the optional fill value (null by default), negative n shifting the other way.
//   - array_split(a, indexes) splits before each index (a long or an array); negative indexes count from the end.
//   - range(start, stop[, step]) lists start, start+step, ... up to stop inclusive, at most 1,048,576 elements;
//     longs when every argument is integral, reals otherwise, datetimes with a timespan step.
//   - unicode_codepoints_to_string takes numbers and arrays of numbers.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "execution/scalar/scalar_kernels.h"
#include "execution/scalar/value_kernel.h"
#include "types/utf8.h"
#include "execution/layer.h"

namespace kql::exec {

namespace {

using Kind = DynamicValue::Kind;

/// More range() elements than this are cut off, as in Kusto.
constexpr int64_t kMaxRangeElements = 1 << 20;

const std::vector<Dynamic>* Items(const Value& value) {
  if (value.is_null || value.type != KqlType::kDynamic || !value.dynamic_value) return nullptr;
  if (value.dynamic_value->kind() != Kind::kArray) return nullptr;
  return &value.dynamic_value->items();
}

Value ArrayValue(std::vector<Dynamic> items) { return Value::FromDynamic(DynamicValue::MakeArray(std::move(items))); }

Dynamic OrNull(const Dynamic& value) { return value ? value : DynamicValue::MakeNull(); }

Value ArrayIff(std::span<const Value> args, KqlType) {
  const auto* conditions = Items(args[0]);
  if (conditions == nullptr) return Value::Null(KqlType::kDynamic);
  auto branch = [&](const Value& value, size_t index) {
    if (const auto* items = Items(value)) return index < items->size() ? OrNull((*items)[index]) : DynamicValue::MakeNull();
    return ValueDynamic(value);
  };
  std::vector<Dynamic> result;
  for (size_t index = 0; index < conditions->size(); ++index) {
    const Dynamic& condition = (*conditions)[index];
    std::optional<bool> truth;
    if (condition && condition->kind() == Kind::kBool) truth = condition->bool_value();
    if (condition && condition->kind() == Kind::kLong) truth = condition->int_value() != 0;
    if (condition && condition->kind() == Kind::kReal) truth = condition->real_value() != 0;
    result.push_back(!truth ? DynamicValue::MakeNull() : branch(*truth ? args[1] : args[2], index));
  }
  return ArrayValue(std::move(result));
}

// Rotates or shifts left by `count` (negative: right).
Value MoveLeft(std::span<const Value> args, int64_t direction, bool rotate) {
  const auto* items = Items(args[0]);
  std::optional<double> amount = ValueNumber(args[1]);
  if (items == nullptr || !amount) return Value::Null(KqlType::kDynamic);
  const int64_t size = static_cast<int64_t>(items->size());
  const int64_t count = static_cast<int64_t>(*amount) * direction;
  Dynamic fill = args.size() > 2 ? ValueDynamic(args[2]) : DynamicValue::MakeNull();
  std::vector<Dynamic> result;
  for (int64_t index = 0; index < size; ++index) {
    int64_t source = index + count;
    if (rotate) {
      source = ((source % size) + size) % size;
      result.push_back(OrNull((*items)[static_cast<size_t>(source)]));
    } else {
      result.push_back(source >= 0 && source < size ? OrNull((*items)[static_cast<size_t>(source)]) : fill);
    }
  }
  return ArrayValue(std::move(result));
}

Value ArrayRotateLeft(std::span<const Value> args, KqlType) { return MoveLeft(args, 1, true); }
Value ArrayRotateRight(std::span<const Value> args, KqlType) { return MoveLeft(args, -1, true); }
Value ArrayShiftLeft(std::span<const Value> args, KqlType) { return MoveLeft(args, 1, false); }
Value ArrayShiftRight(std::span<const Value> args, KqlType) { return MoveLeft(args, -1, false); }

Value ArraySplit(std::span<const Value> args, KqlType) {
  const auto* items = Items(args[0]);
  if (items == nullptr) return Value::Null(KqlType::kDynamic);
  const int64_t size = static_cast<int64_t>(items->size());
  std::vector<int64_t> cuts;
  auto add_cut = [&](double raw) {
    int64_t cut = static_cast<int64_t>(raw);
    if (cut < 0) cut += size;
    cuts.push_back(std::clamp<int64_t>(cut, 0, size));
  };
  if (const auto* indexes = Items(args[1])) {
    for (const Dynamic& index : *indexes) {
      if (index && index->kind() == Kind::kLong) add_cut(static_cast<double>(index->int_value()));
      if (index && index->kind() == Kind::kReal) add_cut(index->real_value());
    }
  } else if (std::optional<double> index = ValueNumber(args[1])) {
    add_cut(*index);
  } else {
    return Value::Null(KqlType::kDynamic);
  }
  std::vector<Dynamic> parts;
  int64_t start = 0;
  cuts.push_back(size);
  for (int64_t cut : cuts) {
    cut = std::max(cut, start);
    parts.push_back(DynamicValue::MakeArray(std::vector<Dynamic>(items->begin() + start, items->begin() + cut)));
    start = cut;
  }
  return ArrayValue(std::move(parts));
}

Value Range(std::span<const Value> args, KqlType) {
  for (const Value& arg : args) {
    if (arg.is_null) return Value::Null(KqlType::kDynamic);
  }
  std::vector<Dynamic> items;
  const KqlType start_type = args[0].type;
  if (start_type == KqlType::kDateTime || start_type == KqlType::kTimeSpan) {
    const int64_t step = args.size() > 2 ? args[2].int_value : kTicksPerDay;
    if (step == 0 || (args[1].type != start_type)) return Value::Null(KqlType::kDynamic);
    for (int64_t value = args[0].int_value; (step > 0 ? value <= args[1].int_value : value >= args[1].int_value) &&
                                            static_cast<int64_t>(items.size()) < kMaxRangeElements;
         value += step) {
      items.push_back(start_type == KqlType::kDateTime ? DynamicValue::MakeDateTime(value)
                                                       : DynamicValue::MakeTimeSpan(value));
    }
    return ArrayValue(std::move(items));
  }
  bool integral = true;
  for (const Value& arg : args) integral = integral && IsInteger(arg.type);
  std::optional<double> start = ValueNumber(args[0]);
  std::optional<double> stop = ValueNumber(args[1]);
  std::optional<double> step = args.size() > 2 ? ValueNumber(args[2]) : std::optional<double>(1.0);
  if (!start || !stop || !step || *step == 0) return Value::Null(KqlType::kDynamic);
  for (int64_t index = 0; index < kMaxRangeElements; ++index) {
    const double value = *start + static_cast<double>(index) * *step;
    if (*step > 0 ? value > *stop : value < *stop) break;
    items.push_back(integral ? DynamicValue::MakeLong(static_cast<int64_t>(value)) : DynamicValue::MakeReal(value));
  }
  return ArrayValue(std::move(items));
}

Value CodepointsFromString(std::span<const Value> args, KqlType) {
  const std::string& text = args[0].string_value;
  std::vector<Dynamic> codes;
  for (size_t pos = 0; pos < text.size();) {
    int32_t code = NextUtf8(text, pos);
    codes.push_back(DynamicValue::MakeLong(code < 0 ? 0xFFFD : code));
  }
  return ArrayValue(std::move(codes));
}

Value ToUtf8(std::span<const Value> args, KqlType) {
  std::vector<Dynamic> bytes;
  for (unsigned char byte : ValueText(args[0])) bytes.push_back(DynamicValue::MakeLong(byte));
  return ArrayValue(std::move(bytes));
}

Value CodepointsToString(std::span<const Value> args, KqlType) {
  std::string text;
  auto append = [&](double code) {
    if (code >= 0 && code <= 0x10FFFF) AppendUtf8(text, static_cast<uint32_t>(code));
  };
  for (const Value& arg : args) {
    if (const auto* items = Items(arg)) {
      for (const Dynamic& item : *items) {
        if (item && item->kind() == Kind::kLong) append(static_cast<double>(item->int_value()));
        if (item && item->kind() == Kind::kReal) append(item->real_value());
      }
    } else if (std::optional<double> code = ValueNumber(arg)) {
      append(*code);
    }
  }
  return Value::String(std::move(text));
}

constexpr ValueFunctionEntry kArrayReshapeFunctions[] = {
    {"array_iff", ArrayIff},
    {"array_rotate_left", ArrayRotateLeft},
    {"array_rotate_right", ArrayRotateRight},
    {"array_shift_left", ArrayShiftLeft},
    {"array_shift_right", ArrayShiftRight},
    {"array_split", ArraySplit},
    {"range", Range},
    {"unicode_codepoints_from_string", CodepointsFromString},
    {"unicode_codepoints_to_string", CodepointsToString},
    {"to_utf8", ToUtf8},
};

}  // namespace

void ArrayReshapeKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                        ColumnVector& out) {
  RunValueFunction(kArrayReshapeFunctions, call, args, rows, out);
}

}  // namespace kql::exec
