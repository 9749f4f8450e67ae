// Hunt semantics: the Sentinel window per source table, why a rule found nothing, event grouping, alert details
// overrides, custom details, watchlists, and the sentinel / ocsf / ATT&CK layer renderings.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "rules/alert_writer.h"
#include "rules/attack_layer.h"
#include "rules/hunt.h"
#include "rules/rule_loader.h"
#include "rules/watchlist.h"
#include "types/datetime.h"
#include "types/dynamic.h"
#include "rules/layer.h"

using namespace kql;
using namespace kql::rules;

namespace kql {
namespace {

const char* kEvents =
    R"({"Timestamp":"2024-06-10T11:00:00Z","DeviceName":"ws1","RemoteIP":"203.0.113.5","RemoteUrl":"a.evil.example","InitiatingProcessFileName":"agent.exe","RemotePort":443}
{"Timestamp":"2024-06-10T09:00:00Z","DeviceName":"ws2","RemoteIP":"203.0.113.6","RemoteUrl":"b.evil.example","InitiatingProcessFileName":"agent.exe","RemotePort":443}
{"Timestamp":"2024-06-09T09:00:00Z","DeviceName":"ws3","RemoteIP":"203.0.113.7","RemoteUrl":"c.evil.example","InitiatingProcessFileName":"agent.exe","RemotePort":443}
)";

std::string RuleYaml(const std::string& extra, const std::string& query) {
  return "id: 11111111-2222-3333-4444-555555555555\n"
         "name: Evil agent connection\n"
         "description: An agent reached an evil domain\n"
         "severity: Medium\n"
         "requiredDataConnectors:\n  - connectorId: MicrosoftThreatProtection\n    dataTypes: [DeviceNetworkEvents]\n"
         "queryFrequency: 1h\n"
         "tactics: [CommandAndControl]\n"
         "relevantTechniques: [T1219]\n"
         "version: 1.2.0\n"
         "kind: Scheduled\n" +
         extra + "query: |\n  " + query + "\n";
}

class HuntSemanticsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(engine_.AddDataText("DeviceNetworkEvents", {}, "jsonl", kEvents).empty());
  }

  SentinelRule Rule(const std::string& extra, const std::string& query = "DeviceNetworkEvents | where RemoteUrl has \"evil\"") {
    RuleLoadResult loaded = LoadRuleText(RuleYaml(extra, query), "test.yaml");
    EXPECT_TRUE(loaded.rule.has_value());
    return loaded.rule.value_or(SentinelRule{});
  }

  HuntReport Hunt(std::vector<SentinelRule> rules, const std::string& now = "2024-06-10T12:00:00Z") {
    HuntOptions options;
    options.now_ticks = ParseDateTime(now);
    options.threads = 1;
    return RunHunt(engine_, std::move(rules), options);
  }

  Engine engine_;
};

TEST_F(HuntSemanticsTest, QueryPeriodCutsTheSourceTable) {
  HuntReport report = Hunt({Rule("queryPeriod: 2h\n")});
  ASSERT_TRUE(report.outcomes[0].ran);
  EXPECT_EQ(report.outcomes[0].result_rows, 1u);  // only ws1 is in [10:00, 12:00]
  EXPECT_EQ(report.tables["DeviceNetworkEvents"].time_column, "Timestamp");
  report = Hunt({Rule("queryPeriod: 1d\n")});
  EXPECT_EQ(report.outcomes[0].result_rows, 2u);
}

TEST_F(HuntSemanticsTest, WithoutQueryPeriodTheQueryDecides) {
  HuntReport report = Hunt({Rule("")});
  EXPECT_EQ(report.outcomes[0].result_rows, 3u);
  EXPECT_FALSE(report.outcomes[0].window_start_ticks.has_value());
}

TEST_F(HuntSemanticsTest, SaysWhenTheDataLiesOutsideTheWindow) {
  HuntReport report = Hunt({Rule("queryPeriod: 1h\n")}, "2024-07-01T00:00:00Z");
  EXPECT_EQ(report.outcomes[0].result_rows, 0u);
  EXPECT_EQ(report.outcomes[0].note,
            "3 events in DeviceNetworkEvents, none in the window [2024-06-30T23:00:00Z, 2024-07-01T00:00:00Z] (the data "
            "spans 2024-06-09T09:00:00Z .. 2024-06-10T11:00:00Z); try --now latest");
  EXPECT_EQ(report.outcomes[0].tables_before_window, std::vector<std::string>{"DeviceNetworkEvents"});
  // The summary counts such rules by table, with how far the data ends before their window.
  EXPECT_EQ(QuietRuleReasons(report),
            std::vector<std::string>{"1 rule(s) saw no event: the data of DeviceNetworkEvents ends 2024-06-10, 20 days "
                                     "before their window (now = 2024-07-01); try --now latest"});
  std::ostringstream summary;
  WriteHuntSummary(report, "", summary);
  EXPECT_NE(summary.str().find("20 days before their window"), std::string::npos) << summary.str();
}

TEST_F(HuntSemanticsTest, NoAlertsIsNeverBareWhenNoRuleRan) {
  HuntReport report = Hunt({Rule("queryPeriod: 1h\n", "DeviceProcessEvents | take 1")});
  EXPECT_EQ(RulesRun(report), 0u);
  std::ostringstream alerts;
  WriteAlerts(report, AlertFormat::kTable, alerts);
  EXPECT_EQ(alerts.str(), "No alerts: none of the 1 rule(s) ran (see why below).\n");
  EXPECT_EQ(QuietRuleReasons(report),
            std::vector<std::string>{"1 rule(s) not run: table DeviceProcessEvents is absent (no data given for it)"});
}

TEST_F(HuntSemanticsTest, SaysWhenTheTableIsAbsent) {
  HuntReport report = Hunt({Rule("queryPeriod: 1h\n", "DeviceProcessEvents | take 1")});
  EXPECT_FALSE(report.outcomes[0].ran);
  EXPECT_EQ(report.outcomes[0].note, "table DeviceProcessEvents is absent (no data given for it)");
  EXPECT_TRUE(report.outcomes[0].error.empty());
}

TEST_F(HuntSemanticsTest, SingleAlertIsTheDefaultAndGroupsEveryRow) {
  HuntReport report = Hunt({Rule("")});
  ASSERT_EQ(report.alerts.size(), 1u);
  const Alert& alert = report.alerts[0];
  EXPECT_EQ(alert.rows.size(), 3u);
  EXPECT_EQ(FormatDateTime(*alert.start_ticks), "2024-06-09T09:00:00Z");
  EXPECT_EQ(FormatDateTime(*alert.end_ticks), "2024-06-10T11:00:00Z");
  size_t hosts = 0;
  for (const auto& entity : alert.entities) hosts += entity.type == "Host" ? 1 : 0;
  EXPECT_EQ(hosts, 3u);
}

TEST_F(HuntSemanticsTest, AlertPerResultAndDetailsOverride) {
  HuntReport report = Hunt({Rule("eventGroupingSettings:\n  aggregationKind: AlertPerResult\n"
                                 "alertDetailsOverride:\n"
                                 "  alertDisplayNameFormat: 'Evil connection from {{DeviceName}} to {{RemoteUrl}}'\n"
                                 "  alertDescriptionFormat: 'Process {{InitiatingProcessFileName}} {{Missing}}'\n"
                                 "  alertSeverityColumnName: Sev\n"
                                 "  alertTacticsColumnName: Tac\n"
                                 "customDetails:\n  Port: RemotePort\n"
                                 "incidentConfiguration:\n  createIncident: true\n",
                                 "DeviceNetworkEvents | where RemoteUrl has \"evil\" | extend Sev = iff(DeviceName == "
                                 "\"ws1\", \"High\", \"bogus\"), Tac = iff(DeviceName == \"ws1\", \"Execution, "
                                 "Persistence\", \"\")")});
  ASSERT_EQ(report.alerts.size(), 3u);
  const Alert* ws1 = nullptr;
  const Alert* ws2 = nullptr;
  for (const auto& alert : report.alerts) {
    if (alert.title == "Evil connection from ws1 to a.evil.example") ws1 = &alert;
    if (alert.title == "Evil connection from ws2 to b.evil.example") ws2 = &alert;
  }
  ASSERT_NE(ws1, nullptr);
  ASSERT_NE(ws2, nullptr);
  EXPECT_EQ(ws1->description, "Process agent.exe {{Missing}}");
  EXPECT_EQ(ws1->severity, "High");
  EXPECT_EQ(ws2->severity, "Medium");  // "bogus" is not a severity: the rule's applies
  EXPECT_EQ(ws1->tactics, (std::vector<std::string>{"Execution", "Persistence"}));
  EXPECT_EQ(ws2->tactics, (std::vector<std::string>{"CommandAndControl"}));
  ASSERT_EQ(ws1->custom_details.size(), 1u);
  EXPECT_EQ(FormatJson(ws1->custom_details[0].second), "443");
  EXPECT_NE(ws1->system_alert_id, ws2->system_alert_id);
  std::string json = AlertToJson(report, *ws1);
  EXPECT_NE(json.find("\"incidentConfiguration\":{\"createIncident\":true}"), std::string::npos) << json;
  EXPECT_NE(json.find("\"ruleVersion\":\"1.2.0\""), std::string::npos);
}

TEST_F(HuntSemanticsTest, SingleAlertCustomDetailsHoldEveryRowsValue) {
  HuntReport report = Hunt({Rule("customDetails:\n  Device: DeviceName\n", "DeviceNetworkEvents | where RemoteUrl has \"evil\" | order by Timestamp asc")});
  ASSERT_EQ(report.alerts.size(), 1u);
  EXPECT_EQ(FormatJson(report.alerts[0].custom_details[0].second), "[\"ws3\",\"ws2\",\"ws1\"]");
}

TEST_F(HuntSemanticsTest, SystemAlertIdIsDeterministic) {
  EXPECT_EQ(Hunt({Rule("")}).alerts[0].system_alert_id, Hunt({Rule("")}).alerts[0].system_alert_id);
}

TEST_F(HuntSemanticsTest, TriggerThresholdDecides) {
  HuntReport report = Hunt({Rule("triggerOperator: gt\ntriggerThreshold: 3\n")});
  EXPECT_TRUE(report.alerts.empty());
  EXPECT_FALSE(report.outcomes[0].triggered);
}

TEST_F(HuntSemanticsTest, SentinelSecurityAlertShape) {
  HuntReport report = Hunt({Rule("")});
  std::string text = AlertToSecurityAlert(report, report.alerts[0]);
  std::string error;
  Dynamic record = ParseJson(text, &error);
  ASSERT_TRUE(error.empty()) << error << "\n" << text;
  for (const char* field : {"TimeGenerated", "AlertName", "AlertSeverity", "Description", "ProviderName", "ProductName",
                            "AlertType", "SystemAlertId", "Tactics", "Techniques", "StartTime", "EndTime", "Entities",
                            "ExtendedProperties"}) {
    EXPECT_NE(text.find(std::string("\"") + field + "\":"), std::string::npos) << field;
  }
  EXPECT_NE(text.find("\"ProviderName\":\"kqlite\""), std::string::npos);
  EXPECT_NE(text.find("\"Tactics\":\"CommandAndControl\""), std::string::npos);
  EXPECT_NE(text.find("\\\"Type\\\":\\\"host\\\""), std::string::npos);  // Entities is a JSON string
}

TEST_F(HuntSemanticsTest, OcsfDetectionFindingShape) {
  HuntReport report = Hunt({Rule("")});
  std::string text = AlertToOcsf(report, report.alerts[0]);
  std::string error;
  ParseJson(text, &error);
  ASSERT_TRUE(error.empty()) << error << "\n" << text;
  for (const char* fragment :
       {"\"class_uid\":2004", "\"category_uid\":2", "\"activity_id\":1", "\"type_uid\":200401", "\"severity_id\":3",
        "\"analytic\":{\"uid\":\"11111111-2222-3333-4444-555555555555\"", "\"type_id\":1",
        "\"tactic\":{\"name\":\"CommandAndControl\",\"uid\":\"TA0011\"}", "\"technique\":{\"uid\":\"T1219\"}",
        "\"metadata\":{\"product\":{\"name\":\"kqlite\"", "\"version\":\"1.1.0\"", "\"observables\":[",
        "\"resources\":[{\"name\":\"ws1\",\"type\":\"Device\"}"}) {
    EXPECT_NE(text.find(fragment), std::string::npos) << fragment << "\n" << text;
  }
}

TEST_F(HuntSemanticsTest, AttackLayerScoresRanAndFired) {
  SentinelRule quiet = Rule("", "DeviceNetworkEvents | where RemoteUrl has \"nothing-here\"");
  quiet.techniques = {"T1059.001", "T1219"};
  quiet.name = "Quiet";
  HuntReport report = Hunt({Rule(""), quiet});
  std::string layer = AttackLayerJson(report);
  std::string error;
  ParseJson(layer, &error);
  ASSERT_TRUE(error.empty()) << error;
  EXPECT_NE(layer.find("\"domain\": \"enterprise-attack\""), std::string::npos);
  EXPECT_NE(layer.find("\"layer\": \"4.5\""), std::string::npos);
  EXPECT_NE(layer.find("{\"techniqueID\": \"T1059.001\", \"score\": 1,"), std::string::npos) << layer;
  EXPECT_NE(layer.find("{\"techniqueID\": \"T1219\", \"score\": 2,"), std::string::npos) << layer;
}

TEST_F(HuntSemanticsTest, WatchlistIsReadThroughGetWatchlist) {
  std::string path = ::testing::TempDir() + "/hunt3_watch.csv";
  {
    std::ofstream out(path);
    out << "Host,Owner\nws2,alice\nws3,bob\n";
  }
  ASSERT_TRUE(RegisterWatchlist(engine_, WatchlistSpec{"vip", path, ""}).empty());
  HuntReport report = Hunt({Rule("", "DeviceNetworkEvents | where DeviceName in ((_GetWatchlist('vip') | project "
                                     "SearchKey)) | project DeviceName")});
  ASSERT_TRUE(report.outcomes[0].ran) << report.outcomes[0].error;
  EXPECT_EQ(report.outcomes[0].result_rows, 2u);
  QueryResult loaded = engine_.Query("_GetWatchlist('vip') | project _DTItemId, SearchKey, WatchlistItem, Owner");
  ASSERT_TRUE(loaded.ok);
  ASSERT_EQ(loaded.table.RowCount(), 2u);
  EXPECT_EQ(loaded.table.schema[0].name, "_DTItemId");
  // A watchlist that is not loaded reads as empty with Sentinel's fixed columns, and says so in a warning.
  QueryResult unknown = engine_.Query("_GetWatchlist('nope')");
  ASSERT_TRUE(unknown.ok);
  EXPECT_EQ(unknown.table.RowCount(), 0u);
  ASSERT_EQ(unknown.table.schema.size(), 4u);
  EXPECT_EQ(unknown.table.schema[3].name, "WatchlistItem");
  ASSERT_FALSE(unknown.diagnostics.empty());
  EXPECT_EQ(unknown.diagnostics[0].severity, Severity::kWarning);
  EXPECT_EQ(unknown.diagnostics[0].code, "KQL2047");
}

TEST_F(HuntSemanticsTest, WritersRenderEveryFormat) {
  HuntReport report = Hunt({Rule("")});
  for (const char* name : {"table", "jsonl", "json", "csv", "sentinel", "ocsf"}) {
    auto format = ParseAlertFormat(name);
    ASSERT_TRUE(format.has_value()) << name;
    std::ostringstream out;
    WriteAlerts(report, *format, out);
    EXPECT_FALSE(out.str().empty()) << name;
  }
  std::ostringstream summary;
  WriteHuntSummary(report, "", summary);
  EXPECT_NE(summary.str().find("rule Evil agent connection: 3 result row(s), 1 alert(s)"), std::string::npos)
      << summary.str();
}

}  // namespace
}  // namespace kql
