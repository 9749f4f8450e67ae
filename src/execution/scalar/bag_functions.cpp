// Property-bag functions: bag_merge, bag_remove_keys, bag_set_key, bag_zip, dynamic_to_json, treepath.
// Semantics (KQL docs and kusto_engine_cases.jsonl):
//   - bag_merge keeps the first bag's value when several bags hold a key; arguments that are not bags are skipped.
//   - bag_remove_keys(bag, keys) removes plain keys and JSONPath keys ('$.a.b' removes b inside a); keys that are
//     absent are ignored; a non-bag gives null.
//   - bag_set_key(bag, key, value) sets a plain or JSONPath key, creating intermediate bags.
//   - bag_zip(keys, values) pairs the arrays; keys that are not strings are skipped and missing values are null.
//   - dynamic_to_json writes compact JSON with bag keys sorted ordinally; a non-dynamic value is its tostring.
//   - treepath lists every path of a bag or array: "['a']", "['a']['b']", array elements as "[0]".
#include <algorithm>
#include <string>
#include <vector>

#include "execution/scalar/json_path.h"
#include "execution/scalar/scalar_kernels.h"
#include "execution/scalar/value_kernel.h"
#include "execution/layer.h"

namespace kql::exec {

namespace {

using Kind = DynamicValue::Kind;

bool IsBag(const Value& value) {
  return !value.is_null && value.type == KqlType::kDynamic && value.dynamic_value &&
         value.dynamic_value->kind() == Kind::kObject;
}

// The bag with the member at keys[depth..] removed.
Dynamic RemovePath(const DynamicValue& bag, const std::vector<std::string>& keys, size_t depth) {
  std::vector<DynamicValue::Member> members;
  for (const auto& [key, value] : bag.members()) {
    if (key != keys[depth]) {
      members.emplace_back(key, value);
    } else if (depth + 1 < keys.size()) {
      members.emplace_back(key, value && value->kind() == Kind::kObject ? RemovePath(*value, keys, depth + 1) : value);
    }
  }
  return DynamicValue::MakeObject(std::move(members));
}

// The bag with keys[depth..] set to value, creating bags on the way.
Dynamic SetPath(const DynamicValue* bag, const std::vector<std::string>& keys, size_t depth, const Dynamic& value) {
  std::vector<DynamicValue::Member> members;
  bool found = false;
  if (bag != nullptr && bag->kind() == Kind::kObject) {
    for (const auto& [key, existing] : bag->members()) {
      if (key != keys[depth]) {
        members.emplace_back(key, existing);
        continue;
      }
      found = true;
      members.emplace_back(key, depth + 1 < keys.size() ? SetPath(existing.get(), keys, depth + 1, value) : value);
    }
  }
  if (!found) {
    members.emplace_back(keys[depth], depth + 1 < keys.size() ? SetPath(nullptr, keys, depth + 1, value) : value);
  }
  return DynamicValue::MakeObject(std::move(members));
}

Dynamic SortedKeys(const Dynamic& value) {
  if (!value) return value;
  if (value->kind() == Kind::kArray) {
    std::vector<Dynamic> items;
    for (const Dynamic& item : value->items()) items.push_back(SortedKeys(item));
    return DynamicValue::MakeArray(std::move(items));
  }
  if (value->kind() != Kind::kObject) return value;
  std::vector<DynamicValue::Member> members;
  for (const auto& [key, member] : value->members()) members.emplace_back(key, SortedKeys(member));
  std::stable_sort(members.begin(), members.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return DynamicValue::MakeObject(std::move(members));
}

void CollectPaths(const DynamicValue& value, const std::string& prefix, std::vector<Dynamic>& out) {
  if (value.kind() == Kind::kObject) {
    for (const auto& [key, member] : value.members()) {
      std::string path = prefix + "['" + key + "']";
      out.push_back(DynamicValue::MakeString(path));
      if (member) CollectPaths(*member, path, out);
    }
  } else if (value.kind() == Kind::kArray) {
    // Kusto lists one wildcard path per array rather than one per element.
    bool any_nested = false;
    for (const Dynamic& item : value.items()) {
      any_nested = any_nested || (item && (item->kind() == Kind::kObject || item->kind() == Kind::kArray));
    }
    if (!any_nested) return;
    std::string path = prefix + "[0]";
    out.push_back(DynamicValue::MakeString(path));
    for (const Dynamic& item : value.items()) {
      if (item && (item->kind() == Kind::kObject || item->kind() == Kind::kArray)) {
        CollectPaths(*item, path, out);
        break;
      }
    }
  }
}

Value BagMerge(std::span<const Value> args, KqlType) {
  std::vector<DynamicValue::Member> members;
  bool any_bag = false;
  for (const Value& arg : args) {
    if (!IsBag(arg)) continue;
    any_bag = true;
    for (const auto& [key, value] : arg.dynamic_value->members()) {
      bool present =
          std::any_of(members.begin(), members.end(), [&key = key](const auto& member) { return member.first == key; });
      if (!present) members.emplace_back(key, value);
    }
  }
  if (!any_bag) return Value::Null(KqlType::kDynamic);
  return Value::FromDynamic(DynamicValue::MakeObject(std::move(members)));
}

Value BagRemoveKeys(std::span<const Value> args, KqlType) {
  if (!IsBag(args[0])) return Value::Null(KqlType::kDynamic);
  Dynamic bag = args[0].dynamic_value;
  Dynamic keys = ValueDynamic(args[1]);
  std::vector<Dynamic> paths = keys->kind() == Kind::kArray ? keys->items() : std::vector<Dynamic>{keys};
  for (const Dynamic& path : paths) {
    if (!path || path->kind() != Kind::kString) continue;
    std::vector<std::string> parts = SplitBagPath(path->string_value());
    if (!parts.empty()) bag = RemovePath(*bag, parts, 0);
  }
  return Value::FromDynamic(bag);
}

Value BagSetKey(std::span<const Value> args, KqlType) {
  if (!IsBag(args[0])) return Value::Null(KqlType::kDynamic);
  std::vector<std::string> parts = SplitBagPath(ValueText(args[1]));
  if (parts.empty()) return Value::Null(KqlType::kDynamic);
  return Value::FromDynamic(SetPath(args[0].dynamic_value.get(), parts, 0, ValueDynamic(args[2])));
}

Value BagZip(std::span<const Value> args, KqlType) {
  Dynamic keys = ValueDynamic(args[0]);
  Dynamic values = ValueDynamic(args[1]);
  if (keys->kind() != Kind::kArray || values->kind() != Kind::kArray) return Value::Null(KqlType::kDynamic);
  std::vector<DynamicValue::Member> members;
  for (size_t index = 0; index < keys->items().size(); ++index) {
    const Dynamic& key = keys->items()[index];
    if (!key || key->kind() != Kind::kString) continue;
    Dynamic value = index < values->items().size() ? values->items()[index] : DynamicValue::MakeNull();
    members.emplace_back(key->string_value(), value ? value : DynamicValue::MakeNull());
  }
  return Value::FromDynamic(DynamicValue::MakeObject(std::move(members)));
}

Value DynamicToJson(std::span<const Value> args, KqlType) {
  if (args[0].type != KqlType::kDynamic) return Value::String(ValueText(args[0]));
  if (args[0].is_null || !args[0].dynamic_value) return Value::String("null");
  return Value::String(ToJson(*SortedKeys(args[0].dynamic_value)));
}

Value TreePath(std::span<const Value> args, KqlType) {
  Dynamic value = ValueDynamic(args[0]);
  std::vector<Dynamic> paths;
  CollectPaths(*value, "", paths);
  return Value::FromDynamic(DynamicValue::MakeArray(std::move(paths)));
}

constexpr ValueFunctionEntry kBagFunctions[] = {
    {"bag_merge", BagMerge},         {"bag_remove_keys", BagRemoveKeys}, {"bag_set_key", BagSetKey},
    {"bag_zip", BagZip},             {"dynamic_to_json", DynamicToJson}, {"treepath", TreePath},
};

}  // namespace

void BagFunctionKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                       ColumnVector& out) {
  RunValueFunction(kBagFunctions, call, args, rows, out);
}

}  // namespace kql::exec
