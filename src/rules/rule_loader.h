// Rule loader: reads Sentinel analytic rule YAML files, tolerating the mess real files contain (block scalars
// whose lines are not indented, scalars where lists belong, dataTypes outside their connector) — it loads what
// can be loaded and reports each repair as a warning. It never throws.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "rules/sentinel_rule.h"
#include "rules/layer.h"

namespace kql::rules {

/// The outcome of loading one rule file.
struct RuleLoadResult {
  std::optional<SentinelRule> rule;  ///< Absent when the file could not be loaded as a rule.
  std::vector<RuleProblem> problems;
  bool operator==(const RuleLoadResult&) const = default;
};

/// Loads a rule from YAML text; `path` is used in problems.
RuleLoadResult LoadRuleText(const std::string& text, const std::string& path);

/// Loads a rule file.
RuleLoadResult LoadRuleFile(const std::string& path);

/// Loads every rule of a text: Sentinel YAML (one rule) or an ARM export in JSON (one or many; arm_rule.h).
std::vector<RuleLoadResult> LoadRulesText(const std::string& text, const std::string& path);

/// Loads every rule of a file (YAML or ARM JSON); a file that cannot be read gives one result with KQLR005.
std::vector<RuleLoadResult> LoadRuleFiles(const std::string& path);

/// True for a rule test file (`*.tests.yaml`, `*.tests.yml`): never loaded as a rule.
bool IsRuleTestFile(const std::string& path);

/// Collects rule files (*.yaml, *.yml except *.tests.yaml, and *.json ARM exports of rules) from files and folders
/// (recursively), sorted.
std::vector<std::string> FindRuleFiles(const std::vector<std::string>& paths, std::vector<std::string>& errors);

/// Loads the built-in rule pack by parsing its embedded YAML (slow: about 1 G instructions). The build runs this
/// once (tools/rule_digest) and programs load the result with pack::LoadBuiltinRules() (src/pack/builtin_pack.h).
std::vector<RuleLoadResult> LoadBuiltinRuleYaml();

}  // namespace kql::rules
