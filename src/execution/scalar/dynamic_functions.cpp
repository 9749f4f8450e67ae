// Dynamic functions: "[]" (element by index or key; `a.b` binds to it), array_length, pack_array, bag_pack,
// bag_keys.
// Semantics (KQL docs and kusto_engine_cases.jsonl):
//   - Indexing a non-array, a missing key or an out-of-range index gives null; negative indexes count from the
//     end. A JSON null element is null (isnull(d.b[0]) is true).
//   - array_length of a non-array is null.
//   - pack_array/bag_pack keep nulls as JSON nulls; bag_pack takes key, value pairs (keys via tostring).
//   - array_concat skips arguments that are not arrays; array_slice(a, start, end) is inclusive and negative
//     bounds count from the end; array_index_of(a, v[, start[, length[, occurrence]]]) is -1 when absent and null
//     for a non-array; a negative start counts from the end.
//   - set_union keeps the first occurrence of each distinct element in argument order; set_intersect keeps the
//     distinct elements of the first array present in every other one; set_has_element tests membership.
//   - zip pairs arrays element by element, padding the shorter ones with null.
//   - bag_has_key accepts a plain key or a JSONPath such as '$.a.b' or "$['a']".
#include <string>
#include <vector>

#include "execution/scalar/json_path.h"
#include "execution/scalar/scalar_kernels.h"
#include "execution/scalar/text_conversion.h"
#include "execution/layer.h"

namespace kql::exec {

namespace {

Dynamic CellToDynamic(const KernelArg& arg, size_t row) {
  if (arg.vector->physical_type() == PhysicalType::kDynamic) {
    const Dynamic& value = arg.DynamicAt(row);
    return value ? value : DynamicValue::MakeNull();
  }
  Dynamic value = ToDynamic(arg.vector->GetValue(arg.Row(row)));
  return value ? value : DynamicValue::MakeNull();
}

void SetDynamic(ColumnVector& out, size_t row, Dynamic value) {
  if (!value || value->IsNull()) {
    out.SetValid(row, false);
    out.dynamics()[row] = nullptr;
    return;
  }
  out.SetValid(row, true);
  out.dynamics()[row] = std::move(value);
}

const std::vector<Dynamic>* ArrayItems(const KernelArg& arg, size_t row) {
  if (arg.vector->physical_type() != PhysicalType::kDynamic || arg.IsNull(row)) return nullptr;
  const Dynamic& value = arg.DynamicAt(row);
  if (!value || value->kind() != DynamicValue::Kind::kArray) return nullptr;
  return &value->items();
}

bool SameElement(const Dynamic& left, const Dynamic& right) {
  if (!left || !right) return !left && !right;
  if (left->kind() != right->kind()) {
    // 1 and 1.0 are the same set element.
    auto numeric = [](const DynamicValue& value, double& number) {
      if (value.kind() == DynamicValue::Kind::kLong) number = static_cast<double>(value.int_value());
      else if (value.kind() == DynamicValue::Kind::kReal) number = value.real_value();
      else return false;
      return true;
    };
    double a = 0;
    double b = 0;
    return numeric(*left, a) && numeric(*right, b) && a == b;
  }
  return left->Equals(*right);
}

bool ContainsElement(const std::vector<Dynamic>& items, const Dynamic& value) {
  for (const Dynamic& item : items) {
    if (SameElement(item, value)) return true;
  }
  return false;
}

}  // namespace

void ArrayConcatKernel(const KernelCall&, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                       ColumnVector& out) {
  for (uint32_t row : rows) {
    std::vector<Dynamic> items;
    for (const KernelArg& arg : args) {
      if (const auto* source = ArrayItems(arg, row)) items.insert(items.end(), source->begin(), source->end());
    }
    out.SetValid(row, true);
    out.dynamics()[row] = DynamicValue::MakeArray(std::move(items));
  }
}

void ArraySliceKernel(const KernelCall&, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                      ColumnVector& out) {
  for (uint32_t row : rows) {
    const auto* items = ArrayItems(args[0], row);
    if (!items || args[1].IsNull(row) || args[2].IsNull(row)) {
      SetDynamic(out, row, nullptr);
      continue;
    }
    const int64_t size = static_cast<int64_t>(items->size());
    int64_t start = static_cast<int64_t>(args[1].Real(row));
    int64_t end = static_cast<int64_t>(args[2].Real(row));
    if (start < 0) start += size;
    if (end < 0) end += size;
    start = std::max<int64_t>(start, 0);
    end = std::min<int64_t>(end, size - 1);
    std::vector<Dynamic> slice;
    for (int64_t index = start; index <= end; ++index) slice.push_back((*items)[static_cast<size_t>(index)]);
    out.SetValid(row, true);
    out.dynamics()[row] = DynamicValue::MakeArray(std::move(slice));
  }
}

void ArrayIndexOfKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                        ColumnVector& out) {
  const bool is_set_test = call.expr.function == "set_has_element";
  for (uint32_t row : rows) {
    const auto* items = ArrayItems(args[0], row);
    if (!items) {
      out.SetValid(row, false);
      continue;
    }
    Dynamic probe = CellToDynamic(args[1], row);
    int64_t found = -1;
    // array_index_of(array, value[, start[, length]]): a negative start counts from the end.
    const int64_t size = static_cast<int64_t>(items->size());
    int64_t first = args.size() > 2 && !args[2].IsNull(row) ? static_cast<int64_t>(args[2].Real(row)) : 0;
    if (first < 0) first = std::max<int64_t>(first + size, 0);
    int64_t last = size;
    if (args.size() > 3 && !args[3].IsNull(row)) {
      const int64_t length = static_cast<int64_t>(args[3].Real(row));
      if (length >= 0) last = std::min(size, first + length);
    }
    if (first >= size && size > 0) {
      out.SetValid(row, false);
      continue;
    }
    // The fifth argument asks for the n-th occurrence (1 by default).
    int64_t wanted = args.size() > 4 && !args[4].IsNull(row) ? static_cast<int64_t>(args[4].Real(row)) : 1;
    for (size_t index = static_cast<size_t>(first); index < static_cast<size_t>(std::max(last, first)); ++index) {
      if (SameElement((*items)[index] ? (*items)[index] : DynamicValue::MakeNull(), probe) && --wanted <= 0) {
        found = static_cast<int64_t>(index);
        break;
      }
    }
    if (is_set_test) {
      SetBool(out, row, found >= 0);
    } else {
      SetInt(out, row, found);
    }
  }
}

void SetOperationKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                        ColumnVector& out) {
  const std::string_view name = call.expr.function;
  const bool is_union = name == "set_union";
  const bool is_difference = name == "set_difference";
  const bool is_jaccard = name == "jaccard_index";
  for (uint32_t row : rows) {
    std::vector<Dynamic> result;
    std::vector<Dynamic> all;  // jaccard_index: the union.
    bool all_arrays = true;
    for (size_t index = 0; index < args.size(); ++index) {
      const auto* items = ArrayItems(args[index], row);
      if (!items) {
        all_arrays = false;
        break;
      }
      if (is_jaccard) {
        for (const Dynamic& item : *items) {
          if (!ContainsElement(all, item)) all.push_back(item);
        }
      }
      if (is_difference && index > 0) {
        std::erase_if(result, [&](const Dynamic& item) { return ContainsElement(*items, item); });
      } else if (is_union || index == 0) {
        for (const Dynamic& item : *items) {
          if (!ContainsElement(result, item)) result.push_back(item);
        }
      } else {
        std::vector<Dynamic> kept;
        for (const Dynamic& item : result) {
          if (ContainsElement(*items, item)) kept.push_back(item);
        }
        result = std::move(kept);
      }
    }
    if (!all_arrays) {
      SetDynamic(out, row, nullptr);
      continue;
    }
    if (is_jaccard) {
      SetReal(out, row, all.empty() ? 0.0 : static_cast<double>(result.size()) / static_cast<double>(all.size()));
      continue;
    }
    out.SetValid(row, true);
    out.dynamics()[row] = DynamicValue::MakeArray(std::move(result));
  }
}

void ZipKernel(const KernelCall&, std::span<const KernelArg> args, std::span<const uint32_t> rows,
               ColumnVector& out) {
  for (uint32_t row : rows) {
    std::vector<const std::vector<Dynamic>*> arrays;
    size_t longest = 0;
    for (const KernelArg& arg : args) {
      arrays.push_back(ArrayItems(arg, row));
      if (!arrays.back()) break;
      longest = std::max(longest, arrays.back()->size());
    }
    if (arrays.empty() || !arrays.back()) {
      SetDynamic(out, row, nullptr);
      continue;
    }
    std::vector<Dynamic> tuples;
    for (size_t index = 0; index < longest; ++index) {
      std::vector<Dynamic> tuple;
      for (const auto* items : arrays) {
        tuple.push_back(index < items->size() && (*items)[index] ? (*items)[index] : DynamicValue::MakeNull());
      }
      tuples.push_back(DynamicValue::MakeArray(std::move(tuple)));
    }
    out.SetValid(row, true);
    out.dynamics()[row] = DynamicValue::MakeArray(std::move(tuples));
  }
}

void BagHasKeyKernel(const KernelCall&, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                     ColumnVector& out) {
  for (uint32_t row : rows) {
    if (args[0].vector->physical_type() != PhysicalType::kDynamic || args[0].IsNull(row) || !args[0].DynamicAt(row)) {
      out.SetValid(row, false);
      continue;
    }
    const DynamicValue* node = args[0].DynamicAt(row).get();
    if (node->kind() != DynamicValue::Kind::kObject) {
      out.SetValid(row, false);
      continue;
    }
    std::vector<std::string> keys = SplitBagPath(args[1].String(row));
    bool found = !keys.empty();
    for (const std::string& key : keys) {
      node = node ? node->Find(key) : nullptr;
      if (!node) {
        found = false;
        break;
      }
    }
    SetBool(out, row, found);
  }
}

void DynamicIndexKernel(const KernelCall&, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                        ColumnVector& out) {
  const KernelArg& container = args[0];
  const KernelArg& index = args[1];
  std::string key;
  for (uint32_t row : rows) {
    if (container.IsNull(row) || container.vector->physical_type() != PhysicalType::kDynamic || index.IsNull(row)) {
      SetDynamic(out, row, nullptr);
      continue;
    }
    const Dynamic& value = container.DynamicAt(row);
    Dynamic found;
    if (index.vector->physical_type() == PhysicalType::kString) {
      if (value->kind() == DynamicValue::Kind::kObject) {
        std::string_view name = index.String(row);
        for (const auto& member : value->members()) {
          if (member.first == name) {
            found = member.second;
            break;
          }
        }
      }
    } else if (value->kind() == DynamicValue::Kind::kArray) {
      int64_t position = index.vector->physical_type() == PhysicalType::kDouble ? static_cast<int64_t>(index.Real(row))
                                                                                 : index.Int(row);
      const auto& items = value->items();
      if (position < 0) position += static_cast<int64_t>(items.size());
      if (position >= 0 && static_cast<size_t>(position) < items.size()) found = items[static_cast<size_t>(position)];
    }
    SetDynamic(out, row, std::move(found));
  }
}

void ArrayLengthKernel(const KernelCall&, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                       ColumnVector& out) {
  const KernelArg& arg = args[0];
  for (uint32_t row : rows) {
    if (arg.IsNull(row) || arg.vector->physical_type() != PhysicalType::kDynamic ||
        arg.DynamicAt(row)->kind() != DynamicValue::Kind::kArray) {
      out.SetValid(row, false);
      continue;
    }
    SetInt(out, row, static_cast<int64_t>(arg.DynamicAt(row)->items().size()));
  }
}

void PackArrayKernel(const KernelCall&, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                     ColumnVector& out) {
  for (uint32_t row : rows) {
    std::vector<Dynamic> items;
    items.reserve(args.size());
    for (const KernelArg& arg : args) items.push_back(CellToDynamic(arg, row));
    SetDynamic(out, row, DynamicValue::MakeArray(std::move(items)));
  }
}

void BagPackKernel(const KernelCall&, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                   ColumnVector& out) {
  for (uint32_t row : rows) {
    std::vector<DynamicValue::Member> members;
    for (size_t index = 0; index + 1 < args.size(); index += 2) {
      std::string key;
      AppendText(args[index], row, key);
      members.emplace_back(std::move(key), CellToDynamic(args[index + 1], row));
    }
    SetDynamic(out, row, DynamicValue::MakeObject(std::move(members)));
  }
}

void BagKeysKernel(const KernelCall&, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                   ColumnVector& out) {
  const KernelArg& arg = args[0];
  for (uint32_t row : rows) {
    if (arg.IsNull(row) || arg.vector->physical_type() != PhysicalType::kDynamic ||
        arg.DynamicAt(row)->kind() != DynamicValue::Kind::kObject) {
      out.SetValid(row, false);
      continue;
    }
    std::vector<Dynamic> keys;
    for (const auto& member : arg.DynamicAt(row)->members()) keys.push_back(DynamicValue::MakeString(member.first));
    SetDynamic(out, row, DynamicValue::MakeArray(std::move(keys)));
  }
}

}  // namespace kql::exec
