// Rule lint: every check triggers its code on a sample in tests/data/lint/ (or on generated text for the length
// and count limits), the clean sample has no findings, positions point into the file, and SARIF output has the
// shape code-scanning services read.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "rules/rule_linter.h"
#include "rules/sarif_writer.h"
#include "types/dynamic.h"
#include "rules/layer.h"

using namespace kql;
using namespace kql::rules;

namespace kql {
namespace {

std::string SamplePath(const std::string& name) { return std::string(KQLITE_SOURCE_DIR) + "/tests/data/lint/" + name; }

const LintFinding* FindCode(const LintedFile& file, const std::string& code) {
  for (const auto& finding : file.findings) {
    if (finding.code == code) return &finding;
  }
  return nullptr;
}

class RuleLintTest : public ::testing::Test {
 protected:
  LintedFile Lint(const std::string& sample) { return linter_.LintRuleFile(SamplePath(sample)); }
  void ExpectCode(const LintedFile& file, const std::string& code, Severity severity, int line) {
    const LintFinding* finding = FindCode(file, code);
    ASSERT_NE(finding, nullptr) << code << " not reported for " << file.path;
    EXPECT_EQ(finding->severity, severity) << code;
    EXPECT_EQ(finding->line, line) << code << ": " << finding->message;
  }

  Engine engine_;
  RuleLinter linter_{engine_};
};

TEST_F(RuleLintTest, CleanRuleHasNoFindings) {
  LintedFile file = Lint("good_rule.yaml");
  for (const auto& finding : file.findings) ADD_FAILURE() << finding.code << " " << finding.message;
  EXPECT_EQ(file.rule_id, "0b7f3a52-3c1e-4d8a-9f61-2a5e8c4d7b10");
}

TEST_F(RuleLintTest, MissingFields) {
  LintedFile file = Lint("missing_fields.yaml");
  ExpectCode(file, "KQLR201", Severity::kError, 1);
  ExpectCode(file, "KQLR202", Severity::kWarning, 1);
  ExpectCode(file, "KQLR203", Severity::kWarning, 1);
  ExpectCode(file, "KQLR204", Severity::kWarning, 1);
  ExpectCode(file, "KQLR205", Severity::kWarning, 2);
  ExpectCode(file, "KQLR107", Severity::kWarning, 1);
  ExpectCode(file, "KQLR206", Severity::kWarning, 4);
  EXPECT_NE(FindCode(file, "KQLR205")->message.find("did you mean 'queryFrequency'"), std::string::npos);
  EXPECT_TRUE(file.HasErrors());
}

TEST_F(RuleLintTest, BadValues) {
  LintedFile file = Lint("bad_values.yaml");
  ExpectCode(file, "KQLR210", Severity::kError, 1);
  ExpectCode(file, "KQLR211", Severity::kError, 4);
  ExpectCode(file, "KQLR220", Severity::kError, 5);
  ExpectCode(file, "KQLR221", Severity::kError, 6);
  ExpectCode(file, "KQLR216", Severity::kError, 7);
  ExpectCode(file, "KQLR217", Severity::kError, 8);
  ExpectCode(file, "KQLR213", Severity::kError, 10);
  ExpectCode(file, "KQLR214", Severity::kError, 13);
  ExpectCode(file, "KQLR215", Severity::kWarning, 14);
  ExpectCode(file, "KQLR212", Severity::kError, 18);
  EXPECT_NE(FindCode(file, "KQLR213")->message.find("did you mean 'CommandAndControl'"), std::string::npos);
  EXPECT_EQ(FindCode(file, "KQLR213")->col, 5);
}

TEST_F(RuleLintTest, PeriodShorterThanFrequency) {
  ExpectCode(Lint("period_shorter_than_frequency.yaml"), "KQLR222", Severity::kError, 6);
}

TEST_F(RuleLintTest, EntityMappingsAndCustomDetails) {
  LintedFile file = Lint("bad_entities.yaml");
  ExpectCode(file, "KQLR230", Severity::kError, 17);
  ExpectCode(file, "KQLR231", Severity::kError, 23);
  ExpectCode(file, "KQLR232", Severity::kError, 28);
  ExpectCode(file, "KQLR234", Severity::kError, 29);
  ExpectCode(file, "KQLR233", Severity::kError, 41);
  EXPECT_NE(FindCode(file, "KQLR231")->message.find("did you mean 'HostName'"), std::string::npos);
  EXPECT_EQ(FindCode(file, "KQLR232")->message, "Entity mapping column is not in the query's result: RemoteIP");
}

TEST_F(RuleLintTest, KqlDiagnosticsArePositionedInTheFile) {
  LintedFile file = Lint("bad_query.yaml");
  const LintFinding* finding = FindCode(file, "KQL2001");
  ASSERT_NE(finding, nullptr);
  EXPECT_EQ(finding->line, 11);
  EXPECT_EQ(finding->col, 9);
  EXPECT_NE(finding->excerpt.find("^~~"), std::string::npos);
  // A query that does not bind has no result schema: no cascade of column findings.
  EXPECT_EQ(FindCode(file, "KQLR232"), nullptr);
}

TEST_F(RuleLintTest, YamlThatDoesNotParse) { ExpectCode(Lint("not_yaml.yaml"), "KQLR001", Severity::kError, 2); }

TEST_F(RuleLintTest, UnreadableFile) { ExpectCode(Lint("no_such_rule.yaml"), "KQLR005", Severity::kError, 0); }

TEST_F(RuleLintTest, DuplicateIdsAcrossFiles) {
  std::vector<LintedFile> files = {Lint("duplicate_id_a.yaml"), Lint("duplicate_id_b.yaml"), Lint("good_rule.yaml")};
  RuleLinter::CheckDuplicateIds(files);
  ExpectCode(files[0], "KQLR250", Severity::kError, 1);
  ExpectCode(files[1], "KQLR250", Severity::kError, 1);
  EXPECT_EQ(FindCode(files[2], "KQLR250"), nullptr);
  EXPECT_NE(FindCode(files[0], "KQLR250")->message.find("duplicate_id_b.yaml"), std::string::npos);
}

TEST_F(RuleLintTest, LengthAndCountLimits) {
  std::string text = "id: 0b7f3a52-3c1e-4d8a-9f61-2a5e8c4d7b11\nname: " + std::string(257, 'n') +
                     "\ndescription: " + std::string(5001, 'd') +
                     "\nseverity: Low\nqueryFrequency: 1h\nqueryPeriod: 1h\ntriggerOperator: gt\ntriggerThreshold: 0\n"
                     "query: |\n  DeviceNetworkEvents\n  | take 1\nentityMappings:\n";
  for (int i = 0; i < 11; ++i)
    text += "  - entityType: Host\n    fieldMappings:\n      - identifier: HostName\n        columnName: DeviceName\n";
  text += "customDetails:\n";
  for (int i = 0; i < 21; ++i) text += "  Detail" + std::to_string(i) + ": DeviceName\n";
  LintedFile file = linter_.LintRuleText(text, "limits.yaml");
  ExpectCode(file, "KQLR240", Severity::kError, 2);
  ExpectCode(file, "KQLR241", Severity::kError, 3);
  ExpectCode(file, "KQLR234", Severity::kError, 12);
  ExpectCode(file, "KQLR235", Severity::kError, 57);
  EXPECT_EQ(FindCode(file, "KQLR232"), nullptr);
}

TEST_F(RuleLintTest, NrtRulesSkipSchedulingChecks) {
  std::string text =
      "id: 0b7f3a52-3c1e-4d8a-9f61-2a5e8c4d7b12\nname: NRT\ndescription: d\nseverity: Low\nkind: NRT\n"
      "query: |\n  DeviceNetworkEvents\n  | take 1\n";
  LintedFile file = linter_.LintRuleText(text, "nrt.yaml");
  for (const auto& finding : file.findings) ADD_FAILURE() << finding.code << " " << finding.message;
}

TEST_F(RuleLintTest, TheSeedRuleHasWarningsOnly) {
  std::ifstream in(std::string(KQLITE_SOURCE_DIR) + "/rules/builtin/rmm/tacticalrmm_network_connection.yaml");
  std::stringstream buffer;
  buffer << in.rdbuf();
  LintedFile file = linter_.LintRuleText(buffer.str(), "seed.yaml");
  EXPECT_FALSE(file.HasErrors());
  EXPECT_NE(FindCode(file, "KQLR101"), nullptr);
  EXPECT_NE(FindCode(file, "KQLR102"), nullptr);
  EXPECT_NE(FindCode(file, "KQLR107"), nullptr);
}

TEST(TechniqueTableTest, SubTechniquesUseTheirParent) {
  EXPECT_EQ(TacticsOfTechnique("T1219"), std::vector<std::string_view>{"CommandAndControl"});
  EXPECT_EQ(TacticsOfTechnique("T1059.001"), std::vector<std::string_view>{"Execution"});
  EXPECT_TRUE(TacticsOfTechnique("T9999").empty());
}

TEST(SarifWriterTest, WritesSarif210) {
  Engine engine;
  RuleLinter linter(engine);
  std::vector<LintedFile> files = {linter.LintRuleFile(SamplePath("bad_values.yaml")),
                                   linter.LintRuleFile(SamplePath("good_rule.yaml"))};
  std::string error;
  Dynamic sarif = ParseJson(WriteSarif(files, "0.1.0"), &error);
  ASSERT_NE(sarif, nullptr) << error;
  EXPECT_EQ(sarif->Find("version")->string_value(), "2.1.0");
  const DynamicValue* run = sarif->Find("runs")->items().at(0).get();
  const DynamicValue* driver = run->Find("tool")->Find("driver");
  EXPECT_EQ(driver->Find("name")->string_value(), "kqlite");
  const auto& rules = driver->Find("rules")->items();
  ASSERT_FALSE(rules.empty());
  EXPECT_EQ(rules[0]->Find("id")->string_value(), "KQLR210");
  const auto& results = run->Find("results")->items();
  ASSERT_EQ(results.size(), files[0].findings.size());
  const DynamicValue& first = *results[0];
  EXPECT_EQ(first.Find("ruleId")->string_value(), "KQLR210");
  EXPECT_EQ(first.Find("level")->string_value(), "error");
  EXPECT_EQ(first.Find("message")->Find("text")->string_value(), "Rule id is not a GUID: not-a-guid");
  const DynamicValue* location = first.Find("locations")->items().at(0)->Find("physicalLocation");
  EXPECT_NE(location->Find("artifactLocation")->Find("uri")->string_value().find("tests/data/lint/bad_values.yaml"),
            std::string::npos);
  EXPECT_EQ(location->Find("region")->Find("startLine")->int_value(), 1);
  EXPECT_EQ(location->Find("region")->Find("startColumn")->int_value(), 1);
  bool has_warning = false;
  for (const auto& result : results) has_warning = has_warning || result->Find("level")->string_value() == "warning";
  EXPECT_TRUE(has_warning);
}

}  // namespace
}  // namespace kql
