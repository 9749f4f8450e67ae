// Every function the binder accepts must have an implementation in execution: a query that binds must never fail
// at run time with "not supported by the executor". This pins the binder's registry to the executor's tables.
#include <gtest/gtest.h>

#include "binder/function_registry.h"
#include "execution/aggregate/aggregate_function.h"
#include "execution/scalar/scalar_function_registry.h"
#include "rules/layer.h"

using namespace kql;
using namespace kql::rules;

namespace kql {
namespace {

/// Scalar functions the binder folds or rewrites before execution, so the executor never sees them.
bool FoldedByBinder(std::string_view name) { return name == "now" || name == "ago"; }

TEST(FunctionCoverageTest, EveryBoundScalarFunctionHasAKernel) {
  std::vector<std::string> missing;
  for (const std::string& name : AllFunctionNames()) {
    const FunctionSignature* signature = FindFunction(name);
    ASSERT_NE(signature, nullptr) << name;
    if (signature->function_class != FunctionClass::kScalar || FoldedByBinder(name)) continue;
    if (FindScalarFunction(signature->name) == nullptr) missing.push_back(name);
  }
  EXPECT_TRUE(missing.empty()) << "scalar functions without a kernel: " << ::testing::PrintToString(missing);
}

TEST(FunctionCoverageTest, EveryBoundAggregateIsImplemented) {
  std::vector<std::string> missing;
  for (const std::string& name : AllFunctionNames()) {
    const FunctionSignature* signature = FindFunction(name);
    ASSERT_NE(signature, nullptr) << name;
    if (signature->function_class != FunctionClass::kAggregate) continue;
    if (!IsSupportedAggregate(std::string(signature->name))) missing.push_back(name);
  }
  EXPECT_TRUE(missing.empty()) << "aggregates without an implementation: " << ::testing::PrintToString(missing);
}

}  // namespace
}  // namespace kql
