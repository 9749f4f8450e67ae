// libFuzzer target: arbitrary text as a Sentinel rule YAML file through LoadRuleText. The loader must report
// problems, never crash, hang or exhaust memory (alias bombs, deep nesting, huge block scalars).
#include <cstddef>
#include <cstdint>
#include <string>

#include "rules/rule_loader.h"
#include "rules/layer.h"

using namespace kql;
using namespace kql::rules;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  RuleLoadResult result = LoadRuleText(text, "fuzz.yaml");
  (void)result;
  return 0;
}
