// Binding of `evaluate basket([Threshold, WeightColumn, MaxDimensions, CustomWildcard, ...])` and
// `evaluate autocluster([SizeWeight, WeightColumn, NumSeeds, CustomWildcard, ...])` into a LogicalPatternMining
// (execution: execution/operator/pattern_mining_operator.cpp). Positional arguments as Microsoft documents them;
// '~' keeps an argument's default. Every input column except the weight column is a dimension of the output; a
// custom wildcard (a constant) is the "any value" of the columns of its type (default: null, "" for strings).
#include <cmath>

#include "binder/binder_diagnostic.h"
#include "binder/query_binder.h"
#include "plan/logical_pattern_mining.h"
#include "binder/layer.h"

namespace kql::binder {
namespace {

bool IsTilde(const BoundExpr& value) {
  return value.kind == BoundExprKind::kConstant && value.constant.type == KqlType::kString &&
         !value.constant.is_null && value.constant.string_value == "~";
}

/// A constant number as a double; nullopt for anything else.
std::optional<double> ConstantNumber(const BoundExpr& value) {
  if (value.kind != BoundExprKind::kConstant || value.constant.is_null) return std::nullopt;
  switch (value.constant.type) {
    case KqlType::kInt:
    case KqlType::kLong: return static_cast<double>(value.constant.int_value);
    case KqlType::kReal:
    case KqlType::kDecimal: return value.constant.real_value;
    default: return std::nullopt;
  }
}

}  // namespace

LogicalOperatorPtr QueryBinder::BindPatternMining(const CallExpr& call, LogicalOperatorPtr input) {
  if (IsErrorSchema(input->schema)) return input;
  const bool basket = call.name == "basket";
  const std::string plugin = call.name;
  const Schema& schema = input->schema;
  auto mining = std::make_unique<LogicalPatternMining>();
  mining->algorithm = basket ? PatternMiningAlgorithm::kBasket : PatternMiningAlgorithm::kAutocluster;
  std::vector<std::pair<KqlType, Value>> custom_wildcards;
  bool ok = true;
  for (size_t index = 0; index < call.args.size(); ++index) {
    const Expr& arg = *call.args[index];
    if (index < call.arg_names.size() && !call.arg_names[index].empty()) {
      Error(kBindInvalidOperatorParameter, arg.span, plugin + " takes positional arguments only: " + call.arg_names[index]);
      ok = false;
      continue;
    }
    if (index == 1) {
      // WeightColumn: a numeric column, or '~'.
      const Expr& stripped = StripParens(arg);
      if (stripped.kind == ExprKind::kName) {
        const std::string& name = stripped.As<NameExpr>().name;
        std::optional<size_t> column;
        for (size_t c = 0; c < schema.size(); ++c) {
          if (schema[c].name == name) column = c;
        }
        if (!column) {
          Error(kBindUnknownName, arg.span, plugin + ": WeightColumn is not a column of the input: " + name);
          ok = false;
        } else if (!IsNumeric(schema[*column].type)) {
          Error(kBindWrongArgumentType, arg.span,
                plugin + ": WeightColumn must be a numeric column (int, long, real), but " + name + " is " +
                    std::string(TypeName(schema[*column].type)));
          ok = false;
        } else {
          mining->weight_column = column;
        }
        continue;
      }
    }
    BoundExprPtr value = BindExpr(arg, schema);
    if (value->type == KqlType::kUnknown) {
      ok = false;
      continue;
    }
    if (IsTilde(*value)) continue;
    if (index == 0 || index == 2) {
      const std::optional<double> number = ConstantNumber(*value);
      const char* what = index == 0 ? (basket ? "Threshold" : "SizeWeight") : (basket ? "MaxDimensions" : "NumSeeds");
      bool valid = number.has_value();
      // Microsoft documents basket's Threshold as 0.015 to 1, but published Sentinel hunting queries pass 0.001 and
      // 0.01: any share above 0 is taken.
      if (valid && index == 0) valid = basket ? (*number > 0 && *number <= 1) : (*number >= 0 && *number <= 1);
      if (valid && index == 2) valid = *number >= 1 && *number <= 1000000 && std::floor(*number) == *number;
      if (!valid) {
        const std::string range = index == 0 ? (basket ? "a number above 0 and at most 1" : "a number from 0 to 1")
                                              : "a whole number of at least 1";
        Error(kBindWrongArgumentType, arg.span, plugin + ": " + what + " must be " + range + " (or '~' for the default)");
        ok = false;
        continue;
      }
      if (index == 0) (basket ? mining->threshold : mining->size_weight) = *number;
      if (index == 2) (basket ? mining->max_dimensions : mining->num_seeds) = static_cast<int>(*number);
      continue;
    }
    if (index == 1) {
      Error(kBindWrongArgumentType, arg.span, plugin + ": WeightColumn must be a column name (or '~' for none)");
      ok = false;
      continue;
    }
    // CustomWildcard: a constant of a scalar type.
    if (value->kind != BoundExprKind::kConstant || value->type == KqlType::kDynamic) {
      Error(kBindExpectedConstant, arg.span,
            plugin + ": a CustomWildcard must be a constant of a scalar type, like '*', int(-1) or datetime(1900-1-1)");
      ok = false;
      continue;
    }
    custom_wildcards.emplace_back(value->type, value->constant);
  }
  if (!ok) return input;
  mining->schema = {{"SegmentId", KqlType::kLong}, {"Count", KqlType::kLong}, {"Percent", KqlType::kReal}};
  for (size_t c = 0; c < schema.size(); ++c) {
    if (mining->weight_column && *mining->weight_column == c) continue;
    mining->dimensions.push_back(c);
    mining->minable.push_back(schema[c].type != KqlType::kDynamic);
    Value wildcard = schema[c].type == KqlType::kString ? Value::String("") : Value::Null(schema[c].type);
    for (const auto& [type, value] : custom_wildcards) {
      if (type == schema[c].type) wildcard = value;
    }
    mining->wildcards.push_back(std::move(wildcard));
    mining->schema.push_back(schema[c]);
  }
  mining->children.push_back(std::move(input));
  return mining;
}

}  // namespace kql::binder
