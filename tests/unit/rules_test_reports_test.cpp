// Rule test reports for CI: JUnit XML (suites per rule, failures with the diff text, XML escaping), GitHub Actions
// annotations (escaped properties and multi-line messages), and `--update` rewriting only the expect blocks of a
// real test file run against its rule (comments, events and passing cases kept byte for byte).
#include <gtest/gtest.h>

#include "rules/rule_loader.h"
#include "rules/rule_test_report.h"
#include "rules/rule_test_runner.h"
#include "rules/rule_test_update.h"
#include "rules/layer.h"

using namespace kql;
using namespace kql::rules;

namespace kql {
namespace {

RuleTestFileResult SampleResult() {
  RuleTestFileResult result;
  result.path = "rules/rmm/screenconnect <prod>.tests.yaml";
  result.rule_path = "rules/rmm/screenconnect <prod>.yaml";
  RuleTestCaseResult passed;
  passed.name = "relay & web client";
  passed.line = 5;
  passed.passed = true;
  passed.seconds = 0.25;
  RuleTestCaseResult failed;
  failed.name = "browser \"look-alike\"";
  failed.line = 17;
  failed.kind = RuleTestKind::kFalsePositive;
  failed.failures = {"expected no alerts (false positive), got 1", "  actual row: {DeviceName: ws-1}"};
  result.cases = {passed, failed};
  return result;
}

TEST(RuleTestReports, JUnitHasOneSuitePerRuleAndFailureText) {
  RuleTestFileResult broken;
  broken.path = "builtin:rules/builtin/x.tests.yaml";
  broken.problems.push_back(RuleProblem{true, broken.path, 3, 7, "KQLT001", "cases must be a list"});
  std::string xml = WriteJUnit({SampleResult(), broken});
  EXPECT_NE(xml.find("<testsuites name=\"kqlite test\" tests=\"3\" failures=\"1\" errors=\"1\""), std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<testsuite name=\"rules/rmm/screenconnect &lt;prod&gt;.yaml\" tests=\"2\" failures=\"1\""),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("name=\"relay &amp; web client\" file=\"rules/rmm/screenconnect &lt;prod&gt;.tests.yaml\" "
                     "line=\"5\" time=\"0.250\"/>"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("name=\"browser &quot;look-alike&quot;\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("<failure message=\"expected no alerts (false positive), got 1\" type=\"false_positive\">"
                     "expected no alerts (false positive), got 1\n  actual row: {DeviceName: ws-1}\n</failure>"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<testsuite name=\"rules/builtin/x.tests.yaml\" tests=\"1\" failures=\"0\" errors=\"1\""),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<error message=\"rules/builtin/x.tests.yaml:3:7: KQLT001: cases must be a list\""),
            std::string::npos)
      << xml;
}

TEST(RuleTestReports, GitHubAnnotationsEscapeAsWorkflowCommands) {
  EXPECT_EQ(GitHubAnnotation("error", "rules/a,b:c.yaml", 12, 3, "KQLR100: 50% done\nnext line"),
            "::error file=rules/a%2Cb%3Ac.yaml,line=12,col=3::KQLR100: 50%25 done%0Anext line\n");
  EXPECT_EQ(GitHubAnnotation("warning", "builtin:rules/builtin/x.yaml", 0, 0, "no position"),
            "::warning file=rules/builtin/x.yaml::no position\n");
  EXPECT_EQ(WriteGitHubTestAnnotations({SampleResult()}),
            "::error file=rules/rmm/screenconnect <prod>.tests.yaml,line=17::test case 'browser \"look-alike\"' "
            "failed%0Aexpected no alerts (false positive), got 1%0A  actual row: {DeviceName: ws-1}%0A\n");
}

const char* kRule = R"(id: 6f0e4a53-6d52-4c1f-9d55-0d2a37c7f0aa
name: ScreenConnect relay
severity: Medium
queryFrequency: 1h
queryPeriod: 1h
triggerOperator: gt
triggerThreshold: 0
requiredDataConnectors:
  - connectorId: MicrosoftThreatProtection
    dataTypes: [DeviceNetworkEvents]
query: |
  DeviceNetworkEvents
  | where RemoteUrl endswith "screenconnect.com"
  | summarize Count = count() by DeviceName, RemoteUrl
)";

// A hand-written test file: the first case's expectation is stale (wrong count, wrong host), the second passes and
// must stay exactly as written (quotes, comment), the third has no expect: block. The rule groups as a
// SingleAlert: one alert carrying every result row.
const char* kTests = R"(# ScreenConnect relay tests — kept by hand.
rule: screenconnect.yaml
now: 2024-10-09T15:00:00Z
cases:
  - name: relay traffic
    kind: true_positive
    events:
      DeviceNetworkEvents: |
        {"Timestamp":"2024-10-09T14:00:00Z","DeviceName":"ws-1","RemoteUrl":"relay.screenconnect.com"}
        {"Timestamp":"2024-10-09T14:05:00Z","DeviceName":"ws-1","RemoteUrl":"relay.screenconnect.com"}
        {"Timestamp":"2024-10-09T14:06:00Z","DeviceName":"o'brien-lt","RemoteUrl":"relay.screenconnect.com"}
    expect:
      alerts: 1
      rows:
        - DeviceName: ws-9   # stale
          Count: 5

  - name: "other traffic"   # stays as written
    kind: false_positive
    events:
      DeviceNetworkEvents: |
        {"Timestamp":"2024-10-09T14:00:00Z","DeviceName":"ws-1","RemoteUrl":"example.com"}
    expect:
      alerts: 0
  - name: new case
    kind: true_positive
    events:
      DeviceNetworkEvents: |
        {"Timestamp":"2024-10-09T14:00:00Z","DeviceName":"ws-2","RemoteUrl":"cloud.screenconnect.com"}
)";

/// Runs `tests_text` as t/<name>.tests.yaml against `rule_text` as t/<name>.yaml.
RuleTestFileResult RunTestText(const std::string& name, const std::string& tests_text, const std::string& rule_text) {
  RuleFileReader reader = [&](const std::string& path) -> std::optional<std::string> {
    if (path == "t/" + name + ".tests.yaml") return tests_text;
    if (path == "t/" + name + ".yaml") return rule_text;
    return std::nullopt;
  };
  return RunRuleTestFile("t/" + name + ".tests.yaml", reader, RuleTestOptions{});
}

RuleTestFileResult RunSample(const std::string& tests_text) { return RunTestText("screenconnect", tests_text, kRule); }

TEST(RuleTestReports, UpdateRewritesOnlyFailingAndMissingExpectBlocks) {
  RuleTestFileResult before = RunSample(kTests);
  ASSERT_TRUE(before.problems.empty()) << before.problems.front().code << " " << before.problems.front().message;
  ASSERT_EQ(before.cases.size(), 3u);
  EXPECT_FALSE(before.cases[0].passed);
  EXPECT_TRUE(before.cases[1].passed);
  EXPECT_TRUE(before.cases[2].passed);  // a true positive without expect: passes on any alert
  RuleTestUpdate update = UpdateRuleTestText(kTests, before);
  EXPECT_EQ(update.problem, "");
  EXPECT_EQ(update.updated, 2u);
  const std::string expected = R"(# ScreenConnect relay tests — kept by hand.
rule: screenconnect.yaml
now: 2024-10-09T15:00:00Z
cases:
  - name: relay traffic
    kind: true_positive
    events:
      DeviceNetworkEvents: |
        {"Timestamp":"2024-10-09T14:00:00Z","DeviceName":"ws-1","RemoteUrl":"relay.screenconnect.com"}
        {"Timestamp":"2024-10-09T14:05:00Z","DeviceName":"ws-1","RemoteUrl":"relay.screenconnect.com"}
        {"Timestamp":"2024-10-09T14:06:00Z","DeviceName":"o'brien-lt","RemoteUrl":"relay.screenconnect.com"}
    expect:
      alerts: 1
      rows:
        - DeviceName: 'ws-1'
          Count: 2
        - DeviceName: 'o''brien-lt'
          Count: 1

  - name: "other traffic"   # stays as written
    kind: false_positive
    events:
      DeviceNetworkEvents: |
        {"Timestamp":"2024-10-09T14:00:00Z","DeviceName":"ws-1","RemoteUrl":"example.com"}
    expect:
      alerts: 0
  - name: new case
    kind: true_positive
    events:
      DeviceNetworkEvents: |
        {"Timestamp":"2024-10-09T14:00:00Z","DeviceName":"ws-2","RemoteUrl":"cloud.screenconnect.com"}
    expect:
      alerts: 1
      rows:
        - DeviceName: 'ws-2'
          RemoteUrl: 'cloud.screenconnect.com'
          Count: 1
)";
  EXPECT_EQ(update.text, expected);
  RuleTestFileResult after = RunSample(update.text);
  ASSERT_EQ(after.cases.size(), 3u);
  for (const auto& test_case : after.cases) EXPECT_TRUE(test_case.passed) << test_case.name;
  EXPECT_EQ(UpdateRuleTestText(update.text, after).updated, 0u);
}

TEST(RuleTestReports, UpdateKeepsCrlfLineEnds) {
  std::string crlf;
  for (char c : std::string(kTests)) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  RuleTestFileResult before = RunSample(crlf);
  ASSERT_TRUE(before.problems.empty());
  RuleTestUpdate update = UpdateRuleTestText(crlf, before);
  EXPECT_EQ(update.updated, 2u);
  EXPECT_NE(update.text.find("    expect:\r\n      alerts: 1\r\n      rows:\r\n        - DeviceName: 'ws-1'\r\n"),
            std::string::npos)
      << update.text;
  size_t bare = 0;
  for (size_t i = 0; i < update.text.size(); ++i)
    bare += update.text[i] == '\n' && (i == 0 || update.text[i - 1] != '\r');
  EXPECT_EQ(bare, 0u);
  for (const auto& test_case : RunSample(update.text).cases) EXPECT_TRUE(test_case.passed) << test_case.name;
}

// A rule whose rows hold every awkward kind of cell: empty strings, nulls, quotes, line breaks and control
// characters, unicode, strings that read as other YAML (null, true, numbers, lists), datetimes with fractions,
// timespans, guids, infinities and dynamic bags, lists and scalars. `--update` must record them so that the next
// run passes: update, then test, then update again changes nothing.
const char* kMessyRule = R"(id: 4a1d7c52-98f3-4a0e-b0f5-2f6d8c1e7b90
name: Messy cells
severity: Low
queryFrequency: 1h
queryPeriod: 1h
triggerOperator: gt
triggerThreshold: 0
requiredDataConnectors:
  - connectorId: MicrosoftThreatProtection
    dataTypes: [DeviceProcessEvents]
query: |
  DeviceProcessEvents
  | extend Empty = "", NullLong = tolong("not a number"), NullDate = todatetime("never")
  | extend LooksNull = "null", LooksTrue = "true", LooksNumber = "0123", LooksList = "[x, y]", LooksMap = "{a: 1}"
  | extend Padded = "  padded  ", Hash = "# not a comment", Span = 1h + 30m + 1tick, Id = toguid("7C9E6679-7425-40DE-944B-E07FC1F90AE7")
  | extend Inf = 1.0 / 0.0, MinusInf = -1.0 / 0.0, Ratio = 0.1 + 0.2
  | extend Bag = bag_pack("a", 1, "b", ProcessCommandLine, "c", dynamic(null), "d", dynamic([1, "2", true, 2.5]),
                          "e", "", "f", dynamic({}), "g", "null", "h key", DeviceName)
  | extend DynString = Bag.b, DynNull = Bag.c, DynLong = Bag.a, DynList = Bag.d, DynEmpty = Bag.e
  | project Timestamp, DeviceName, ProcessCommandLine, FolderPath, Empty, NullLong, NullDate, LooksNull,
            LooksTrue, LooksNumber, LooksList, LooksMap, Padded, Hash, Span, Id, Inf, MinusInf, Ratio, Bag,
            DynString, DynNull, DynLong, DynList, DynEmpty
)";

const char* kMessyTests = R"yaml(rule: messy.yaml
now: 2024-10-09T15:00:00Z
cases:
  - name: every kind of cell
    kind: true_positive
    events:
      DeviceProcessEvents: |
        {"Timestamp":"2024-10-09T14:00:00.1234567Z","DeviceName":"o'brien \"lt\" — Ünïcødé ✓ 日本","ProcessCommandLine":"cmd.exe /c \"echo 'hi'\"\n\tnext line\r\nbell\u0007 end\\","FolderPath":"","ProcessId":4242}
        {"Timestamp":"2024-10-09T14:01:00Z","DeviceName":"","ProcessCommandLine":"a: b, [c] {d} #e 'f' \"g\" \\h","FolderPath":"C:\\Windows\\System32\\","ProcessId":0}
  - name: stale expectation
    kind: true_positive
    events:
      DeviceProcessEvents: |
        {"Timestamp":"2024-10-09T14:02:00Z","DeviceName":"","ProcessCommandLine":"","FolderPath":"(empty)","ProcessId":4242}
    expect:
      alerts: 1
      rows:
        - DeviceName: 'somewhere'
          ProcessCommandLine: '(empty)'
          FolderPath: null
          Empty: '(empty)'
)yaml";

RuleTestFileResult RunMessy(const std::string& tests_text) { return RunTestText("messy", tests_text, kMessyRule); }

TEST(RuleTestReports, UpdateThenTestPassesForEveryKindOfCell) {
  RuleTestFileResult before = RunMessy(kMessyTests);
  ASSERT_TRUE(before.problems.empty()) << before.problems.front().message;
  ASSERT_EQ(before.cases.size(), 2u);
  for (const auto& test_case : before.cases)
    ASSERT_TRUE(test_case.ran) << test_case.name << ": " << (test_case.failures.empty() ? "" : test_case.failures[0]);
  EXPECT_FALSE(before.cases[1].passed);
  RuleTestUpdate update = UpdateRuleTestText(kMessyTests, before);
  ASSERT_EQ(update.problem, "");
  EXPECT_EQ(update.updated, 2u);
  // The stale case names four columns: only those are recorded, with the empty strings as empty strings.
  EXPECT_NE(update.text.find("      rows:\n        - DeviceName: ''\n          ProcessCommandLine: ''\n"
                             "          FolderPath: '(empty)'\n          Empty: ''\n"),
            std::string::npos)
      << update.text;
  EXPECT_NE(update.text.find("          NullLong: null\n"), std::string::npos) << update.text;
  EXPECT_NE(update.text.find("          LooksNull: 'null'\n          LooksTrue: 'true'\n          LooksNumber: '0123'\n"
                             "          LooksList: '[x, y]'\n"),
            std::string::npos)
      << update.text;
  // Line breaks and control characters need a double-quoted scalar; a dynamic bag is a flow mapping.
  EXPECT_NE(update.text.find("          ProcessCommandLine: \"cmd.exe /c \\\"echo 'hi'\\\"\\n\\tnext line\\r\\nbell\\x07 "
                             "end\\\\\"\n"),
            std::string::npos)
      << update.text;
  EXPECT_NE(update.text.find("          Bag: {'a': 1, 'b': \"cmd.exe"), std::string::npos) << update.text;
  EXPECT_NE(update.text.find("'c': null, 'd': [1, '2', true, 2.5], 'e': '', 'f': {}, 'g': 'null', 'h key': ''}\n"),
            std::string::npos)
      << update.text;
  EXPECT_NE(update.text.find("          Inf: '+inf'\n          MinusInf: '-inf'\n"), std::string::npos) << update.text;
  RuleTestFileResult after = RunMessy(update.text);
  ASSERT_TRUE(after.problems.empty()) << after.problems.front().message << "\n" << update.text;
  ASSERT_EQ(after.cases.size(), 2u);
  for (const auto& test_case : after.cases) {
    std::string failures;
    for (const auto& line : test_case.failures) failures += line + "\n";
    EXPECT_TRUE(test_case.passed) << test_case.name << "\n" << failures << update.text;
  }
  EXPECT_EQ(UpdateRuleTestText(update.text, after).updated, 0u);
}

}  // namespace
}  // namespace kql
