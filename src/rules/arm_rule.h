// ARM rules: Sentinel analytic rules as the portal exports them — an ARM template whose `resources` hold
// `Microsoft.OperationalInsights/workspaces/providers/alertRules` (one or many per file; ISO-8601 durations,
// `GreaterThan` operators, `techniques` + `subTechniques`) — loaded as rules, and converted to and from the
// Sentinel YAML the rest of kqlite reads (`kqlite convert`). YAML fields an ARM rule has no property for
// (requiredDataConnectors, status, tags, ...) travel in the resource's `metadata.sentinelYaml`, which ARM ignores.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "rules/rule_loader.h"
#include "rules/layer.h"

namespace kql::rules {

/// True when the text is JSON (its first non-blank character is '{' or '['), i.e. not Sentinel YAML.
bool IsJsonRuleText(std::string_view text);

/// True for a `.json` file whose beginning names Sentinel alert rules (an ARM export or an alertRules resource),
/// as opposed to JSON or JSON-lines telemetry.
bool IsArmRuleFile(const std::string& path);

/// Loads every rule of an ARM export: a template (`{"resources": [...]}`), a REST list (`{"value": [...]}`), an
/// array of resources, or one resource. Resources of other types are skipped; rule kinds without a KQL query
/// (Fusion, MicrosoftSecurityIncidentCreation, ...) are reported (KQLR108) and skipped. Positions point into the JSON.
std::vector<RuleLoadResult> LoadArmRuleText(const std::string& text, const std::string& path);

/// One converted rule: a file name derived from the rule name (without extension) and the converted text.
struct ConvertedRule {
  std::string stem;
  std::string text;
};

/// Converts Sentinel YAML rule files ({path, text}) into one ARM template holding every rule. Files that are not
/// rules are reported in `problems` and left out.
std::string ArmTemplateFromYaml(const std::vector<std::pair<std::string, std::string>>& files,
                                std::vector<RuleProblem>& problems);

/// Converts every rule of an ARM export into Sentinel YAML, one text per rule.
std::vector<ConvertedRule> YamlFromArmText(const std::string& text, const std::string& path,
                                           std::vector<RuleProblem>& problems);

}  // namespace kql::rules
