// ScalarKernels: the declarations of every kernel, grouped by the family file that defines it. The registry
// (scalar_function_registry.cpp) maps canonical function names onto these; nothing else calls them directly.
#pragma once
#include "execution/scalar/scalar_kernel.h"
#include "execution/layer.h"

namespace kql::exec {

#define KQL_DECLARE_KERNEL(name)                                                                          \
  void name(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows, \
            ColumnVector& out)
#define KQL_DECLARE_PREPARE(name) \
  std::unique_ptr<KernelState> name(const BoundExpr& expr, std::span<const Value* const> constants, ExecutionContext& context)

// comparison.cpp
KQL_DECLARE_KERNEL(ComparisonKernel);
KQL_DECLARE_KERNEL(EqualsIgnoreCaseKernel);
KQL_DECLARE_KERNEL(BetweenKernel);
// string_has.cpp
KQL_DECLARE_KERNEL(StringMatchKernel);
KQL_DECLARE_PREPARE(PrepareStringMatchKernel);
// string_contains.cpp
KQL_DECLARE_KERNEL(StartsEndsWithKernel);
// set_membership.cpp
KQL_DECLARE_KERNEL(SetKernel);
KQL_DECLARE_PREPARE(PrepareSetKernel);
// logical.cpp
KQL_DECLARE_KERNEL(NotKernel);
KQL_DECLARE_KERNEL(IffKernel);
KQL_DECLARE_KERNEL(CaseKernel);
KQL_DECLARE_KERNEL(CoalesceKernel);
KQL_DECLARE_KERNEL(IsNullKernel);
KQL_DECLARE_KERNEL(IsEmptyKernel);
// arithmetic.cpp
KQL_DECLARE_KERNEL(ArithmeticKernel);
KQL_DECLARE_KERNEL(NegateKernel);
// math_functions.cpp
KQL_DECLARE_KERNEL(BinKernel);
KQL_DECLARE_KERNEL(MathUnaryKernel);
KQL_DECLARE_KERNEL(RoundKernel);
KQL_DECLARE_KERNEL(PowKernel);
KQL_DECLARE_KERNEL(PiKernel);
KQL_DECLARE_KERNEL(BinAtKernel);
KQL_DECLARE_KERNEL(AroundKernel);
KQL_DECLARE_KERNEL(MinMaxOfKernel);
// conversion.cpp
KQL_DECLARE_KERNEL(ToStringKernel);
KQL_DECLARE_KERNEL(ToNumberKernel);
KQL_DECLARE_KERNEL(ToBoolKernel);
KQL_DECLARE_KERNEL(ToDateTimeKernel);
KQL_DECLARE_KERNEL(ToTimeSpanKernel);
KQL_DECLARE_KERNEL(ToGuidKernel);
KQL_DECLARE_KERNEL(ToDynamicKernel);
// string_functions.cpp
KQL_DECLARE_KERNEL(StrcatKernel);
KQL_DECLARE_KERNEL(StrcatDelimKernel);
KQL_DECLARE_KERNEL(StrlenKernel);
KQL_DECLARE_KERNEL(ChangeCaseKernel);
KQL_DECLARE_KERNEL(SubstringKernel);
KQL_DECLARE_KERNEL(IndexOfKernel);
KQL_DECLARE_KERNEL(IndexOfRegexKernel);
KQL_DECLARE_PREPARE(PrepareIndexOfRegexKernel);
KQL_DECLARE_KERNEL(ReplaceStringKernel);
KQL_DECLARE_KERNEL(SplitKernel);
KQL_DECLARE_KERNEL(CountOfKernel);
KQL_DECLARE_PREPARE(PrepareCountOfKernel);
KQL_DECLARE_KERNEL(ReverseKernel);
// regex_functions.cpp
KQL_DECLARE_KERNEL(RegexKernel);
KQL_DECLARE_PREPARE(PrepareRegexKernel);
// array_functions.cpp
KQL_DECLARE_KERNEL(StringSizeKernel);
KQL_DECLARE_KERNEL(StrcatArrayKernel);
KQL_DECLARE_KERNEL(ArraySumKernel);
KQL_DECLARE_KERNEL(ArrayReverseKernel);
KQL_DECLARE_KERNEL(ArraySortKernel);

// dynamic_functions.cpp
KQL_DECLARE_KERNEL(DynamicIndexKernel);
KQL_DECLARE_KERNEL(ArrayLengthKernel);
KQL_DECLARE_KERNEL(PackArrayKernel);
KQL_DECLARE_KERNEL(BagPackKernel);
KQL_DECLARE_KERNEL(BagKeysKernel);
KQL_DECLARE_KERNEL(ArrayConcatKernel);
KQL_DECLARE_KERNEL(ArraySliceKernel);
KQL_DECLARE_KERNEL(ArrayIndexOfKernel);
KQL_DECLARE_KERNEL(SetOperationKernel);
KQL_DECLARE_KERNEL(ZipKernel);
KQL_DECLARE_KERNEL(BagHasKeyKernel);
// datetime_functions.cpp
KQL_DECLARE_KERNEL(DateTimeAddKernel);
KQL_DECLARE_KERNEL(DateTimeDiffKernel);
KQL_DECLARE_KERNEL(StartEndOfKernel);
KQL_DECLARE_KERNEL(DateTimePartKernel);
KQL_DECLARE_KERNEL(FormatDateTimeKernel);
KQL_DECLARE_KERNEL(MakeDateTimeKernel);
KQL_DECLARE_KERNEL(IngestionTimeKernel);
KQL_DECLARE_KERNEL(MakeTimeSpanKernel);
KQL_DECLARE_KERNEL(DateTimePartByNameKernel);
KQL_DECLARE_KERNEL(UnixTimeToDateTimeKernel);
// ipv4_functions.cpp
KQL_DECLARE_KERNEL(ParseIpv4Kernel);
KQL_DECLARE_KERNEL(Ipv4RangeKernel);
KQL_DECLARE_KERNEL(Ipv4IsPrivateKernel);
KQL_DECLARE_KERNEL(Ipv4CompareKernel);
KQL_DECLARE_KERNEL(Ipv4TextKernel);
// text_encoding.cpp
KQL_DECLARE_KERNEL(TextEncodingKernel);
KQL_DECLARE_KERNEL(ToHexKernel);
KQL_DECLARE_KERNEL(StrRepKernel);
KQL_DECLARE_KERNEL(TypeOfKernel);
KQL_DECLARE_KERNEL(BinaryTextKernel);

// bag_functions.cpp
KQL_DECLARE_KERNEL(BagFunctionKernel);
// array_reshape_functions.cpp
KQL_DECLARE_KERNEL(ArrayReshapeKernel);
// ipv6_functions.cpp
KQL_DECLARE_KERNEL(Ipv6FunctionKernel);
// string_transform_functions.cpp
KQL_DECLARE_KERNEL(StringTransformKernel);
// bitwise_functions.cpp
KQL_DECLARE_KERNEL(BitwiseKernel);
// url_functions.cpp
KQL_DECLARE_KERNEL(UrlFunctionKernel);
// xml_functions.cpp, path_functions.cpp
KQL_DECLARE_KERNEL(XmlFunctionKernel);
KQL_DECLARE_KERNEL(PathFunctionKernel);
// hash_functions.cpp
KQL_DECLARE_KERNEL(HashFunctionKernel);

KQL_DECLARE_KERNEL(DistributionFunctionKernel);
KQL_DECLARE_KERNEL(PunycodeFunctionKernel);
KQL_DECLARE_KERNEL(UnitConversionKernel);
KQL_DECLARE_KERNEL(RecordParsingKernel);
KQL_DECLARE_KERNEL(TimeZoneFunctionKernel);

#undef KQL_DECLARE_KERNEL
#undef KQL_DECLARE_PREPARE

}  // namespace kql::exec
