// Hunt limits per rule (HuntOptions::timeout, max_memory_bytes): a rule whose query runs too long or holds too much
// does not finish and says why (outcome, summary, reasons); the cheap rule beside it still runs and alerts.
#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "rules/alert_writer.h"
#include "rules/hunt.h"
#include "rules/rule_loader.h"
#include "types/datetime.h"
#include "rules/layer.h"

using namespace kql;
using namespace kql::rules;

namespace kql {
namespace {

std::string RuleYaml(const std::string& id, const std::string& name, const std::string& query) {
  return "id: " + id + "\nname: " + name +
         "\ndescription: d\nseverity: Medium\n"
         "requiredDataConnectors:\n  - connectorId: MicrosoftThreatProtection\n    dataTypes: [DeviceNetworkEvents]\n"
         "queryFrequency: 1h\nqueryPeriod: 1d\ntriggerOperator: gt\ntriggerThreshold: 0\nkind: Scheduled\n"
         "query: |\n  " + query + "\n";
}

// Every event joined with 10^10 generated rows: never finishes, and its join output grows without bound.
const char* kExpensive =
    "DeviceNetworkEvents | extend k = 1 | join kind=inner (range x from 1 to 100000 step 1 | extend k = 1"
    " | join kind=inner (range y from 1 to 100000 step 1 | extend k = 1) on k) on k | count";
const char* kCheap = "DeviceNetworkEvents | where RemoteUrl endswith \".evil.example\"";

class HuntLimitsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string events;
    for (int i = 0; i < 50; ++i) {
      events += "{\"Timestamp\":\"2024-06-10T11:" + std::to_string(10 + i) + ":00Z\",\"DeviceName\":\"ws" +
                std::to_string(i % 7) + "\",\"RemoteUrl\":\"" + (i % 10 == 0 ? "c2.evil.example" : "intranet.corp") +
                "\",\"RemotePort\":443}\n";
    }
    ASSERT_TRUE(engine_.AddDataText("DeviceNetworkEvents", {}, "jsonl", events).empty());
  }

  // Rules of (id, name, query).
  static std::vector<SentinelRule> Rules(
      const std::vector<std::tuple<std::string, std::string, std::string>>& definitions) {
    std::vector<SentinelRule> rules;
    for (const auto& [id, name, query] : definitions) {
      RuleLoadResult loaded = LoadRuleText(RuleYaml(id, name, query), name + ".yaml");
      EXPECT_TRUE(loaded.rule.has_value());
      if (loaded.rule) rules.push_back(*loaded.rule);
    }
    return rules;
  }

  HuntReport Hunt(HuntOptions options) {
    std::vector<SentinelRule> rules =
        Rules({{"11111111-0000-0000-0000-000000000001", "Exploding self-join", kExpensive},
               {"11111111-0000-0000-0000-000000000002", "Evil domain", kCheap}});
    options.now_ticks = ParseDateTime("2024-06-10T12:00:00Z");
    options.threads = 2;
    return RunHunt(engine_, std::move(rules), options);
  }

  Engine engine_;
};

TEST_F(HuntLimitsTest, RuleOverTheTimeoutDoesNotFinishAndTheOthersRun) {
  HuntOptions options;
  options.timeout = std::chrono::milliseconds(500);
  HuntReport report = Hunt(options);
  ASSERT_EQ(report.outcomes.size(), 2u);
  EXPECT_FALSE(report.outcomes[0].ran);
  EXPECT_EQ(report.outcomes[0].failure, QueryFailure::kTimeout);
  EXPECT_TRUE(StoppedByLimit(report.outcomes[0]));
  EXPECT_EQ(report.outcomes[0].error, "query exceeded the time limit of 0.5 s; raise --timeout");
  EXPECT_LT(report.outcomes[0].seconds, 60.0);
  EXPECT_TRUE(report.outcomes[1].ran);
  EXPECT_EQ(report.outcomes[1].result_rows, 5u);
  EXPECT_EQ(report.alerts.size(), 1u);  // SingleAlert (the default grouping)
  std::ostringstream summary;
  WriteHuntSummary(report, "", summary);
  EXPECT_NE(summary.str().find("rule Exploding self-join: NOT FINISHED (query exceeded the time limit of 0.5 s; "
                               "raise --timeout)"),
            std::string::npos)
      << summary.str();
  EXPECT_NE(summary.str().find("2 rule(s), 1 ran, 1 did not finish, 1 fired, 1 alert(s)"), std::string::npos)
      << summary.str();
  std::vector<std::string> reasons = QuietRuleReasons(report);
  ASSERT_EQ(reasons.size(), 1u);
  EXPECT_EQ(reasons[0], "1 rule(s) did not finish: stopped by the time limit (--timeout)");
}

TEST_F(HuntLimitsTest, RuleOverTheMemoryBudgetDoesNotFinishAndTheOthersRun) {
  HuntOptions options;
  options.max_memory_bytes = 32u << 20;
  HuntReport report = Hunt(options);
  ASSERT_EQ(report.outcomes.size(), 2u);
  EXPECT_EQ(report.outcomes[0].failure, QueryFailure::kMemoryLimit);
  EXPECT_NE(report.outcomes[0].error.find("memory limit of 32 MiB in join"), std::string::npos)
      << report.outcomes[0].error;
  EXPECT_TRUE(report.outcomes[1].ran);
  EXPECT_EQ(report.alerts.size(), 1u);  // SingleAlert (the default grouping)
  EXPECT_EQ(QuietRuleReasons(report),
            std::vector<std::string>{"1 rule(s) did not finish: stopped by the memory limit (--max-memory)"});
}

// Rules over rows a shared pass read run two at a time on two threads, each with half of the memory budget. A rule
// that needs more than half (its join's output needs 3 to 4 MiB) but fits the whole budget runs again alone, and
// finishes as it would have alone.
TEST_F(HuntLimitsTest, ARuleOverItsShareOfTheBudgetRunsAgainAlone) {
  std::vector<SentinelRule> rules =
      Rules({{"11111111-0000-0000-0000-000000000003", "Evil joined",
              "DeviceNetworkEvents | where RemoteUrl has 'evil' | project k = 1 | join kind=inner (range x from 1 to "
              "20000 step 1 | extend k = 1) on k | count"},
             {"11111111-0000-0000-0000-000000000002", "Evil domain", kCheap}});
  ASSERT_EQ(rules.size(), 2u);
  HuntOptions options;
  options.now_ticks = ParseDateTime("2024-06-10T12:00:00Z");
  options.threads = 2;
  options.max_memory_bytes = 6u << 20;
  HuntReport report = RunHunt(engine_, rules, options);
  EXPECT_EQ(report.shared_tables, std::set<std::string>{"DeviceNetworkEvents"});
  ASSERT_EQ(report.outcomes.size(), 2u);
  EXPECT_TRUE(report.outcomes[0].ran) << report.outcomes[0].error;
  EXPECT_EQ(report.outcomes[0].result_rows, 1u);
  EXPECT_TRUE(report.outcomes[1].ran);
  EXPECT_EQ(report.outcomes[1].result_rows, 5u);
  // With 3 MiB the rule does not finish, even alone.
  options.max_memory_bytes = 3u << 20;
  report = RunHunt(engine_, rules, options);
  EXPECT_EQ(report.outcomes[0].failure, QueryFailure::kMemoryLimit);
  EXPECT_NE(report.outcomes[0].error.find("memory limit of 3 MiB"), std::string::npos) << report.outcomes[0].error;
  EXPECT_TRUE(report.outcomes[1].ran);
}

// Bad values in a hunt: hex ReportIds become null cells (rows kept) and the summary names the table and column as
// `query` does, whichever rule read the column; never "N bad records skipped".
TEST(HuntBadValuesTest, SummaryNamesTheColumnWhicheverRuleReadIt) {
  std::string events;
  for (int i = 0; i < 30; ++i) {
    std::string id = i % 3 == 0 ? "\"107407f9c2" + std::to_string(i) + "\"" : std::to_string(i);
    events += "{\"Timestamp\":\"2024-06-10T11:" + std::to_string(10 + i) + ":00Z\",\"DeviceName\":\"ws" +
              std::to_string(i) + "\",\"RemoteUrl\":\"c2.evil.example\",\"ReportId\":" + id + "}\n";
  }
  Engine engine;
  ASSERT_TRUE(engine.AddDataText("DeviceNetworkEvents", {}, "jsonl", events).empty());
  std::vector<SentinelRule> rules;
  // The first rule reads every row but not ReportId; the second reads ReportId.
  for (const auto& [id, query] : std::vector<std::pair<std::string, std::string>>{
           {"33333333-0000-0000-0000-000000000001", "DeviceNetworkEvents | where RemoteUrl has \"evil\""},
           {"33333333-0000-0000-0000-000000000002", "DeviceNetworkEvents | where isnull(ReportId)"}}) {
    RuleLoadResult loaded = LoadRuleText(RuleYaml(id, "Rule " + id.substr(id.size() - 1), query), "r.yaml");
    ASSERT_TRUE(loaded.rule.has_value());
    rules.push_back(*loaded.rule);
  }
  HuntOptions options;
  options.now_ticks = ParseDateTime("2024-06-10T12:00:00Z");
  options.threads = 1;
  options.shared_scan = false;
  HuntReport report = RunHunt(engine, std::move(rules), options);
  ASSERT_TRUE(report.outcomes[1].ran);
  EXPECT_EQ(report.outcomes[1].result_rows, 10u);
  ASSERT_EQ(report.scans["DeviceNetworkEvents"].bad_values.count("ReportId"), 1u);
  EXPECT_EQ(report.scans["DeviceNetworkEvents"].bad_values["ReportId"].count, 10u);
  std::ostringstream summary;
  WriteHuntSummary(report, "", summary);
  EXPECT_NE(summary.str().find("    DeviceNetworkEvents.ReportId: 10 values not long (left null, rows kept), e.g. "),
            std::string::npos)
      << summary.str();
  EXPECT_EQ(summary.str().find("bad records skipped"), std::string::npos) << summary.str();
  EXPECT_NE(summary.str().find("; 0 bad record(s) skipped, 10 bad value(s) left null;"), std::string::npos)
      << summary.str();
}

}  // namespace
}  // namespace kql
