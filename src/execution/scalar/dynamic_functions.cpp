// Dynamic functions: "[]" (element by index or key; `a.b` binds to it), array_length, pack_array, bag_pack,
// bag_keys.
// Semantics (KQL docs and kusto_engine_cases.jsonl):
//   - Indexing a non-array, a missing key or an out-of-range index gives null; negative indexes count from the
//     end. A JSON null element is null (isnull(d.b[0]) is true).
//   - array_length of a non-array is null.
//   - pack_array/bag_pack keep nulls as JSON nulls; bag_pack takes key, value pairs (keys via tostring).
#include <string>

#include "execution/scalar/scalar_kernels.h"
#include "execution/scalar/text_conversion.h"

namespace kql {

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

}  // namespace

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

}  // namespace kql
