// Rule loading: the seed rule exactly as the seed gives it (unindented block scalars, dataTypes outside its
// connector), Sentinel defaults, messy scalars, and files that cannot be loaded.
#include <gtest/gtest.h>

#include "pack/builtin_pack.h"
#include "rules/builtin_rules.h"
#include "rules/rule_loader.h"
#include "types/datetime.h"
#include "rules/layer.h"

using namespace kql;
using namespace kql::rules;

namespace kql {
namespace {

bool HasProblem(const RuleLoadResult& result, const std::string& code) {
  for (const auto& problem : result.problems) {
    if (problem.code == code) return true;
  }
  return false;
}

TEST(RuleLoaderTest, LoadsTheSeedRuleAsGiven) {
  std::vector<RuleLoadResult> builtins = kql::pack::LoadBuiltinRules();
  const RuleLoadResult* seed = nullptr;
  for (const auto& result : builtins) {
    if (result.rule && result.rule->id == "d5559c16-6959-4974-8051-c39d52886862") seed = &result;
  }
  ASSERT_NE(seed, nullptr);
  const SentinelRule& rule = *seed->rule;
  EXPECT_EQ(rule.name, "Remote Management and Monitoring tool - TacticalRMM - Network Connection");
  EXPECT_EQ(rule.tactics, std::vector<std::string>{"CommandAndControl"});
  EXPECT_EQ(rule.techniques, std::vector<std::string>{"T1219"});
  EXPECT_EQ(rule.connectors, std::vector<std::string>{"MicrosoftThreatProtection"});
  EXPECT_EQ(rule.data_types, std::vector<std::string>{"DeviceNetworkEvents"});
  EXPECT_EQ(rule.query.rfind("let Time_start = now(-5d);\n", 0), 0u);
  EXPECT_NE(rule.query.find("RemoteUrl\n"), std::string::npos);
  EXPECT_NE(rule.description.find("Attackers have begun"), std::string::npos);
  // The query starts on line 13 of the file, in column 1.
  EXPECT_EQ(rule.query_line, 13);
  EXPECT_EQ(rule.query_column, 1);
  // Sentinel defaults and the repairs are reported as warnings, not errors.
  EXPECT_EQ(rule.query_period_ticks, 5 * kTicksPerHour);
  EXPECT_EQ(rule.trigger_operator, "gt");
  EXPECT_EQ(rule.trigger_threshold, 0);
  EXPECT_TRUE(HasProblem(*seed, "KQLR101"));
  EXPECT_TRUE(HasProblem(*seed, "KQLR102"));
  EXPECT_TRUE(HasProblem(*seed, "KQLR105"));
  for (const auto& problem : seed->problems) EXPECT_FALSE(problem.is_error) << problem.message;
}

TEST(RuleLoaderTest, ReadsSchedulingFieldsAndEntityMappings) {
  const char* text = R"(id: 11111111-2222-3333-4444-555555555555
name: Test rule
severity: High
queryFrequency: 1h
queryPeriod: 14d
triggerOperator: GreaterThan
triggerThreshold: 2
tactics:
  - Persistence
  - CommandAndControl
relevantTechniques:
  - T1219
query: |
  DeviceNetworkEvents
  | where RemoteUrl has "x"
entityMappings:
  - entityType: Host
    fieldMappings:
      - identifier: HostName
        columnName: DeviceName
customDetails:
  Url: RemoteUrl
)";
  RuleLoadResult result = LoadRuleText(text, "t.yaml");
  ASSERT_TRUE(result.rule.has_value());
  const SentinelRule& rule = *result.rule;
  EXPECT_EQ(rule.severity, "High");
  EXPECT_EQ(rule.query_period_ticks, 14 * kTicksPerDay);
  EXPECT_EQ(rule.query_frequency_ticks, kTicksPerHour);
  EXPECT_EQ(rule.trigger_operator, "gt");
  EXPECT_EQ(rule.trigger_threshold, 2);
  EXPECT_EQ(rule.tactics.size(), 2u);
  ASSERT_EQ(rule.entity_mappings.size(), 1u);
  EXPECT_EQ(rule.entity_mappings[0].entity_type, "Host");
  EXPECT_EQ(rule.entity_mappings[0].field_mappings[0].second, "DeviceName");
  ASSERT_EQ(rule.custom_details.size(), 1u);
  EXPECT_EQ(rule.custom_details[0].second, "RemoteUrl");
  EXPECT_EQ(rule.query_line, 14);
  EXPECT_EQ(rule.query_column, 3);
  EXPECT_FALSE(HasProblem(result, "KQLR107"));
}

TEST(RuleLoaderTest, ReportsBrokenFilesWithoutThrowing) {
  RuleLoadResult not_yaml = LoadRuleText("id: [unclosed\nname: x\n", "bad.yaml");
  EXPECT_FALSE(not_yaml.rule.has_value());
  ASSERT_FALSE(not_yaml.problems.empty());
  EXPECT_TRUE(not_yaml.problems[0].is_error);

  RuleLoadResult no_query = LoadRuleText("id: x\nname: y\n", "noquery.yaml");
  EXPECT_FALSE(no_query.rule.has_value());
  EXPECT_TRUE(HasProblem(no_query, "KQLR004"));

  RuleLoadResult list = LoadRuleText("- a\n- b\n", "list.yaml");
  EXPECT_FALSE(list.rule.has_value());
  EXPECT_TRUE(HasProblem(list, "KQLR002"));
}

TEST(RuleLoaderTest, AcceptsIsoDurations) {
  RuleLoadResult result = LoadRuleText("name: x\nqueryFrequency: PT1H\nqueryPeriod: P2D\nquery: T | take 1\n", "iso.yaml");
  ASSERT_TRUE(result.rule.has_value());
  EXPECT_EQ(result.rule->query_frequency_ticks, kTicksPerHour);
  EXPECT_EQ(result.rule->query_period_ticks, 2 * kTicksPerDay);
}

TEST(RuleLoaderTest, RecordsWhereFieldsWereWritten) {
  const char* text = R"(id: 11111111-2222-3333-4444-555555555555
name: Positions
tactics: CommandAndControl
relevantTechniques:
  - T1219
  - T1105
query: |
  DeviceNetworkEvents
  | take 1
entityMappings:
  - entityType: Host
    fieldMappings:
      - identifier: HostName
        columnName: DeviceName
customDetails:
  Url: RemoteUrl
)";
  RuleLoadResult result = LoadRuleText(text, "positions.yaml");
  ASSERT_TRUE(result.rule.has_value());
  const auto& positions = result.rule->positions;
  auto line_of = [&](const std::string& key) { return positions.count(key) ? positions.at(key).line : -1; };
  EXPECT_EQ(line_of("id"), 1);
  EXPECT_EQ(line_of("tactics[0]"), 3);
  EXPECT_EQ(line_of("relevantTechniques[1]"), 6);
  EXPECT_EQ(positions.at("relevantTechniques[1]").col, 5);
  EXPECT_EQ(line_of("entityMappings[0].entityType"), 11);
  EXPECT_EQ(line_of("entityMappings[0].fieldMappings[0].identifier"), 13);
  EXPECT_EQ(line_of("entityMappings[0].fieldMappings[0].columnName"), 14);
  EXPECT_EQ(line_of("customDetails.Url"), 16);
  EXPECT_EQ(line_of("severity"), -1);  // Absent: Sentinel's default applies.
  std::vector<std::string> keys = {"id", "name", "tactics", "relevantTechniques", "query", "entityMappings",
                                    "customDetails"};
  EXPECT_EQ(result.rule->top_level_keys, keys);
}

// yaml-cpp finds the first of repeated keys; YAML tools keep the last, so the loader does too and warns (KQLR109).
TEST(RuleLoaderTest, RepeatedKeysKeepTheLastValueAndWarn) {
  const char* text = R"(id: 11111111-2222-3333-4444-555555555555
name: First name
severity: Low
query: |
  DeviceProcessEvents | take 1
name: Second name
query: DeviceNetworkEvents | where RemotePort == 443
)";
  RuleLoadResult result = LoadRuleText(text, "repeated.yaml");
  ASSERT_TRUE(result.rule.has_value());
  EXPECT_EQ(result.rule->name, "Second name");
  EXPECT_EQ(result.rule->query, "DeviceNetworkEvents | where RemotePort == 443");
  EXPECT_EQ(result.rule->query_line, 7);
  EXPECT_EQ(result.rule->severity, "Low");
  std::vector<std::string> messages;
  for (const auto& problem : result.problems) {
    if (problem.code != "KQLR109") continue;
    EXPECT_FALSE(problem.is_error);
    messages.push_back(std::to_string(problem.line) + ": " + problem.message);
  }
  std::vector<std::string> expected = {"6: Duplicate key 'name' (first at line 2); the last value is used",
                                       "7: Duplicate key 'query' (first at line 4); the last value is used"};
  EXPECT_EQ(messages, expected);
}

TEST(RuleLoaderTest, BuiltinTestFilesAreNotRules) {
  for (const auto& loaded : kql::pack::LoadBuiltinRules()) {
    ASSERT_TRUE(loaded.rule.has_value());
    EXPECT_EQ(loaded.rule->path.find(".tests."), std::string::npos) << loaded.rule->path;
  }
}

}  // namespace
}  // namespace kql
