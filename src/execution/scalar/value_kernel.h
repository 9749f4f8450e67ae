// ValueKernel: the adapter for scalar functions whose per-row work (hashing, parsing a URL, building a dynamic
// tree) dwarfs the cost of reading their arguments as Values. Such a function is written once over Values and
// registered in a family table; the adapter picks it by name once per call and runs it over the active rows.
// Hot comparison and arithmetic operators must not use it: they have typed loops of their own.
#pragma once
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "execution/scalar/scalar_kernel.h"
#include "execution/scalar/text_conversion.h"
#include "types/datetime.h"
#include "types/value.h"
#include "execution/layer.h"

namespace kql::exec {

/// A per-row function: the arguments (nulls included) and the call's result type; returns the result Value.
using ValueFunction = Value (*)(std::span<const Value> args, KqlType result_type);

/// One row of a family's table: canonical name and function.
struct ValueFunctionEntry {
  std::string_view name;
  ValueFunction function;
};

/// Runs the table entry named like the call over `rows`; throws QueryError when the table lacks the name.
inline void RunValueFunction(std::span<const ValueFunctionEntry> table, const KernelCall& call,
                             std::span<const KernelArg> args, std::span<const uint32_t> rows, ColumnVector& out) {
  ValueFunction function = nullptr;
  for (const ValueFunctionEntry& entry : table) {
    if (entry.name == call.expr.function) function = entry.function;
  }
  if (function == nullptr) throw QueryError("Function is not implemented: " + call.expr.function);
  std::vector<Value> values(args.size());
  for (uint32_t row : rows) {
    for (size_t index = 0; index < args.size(); ++index) values[index] = args[index].vector->GetValue(args[index].Row(row));
    out.SetValue(row, function(values, call.expr.type));
  }
}

/// tostring(value): "" for null, "True"/"False", Kusto's real text, ISO datetimes, dynamic as JSON (a dynamic
/// string is its raw text). The Value twin of AppendText.
inline std::string ValueText(const Value& value) {
  std::string out;
  if (value.is_null && value.type != KqlType::kString) return out;
  switch (value.type) {
    case KqlType::kString:
    case KqlType::kGuid: return value.string_value;
    case KqlType::kBool: return value.int_value ? "True" : "False";
    case KqlType::kInt:
    case KqlType::kLong: return std::to_string(value.int_value);
    case KqlType::kReal:
    case KqlType::kDecimal: AppendRealText(value.real_value, out); return out;
    case KqlType::kDateTime: return FormatDateTimeFull(value.int_value);
    case KqlType::kTimeSpan: return FormatTimeSpan(value.int_value);
    case KqlType::kDynamic:
      if (value.dynamic_value) AppendDynamicText(*value.dynamic_value, out);
      return out;
    default: return out;
  }
}

/// A numeric Value (int, long, real, bool, or a dynamic number) as double; nullopt for null or non-numbers.
inline std::optional<double> ValueNumber(const Value& value) {
  if (value.is_null) return std::nullopt;
  switch (value.type) {
    case KqlType::kBool:
    case KqlType::kInt:
    case KqlType::kLong: return static_cast<double>(value.int_value);
    case KqlType::kReal:
    case KqlType::kDecimal: return value.real_value;
    case KqlType::kDynamic:
      if (value.dynamic_value && value.dynamic_value->kind() == DynamicValue::Kind::kLong) {
        return static_cast<double>(value.dynamic_value->int_value());
      }
      if (value.dynamic_value && value.dynamic_value->kind() == DynamicValue::Kind::kReal) {
        return value.dynamic_value->real_value();
      }
      return std::nullopt;
    default: return std::nullopt;
  }
}

/// The dynamic node of a Value (scalars converted); a null node for null.
inline Dynamic ValueDynamic(const Value& value) {
  Dynamic result = value.type == KqlType::kDynamic ? value.dynamic_value : ToDynamic(value);
  return result ? result : DynamicValue::MakeNull();
}

}  // namespace kql::exec
