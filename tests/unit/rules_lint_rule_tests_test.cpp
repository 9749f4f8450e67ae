// Rule tests (`kqlite test`): the .tests.yaml loader (defaults, problems), the runner's comparisons (alert and
// result counts, subset rows, datetimes, dynamic multisets, null), readable failures, and finding test files.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "pack/builtin_pack.h"
#include "rules/rule_linter.h"
#include "rules/rule_loader.h"
#include "rules/rule_test_runner.h"
#include "rules/layer.h"

using namespace kql;
using namespace kql::rules;

namespace kql {
namespace {

constexpr const char* kRule = R"(id: 5f1e2d3c-4b5a-4697-8a8b-9c0d1e2f3a4b
name: Example RMM agent
description: Test rule.
severity: Medium
requiredDataConnectors:
  - connectorId: MicrosoftThreatProtection
    dataTypes:
      - DeviceNetworkEvents
queryFrequency: 1h
queryPeriod: 1d
triggerOperator: gt
triggerThreshold: 0
tactics:
  - CommandAndControl
relevantTechniques:
  - T1219
query: |
  DeviceNetworkEvents
  | where RemoteUrl has "example-rmm.com"
  | summarize FirstSeen = min(Timestamp), Reports = make_set(ReportId), Count = count() by DeviceName, RemoteUrl
eventGroupingSettings:
  aggregationKind: AlertPerResult
kind: Scheduled
)";

constexpr const char* kEvents = R"(
        {"Timestamp":"2024-10-09T14:00:00Z","DeviceName":"ws-1","RemoteUrl":"api.example-rmm.com","ReportId":1}
        {"Timestamp":"2024-10-09T14:05:00Z","DeviceName":"ws-1","RemoteUrl":"api.example-rmm.com","ReportId":2}
        {"Timestamp":"2024-10-09T14:10:00Z","DeviceName":"ws-2","RemoteUrl":"relay.example-rmm.com","ReportId":3}
        # a comment line is ignored
        {"Timestamp":"2024-10-09T14:10:00Z","DeviceName":"ws-3","RemoteUrl":"www.example.com","ReportId":4}
)";

SentinelRule LoadTestRule() {
  RuleLoadResult loaded = LoadRuleText(kRule, "example.yaml");
  EXPECT_TRUE(loaded.rule.has_value());
  return *loaded.rule;
}

RuleFileReader NoFiles() {
  return [](const std::string&) { return std::optional<std::string>(); };
}

RuleTestFileResult RunCases(const std::string& cases) {
  std::string text = "now: 2024-10-09T15:00:00Z\ncases:\n" + cases;
  RuleTestLoadResult loaded = LoadRuleTestText(text, "example.tests.yaml", NoFiles());
  for (const auto& problem : loaded.problems) ADD_FAILURE() << problem.line << ": " << problem.message;
  EXPECT_TRUE(loaded.file.has_value());
  if (!loaded.file) return {};
  return RunRuleTests(*loaded.file, LoadTestRule(), {});
}

std::string Case(const std::string& name, const std::string& kind, const std::string& expect) {
  return "  - name: " + name + "\n    kind: " + kind + "\n    events:\n      DeviceNetworkEvents: |" + kEvents + expect;
}

std::string Failures(const RuleTestCaseResult& result) {
  std::string out;
  for (const auto& line : result.failures) out += line + "\n";
  return out;
}

TEST(RuleTestRunnerTest, PassingTruePositiveWithRows) {
  RuleTestFileResult result = RunCases(Case("tp", "true_positive", R"(    expect:
      alerts: 2
      results: 2
      rows:
        - {DeviceName: ws-1, RemoteUrl: api.example-rmm.com, Count: 2, FirstSeen: 2024-10-09T14:00:00Z, Reports: [2, 1]}
        - {DeviceName: ws-2, Count: 1.0, FirstSeen: "2024-10-09 14:10:00"}
)"));
  ASSERT_EQ(result.cases.size(), 1u);
  EXPECT_TRUE(result.cases[0].passed) << Failures(result.cases[0]);
  EXPECT_EQ(result.cases[0].alerts, 2u);
  EXPECT_EQ(result.Passed(), 1u);
  EXPECT_EQ(result.Failed(), 0u);
}

TEST(RuleTestRunnerTest, DefaultExpectations) {
  RuleTestFileResult result = RunCases(
      Case("tp", "true_positive", "") +
      "  - name: fp\n    kind: false_positive\n    events:\n      DeviceNetworkEvents: |\n"
      "        {\"Timestamp\":\"2024-10-09T14:00:00Z\",\"DeviceName\":\"ws-9\",\"RemoteUrl\":\"example.com\"}\n"
      "  - name: no events\n    kind: false_positive\n    events: {}\n");
  ASSERT_EQ(result.cases.size(), 3u);
  for (const auto& test_case : result.cases)
    EXPECT_TRUE(test_case.passed) << test_case.name << "\n" << Failures(test_case);
}

TEST(RuleTestRunnerTest, FailingCountsAndRowsExplainThemselves) {
  RuleTestFileResult result = RunCases(Case("wrong", "true_positive", R"(    expect:
      alerts: 3
      rows:
        - {DeviceName: ws-1, RemoteUrl: api.example-rmm.com, Count: 5}
)"));
  ASSERT_EQ(result.cases.size(), 1u);
  const RuleTestCaseResult& failed = result.cases[0];
  EXPECT_FALSE(failed.passed);
  std::string text = Failures(failed);
  EXPECT_NE(text.find("expected 3 alert(s), got 2"), std::string::npos) << text;
  EXPECT_NE(text.find("expected row not found: {DeviceName: ws-1, RemoteUrl: api.example-rmm.com, Count: 5}"),
            std::string::npos)
      << text;
  EXPECT_NE(
      text.find(
          "closest actual row (2 of 3 columns match): {DeviceName: ws-1, RemoteUrl: api.example-rmm.com, Count: 2}"),
      std::string::npos)
      << text;
  EXPECT_EQ(result.Failed(), 1u);
}

TEST(RuleTestRunnerTest, FalsePositiveThatFires) {
  RuleTestFileResult result = RunCases(Case("fp", "false_positive", ""));
  ASSERT_EQ(result.cases.size(), 1u);
  EXPECT_FALSE(result.cases[0].passed);
  EXPECT_NE(Failures(result.cases[0]).find("expected no alerts (false positive), got 2"), std::string::npos)
      << Failures(result.cases[0]);
}

TEST(RuleTestRunnerTest, EventsOutsideTheWindowAndCaseClock) {
  // The rule's queryPeriod is 1d: a clock two days later sees nothing.
  RuleTestFileResult result = RunCases(Case("later", "false_positive", "    now: 2024-10-11T15:00:00Z\n"));
  ASSERT_EQ(result.cases.size(), 1u);
  EXPECT_TRUE(result.cases[0].passed) << Failures(result.cases[0]);
}

TEST(RuleTestRunnerTest, RowsAreAMatchingNotAGreedyPick) {
  // The first expected row could take either ws-1 or ws-2's row; the second only fits ws-1's.
  RuleTestFileResult result = RunCases(Case("matching", "true_positive", R"(    expect:
      rows:
        - {FirstSeen: 2024-10-09T14:00:00Z}
        - {DeviceName: ws-1}
)"));
  ASSERT_EQ(result.cases.size(), 1u);
  EXPECT_FALSE(result.cases[0].passed);  // Two rows exist, but only ws-1's row has FirstSeen 14:00.
  RuleTestFileResult ok = RunCases(Case("matching", "true_positive", R"(    expect:
      rows:
        - {RemoteUrl: relay.example-rmm.com}
        - {Count: 2}
)"));
  EXPECT_TRUE(ok.cases.at(0).passed) << Failures(ok.cases.at(0));
}

TEST(RuleTestRunnerTest, FilterSelectsCases) {
  std::string text = "now: 2024-10-09T15:00:00Z\ncases:\n" + Case("alpha one", "true_positive", "") +
                     Case("beta", "true_positive", "");
  RuleTestLoadResult loaded = LoadRuleTestText(text, "x.tests.yaml", NoFiles());
  ASSERT_TRUE(loaded.file.has_value());
  RuleTestOptions options;
  options.filter = "alpha*";
  RuleTestFileResult result = RunRuleTests(*loaded.file, LoadTestRule(), options);
  ASSERT_EQ(result.cases.size(), 1u);
  EXPECT_EQ(result.cases[0].name, "alpha one");
}

TEST(RuleTestLoaderTest, ReportsProblemsWithPositions) {
  RuleTestLoadResult loaded = LoadRuleTestText(
      "now: yesterday\ncases:\n  - name: a\n    kind: maybe\n    events: {}\n  - name: a\n    kind: true_positive\n"
      "    events: {}\n    expect: {alerts: -1, colour: red}\n",
      "bad.tests.yaml", NoFiles());
  std::vector<std::string> messages;
  for (const auto& problem : loaded.problems) {
    EXPECT_TRUE(problem.is_error);
    EXPECT_GT(problem.line, 0);
    messages.push_back(problem.message);
  }
  auto has = [&](const std::string& text) {
    return std::any_of(messages.begin(), messages.end(),
                       [&](const std::string& m) { return m.find(text) != std::string::npos; });
  };
  EXPECT_TRUE(has("'now' is not a datetime: yesterday"));
  EXPECT_TRUE(has("kind' must be true_positive or false_positive"));
  EXPECT_TRUE(has("Duplicate case name: a"));
  EXPECT_TRUE(has("'alerts' must be a non-negative number"));
  EXPECT_TRUE(has("Unknown key in 'expect': colour"));
}

TEST(RuleTestLoaderTest, DefaultsAndPaths) {
  EXPECT_EQ(DefaultRulePathFor("rules/x/foo.tests.yaml"), "rules/x/foo.yaml");
  EXPECT_EQ(ResolveBeside("builtin:rules/builtin/rmm/a.tests.yaml", "b.yaml"), "builtin:rules/builtin/rmm/b.yaml");
  EXPECT_EQ(ResolveBeside("dir/a.tests.yaml", "../data/e.jsonl"), "data/e.jsonl");
  RuleTestLoadResult loaded =
      LoadRuleTestText("cases:\n  - name: a\n    kind: true_positive\n    events: {}\n", "d/r.tests.yaml", NoFiles());
  ASSERT_TRUE(loaded.file.has_value());
  EXPECT_EQ(loaded.file->rule_path, "d/r.yaml");
  EXPECT_FALSE(loaded.file->now_ticks.has_value());
}

TEST(RuleTestFilesTest, LoadersSkipTestFilesAndFindThem) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / "kqlite_rule_tests_test";
  fs::remove_all(dir);
  fs::create_directories(dir / "sub");
  std::ofstream(dir / "sub" / "example.yaml") << kRule;
  std::ofstream(dir / "sub" / "example.tests.yaml")
      << "now: 2024-10-09T15:00:00Z\ncases:\n"
      << Case("tp", "true_positive", "")
      << "  - name: from a file\n    kind: true_positive\n    events:\n      DeviceNetworkEvents: {file: "
         "../events.jsonl}\n"
      << "    expect: {alerts: 1, rows: [{DeviceName: ws-5, Count: 1}]}\n";
  std::ofstream(dir / "events.jsonl")
      << R"({"Timestamp":"2024-10-09T14:00:00Z","DeviceName":"ws-5","RemoteUrl":"api.example-rmm.com","ReportId":9})"
      << "\n";
  EXPECT_TRUE(IsRuleTestFile("a/b.tests.yaml"));
  EXPECT_FALSE(IsRuleTestFile("a/b.yaml"));
  std::vector<std::string> errors;
  std::vector<std::string> rules = FindRuleFiles({dir.string()}, errors);
  ASSERT_EQ(rules.size(), 1u);
  EXPECT_EQ(fs::path(rules[0]).filename(), "example.yaml");
  std::vector<std::string> tests = FindRuleTestFiles({dir.string(), (dir / "sub" / "example.yaml").string()}, errors);
  EXPECT_TRUE(errors.empty());
  ASSERT_EQ(tests.size(), 2u);
  RuleTestFileResult result = RunRuleTestFile(tests[0], DefaultRuleFileReader(), {});
  EXPECT_TRUE(result.problems.empty());
  ASSERT_EQ(result.cases.size(), 2u);
  EXPECT_TRUE(result.cases[0].passed) << Failures(result.cases[0]);
  EXPECT_TRUE(result.cases[1].passed) << Failures(result.cases[1]);
  // Lint checks test files too: a missing events file is KQLT002 at the `file:` line.
  Engine engine;
  RuleLinter linter(engine);
  LintedFile linted =
      linter.LintTestText("cases:\n  - name: a\n    kind: true_positive\n    events:\n      T: {file: missing.jsonl}\n",
                          (dir / "sub" / "example.tests.yaml").string(), DefaultRuleFileReader());
  ASSERT_EQ(linted.findings.size(), 1u);
  EXPECT_EQ(linted.findings[0].code, "KQLT002");
  EXPECT_EQ(linted.findings[0].line, 5);
  fs::remove_all(dir);
}

TEST(RuleTestFilesTest, BuiltinPackHasTestsAndNoTestLoadsAsARule) {
  EXPECT_FALSE(BuiltinRuleTestFiles().empty());
  for (const auto& loaded : kql::pack::LoadBuiltinRules()) {
    ASSERT_TRUE(loaded.rule.has_value());
    EXPECT_FALSE(IsRuleTestFile(loaded.rule->path)) << loaded.rule->path;
  }
  RuleTestFileResult seed = RunRuleTestFile("builtin:rules/builtin/rmm/tacticalrmm_network_connection_seed.tests.yaml",
                                            DefaultRuleFileReader(), {});
  EXPECT_TRUE(seed.problems.empty());
  EXPECT_EQ(seed.Failed(), 0u);
  EXPECT_GE(seed.Passed(), 8u);
}

}  // namespace
}  // namespace kql
