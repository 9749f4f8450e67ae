// The built-in pack's digest: encoding then decoding gives back exactly what the YAML loader gives (every field,
// every load problem), the build's digest equals a fresh load, and damaged digests are refused, not half-read.
#include <gtest/gtest.h>

#include "pack/builtin_pack.h"
#include "rules/rule_codec.h"
#include "rules/rule_loader.h"
#include "rules/layer.h"

using namespace kql::rules;

namespace kql {
namespace {

TEST(RuleCodecTest, RoundTripsEveryField) {
  RuleLoadResult loaded = LoadRuleText(R"(id: 1b2c
name: "Näme with: colon"
description: |
  two
  lines
severity: High
queryFrequency: 1h
queryPeriod: 14d
triggerOperator: gt
triggerThreshold: 3
tactics: [CommandAndControl, Persistence]
relevantTechniques: [T1219]
requiredDataConnectors:
  - connectorId: MicrosoftThreatProtection
    dataTypes: [DeviceNetworkEvents]
entityMappings:
  - entityType: Host
    fieldMappings:
      - identifier: HostName
        columnName: DeviceName
customDetails:
  Url: RemoteUrl
alertDetailsOverride:
  alertDisplayNameFormat: "{{DeviceName}} 5:x"
  alertDynamicProperties:
    - alertProperty: ProductName
      value: RemoteUrl
eventGroupingSettings:
  aggregationKind: AlertPerResult
unknownKey: 1
query: |
  DeviceNetworkEvents
  | where RemoteUrl has "x"
)",
                                       "rule.yaml");
  ASSERT_TRUE(loaded.rule);
  RuleLoadResult broken = LoadRuleText("name: [unclosed", "broken.yaml");
  ASSERT_FALSE(broken.rule);
  ASSERT_FALSE(broken.problems.empty());
  std::vector<RuleLoadResult> results = {loaded, broken};
  auto decoded = DecodeRules(EncodeRules(results));
  ASSERT_TRUE(decoded);
  EXPECT_EQ(*decoded, results);
  EXPECT_EQ((*decoded)[0].rule->alert_details_override.display_name_format, "{{DeviceName}} 5:x");
  EXPECT_EQ((*decoded)[0].rule->query_period_ticks, loaded.rule->query_period_ticks);
}

TEST(RuleCodecTest, TheBuildsDigestIsTheYamlPack) {
  std::vector<RuleLoadResult> from_yaml = LoadBuiltinRuleYaml();
  auto decoded = DecodeRules(kql::pack::BuiltinRuleDigest());
  ASSERT_TRUE(decoded);
  EXPECT_GT(decoded->size(), 500u);
  EXPECT_TRUE(*decoded == from_yaml);
  EXPECT_TRUE(kql::pack::LoadBuiltinRules() == from_yaml);
}

TEST(RuleCodecTest, DamagedDigestsAreRefused) {
  std::string digest = EncodeRules({LoadRuleText("name: a\nquery: T | take 1\n", "a.yaml")});
  EXPECT_FALSE(DecodeRules(digest.substr(0, digest.size() - 1)));
  EXPECT_FALSE(DecodeRules(digest + "1;"));
  EXPECT_FALSE(DecodeRules("99999999999;"));
  EXPECT_FALSE(DecodeRules("1;1;5000:abc"));
  EXPECT_FALSE(DecodeRules(""));
  EXPECT_TRUE(DecodeRules("0;"));
}

}  // namespace
}  // namespace kql
