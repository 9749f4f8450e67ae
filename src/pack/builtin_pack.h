// The built-in rule pack as programs load it: decoded from the digest the build made of rules/builtin
// (tools/rule_digest runs rules::LoadBuiltinRuleYaml() and rules::EncodeRules() at build time).
#pragma once
#include <string_view>
#include <vector>

#include "pack/layer.h"
#include "rules/rule_loader.h"

namespace kql::pack {

/// Every built-in rule (rule test files excluded), exactly as rules::LoadBuiltinRuleYaml() loads them.
std::vector<rules::RuleLoadResult> LoadBuiltinRules();

/// The encoded pack (generated source, builtin_rule_digest.cpp in the build tree).
std::string_view BuiltinRuleDigest();

}  // namespace kql::pack
