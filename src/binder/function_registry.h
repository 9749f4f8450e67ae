// FunctionRegistry: the signatures of every scalar and aggregate function the binder accepts — canonical name,
// arity, argument kinds, return-type rule and result-naming rule. It checks calls; it does not evaluate them.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "types/kql_type.h"
#include "binder/layer.h"

namespace kql::binder {

/// Whether a function works on one row or on a group.
enum class FunctionClass { kScalar, kAggregate };

/// How a call's result type is derived from its argument types.
enum class ReturnRule {
  kFixed,           ///< `fixed_type`.
  kFirstArg,        ///< The first argument's type.
  kFirstArgWidened, ///< The first argument's type with int widened to long (sum, abs).
  kCommonArgs,      ///< The common type of all arguments (coalesce, min_of, max_of).
  kIff,             ///< The common type of arguments 1 and 2.
  kCase,            ///< The common type of the odd arguments and the last one.
  kSecondArg,       ///< The second argument's type.
};

/// How a call without an explicit name names its result column (Kusto's rules, checked with the oracle).
enum class NameRule {
  kNone,              ///< Column1, Column2, ...
  kFirstArgument,     ///< tostring(X) -> X, bin(X, 1h) -> X.
  kNameAndArgument,   ///< strlen(X) -> strlen_X.
  kPrefixAndArgument, ///< Aggregates: min(X) -> min_X; uses `name_prefix`.
  kArgument,          ///< take_any(X) -> X.
  kPrefixOnly,        ///< count() -> count_, countif(p) -> countif_.
};

/// One function signature. Argument kinds are one letter per position (the last repeats for variadic calls):
/// a any, s string-like (string/dynamic), n number, d datetime, t timespan, b bool, y dynamic,
/// v scalar value (not dynamic-only).
struct FunctionSignature {
  std::string_view name;
  FunctionClass function_class = FunctionClass::kScalar;
  int min_args = 0;
  int max_args = 0;  ///< -1 for unlimited.
  std::string_view arg_kinds;
  ReturnRule return_rule = ReturnRule::kFixed;
  KqlType fixed_type = KqlType::kUnknown;
  NameRule name_rule = NameRule::kNone;
  std::string_view name_prefix;  ///< For kPrefixAndArgument / kPrefixOnly: "min", "set", "count".
  std::string_view doc;
};

/// Looks up a function by name (aliases such as makeset, iif, toreal are resolved); nullptr when unknown.
const FunctionSignature* FindFunction(std::string_view name);

/// True for KQL functions that exist but are not implemented here (series_*, geo_*, ...).
bool IsKnownUnsupportedFunction(std::string_view name);

/// Every canonical function name, for "did you mean".
std::vector<std::string> AllFunctionNames();

/// Checks an argument type against a kind letter; unknown types (errors) always pass.
bool ArgumentKindAccepts(char kind, KqlType type);

/// Describes a kind letter for messages ("string", "number", ...).
std::string_view ArgumentKindName(char kind);

/// The common type of two types under KQL promotion (int < long < real), or nullopt if incompatible.
std::optional<KqlType> CommonType(KqlType left, KqlType right);

}  // namespace kql::binder
