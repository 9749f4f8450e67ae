#include "pack/builtin_pack.h"

#include "rules/rule_codec.h"
#include "pack/layer.h"

namespace kql::pack {

std::vector<rules::RuleLoadResult> LoadBuiltinRules() {
  // The digest is made by this same build from the same sources; a digest that does not decode would be a build
  // bug, and the YAML is still there to load the pack from.
  if (auto decoded = rules::DecodeRules(BuiltinRuleDigest())) return std::move(*decoded);
  return rules::LoadBuiltinRuleYaml();
}

}  // namespace kql::pack
