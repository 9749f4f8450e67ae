// The built-in pack as a whole: every rule binds and runs on empty tables (a string operator over a number column
// must not crash a hunt), and Windows' own binaries running from C:\Windows\System32 as Microsoft signed them raise no
// alert from any rule (the Teramind rule once fired on dwm.exe on a domain controller).
#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "catalog/catalog.h"
#include "pack/builtin_pack.h"
#include "rules/hunt.h"
#include "rules/rule_loader.h"
#include "rules/windows_binaries.h"
#include "types/datetime.h"
#include "types/value.h"
#include "rules/layer.h"

using namespace kql;
using namespace kql::rules;

namespace kql {
namespace {

constexpr const char* kNow = "2024-10-09T15:00:00Z";
constexpr const char* kEventTime = "2024-10-09T14:00:00Z";

std::vector<SentinelRule> BuiltinRules() {
  std::vector<SentinelRule> rules;
  for (auto& loaded : kql::pack::LoadBuiltinRules()) {
    EXPECT_TRUE(loaded.rule.has_value()) << (loaded.problems.empty() ? "" : loaded.problems[0].message);
    if (loaded.rule) rules.push_back(std::move(*loaded.rule));
  }
  return rules;
}

std::set<std::string> PackTables(const std::vector<SentinelRule>& rules) {
  std::set<std::string> tables;
  for (const auto& rule : rules) tables.insert(rule.data_types.begin(), rule.data_types.end());
  return tables;
}

HuntOptions PinnedClock() {
  HuntOptions options;
  options.now_ticks = ParseDateTime(kNow);
  options.threads = 1;
  return options;
}

TEST(BuiltinPackTest, EveryRuleBindsAndRunsOnEmptyTables) {
  std::vector<SentinelRule> rules = BuiltinRules();
  ASSERT_GT(rules.size(), 500u);
  Engine engine;
  for (const auto& table : PackTables(rules)) {
    ASSERT_NE(engine.catalog().FindTable(table), nullptr) << table << " has no built-in schema";
    auto problems = engine.AddDataText(table, {}, "jsonl", "");
    ASSERT_TRUE(problems.empty()) << table << ": " << problems[0];
  }
  HuntReport report = RunHunt(engine, rules, PinnedClock());
  ASSERT_EQ(report.outcomes.size(), rules.size());
  for (size_t i = 0; i < rules.size(); ++i) {
    const RuleOutcome& outcome = report.outcomes[i];
    EXPECT_TRUE(outcome.ran) << rules[i].path << ": " << outcome.error
                             << (outcome.diagnostics.empty() ? "" : " " + outcome.diagnostics[0].message);
    for (const auto& diagnostic : outcome.diagnostics)
      EXPECT_NE(diagnostic.severity, Severity::kError) << rules[i].path << ": " << diagnostic.message;
    EXPECT_EQ(outcome.result_rows, 0u) << rules[i].path;
  }
  EXPECT_TRUE(report.alerts.empty());
}

std::string JsonText(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

TEST(BuiltinPackTest, WindowsOwnBinariesRaiseNoAlert) {
  const std::vector<std::string>& names = WindowsBinaryNames();
  ASSERT_GT(names.size(), 500u);
  EXPECT_TRUE(IsWindowsBinaryName("DWM.EXE"));
  EXPECT_TRUE(IsWindowsBinaryName("svchost.exe"));
  EXPECT_TRUE(IsWindowsBinaryName("Certutil.exe"));
  EXPECT_FALSE(IsWindowsBinaryName("quickassist.exe"));  // remote-access software itself: its rule names it
  EXPECT_FALSE(IsWindowsBinaryName("tmagentsvc.exe"));
  std::ostringstream processes, network, certificates;
  int report_id = 1000;
  for (const auto& name : names) {
    const std::string path = "C:\\Windows\\System32\\" + name;
    processes << "{\"Timestamp\":\"" << kEventTime << "\",\"DeviceId\":\"dev-dc1\",\"DeviceName\":\"dc1.corp.example\","
              << "\"FileName\":" << JsonText(name) << ",\"FolderPath\":" << JsonText(path)
              << ",\"ProcessCommandLine\":" << JsonText(name) << ",\"ProcessVersionInfoCompanyName\":\"Microsoft "
              << "Corporation\",\"ProcessVersionInfoProductName\":\"Microsoft® Windows® Operating System\","
              << "\"ProcessVersionInfoOriginalFileName\":" << JsonText(name)
              << ",\"InitiatingProcessFileName\":\"services.exe\",\"InitiatingProcessFolderPath\":"
              << "\"C:\\\\Windows\\\\System32\\\\services.exe\",\"InitiatingProcessVersionInfoCompanyName\":"
              << "\"Microsoft Corporation\",\"AccountName\":\"system\",\"ReportId\":" << ++report_id << "}\n";
    network << "{\"Timestamp\":\"" << kEventTime << "\",\"DeviceId\":\"dev-dc1\",\"DeviceName\":\"dc1.corp.example\","
            << "\"RemoteUrl\":\"settings-win.data.microsoft.com\",\"RemoteIP\":\"20.42.65.92\",\"RemotePort\":443,"
            << "\"InitiatingProcessFileName\":" << JsonText(name) << ",\"InitiatingProcessFolderPath\":"
            << JsonText(path) << ",\"InitiatingProcessVersionInfoCompanyName\":\"Microsoft Corporation\","
            << "\"ReportId\":" << ++report_id << "}\n";
    certificates << "{\"Timestamp\":\"" << kEventTime << "\",\"DeviceId\":\"dev-dc1\",\"DeviceName\":"
                 << "\"dc1.corp.example\",\"SHA1\":\"" << std::string(40, 'a') << "\",\"IsSigned\":true,"
                 << "\"Signer\":\"Microsoft Windows\",\"Issuer\":\"Microsoft Windows Production PCA 2011\","
                 << "\"ReportId\":" << ++report_id << "}\n";
  }
  Engine engine;
  ASSERT_TRUE(engine.AddDataText("DeviceProcessEvents", {}, "jsonl", processes.str()).empty());
  ASSERT_TRUE(engine.AddDataText("DeviceNetworkEvents", {}, "jsonl", network.str()).empty());
  ASSERT_TRUE(engine.AddDataText("DeviceFileCertificateInfo", {}, "jsonl", certificates.str()).empty());
  std::vector<SentinelRule> rules = BuiltinRules();
  HuntReport report = RunHunt(engine, rules, PinnedClock());
  size_t ran = 0;
  for (size_t i = 0; i < report.outcomes.size(); ++i) {
    ran += report.outcomes[i].ran ? 1 : 0;
    EXPECT_TRUE(report.outcomes[i].error.empty()) << rules[i].path << ": " << report.outcomes[i].error;
  }
  EXPECT_GT(ran, 500u);
  for (const auto& alert : report.alerts) {
    ADD_FAILURE() << "alert from " << report.rules[alert.rule_index].path << ": " << alert.title << " on "
                  << (alert.row.empty() ? "" : FormatText(alert.row.size() > 2 ? alert.row[2].second : alert.row[0].second));
  }
}

}  // namespace
}  // namespace kql
