// Checks that every scalar function the binder accepts has an executor kernel, so a query that binds never
// fails at run time with "not supported by the executor".
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "binder/function_registry.h"
#include "execution/scalar/scalar_function_registry.h"
#include "rules/layer.h"

using namespace kql;
using namespace kql::rules;

namespace kql {
namespace {

TEST(ExpressionRegistrySyncTest, EveryBoundScalarFunctionHasAKernel) {
  std::vector<std::string> missing;
  for (const std::string& name : AllFunctionNames()) {
    const FunctionSignature* signature = FindFunction(name);
    ASSERT_NE(signature, nullptr) << name;
    if (signature->function_class != FunctionClass::kScalar) continue;
    // now() and ago() are folded to constants by the binder from the session clock.
    if (signature->name == "now" || signature->name == "ago") continue;
    if (FindScalarFunction(signature->name) == nullptr) missing.emplace_back(signature->name);
  }
  EXPECT_TRUE(missing.empty()) << "first missing kernel: " << (missing.empty() ? "" : missing.front())
                               << " (" << missing.size() << " missing)";
}

}  // namespace
}  // namespace kql
