// ARM rules: the portal's JSON export (one or many rules per file, ISO-8601 durations, GreaterThan, techniques +
// subTechniques) loads as rules with positions in the JSON; YAML -> ARM -> YAML keeps every field, for a messy
// hand-made rule and for every rule of the built-in pack; lint points at the JSON and flags name-only Windows binaries.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "rules/arm_rule.h"
#include "rules/builtin_rules.h"
#include "rules/rule_linter.h"
#include "types/datetime.h"
#include "rules/layer.h"

using namespace kql;
using namespace kql::rules;

namespace kql {
namespace {

// Shaped as the Sentinel portal exports rules: a template, the rule's GUID in the resource name, a query with CRLF
// line ends, and a Fusion rule (no query) beside the scheduled ones.
const char* kExport = R"({
    "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
    "contentVersion": "1.0.0.0",
    "parameters": {
        "workspace": {
            "type": "String"
        }
    },
    "resources": [
        {
            "id": "[concat(resourceId('Microsoft.OperationalInsights/workspaces/providers', parameters('workspace'), 'Microsoft.SecurityInsights'),'/alertRules/0b9ae89d-8cad-461c-808f-0494f70ad5c4')]",
            "name": "[concat(parameters('workspace'),'/Microsoft.SecurityInsights/0b9ae89d-8cad-461c-808f-0494f70ad5c4')]",
            "type": "Microsoft.OperationalInsights/workspaces/providers/alertRules",
            "kind": "Scheduled",
            "apiVersion": "2023-12-01-preview",
            "properties": {
                "displayName": "ClickFix: Run dialog launched PowerShell",
                "description": "A user pasted a command into the Run dialog.",
                "severity": "High",
                "enabled": true,
                "query": "DeviceRegistryEvents\r\n| where RegistryKey has @\"Explorer\\RunMRU\"\r\n| where RegistryValueData has_any (\"powershell\", \"mshta\")\r\n| project Timestamp, DeviceName, RegistryValueData, InitiatingProcessAccountName",
                "queryFrequency": "PT5H",
                "queryPeriod": "P1D",
                "triggerOperator": "GreaterThan",
                "triggerThreshold": 0,
                "suppressionDuration": "PT5H",
                "suppressionEnabled": false,
                "startTimeUtc": null,
                "tactics": [
                    "Execution"
                ],
                "techniques": [
                    "T1204",
                    "T1059"
                ],
                "subTechniques": [
                    "T1059.001"
                ],
                "alertRuleTemplateName": null,
                "incidentConfiguration": {
                    "createIncident": true,
                    "groupingConfiguration": {
                        "enabled": false,
                        "reopenClosedIncident": false,
                        "lookbackDuration": "PT5H",
                        "matchingMethod": "AllEntities",
                        "groupByEntities": [],
                        "groupByAlertDetails": [],
                        "groupByCustomDetails": []
                    }
                },
                "eventGroupingSettings": {
                    "aggregationKind": "AlertPerResult"
                },
                "alertDetailsOverride": null,
                "customDetails": {
                    "Command": "RegistryValueData"
                },
                "entityMappings": [
                    {
                        "entityType": "Host",
                        "fieldMappings": [
                            {
                                "identifier": "HostName",
                                "columnName": "DeviceName"
                            }
                        ]
                    },
                    {
                        "entityType": "Account",
                        "fieldMappings": [
                            {
                                "identifier": "Name",
                                "columnName": "InitiatingProcessAccountName"
                            }
                        ]
                    }
                ],
                "sentinelEntitiesMappings": null,
                "templateVersion": "1.0.3"
            }
        },
        {
            "id": "[concat(resourceId('Microsoft.OperationalInsights/workspaces/providers', parameters('workspace'), 'Microsoft.SecurityInsights'),'/alertRules/5d2399f9-ea5c-4e67-9435-1fba745f3a39')]",
            "name": "[concat(parameters('workspace'),'/Microsoft.SecurityInsights/5d2399f9-ea5c-4e67-9435-1fba745f3a39')]",
            "type": "Microsoft.OperationalInsights/workspaces/providers/alertRules",
            "kind": "Fusion",
            "apiVersion": "2023-12-01-preview",
            "properties": {
                "displayName": "Advanced Multistage Attack Detection",
                "enabled": true,
                "alertRuleTemplateName": "f71aba3d-28fb-450b-b192-4e76a83015c8"
            }
        },
        {
            "name": "[concat(parameters('workspace'),'/Microsoft.SecurityInsights/7b3a5c1e-0d52-4f31-9b1e-2c4a6e8f0a11')]",
            "type": "Microsoft.OperationalInsights/workspaces/providers/alertRules",
            "kind": "NRT",
            "apiVersion": "2023-12-01-preview",
            "properties": {
                "displayName": "Many failed sign-ins",
                "severity": "Medium",
                "enabled": true,
                "query": "SigninLogs | where ResultType != \"0\" | summarize Failures = count() by UserPrincipalName | where Failures > 20",
                "tactics": ["CredentialAccess"],
                "techniques": ["T1110"]
            }
        }
    ]
}
)";

TEST(ArmRuleTest, LoadsEveryScheduledAndNrtRuleOfAnExport) {
  ASSERT_TRUE(IsJsonRuleText(kExport));
  std::vector<RuleLoadResult> results = LoadRulesText(kExport, "export.json");
  std::vector<const SentinelRule*> rules;
  bool fusion_reported = false;
  for (const auto& result : results) {
    if (result.rule) rules.push_back(&*result.rule);
    for (const auto& problem : result.problems) {
      EXPECT_FALSE(problem.is_error) << problem.code << " " << problem.message;
      if (problem.code == "KQLR108") {
        fusion_reported = true;
        EXPECT_NE(problem.message.find("Advanced Multistage Attack Detection"), std::string::npos);
        EXPECT_EQ(problem.line, 83);  // the Fusion resource's opening brace
      }
    }
  }
  EXPECT_TRUE(fusion_reported);
  ASSERT_EQ(rules.size(), 2u);
  const SentinelRule& rule = *rules[0];
  EXPECT_EQ(rule.id, "0b9ae89d-8cad-461c-808f-0494f70ad5c4");
  EXPECT_EQ(rule.name, "ClickFix: Run dialog launched PowerShell");
  EXPECT_EQ(rule.severity, "High");
  EXPECT_EQ(rule.query_frequency, "5h");
  EXPECT_EQ(rule.query_period, "1d");
  EXPECT_EQ(rule.query_period_ticks, kTicksPerDay);
  EXPECT_EQ(rule.query_frequency_ticks, 5 * kTicksPerHour);
  EXPECT_EQ(rule.trigger_operator, "gt");
  EXPECT_EQ(rule.trigger_threshold, 0);
  EXPECT_EQ(rule.tactics, std::vector<std::string>{"Execution"});
  EXPECT_EQ(rule.techniques, (std::vector<std::string>{"T1204", "T1059.001"}));
  EXPECT_EQ(rule.aggregation_kind, "AlertPerResult");
  EXPECT_EQ(rule.version, "1.0.3");
  EXPECT_EQ(rule.kind, "Scheduled");
  ASSERT_EQ(rule.entity_mappings.size(), 2u);
  EXPECT_EQ(rule.entity_mappings[1].entity_type, "Account");
  EXPECT_EQ(rule.entity_mappings[1].field_mappings[0].second, "InitiatingProcessAccountName");
  ASSERT_EQ(rule.custom_details.size(), 1u);
  EXPECT_EQ(rule.custom_details[0].second, "RegistryValueData");
  EXPECT_NE(rule.incident_configuration_json.find("\"createIncident\":true"), std::string::npos);
  // CRLF line ends read as LF; the verbatim string keeps its backslash.
  EXPECT_EQ(rule.query,
            "DeviceRegistryEvents\n| where RegistryKey has @\"Explorer\\RunMRU\"\n| where RegistryValueData has_any "
            "(\"powershell\", \"mshta\")\n| project Timestamp, DeviceName, RegistryValueData, "
            "InitiatingProcessAccountName");
  // Positions point into the JSON.
  EXPECT_TRUE(rule.query_in_json_string);
  EXPECT_EQ(rule.query_line, 21);
  EXPECT_EQ(rule.positions.at("queryPeriod").line, 23);
  EXPECT_EQ(rules[1]->kind, "NRT");
  EXPECT_EQ(rules[1]->name, "Many failed sign-ins");
  EXPECT_EQ(rules[1]->id, "7b3a5c1e-0d52-4f31-9b1e-2c4a6e8f0a11");
}

// Besides the portal's template: the REST API's GET of one rule (a bare resource), its list ({"value": [...]}) and
// the array that `az sentinel alert-rule list` or PowerShell prints.
TEST(ArmRuleTest, ReadsTheRestApisShapesToo) {
  auto resource = [](const std::string& guid, const std::string& name, const std::string& kind) {
    return "{\"id\": \"/subscriptions/s/resourceGroups/g/providers/Microsoft.OperationalInsights/workspaces/w/providers/"
           "Microsoft.SecurityInsights/alertRules/" + guid + "\", \"name\": \"" + guid +
           "\", \"type\": \"Microsoft.SecurityInsights/alertRules\", \"kind\": \"" + kind +
           "\", \"properties\": {\"displayName\": \"" + name + "\", \"severity\": \"Low\", \"enabled\": true, "
           "\"query\": \"DeviceNetworkEvents | where RemotePort == 4444\", \"queryFrequency\": \"PT1H\", "
           "\"queryPeriod\": \"PT1H\", \"triggerOperator\": \"GreaterThan\", \"triggerThreshold\": 0}}";
  };
  std::string one = resource("3f1e2d4c-5b6a-4978-8a9b-0c1d2e3f4a5b", "Port 4444", "Scheduled");
  std::string two = resource("4a2b3c4d-5e6f-4071-8293-a4b5c6d7e8f9", "Port 4444 now", "NRT");
  for (const std::string& text : {one, "[" + one + ", " + two + "]", "{\"value\": [" + one + ", " + two + "]}"}) {
    ASSERT_TRUE(IsJsonRuleText(text)) << text;
    std::vector<std::string> names;
    for (const auto& result : LoadRulesText(text, "rules.json")) {
      for (const auto& problem : result.problems) EXPECT_FALSE(problem.is_error) << problem.message;
      if (result.rule) names.push_back(result.rule->name + "|" + result.rule->id + "|" + result.rule->kind);
    }
    std::vector<std::string> expected = {"Port 4444|3f1e2d4c-5b6a-4978-8a9b-0c1d2e3f4a5b|Scheduled"};
    if (text != one) expected.push_back("Port 4444 now|4a2b3c4d-5e6f-4071-8293-a4b5c6d7e8f9|NRT");
    EXPECT_EQ(names, expected) << text.substr(0, 40);
  }
}

TEST(ArmRuleTest, ReportsJsonThatIsNotARuleExport) {
  auto results = LoadRulesText("{\"resources\": [{\"type\": \"Microsoft.Storage/storageAccounts\"}]}", "x.json");
  ASSERT_EQ(results.size(), 1u);
  EXPECT_FALSE(results[0].rule);
  ASSERT_FALSE(results[0].problems.empty());
  EXPECT_EQ(results[0].problems[0].code, "KQLR002");
  results = LoadRulesText("{\"resources\": [", "broken.json");
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].problems[0].code, "KQLR001");
}

/// The fields a hunt and lint read, as one comparable string.
std::string Fingerprint(const SentinelRule& rule) {
  std::ostringstream out;
  out << rule.id << "|" << rule.name << "|" << rule.description << "|" << rule.severity << "|" << rule.kind << "|"
      << rule.version << "|" << rule.status << "|" << rule.query_frequency_ticks << "|" << rule.query_period_ticks
      << "|" << rule.trigger_operator << "|" << rule.trigger_threshold << "|" << rule.aggregation_kind << "|"
      << rule.incident_configuration_json << "|" << rule.query << "|" << rule.alert_details_override.display_name_format
      << "|" << rule.positions.count("queryPeriod") << "|";
  for (const auto& list : {rule.tactics, rule.techniques, rule.connectors, rule.data_types}) {
    for (const auto& item : list) out << item << ",";
    out << "|";
  }
  for (const auto& mapping : rule.entity_mappings) {
    out << mapping.entity_type << ":";
    for (const auto& [identifier, column] : mapping.field_mappings) out << identifier << "=" << column << ",";
  }
  for (const auto& [key, column] : rule.custom_details) out << key << "=" << column << ",";
  return out.str();
}

/// YAML -> ARM -> YAML -> ARM: the rule reads the same every time, and the second ARM text equals the first.
void ExpectRoundTrip(const std::string& yaml, const std::string& path) {
  RuleLoadResult original = LoadRuleText(yaml, path);
  ASSERT_TRUE(original.rule) << path;
  std::vector<RuleProblem> problems;
  std::string arm = ArmTemplateFromYaml({{path, yaml}}, problems);
  ASSERT_TRUE(problems.empty()) << path << ": " << problems[0].message;
  std::vector<RuleLoadResult> from_arm = LoadArmRuleText(arm, "converted.json");
  ASSERT_EQ(from_arm.size(), 1u) << path << "\n" << arm;
  ASSERT_TRUE(from_arm[0].rule) << path << "\n" << arm;
  SentinelRule expected = *original.rule;
  EXPECT_EQ(Fingerprint(from_arm[0].rule.value()), Fingerprint(expected)) << path << "\n" << arm;
  std::vector<ConvertedRule> back = YamlFromArmText(arm, "converted.json", problems);
  ASSERT_EQ(back.size(), 1u);
  RuleLoadResult reloaded = LoadRuleText(back[0].text, "back.yaml");
  ASSERT_TRUE(reloaded.rule) << back[0].text;
  EXPECT_EQ(Fingerprint(*reloaded.rule), Fingerprint(expected)) << path << "\n" << back[0].text;
  std::string arm_again = ArmTemplateFromYaml({{"back.yaml", back[0].text}}, problems);
  EXPECT_EQ(arm_again, arm) << path;
}

TEST(ArmRuleTest, YamlToArmAndBackKeepsEveryField) {
  // Messy on purpose: sub-techniques, a quoted number, a comment, tags and metadata ARM has no property for.
  const std::string yaml =
      "id: 3f2c9e4a-1b7d-4c55-9a0e-6d8b2f1c7e90\n"
      "name: 'Suspicious: RMM agent talks to \"new\" domain'\n"
      "description: |\n"
      "  Two lines of description,\n"
      "  the second with a # that is not a comment.\n"
      "severity: Low\n"
      "status: Available\n"
      "requiredDataConnectors:\n"
      "  - connectorId: MicrosoftThreatProtection\n"
      "    dataTypes:\n"
      "      - DeviceNetworkEvents\n"
      "queryFrequency: 30m\n"
      "queryPeriod: 24h\n"
      "triggerOperator: gt\n"
      "triggerThreshold: 2\n"
      "tactics:\n  - CommandAndControl\n  - Execution\n"
      "relevantTechniques:\n  - T1219\n  - T1059.001\n"
      "tags:\n  - RMM\n  - '2024'\n"
      "query: |\n"
      "  // agents reaching new domains\n"
      "  DeviceNetworkEvents\n"
      "  | where RemoteUrl has_any ('example.org', \"evil.example\")\n"
      "  | summarize Count = count() by DeviceName, RemoteUrl\n"
      "entityMappings:\n"
      "  - entityType: Host\n"
      "    fieldMappings:\n"
      "      - identifier: HostName\n"
      "        columnName: DeviceName\n"
      "customDetails:\n  Domain: RemoteUrl\n"
      "alertDetailsOverride:\n  alertDisplayNameFormat: 'RMM on {{DeviceName}}'\n"
      "eventGroupingSettings:\n  aggregationKind: SingleAlert\n"
      "metadata:\n  source:\n    kind: Community\n  author:\n    name: Jane Doe\n"
      "version: 1.1.0\n"
      "kind: Scheduled\n";
  ExpectRoundTrip(yaml, "messy.yaml");
  std::vector<RuleProblem> problems;
  std::string arm = ArmTemplateFromYaml({{"messy.yaml", yaml}}, problems);
  EXPECT_NE(arm.find("\"queryFrequency\": \"PT30M\""), std::string::npos) << arm;
  EXPECT_NE(arm.find("\"queryPeriod\": \"PT24H\""), std::string::npos);
  EXPECT_NE(arm.find("\"triggerOperator\": \"GreaterThan\""), std::string::npos);
  EXPECT_NE(arm.find("\"triggerThreshold\": 2,"), std::string::npos);
  EXPECT_NE(arm.find("\"subTechniques\": [\n"), std::string::npos);
  EXPECT_NE(arm.find("\"sentinelYaml\""), std::string::npos);
  // The converted YAML keeps tags and metadata (carried in the resource's metadata).
  std::vector<ConvertedRule> back = YamlFromArmText(arm, "c.json", problems);
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].stem, "suspicious_rmm_agent_talks_to_new_domain");
  EXPECT_NE(back[0].text.find("tags:\n  - RMM\n  - '2024'\n"), std::string::npos) << back[0].text;
  EXPECT_NE(back[0].text.find("    name: Jane Doe\n"), std::string::npos) << back[0].text;
  EXPECT_NE(back[0].text.find("status: Available\n"), std::string::npos);
}

TEST(ArmRuleTest, ArmToYamlAndBackIsStable) {
  std::vector<RuleProblem> problems;
  std::vector<ConvertedRule> yaml = YamlFromArmText(kExport, "export.json", problems);
  ASSERT_EQ(yaml.size(), 2u);
  for (const auto& rule : yaml) ExpectRoundTrip(rule.text, rule.stem + ".yaml");
}

TEST(ArmRuleTest, EveryBuiltinRuleRoundTrips) {
  size_t rules = 0;
  for (const auto& file : BuiltinRuleFiles()) {
    std::string path = file.path;
    if (path.find(".tests.") != std::string::npos) continue;
    // The seed rule is written with unindented block scalars, which only kqlite's repair reads.
    if (path.find("_seed") != std::string::npos || path.find("tacticalrmm_network_connection.yaml") != std::string::npos)
      continue;
    ExpectRoundTrip(file.text, path);
    ++rules;
  }
  EXPECT_GT(rules, 500u);
}

TEST(ArmRuleTest, LintPointsIntoTheJson) {
  Engine engine;
  RuleLinter linter(engine);
  LintedFile file = linter.LintRuleText(kExport, "export.json");
  bool saw_fusion = false;
  for (const auto& finding : file.findings) {
    EXPECT_NE(finding.severity, Severity::kError) << finding.code << " " << finding.message;
    if (finding.code == "KQLR108") saw_fusion = true;
    EXPECT_NE(finding.code, "KQLR205") << finding.message;  // ARM-only fields are known fields
  }
  EXPECT_TRUE(saw_fusion);
}

TEST(ArmRuleTest, LintFlagsWindowsBinariesMatchedByNameAlone) {
  Engine engine;
  RuleLinter linter(engine);
  LintedFile file =
      linter.LintRuleFile(std::string(KQLITE_SOURCE_DIR) + "/tests/data/rules/name_only_windows_binary.yaml");
  std::vector<int> lines;
  for (const auto& finding : file.findings) {
    if (finding.code == "KQLR260") {
      lines.push_back(finding.line);
      EXPECT_EQ(finding.severity, Severity::kWarning);
      EXPECT_NE(finding.message.find("'dwm.exe'"), std::string::npos) << finding.message;
    }
  }
  EXPECT_EQ(lines, (std::vector<int>{26, 27}));
  // With a second condition beside it (the vendor's folder, another where stage) the name is fine.
  const std::string ok =
      "id: 3f2c9e4a-1b7d-4c55-9a0e-6d8b2f1c7e91\nname: x\ndescription: x\nseverity: Low\nqueryFrequency: 1h\n"
      "queryPeriod: 1h\ntriggerOperator: gt\ntriggerThreshold: 0\nquery: |\n"
      "  DeviceProcessEvents\n"
      "  | where Timestamp > ago(1h)\n"
      "  | where FileName in~ ('vendor.exe') or (FileName =~ 'dwm.exe' and FolderPath contains @'\\Vendor\\')\n";
  for (const auto& finding : linter.LintRuleText(ok, "ok.yaml").findings) EXPECT_NE(finding.code, "KQLR260");
  const std::string two_stages =
      "id: 3f2c9e4a-1b7d-4c55-9a0e-6d8b2f1c7e92\nname: x\ndescription: x\nseverity: Low\nqueryFrequency: 1h\n"
      "queryPeriod: 1h\ntriggerOperator: gt\ntriggerThreshold: 0\nquery: |\n"
      "  DeviceNetworkEvents\n"
      "  | where RemoteUrl has 'vendor.example'\n"
      "  | where InitiatingProcessFileName =~ 'svchost.exe'\n";
  for (const auto& finding : linter.LintRuleText(two_stages, "two.yaml").findings) EXPECT_NE(finding.code, "KQLR260");
  const std::string alone =
      "id: 3f2c9e4a-1b7d-4c55-9a0e-6d8b2f1c7e93\nname: x\ndescription: x\nseverity: Low\nqueryFrequency: 1h\n"
      "queryPeriod: 1h\ntriggerOperator: gt\ntriggerThreshold: 0\nquery: |\n"
      "  SecurityEvent | where NewProcessName endswith '\\\\rundll32.exe'\n";
  size_t flagged = 0;
  for (const auto& finding : linter.LintRuleText(alone, "alone.yaml").findings) flagged += finding.code == "KQLR260";
  EXPECT_EQ(flagged, 1u);
}

}  // namespace
}  // namespace kql
