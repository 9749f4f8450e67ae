// RuleCodec: a compact text serialisation of loaded rules (SentinelRule and its load problems). The build turns
// the built-in pack's YAML into this form once (tools/rule_digest), so that starting a hunt decodes it instead of
// parsing 1,000 YAML files with yaml-cpp (about 1 G instructions) every time.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rules/layer.h"
#include "rules/rule_loader.h"

namespace kql::rules {

/// Encodes rules; DecodeRules(EncodeRules(x)) == x.
std::string EncodeRules(const std::vector<RuleLoadResult>& results);

/// Decodes what EncodeRules wrote; nullopt when the text is truncated or malformed.
std::optional<std::vector<RuleLoadResult>> DecodeRules(std::string_view text);

}  // namespace kql::rules
