#include "execution/scalar/scalar_function_registry.h"

#include <algorithm>
#include <array>

#include "execution/scalar/scalar_kernels.h"

namespace kql {

namespace {

// One line per function: canonical name, kernel, optional per-executor preparation.
constexpr ScalarFunction kFunctions[] = {
    {"==", ComparisonKernel},
    {"!=", ComparisonKernel},
    {"<", ComparisonKernel},
    {"<=", ComparisonKernel},
    {">", ComparisonKernel},
    {">=", ComparisonKernel},
    {"=~", EqualsIgnoreCaseKernel},
    {"!~", EqualsIgnoreCaseKernel},
    {"between", BetweenKernel},
    {"!between", BetweenKernel},
    {"has", StringMatchKernel, PrepareStringMatchKernel},
    {"!has", StringMatchKernel, PrepareStringMatchKernel},
    {"has_cs", StringMatchKernel, PrepareStringMatchKernel},
    {"!has_cs", StringMatchKernel, PrepareStringMatchKernel},
    {"hasprefix", StringMatchKernel, PrepareStringMatchKernel},
    {"!hasprefix", StringMatchKernel, PrepareStringMatchKernel},
    {"hasprefix_cs", StringMatchKernel, PrepareStringMatchKernel},
    {"!hasprefix_cs", StringMatchKernel, PrepareStringMatchKernel},
    {"hassuffix", StringMatchKernel, PrepareStringMatchKernel},
    {"!hassuffix", StringMatchKernel, PrepareStringMatchKernel},
    {"hassuffix_cs", StringMatchKernel, PrepareStringMatchKernel},
    {"!hassuffix_cs", StringMatchKernel, PrepareStringMatchKernel},
    {"contains", StringMatchKernel, PrepareStringMatchKernel},
    {"!contains", StringMatchKernel, PrepareStringMatchKernel},
    {"contains_cs", StringMatchKernel, PrepareStringMatchKernel},
    {"!contains_cs", StringMatchKernel, PrepareStringMatchKernel},
    {"startswith", StartsEndsWithKernel},
    {"!startswith", StartsEndsWithKernel},
    {"startswith_cs", StartsEndsWithKernel},
    {"!startswith_cs", StartsEndsWithKernel},
    {"endswith", StartsEndsWithKernel},
    {"!endswith", StartsEndsWithKernel},
    {"endswith_cs", StartsEndsWithKernel},
    {"!endswith_cs", StartsEndsWithKernel},
    {"in", SetKernel, PrepareSetKernel},
    {"!in", SetKernel, PrepareSetKernel},
    {"in~", SetKernel, PrepareSetKernel},
    {"!in~", SetKernel, PrepareSetKernel},
    {"has_any", SetKernel, PrepareSetKernel},
    {"has_all", SetKernel, PrepareSetKernel},
    {"not", NotKernel},
    {"iff", IffKernel},
    {"case", CaseKernel},
    {"coalesce", CoalesceKernel},
    {"isnull", IsNullKernel},
    {"isnotnull", IsNullKernel},
    {"isempty", IsEmptyKernel},
    {"isnotempty", IsEmptyKernel},
    {"+", ArithmeticKernel},
    {"-", ArithmeticKernel},
    {"*", ArithmeticKernel},
    {"/", ArithmeticKernel},
    {"%", ArithmeticKernel},
    {"neg", NegateKernel},
    {"bin", BinKernel},
    {"floor", BinKernel},
    {"abs", MathUnaryKernel},
    {"ceiling", MathUnaryKernel},
    {"sqrt", MathUnaryKernel},
    {"log", MathUnaryKernel},
    {"log10", MathUnaryKernel},
    {"log2", MathUnaryKernel},
    {"exp", MathUnaryKernel},
    {"exp2", MathUnaryKernel},
    {"exp10", MathUnaryKernel},
    {"sign", MathUnaryKernel},
    {"isnan", MathUnaryKernel},
    {"isinf", MathUnaryKernel},
    {"isfinite", MathUnaryKernel},
    {"round", RoundKernel},
    {"pow", PowKernel},
    {"min_of", MinMaxOfKernel},
    {"max_of", MinMaxOfKernel},
    {"tostring", ToStringKernel},
    {"toint", ToNumberKernel},
    {"tolong", ToNumberKernel},
    {"todouble", ToNumberKernel},
    {"todecimal", ToNumberKernel},
    {"tobool", ToBoolKernel},
    {"todatetime", ToDateTimeKernel},
    {"totimespan", ToTimeSpanKernel},
    {"toguid", ToGuidKernel},
    {"todynamic", ToDynamicKernel},
    {"strcat", StrcatKernel},
    {"strcat_delim", StrcatDelimKernel},
    {"strlen", StrlenKernel},
    {"tolower", ChangeCaseKernel},
    {"toupper", ChangeCaseKernel},
    {"substring", SubstringKernel},
    {"indexof", IndexOfKernel},
    {"replace_string", ReplaceStringKernel},
    {"split", SplitKernel},
    {"countof", CountOfKernel},
    {"reverse", ReverseKernel},
    {"matches regex", RegexKernel, PrepareRegexKernel},
    {"extract", RegexKernel, PrepareRegexKernel},
    {"extract_all", RegexKernel, PrepareRegexKernel},
    {"replace_regex", RegexKernel, PrepareRegexKernel},
    {"trim", RegexKernel, PrepareRegexKernel},
    {"trim_start", RegexKernel, PrepareRegexKernel},
    {"trim_end", RegexKernel, PrepareRegexKernel},
    {"[]", DynamicIndexKernel},
    {"array_length", ArrayLengthKernel},
    {"pack_array", PackArrayKernel},
    {"bag_pack", BagPackKernel},
    {"bag_keys", BagKeysKernel},
};

}  // namespace

const ScalarFunction* FindScalarFunction(std::string_view name) {
  for (const ScalarFunction& function : kFunctions) {
    if (function.name == name) return &function;
  }
  return nullptr;
}

std::span<const ScalarFunction> AllScalarFunctions() { return kFunctions; }

}  // namespace kql
