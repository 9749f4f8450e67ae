// Array and string-size functions: string_size, strcat_array, array_sum, array_reverse, array_sort_asc,
// array_sort_desc. Semantics from Microsoft's engine (conformance cases):
//   - string_size(s) is the UTF-8 byte count ("Ångström" is 10).
//   - strcat_array(a, d) joins the elements' text with d; null elements are "" ([1,null,3] with "-" is "1--3").
//   - array_sum(a) is a real sum of the numeric elements, skipping nulls; null for an empty array or non-array.
//   - array_sort_asc/desc order numbers numerically and strings ordinally, nulls last unless the second argument
//     (nulls_last) is false; a non-array is null.
#include <algorithm>

#include "execution/scalar/scalar_kernels.h"
#include "execution/scalar/text_conversion.h"
#include "execution/layer.h"

namespace kql::exec {
namespace {

const std::vector<Dynamic>* ArrayAt(const KernelArg& arg, size_t row) {
  if (arg.vector->physical_type() != PhysicalType::kDynamic || arg.IsNull(row)) return nullptr;
  const Dynamic& value = arg.DynamicAt(row);
  if (!value || value->kind() != DynamicValue::Kind::kArray) return nullptr;
  return &value->items();
}

void SetDynamicResult(ColumnVector& out, size_t row, Dynamic value) {
  out.SetValid(row, value != nullptr);
  out.dynamics()[row] = std::move(value);
}

bool IsNullElement(const Dynamic& value) { return !value || value->IsNull(); }

bool IsNumber(const DynamicValue& value) {
  return value.kind() == DynamicValue::Kind::kLong || value.kind() == DynamicValue::Kind::kReal;
}

double NumberOf(const DynamicValue& value) {
  return value.kind() == DynamicValue::Kind::kReal ? value.real_value() : static_cast<double>(value.int_value());
}

// Orders non-null elements: numbers first (numerically), then strings (ordinally), then the rest by kind.
bool ElementLess(const DynamicValue& left, const DynamicValue& right) {
  const bool left_number = IsNumber(left);
  const bool right_number = IsNumber(right);
  if (left_number && right_number) return NumberOf(left) < NumberOf(right);
  if (left_number != right_number) return left_number;
  if (left.kind() != right.kind()) return left.kind() < right.kind();
  switch (left.kind()) {
    case DynamicValue::Kind::kString:
    case DynamicValue::Kind::kGuid: return left.string_value() < right.string_value();
    case DynamicValue::Kind::kBool:
    case DynamicValue::Kind::kDateTime:
    case DynamicValue::Kind::kTimeSpan: return left.int_value() < right.int_value();
    default: return ToJson(left) < ToJson(right);
  }
}

}  // namespace

void StringSizeKernel(const KernelCall&, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                      ColumnVector& out) {
  std::string text;
  for (uint32_t row : rows) {
    if (args[0].vector->physical_type() == PhysicalType::kString) {
      SetInt(out, row, static_cast<int64_t>(args[0].String(row).size()));
      continue;
    }
    text.clear();
    AppendText(args[0], row, text);
    SetInt(out, row, static_cast<int64_t>(text.size()));
  }
}

void StrcatArrayKernel(const KernelCall&, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                       ColumnVector& out) {
  std::string text;
  std::string delimiter;
  for (uint32_t row : rows) {
    const std::vector<Dynamic>* items = ArrayAt(args[0], row);
    text.clear();
    if (items != nullptr) {
      delimiter.clear();
      AppendText(args[1], row, delimiter);
      for (size_t index = 0; index < items->size(); ++index) {
        if (index > 0) text += delimiter;
        if (!IsNullElement((*items)[index])) AppendDynamicText(*(*items)[index], text);
      }
    }
    out.SetString(row, text);
  }
}

void ArraySumKernel(const KernelCall&, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                    ColumnVector& out) {
  for (uint32_t row : rows) {
    const std::vector<Dynamic>* items = ArrayAt(args[0], row);
    double sum = 0;
    bool any = false;
    bool valid = items != nullptr;
    if (items != nullptr) {
      for (const Dynamic& item : *items) {
        if (IsNullElement(item)) continue;
        if (!IsNumber(*item)) {
          valid = false;
          break;
        }
        sum += NumberOf(*item);
        any = true;
      }
    }
    if (valid && any) {
      SetReal(out, row, sum);
    } else {
      out.SetValid(row, false);
    }
  }
}

void ArrayReverseKernel(const KernelCall&, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                        ColumnVector& out) {
  for (uint32_t row : rows) {
    const std::vector<Dynamic>* items = ArrayAt(args[0], row);
    if (items == nullptr) {
      SetDynamicResult(out, row, nullptr);
      continue;
    }
    std::vector<Dynamic> reversed(items->rbegin(), items->rend());
    SetDynamicResult(out, row, DynamicValue::MakeArray(std::move(reversed)));
  }
}

namespace {

/// The order of a[...] that sorts it (nulls last unless nulls_last is false; stable).
std::vector<size_t> SortOrder(const std::vector<Dynamic>& items, bool descending, bool nulls_last) {
  std::vector<size_t> values, nulls;
  for (size_t index = 0; index < items.size(); ++index) (IsNullElement(items[index]) ? nulls : values).push_back(index);
  std::stable_sort(values.begin(), values.end(), [&](size_t left, size_t right) {
    return descending ? ElementLess(*items[right], *items[left]) : ElementLess(*items[left], *items[right]);
  });
  std::vector<size_t> order;
  if (!nulls_last) order.insert(order.end(), nulls.begin(), nulls.end());
  order.insert(order.end(), values.begin(), values.end());
  if (nulls_last) order.insert(order.end(), nulls.begin(), nulls.end());
  return order;
}

Dynamic Permuted(const std::vector<Dynamic>& items, const std::vector<size_t>& order) {
  std::vector<Dynamic> out;
  out.reserve(order.size());
  for (size_t index : order) out.push_back(items[index]);
  return DynamicValue::MakeArray(std::move(out));
}

}  // namespace

// The several-array form array_sort_asc(a1, a2, ...[, nulls_last]) returns [sorted a1, a2 in the same order, ...]
// (the binder turns it into one column per array); an array whose length differs from a1's is null.
void ArraySortKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                     ColumnVector& out) {
  const bool descending = call.expr.function == "array_sort_desc";
  size_t arrays = args.size();
  const bool has_flag = arrays > 1 && args.back().type() == KqlType::kBool;
  if (has_flag) --arrays;
  for (uint32_t row : rows) {
    const bool nulls_last = !has_flag || args.back().IsNull(row) || args.back().Int(row) != 0;
    const std::vector<Dynamic>* items = ArrayAt(args[0], row);
    if (arrays == 1) {
      SetDynamicResult(out, row, items == nullptr ? nullptr : Permuted(*items, SortOrder(*items, descending, nulls_last)));
      continue;
    }
    std::vector<Dynamic> results;
    const std::vector<size_t> order = items == nullptr ? std::vector<size_t>{} : SortOrder(*items, descending, nulls_last);
    for (size_t index = 0; index < arrays; ++index) {
      const std::vector<Dynamic>* other = ArrayAt(args[index], row);
      const bool usable = items != nullptr && other != nullptr && other->size() == items->size();
      results.push_back(usable ? Permuted(*other, order) : DynamicValue::MakeNull());
    }
    SetDynamicResult(out, row, DynamicValue::MakeArray(std::move(results)));
  }
}

}  // namespace kql::exec
